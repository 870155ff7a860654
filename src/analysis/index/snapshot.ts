// The graph index as one binary blob saved in the case: a JSON header, then the typed arrays, then the string
// tables. Loading is a few memcpy's and two string splits, which keeps a million-edge case query-ready in well
// under the two seconds a user waits for it to open.
import type { CaseStore } from '../../store/case-store.js';
import { buildGraphIndex, GraphIndex, type GraphIndexData } from './graph-index.js';

const MAGIC = 0x49474d42; // 'BMGI'
/** Bump when the layout or the meaning of a code changes: an older snapshot is then rebuilt, not misread. */
const VERSION = 2;
const SEP = '\u0000';

type ArrayField = 'nodeKind' | 'boundary' | 'stub' | 'offsets' | 'targets' | 'edgeId' | 'edgeKind' | 'edgeFlags' | 'access' | 'firstSeen' | 'lastSeen';
const ARRAYS: { field: ArrayField; make: (buf: ArrayBuffer) => GraphIndexData[ArrayField] }[] = [
  { field: 'nodeKind', make: (b) => new Uint8Array(b) },
  { field: 'boundary', make: (b) => new Int32Array(b) },
  { field: 'stub', make: (b) => new Uint8Array(b) },
  { field: 'offsets', make: (b) => new Int32Array(b) },
  { field: 'targets', make: (b) => new Int32Array(b) },
  { field: 'edgeId', make: (b) => new Uint32Array(b) },
  { field: 'edgeKind', make: (b) => new Uint8Array(b) },
  { field: 'edgeFlags', make: (b) => new Uint8Array(b) },
  { field: 'access', make: (b) => new Int8Array(b) },
  { field: 'firstSeen', make: (b) => new Uint32Array(b) },
  { field: 'lastSeen', make: (b) => new Uint32Array(b) },
];

interface Header {
  version: number;
  nodeKinds: string[];
  edgeKinds: string[];
  /** Byte lengths of each array, in ARRAYS order, then of the ids and names texts. */
  lengths: number[];
}

export function serializeIndex(index: GraphIndex): Buffer {
  const d = index.d;
  // NUL cannot occur in ids (they come from JSON and YAML text); in a display name it is dropped.
  const idsText = Buffer.from(d.ids.join(SEP), 'utf8');
  const namesText = Buffer.from(d.names.map((s) => s.replaceAll(SEP, '')).join(SEP), 'utf8');
  const parts = ARRAYS.map(({ field }) => Buffer.from(d[field].buffer, d[field].byteOffset, d[field].byteLength));
  const header: Header = { version: VERSION, nodeKinds: d.nodeKinds, edgeKinds: d.edgeKinds, lengths: [...parts.map((p) => p.length), idsText.length, namesText.length] };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(12);
  prefix.writeUInt32LE(MAGIC, 0);
  prefix.writeUInt32LE(VERSION, 4);
  prefix.writeUInt32LE(headerBytes.length, 8);
  return Buffer.concat([prefix, headerBytes, ...parts, idsText, namesText]);
}

/** The index in a snapshot, or undefined when the blob is not one this version can read. */
export function deserializeIndex(buf: Uint8Array): GraphIndex | undefined {
  const data = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (data.length < 12 || data.readUInt32LE(0) !== MAGIC || data.readUInt32LE(4) !== VERSION) return undefined;
  const headerLength = data.readUInt32LE(8);
  const header = JSON.parse(data.toString('utf8', 12, 12 + headerLength)) as Header;
  let at = 12 + headerLength;
  const arrays: Partial<Record<ArrayField, GraphIndexData[ArrayField]>> = {};
  ARRAYS.forEach(({ field, make }, i) => {
    const len = header.lengths[i]!;
    // A copy: SQLite's blob is not aligned for 4- and 8-byte views.
    const copy = new ArrayBuffer(len);
    new Uint8Array(copy).set(data.subarray(at, at + len));
    arrays[field] = make(copy);
    at += len;
  });
  const idsLength = header.lengths[ARRAYS.length]!;
  const namesLength = header.lengths[ARRAYS.length + 1]!;
  const split = (s: string) => (s.length ? s.split(SEP) : []);
  const ids = split(data.toString('utf8', at, at + idsLength));
  at += idsLength;
  const names = split(data.toString('utf8', at, at + namesLength));
  return new GraphIndex({ ...(arrays as Pick<GraphIndexData, ArrayField>), nodeKinds: header.nodeKinds, edgeKinds: header.edgeKinds, ids, names });
}

/**
 * The case's graph index: the saved snapshot when it matches the case, otherwise built and saved. Imports drop
 * the snapshot inside their transaction (CaseStore.clearDerived), so the first query after an import rebuilds it.
 */
export function loadGraphIndex(store: CaseStore): { index: GraphIndex; from: 'snapshot' | 'built' } {
  // One committed state of the case, though another process may commit meanwhile; the save never waits for a lock.
  const { index, stamp, from } = store.consistentRead(() => {
    const stamp = store.graphStamp();
    const saved = store.loadGraphSnapshot();
    const loaded = saved && saved.stamp === stamp ? deserializeIndex(saved.data) : undefined;
    return loaded ? { index: loaded, stamp, from: 'snapshot' as const } : { index: buildGraphIndex(store), stamp, from: 'built' as const };
  });
  if (from === 'built') store.saveGraphSnapshot(stamp, serializeIndex(index));
  return { index, from };
}
