// The graph index: compressed sparse rows (CSR) over traversable edges, in typed arrays. Node ids and names are
// interned once; edge props stay in the case and are read only when a path or cut is rendered.
import { ACCESS_LEVELS, EDGE_KINDS, NODE_CATEGORIES, NODE_KINDS, type EdgeKind, type NodeCategory, type NodeKind } from '../../model/kinds.js';
import type { CaseStore } from '../../store/case-store.js';

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
  ids: string[];
  names: string[];
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
  /** Observed edges: epoch seconds of first and last sighting (first rounded down, last up); 0 when not stated. */
  firstSeen: Uint32Array;
  lastSeen: Uint32Array;
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

  constructor(readonly d: GraphIndexData) {
    this.n = d.ids.length;
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

  /** Node index of an id, or -1. The id map is built on first use: opening a case does not pay for it. */
  indexOf(id: string): number {
    if (!this.idMap) {
      this.idMap = new Map();
      const ids = this.d.ids;
      for (let i = 0; i < ids.length; i++) this.idMap.set(ids[i]!, i);
    }
    return this.idMap.get(id) ?? -1;
  }

  id(v: number): string {
    return this.d.ids[v]!;
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

type Typed = Int32Array | Uint32Array | Uint8Array | Int8Array;

/** A growable typed array: building without a JS array of a million boxed numbers, sized up front when known. */
class List<T extends Typed> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (size: number) => T,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(Math.max(1024, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

function list<T extends Typed>(make: (size: number) => T, capacity: number): List<T> {
  return new List(make(capacity), make);
}

function epochSeconds(iso: string | null, round: (x: number) => number): number {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(ms) || ms <= 0 ? 0 : round(ms / 1000);
}

/** Builds the index from the case: one pass over nodes, one over traversable edges, then a counting sort by source. */
export function buildGraphIndex(store: CaseStore): GraphIndex {
  const nodeKinds = ['', ...Object.keys(NODE_KINDS)];
  const edgeKinds = Object.entries(EDGE_KINDS)
    .filter(([, spec]) => spec.traversable)
    .map(([k]) => k);
  const nodeKindCode = new Map(nodeKinds.map((k, i) => [k, i]));
  const edgeKindCode = new Map(edgeKinds.map((k, i) => [k, i]));

  const ids: string[] = [];
  const names: string[] = [];
  const kindList: number[] = [];
  const boundaryIds: (string | null)[] = [];
  const stubList: number[] = [];
  const index = new Map<string, number>();
  const intern = (id: string): number => {
    let v = index.get(id);
    if (v === undefined) {
      v = ids.length;
      index.set(id, v);
      ids.push(id);
      names.push(id);
      kindList.push(UNKNOWN_KIND);
      boundaryIds.push(null);
      stubList.push(1);
    }
    return v;
  };
  for (const [id, kind, name, boundary, stub] of store.graphNodes()) {
    const v = intern(id);
    names[v] = name;
    kindList[v] = nodeKindCode.get(kind) ?? UNKNOWN_KIND;
    boundaryIds[v] = boundary;
    stubList[v] = stub;
  }

  // Every edge row is an upper bound for the traversable ones: one allocation, no growth.
  const capacity = store.counts().edges;
  const int32 = (k: number) => new Int32Array(k);
  const uint32 = (k: number) => new Uint32Array(k);
  const uint8 = (k: number) => new Uint8Array(k);
  const src = list(int32, capacity);
  const dst = list(int32, capacity);
  const rowIds = list(uint32, capacity);
  const kinds = list(uint8, capacity);
  const flags = list(uint8, capacity);
  const access = list((k) => new Int8Array(k), capacity);
  const first = list(uint32, capacity);
  const last = list(uint32, capacity);
  for (const e of store.graphEdges()) {
    src.push(intern(e.src));
    dst.push(intern(e.dst));
    rowIds.push(e.id);
    kinds.push(edgeKindCode.get(e.kind) ?? 0);
    flags.push(e.conditional ? CONDITIONAL : 0);
    access.push(e.accessLevel ? ACCESS_LEVELS.indexOf(e.accessLevel as (typeof ACCESS_LEVELS)[number]) : -1);
    first.push(epochSeconds(e.firstSeen, Math.floor));
    last.push(epochSeconds(e.lastSeen, Math.ceil));
  }

  const n = ids.length;
  const m = src.length;
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < m; i++) offsets[src.data[i]! + 1]!++;
  for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
  const cursor = offsets.slice(0, n);
  const d: GraphIndexData = {
    nodeKinds,
    edgeKinds,
    ids,
    names,
    nodeKind: Uint8Array.from(kindList),
    boundary: Int32Array.from(boundaryIds, (b) => (b ? (index.get(b) ?? -1) : -1)),
    stub: Uint8Array.from(stubList),
    offsets,
    targets: new Int32Array(m),
    edgeId: new Uint32Array(m),
    edgeKind: new Uint8Array(m),
    edgeFlags: new Uint8Array(m),
    access: new Int8Array(m),
    firstSeen: new Uint32Array(m),
    lastSeen: new Uint32Array(m),
  };
  // Rows arrive in id order, so each node's edges stay in id order: results are stable across rebuilds.
  for (let i = 0; i < m; i++) {
    const at = cursor[src.data[i]!]!++;
    d.targets[at] = dst.data[i]!;
    d.edgeId[at] = rowIds.data[i]!;
    d.edgeKind[at] = kinds.data[i]!;
    d.edgeFlags[at] = flags.data[i]!;
    d.access[at] = access.data[i]!;
    d.firstSeen[at] = first.data[i]!;
    d.lastSeen[at] = last.data[i]!;
  }
  return new GraphIndex(d);
}
