import type { Command } from 'commander';
import { formatNode } from '../format.js';
import { type CliContext, UsageError } from '../shared.js';

export function registerNode(program: Command, cx: CliContext): void {
  const { io, json, withEngine, resolveRef, caseOption } = cx;
  program
    .command('node')
    .description('show a node: properties, credentials, edges with their evidence, sources, marks, findings')
    .argument('<ref>')
    .addOption(caseOption())
    .option('--since <time>', 'list only observed activity at or after this time (ISO-8601)')
    .option('--until <time>', 'list only observed activity at or before this time (ISO-8601)')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, opts: { case: string; since?: string; until?: string; json?: boolean }) => {
      for (const t of [opts.since, opts.until]) if (t !== undefined && Number.isNaN(Date.parse(t))) throw new UsageError(`not a date: ${t} (use ISO-8601, e.g. 2026-11-21T02:00:00Z)`);
      await withEngine(opts.case, false, async (engine) => {
        const details = await engine.node({ id: await resolveRef(engine, ref), ...(opts.since ? { since: opts.since } : {}), ...(opts.until ? { until: opts.until } : {}) });
        if (opts.json) return json(details);
        io.out(formatNode(details));
      });
    });
}
