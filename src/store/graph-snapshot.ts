import type { Sql } from './sql.js';

/** The serialised graph index (`graph_snapshot`, migration 0002) and the stamp of what it was built from. */
export class GraphSnapshotTable {
  constructor(private readonly sql: Sql) {}

  /** What a graph index was built from: changes whenever nodes, edges or aliases do. */
  stamp(): string {
    const one = (text: string) => this.sql.stmt(text).pluck().get() as number | null;
    return [one('SELECT max(id) FROM edges') ?? 0, one('SELECT count(*) FROM edges'), one('SELECT max(rowid) FROM nodes') ?? 0, one('SELECT count(*) FROM nodes'), one('SELECT count(*) FROM node_aliases')].join(':');
  }

  load(): { stamp: string; data: Buffer } | undefined {
    return this.sql.stmt('SELECT stamp, data FROM graph_snapshot WHERE id = 1').get() as { stamp: string; data: Buffer } | undefined;
  }

  /** Saves the serialised graph index; a read-only case keeps it in memory only. */
  save(stamp: string, data: Uint8Array): boolean {
    if (this.sql.db.readonly) return false;
    this.sql.stmt('INSERT OR REPLACE INTO graph_snapshot (id, stamp, data) VALUES (1, ?, ?)').run(stamp, data);
    return true;
  }

  drop(): void {
    this.sql.stmt('DELETE FROM graph_snapshot').run();
  }
}
