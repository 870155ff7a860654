import { NODE_KINDS, type NodeKind } from '../model/kinds.js';
import type { AliasIndex } from './aliases.js';
import { toNode, type NodeRowRaw } from './rows.js';
import { ftsQuote, type SearchIndex } from './search-index.js';
import type { PropsMemo } from './props-memo.js';
import type { Sql } from './sql.js';
import type { StoredNode } from './types.js';
import type { JsonObject } from '../model/fragment.js';

/**
 * A node row for derivation rules: handles, props and sources parsed on first read. Rules read the props of some
 * nodes only (a holder's kind, a target's name): parsing every policy document they never look at was a third of
 * reading the rows. Kept inside a derivation (getters do not travel through JSON or a spread).
 */
export class RuleNode implements StoredNode {
  constructor(
    readonly id: string,
    readonly kind: NodeKind,
    readonly name: string,
    readonly stub: boolean,
    readonly boundary: string | null,
    private h: string | string[],
    private p: string | JsonObject,
    private s: string | number[],
  ) {}
  get handles(): string[] {
    const h = this.h;
    return typeof h === 'string' ? (this.h = h ? h.split('\n') : []) : h;
  }
  set handles(v: string[]) {
    this.h = v;
  }
  get props(): JsonObject {
    const p = this.p;
    return typeof p === 'string' ? (this.p = JSON.parse(p) as JsonObject) : p;
  }
  set props(v: JsonObject) {
    this.p = v;
  }
  get sources(): number[] {
    const s = this.s;
    return typeof s === 'string' ? (this.s = JSON.parse(s) as number[]) : s;
  }
  set sources(v: number[]) {
    this.s = v;
  }
}

type RuleRow = [id: string, kind: NodeKind, name: string, stub: number, boundary: string | null, handles: string, props: string, sources: string];

/** Reads merged node rows: by id (aliases resolved), by kind, by handle, and by search text. */
export class NodeReader {
  constructor(
    private readonly sql: Sql,
    private readonly aliases: AliasIndex,
    private readonly index: SearchIndex,
    private readonly propsMemo: PropsMemo,
  ) {}

  node(id: string): StoredNode | undefined {
    const row = this.sql.stmt('SELECT * FROM nodes WHERE id = ?').get(this.aliases.canonical(id)) as NodeRowRaw | undefined;
    return row ? toNode(row) : undefined;
  }

  /** As node(), for derivation rules (props parsed when read). */
  ruleNode(id: string): StoredNode | undefined {
    const row = this.sql.stmt('SELECT id, kind, name, stub, boundary, handles, props, sources FROM nodes WHERE id = ?').raw(true).get(this.aliases.canonical(id)) as RuleRow | undefined;
    // Props this transaction wrote from an object are that object (see PropsMemo), not parsed again.
    return row ? new RuleNode(row[0], row[1], row[2], row[3] === 1, row[4], row[5], this.propsMemo.take(row[0], row[6]) ?? row[6], row[7]) : undefined;
  }

  /** As nodesOfKind(), for derivation rules (props parsed when read), all at once: the rules keep them all. */
  ruleNodesOfKind(kind: NodeKind): StoredNode[] {
    // The kind is the one asked for: not read back as a string per row.
    const rows = this.sql.stmt('SELECT id, name, stub, boundary, handles, props, sources FROM nodes WHERE kind = ?').raw(true).iterate(kind) as Iterable<[string, string, number, string | null, string, string, string]>;
    const out: StoredNode[] = [];
    const memo = this.propsMemo;
    // Nearly every node of a kind lives in the same few boundaries: one string kept per run of them, not one per row
    // (the rules hold these nodes to the end of the derivation).
    // The same for their sources ('[1]': the one file that states them).
    let boundary: string | null = null;
    let sources = '';
    for (const r of rows) {
      if (r[3] !== boundary) boundary = r[3];
      if (r[6] !== sources) sources = r[6];
      out.push(new RuleNode(r[0], kind, r[1], r[2] === 1, boundary, r[4], memo.take(r[0], r[5]) ?? r[5], sources));
    }
    return out;
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
    // The kind is the one asked for: not read back as a string per row.
    const q = this.sql.stmt('SELECT id, name, stub, boundary, handles, props, sources FROM nodes WHERE kind = ?').raw(true);
    for (const [id, name, stub, boundary, handles, props, sources] of q.iterate(kind) as Iterable<[string, string, number, string | null, string, string, string]>) {
      yield toNode({ id, kind, name, stub, boundary, handles, props, sources });
    }
  }

  /**
   * Nodes of a kind in some scopes (scopeOf: the boundary they live in, a boundary node its own id, '' neither):
   * read through the boundary index, so a few clusters of a large case cost what they hold.
   */
  *nodesOfKindIn(kind: NodeKind, scopes: readonly string[]): IterableIterator<StoredNode> {
    const named = scopes.filter(Boolean);
    const seen = new Set<string>();
    const rows: Iterable<NodeRowRaw>[] = [];
    const list = (xs: readonly string[]) => xs.map(() => '?').join(',');
    if (named.length) {
      rows.push(this.sql.stmt(`SELECT * FROM nodes WHERE boundary IN (${list(named)}) AND +kind = ?`).iterate(...named, kind) as Iterable<NodeRowRaw>);
      if (NODE_KINDS[kind].category === 'boundary') rows.push(this.sql.stmt(`SELECT * FROM nodes WHERE id IN (${list(named)}) AND boundary IS NULL AND +kind = ?`).iterate(...named, kind) as Iterable<NodeRowRaw>);
    }
    if (named.length < scopes.length && NODE_KINDS[kind].category !== 'boundary') rows.push(this.sql.stmt('SELECT * FROM nodes WHERE kind = ? AND boundary IS NULL').iterate(kind) as Iterable<NodeRowRaw>);
    for (const part of rows) {
      for (const r of part) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        yield toNode(r);
      }
    }
  }

  /** A node's kind and boundary (no props parsed), for working out its scope. */
  scopeInfo(id: string): { kind: NodeKind; boundary: string | null } | undefined {
    return this.sql.stmt('SELECT kind, boundary FROM nodes WHERE id = ?').get(this.aliases.canonical(id)) as { kind: NodeKind; boundary: string | null } | undefined;
  }

  /** Every node id with its kind, for building in-memory indexes. */
  *nodeKinds(): IterableIterator<{ id: string; kind: NodeKind; boundary: string | null }> {
    yield* this.sql.stmt('SELECT id, kind, boundary FROM nodes').iterate() as Iterable<{ id: string; kind: NodeKind; boundary: string | null }>;
  }

  /** Every node with what a graph index keeps in memory (no props, no handles), by its number. */
  *graphNodes(): IterableIterator<[nid: number, kind: string, name: string, boundary: string | null, stub: number]> {
    yield* this.sql.db.prepare('SELECT rowid, kind, name, boundary, stub FROM nodes').raw().iterate() as Iterable<[number, string, string, string | null, number]>;
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
