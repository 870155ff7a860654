import { Option, type Command } from 'commander';
import type { ExportTableName } from '../../api/contract.js';
import { writeTableOut } from '../output.js';
import { type CliContext, UsageError } from '../shared.js';

const TABLES = ['findings', 'nodes', 'edges', 'inventory', 'triage'] as const;

export function registerExport(program: Command, cx: CliContext): void {
  const { io, withEngine, caseOption } = cx;
  program
    .command('export')
    .description('write the case out: a table (findings, nodes, edges, inventory, triage) as CSV or JSON')
    .addOption(caseOption())
    .addOption(new Option('--what <table>', 'the table to write').choices(TABLES))
    .addOption(new Option('--format <format>', 'csv or json').choices(['csv', 'json']).makeOptionMandatory())
    .requiredOption('--out <path>', "the file to write ('-' for standard output)")
    .action(async (opts: { case: string; what?: ExportTableName; format: 'csv' | 'json'; out: string }) => {
      if (!opts.what) throw new UsageError(`--format ${opts.format} writes a table: say which with --what ${TABLES.join('|')}`);
      await withEngine(opts.case, false, async (engine) => {
        await writeTableOut(engine, { table: opts.what!, format: opts.format }, opts.out, io);
      });
    });
}
