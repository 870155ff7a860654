import type { Command } from 'commander';
import { formatEstate } from '../format-estate.js';
import { type CliContext } from '../shared.js';

export function registerEstate(program: Command, cx: CliContext): void {
  const { io, json, withEngine, caseOption } = cx;
  program
    .command('estate')
    .description('the estate at a glance: each boundary with what it holds and its findings, the trust between boundaries, what is marked')
    .addOption(caseOption())
    .option('--json', 'machine-readable output')
    .action(async (opts: { case: string; json?: boolean }) => {
      await withEngine(opts.case, false, async (engine) => {
        const estate = await engine.estate({});
        if (opts.json) return json(estate);
        io.out(formatEstate(estate));
      });
    });
}
