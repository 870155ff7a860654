// Keys rotated: the same holder had an active credential before that is gone or inactive after, and has an active
// credential after that it did not have (or had inactive) before. Holders are read from AUTHENTICATES_AS edges.
import type { GraphIndex } from '../index/graph-index.js';
import type { Alignment } from './align.js';

export interface Rotation {
  holder: number;
  retired: { g: number; how: 'removed' | 'deactivated' }[];
  introduced: number[];
}

/** holder → active credentials (global ids) on one side. */
function activeByHolder(ix: GraphIndex, gOf: (v: number) => number, active: Map<string, boolean>, isCredential: (g: number) => boolean): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  if (ix.authKind < 0) return out;
  const { offsets, targets, edgeKind } = ix.d;
  for (let v = 0; v < ix.n; v++) {
    const g = gOf(v);
    if (!isCredential(g) || ix.d.nodeKind[v] === 0 || active.get(ix.id(v)) === false) continue;
    for (let e = offsets[v]!; e < offsets[v + 1]!; e++) {
      if (edgeKind[e] !== ix.authKind) continue;
      const h = gOf(targets[e]!);
      let set = out.get(h);
      if (!set) out.set(h, (set = new Set()));
      set.add(g);
    }
  }
  return out;
}

export function keyRotations(al: Alignment, activeA: Map<string, boolean>, activeB: Map<string, boolean>, isCredential: (g: number) => boolean): Rotation[] {
  const before = activeByHolder(al.a, (v) => v, activeA, isCredential);
  const after = activeByHolder(al.b, (v) => al.gOfB[v]!, activeB, isCredential);
  const out: Rotation[] = [];
  for (const [holder, had] of before) {
    const has = after.get(holder);
    if (!has) continue;
    const retired: Rotation['retired'] = [];
    for (const g of had) {
      if (has.has(g)) continue;
      const vb = al.bOfG[g]!;
      retired.push({ g, how: vb >= 0 && al.b.d.nodeKind[vb] !== 0 && activeB.get(al.b.id(vb)) === false ? 'deactivated' : 'removed' });
    }
    const introduced = [...has].filter((g) => !had.has(g));
    if (retired.length && introduced.length) out.push({ holder, retired: retired.sort((x, y) => x.g - y.g), introduced: introduced.sort((x, y) => x - y) });
  }
  return out.sort((x, y) => x.holder - y.holder);
}
