import { Option, type Command } from 'commander';
import type { Finding } from '../../api/contract.js';
import { type CliContext } from '../shared.js';

export function registerFindings(program: Command, cx: CliContext): void {
  const { io, json, withEngine, caseOption } = cx;
  program
    .command('findings')
    .description('posture findings over everything in the case')
    .addOption(caseOption())
    .addOption(new Option('--severity <level>').choices(['critical', 'high', 'medium', 'low', 'info']))
    .option('--json', 'machine-readable output')
    .action(async (opts: { case: string; severity?: Finding['severity']; json?: boolean }) => {
      await withEngine(opts.case, false, async (engine) => {
        const list = await engine.findings(opts.severity ? { severity: opts.severity } : {});
        if (opts.json) return json(list);
        if (!list.length) io.out('no findings\n');
        for (const f of list) io.out(`[${f.severity}] ${f.title} — ${f.node?.name ?? f.nodeId}\n    ${f.summary}\n`);
      });
    });
}
