// Which origins gained or lost a way to each target (admin nodes, high-value nodes). Instead of a walk from every
// credential on both sides (tens of thousands of walks), which targets each node reaches is computed for every node at
// once (scc.ts), on both sides, with all edges and with unconditional edges only; the pairs whose status differs are
// the paths that appeared, disappeared or changed condition.
import type { GraphIndex } from '../index/graph-index.js';
import type { Alignment } from './align.js';
import { components, reachMasks } from './scc.js';

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
  /** Fewest steps on each side, -1 when unknown (see diffReach). */
  stepsBefore: Int32Array;
  stepsAfter: Int32Array;
  /**
   * For a credential that is new: the global id of a holder that already reached the target before (a new key of an
   * identity that had the path is not a new way in), else -1.
   */
  inheritedFrom: Int32Array;
}

/**
 * For each target (global ids), the origins whose reach changed. `isOrigin` says which global ids count as
 * origins (credentials and identities); targets are never their own origin. Targets go 32 at a time: per side,
 * the components over all edges and over unconditional edges, then one pass each that gives every node the bits of
 * the targets it reaches. Steps are not counted here (-1): the presenter takes them from the paths it renders.
 */
export function diffReach(al: Alignment, targets: readonly number[], isOrigin: (g: number) => boolean, holdersOf: (g: number) => readonly number[] = () => []): ReachChanges {
  const out = { origin: [] as number[], target: [] as number[], before: [] as number[], after: [] as number[], inheritedFrom: [] as number[] };
  if (targets.length) {
    const { a, b } = al;
    const allA = components(a, false);
    const uncA = components(a, true);
    const allB = components(b, false);
    const uncB = components(b, true);
    const status = (all: number, unc: number, bit: number) => ((all & bit) === 0 ? NONE : (unc & bit) !== 0 ? UNCONDITIONAL : CONDITIONAL_ONLY);
    for (let first = 0; first < targets.length; first += 32) {
      const chunk = targets.slice(first, first + 32);
      const bitOf = new Map(chunk.map((t, i) => [t, (1 << i) >>> 0]));
      const seedsA = chunk.filter((t) => t < a.n).map((t) => ({ node: t, bit: bitOf.get(t)! }));
      const seedsB = chunk.filter((t) => al.bOfG[t]! >= 0).map((t) => ({ node: al.bOfG[t]!, bit: bitOf.get(t)! }));
      const mAll = reachMasks(a, allA, seedsA);
      const mUnc = reachMasks(a, uncA, seedsA);
      const nAll = reachMasks(b, allB, seedsB);
      const nUnc = reachMasks(b, uncB, seedsB);
      const maskA = (g: number) => (g < a.n ? mAll[allA.comp[g]!]! : 0);
      for (let g = 0; g < al.n; g++) {
        if (!isOrigin(g)) continue;
        const vb = al.bOfG[g]!;
        const ra = maskA(g);
        const ua = g < a.n ? mUnc[uncA.comp[g]!]! : 0;
        const rb = vb >= 0 ? nAll[allB.comp[vb]!]! : 0;
        const ub = vb >= 0 ? nUnc[uncB.comp[vb]!]! : 0;
        let diff = ((ra ^ rb) | (ua ^ ub)) & ~(bitOf.get(g) ?? 0);
        while (diff !== 0) {
          const bit = (diff & -diff) >>> 0;
          diff = (diff & ~bit) >>> 0;
          const sa = status(ra, ua, bit);
          const sb = status(rb, ub, bit);
          if (sa === sb) continue;
          const had = sa === NONE && g >= a.n ? holdersOf(g).find((h) => (maskA(h) & bit) !== 0) : undefined;
          out.origin.push(g);
          out.target.push(chunk[31 - Math.clz32(bit)]!);
          out.before.push(sa);
          out.after.push(sb);
          out.inheritedFrom.push(had ?? -1);
        }
      }
    }
  }
  const none = new Int32Array(out.origin.length).fill(-1);
  return {
    length: out.origin.length,
    origin: Int32Array.from(out.origin),
    target: Int32Array.from(out.target),
    before: Uint8Array.from(out.before),
    after: Uint8Array.from(out.after),
    stepsBefore: none,
    stepsAfter: none.slice(),
    inheritedFrom: Int32Array.from(out.inheritedFrom),
  };
}

/** Every node reachable from any of the seeds (the seeds included), on one side. */
export function reachableFrom(ix: GraphIndex, seeds: Iterable<number>): Uint8Array {
  const mark = new Uint8Array(ix.n);
  const queue = new Int32Array(ix.n);
  let tail = 0;
  for (const s of seeds) {
    if (s < 0 || mark[s]) continue;
    mark[s] = 1;
    queue[tail++] = s;
  }
  const { offsets, targets } = ix.d;
  for (let head = 0; head < tail; head++) {
    const v = queue[head]!;
    for (let e = offsets[v]!, end = offsets[v + 1]!; e < end; e++) {
      const w = targets[e]!;
      if (mark[w]) continue;
      mark[w] = 1;
      queue[tail++] = w;
    }
  }
  return mark;
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
