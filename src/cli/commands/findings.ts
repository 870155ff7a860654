import { Option, type Command } from 'commander';
import type { Finding } from '../../api/contract.js';
import { writeTableOut } from '../output.js';
import { type CliContext } from '../shared.js';

export function registerFindings(program: Command, cx: CliContext): void {
  const { io, json, withEngine, caseOption } = cx;
  program
    .command('findings')
    .description('posture findings over everything in the case')
    .addOption(caseOption())
    .addOption(new Option('--severity <level>').choices(['critical', 'high', 'medium', 'low', 'info']))
    .option('--rule <id>', "one rule, or a scanner's results (prowler, scoutsuite, prowler:<check id>)")
    .option('--json', 'machine-readable output')
    .addOption(new Option('--format <format>', 'write the findings as a table instead (every severity)').choices(['csv', 'json']).conflicts('severity'))
    .option('--out <path>', "with --format: the file to write ('-' for standard output, the default)")
    .action(async (opts: { case: string; severity?: Finding['severity']; rule?: string; json?: boolean; format?: 'csv' | 'json'; out?: string }) => {
      await withEngine(opts.case, false, async (engine) => {
        if (opts.format) return void (await writeTableOut(engine, { table: 'findings', format: opts.format }, opts.out, io));
        const list = await engine.findings({ ...(opts.severity ? { severity: opts.severity } : {}), ...(opts.rule ? { rule: opts.rule } : {}) });
        if (opts.json) return json(list);
        if (!list.length) io.out('no findings\n');
        for (const f of list) {
          // A scanner's result names its scanner and check; one that matched no node says so.
          const from = f.origin ? ` (${f.origin.scanner} ${f.origin.checkId}${f.origin.matched ? '' : ', no matching node'})` : '';
          io.out(`[${f.severity}] ${f.title} — ${f.node?.name ?? f.nodeId}${from}\n    ${f.summary}\n`);
        }
      });
    });
}
