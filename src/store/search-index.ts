import type { NodeRowRaw } from './rows.js';
import type { Sql } from './sql.js';

/**
 * The FTS5 search tables (`node_name_fts`, `node_handle_fts`): contentless, filled in bulk at commit with the rows
 * added by the transaction, and row by row for the rows it changed.
 */
export class SearchIndex {
  /** Upkeep for the open write transaction: rows above `newFrom` are indexed at commit, `stale` rows re-indexed. */
  private upkeep: { newFrom: number; stale: Set<number> } | undefined;

  constructor(private readonly sql: Sql) {}

  begin(): void {
    this.upkeep = { newFrom: this.sql.stmt('SELECT coalesce(max(rowid), 0) FROM nodes').pluck().get() as number, stale: new Set() };
  }

  end(): void {
    this.upkeep = undefined;
  }

  /** A node row was rewritten: an indexed row must be re-indexed at commit. */
  written(rowid: number): void {
    if (this.upkeep && rowid <= this.upkeep.newFrom) this.upkeep.stale.add(rowid);
  }

  /** Indexes the rows added in this transaction in one statement, and re-indexes the rows changed. */
  flush(): void {
    const upkeep = this.upkeep;
    if (!upkeep) return;
    const stmt = (text: string) => this.sql.stmt(text);
    for (const rowid of upkeep.stale) {
      stmt('DELETE FROM node_name_fts WHERE rowid = ?').run(rowid);
      stmt('DELETE FROM node_handle_fts WHERE rowid = ?').run(rowid);
      stmt('INSERT INTO node_name_fts (rowid, name) SELECT rowid, name FROM nodes WHERE rowid = ?').run(rowid);
      stmt('INSERT INTO node_handle_fts (rowid, handles) SELECT rowid, handles FROM nodes WHERE rowid = ?').run(rowid);
    }
    stmt('INSERT INTO node_name_fts (rowid, name) SELECT rowid, name FROM nodes WHERE rowid > ?').run(upkeep.newFrom);
    stmt('INSERT INTO node_handle_fts (rowid, handles) SELECT rowid, handles FROM nodes WHERE rowid > ?').run(upkeep.newFrom);
  }

  /** Deletes node rows matching a condition, with their search entries; returns the rows deleted. */
  deleteNodes(where: string, ...params: (string | number)[]): [nid: number, kind: string, boundary: string | null, id: string][] {
    const stmt = (text: string) => this.sql.stmt(text);
    // Rows added in this transaction are not in the search index yet (it is filled at commit): nothing to remove.
    const indexedUpTo = this.upkeep?.newFrom ?? Number.MAX_SAFE_INTEGER;
    stmt(`DELETE FROM node_name_fts WHERE rowid IN (SELECT rowid FROM nodes WHERE ${where} AND rowid <= ?)`).run(...params, indexedUpTo);
    stmt(`DELETE FROM node_handle_fts WHERE rowid IN (SELECT rowid FROM nodes WHERE ${where} AND rowid <= ?)`).run(...params, indexedUpTo);
    return stmt(`DELETE FROM nodes WHERE ${where} RETURNING rowid, kind, boundary, id`).raw().all(...params) as [number, string, string | null, string][];
  }

  /** Node rows whose handles match an FTS query (a quoted handle, optionally a prefix `"…"*`). */
  matchHandles(query: string, limit: number): NodeRowRaw[] {
    return this.sql.stmt('SELECT nodes.* FROM node_handle_fts f JOIN nodes ON nodes.rowid = f.rowid WHERE node_handle_fts MATCH ? LIMIT ?').all(query, limit) as NodeRowRaw[];
  }

  /** Node rows whose name contains the text (3+ characters, trigram). */
  matchNames(text: string, limit: number): NodeRowRaw[] {
    return this.sql.stmt('SELECT nodes.* FROM node_name_fts f JOIN nodes ON nodes.rowid = f.rowid WHERE node_name_fts MATCH ? ORDER BY rank LIMIT ?').all(ftsQuote(text), limit) as NodeRowRaw[];
  }

  /** Short queries the trigram index cannot answer: a plain scan. */
  matchShort(text: string, limit: number): NodeRowRaw[] {
    const like = `%${likeEscape(text)}%`;
    return this.sql.stmt("SELECT * FROM nodes WHERE name LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\' LIMIT ?").all(like, like, limit) as NodeRowRaw[];
  }
}

export function ftsQuote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
