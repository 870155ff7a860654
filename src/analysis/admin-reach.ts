// The few nearest admin nodes each node can reach, in one walk back from every admin node at once: what
// admin-crosses-boundary needs (an admin's nearest admin node is the one it holds) and what escalation-to-admin names
// beside the nearest ("it can also become …"). Admin nodes take what reaches them but are not walked past: what an
// admin node leads to is its own to say.
import type { GraphIndex } from './index/graph-index.js';
import { UNREACHED } from './tiers.js';

/**
 * Admin nodes each node keeps. An identity holding more boundaries than this, all nearer than one it does not hold,
 * is searched forward from instead (rare: an organization-wide admin).
 */
export const KEPT = 4;

/** The nearest admin nodes that can be reached from each node (up to KEPT), with the steps to each. */
export interface AdminReach {
  /** Per node, KEPT slots: an admin node index, -1 when empty; nearest first. */
  roots: Int32Array;
  steps: Int32Array;
}

/**
 * Breadth-first over in-edges from every admin node at once, a node taking each admin node that reaches it until it
 * holds KEPT of them; an admin node takes what reaches it but is not walked past.
 */
export function reachAdmins(index: GraphIndex, admins: number[], isAdmin: Uint8Array, follow: (e: number) => boolean): AdminReach {
  const { offsets, sources, edges } = index.reverse();
  const roots = new Int32Array(index.n * KEPT).fill(-1);
  const steps = new Int32Array(index.n * KEPT).fill(UNREACHED);
  // A queue of slots (node * KEPT + slot), at most KEPT per node.
  const queue = new Int32Array(index.n * KEPT);
  let tail = 0;
  for (const a of admins) {
    roots[a * KEPT] = a;
    steps[a * KEPT] = 0;
    queue[tail++] = a * KEPT;
  }
  for (let head = 0; head < tail; head++) {
    const slot = queue[head]!;
    const v = (slot / KEPT) | 0;
    const root = roots[slot]!;
    const next = steps[slot]! + 1;
    for (let k = offsets[v]!; k < offsets[v + 1]!; k++) {
      if (!follow(edges[k]!)) continue;
      const u = sources[k]!;
      const base = u * KEPT;
      let free = -1;
      for (let i = 0; i < KEPT; i++) {
        const r = roots[base + i]!;
        if (r === root) {
          free = -2;
          break;
        }
        if (r === -1) {
          free = i;
          break;
        }
      }
      if (free < 0) continue;
      roots[base + free] = root;
      steps[base + free] = next;
      if (isAdmin[u] !== 1) queue[tail++] = base + free;
    }
  }
  return { roots, steps };
}

/** A byte per node: 1 for the admin nodes given. */
export function adminMask(index: GraphIndex, admins: readonly number[]): Uint8Array {
  const mask = new Uint8Array(index.n);
  for (const a of admins) mask[a] = 1;
  return mask;
}

/** The admin nodes kept for a node. */
export function slotsOf(reach: AdminReach, v: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < KEPT; i++) if (reach.roots[v * KEPT + i] !== -1) out.push(reach.roots[v * KEPT + i]!);
  return out;
}
