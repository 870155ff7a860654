// Privilege tiers of every node at once: walks back over in-edges from what is worth having (admin nodes, high-value
// nodes, write or read grants), so a whole inventory costs a few linear passes instead of a blast radius per identity.
import { ACCESS_LEVELS } from '../model/kinds.js';
import { edgeMask, type TraversalFilter } from './index/filter.js';
import type { GraphIndex } from './index/graph-index.js';

export const UNREACHED = 0x3fffffff;

export interface BackReach {
  /** Fewest steps from the node to a seed's target, UNREACHED when none. */
  steps: Int32Array;
  /** The target reached that way (node index), -1 when none. */
  root: Int32Array;
}

interface Seed {
  node: number;
  root: number;
  steps: number;
}

/** Multi-source breadth-first walk over in-edges; seeds must share one step count. */
export function reachBack(index: GraphIndex, seeds: Iterable<Seed>, follow: (e: number) => boolean): BackReach {
  const { offsets, sources, edges } = index.reverse();
  const steps = new Int32Array(index.n).fill(UNREACHED);
  const root = new Int32Array(index.n).fill(-1);
  const queue = new Int32Array(index.n);
  let tail = 0;
  for (const s of seeds) {
    if (steps[s.node] !== UNREACHED) continue;
    steps[s.node] = s.steps;
    root[s.node] = s.root;
    queue[tail++] = s.node;
  }
  for (let head = 0; head < tail; head++) {
    const v = queue[head]!;
    const next = steps[v]! + 1;
    for (let k = offsets[v]!; k < offsets[v + 1]!; k++) {
      if (!follow(edges[k]!)) continue;
      const u = sources[k]!;
      if (steps[u] !== UNREACHED) continue;
      steps[u] = next;
      root[u] = root[v]!;
      queue[tail++] = u;
    }
  }
  return { steps, root };
}

export interface Tiers {
  /** ADMIN_OF a boundary, directly or through (nested) group membership. */
  admin: BackReach;
  /** Can reach an admin node or a node marked high value over any traversable route. */
  crown: BackReach;
  /** Can reach a Tagging, Write or Permissions-management grant (the root is the resource). */
  write: BackReach;
  /** Can reach a List or Read grant. */
  read: BackReach;
}

const WRITE_FROM = ACCESS_LEVELS.indexOf('Tagging');

/** Who holds ADMIN_OF a boundary, directly or through (nested) group membership, over the usable edges. */
export function adminTier(index: GraphIndex, usable: (e: number) => boolean = () => true): BackReach {
  const adminOf = index.d.edgeKinds.indexOf('ADMIN_OF');
  const memberOf = index.d.edgeKinds.indexOf('MEMBER_OF');
  return reachBack(
    index,
    index.adminNodes().map((v) => ({ node: v, root: v, steps: 0 })),
    (e) => usable(e) && (index.d.edgeKind[e] === adminOf || index.d.edgeKind[e] === memberOf),
  );
}

export function computeTiers(index: GraphIndex, highValue: readonly number[], filter: TraversalFilter = {}): Tiers {
  const mask = edgeMask(index, filter);
  const usable = mask === null ? () => true : (e: number) => mask[e] === 1;
  const admins = index.adminNodes();
  const admin = adminTier(index, usable);
  const crown = reachBack(index, [...admins, ...highValue].map((v) => ({ node: v, root: v, steps: 0 })), usable);
  const grants = (write: boolean): Seed[] => {
    const out: Seed[] = [];
    const { offsets, targets, access } = index.d;
    for (let u = 0; u < index.n; u++) {
      for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
        const level = access[e]!;
        if (level < 0 || !usable(e) || (level >= WRITE_FROM) !== write) continue;
        out.push({ node: u, root: targets[e]!, steps: 1 });
      }
    }
    return out;
  };
  return { admin, crown, write: reachBack(index, grants(true), usable), read: reachBack(index, grants(false), usable) };
}
