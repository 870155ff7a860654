// Which origins gained or lost a way to each target (admin nodes, high-value nodes). Instead of a walk from every
// credential on both sides (tens of thousands of walks), one backward walk per target and side answers for every
// origin at once: 4 walks per target (both sides, all edges and unconditional edges only). A walk backward from a
// target also gives each origin's distance to it.
import { CONDITIONAL, type GraphIndex } from '../index/graph-index.js';
import type { Alignment } from './align.js';

export const NONE = 0;
export const CONDITIONAL_ONLY = 1;
export const UNCONDITIONAL = 2;

export interface ReachChanges {
  length: number;
  origin: Int32Array;
  target: Int32Array;
  /** NONE, CONDITIONAL_ONLY or UNCONDITIONAL on each side. */
  before: Uint8Array;
  after: Uint8Array;
  /** Fewest steps on each side, -1 when unreachable. */
  stepsBefore: Int32Array;
  stepsAfter: Int32Array;
  /**
   * For a credential that is new: the global id of a holder that already reached the target before (a new key of an
   * identity that had the path is not a new way in), else -1.
   */
  inheritedFrom: Int32Array;
}

/** Reusable backward walk over one index: visit stamps and depths, no clearing between walks. */
class BackWalk {
  readonly seen: Int32Array;
  readonly depth: Int32Array;
  readonly seenUnc: Int32Array;
  readonly list: Int32Array;
  listLength = 0;
  private readonly queue: Int32Array;
  stamp = 0;

  constructor(private readonly ix: GraphIndex) {
    this.seen = new Int32Array(ix.n);
    this.depth = new Int32Array(ix.n);
    this.seenUnc = new Int32Array(ix.n);
    this.list = new Int32Array(ix.n);
    this.queue = new Int32Array(ix.n);
  }

  /** Walks back from `from` (node index or -1) with all edges, then with unconditional edges only. */
  run(from: number): void {
    this.stamp++;
    this.listLength = 0;
    if (from < 0) return;
    const { offsets, sources, edges } = this.ix.reverse();
    const flags = this.ix.d.edgeFlags;
    const s = this.stamp;
    // All edges: the visit list and depths.
    let tail = 0;
    this.seen[from] = s;
    this.depth[from] = 0;
    this.list[tail++] = from;
    for (let head = 0; head < tail; head++) {
      const v = this.list[head]!;
      const d = this.depth[v]! + 1;
      for (let k = offsets[v]!, end = offsets[v + 1]!; k < end; k++) {
        const u = sources[k]!;
        if (this.seen[u] === s) continue;
        this.seen[u] = s;
        this.depth[u] = d;
        this.list[tail++] = u;
      }
    }
    this.listLength = tail;
    // Unconditional edges only.
    const q = this.queue;
    let qt = 0;
    this.seenUnc[from] = s;
    q[qt++] = from;
    for (let head = 0; head < qt; head++) {
      const v = q[head]!;
      for (let k = offsets[v]!, end = offsets[v + 1]!; k < end; k++) {
        if ((flags[edges[k]!]! & CONDITIONAL) !== 0) continue;
        const u = sources[k]!;
        if (this.seenUnc[u] === s) continue;
        this.seenUnc[u] = s;
        q[qt++] = u;
      }
    }
  }

  status(v: number): number {
    if (v < 0 || this.seen[v] !== this.stamp) return NONE;
    return this.seenUnc[v] === this.stamp ? UNCONDITIONAL : CONDITIONAL_ONLY;
  }

  steps(v: number): number {
    return v >= 0 && this.seen[v] === this.stamp ? this.depth[v]! : -1;
  }
}

/**
 * For each target (global ids), the origins whose reach changed. `isOrigin` says which global ids count as
 * origins (credentials and identities); targets are never their own origin.
 */
export function diffReach(al: Alignment, targets: readonly number[], isOrigin: (g: number) => boolean, holdersOf: (g: number) => readonly number[] = () => []): ReachChanges {
  const walkA = new BackWalk(al.a);
  const walkB = new BackWalk(al.b);
  const origin: number[] = [];
  const target: number[] = [];
  const before: number[] = [];
  const after: number[] = [];
  const stepsBefore: number[] = [];
  const stepsAfter: number[] = [];
  const inheritedFrom: number[] = [];
  const push = (o: number, t: number, sa: number, sb: number, da: number, db: number, from = -1) => {
    inheritedFrom.push(from);
    origin.push(o);
    target.push(t);
    before.push(sa);
    after.push(sb);
    stepsBefore.push(da);
    stepsAfter.push(db);
  };
  for (const t of targets) {
    const ta = t < al.a.n ? t : -1;
    const tb = al.bOfG[t]!;
    walkA.run(ta);
    walkB.run(tb);
    for (let i = 1; i < walkA.listLength; i++) {
      const g = walkA.list[i]!;
      if (g === t || !isOrigin(g)) continue;
      const vb = al.bOfG[g]!;
      const sa = walkA.status(g);
      const sb = walkB.status(vb);
      if (sa !== sb) push(g, t, sa, sb, walkA.steps(g), walkB.steps(vb));
    }
    for (let i = 1; i < walkB.listLength; i++) {
      const g = al.gOfB[walkB.list[i]!]!;
      if (g === t || !isOrigin(g)) continue;
      // Reached on both sides: already compared above.
      if (g < al.a.n && walkA.status(g) !== NONE) continue;
      const had = g >= al.a.n ? holdersOf(g).find((h) => h < al.a.n && walkA.status(h) !== NONE) : undefined;
      push(g, t, NONE, walkB.status(walkB.list[i]!), -1, walkB.steps(walkB.list[i]!), had ?? -1);
    }
  }
  return {
    length: origin.length,
    origin: Int32Array.from(origin),
    target: Int32Array.from(target),
    before: Uint8Array.from(before),
    after: Uint8Array.from(after),
    stepsBefore: Int32Array.from(stepsBefore),
    stepsAfter: Int32Array.from(stepsAfter),
    inheritedFrom: Int32Array.from(inheritedFrom),
  };
}

/**
 * Every node that can reach any of the seeds (the seeds included), on one side: the origins whose blast radius may
 * differ when the seeds' out-edges changed. One multi-source backward walk.
 */
export function reachersOf(ix: GraphIndex, seeds: Iterable<number>): Uint8Array {
  const mark = new Uint8Array(ix.n);
  const queue = new Int32Array(ix.n);
  let tail = 0;
  for (const s of seeds) {
    if (s < 0 || mark[s]) continue;
    mark[s] = 1;
    queue[tail++] = s;
  }
  const { offsets, sources } = ix.reverse();
  for (let head = 0; head < tail; head++) {
    const v = queue[head]!;
    for (let k = offsets[v]!, end = offsets[v + 1]!; k < end; k++) {
      const u = sources[k]!;
      if (mark[u]) continue;
      mark[u] = 1;
      queue[tail++] = u;
    }
  }
  return mark;
}
