// Attack paths: shortest and k-shortest loopless paths over the graph index (Yen's algorithm with Lawler's
// refinement: each new path only spurs from where it left its parent). Path order is fewest steps first, then
// fewest conditional steps, then edge order in the case — so ties come out the same on every run.
// A path ends at the first target it reaches: a route through one admin node to another is not a new path.
import { edgeMask, type TraversalFilter } from './index/filter.js';
import { CONDITIONAL, type GraphIndex } from './index/graph-index.js';

export interface PathOptions extends TraversalFilter {
  k?: number;
  maxDepth?: number;
  /** CSR edge indexes to treat as removed (a containment plan's cuts). */
  removed?: ReadonlySet<number>;
  /**
   * Names the target set ('admin', a node id…) so the distances to it can be kept on the index and reused by the
   * next query with the same targets and no filter.
   */
  targetKey?: string;
  /**
   * Rank routes rather than edge sequences: two paths through the same nodes that differ only in which parallel
   * edge joins a pair (AUTHENTICATES_AS and OBSERVED_USE from a key to its user) are one route. The edge kept for a
   * step is the one an edge-sequence search prefers (unconditional, then first in the case); the others are the
   * step's alternatives (see parallelSteps).
   */
  routes?: boolean;
  /**
   * Fewest steps from each node to the nearest target under this query's filter and removals (FAR: none), when the
   * caller has them: containment works them out over the part of the graph its origin reaches.
   */
  distances?: Int32Array;
}

/** Per index: reusable search arrays, and distances to recent target sets. */
const caches = new WeakMap<GraphIndex, { ws: Workspace; distances: Map<string, Int32Array> }>();
const KEPT_DISTANCES = 8;

function cacheOf(index: GraphIndex) {
  let c = caches.get(index);
  if (!c) caches.set(index, (c = { ws: new Workspace(index.n), distances: new Map() }));
  return c;
}

export interface FoundPath {
  /** Node indexes, origin first. */
  nodes: number[];
  /** CSR edge indexes, one per step. */
  edges: number[];
  conditionalSteps: number;
}

/** Reusable per-query scratch arrays: a stamp marks what belongs to the current search, so nothing is cleared. */
class Workspace {
  seen: Int32Array;
  level: Int32Array;
  cond: Int32Array;
  parentEdge: Int32Array;
  parentNode: Int32Array;
  blocked: Int32Array;
  /**
   * 1 for the edges the current search may not take (set before it, cleared after): a search reads it for every edge
   * it scans, and at ten million edges a Set lookup there was a third of a containment plan's time.
   */
  private edgeBlocks: Uint8Array | undefined;
  stamp = 0;
  blockStamp = 0;
  constructor(n: number) {
    this.seen = new Int32Array(n);
    this.level = new Int32Array(n);
    this.cond = new Int32Array(n);
    this.parentEdge = new Int32Array(n);
    this.parentNode = new Int32Array(n);
    this.blocked = new Int32Array(n);
  }

  /** Runs a search with these edges blocked: the marks it reads, or null when there are none. */
  withBlockedEdges<T>(m: number, edges: ReadonlySet<number>, search: (blocked: Uint8Array | null) => T): T {
    if (edges.size === 0) return search(null);
    if (!this.edgeBlocks || this.edgeBlocks.length < m) this.edgeBlocks = new Uint8Array(m);
    const marks = this.edgeBlocks;
    for (const e of edges) marks[e] = 1;
    try {
      return search(marks);
    } finally {
      for (const e of edges) marks[e] = 0;
    }
  }
}

/**
 * One least (steps, conditional steps) path from `source` to a target, avoiding blocked nodes and edges.
 * Level-synchronous BFS: a whole level is settled before the next, so the conditional count is exact, and the
 * search stops at the first level holding a target.
 */
function shortest(index: GraphIndex, ws: Workspace, source: number, isTarget: (v: number) => boolean, mask: Uint8Array | null, blockedEdges: Uint8Array | null, maxSteps: number, h: Int32Array): FoundPath | null {
  // Iterative deepening on the length bound: a node at depth g is only expanded when g + h(node) ≤ bound, so
  // the search stays on near-shortest routes. Every node of a route of length ≤ bound passes the test, and so do
  // all its same-level parents, so the path found is the one an unbounded search would find.
  for (let bound = Math.max(h[source]!, 1); bound <= maxSteps; bound++) {
    const r = boundedShortest(index, ws, source, isTarget, mask, blockedEdges, bound, h);
    if (r !== 'pruned') return r;
  }
  return null;
}

