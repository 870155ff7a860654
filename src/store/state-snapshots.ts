import type { Sql } from './sql.js';

export interface StateSnapshotRow {
  id: number;
  takenAt: string;
  label: string;
  auto: boolean;
  replaced: { id: number; fileName: string; importedAt: string }[];
  counts: { nodes: number; edges: number; findings: number };
  bytes: number;
}

/** Saved graph states (`state_snapshots`, migration 0011): the blob is opaque here (src/analysis/compare/snapshot.ts). */
export class StateSnapshotsTable {
  constructor(private readonly sql: Sql) {}

  add(row: Omit<StateSnapshotRow, 'id' | 'bytes'>, data: Uint8Array): number {
    const info = this.sql
      .stmt('INSERT INTO state_snapshots (taken_at, label, auto, replaced, counts, data) VALUES (?, ?, ?, ?, ?, ?)')
      .run(row.takenAt, row.label, row.auto ? 1 : 0, JSON.stringify(row.replaced), JSON.stringify(row.counts), data);
    return Number(info.lastInsertRowid);
  }

  list(): StateSnapshotRow[] {
    const rows = this.sql.stmt('SELECT id, taken_at, label, auto, replaced, counts, length(data) AS bytes FROM state_snapshots ORDER BY id').all() as Record<string, unknown>[];
    return rows.map((r) => ({
      id: r['id'] as number,
      takenAt: r['taken_at'] as string,
      label: r['label'] as string,
      auto: r['auto'] === 1,
      replaced: JSON.parse(r['replaced'] as string) as StateSnapshotRow['replaced'],
      counts: JSON.parse(r['counts'] as string) as StateSnapshotRow['counts'],
      bytes: r['bytes'] as number,
    }));
  }

  data(id: number): Buffer | undefined {
    return (this.sql.stmt('SELECT data FROM state_snapshots WHERE id = ?').get(id) as { data: Buffer } | undefined)?.data;
  }

  setReplaced(id: number, replaced: StateSnapshotRow['replaced']): void {
    this.sql.stmt('UPDATE state_snapshots SET replaced = ? WHERE id = ?').run(JSON.stringify(replaced), id);
  }

  delete(id: number): void {
    this.sql.stmt('DELETE FROM state_snapshots WHERE id = ?').run(id);
  }

  /** Drops automatic snapshots beyond the newest `keep`; returns how many. */
  pruneAuto(keep: number): number {
    return this.sql.stmt('DELETE FROM state_snapshots WHERE auto = 1 AND id NOT IN (SELECT id FROM state_snapshots WHERE auto = 1 ORDER BY id DESC LIMIT ?)').run(keep).changes;
  }
}
