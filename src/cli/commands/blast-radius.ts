import { Option, type Command } from 'commander';
import { formatBlastRadius } from '../format.js';
import { writeTableOut } from '../output.js';
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
    .addOption(new Option('--format <format>', 'write every reached node as a table (one row each) instead').choices(['csv', 'json']))
    .addOption(new Option('--list <list>', 'with --format: one list only, or the per-boundary counts').choices(['all', 'admins', 'identities', 'credentials', 'resources', 'boundaries']))
    .option('--out <path>', "with --format: the file to write ('-' for standard output, the default)")
    .action(async (ref: string, opts: { case: string; maxDepth?: number; includeConditional?: boolean; json?: boolean; format?: 'csv' | 'json'; list?: 'all' | 'admins' | 'identities' | 'credentials' | 'resources' | 'boundaries'; out?: string } & WindowFlags) => {
      await withEngine(opts.case, false, async (engine) => {
        const from = await resolveRef(engine, ref);
        const traversal = { ...(opts.maxDepth !== undefined ? { maxDepth: opts.maxDepth } : {}), ...traversalFlags(opts) };
        if (opts.format) return void (await writeTableOut(engine, { table: 'blast-radius', format: opts.format, from, ...(opts.list ? { list: opts.list } : {}), ...traversal }, opts.out, io));
        const br = await engine.blastRadius({ from, ...traversal });
        if (opts.json) return json(br);
        io.out(formatBlastRadius(br));
      });
    });
}
