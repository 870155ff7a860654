import type { Sql } from './sql.js';
import { writeIfFree } from './write-lock.js';

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

  /**
   * Saves the serialised graph index when it still describes the case and the write lock is free at once. A read-only
   * case, or one another process is writing, keeps it in memory only: a query never waits for a lock to answer.
   */
  save(stamp: string, data: Uint8Array): boolean {
    if (this.sql.db.readonly) return false;
    let saved = false;
    const written = writeIfFree(this.sql.db, () => {
      // Another process may have committed since the index was built: then it is not this state's index.
      if (this.stamp() !== stamp) return;
      this.sql.stmt('INSERT OR REPLACE INTO graph_snapshot (id, stamp, data) VALUES (1, ?, ?)').run(stamp, data);
      saved = true;
    });
    return written && saved;
  }

  drop(): void {
    this.sql.stmt('DELETE FROM graph_snapshot').run();
  }
}
