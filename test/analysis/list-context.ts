// A derive context over plain lists, every list given as listed or reversed: rules must come to the same result
// whatever order they read edges in (a full derivation reads earlier rules' edges from memory, an incremental one
// from rows). Memos are kept for the run, as a derivation keeps them.
import type { DeriveContext, DerivedOrStoredEdge } from '../../src/analysis/edges/types.js';
import type { EdgeFact } from '../../src/model/fragment.js';
import type { StoredNode } from '../../src/store/case-store.js';

export type ReadOrder = 'as listed' | 'reversed';

export function listContext(nodes: StoredNode[], edges: DerivedOrStoredEdge[], order: ReadOrder, emitted: EdgeFact[] = []): DeriveContext {
  const list = <T>(xs: T[]) => (order === 'reversed' ? [...xs].reverse() : xs);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const memo = new Map<string, unknown>();
  return {
    now: new Date(0),
    node: (id) => byId.get(id),
    nodesOfKind: (kind) => list(nodes.filter((n) => n.kind === kind)),
    edgesOfKind: (kind) => list(edges.filter((e) => e.kind === kind)),
    out: (id, kind) => list(edges.filter((e) => e.src === id && (!kind || e.kind === kind))),
    in: (id, kind) => list(edges.filter((e) => e.dst === id && (!kind || e.kind === kind))),
    emitNode: () => undefined,
    emitEdge: (e) => emitted.push(e),
    memo: <T>(key: string, compute: () => T) => {
      if (!memo.has(key)) memo.set(key, compute());
      return memo.get(key) as T;
    },
  };
}
