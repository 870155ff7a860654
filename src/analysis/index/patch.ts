// The graph index after an import, from the index before it and what the import changed (the store's change log):
// node arrays copied with the changed rows written over them, each node's edges merged with the rows added (id
// order kept) less the rows removed. Typed-array work in proportion to the case, no query over it: a small import
// into a ten-million-edge case costs a fraction of a second here instead of reading every edge back.
import { ACCESS_LEVELS, EDGE_KINDS, NODE_KINDS, type EdgeKind } from '../../model/kinds.js';
import type { Journal } from '../../store/change-log.js';
import type { CaseStore } from '../../store/case-store.js';
import { buildGraphIndex, CONDITIONAL, GraphIndex, UNKNOWN_KIND, type GraphIndexData } from './graph-index.js';
import { StringTable, StringTableBuilder } from './strings.js';

/**
 * The index of the case as it is now: `prev` (the index of the case before the open transaction) patched with the
 * transaction's changes, or built afresh when the changes were too large to list or moved edges of the index before
 * between ids (aliases; an index with no edges has none to move, so a first import with aliases is patched too,
 * which spares reading ten million edges back from the case).
 */
export function updateGraphIndex(store: CaseStore, prev: GraphIndex | undefined, journal: Journal): GraphIndex {
  if (!prev || journal.edgesOverflow || (journal.aliasesChanged && prev.m > 0) || !sameKinds(prev)) return buildGraphIndex(store);
  const d = prev.d;
  const n = Math.max(prev.n, store.maxNodeNumber() + 1);
  const nodeKindCode = new Map(d.nodeKinds.map((k, i) => [k, i]));

  // Nodes: the old arrays, grown to the new numbers, with the rows written or deleted.
  const nodeKind = new Uint8Array(n);
  nodeKind.set(d.nodeKind);
  const stub = new Uint8Array(n).fill(1);
  stub.set(d.stub);
  const boundary = new Int32Array(n).fill(-1);
  boundary.set(d.boundary);
  const names = new Map<number, string>();
  const boundaryOf = new Map<string, number>();
  const setNode = (nid: number, kind: string, name: string, b: string | null, isStub: number) => {
    nodeKind[nid] = nodeKindCode.get(kind) ?? UNKNOWN_KIND;
    stub[nid] = isStub;
    names.set(nid, name);
    if (b === null) boundary[nid] = -1;
    else {
      let bv = boundaryOf.get(b);
      if (bv === undefined) boundaryOf.set(b, (bv = store.nodeNumber(store.canonical(b)) ?? -1));
      boundary[nid] = bv;
    }
  };
  if (journal.nodesOverflow) {
    for (const [nid, kind, name, b, isStub] of store.graphNodes()) setNode(nid, kind, name, b, isStub);
  } else {
    for (const [nid, state] of journal.nodes) {
      if (state) setNode(nid, state.kind, state.name, state.boundary, state.stub);
      else {
        nodeKind[nid] = UNKNOWN_KIND;
        stub[nid] = 1;
        boundary[nid] = -1;
        names.set(nid, '');
      }
    }
  }
  // The ids of the new numbers, read in slices (a row at a time costs a call into SQLite each; all at once, the
  // memory of a first import of millions).
  const newIds = new Map<number, string>();
  for (let from = prev.n; from < n; from += 16_384) for (const [nid, id] of store.nodeNumbersBetween(from, Math.min(n, from + 16_384))) newIds.set(nid, id);

  // Edges added, traversable ones only, grouped by source (a stable counting sort: ids stay increasing).
  const edgeKindCode = new Map<string, number>(d.edgeKinds.map((k, i) => [k, i]));
  const codeOf = new Map<number, number>();
  const alias = aliasMap(store);
  const cols = journal.addedColumns();
  const addedCount = new Int32Array(n + 1);
  const keep = new Uint8Array(cols.count);
  for (let i = 0; i < cols.count; i++) {
    const code = cols.kind[i]!;
    let k = codeOf.get(code);
    if (k === undefined) {
      const kind = store.edgeKindOfCode(code);
      codeOf.set(code, (k = EDGE_KINDS[kind]?.traversable ? edgeKindCode.get(kind)! : -1));
    }
    if (k < 0 || !cols.present(i)) continue;
    keep[i] = 1;
    if (alias.size) {
      cols.src[i] = alias.get(cols.src[i]!) ?? cols.src[i]!;
      cols.dst[i] = alias.get(cols.dst[i]!) ?? cols.dst[i]!;
    }
    addedCount[cols.src[i]! + 1]!++;
  }
  for (let v = 0; v < n; v++) addedCount[v + 1]! += addedCount[v]!;
  const addedTotal = addedCount[n]!;
  const order = new Int32Array(addedTotal);
  const fill = addedCount.slice(0, n);
  for (let i = 0; i < cols.count; i++) if (keep[i]) order[fill[cols.src[i]!]!++] = i;
  const removed = new Set(journal.removedIds());

  // Counts per node: kept old edges plus added ones.
  const offsets = new Int32Array(n + 1);
  const oldTimes = d.timed.length ? prev.observedTimes() : undefined;
  for (let u = 0; u < prev.n; u++) {
    if (!removed.size) {
      offsets[u + 1] = d.offsets[u + 1]! - d.offsets[u]!;
      continue;
    }
    let kept = 0;
    for (let e = d.offsets[u]!; e < d.offsets[u + 1]!; e++) if (!removed.has(d.edgeId[e]!)) kept++;
    offsets[u + 1] = kept;
  }
  for (let v = 0; v < n; v++) offsets[v + 1]! += addedCount[v + 1]! - addedCount[v]! + offsets[v]!;
  const m = offsets[n]!;
  const out: GraphIndexData = {
    nodeKinds: d.nodeKinds,
    edgeKinds: d.edgeKinds,
    ids: newIds.size ? patchStrings(d.ids, n, newIds) : d.ids,
    names: patchStrings(d.names, n, names),
    nodeKind,
    boundary,
    stub,
    offsets,
    targets: new Int32Array(m),
    edgeId: new Uint32Array(m),
    edgeKind: new Uint8Array(m),
    edgeFlags: new Uint8Array(m),
    access: new Int8Array(m),
    timed: new Int32Array(0),
    timedFirst: new Uint32Array(0),
    timedLast: new Uint32Array(0),
  };
  const timed: number[] = [];
  const timedFirst: number[] = [];
  const timedLast: number[] = [];
  // Merge each node's kept edges and added ones by row id: the order a full build gives.
  for (let u = 0; u < n; u++) {
    let at = offsets[u]!;
    let e = u < prev.n ? d.offsets[u]! : 0;
    const end = u < prev.n ? d.offsets[u + 1]! : 0;
    let ai = addedCount[u]!;
    const aEnd = addedCount[u + 1]!;
    while (e < end || ai < aEnd) {
      if (e < end && removed.size && removed.has(d.edgeId[e]!)) {
        e++;
        continue;
      }
      const i = ai < aEnd ? order[ai]! : -1;
      if (i >= 0 && (e >= end || cols.ids[i]! < d.edgeId[e]!)) {
        out.targets[at] = cols.dst[i]!;
        out.edgeId[at] = cols.ids[i]!;
        out.edgeKind[at] = codeOf.get(cols.kind[i]!)!;
        out.edgeFlags[at] = cols.conditional[i] ? CONDITIONAL : 0;
        const extra = cols.extra.get(i);
        out.access[at] = extra?.accessLevel ? ACCESS_LEVELS.indexOf(extra.accessLevel as (typeof ACCESS_LEVELS)[number]) : -1;
        const first = epochSeconds(extra?.firstSeen ?? null, Math.floor);
        const last = epochSeconds(extra?.lastSeen ?? null, Math.ceil);
        if (first || last) {
          timed.push(at);
          timedFirst.push(first);
          timedLast.push(last);
        }
        ai++;
      } else {
        out.targets[at] = d.targets[e]!;
        out.edgeId[at] = d.edgeId[e]!;
        out.edgeKind[at] = d.edgeKind[e]!;
        out.edgeFlags[at] = d.edgeFlags[e]!;
        out.access[at] = d.access[e]!;
        if (oldTimes && (oldTimes.first[e] || oldTimes.last[e])) {
          timed.push(at);
          timedFirst.push(oldTimes.first[e]!);
          timedLast.push(oldTimes.last[e]!);
        }
        e++;
      }
      at++;
    }
  }
  out.timed = Int32Array.from(timed);
  out.timedFirst = Uint32Array.from(timedFirst);
  out.timedLast = Uint32Array.from(timedLast);
  const index = new GraphIndex(out);
  index.resolver = (id) => store.nodeNumber(id);
  return index;
}

