// The graph index: compressed sparse rows (CSR) over traversable edges, in typed arrays. Nodes are addressed by
// the case's node numbers (node_ids.nid), so building it needs no map of strings; ids and names are kept as
// string tables and decoded one at a time. Edge props stay in the case and are read only when a path or cut is
// rendered.
import { ACCESS_LEVELS, EDGE_KINDS, NODE_CATEGORIES, NODE_KINDS, type EdgeKind, type NodeCategory, type NodeKind } from '../../model/kinds.js';
import type { CaseStore } from '../../store/case-store.js';
import { StringTableBuilder, type StringTable } from './strings.js';

export const CATEGORY_LIST = Object.keys(NODE_CATEGORIES) as NodeCategory[];

/** Edge flag bits. */
export const CONDITIONAL = 1;

/** Kind code of an id that edges name but no node row describes. */
export const UNKNOWN_KIND = 0;

export interface GraphIndexData {
  /** Node kinds by code; code 0 is '' (an id with no node row). */
  nodeKinds: string[];
  /** Edge kinds by code. */
  edgeKinds: string[];
  /** Node v is the case's node number v (0 and numbers no longer named are empty, of kind 0). */
  ids: StringTable;
  names: StringTable;
  nodeKind: Uint8Array;
  /** Node index of the node's boundary, or -1. */
  boundary: Int32Array;
  stub: Uint8Array;
  /** offsets[v]..offsets[v+1] are v's out-edges. */
  offsets: Int32Array;
  targets: Int32Array;
  /** The edge's row id in the case, to load its props and evidence when rendered. */
  edgeId: Uint32Array;
  edgeKind: Uint8Array;
  edgeFlags: Uint8Array;
  /** CAN_ACCESS edges: index in ACCESS_LEVELS; -1 otherwise. */
  access: Int8Array;
  /**
   * Observed times, for the few edges that have them: CSR edge indexes in increasing order, and for each the epoch
   * seconds of first and last sighting (first rounded down, last up; 0 when not stated).
   */
  timed: Int32Array;
  timedFirst: Uint32Array;
  timedLast: Uint32Array;
}

export class GraphIndex {
  readonly n: number;
  readonly m: number;
  private idMap: Map<string, number> | undefined;
  private readonly categoryOfCode: (NodeCategory | undefined)[];
  readonly adminKind: number;
  readonly observedKind: number;
  readonly authKind: number;
  readonly exposesKind: number;
  readonly accessKind: number;

  /** Category of each node kind code, as an index in CATEGORY_LIST (255 = unknown). */
  readonly categoryCode: Uint8Array;
  /** Distinct boundary node indexes, and for each node the slot of its boundary in that list (-1 = none). */
  readonly boundaries: number[];
  readonly boundarySlot: Int32Array;

  /** Per edge, what a walk reads in one byte: bit 0 conditional, bits 1–3 access level + 1 (0 = none). */
  readonly edgeInfo: Uint8Array;

  /** How an id becomes a node index without a map of every id (the case's own lookup), when the index has one. */
  resolver: ((id: string) => number | undefined) | undefined;
  /** The graph version of the case it was built from (CaseStore.graphStamp), when known. */
  stamp: string | undefined;

  constructor(readonly d: GraphIndexData) {
    this.n = d.nodeKind.length;
    this.m = d.targets.length;
    this.edgeInfo = new Uint8Array(this.m);
    for (let e = 0; e < this.m; e++) this.edgeInfo[e] = (d.edgeFlags[e]! & CONDITIONAL) | ((d.access[e]! + 1) << 1);
    this.categoryOfCode = d.nodeKinds.map((k) => (k in NODE_KINDS ? NODE_KINDS[k as NodeKind].category : undefined));
    this.categoryCode = Uint8Array.from(this.categoryOfCode, (c) => (c ? CATEGORY_LIST.indexOf(c) : 255));
    const slots = new Map<number, number>();
    this.boundaries = [];
    this.boundarySlot = new Int32Array(this.n);
    for (let v = 0; v < this.n; v++) {
      const b = d.boundary[v]!;
      if (b < 0) {
        this.boundarySlot[v] = -1;
        continue;
      }
      let slot = slots.get(b);
      if (slot === undefined) {
        slot = this.boundaries.length;
        slots.set(b, slot);
        this.boundaries.push(b);
      }
      this.boundarySlot[v] = slot;
    }
    this.adminKind = d.nodeKinds.indexOf('admin');
    this.observedKind = d.edgeKinds.indexOf('OBSERVED_USE');
    this.authKind = d.edgeKinds.indexOf('AUTHENTICATES_AS');
    this.exposesKind = d.edgeKinds.indexOf('EXPOSES');
    this.accessKind = d.edgeKinds.indexOf('CAN_ACCESS');
  }

