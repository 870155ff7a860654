import type { Command } from 'commander';
import { formatHit } from '../format.js';
import { type CliContext, parseCount } from '../shared.js';

export function registerSearch(program: Command, cx: CliContext): void {
  const { io, json, withEngine, caseOption } = cx;
  program
    .command('search')
    .description('find nodes by name or any handle (ARN, key id, email, ns/name)')
    .argument('<text>')
    .addOption(caseOption())
    .option('--limit <n>', 'at most this many hits', parseCount, 20)
    .option('--json', 'machine-readable output')
    .action(async (text: string, opts: { case: string; limit: number; json?: boolean }) => {
      await withEngine(opts.case, false, async (engine) => {
        const hits = await engine.search({ text, limit: opts.limit });
        if (opts.json) return json(hits);
        if (!hits.length) io.out(`no match for '${text}'\n`);
        for (const h of hits) io.out(formatHit(h));
      });
    });
}
