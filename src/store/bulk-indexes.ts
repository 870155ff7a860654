import type { Sql } from './sql.js';

/** Indexes dropped during a bulk load and rebuilt after it (as the migrations define them). */
const BULK_INDEXES = {
  edges: {
    edge_rows_src: 'CREATE INDEX edge_rows_src ON edge_rows(src)',
    edge_rows_dst: 'CREATE INDEX edge_rows_dst ON edge_rows(dst)',
    edge_rows_kind: 'CREATE INDEX edge_rows_kind ON edge_rows(kind)',
  },
  nodes: {
    nodes_kind: 'CREATE INDEX nodes_kind ON nodes(kind)',
    nodes_boundary: 'CREATE INDEX nodes_boundary ON nodes(boundary)',
  },
} as const;

export type BulkTable = keyof typeof BULK_INDEXES;

/**
 * For a large load, SQLite builds an index several times faster from sorted data at the end than row by row.
 * Used inside the import transaction, so a rollback restores the indexes too.
 */
export class BulkIndexes {
  private readonly suspended = new Set<BulkTable>();

  constructor(private readonly sql: Sql) {}

  suspend(table: BulkTable): void {
    if (this.suspended.has(table)) return;
    for (const name of Object.keys(BULK_INDEXES[table])) this.sql.db.exec(`DROP INDEX IF EXISTS ${name}`);
    this.suspended.add(table);
  }

  restore(table: BulkTable): void {
    if (!this.suspended.delete(table)) return;
    for (const ddl of Object.values(BULK_INDEXES[table])) this.sql.db.exec(ddl);
    this.sql.clear();
  }

  /** A rollback brought the indexes back. */
  forget(): void {
    this.suspended.clear();
  }
}
