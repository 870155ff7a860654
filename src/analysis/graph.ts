import type { EdgeKind, NodeKind } from '../model/kinds.js';
import type { CaseStore } from '../store/case-store.js';

export interface GraphEdge {
  id: number;
  to: string;
  kind: EdgeKind;
  conditional: boolean;
}

/** Adjacency over traversable edges, loaded from the case. */
export interface TraversalGraph {
  kinds: Map<string, NodeKind>;
  out: Map<string, GraphEdge[]>;
}

export function loadGraph(store: CaseStore): TraversalGraph {
  const kinds = new Map<string, NodeKind>();
  for (const n of store.nodeKinds()) kinds.set(n.id, n.kind);
  const out = new Map<string, GraphEdge[]>();
  for (const e of store.traversableEdges()) {
    let list = out.get(e.src);
    if (!list) out.set(e.src, (list = []));
    list.push({ id: e.id, to: e.dst, kind: e.kind, conditional: e.conditional });
  }
  return { kinds, out };
}

export interface Reached {
  depth: number;
  /** Edge ids from the origin. */
  viaEdges: number[];
  path: string[];
  conditional: boolean;
}

/** Breadth-first reach: each node once, at its least depth, preferring unconditional routes at equal depth. */
export function reach(graph: TraversalGraph, origin: string, opts: { maxDepth?: number; includeConditional?: boolean } = {}): Map<string, Reached> {
  const maxDepth = opts.maxDepth ?? Infinity;
  const include = opts.includeConditional ?? true;
  const seen = new Map<string, Reached>([[origin, { depth: 0, viaEdges: [], path: [origin], conditional: false }]]);
  let frontier = [origin];
  for (let depth = 1; frontier.length && depth <= maxDepth; depth++) {
    const next: string[] = [];
    for (const id of frontier) {
      const from = seen.get(id)!;
      for (const e of graph.out.get(id) ?? []) {
        if (e.conditional && !include) continue;
        const conditional = from.conditional || e.conditional;
        const prev = seen.get(e.to);
        if (prev && !(prev.depth === depth && prev.conditional && !conditional)) continue;
        if (!prev) next.push(e.to);
        seen.set(e.to, { depth, viaEdges: [...from.viaEdges, e.id], path: [...from.path, e.to], conditional });
      }
    }
    frontier = next;
  }
  return seen;
}

/** Shortest route (fewest steps) from origin to each target reachable, up to `limit` targets, nearest first. */
export function shortestPaths(graph: TraversalGraph, origin: string, isTarget: (id: string) => boolean, opts: { limit: number; maxDepth?: number; includeConditional?: boolean }): Reached[] {
  const reached = reach(graph, origin, opts);
  return [...reached.entries()]
    .filter(([id]) => id !== origin && isTarget(id))
    .map(([, r]) => r)
    .sort((a, b) => a.depth - b.depth || Number(a.conditional) - Number(b.conditional))
    .slice(0, opts.limit);
}
