// Traversable edges added, removed or changed between two aligned graph indexes. An edge is (from, to, kind);
// parallel edges (several sources stating one step) are one edge whose access level is the highest stated and which
// is conditional only when every copy is. Per node, both sides' out-edges are sorted by (target, kind) in a typed
// array and merged: O(m log d) with no string keys, so a million edges compare in well under a second.
import { CONDITIONAL } from '../index/graph-index.js';
import type { Alignment } from './align.js';

export const ADDED = 1;
export const REMOVED = 2;
export const CHANGED = 3;

/** Changed edges as parallel arrays (global node ids, shared kind codes, CSR edge indexes of a representative copy). */
export interface EdgeChanges {
  length: number;
  change: Uint8Array;
  src: Int32Array;
  dst: Int32Array;
  kind: Uint8Array;
  /** Access level index (ACCESS_LEVELS) on each side, -1 none. */
  accessA: Int8Array;
  accessB: Int8Array;
  /** 1 conditional, 0 not, -1 absent on that side. */
  condA: Int8Array;
  condB: Int8Array;
  /** The edge on each side (CSR index in A / B), -1 when absent. */
  eA: Int32Array;
  eB: Int32Array;
  /** Global ids whose out-edges changed (sources of the changes), each once. */
  changedSources: Int32Array;
}

const KIND_SLOTS = 64;

class Growable {
  length = 0;
  change = new Uint8Array(1024);
  src = new Int32Array(1024);
  dst = new Int32Array(1024);
  kind = new Uint8Array(1024);
  accessA = new Int8Array(1024);
  accessB = new Int8Array(1024);
  condA = new Int8Array(1024);
  condB = new Int8Array(1024);
  eA = new Int32Array(1024);
  eB = new Int32Array(1024);

  push(change: number, src: number, dst: number, kind: number, aA: number, aB: number, cA: number, cB: number, eA: number, eB: number): void {
    if (this.length === this.change.length) this.grow();
    const i = this.length++;
    this.change[i] = change;
    this.src[i] = src;
    this.dst[i] = dst;
    this.kind[i] = kind;
    this.accessA[i] = aA;
    this.accessB[i] = aB;
    this.condA[i] = cA;
    this.condB[i] = cB;
    this.eA[i] = eA;
    this.eB[i] = eB;
  }

  private grow(): void {
    const size = this.change.length * 2;
    const g = <T extends Uint8Array | Int8Array | Int32Array>(arr: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(arr);
      return next;
    };
    this.change = g(this.change, (n) => new Uint8Array(n));
    this.src = g(this.src, (n) => new Int32Array(n));
    this.dst = g(this.dst, (n) => new Int32Array(n));
    this.kind = g(this.kind, (n) => new Uint8Array(n));
    this.accessA = g(this.accessA, (n) => new Int8Array(n));
    this.accessB = g(this.accessB, (n) => new Int8Array(n));
    this.condA = g(this.condA, (n) => new Int8Array(n));
    this.condB = g(this.condB, (n) => new Int8Array(n));
    this.eA = g(this.eA, (n) => new Int32Array(n));
    this.eB = g(this.eB, (n) => new Int32Array(n));
  }
}

/** One side's out-edges of a node, grouped by (target, kind). */
interface Groups {
  count: number;
  key: Float64Array;
  access: Int8Array;
  cond: Int8Array;
  rep: Int32Array;
}

function groupsOf(size: number): Groups {
  return { count: 0, key: new Float64Array(size), access: new Int8Array(size), cond: new Int8Array(size), rep: new Int32Array(size) };
}

/**
 * Sorts one node's out-edges (CSR range [start, end)) by (global target, shared kind) and folds parallel copies.
 * `scratch` holds key * span + position, so a plain numeric sort of a typed array orders them.
 */
