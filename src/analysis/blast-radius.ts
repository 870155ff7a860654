// Blast radius: a breadth-first walk over the graph index from one node. Each node is reached once, at its
// least depth, by an unconditional route when one of that depth exists. Resources keep the highest access
// level any reached identity has on them and which identity that is.
import { ACCESS_LEVELS, type AccessLevel, type NodeCategory } from '../model/kinds.js';
import { edgeMask, type TraversalFilter } from './index/filter.js';
import { CONDITIONAL, type GraphIndex } from './index/graph-index.js';

export interface BlastOptions extends TraversalFilter {
  maxDepth?: number;
}

export interface BlastResult {
  origin: number;
  /** Reached node indexes in BFS order, the origin excluded. */
  reached: Int32Array;
  /** Per node index: depth, or -1 when not reached. */
  depth: Int32Array;
  /** Per node index: the CSR edge index used to reach it, -1 for the origin and unreached nodes. */
  parentEdge: Int32Array;
  parentNode: Int32Array;
  /** Per node: 1 when every route of the least depth needs a conditional edge. */
  conditional: Uint8Array;
  /** Per node: index in ACCESS_LEVELS of the highest CAN_ACCESS level reaching it, -1 if none. */
  access: Int8Array;
  /** Per node: the node whose CAN_ACCESS edge gave that level. */
  accessVia: Int32Array;
}

export interface BoundaryTally {
  boundary: number;
  identities: number;
  resources: number;
  credentials: number;
  admin: boolean;
}

export interface BlastSummary {
  byCategory: Partial<Record<NodeCategory, number>>;
  byBoundary: BoundaryTally[];
  byAccessLevel: Partial<Record<AccessLevel, number>>;
  admins: number[];
}

export function blastRadius(index: GraphIndex, origin: number, opts: BlastOptions = {}): BlastResult {
  const { offsets, targets, edgeFlags, edgeKind, access: edgeAccess } = index.d;
  const n = index.n;
  const maxDepth = opts.maxDepth ?? Infinity;
  const mask = edgeMask(index, opts);
  const accessKind = index.accessKind;
  const depth = new Int32Array(n).fill(-1);
  const parentEdge = new Int32Array(n).fill(-1);
  const parentNode = new Int32Array(n).fill(-1);
  const conditional = new Uint8Array(n);
  const access = new Int8Array(n).fill(-1);
  const accessVia = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  depth[origin] = 0;
  queue[tail++] = origin;
  while (head < tail) {
    const u = queue[head++]!;
    const du = depth[u]!;
    if (du >= maxDepth) continue;
    const cu = conditional[u]!;
    for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
      if (mask !== null && mask[e] === 0) continue;
      const v = targets[e]!;
      const c = cu | (edgeFlags[e]! & CONDITIONAL);
      const dv = depth[v]!;
      if (dv === -1) {
        depth[v] = du + 1;
        parentEdge[v] = e;
        parentNode[v] = u;
        conditional[v] = c;
        queue[tail++] = v;
      } else if (dv === du + 1 && c === 0 && conditional[v] === 1) {
        // Same depth, but this route needs no condition: prefer it (v's children are not expanded yet).
        parentEdge[v] = e;
        parentNode[v] = u;
        conditional[v] = 0;
      }
      if (edgeKind[e] === accessKind) {
        const level = edgeAccess[e]!;
        if (level > access[v]!) {
          access[v] = level;
          accessVia[v] = u;
        }
      }
    }
  }
  return { origin, reached: queue.slice(1, tail), depth, parentEdge, parentNode, conditional, access, accessVia };
}

/** Counts per category, per boundary and per access level. An admin node stands for its whole boundary. */
export function summarize(index: GraphIndex, r: BlastResult): BlastSummary {
  const byCategory: BlastSummary['byCategory'] = {};
  const byAccessLevel: BlastSummary['byAccessLevel'] = {};
  const boundaries = new Map<number, BoundaryTally>();
  const admins: number[] = [];
  const boundaryOf = index.d.boundary;
  for (const v of r.reached) {
    const cat = index.categoryOf(v);
    if (!cat) continue;
    byCategory[cat] = (byCategory[cat] ?? 0) + 1;
    if (cat === 'admin') admins.push(v);
    if (cat === 'resource' && r.access[v]! >= 0) {
      const level = ACCESS_LEVELS[r.access[v]!]!;
      byAccessLevel[level] = (byAccessLevel[level] ?? 0) + 1;
    }
    const b = boundaryOf[v]!;
    if (b < 0) continue;
    let t = boundaries.get(b);
    if (!t) boundaries.set(b, (t = { boundary: b, identities: 0, resources: 0, credentials: 0, admin: false }));
    if (cat === 'identity' || cat === 'group') t.identities++;
    else if (cat === 'resource') t.resources++;
    else if (cat === 'credential') t.credentials++;
    else if (cat === 'admin') t.admin = true;
  }
  return { byCategory, byBoundary: [...boundaries.values()], byAccessLevel, admins };
}

/** Node indexes from the origin to v along the route the walk used. */
export function routeTo(r: BlastResult, v: number): number[] {
  const out: number[] = [];
  for (let x = v; x !== -1; x = r.parentNode[x]!) out.push(x);
  return out.reverse();
}