/** The index of an empty case: what the first import into it patches. */
export function emptyGraphIndex(): GraphIndex {
  const none = new StringTable(new Uint8Array(0), new Uint32Array(1));
  return new GraphIndex({
    nodeKinds: ['', ...Object.keys(NODE_KINDS)],
    edgeKinds: (Object.keys(EDGE_KINDS) as EdgeKind[]).filter((k) => EDGE_KINDS[k].traversable),
    ids: none,
    names: none,
    nodeKind: new Uint8Array(0),
    boundary: new Int32Array(0),
    stub: new Uint8Array(0),
    offsets: new Int32Array(1),
    targets: new Int32Array(0),
    edgeId: new Uint32Array(0),
    edgeKind: new Uint8Array(0),
    edgeFlags: new Uint8Array(0),
    access: new Int8Array(0),
    timed: new Int32Array(0),
    timedFirst: new Uint32Array(0),
    timedLast: new Uint32Array(0),
  });
}

/** The node and edge kind tables an index was built with are this version's (else it is built afresh). */
function sameKinds(index: GraphIndex): boolean {
  const nodeKinds = ['', ...Object.keys(NODE_KINDS)];
  const edgeKinds = (Object.keys(EDGE_KINDS) as EdgeKind[]).filter((k) => EDGE_KINDS[k].traversable);
  return index.d.nodeKinds.join('\n') === nodeKinds.join('\n') && index.d.edgeKinds.join('\n') === edgeKinds.join('\n');
}

