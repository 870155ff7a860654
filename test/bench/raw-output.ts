// The raw write of what an import produced: every row of a finished case's graph (node numbers, nodes, edge kinds,
// edges with their props and evidence, evidence pieces, findings) read back and written into a fresh case schema with
// the fastest raw strategy the core bench's baseline uses (prepared statements in one transaction, the edge indexes
// and the search index built after the load). Nothing is parsed, merged or derived: it is the least any importer
// that stores the same output in SQLite pays, whatever its design, so an import-vs-parse target below it cannot be met
// by the store's code alone.
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { CASE_PAGE_SIZE } from '../../src/store/open.js';
import type { Run } from './measure.js';

type Row = unknown[];

interface Output {
  nodeIds: Row[];
  nodes: Row[];
  kinds: Row[];
  edges: Row[];
  evidence: Row[];
  findings: Row[];
  remediations: Row[];
}

const COPIED = {
  nodeIds: ['node_ids', 'nid, id'],
  nodes: ['nodes', 'rowid, id, kind, name, stub, boundary, handles, props, sources, solo_source'],
  kinds: ['edge_kinds', 'code, kind'],
  edges: ['edge_rows', 'id, src, dst, kind, source_id, derived, conditional, first_seen, last_seen, props, evidence, rule, scope'],
  evidence: ['evidence', '*'],
  findings: ['findings', '*'],
  remediations: ['finding_remediations', '*'],
} as const;

/** Reads the graph rows of a case (not timed). */
export function readOutput(casePath: string): Output & { rows: number } {
  const db = new Database(casePath, { readonly: true });
  try {
    const read = (table: string, columns: string) => db.prepare(`SELECT ${columns} FROM ${table}`).raw().all() as Row[];
    const out = Object.fromEntries(Object.entries(COPIED).map(([key, [table, columns]]) => [key, read(table, columns)])) as unknown as Output;
    return { ...out, rows: Object.values(out).reduce((n, rows: Row[]) => n + rows.length, 0) };
  } finally {
    db.close();
  }
}

/** Writes `output` into a new case file at `path`; the write is timed from the first insert to the commit. */
export function rawWrite(output: Output, path: string): Run {
  const db = new Database(path);
  db.pragma(`page_size = ${CASE_PAGE_SIZE}`); // as a new case has it
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  for (const m of MIGRATIONS) m.up(db);
  const columnsOf = (table: string) => (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]).join(', ');
  const insert = (key: keyof typeof COPIED) => {
    const [table, columns] = COPIED[key];
    const names = columns === '*' ? columnsOf(table) : columns;
    const width = names.split(',').length;
    return db.prepare(`INSERT INTO ${table} (${names}) VALUES (${Array(width).fill('?').join(', ')})`);
  };
  const statements = Object.fromEntries(Object.keys(COPIED).map((key) => [key, insert(key as keyof typeof COPIED)])) as Record<keyof typeof COPIED, Database.Statement>;
  const cpu = process.cpuUsage();
  const start = performance.now();
  db.transaction(() => {
    db.exec('DROP INDEX edge_rows_src; DROP INDEX edge_rows_dst; DROP INDEX edge_rows_kind; DROP INDEX edge_rows_rule');
    for (const key of Object.keys(COPIED) as (keyof typeof COPIED)[]) {
      const stmt = statements[key];
      for (const row of output[key]) stmt.run(...row);
    }
    db.exec('CREATE INDEX edge_rows_src ON edge_rows(src); CREATE INDEX edge_rows_dst ON edge_rows(dst); CREATE INDEX edge_rows_kind ON edge_rows(kind); CREATE INDEX edge_rows_rule ON edge_rows(rule, scope) WHERE derived = 1');
    db.exec('INSERT INTO node_name_fts (rowid, name) SELECT rowid, name FROM nodes; INSERT INTO node_handle_fts (rowid, handles) SELECT rowid, handles FROM nodes');
  })();
  const used = process.cpuUsage(cpu);
  const run = { wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
  db.close();
  return run;
}
