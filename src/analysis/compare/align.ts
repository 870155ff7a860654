// Two graph indexes on one id space. Nodes are matched by canonical id: node v of A is global id v; a node of B is
// A's index of its id, or a fresh global id after A's. Edge kinds are matched by name (two indexes built by
// different versions may number them differently).
import type { GraphIndex } from '../index/graph-index.js';

export interface Alignment {
  a: GraphIndex;
  b: GraphIndex;
  /** Global ids: 0..n-1. */
  n: number;
  /** Global id of each B node. */
  gOfB: Int32Array;
  /** B node of each global id, or -1. A's node of global id g is g itself when g < a.n. */
  bOfG: Int32Array;
  /** Edge kind names on the shared numbering, and each index's codes mapped onto it. */
  kinds: string[];
  kindOfA: Uint8Array;
  kindOfB: Uint8Array;
}

export function align(a: GraphIndex, b: GraphIndex): Alignment {
  const gOfB = new Int32Array(b.n);
  let next = a.n;
  for (let v = 0; v < b.n; v++) {
    const g = a.indexOf(b.id(v));
    gOfB[v] = g >= 0 ? g : next++;
  }
  const bOfG = new Int32Array(next).fill(-1);
  for (let v = 0; v < b.n; v++) bOfG[gOfB[v]!] = v;
  const kinds = [...new Set([...a.d.edgeKinds, ...b.d.edgeKinds])];
  const code = new Map(kinds.map((k, i) => [k, i]));
  return {
    a,
    b,
    n: next,
    gOfB,
    bOfG,
    kinds,
    kindOfA: Uint8Array.from(a.d.edgeKinds, (k) => code.get(k)!),
    kindOfB: Uint8Array.from(b.d.edgeKinds, (k) => code.get(k)!),
  };
}

/** The id of a global node (from whichever side has it). */
export function idOf(al: Alignment, g: number): string {
  return g < al.a.n ? al.a.id(g) : al.b.id(al.bOfG[g]!);
}

/** Whether a node is described on a side: it has a node row of a known kind and is not a stub. */
export function described(ix: GraphIndex, v: number): boolean {
  return v >= 0 && ix.d.nodeKind[v] !== 0 && ix.d.stub[v] === 0;
}

/** Whether a node exists on a side at all (a row, stub or not). */
export function present(ix: GraphIndex, v: number): boolean {
  return v >= 0 && ix.d.nodeKind[v] !== 0;
}
