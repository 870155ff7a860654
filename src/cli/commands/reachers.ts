import type { Command } from 'commander';
import { formatReachers } from '../format-reachers.js';
import { type CliContext, parseCount, traversalFlags, type WindowFlags } from '../shared.js';

export function registerReachers(program: Command, cx: CliContext): void {
  const { io, json, withEngine, resolveRef, caseOption } = cx;
  program
    .command('reachers')
    .description('who can reach a node: every identity and credential with a route to it, directly or through its admin')
    .argument('<ref>')
    .addOption(caseOption())
    .option('--limit <n>', 'list at most this many reachers (the counts stay complete)', parseCount)
    .option('--max-depth <n>', 'only routes of at most this many steps', parseCount)
    .option('--include-conditional', 'follow edges whose condition cannot be decided offline (default)')
    .option('--exclude-conditional', 'do not follow conditional edges')
    .option('--observed-only', 'follow only what activity logs show was used (OBSERVED_USE edges)')
    .option('--since <time>', 'with --observed-only: activity seen at or after this ISO time')
    .option('--until <time>', 'with --observed-only: activity seen at or before this ISO time')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, opts: { case: string; limit?: number; maxDepth?: number; includeConditional?: boolean; json?: boolean } & WindowFlags) => {
      await withEngine(opts.case, false, async (engine) => {
        const r = await engine.reachers({ id: await resolveRef(engine, ref), ...(opts.limit !== undefined ? { limit: opts.limit } : {}), ...(opts.maxDepth !== undefined ? { maxDepth: opts.maxDepth } : {}), ...traversalFlags(opts) });
        if (opts.json) return json(r);
        io.out(formatReachers(r));
      });
    });
}
