// Blast radius: a breadth-first walk over the graph index from one node. Each node is reached once, at its
// least depth, by an unconditional route when one of that depth exists. Resources keep the highest access
// level any reached identity has on them and which identity that is. Reaching the admin node of a boundary
// reaches everything inside it: once the walk is done, the boundary's identities, credentials and resources it did
// not reach are added one step past that admin node, and every resource of the boundary gets access level admin.
// They are listed, not walked further: their own edges are the admin's to use, and paths follow real edges only.
import { ACCESS_LEVELS, type AccessLevel, type NodeCategory } from '../model/kinds.js';
import { edgeMask, type TraversalFilter } from './index/filter.js';
import { CATEGORY_LIST, CONDITIONAL, type GraphIndex } from './index/graph-index.js';

export interface BlastOptions extends TraversalFilter {
  maxDepth?: number;
}

export interface BlastResult {
  origin: number;
  /** Reached node indexes in BFS order, the origin excluded. */
  reached: Int32Array;
  /**
   * Per node index: bit 0 reached, bit 1 conditional (every least-depth route needs a conditional edge), bits 2–4
   * 1 + index in ACCESS_LEVELS of the highest CAN_ACCESS level reaching it (0 = none). One byte per node keeps the
   * walk to one random read per edge, like a plain BFS. Read with conditionalOf and accessOf.
   */
  flags: Uint8Array;
  /**
   * Per node index: the CSR edge index used to reach it (-1 for the origin; meaningless when not reached). A node's
   * depth is the length of that chain (depthOf): the walk keeps no depth per node, one write less per node reached.
   */
  parentEdge: Int32Array;
  /**
   * Per node: the node whose CAN_ACCESS edge gave that level (the admin node for level admin). Empty when no node got
   * a level (allocated on first use): read it only where accessOf says there is a level.
   */
  accessVia: Int32Array;
  /** Per boundary slot: the admin node reached for that boundary, or -1. */
  adminBySlot: Int32Array;
}

export interface BoundaryTally {
  boundary: number;
  identities: number;
  resources: number;
  credentials: number;
  admin: boolean;
  /** Of those counted, how many are reached only because the boundary's admin node is. */
  viaAdmin: { identities: number; resources: number; credentials: number };
}

export interface BlastSummary {
  byCategory: Partial<Record<NodeCategory, number>>;
  byBoundary: BoundaryTally[];
  byAccessLevel: Partial<Record<AccessLevel | 'admin', number>>;
  /** Admin nodes reached, by node index (nearest first is r.reached's order). */
  admins: number[];
}

/** Access level code (index in ACCESS_LEVELS + 1 in the flags) meaning "controls it as admin of its boundary". */
export const ADMIN_LEVEL = ACCESS_LEVELS.length + 1;
/** Access levels a blast radius reports, lowest first: a reached boundary's admin node gives 'admin' over all of it. */
export const REACHED_ACCESS_LEVELS = [...ACCESS_LEVELS, 'admin'] as const;