  /** Node index of an id, or -1: the case's lookup when there is one, else a map built on first use. */
  indexOf(id: string): number {
    if (this.resolver) {
      const v = this.resolver(id);
      return v !== undefined && v < this.n && this.d.ids.get(v) === id ? v : -1;
    }
    if (!this.idMap) {
      this.idMap = new Map();
      let i = 0;
      for (const s of this.d.ids) {
        if (s) this.idMap.set(s, i);
        i++;
      }
    }
    return this.idMap.get(id) ?? -1;
  }

  id(v: number): string {
    return this.d.ids.get(v);
  }

  name(v: number): string {
    return this.d.names.get(v);
  }

  private times: { first: Uint32Array; last: Uint32Array } | undefined;

  /** Observed times per CSR edge (0 when none), spread out from the sparse lists on first use. */
  observedTimes(): { first: Uint32Array; last: Uint32Array } {
    if (!this.times) {
      const first = new Uint32Array(this.m);
      const last = new Uint32Array(this.m);
      const { timed, timedFirst, timedLast } = this.d;
      for (let i = 0; i < timed.length; i++) {
        first[timed[i]!] = timedFirst[i]!;
        last[timed[i]!] = timedLast[i]!;
      }
      this.times = { first, last };
    }
    return this.times;
  }

  kindOf(v: number): NodeKind | undefined {
    const k = this.d.nodeKinds[this.d.nodeKind[v]!];
    return k && k in NODE_KINDS ? (k as NodeKind) : undefined;
  }

  categoryOf(v: number): NodeCategory | undefined {
    return this.categoryOfCode[this.d.nodeKind[v]!];
  }

  edgeKindOf(e: number): EdgeKind {
    return this.d.edgeKinds[this.d.edgeKind[e]!] as EdgeKind;
  }

  isConditional(e: number): boolean {
    return (this.d.edgeFlags[e]! & CONDITIONAL) !== 0;
  }

  /** The node an edge leaves (binary search over the offsets; only used when rendering). */
  sourceOf(e: number): number {
    const off = this.d.offsets;
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (off[mid]! <= e) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private rev: { offsets: Int32Array; sources: Int32Array; edges: Int32Array } | undefined;

  /** In-edges as CSR (built on first use): for each node, the nodes and CSR edge indexes that point at it. */
  reverse(): { offsets: Int32Array; sources: Int32Array; edges: Int32Array } {
    if (this.rev) return this.rev;
    const { offsets, targets } = this.d;
    const inOffsets = new Int32Array(this.n + 1);
    for (let e = 0; e < this.m; e++) inOffsets[targets[e]! + 1]!++;
    for (let v = 0; v < this.n; v++) inOffsets[v + 1]! += inOffsets[v]!;
    const cursor = inOffsets.slice(0, this.n);
    const sources = new Int32Array(this.m);
    const edges = new Int32Array(this.m);
    for (let u = 0; u < this.n; u++) {
      for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
        const at = cursor[targets[e]!]!++;
        sources[at] = u;
        edges[at] = e;
      }
    }
    return (this.rev = { offsets: inOffsets, sources, edges });
  }

  /** Node indexes of every admin node. */
  adminNodes(): number[] {
    const out: number[] = [];
    for (let v = 0; v < this.n; v++) if (this.d.nodeKind[v] === this.adminKind) out.push(v);
    return out;
  }
}

function epochSeconds(iso: string | null, round: (x: number) => number): number {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(ms) || ms <= 0 ? 0 : round(ms / 1000);
}

/**
 * Builds the index from the case: one pass over the node numbers, one over the node rows, one over the traversable
 * edges in row order, then a counting sort by source. Everything but the string tables is numbers.
 */
