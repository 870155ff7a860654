import type { Command } from 'commander';
import { diffCaseFiles } from '../../api/compare/service.js';
import type { DiffLimits } from '../../api/contract.js';
import { formatDiff } from '../format-compare.js';
import { parseGates, trippedGates } from '../gate.js';
import { type CliContext, EXIT, parseCount, UsageError } from '../shared.js';

export interface LimitFlags {
  maxOrigins?: number;
  maxTargets?: number;
  maxListed?: number;
  maxPaths?: number;
}

export function limitsOf(opts: LimitFlags): DiffLimits {
  return {
    ...(opts.maxOrigins !== undefined ? { maxOrigins: opts.maxOrigins } : {}),
    ...(opts.maxTargets !== undefined ? { maxTargets: opts.maxTargets } : {}),
    ...(opts.maxListed !== undefined ? { maxListed: opts.maxListed } : {}),
    ...(opts.maxPaths !== undefined ? { maxPaths: opts.maxPaths } : {}),
  };
}

export function addLimitOptions(cmd: Command): Command {
  return cmd
    .option('--max-origins <n>', 'credentials whose blast radius is compared on both sides (default 100)', parseCount)
    .option('--max-targets <n>', 'admin and high-value nodes whose paths are compared (default 1000)', parseCount)
    .option('--max-listed <n>', 'entries listed per list in --json (default 500; counts are always complete)', parseCount)
    .option('--max-paths <n>', 'paths shown step by step (default 25)', parseCount);
}

export function registerDiff(program: Command, cx: CliContext): void {
  const { io, json, withEngine, setExitCode } = cx;
  const cmd = program
    .command('diff')
    .description('what changed between two case files (both read only), or between two states of one case (--case with --before)')
    .argument('[files...]', 'old.blastmap new.blastmap')
    .option('--case <file>', 'compare states of this case instead: a snapshot (--before) and the case as it is (or --after)')
    .option('--before <ref>', "with --case: a snapshot id, 'latest' (default), an ISO time, or the file name of a source a re-import replaced")
    .option('--after <ref>', "with --case: another snapshot, or 'current' (default)")
    .option('--fail-on <gates>', 'exit 3 when the change brings new-admin-path, new-critical or new-high (comma-separated)')
    .option('--json', 'machine-readable output (CaseDiff)');
  addLimitOptions(cmd).action(async (files: string[], opts: { case?: string; before?: string; after?: string; failOn?: string; json?: boolean } & LimitFlags) => {
    const gates = parseGates(opts.failOn);
    const limits = limitsOf(opts);
    const finish = (diff: Parameters<typeof formatDiff>[0]) => {
      if (opts.json) json(diff);
      else io.out(formatDiff(diff));
      const tripped = trippedGates(diff, gates);
      for (const t of tripped) io.err(`blastmap: --fail-on ${t}\n`);
      if (tripped.length) setExitCode(EXIT.gate);
    };
    if (opts.case) {
      if (files.length) throw new UsageError('give either two case files or --case, not both');
      await withEngine(opts.case, false, async (engine) => finish(await engine.compareSnapshots({ before: opts.before ?? 'latest', ...(opts.after ? { after: opts.after } : {}), limits })));
      return;
    }
    if (opts.before || opts.after) throw new UsageError('--before and --after compare states of one case: add --case <file>');
    if (files.length !== 2) throw new UsageError('diff takes two case files (old.blastmap new.blastmap), or --case <file> [--before <ref>]');
    finish(diffCaseFiles(files[0]!, files[1]!, limits));
  });
}
