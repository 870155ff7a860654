import type { Sql } from './sql.js';

/** Indexes dropped during a bulk load and rebuilt after it (as the migrations define them). */
const BULK_INDEXES = {
  edges: {
    edge_rows_src: 'CREATE INDEX edge_rows_src ON edge_rows(src)',
    edge_rows_dst: 'CREATE INDEX edge_rows_dst ON edge_rows(dst)',
    edge_rows_kind: 'CREATE INDEX edge_rows_kind ON edge_rows(kind)',
  },
  // The node tables: nodes' secondary indexes, and node_facts by source (read only to delete or scope a source).
  nodes: {
    nodes_kind: 'CREATE INDEX nodes_kind ON nodes(kind)',
    nodes_boundary: 'CREATE INDEX nodes_boundary ON nodes(boundary)',
    nodes_solo: 'CREATE INDEX nodes_solo ON nodes(solo_source) WHERE solo_source IS NOT NULL',
    node_facts_source: 'CREATE INDEX node_facts_source ON node_facts(source_id)',
  },
  // The unique indexes on ids (migration 0018), for a large load into a new case only (CaseStore.suspendIdIndexes):
  // every other write and read by id needs them.
  ids: {
    node_ids_id: 'CREATE UNIQUE INDEX node_ids_id ON node_ids(id)',
    nodes_id: 'CREATE UNIQUE INDEX nodes_id ON nodes(id)',
  },
  // Findings of a run of all rules (migration 0017: the id index is an ordinary unique index).
  findings: {
    findings_id: 'CREATE UNIQUE INDEX findings_id ON findings(id)',
    findings_node: 'CREATE INDEX findings_node ON findings(node_id)',
    findings_rule: 'CREATE INDEX findings_rule ON findings(rule, scope)',
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

  isSuspended(table: BulkTable): boolean {
    return this.suspended.has(table);
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
