// A graph state saved inside a case, so a diff can compare against it after a re-import replaced its sources. It
// keeps what a diff reads and nothing else: the graph index (serialised as the case's own index snapshot), each
// index edge's technique, the raw statements (TRUSTS, HAS_ROLE…), which credentials were inactive, the findings,
// the marks and the sources. Edge reasons and evidence are not kept: a diff against a snapshot describes the edges
// it no longer has by kind, technique and access level. The whole is deflated (a million edges ≈ 10–20 MB).
import { deflateSync, inflateSync, constants } from 'node:zlib';
import type { MarkKind } from '../../model/fragment.js';
import type { EdgeKind } from '../../model/kinds.js';
import type { CaseStore, FindingRow, SourceRow, StateSnapshotRow } from '../../store/case-store.js';
import type { GraphIndex } from '../index/graph-index.js';
import { deserializeIndex, loadGraphIndex, serializeIndex } from '../index/snapshot.js';
import { CREDENTIAL_KINDS, STATEMENT_KINDS, type GraphState, type StatementEdge } from './state.js';

const MAGIC = 0x53534d42; // 'BMSS'
/** Bump when the layout changes; an older snapshot is then refused with a clear message, never misread. */
const VERSION = 1;

interface Extras {
  statements: [src: string, dst: string, kind: string, conditional: 0 | 1, technique?: string][];
  /** Credentials known inactive (the others count as active). */
  inactive: string[];
  findings: FindingRow[];
  marks: [id: string, mark: MarkKind][];
  sources: SourceRow[];
}

interface Header {
  version: number;
  indexBytes: number;
  techniques: string[];
  extrasBytes: number;
}

/** Automatic snapshots kept per case (requested ones are never dropped). */
export const KEEP_AUTO_SNAPSHOTS = 8;

export function serializeState(store: CaseStore, index: GraphIndex): { data: Buffer; counts: StateSnapshotRow['counts'] } {
  const indexBlob = serializeIndex(index);
  // Techniques: a code per index edge (0 = none) into a table of the distinct ones.
  const byRow = store.edgeTechniques();
  const table: string[] = [];
  const codeOf = new Map<string, number>();
  const codes = new Uint16Array(index.m);
  for (let e = 0; e < index.m; e++) {
    const t = byRow.get(index.d.edgeId[e]!);
    if (t === undefined) continue;
    let c = codeOf.get(t);
    if (c === undefined && table.length < 0xfffe) {
      table.push(t);
      codeOf.set(t, (c = table.length));
    }
    if (c !== undefined) codes[e] = c;
  }
  const statements: Extras['statements'] = [];
  for (const e of store.edgesOfKinds(STATEMENT_KINDS)) {
    const technique = typeof e.props.technique === 'string' ? e.props.technique : undefined;
    statements.push(technique ? [e.src, e.dst, e.kind, e.conditional ? 1 : 0, technique] : [e.src, e.dst, e.kind, e.conditional ? 1 : 0]);
  }
  const inactive = store.inactiveNodes(CREDENTIAL_KINDS);
  const findings = store.findings();
  const extras: Extras = { statements, inactive, findings, marks: store.activeMarks().map((m) => [m.nodeId, m.mark]), sources: store.sources() };
  const extrasBlob = Buffer.from(JSON.stringify(extras), 'utf8');
  const header: Header = { version: VERSION, indexBytes: indexBlob.length, techniques: table, extrasBytes: extrasBlob.length };
  const headerBlob = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(12);
  prefix.writeUInt32LE(MAGIC, 0);
  prefix.writeUInt32LE(VERSION, 4);
  prefix.writeUInt32LE(headerBlob.length, 8);
  const raw = Buffer.concat([prefix, headerBlob, indexBlob, Buffer.from(codes.buffer, codes.byteOffset, codes.byteLength), extrasBlob]);
  // Level 1: most of the size goes for a fraction of the time a higher level takes on tens of megabytes.
  const data = deflateSync(raw, { level: 1, strategy: constants.Z_DEFAULT_STRATEGY });
  let nodes = 0;
  for (let v = 0; v < index.n; v++) if (index.d.nodeKind[v] !== 0) nodes++;
  return { data, counts: { nodes, edges: index.m, findings: findings.length } };
}

