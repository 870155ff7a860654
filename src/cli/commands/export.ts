import { Option, type Command } from 'commander';
import type { ExportTableName } from '../../api/contract.js';
import { ForwardSink } from '../../export/sink.js';
import { writeTableOut } from '../output.js';
import { type CliContext, UsageError } from '../shared.js';

const TABLES = ['findings', 'nodes', 'edges', 'inventory', 'triage'] as const;
const GRAPH_FORMATS = ['opengraph', 'neo4j', 'graphml'] as const;

export function registerExport(program: Command, cx: CliContext): void {
  const { io, withEngine, caseOption } = cx;
  program
    .command('export')
    .description('write the case out: a table (findings, nodes, edges, inventory, triage) as CSV or JSON, or the whole graph for BloodHound (OpenGraph JSON), Neo4j (a folder) or Gephi/yEd (GraphML)')
    .addOption(caseOption())
    .addOption(new Option('--what <table>', 'with csv or json: the table to write').choices(TABLES))
    .addOption(new Option('--format <format>', 'csv, json, opengraph, neo4j or graphml').choices(['csv', 'json', ...GRAPH_FORMATS]).makeOptionMandatory())
    .requiredOption('--out <path>', "the file (the folder for neo4j) to write; '-' for standard output")
    .action(async (opts: { case: string; what?: ExportTableName; format: 'csv' | 'json' | (typeof GRAPH_FORMATS)[number]; out: string }) => {
      const format = opts.format;
      if (format === 'csv' || format === 'json') {
        if (!opts.what) throw new UsageError(`--format ${format} writes a table: say which with --what ${TABLES.join('|')}`);
        return withEngine(opts.case, false, async (engine) => void (await writeTableOut(engine, { table: opts.what!, format }, opts.out, io)));
      }
      if (opts.what) throw new UsageError(`--format ${format} writes the whole graph; --what applies to csv and json`);
      if (format === 'neo4j' && opts.out === '-') throw new UsageError('the Neo4j export is a folder of files: give a folder with --out');
      await withEngine(opts.case, false, async (engine) => {
        if (opts.out === '-') {
          const sink = new ForwardSink(io.out);
          await engine.exportGraph(format, sink);
          return sink.flush();
        }
        const counts = await engine.exportGraph(format, opts.out);
        io.err(`blastmap: wrote ${counts.nodes} nodes and ${counts.edges} edges as ${format} to ${opts.out}\n`);
      });
    });
}
