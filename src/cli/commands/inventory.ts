import { Option, type Command } from 'commander';
import { formatInventory } from '../format-deliver.js';
import { writeTableOut } from '../output.js';
import { type CliContext, UsageError } from '../shared.js';

export function registerInventory(program: Command, cx: CliContext): void {
  const { io, json, withEngine, caseOption } = cx;
  program
    .command('inventory')
    .description('every non-human identity: owner, credentials, privilege tier, activity, findings, marks')
    .addOption(caseOption())
    .option('--json', 'machine-readable output')
    .option('--csv', 'the inventory as CSV (same as --format csv)')
    .addOption(new Option('--format <format>', 'write the inventory as a table').choices(['csv', 'json']))
    .option('--out <path>', "with --csv/--format: the file to write ('-' for standard output, the default)")
    .action(async (opts: { case: string; json?: boolean; csv?: boolean; format?: 'csv' | 'json'; out?: string }) => {
      if (opts.csv && opts.format && opts.format !== 'csv') throw new UsageError('--csv and --format json contradict each other');
      const format = opts.csv ? 'csv' : opts.format;
      await withEngine(opts.case, false, async (engine) => {
        if (format) return void (await writeTableOut(engine, { table: 'inventory', format }, opts.out, io));
        const rows = await engine.inventory({});
        if (opts.json) return json(rows);
        io.out(formatInventory(rows));
      });
    });
}
