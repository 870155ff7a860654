import type { MarkKind } from '../model/fragment.js';
import { toMark } from './rows.js';
import type { Sql } from './sql.js';
import type { MarkRow } from './types.js';

/** Compromised / high-value marks; undone marks stay in the table with who and when. */
export class MarksTable {
  constructor(private readonly sql: Sql) {}

  /** Adds a mark unless the node already carries an active one of the same kind. */
  add(nodeId: string, mark: MarkKind, note: string, by: string, at: string, sourceId: number | null = null): MarkRow {
    const existing = this.sql.stmt('SELECT * FROM marks WHERE node_id = ? AND mark = ? AND undone_at IS NULL').get(nodeId, mark) as Record<string, unknown> | undefined;
    if (existing) return toMark(existing);
    const info = this.sql.stmt('INSERT INTO marks (node_id, mark, note, by, at, source_id) VALUES (?, ?, ?, ?, ?, ?)').run(nodeId, mark, note, by, at, sourceId);
    return { id: Number(info.lastInsertRowid), nodeId, mark, note, by, at, sourceId };
  }

  /** Undoes active marks; returns how many. */
  undo(nodeId: string, mark: MarkKind, by: string, at: string): number {
    return this.sql.stmt('UPDATE marks SET undone_at = ?, undone_by = ? WHERE node_id = ? AND mark = ? AND undone_at IS NULL').run(at, by, nodeId, mark).changes;
  }

  active(nodeId?: string): MarkRow[] {
    const rows = nodeId
      ? this.sql.stmt('SELECT * FROM marks WHERE node_id = ? AND undone_at IS NULL ORDER BY id').all(nodeId)
      : this.sql.stmt('SELECT * FROM marks WHERE undone_at IS NULL ORDER BY id').all();
    return (rows as Record<string, unknown>[]).map(toMark);
  }
}
