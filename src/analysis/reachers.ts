// Reachers, the reverse of blast radius: every identity and credential from which some route leads to a node.
// One breadth-first walk over the in-edges from the node gives each reacher its distance and the number of
// shortest routes (counted as the walk goes, like Brandes' counting); a second walk over unconditional edges only
// tells which of them need a condition. A node inside a boundary (an account, a cluster) is also reached
// through that boundary's admin node — whoever holds the account holds what is in it — so the walk is repeated
// from the admin node and its reachers are listed "through admin".
import { edgeMask, type TraversalFilter } from './index/filter.js';
import { CONDITIONAL, type GraphIndex } from './index/graph-index.js';

export interface ReachersOptions extends TraversalFilter {
  maxDepth?: number;
}

export interface ReverseWalk {
  /** Per node: distance + 1 to the node walked from (0 = does not reach it). */
  depth: Int32Array;
  /** Per node: how many shortest routes lead from it (capped at Number.MAX_SAFE_INTEGER). */
  routes: Float64Array;
  /** Per node: 1 when it reaches without any conditional edge. */
  firm: Uint8Array;
}

export interface ReachersResult {
  target: number;
  /** The admin node of the target's boundary, or -1 (the target is an admin node or in no boundary). */
  admin: number;
  direct: ReverseWalk;
  viaAdmin?: ReverseWalk;
}

export function reachers(index: GraphIndex, target: number, opts: ReachersOptions = {}): ReachersResult {
  const mask = edgeMask(index, opts);
  const direct = walk(index, target, mask, opts.maxDepth);
  const b = index.d.boundary[target]!;
  let admin = -1;
  if (b >= 0 && index.d.nodeKind[target] !== index.adminKind) admin = index.indexOf(`admin:${index.id(b)}`);
  const viaAdmin = admin >= 0 && admin !== target ? walk(index, admin, mask, opts.maxDepth === undefined ? undefined : opts.maxDepth - 1) : undefined;
  return { target, admin, direct, ...(viaAdmin ? { viaAdmin } : {}) };
}

function walk(index: GraphIndex, from: number, mask: Uint8Array | null, maxDepth = Infinity): ReverseWalk {
  const rev = index.reverse();
  const n = index.n;
  const depth = new Int32Array(n);
  const routes = new Float64Array(n);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  depth[from] = 1;
  routes[from] = 1;
  queue[tail++] = from;
  while (head < tail) {
    const v = queue[head++]!;
    const d = depth[v]!;
    if (d - 1 >= maxDepth) continue;
    for (let i = rev.offsets[v]!; i < rev.offsets[v + 1]!; i++) {
      const e = rev.edges[i]!;
      if (mask && !mask[e]) continue;
      const u = rev.sources[i]!;
      if (depth[u] === 0) {
        depth[u] = d + 1;
        queue[tail++] = u;
      }
      // Every shortest route to u goes through a node one step nearer.
      if (depth[u] === d + 1) routes[u] = Math.min(Number.MAX_SAFE_INTEGER, routes[u]! + routes[v]!);
    }
  }
  // Which reach it with no conditional edge at all (any length).
  const firm = new Uint8Array(n);
  firm[from] = 1;
  head = 0;
  tail = 0;
  queue[tail++] = from;
  while (head < tail) {
    const v = queue[head++]!;
    for (let i = rev.offsets[v]!; i < rev.offsets[v + 1]!; i++) {
      const e = rev.edges[i]!;
      if ((mask && !mask[e]) || (index.d.edgeFlags[e]! & CONDITIONAL) !== 0) continue;
      const u = rev.sources[i]!;
      if (firm[u] || depth[u] === 0) continue;
      firm[u] = 1;
      queue[tail++] = u;
    }
  }
  return { depth, routes, firm };
}
