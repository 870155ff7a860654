// Which of up to 32 targets each node can reach, for every node at once: strongly connected components (iterative
// Tarjan, which numbers components sinks first), then one pass over the components in that order OR-ing each
// successor component's target bits. A few linear passes replace one backward walk per target.
import { CONDITIONAL, type GraphIndex } from '../index/graph-index.js';

export interface Components {
  /** Component of each node; components are numbered so that every successor component has a smaller number. */
  comp: Int32Array;
  count: number;
  /** Nodes grouped by component: order[start[c]..start[c+1]) are the nodes of component c. */
  order: Int32Array;
  start: Int32Array;
  unconditionalOnly: boolean;
}

/** Components over every edge, or over unconditional edges only. */
export function components(ix: GraphIndex, unconditionalOnly: boolean): Components {
  const n = ix.n;
  const { offsets, targets, edgeFlags } = ix.d;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n);
  const stack = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const calls = new Int32Array(n);
  const next = new Int32Array(n);
  let sp = 0;
  let counter = 0;
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (index[s] !== -1) continue;
    let cp = 0;
    calls[cp] = s;
    next[cp++] = offsets[s]!;
    index[s] = low[s] = counter++;
    stack[sp++] = s;
    onStack[s] = 1;
    while (cp > 0) {
      const v = calls[cp - 1]!;
      let e = next[cp - 1]!;
      const end = offsets[v + 1]!;
      let descended = false;
      while (e < end) {
        if (unconditionalOnly && (edgeFlags[e]! & CONDITIONAL) !== 0) {
          e++;
          continue;
        }
        const w = targets[e++]!;
        if (index[w] === -1) {
          next[cp - 1] = e;
          calls[cp] = w;
          next[cp++] = offsets[w]!;
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          descended = true;
          break;
        }
        if (onStack[w] && index[w]! < low[v]!) low[v] = index[w]!;
      }
      if (descended) continue;
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack[--sp]!;
          onStack[w] = 0;
          comp[w] = count;
        } while (w !== v);
        count++;
      }
      cp--;
      if (cp > 0) {
        const u = calls[cp - 1]!;
        if (low[v]! < low[u]!) low[u] = low[v]!;
      }
    }
  }
  const start = new Int32Array(count + 1);
  for (let v = 0; v < n; v++) start[comp[v]! + 1]!++;
  for (let c = 0; c < count; c++) start[c + 1]! += start[c]!;
  const cursor = start.slice(0, count);
  const order = new Int32Array(n);
  for (let v = 0; v < n; v++) order[cursor[comp[v]!]!++] = v;
  return { comp, count, order, start, unconditionalOnly };
}

/**
 * Per component, the bits of the targets reachable from it: `seeds` gives each target node its bit (up to 32).
 * A node reaches a target when its component's mask has the target's bit.
 */
export function reachMasks(ix: GraphIndex, c: Components, seeds: readonly { node: number; bit: number }[]): Uint32Array {
  const { offsets, targets, edgeFlags } = ix.d;
  const { comp, order, start, count, unconditionalOnly } = c;
  const mask = new Uint32Array(count);
  for (const s of seeds) mask[comp[s.node]!]! |= s.bit;
  for (let k = 0; k < count; k++) {
    let m = mask[k]!;
    for (let i = start[k]!, iEnd = start[k + 1]!; i < iEnd; i++) {
      const v = order[i]!;
      for (let e = offsets[v]!, end = offsets[v + 1]!; e < end; e++) {
        if (unconditionalOnly && (edgeFlags[e]! & CONDITIONAL) !== 0) continue;
        const ck = comp[targets[e]!]!;
        if (ck !== k) m |= mask[ck]!;
      }
    }
    mask[k] = m >>> 0;
  }
  return mask;
}