function collect(start: number, end: number, targets: Int32Array, kinds: Uint8Array, flags: Uint8Array, access: Int8Array, gOf: (v: number) => number, kindOf: Uint8Array, scratch: Float64Array, out: Groups): void {
  const deg = end - start;
  out.count = 0;
  if (deg === 0) return;
  let span = 1;
  while (span < deg) span *= 2;
  const s = scratch.subarray(0, deg);
  for (let i = 0; i < deg; i++) {
    const e = start + i;
    s[i] = (gOf(targets[e]!) * KIND_SLOTS + kindOf[kinds[e]!]!) * span + i;
  }
  s.sort();
  let last = -1;
  for (let i = 0; i < deg; i++) {
    const v = s[i]!;
    const key = Math.floor(v / span);
    const e = start + (v - key * span);
    const cond = (flags[e]! & CONDITIONAL) !== 0 ? 1 : 0;
    const level = access[e]!;
    if (key !== last) {
      const g = out.count++;
      out.key[g] = key;
      out.access[g] = level;
      out.cond[g] = cond;
      out.rep[g] = e;
      last = key;
      continue;
    }
    const g = out.count - 1;
    // The copy shown is the strongest: unconditional first, then the highest access level.
    const better = (cond === 0 && out.cond[g] === 1) || (cond === out.cond[g] && level > out.access[g]!);
    if (level > out.access[g]!) out.access[g] = level;
    if (cond === 0) out.cond[g] = 0;
    if (better) out.rep[g] = e;
  }
}

export function diffEdges(al: Alignment): EdgeChanges {
  const { a, b } = al;
  let maxDeg = 1;
  for (const ix of [a, b]) for (let v = 0; v < ix.n; v++) maxDeg = Math.max(maxDeg, ix.d.offsets[v + 1]! - ix.d.offsets[v]!);
  const scratch = new Float64Array(maxDeg);
  const ga = groupsOf(maxDeg);
  const gb = groupsOf(maxDeg);
  const out = new Growable();
  const sources: number[] = [];
  const idA = (v: number) => v;
  const gOfB = al.gOfB;
  const idB = (v: number) => gOfB[v]!;
  for (let g = 0; g < al.n; g++) {
    const va = g < a.n ? g : -1;
    const vb = al.bOfG[g]!;
    if (va >= 0) collect(a.d.offsets[va]!, a.d.offsets[va + 1]!, a.d.targets, a.d.edgeKind, a.d.edgeFlags, a.d.access, idA, al.kindOfA, scratch, ga);
    else ga.count = 0;
    if (vb >= 0) collect(b.d.offsets[vb]!, b.d.offsets[vb + 1]!, b.d.targets, b.d.edgeKind, b.d.edgeFlags, b.d.access, idB, al.kindOfB, scratch, gb);
    else gb.count = 0;
    if (ga.count === 0 && gb.count === 0) continue;
    const before = out.length;
    let i = 0;
    let j = 0;
    while (i < ga.count || j < gb.count) {
      const ka = i < ga.count ? ga.key[i]! : Infinity;
      const kb = j < gb.count ? gb.key[j]! : Infinity;
      if (ka < kb) {
        out.push(REMOVED, g, Math.floor(ka / KIND_SLOTS), ka % KIND_SLOTS, ga.access[i]!, -1, ga.cond[i]!, -1, ga.rep[i]!, -1);
        i++;
      } else if (kb < ka) {
        out.push(ADDED, g, Math.floor(kb / KIND_SLOTS), kb % KIND_SLOTS, -1, gb.access[j]!, -1, gb.cond[j]!, -1, gb.rep[j]!);
        j++;
      } else {
        if (ga.access[i] !== gb.access[j] || ga.cond[i] !== gb.cond[j]) out.push(CHANGED, g, Math.floor(ka / KIND_SLOTS), ka % KIND_SLOTS, ga.access[i]!, gb.access[j]!, ga.cond[i]!, gb.cond[j]!, ga.rep[i]!, gb.rep[j]!);
        i++;
        j++;
      }
    }
    if (out.length > before) sources.push(g);
  }
  const n = out.length;
  return {
    length: n,
    change: out.change.slice(0, n),
    src: out.src.slice(0, n),
    dst: out.dst.slice(0, n),
    kind: out.kind.slice(0, n),
    accessA: out.accessA.slice(0, n),
    accessB: out.accessB.slice(0, n),
    condA: out.condA.slice(0, n),
    condB: out.condB.slice(0, n),
    eA: out.eA.slice(0, n),
    eB: out.eB.slice(0, n),
    changedSources: Int32Array.from(sources),
  };
}