export function blastRadius(index: GraphIndex, origin: number, opts: BlastOptions = {}): BlastResult {
  const { offsets, targets } = index.d;
  const info = index.edgeInfo;
  const n = index.n;
  const maxDepth = opts.maxDepth ?? Infinity;
  const mask = edgeMask(index, opts);
  // Zero-filled arrays only (fresh memory is already zero). The walk allocates what a plain BFS does (a byte and an
  // int per node): at ten million edges, every array more costs page faults and garbage collections.
  const flags = new Uint8Array(n);
  const parentEdge = new Int32Array(n);
  let accessVia = NOT_ALLOCATED;
  // Depth + 1 of the nodes first reached by a conditional route (allocated when one is): a later unconditional route of
  // the same depth replaces it.
  let condDepth = NOT_ALLOCATED;
  const queue = scratchQueue(index);
  let head = 0;
  let tail = 0;
  flags[origin] = REACHED;
  if (maxDepth >= 1) queue[tail++] = origin;
  // BFS order: the queue holds one level after another, so the depth of u follows from where the level ends.
  // levels[d] is where depth d starts in the queue.
  const levels = [0];
  let childDepth = 1;
  let levelEnd = tail;
  while (head < tail) {
    if (head === levelEnd) {
      childDepth++;
      levelEnd = tail;
      levels.push(head);
      if (childDepth > maxDepth) break;
    }
    const u = queue[head++]!;
    const cu = flags[u]! & COND;
    for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
      if (mask !== null && mask[e] === 0) continue;
      const v = targets[e]!;
      const ie = info[e]!;
      const c = cu | ((ie & CONDITIONAL) << 1);
      const fv = flags[v]!;
      let nf = fv;
      if (fv === 0) {
        nf = REACHED | c;
        parentEdge[v] = e;
        queue[tail++] = v;
        if (c !== 0) {
          if (condDepth === NOT_ALLOCATED) condDepth = new Int32Array(n);
          condDepth[v] = childDepth + 1;
        }
      } else if (c === 0 && (fv & COND) !== 0 && condDepth[v] === childDepth + 1) {
        // Same depth, but this route needs no condition: prefer it (v's children are not expanded yet).
        nf = fv & ~COND;
        parentEdge[v] = e;
      }
      const level = ie >> 1;
      if (level > nf >> 2) {
        nf = (nf & 3) | (level << 2);
        if (accessVia === NOT_ALLOCATED) accessVia = new Int32Array(n);
        accessVia[v] = u;
      }
      if (nf !== fv) flags[v] = nf;
    }
  }
  parentEdge[origin] = -1;
  const adminBySlot = new Int32Array(index.boundaries.length).fill(-1);
  const taken = takeBoundaries(index, queue, tail, levels, flags, parentEdge, accessVia, adminBySlot, maxDepth);
  return { origin, reached: taken.tail ? queue.slice(1, taken.tail) : new Int32Array(0), flags, parentEdge, accessVia: taken.accessVia, adminBySlot };
}

/** Stands for a per-node array not allocated yet (accessVia, condDepth): nothing has needed it. */
const NOT_ALLOCATED = new Int32Array(0);

const REACHED = 1;
const COND = 2;
/** Flag bit: reached only because the admin node of its boundary is (parentEdge is then ADMIN_PARENT). */
const VIA_ADMIN = 32;
const ADMIN_PARENT = -2;

/**
 * The boundaries whose admin node the walk reached: every identity, group, credential and resource inside is
 * appended to the queue one step past that admin node (nearest admin first, within max depth), and every
 * resource inside gets access level admin, held by the admin node.
 */
function takeBoundaries(index: GraphIndex, queue: Int32Array, walked: number, levels: number[], flags: Uint8Array, parentEdge: Int32Array, accessVia: Int32Array, adminBySlot: Int32Array, maxDepth: number): { tail: number; accessVia: Int32Array } {
  let tail = walked;
  const kindOf = index.d.nodeKind;
  const taken: number[] = [];
  // Per taken slot, the depth of its admin node (where it sits in the queue says which level it was found at).
  const adminDepth: number[] = [];
  let d = 0;
  for (let i = 0; i < tail; i++) {
    while (d + 1 < levels.length && levels[d + 1]! <= i) d++;
    const a = queue[i]!;
    if (kindOf[a] !== index.adminKind) continue;
    const slot = index.boundarySlot[a]!;
    if (slot < 0 || adminBySlot[slot]! >= 0) continue;
    adminBySlot[slot] = a;
    taken.push(slot);
    adminDepth.push(d);
  }
  if (!taken.length) return { tail, accessVia };
  if (accessVia === NOT_ALLOCATED) accessVia = new Int32Array(flags.length);
  const { offsets, members } = boundaryMembers(index);
  const { categoryCode } = index;
  const rootHeld = rootHeldNodes(index);
  for (let t = 0; t < taken.length; t++) {
    const slot = taken[t]!;
    const a = adminBySlot[slot]!;
    // Past max depth, the admin node is listed but what it controls is not.
    const full = adminDepth[t]! >= maxDepth;
    for (let i = offsets[slot]!, end = offsets[slot + 1]!; i < end; i++) {
      const v = members[i]!;
      if (a === v) continue;
      const cat = categoryCode[kindOf[v]!]!;
      if (cat !== IDENTITY && cat !== GROUP && cat !== CREDENTIAL && cat !== RESOURCE) continue;
      // An AWS account's admin does not control its root user, nor the root user's password and keys.
      if (rootHeld[v] === 1) continue;
      const fv = flags[v]!;
      if (fv === 0) {
        if (full) continue;
        flags[v] = VIA_ADMIN | REACHED | (flags[a]! & COND);
        parentEdge[v] = ADMIN_PARENT;
        queue[tail++] = v;
      }
      if (cat === RESOURCE && flags[v] !== 0) {
        flags[v] = (flags[v]! & ~ACCESS_BITS) | (ADMIN_LEVEL << 2);
        accessVia[v] = a;
      }
    }
  }
  // Listed in index order, whichever boundary brought them.
  if (taken.length > 1) queue.subarray(walked, tail).sort();
  return { tail, accessVia };
}