/** The search under one length bound: a path, null when none exists at any length, 'pruned' when a longer one may. */
function boundedShortest(index: GraphIndex, ws: Workspace, source: number, isTarget: (v: number) => boolean, mask: Uint8Array | null, blockedEdges: Uint8Array | null, bound: number, h: Int32Array): FoundPath | null | 'pruned' {
  let pruned = false;
  const { offsets, targets, edgeFlags } = index.d;
  const stamp = ++ws.stamp;
  const { seen, level, cond, parentEdge, parentNode, blocked } = ws;
  // Routes of equal steps and conditions: the one whose edges come first wins. Parent links form a tree, so two
  // routes of one length first differ just after the node where walking both back meets.
  const before = (u1: number, e1: number, u2: number, e2: number): boolean => {
    let x = u1;
    let y = u2;
    let ex = e1;
    let ey = e2;
    while (x !== y) {
      ex = parentEdge[x]!;
      ey = parentEdge[y]!;
      x = parentNode[x]!;
      y = parentNode[y]!;
    }
    return ex < ey;
  };
  const blockStamp = ws.blockStamp;
  seen[source] = stamp;
  level[source] = 0;
  cond[source] = 0;
  parentEdge[source] = -1;
  parentNode[source] = -1;
  let frontier = [source];
  for (let depth = 1; frontier.length; depth++) {
    const next: number[] = [];
    for (const u of frontier) {
      const cu = cond[u]!;
      for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
        if (mask !== null && mask[e] === 0) continue;
        if (blockedEdges !== null && blockedEdges[e] === 1) continue;
        const v = targets[e]!;
        if (blocked[v] === blockStamp) continue;
        if (depth + h[v]! > bound) {
          if (h[v] !== FAR) pruned = true;
          continue;
        }
        const c = cu + (edgeFlags[e]! & CONDITIONAL);
        if (seen[v] !== stamp) {
          seen[v] = stamp;
          level[v] = depth;
          cond[v] = c;
          parentEdge[v] = e;
          parentNode[v] = u;
          next.push(v);
        } else if (level[v] === depth && (c < cond[v]! || (c === cond[v] && before(u, e, parentNode[v]!, parentEdge[v]!)))) {
          cond[v] = c;
          parentEdge[v] = e;
          parentNode[v] = u;
        }
      }
    }
    let best = -1;
    for (const v of next) {
      if (!isTarget(v)) continue;
      if (best === -1 || cond[v]! < cond[best]! || (cond[v] === cond[best] && before(parentNode[v]!, parentEdge[v]!, parentNode[best]!, parentEdge[best]!))) best = v;
    }
    if (best !== -1) {
      const edges: number[] = [];
      const nodes: number[] = [best];
      for (let v = best; parentEdge[v] !== -1; v = parentNode[v]!) {
        edges.push(parentEdge[v]!);
        nodes.push(parentNode[v]!);
      }
      return { nodes: nodes.reverse(), edges: edges.reverse(), conditionalSteps: cond[best]! };
    }
    // Targets end paths: never walk through one.
    frontier = next.filter((v) => !isTarget(v));
  }
  return pruned ? 'pruned' : null;
}

/** No route to a target (a distance). */
export const FAR = 0x3fffffff;

/**
 * Fewest steps from every node to the nearest target, walking in-edges back from all targets at once (targets
 * end paths, so the walk does not continue through one). A lower bound for any search that blocks more.
 */
function stepsToTarget(index: GraphIndex, isTarget: (v: number) => boolean, mask: Uint8Array | null, removed: ReadonlySet<number>): Int32Array {
  const { offsets, sources, edges } = index.reverse();
  const h = new Int32Array(index.n).fill(FAR);
  const queue = new Int32Array(index.n);
  let tail = 0;
  for (let v = 0; v < index.n; v++) {
    if (!isTarget(v)) continue;
    h[v] = 0;
    queue[tail++] = v;
  }
  const checkRemoved = removed.size > 0;
  for (let head = 0; head < tail; head++) {
    const v = queue[head]!;
    const next = h[v]! + 1;
    for (let k = offsets[v]!; k < offsets[v + 1]!; k++) {
      const e = edges[k]!;
      if (mask !== null && mask[e] === 0) continue;
      if (checkRemoved && removed.has(e)) continue;
      const u = sources[k]!;
      if (h[u] !== FAR) continue;
      h[u] = next;
      if (!isTarget(u)) queue[tail++] = u;
    }
  }
  return h;
}

function comparePaths(a: FoundPath, b: FoundPath): number {
  if (a.edges.length !== b.edges.length) return a.edges.length - b.edges.length;
  if (a.conditionalSteps !== b.conditionalSteps) return a.conditionalSteps - b.conditionalSteps;
  for (let i = 0; i < a.edges.length; i++) if (a.edges[i] !== b.edges[i]) return a.edges[i]! - b.edges[i]!;
  return 0;
}

