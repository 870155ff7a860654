import type { NodeKind } from '../model/kinds.js';
import type { AliasIndex } from './aliases.js';
import { toNode, type NodeRowRaw } from './rows.js';
import { ftsQuote, type SearchIndex } from './search-index.js';
import type { Sql } from './sql.js';
import type { StoredNode } from './types.js';

/** Reads merged node rows: by id (aliases resolved), by kind, by handle, and by search text. */
export class NodeReader {
  constructor(
    private readonly sql: Sql,
    private readonly aliases: AliasIndex,
    private readonly index: SearchIndex,
  ) {}

  node(id: string): StoredNode | undefined {
    const row = this.sql.stmt('SELECT * FROM nodes WHERE id = ?').get(this.aliases.canonical(id)) as NodeRowRaw | undefined;
    return row ? toNode(row) : undefined;
  }

  nodes(idList: readonly string[]): Map<string, StoredNode> {
    const out = new Map<string, StoredNode>();
    const get = this.sql.stmt('SELECT * FROM nodes WHERE id = ?');
    for (const id of idList) {
      const row = get.get(this.aliases.canonical(id)) as NodeRowRaw | undefined;
      if (row) out.set(id, toNode(row));
    }
    return out;
  }

  *nodesOfKind(kind: NodeKind): IterableIterator<StoredNode> {
    // Rows as arrays: a derivation reads every pod of a cluster, and a column object per row costs a third of it.
    const q = this.sql.stmt('SELECT id, kind, name, stub, boundary, handles, props, sources FROM nodes WHERE kind = ?').raw(true);
    for (const [id, k, name, stub, boundary, handles, props, sources] of q.iterate(kind) as Iterable<[string, string, string, number, string | null, string, string, string]>) {
      yield toNode({ id, kind: k, name, stub, boundary, handles, props, sources });
    }
  }

  /** Every node id with its kind, for building in-memory indexes. */
  *nodeKinds(): IterableIterator<{ id: string; kind: NodeKind; boundary: string | null }> {
    yield* this.sql.stmt('SELECT id, kind, boundary FROM nodes').iterate() as Iterable<{ id: string; kind: NodeKind; boundary: string | null }>;
  }

  /** Every node with what a graph index keeps in memory (no props, no handles). */
  *graphNodes(): IterableIterator<[id: string, kind: string, name: string, boundary: string | null, stub: number]> {
    yield* this.sql.db.prepare('SELECT id, kind, name, boundary, stub FROM nodes').raw().iterate() as Iterable<[string, string, string, string | null, number]>;
  }

  /** Every node row in insertion order (exports stream these). */
  *all(): IterableIterator<StoredNode> {
    const q = this.sql.db.prepare('SELECT id, kind, name, stub, boundary, handles, props, sources FROM nodes ORDER BY rowid');
    for (const r of q.iterate() as Iterable<NodeRowRaw>) yield toNode(r);
  }

  /** Exact handle or name match (case-insensitive). */
  byHandle(handle: string): StoredNode[] {
    const exact = this.node(handle);
    if (exact) return [exact];
    const lower = handle.toLowerCase();
    const rows = [...this.index.matchHandles(ftsQuote(handle), 200), ...(handle.length >= 3 ? this.index.matchNames(handle, 200) : [])];
    const unique = new Map(rows.map((r) => [r.id, r]));
    return [...unique.values()].filter((r) => r.handles.toLowerCase().split('\n').includes(lower) || r.name.toLowerCase() === lower).map(toNode);
  }

  /** Search by name substring (3+ characters) or handle prefix; exact and shorter matches first. */
  search(text: string, limit: number): { node: StoredNode; matched: string }[] {
    const q = text.trim();
    if (!q) return [];
    const lower = q.toLowerCase();
    const want = Math.max(limit * 5, 50);
    const rows = q.length >= 3 ? [...this.index.matchHandles(`${ftsQuote(q)}*`, want), ...this.index.matchNames(q, want)] : this.index.matchShort(q, want);
    const unique = new Map(rows.map((r) => [r.id, r]));
    const scored = [...unique.values()].map((r) => {
      const candidates = [r.name, ...r.handles.split('\n')].filter(Boolean);
      const hits = candidates.filter((c) => c.toLowerCase().includes(lower));
      const best = hits.sort((a, b) => a.length - b.length)[0] ?? r.name;
      const exact = best.toLowerCase() === lower ? 0 : 1;
      return { node: toNode(r), matched: best, score: exact * 1e6 + best.length + (r.stub ? 1e5 : 0) };
    });
    scored.sort((a, b) => a.score - b.score || a.node.name.localeCompare(b.node.name));
    return scored.slice(0, limit).map(({ node, matched }) => ({ node, matched }));
  }
}
