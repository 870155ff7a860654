import type { ImportWarning, JsonObject } from '../model/fragment.js';
import type { AliasIndex } from './aliases.js';
import type { SearchIndex } from './search-index.js';
import type { Sql } from './sql.js';
import type { SourceRow } from './types.js';

/** One row per imported file, and everything a source brought (removed with it when it is replaced). */
export class SourcesTable {
  constructor(
    private readonly sql: Sql,
    private readonly search: SearchIndex,
    private readonly aliases: AliasIndex,
  ) {}

  /** Sources a new import of (label, content) replaces: the same label, or the same content in the same format. */
  toReplace(label: string, sha256: string, format: string): number[] {
    return (this.sql.stmt('SELECT id FROM sources WHERE label = ? OR (sha256 = ? AND format = ?)').all(label, sha256, format) as { id: number }[]).map((r) => r.id);
  }

  add(row: Omit<SourceRow, 'id' | 'counts' | 'warnings' | 'meta'>): number {
    const info = this.sql
      .stmt('INSERT INTO sources (label, file_name, format, sha256, imported_at, options) VALUES (?, ?, ?, ?, ?, ?)')
      .run(row.label, row.fileName, row.format, row.sha256, row.importedAt, JSON.stringify(row.options));
    return Number(info.lastInsertRowid);
  }

  finish(id: number, counts: { nodes: number; edges: number }, warnings: ImportWarning[], meta: JsonObject = {}): void {
    this.sql.stmt('UPDATE sources SET counts = ?, warnings = ?, meta = ? WHERE id = ?').run(JSON.stringify(counts), JSON.stringify(warnings), JSON.stringify(meta), id);
  }

  /** Removes a source's rows; returns the node ids whose merged view must be rebuilt. */
  delete(id: number): Set<string> {
    const touched = new Set<string>();
    for (const r of this.sql.stmt('SELECT node_id FROM node_facts WHERE source_id = ?').iterate(id) as Iterable<{ node_id: string }>) touched.add(r.node_id);
    for (const r of this.sql.stmt('SELECT alias, canonical FROM node_aliases WHERE source_id = ?').all(id) as { alias: string; canonical: string }[]) {
      touched.add(r.alias);
      touched.add(r.canonical);
    }
    this.search.deleteNodes('solo_source = ?', id);
    this.sql.stmt('DELETE FROM node_facts WHERE source_id = ?').run(id);
    this.sql.stmt('DELETE FROM node_aliases WHERE source_id = ?').run(id);
    this.sql.stmt('DELETE FROM edges WHERE source_id = ?').run(id);
    this.sql.stmt('DELETE FROM scanner_results WHERE source_id = ?').run(id);
    this.sql.stmt('DELETE FROM sources WHERE id = ?').run(id);
    this.aliases.invalidate();
    return touched;
  }

  list(): SourceRow[] {
    return (this.sql.stmt('SELECT * FROM sources ORDER BY id').all() as Record<string, unknown>[]).map((r) => ({
      id: r['id'] as number,
      label: r['label'] as string,
      fileName: r['file_name'] as string,
      format: r['format'] as string,
      sha256: r['sha256'] as string,
      importedAt: r['imported_at'] as string,
      options: JSON.parse(r['options'] as string) as JsonObject,
      counts: JSON.parse(r['counts'] as string) as { nodes: number; edges: number },
      warnings: JSON.parse(r['warnings'] as string) as ImportWarning[],
      meta: JSON.parse((r['meta'] as string | undefined) ?? '{}') as JsonObject,
    }));
  }
}
