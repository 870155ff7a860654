import type { Command } from 'commander';
import { formatSnapshots } from '../format-compare.js';
import { type CliContext } from '../shared.js';

export function registerSnapshot(program: Command, cx: CliContext): void {
  const { io, json, withEngine, caseOption } = cx;
  program
    .command('snapshot')
    .description("save the case's graph state for a later `diff --case` (re-imports save one by themselves), or --list them")
    .addOption(caseOption())
    .option('--label <text>', 'what this state is (e.g. "before remediation")')
    .option('--list', 'list the snapshots the case keeps')
    .option('--json', 'machine-readable output (SnapshotInfo, or a list of them)')
    .action(async (opts: { case: string; label?: string; list?: boolean; json?: boolean }) => {
      await withEngine(opts.case, false, async (engine) => {
        if (opts.list) {
          const list = await engine.snapshots({});
          return opts.json ? json(list) : io.out(formatSnapshots(list));
        }
        const s = await engine.takeSnapshot(opts.label ? { label: opts.label } : {});
        if (opts.json) return json(s);
        io.out(`snapshot ${s.id} saved (${s.counts.nodes} nodes, ${s.counts.edges} edges, ${s.counts.findings} findings; ${Math.ceil(s.bytes / 1024)} KiB)\n`);
      });
    });
}
