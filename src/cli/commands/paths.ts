import { Option, type Command } from 'commander';
import { formatPaths } from '../format.js';
import { writeTableOut } from '../output.js';
import { type CliContext, parseCount, traversalFlags, type WindowFlags } from '../shared.js';

export function registerPaths(program: Command, cx: CliContext): void {
  const { io, json, withEngine, resolveRef, caseOption } = cx;
  program
    .command('paths')
    .description('attack paths from a node to a node, to any admin node, or to any high-value node')
    .argument('<from-ref>')
    .requiredOption('--to <target>', "a ref, 'admin' or 'high-value'")
    .addOption(caseOption())
    .option('--k <n>', 'at most this many paths', parseCount, 10)
    .option('--max-depth <n>', 'longest path considered', parseCount)
    .option('--exclude-conditional', 'do not follow conditional edges')
    .option('--observed-only', 'follow only what activity logs show was used (OBSERVED_USE edges)')
    .option('--since <time>', 'with --observed-only: activity seen at or after this ISO time')
    .option('--until <time>', 'with --observed-only: activity seen at or before this ISO time')
    .option('--json', 'machine-readable output')
    .addOption(new Option('--format <format>', 'write the paths as a table (one row per step) instead').choices(['csv', 'json']))
    .option('--out <path>', "with --format: the file to write ('-' for standard output, the default)")
    .action(async (fromRef: string, opts: { case: string; to: string; k: number; maxDepth?: number; json?: boolean; format?: 'csv' | 'json'; out?: string } & WindowFlags) => {
      await withEngine(opts.case, false, async (engine) => {
        const from = await resolveRef(engine, fromRef);
        const to = opts.to === 'admin' || opts.to === 'high-value' ? opts.to : await resolveRef(engine, opts.to);
        if (opts.format) return void (await writeTableOut(engine, { table: 'paths', format: opts.format, from, to, k: opts.k, ...(opts.maxDepth !== undefined ? { maxDepth: opts.maxDepth } : {}), ...traversalFlags(opts) }, opts.out, io));
        const paths = await engine.paths({ from, to, k: opts.k, ...(opts.maxDepth !== undefined ? { maxDepth: opts.maxDepth } : {}), ...traversalFlags(opts) });
        if (opts.json) return json(paths);
        io.out(formatPaths(paths));
      });
    });
}