function aliasMap(store: CaseStore): Map<number, number> {
  const out = new Map<number, number>();
  for (const [from, to] of store.aliases()) {
    const a = store.nodeNumber(from);
    const c = store.nodeNumber(to);
    if (a !== undefined && c !== undefined) out.set(a, c);
  }
  return out;
}

function epochSeconds(iso: string | null, round: (x: number) => number): number {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(ms) || ms <= 0 ? 0 : round(ms / 1000);
}

/** A string table of `n` entries: the old one's bytes, with some entries replaced or added. */
function patchStrings(old: StringTable, n: number, changed: Map<number, string>): StringTable {
  if (!changed.size && n === old.length) return old;
  if (old.length === 0) {
    // A first import: every entry is new, encoded in batches (not a buffer per string).
    const builder = new StringTableBuilder(n);
    for (const [i, s] of changed) if (i < n) builder.set(i, s);
    return builder.build();
  }
  const offsets = new Uint32Array(n + 1);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const s = changed.get(i);
    if (s !== undefined) size += Buffer.byteLength(s, 'utf8');
    else if (i < old.length) size += old.offsets[i + 1]! - old.offsets[i]!;
  }
  const bytes = Buffer.alloc(size);
  let at = 0;
  // Runs of unchanged entries are copied in one piece.
  let runStart = -1;
  const flush = (end: number) => {
    if (runStart < 0) return;
    const from = old.offsets[runStart]!;
    const to = old.offsets[end]!;
    bytes.set(old.bytes.subarray(from, to), at);
    for (let j = runStart; j < end; j++) offsets[j] = at + (old.offsets[j]! - from);
    at += to - from;
    runStart = -1;
  };
  for (let i = 0; i < n; i++) {
    const s = changed.get(i);
    if (s === undefined && i < old.length) {
      if (runStart < 0) runStart = i;
      continue;
    }
    flush(i);
    offsets[i] = at;
    if (s) at += bytes.write(s, at, 'utf8');
  }
  flush(Math.min(n, old.length));
  offsets[n] = at;
  return new StringTable(bytes, offsets);
}