const ACCESS_BITS = 0b11100;
/** The root user of an AWS account and the credentials named after it (aws:password:…:root, key slots). */
const ROOT_USER = /^(aws:(password|keyslot):)?arn:aws[a-z-]*:iam::\d{12}:root(:\d)?$/;

// Built once per index and kept with it: the walk reads them for every boundary whose admin it reaches, and at ten
// million edges a scan of every node (decoding ids to test them) cost more than the walk itself.
const boundaryLists = new WeakMap<GraphIndex, { offsets: Int32Array; members: Int32Array }>();
const rootHeldLists = new WeakMap<GraphIndex, Uint8Array>();

/** The nodes of each boundary slot, in index order: members[offsets[s]] .. members[offsets[s + 1]]. */
function boundaryMembers(index: GraphIndex): { offsets: Int32Array; members: Int32Array } {
  let lists = boundaryLists.get(index);
  if (lists) return lists;
  const slots = index.boundarySlot;
  const offsets = new Int32Array(index.boundaries.length + 1);
  for (let v = 0; v < index.n; v++) if (slots[v]! >= 0) offsets[slots[v]! + 1]!++;
  for (let s = 0; s < index.boundaries.length; s++) offsets[s + 1]! += offsets[s]!;
  const fill = offsets.slice(0, -1);
  const members = new Int32Array(offsets[index.boundaries.length]!);
  for (let v = 0; v < index.n; v++) if (slots[v]! >= 0) members[fill[slots[v]!]!++] = v;
  boundaryLists.set(index, (lists = { offsets, members }));
  return lists;
}

/** 1 for the nodes an account's admin does not control (its root user and the root user's credentials). */
function rootHeldNodes(index: GraphIndex): Uint8Array {
  let held = rootHeldLists.get(index);
  if (held) return held;
  held = new Uint8Array(index.n);
  const { bytes, offsets } = index.d.ids;
  // Such an id ends in ":root" or ":root:<digit>": only those few are decoded and tested.
  const endsRoot = (end: number) => end >= 5 && bytes[end - 5] === 58 && bytes[end - 4] === 114 && bytes[end - 3] === 111 && bytes[end - 2] === 111 && bytes[end - 1] === 116;
  for (let v = 0; v < index.n; v++) {
    const end = offsets[v + 1]!;
    if ((endsRoot(end) || (end >= 2 && bytes[end - 2] === 58 && endsRoot(end - 2))) && ROOT_USER.test(index.d.ids.get(v))) held[v] = 1;
  }
  rootHeldLists.set(index, held);
  return held;
}

// The BFS queue is only read inside one call (the result keeps a copy of the reached part): one per index, reused,
// spares a walk an n-sized allocation whose release the garbage collector pays for later.
const queues = new WeakMap<GraphIndex, Int32Array>();
function scratchQueue(index: GraphIndex): Int32Array {
  let q = queues.get(index);
  if (!q || q.length < index.n) queues.set(index, (q = new Int32Array(index.n)));
  return q;
}

/** Whether every least-depth route to v needs a conditional edge. */
export function conditionalOf(r: BlastResult, v: number): boolean {
  return (r.flags[v]! & COND) !== 0;
}

/** Steps from the origin to v (the length of its route), or -1 when the walk did not reach it. */
export function depthOf(index: GraphIndex, r: BlastResult, v: number): number {
  if ((r.flags[v]! & REACHED) === 0) return -1;
  let d = 0;
  for (let x = v; x !== r.origin; x = parentOf(index, r, x)) d++;
  return d;
}

/** Index in ACCESS_LEVELS of the highest access level on v, ACCESS_LEVELS.length for admin, or -1. */
export function accessOf(r: BlastResult, v: number): number {
  return ((r.flags[v]! & ACCESS_BITS) >> 2) - 1;
}