/** The state a snapshot blob holds, or a message saying why it cannot be read. */
export function deserializeState(blob: Uint8Array): GraphState | string {
  let raw: Buffer;
  try {
    raw = inflateSync(blob);
  } catch {
    return 'the snapshot is damaged (it does not decompress)';
  }
  if (raw.length < 12 || raw.readUInt32LE(0) !== MAGIC) return 'the snapshot is damaged (no snapshot header)';
  if (raw.readUInt32LE(4) !== VERSION) return `the snapshot was written by another version of Blastmap (format ${raw.readUInt32LE(4)}, this one reads ${VERSION})`;
  const headerLength = raw.readUInt32LE(8);
  const header = JSON.parse(raw.toString('utf8', 12, 12 + headerLength)) as Header;
  let at = 12 + headerLength;
  const index = deserializeIndex(raw.subarray(at, at + header.indexBytes));
  if (!index) return 'the snapshot holds a graph index of another version of Blastmap';
  at += header.indexBytes;
  const codeBytes = index.m * 2;
  const codes = new Uint16Array(index.m);
  new Uint8Array(codes.buffer).set(raw.subarray(at, at + codeBytes));
  at += codeBytes;
  const extras = JSON.parse(raw.toString('utf8', at, at + header.extrasBytes)) as Extras;
  return stateOfExtras(index, codes, header.techniques, extras);
}

function stateOfExtras(index: GraphIndex, codes: Uint16Array, techniques: string[], extras: Extras): GraphState {
  const statements: StatementEdge[] = extras.statements.map(([src, dst, kind, conditional, technique]) => ({ src, dst, kind: kind as EdgeKind, conditional: conditional === 1, ...(technique ? { technique } : {}) }));
  const inactive = new Set(extras.inactive);
  const marks = new Map<string, MarkKind[]>();
  for (const [id, mark] of extras.marks) {
    const list = marks.get(id) ?? [];
    if (!list.includes(mark)) list.push(mark);
    marks.set(id, list);
  }
  return {
    index,
    sources: extras.sources,
    statements: () => statements,
    credentialActive: () => {
      const out = new Map<string, boolean>();
      for (const id of inactive) out.set(id, false);
      return out;
    },
    findings: () => extras.findings,
    marks: () => marks,
    technique: (e) => (codes[e] ? techniques[codes[e]! - 1] : undefined),
  };
}

/**
 * After the import: the snapshot it took names the sources the import actually replaced, and is dropped when it
 * replaced none (an import with --supersede takes one in case it does).
 */
export function settleSnapshot(store: CaseStore, row: StateSnapshotRow, replaced: SourceRow[]): void {
  const own = replaced.filter((s, i) => replaced.findIndex((x) => x.id === s.id) === i);
  if (!own.length) store.deleteStateSnapshot(row.id);
  else store.setSnapshotReplaced(row.id, own.map((s) => ({ id: s.id, fileName: s.fileName, importedAt: s.importedAt })));
}

/** Saves the case's current graph state as a snapshot; returns its row. */
export function takeStateSnapshot(store: CaseStore, meta: { label: string; auto: boolean; replaced?: StateSnapshotRow['replaced']; now?: Date }): StateSnapshotRow {
  const { index } = loadGraphIndex(store);
  const { data, counts } = serializeState(store, index);
  const row = { takenAt: (meta.now ?? new Date()).toISOString(), label: meta.label, auto: meta.auto, replaced: meta.replaced ?? [], counts };
  const id = store.addStateSnapshot(row, data);
  if (meta.auto) store.pruneAutoSnapshots(KEEP_AUTO_SNAPSHOTS);
  return { id, ...row, bytes: data.length };
}

/**
 * Called by an import before it writes anything: when a file it brings replaces an earlier source (a re-import),
 * the state before is saved first, so `blastmap diff --case` can still compare against it once the import commits.
 * An import that replaces nothing takes no snapshot (it only adds, and the cost of one is the index's size).
 */
export function snapshotBeforeReplacing(store: CaseStore, replaced: number[], fileNames: string[], now: Date): StateSnapshotRow | undefined {
  if (!replaced.length) return undefined;
  const sources = store.sources().filter((s) => replaced.includes(s.id));
  if (!sources.length) return undefined;
  return takeStateSnapshot(store, {
    label: `before importing ${fileNames.join(', ')}`,
    auto: true,
    replaced: sources.map((s) => ({ id: s.id, fileName: s.fileName, importedAt: s.importedAt })),
    now,
  });
}
