// The graph index as one binary blob saved in the case: a fixed prefix, a JSON header, then the typed arrays
// (string tables included, as bytes and offsets). Loading is one copy per array, no parsing and no strings, which
// keeps a ten-million-edge case query-ready in a few seconds.
import type { CaseStore } from '../../store/case-store.js';
import { buildGraphIndex, GraphIndex, type GraphIndexData } from './graph-index.js';
import { StringTable } from './strings.js';

const MAGIC = 0x49474d42; // 'BMGI'
/** Bump when the layout or the meaning of a code changes: an older snapshot is then rebuilt, not misread. */
// 4: boundaries read through the aliases.
const VERSION = 4;

type TypedArray = Uint8Array | Int8Array | Int32Array | Uint32Array;
type ArrayField = 'nodeKind' | 'boundary' | 'stub' | 'offsets' | 'targets' | 'edgeId' | 'edgeKind' | 'edgeFlags' | 'access' | 'timed' | 'timedFirst' | 'timedLast';
type Part = { get: (d: GraphIndexData) => TypedArray; make: (buf: ArrayBuffer) => TypedArray };

const ARRAYS: Record<ArrayField, (buf: ArrayBuffer) => TypedArray> = {
  nodeKind: (b) => new Uint8Array(b),
  boundary: (b) => new Int32Array(b),
  stub: (b) => new Uint8Array(b),
  offsets: (b) => new Int32Array(b),
  targets: (b) => new Int32Array(b),
  edgeId: (b) => new Uint32Array(b),
  edgeKind: (b) => new Uint8Array(b),
  edgeFlags: (b) => new Uint8Array(b),
  access: (b) => new Int8Array(b),
  timed: (b) => new Int32Array(b),
  timedFirst: (b) => new Uint32Array(b),
  timedLast: (b) => new Uint32Array(b),
};
/** In blob order: 4-byte arrays first, so every part starts aligned when the blob itself is. */
const PARTS: [string, Part][] = [
  ...(['boundary', 'offsets', 'targets', 'edgeId', 'timed', 'timedFirst', 'timedLast'] as const).map((f): [string, Part] => [f, { get: (d) => d[f], make: ARRAYS[f] }]),
  ['idOffsets', { get: (d) => d.ids.offsets, make: (b) => new Uint32Array(b) }],
  ['nameOffsets', { get: (d) => d.names.offsets, make: (b) => new Uint32Array(b) }],
  ...(['nodeKind', 'stub', 'edgeKind', 'edgeFlags', 'access'] as const).map((f): [string, Part] => [f, { get: (d) => d[f], make: ARRAYS[f] }]),
  ['idBytes', { get: (d) => d.ids.bytes, make: (b) => new Uint8Array(b) }],
  ['nameBytes', { get: (d) => d.names.bytes, make: (b) => new Uint8Array(b) }],
];

interface Header {
  version: number;
  nodeKinds: string[];
  edgeKinds: string[];
  /** Byte length of each part, in PARTS order. */
  lengths: number[];
}

export function serializeIndex(index: GraphIndex): Buffer {
  const d = index.d;
  const parts = PARTS.map(([, p]) => {
    const a = p.get(d);
    return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  });
  const header: Header = { version: VERSION, nodeKinds: d.nodeKinds, edgeKinds: d.edgeKinds, lengths: parts.map((p) => p.length) };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  // The header is padded so the arrays after it start at a multiple of 4.
  const pad = (4 - ((12 + headerBytes.length) % 4)) % 4;
  const prefix = Buffer.alloc(12 + pad);
  prefix.writeUInt32LE(MAGIC, 0);
  prefix.writeUInt32LE(VERSION, 4);
  prefix.writeUInt32LE(headerBytes.length, 8);
  return Buffer.concat([prefix.subarray(0, 12), headerBytes, prefix.subarray(12), ...parts]);
}

/** The index in a snapshot, or undefined when the blob is not one this version can read. */
export function deserializeIndex(buf: Uint8Array): GraphIndex | undefined {
  const data = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (data.length < 12 || data.readUInt32LE(0) !== MAGIC || data.readUInt32LE(4) !== VERSION) return undefined;
  const headerLength = data.readUInt32LE(8);
  const header = JSON.parse(data.toString('utf8', 12, 12 + headerLength)) as Header;
  let at = 12 + headerLength;
  at += (4 - (at % 4)) % 4;
  const got = new Map<string, TypedArray>();
  PARTS.forEach(([name, p], i) => {
    const len = header.lengths[i]!;
    // A copy: SQLite's blob is not aligned for 4-byte views (one copy per array, then no parsing).
    const copy = new ArrayBuffer(len);
    new Uint8Array(copy).set(data.subarray(at, at + len));
    got.set(name, p.make(copy));
    at += len;
  });
  const arr = <T extends TypedArray>(name: string) => got.get(name) as T;
  return new GraphIndex({
    nodeKinds: header.nodeKinds,
    edgeKinds: header.edgeKinds,
    ids: new StringTable(arr<Uint8Array>('idBytes'), arr<Uint32Array>('idOffsets')),
    names: new StringTable(arr<Uint8Array>('nameBytes'), arr<Uint32Array>('nameOffsets')),
    nodeKind: arr('nodeKind'),
    boundary: arr('boundary'),
    stub: arr('stub'),
    offsets: arr('offsets'),
    targets: arr('targets'),
    edgeId: arr('edgeId'),
    edgeKind: arr('edgeKind'),
    edgeFlags: arr('edgeFlags'),
    access: arr('access'),
    timed: arr('timed'),
    timedFirst: arr('timedFirst'),
    timedLast: arr('timedLast'),
  });
}

/**
 * The case's graph index: the saved snapshot when it matches the case, otherwise built and saved. Imports build and
 * save it before they commit (api/import.ts), so a case opens query-ready.
 */
export function loadGraphIndex(store: CaseStore): { index: GraphIndex; from: 'snapshot' | 'built' } {
  // One committed state of the case, though another process may commit meanwhile; the save never waits for a lock.
  const { index, stamp, from } = store.consistentRead(() => {
    const stamp = store.graphStamp();
    const saved = store.loadGraphSnapshot();
    const loaded = saved && saved.stamp === stamp ? deserializeIndex(saved.data) : undefined;
    return loaded ? { index: loaded, stamp, from: 'snapshot' as const } : { index: buildGraphIndex(store), stamp, from: 'built' as const };
  });
  index.resolver = (id) => store.nodeNumber(id);
  index.stamp = stamp;
  if (from === 'built') store.saveGraphSnapshot(stamp, serializeIndex(index));
  return { index, from };
}

/** The saved snapshot if it is the index of the case at version `stamp`, else undefined. */
export function snapshotAt(store: CaseStore, stamp: string): GraphIndex | undefined {
  const saved = store.loadGraphSnapshot();
  if (!saved || saved.stamp !== stamp) return undefined;
  const index = deserializeIndex(saved.data);
  if (index) index.stamp = stamp;
  return index;
}