export function buildGraphIndex(store: CaseStore): GraphIndex {
  const nodeKinds = ['', ...Object.keys(NODE_KINDS)];
  const edgeKinds = (Object.keys(EDGE_KINDS) as EdgeKind[]).filter((k) => EDGE_KINDS[k].traversable);
  const nodeKindCode = new Map(nodeKinds.map((k, i) => [k, i]));
  const edgeKindCode = new Map<string, number>(edgeKinds.map((k, i) => [k, i]));

  const n = store.maxNodeNumber() + 1;
  const ids = new StringTableBuilder(n);
  for (const [nid, id] of store.nodeNumbers()) ids.set(nid, id);
  const names = new StringTableBuilder(n);
  const nodeKind = new Uint8Array(n);
  const stub = new Uint8Array(n).fill(1);
  const boundary = new Int32Array(n).fill(-1);
  // Few distinct boundaries: each looked up once, through the aliases (a GCP project named by its number in one
  // export and by its id in another is one boundary).
  const boundaryOf = new Map<string, number>();
  for (const [nid, kind, name, b, isStub] of store.graphNodes()) {
    names.set(nid, name);
    nodeKind[nid] = nodeKindCode.get(kind) ?? UNKNOWN_KIND;
    stub[nid] = isStub;
    if (b !== null) {
      let bv = boundaryOf.get(b);
      if (bv === undefined) boundaryOf.set(b, (bv = store.nodeNumber(store.canonical(b)) ?? -1));
      boundary[nid] = bv;
    }
  }

  // Aliases in effect, by number: an edge stated about an alias belongs to its canonical node.
  const alias = new Map<number, number>();
  for (const [from, to] of store.aliases()) {
    const a = store.nodeNumber(from);
    const c = store.nodeNumber(to);
    if (a !== undefined && c !== undefined) alias.set(a, c);
  }
  const viaAlias = alias.size > 0;

  // Sized from the case's edge count (an upper bound for the traversable ones), grown if need be.
  let capacity = Math.max(1024, store.edgeCount());
  let src = new Int32Array(capacity);
  let dst = new Int32Array(capacity);
  let rowIds = new Uint32Array(capacity);
  let kinds = new Uint8Array(capacity);
  let flags = new Uint8Array(capacity);
  let access = new Int8Array(capacity);
  const grow = <T extends Int32Array | Uint32Array | Uint8Array | Int8Array>(a: T, make: (k: number) => T): T => {
    const next = make(capacity);
    next.set(a);
    return next;
  };
  const timedRows: number[] = [];
  const timedFirst: number[] = [];
  const timedLast: number[] = [];
  const kindOfCode: number[] = [];
  let m = 0;
  for (const [id, s, t, code, conditional, firstSeen, lastSeen, level] of store.graphEdges()) {
    let k = kindOfCode[code];
    if (k === undefined) kindOfCode[code] = k = edgeKindCode.get(store.edgeKindOfCode(code)) ?? 0;
    if (m === capacity) {
      capacity *= 2;
      src = grow(src, (k) => new Int32Array(k));
      dst = grow(dst, (k) => new Int32Array(k));
      rowIds = grow(rowIds, (k) => new Uint32Array(k));
      kinds = grow(kinds, (k) => new Uint8Array(k));
      flags = grow(flags, (k) => new Uint8Array(k));
      access = grow(access, (k) => new Int8Array(k));
    }
    src[m] = viaAlias ? (alias.get(s) ?? s) : s;
    dst[m] = viaAlias ? (alias.get(t) ?? t) : t;
    rowIds[m] = id;
    kinds[m] = k;
    flags[m] = conditional ? CONDITIONAL : 0;
    access[m] = level ? ACCESS_LEVELS.indexOf(level as (typeof ACCESS_LEVELS)[number]) : -1;
    if (firstSeen !== null || lastSeen !== null) {
      timedRows.push(m);
      timedFirst.push(epochSeconds(firstSeen, Math.floor));
      timedLast.push(epochSeconds(lastSeen, Math.ceil));
    }
    m++;
  }

  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < m; i++) offsets[src[i]! + 1]!++;
  for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
  const cursor = offsets.slice(0, n);
  const d: GraphIndexData = {
    nodeKinds,
    edgeKinds,
    ids: ids.build(),
    names: names.build(),
    nodeKind,
    boundary,
    stub,
    offsets,
    targets: new Int32Array(m),
    edgeId: new Uint32Array(m),
    edgeKind: new Uint8Array(m),
    edgeFlags: new Uint8Array(m),
    access: new Int8Array(m),
    timed: new Int32Array(timedRows.length),
    timedFirst: Uint32Array.from(timedFirst),
    timedLast: Uint32Array.from(timedLast),
  };
  // Rows arrive in id order, so each node's edges stay in id order: results are stable across rebuilds.
  const position = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const at = cursor[src[i]!]!++;
    position[i] = at;
    d.targets[at] = dst[i]!;
    d.edgeId[at] = rowIds[i]!;
    d.edgeKind[at] = kinds[i]!;
    d.edgeFlags[at] = flags[i]!;
    d.access[at] = access[i]!;
  }
  // Timed edges in CSR order.
  const order = timedRows.map((_, i) => i).sort((a, b) => position[timedRows[a]!]! - position[timedRows[b]!]!);
  order.forEach((i, j) => {
    d.timed[j] = position[timedRows[i]!]!;
    d.timedFirst[j] = timedFirst[i]!;
    d.timedLast[j] = timedLast[i]!;
  });
  const index = new GraphIndex(d);
  index.resolver = (id) => store.nodeNumber(id);
  return index;
}
