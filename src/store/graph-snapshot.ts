import type { Sql } from './sql.js';
import { writeIfFree } from './write-lock.js';

/**
 * The serialised graph index (`graph_snapshot`, migration 0002) and the case's graph version: a number in `meta`
 * raised by every write transaction that changes nodes, edges or aliases. A snapshot stamped with the current
 * version is the index of the case as it is; reading the stamp costs one row, whatever the size of the case.
 */
export class GraphSnapshotTable {
  /** Whether the open write transaction has raised the version already. */
  private raised = false;

  constructor(private readonly sql: Sql) {}

  /** What a graph index was built from: changes whenever nodes, edges or aliases do. */
  stamp(): string {
    return String(this.version());
  }

  version(): number {
    const v = this.sql.stmt("SELECT value FROM meta WHERE key = 'graph_version'").pluck().get() as string | undefined;
    return v === undefined ? 0 : Number(v);
  }

  /** Nodes, edges or aliases are being written: the version goes up (once per transaction; a rollback undoes it). */
  touch(): void {
    if (this.raised || !this.sql.db.inTransaction) return;
    this.sql.stmt("INSERT OR REPLACE INTO meta (key, value) VALUES ('graph_version', ?)").run(String(this.version() + 1));
    this.raised = true;
  }

  /** A transaction ended. */
  end(): void {
    this.raised = false;
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