/** The admin node through which v is reached when nothing else reaches it, or -1. */
export function viaAdminOf(index: GraphIndex, r: BlastResult, v: number): number {
  return (r.flags[v]! & VIA_ADMIN) !== 0 ? r.adminBySlot[index.boundarySlot[v]!]! : -1;
}

/** Counts per category, per boundary and per access level. An admin node stands for its whole boundary. */
export function summarize(index: GraphIndex, r: BlastResult): BlastSummary {
  const cats = CATEGORY_LIST.length;
  const catCounts = new Int32Array(cats);
  const levelCounts = new Int32Array(ADMIN_LEVEL + 1);
  // Per boundary slot: identities, resources, credentials, admin; then the same three reached through the admin.
  const tallies = new Int32Array(index.boundaries.length * 7);
  const used = new Uint8Array(index.boundaries.length);
  const admins: number[] = [];
  const { categoryCode, boundarySlot } = index;
  const kindOf = index.d.nodeKind;
  // In index order, not BFS order: the per-node tables are then read sequentially (twice as fast at 1M edges).
  const flags = r.flags;
  for (let v = 0; v < flags.length; v++) {
    if ((flags[v]! & REACHED) === 0 || v === r.origin) continue;
    const cat = categoryCode[kindOf[v]!]!;
    if (cat === 255) continue;
    catCounts[cat]!++;
    if (cat === RESOURCE) levelCounts[(flags[v]! & ACCESS_BITS) >> 2]!++;
    else if (cat === ADMIN) admins.push(v);
    const slot = boundarySlot[v]!;
    if (slot < 0) continue;
    used[slot] = 1;
    const at = slot * 7 + ((flags[v]! & VIA_ADMIN) !== 0 ? 4 : 0);
    if (cat === IDENTITY || cat === GROUP) tallies[at]!++;
    else if (cat === RESOURCE) tallies[at + 1]!++;
    else if (cat === CREDENTIAL) tallies[at + 2]!++;
    else if (cat === ADMIN) tallies[slot * 7 + 3] = 1;
  }
  const byCategory: BlastSummary['byCategory'] = {};
  CATEGORY_LIST.forEach((c, i) => {
    if (catCounts[i]) byCategory[c] = catCounts[i];
  });
  const byAccessLevel: BlastSummary['byAccessLevel'] = {};
  ACCESS_LEVELS.forEach((level, i) => {
    if (levelCounts[i + 1]) byAccessLevel[level] = levelCounts[i + 1];
  });
  if (levelCounts[ADMIN_LEVEL]) byAccessLevel.admin = levelCounts[ADMIN_LEVEL];
  const byBoundary: BoundaryTally[] = [];
  for (let slot = 0; slot < used.length; slot++) {
    if (!used[slot]) continue;
    const t = (i: number) => tallies[slot * 7 + i]!;
    byBoundary.push({
      boundary: index.boundaries[slot]!,
      identities: t(0) + t(4),
      resources: t(1) + t(5),
      credentials: t(2) + t(6),
      admin: t(3) === 1,
      viaAdmin: { identities: t(4), resources: t(5), credentials: t(6) },
    });
  }
  return { byCategory, byBoundary, byAccessLevel, admins };
}

const [IDENTITY, GROUP, RESOURCE, CREDENTIAL, ADMIN] = (['identity', 'group', 'resource', 'credential', 'admin'] as const).map((c) => CATEGORY_LIST.indexOf(c));

/**
 * The node a reached node was reached from (its parent edge's source; not stored, to keep the walk lean), or the
 * admin node of its boundary for a node reached through it.
 */
export function parentOf(index: GraphIndex, r: BlastResult, v: number): number {
  const e = r.parentEdge[v]!;
  return e === ADMIN_PARENT ? r.adminBySlot[index.boundarySlot[v]!]! : index.sourceOf(e);
}

/** Node indexes from the origin to v along the route the walk used. */
export function routeTo(index: GraphIndex, r: BlastResult, v: number): number[] {
  const out: number[] = [];
  for (let x = v; x !== r.origin; x = parentOf(index, r, x)) out.push(x);
  out.push(r.origin);
  return out.reverse();
}