/** Up to k loopless paths from source to any node isTarget accepts, best first. */
export function kShortestPaths(index: GraphIndex, source: number, isTarget: (v: number) => boolean, opts: PathOptions = {}): FoundPath[] {
  const k = opts.k ?? 10;
  const maxSteps = opts.maxDepth ?? Infinity;
  const mask = edgeMask(index, opts);
  const removed = opts.removed ?? new Set<number>();
  if (k <= 0 || isTarget(source)) return [];
  const cache = cacheOf(index);
  const ws = cache.ws;
  // A fresh block stamp: nothing a previous query blocked is blocked now.
  ws.blockStamp++;
  const key = opts.targetKey !== undefined && mask === null && removed.size === 0 ? opts.targetKey : undefined;
  let h = opts.distances ?? (key !== undefined ? cache.distances.get(key) : undefined);
  if (!h) {
    h = stepsToTarget(index, isTarget, mask, removed);
    if (key !== undefined) {
      if (cache.distances.size >= KEPT_DISTANCES) cache.distances.delete(cache.distances.keys().next().value!);
      cache.distances.set(key, h);
    }
  }
  if (h[source] === FAR) return [];
  const first = ws.withBlockedEdges(index.m, removed, (blocked) => shortest(index, ws, source, isTarget, mask, blocked, maxSteps, h));
  if (!first) return [];
  const found: (FoundPath & { dev: number })[] = [{ ...first, dev: 0 }];
  const candidates: (FoundPath & { dev: number })[] = [];
  const routes = opts.routes ?? false;
  const keys = new Set<string>([signature(index, first.edges, routes)]);
  while (found.length < k) {
    const prev = found[found.length - 1]!;
    for (let i = prev.dev; i < prev.nodes.length - 1; i++) {
      const spur = prev.nodes[i]!;
      const blockedEdges = new Set(removed);
      for (const p of found) {
        if (p.edges.length > i && sharesRoot(p, prev, i)) for (const e of parallelEdges(index, spur, p.edges[i]!, routes)) blockedEdges.add(e);
      }
      // The root's nodes may not be revisited: the path stays loopless.
      ws.blockStamp++;
      for (let j = 0; j < i; j++) ws.blocked[prev.nodes[j]!] = ws.blockStamp;
      const tail = ws.withBlockedEdges(index.m, blockedEdges, (blocked) => shortest(index, ws, spur, isTarget, mask, blocked, maxSteps - i, h));
      if (!tail) continue;
      const path = {
        nodes: [...prev.nodes.slice(0, i), ...tail.nodes],
        edges: [...prev.edges.slice(0, i), ...tail.edges],
        conditionalSteps: countConditional(index, prev.edges, i) + tail.conditionalSteps,
        dev: i,
      };
      const key = signature(index, path.edges, routes);
      if (keys.has(key)) continue;
      keys.add(key);
      candidates.push(path);
    }
    if (!candidates.length) break;
    candidates.sort(comparePaths);
    found.push(candidates.shift()!);
  }
  const out = found.map(({ nodes, edges, conditionalSteps }) => ({ nodes, edges, conditionalSteps }));
  if (routes) for (const p of out) p.edges = p.edges.map((e, i) => representative(index, p.nodes[i]!, e, mask, removed));
  return out;
}

/**
 * The edge a route shows for a step: unconditional first (the search already minimised conditional steps, so this
 * never adds one), then a permission over an observation (it says what the step allows), then case order.
 */
function representative(index: GraphIndex, from: number, e: number, mask: Uint8Array | null, removed: ReadonlySet<number>): number {
  const { edgeKind } = index.d;
  const rank = (k: number) => (index.isConditional(k) ? 2 : 0) + (edgeKind[k] === index.observedKind ? 1 : 0);
  let best = e;
  for (const k of parallelEdges(index, from, e, true)) {
    if ((mask !== null && mask[k] === 0) || removed.has(k)) continue;
    if (rank(k) < rank(best) || (rank(k) === rank(best) && k < best)) best = k;
  }
  return best;
}

/**
 * Two sources stating the same step (a key listed by list-access-keys and by the credential report) are one step to
 * a responder: a path is its nodes and step kinds, and blocking a step at a spur blocks its parallel copies too.
 */
function parallelEdges(index: GraphIndex, from: number, e: number, anyKind = false): number[] {
  const { offsets, targets, edgeKind } = index.d;
  const out: number[] = [];
  for (let k = offsets[from]!; k < offsets[from + 1]!; k++) if (targets[k] === targets[e] && (anyKind || edgeKind[k] === edgeKind[e])) out.push(k);
  return out;
}

/**
 * The other edges that could take a route's step from `from` to the target of `e` (any kind), within the same
 * traversal filter (its edgeMask): what a route lists as the step's alternatives.
 */
export function parallelSteps(index: GraphIndex, from: number, e: number, mask: Uint8Array | null): number[] {
  return parallelEdges(index, from, e, true).filter((k) => k !== e && (mask === null || mask[k] !== 0));
}

function signature(index: GraphIndex, edges: number[], routes = false): string {
  return edges.map((e) => (routes ? `${index.d.targets[e]}` : `${index.d.targets[e]}:${index.d.edgeKind[e]}`)).join(',');
}

function sharesRoot(p: FoundPath, root: FoundPath, i: number): boolean {
  for (let j = 0; j < i; j++) if (p.edges[j] !== root.edges[j]) return false;
  return p.nodes[i] === root.nodes[i];
}

function countConditional(index: GraphIndex, edges: number[], upTo: number): number {
  let c = 0;
  for (let j = 0; j < upTo; j++) if (index.isConditional(edges[j]!)) c++;
  return c;
}
