import { Option, type Command } from 'commander';
import { formatTriage } from '../format-deliver.js';
import { writeTableOut } from '../output.js';
import { type CliContext } from '../shared.js';

export function registerTriage(program: Command, cx: CliContext): void {
  const { io, json, withEngine, caseOption } = cx;
  program
    .command('triage')
    .description('every compromised or exposed credential, ranked by what it reaches (score explained)')
    .addOption(caseOption())
    .option('--exclude-conditional', 'do not follow edges whose condition cannot be decided offline')
    .option('--json', 'machine-readable output')
    .addOption(new Option('--format <format>', 'write the ranking as a table').choices(['csv', 'json']))
    .option('--out <path>', "with --format: the file to write ('-' for standard output, the default)")
    .action(async (opts: { case: string; excludeConditional?: boolean; json?: boolean; format?: 'csv' | 'json'; out?: string }) => {
      await withEngine(opts.case, false, async (engine) => {
        const traversal = opts.excludeConditional ? { includeConditional: false } : {};
        if (opts.format) return void (await writeTableOut(engine, { table: 'triage', format: opts.format, ...traversal }, opts.out, io));
        const rows = await engine.triage(traversal);
        if (opts.json) return json(rows);
        io.out(formatTriage(rows));
      });
    });
}
