import { Option, type Command } from 'commander';
import type { MarkKind } from '../../api/contract.js';
import { type CliContext, UsageError, readRefFile } from '../shared.js';

export function registerMark(program: Command, cx: CliContext): void {
  const { io, json, withEngine, resolveRef, caseOption } = cx;
  program
    .command('mark')
    .description('mark nodes compromised or high-value (refs as arguments or one per line in --from-file)')
    .argument('[refs...]')
    .addOption(caseOption())
    .addOption(new Option('--as <mark>', 'the mark').choices(['compromised', 'high-value']).makeOptionMandatory())
    .option('--note <text>', 'why', '')
    .option('--from-file <file>', 'read refs from a file, one per line (# comments allowed)')
    .option('--undo', 'remove the mark instead (kept in the case history)')
    .option('--json', 'machine-readable output')
    .action(async (refs: string[], opts: { case: string; as: MarkKind; note: string; fromFile?: string; undo?: boolean; json?: boolean }) => {
      const all = [...refs, ...(opts.fromFile ? readRefFile(opts.fromFile) : [])];
      if (!all.length) throw new UsageError('mark needs at least one ref');
      await withEngine(opts.case, false, async (engine) => {
        const ids: string[] = [];
        for (const ref of all) ids.push(await resolveRef(engine, ref));
        if (opts.undo) {
          const r = await engine.unmark({ ids, mark: opts.as });
          return opts.json ? json(r) : io.out(`removed ${r.removed} ${opts.as} mark(s)\n`);
        }
        const marks = await engine.mark({ ids, mark: opts.as, note: opts.note, by: 'cli' });
        if (opts.json) return json(marks);
        for (const m of marks) io.out(`marked ${m.nodeId} ${m.mark}\n`);
      });
    });
}
