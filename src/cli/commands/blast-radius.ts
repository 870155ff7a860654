import type { Command } from 'commander';
import { formatBlastRadius } from '../format.js';
import { type CliContext, parseCount, traversalFlags, type WindowFlags } from '../shared.js';

export function registerBlastRadius(program: Command, cx: CliContext): void {
  const { io, json, withEngine, resolveRef, caseOption } = cx;
  program
    .command('blast-radius')
    .description('everything a node (credential, leak, identity) can reach')
    .argument('<ref>')
    .addOption(caseOption())
    .option('--max-depth <n>', 'stop after this many steps', parseCount)
    .option('--include-conditional', 'follow edges whose condition cannot be decided offline (default)')
    .option('--exclude-conditional', 'do not follow conditional edges')
    .option('--observed-only', 'follow only what activity logs show was used (OBSERVED_USE edges)')
    .option('--since <time>', 'with --observed-only: activity seen at or after this ISO time')
    .option('--until <time>', 'with --observed-only: activity seen at or before this ISO time')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, opts: { case: string; maxDepth?: number; includeConditional?: boolean; json?: boolean } & WindowFlags) => {
      await withEngine(opts.case, false, async (engine) => {
        const br = await engine.blastRadius({ from: await resolveRef(engine, ref), ...(opts.maxDepth !== undefined ? { maxDepth: opts.maxDepth } : {}), ...traversalFlags(opts) });
        if (opts.json) return json(br);
        io.out(formatBlastRadius(br));
      });
    });
}
