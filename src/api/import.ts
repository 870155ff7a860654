import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve as resolvePath } from 'node:path';
import { scopeReplacements } from '../analysis/compare/replace-rule.js';
import { settleSnapshot, snapshotBeforeReplacing } from '../analysis/compare/snapshot.js';
import { nodeKindsRead, recomputeDerived, type DeriveResult } from '../analysis/derive.js';
import { crossBoundaryFindings, CROSS_BOUNDARY_RULE } from '../analysis/cross-boundary.js';
import { escalationFindings, ESCALATION_RULE } from '../analysis/escalation.js';
import type { GraphIndex } from '../analysis/index/graph-index.js';
import { emptyGraphIndex, updateGraphIndex } from '../analysis/index/patch.js';
import { serializeIndex, snapshotAt } from '../analysis/index/snapshot.js';
import type { GraphFragment, ImportWarning, JsonObject, MarkRequest } from '../model/fragment.js';
import { ImportError, SeveralJsonValuesError } from '../importers/errors.js';
import { createInput, openInput } from '../importers/input.js';
import type { InputLimits } from '../importers/limits.js';
import { detectFormat, isEmptyDocument, jsonLinesFormats } from '../importers/registry.js';
import type { CaseKnowledge, ImportContext, ImportInput, Importer } from '../importers/types.js';
import { arnAccount } from '../model/ids.js';
import { isUserAssignedIdentityPath, managedIdentityArmPaths } from '../providers/azure/entra.js';
import { caseFailure, type CaseStore, type SourceRow } from '../store/case-store.js';
import type { ImportFile, ImportRequest, ImportResult } from './contract.js';
import { ApiError } from './errors.js';

/**
 * A browser-mode upload the server has streamed to a temporary file (never a path a page names: the server makes it).
 * It imports as the upload it is (label `upload:<name>`).
 */
export interface UploadedFile {
  name: string;
  uploadedTo: string;
}

/** What the engine imports: the API's request, or uploads already on disk. */
export interface EngineImportRequest extends Omit<ImportRequest, 'files'> {
  files: (ImportFile | UploadedFile)[];
}

export interface ImportProgress {
  file: string;
  index: number;
  total: number;
  /** 'waiting': another process is writing the case; `waitedMs` says for how long. 'indexing': the graph index is built. */
  phase: 'reading' | 'parsing' | 'writing' | 'deriving' | 'indexing' | 'done' | 'waiting';
  waitedMs?: number;
  nodes: number;
  edges: number;
}

export interface ImportHooks {
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** Who asked (recorded on marks an import makes). */
  by?: string;
  now?: Date;
  /** The graph index the import built and saved (the engine keeps it instead of reading it back). */
  onIndex?: (index: GraphIndex) => void;
  /** The caller's graph index of the case, if it has one: patched rather than read from the snapshot. */
  previousIndex?: GraphIndex;
  /** Run every derivation rule over the whole case, whatever the import changed (tests, benchmarks). */
  fullDerive?: boolean;
  /** What the derivation did: a full run, or which rules ran again over what. */
  onDerive?: (result: DeriveResult) => void;
  /** Save the graph state before a re-import replaces sources (default true; `blastmap diff --case` reads it). */
  snapshot?: boolean;
  /** Sources a file also replaces, decided once its rows are written (plan-impact's scope rule). */
  alsoReplaces?: (store: CaseStore, source: { id: number; format: string; label: string }) => number[];
  /** Input limits other than the defaults (tests and benches: small limits to reach them with small files). */
  limits?: InputLimits;
}

/** Above this many edges (nodes) in one import, and more than the case holds, their indexes are rebuilt after the load. */
const BULK_ROWS = 50_000;

interface Prepared {
  label: string;
  file: ImportFile | UploadedFile;
  importer: Importer;
  /** Set when the file's turn comes (files on disk are hashed then, streamed, in one pass of their own). */
  sha256: string;
  /**
   * Uploads and a lone file keep their input (which holds only the file's head until the importer reads on);
   * other files on disk are opened again when their turn comes (and checked unchanged), so an import of a thousand
   * log files holds one file's head, bytes and parse at a time.
   */
  input?: ImportInput | undefined;
  size: number;
  mtimeMs: number | undefined;
  /** An empty document ([], null), kept until the other files' formats decide its own. */
  emptyInput?: ImportInput | undefined;
  /** What the detection guessed, said as a warning of the file. */
  note?: string;
}

/** Placeholder importer of an empty document until its format is decided. */
const EMPTY_PENDING: Importer = { format: '', title: '', provider: 'generic', producedBy: '', emits: [], detect: () => 0, parse: () => ({ nodes: [], edges: [], warnings: [] }) };

/**
 * Imports files all-or-nothing: every file is read and detected first, then everything is written,
 * derived and committed in one transaction. Any error rolls the whole import back.
 */
export async function runImport(store: CaseStore, req: EngineImportRequest, hooks: ImportHooks = {}): Promise<ImportResult> {
  const started = performance.now();
  const now = hooks.now ?? new Date();
  const options = req.options ?? {};
  if (!req.files.length) throw new ApiError({ code: 'bad-input', message: 'no files to import' });
  const asOf = referenceTime(store, options.asOf, now);

  const prepared: Prepared[] = [];
  // Each file is opened, and later imported, in a function of its own: what it held (the input, its parsed document,
  // the importer's fragments) is let go when it returns, instead of staying referenced from this frame while the
  // case is derived, indexed and committed (tens of MB that every garbage collection would walk).
  const prepareOne = async (index: number, file: ImportFile | UploadedFile): Promise<void> => {
    checkCancelled(hooks.signal);
    const opened = await openImportFile(file, hooks.limits);
    hooks.onProgress?.({ file: opened.name, index, total: req.files.length, phase: 'reading', nodes: 0, edges: 0 });
    try {
      const keep = !onDisk(file) || req.files.length === 1;
      // An empty document ([], null) says nothing of its format: it is decided once the other files are known.
      const empty = !options.format && isEmptyDocument(opened.input);
      const detected = empty ? undefined : detectFormat(opened.input, options.format);
      prepared.push({ label: opened.label, file, importer: detected?.importer ?? EMPTY_PENDING, emptyInput: empty ? opened.input : undefined, sha256: opened.sha256, input: keep ? opened.input : undefined, size: opened.size, mtimeMs: opened.mtimeMs });
    } catch (err) {
      throw toApiError(err, opened.name);
    }
  };
  for (const [index, file] of req.files.entries()) await prepareOne(index, file);

  const siblings = prepared.filter((p) => p.importer !== EMPTY_PENDING).map((p) => p.importer.format);
  for (const p of prepared) {
    if (!p.emptyInput) continue;
    const detected = detectFormat(p.emptyInput, undefined, siblings);
    p.importer = detected.importer;
    if (detected.note) p.note = detected.note;
    p.emptyInput = undefined;
  }
  // Importers that read the case go after the import's other files, which they may need (user names → account).
  prepared.sort((a, b) => Number(a.importer.readsCase ?? false) - Number(b.importer.readsCase ?? false));
  const ctx: ImportContext = { options, now: asOf, known: caseKnowledge(store) };
  const warnings: ImportResult['warnings'] = [];
  const sourceIds: number[] = [];
  let index: GraphIndex;
  // Another process writing the case (an import, a mark) is waited for, with progress, up to the busy timeout.
  try {
    await store.beginWhenFree({
      signal: hooks.signal,
      onWait: (waitedMs) => hooks.onProgress?.({ file: '', index: 0, total: prepared.length, phase: 'waiting', nodes: 0, edges: 0, waitedMs }),
    });
  } catch (err) {
    checkCancelled(hooks.signal);
    throw toApiError(err, undefined, store.path);
  }
  // Derivation reads these nodes back: the store keeps their props objects rather than parse them again.
  store.keepPropsOf(nodeKindsRead());
  try {
    let snapshot: ReturnType<typeof snapshotBeforeReplacing>;
    const gone: SourceRow[] = [];
    if (hooks.snapshot !== false) {
      // With --supersede, what the files will replace is known only once they are read: any source of a whole-scope
      // format they share may go, so the state is kept whenever there is one.
      const replacing = options.supersede ? store.sources().filter((s) => prepared.some((p) => p.importer.format === s.format)).map((s) => s.id) : prepared.flatMap((p) => store.sourcesToReplace(p.label, p.sha256, p.importer.format));
      snapshot = snapshotBeforeReplacing(store, [...new Set(replacing)], prepared.map((p) => ('path' in p.file ? basename(p.file.path) : p.file.name)), now);
    }
    const imported = new Set<number>();
    const supersede = (s: CaseStore, source: { id: number; format: string }): number[] => {
      imported.add(source.id);
      return scopeReplacements(s, source, imported).map((x) => x.source.id);
    };
    const alsoReplaces = hooks.alsoReplaces ?? (options.supersede ? supersede : undefined);
    if (options.asOf === 'now') store.deleteMeta(AS_OF_META);
    else if (options.asOf) store.setMeta(AS_OF_META, asOf.toISOString());
    const touched = new Set<string>();
    const before = store.counts();
    const versionBefore = store.graphStamp();
    let edgesIncoming = 0;
    let nodesIncoming = 0;
    const importOne = async (index: number, p: Prepared): Promise<void> => {
      checkCancelled(hooks.signal);
      const input = await forItsTurn(p, hooks.limits);
      p.input = undefined;
      const progress = (phase: ImportProgress['phase'], nodes = 0, edges = 0) =>
        hooks.onProgress?.({ file: input.fileName, index, total: prepared.length, phase, nodes, edges });
      progress('parsing');
      const replaced = store.sourcesToReplace(p.label, p.sha256, p.importer.format);
      const drop = (id: number) => {
        const row = store.sources().find((s) => s.id === id);
        if (row) gone.push(row);
        for (const nodeId of store.deleteSource(id)) touched.add(nodeId);
      };
      for (const id of replaced) drop(id);
      const sourceId = store.addSource({
        label: p.label,
        fileName: input.fileName,
        format: p.importer.format,
        sha256: p.sha256,
        importedAt: now.toISOString(),
        options: { ...options },
      });
      sourceIds.push(sourceId);
      const sourceTouched = new Set<string>();
      const counts = { nodes: 0, edges: 0 };
      const fileWarnings: ImportWarning[] = p.note ? [{ message: p.note }] : [];
      const marks: MarkRequest[] = [];
      const meta: JsonObject = {};
      // The id indexes are built again after each file that suspends them: only for a file larger than what the case
      // numbered before it, so that rebuilding stays within twice the rows the file writes.
      const numberedBefore = store.maxNodeNumber();
      let fileNodes = 0;
      try {
        for await (const fragment of fragmentsOf(p.importer.parse(input, ctx))) {
          checkCancelled(hooks.signal);
          edgesIncoming += fragment.edges.length;
          nodesIncoming += fragment.nodes.length;
          fileNodes += fragment.nodes.length;
          if (edgesIncoming >= BULK_ROWS && edgesIncoming > before.edges) store.suspendEdgeIndexes();
          if (nodesIncoming >= BULK_ROWS && nodesIncoming > before.nodes) store.suspendNodeIndexes();
          if (fileNodes >= BULK_ROWS && fileNodes > numberedBefore) store.suspendIdIndexes();
          const written = store.writeFragment(sourceId, fragment, sourceTouched);
          counts.nodes += written.nodes;
          counts.edges += written.edges;
          fileWarnings.push(...fragment.warnings);
          marks.push(...(fragment.marks ?? []));
          if (fragment.sourceMeta) Object.assign(meta, fragment.sourceMeta);
          if (fragment.results?.length) store.addScannerResults(sourceId, fragment.results);
          progress('writing', counts.nodes, counts.edges);
          await breathe();
        }
      } catch (err) {
        if (err instanceof SeveralJsonValuesError) throw severalValues(err, p.importer);
        throw toApiError(err, input.fileName, store.path);
      }
      // What follows (marks, sources replaced, the next file) may read nodes by id.
      store.restoreIdIndexes();
      for (const id of sourceTouched) touched.add(id);
      store.finishSource(sourceId, counts, fileWarnings, meta);
      for (const id of alsoReplaces?.(store, { id: sourceId, format: p.importer.format, label: p.label }) ?? []) drop(id);
      for (const w of fileWarnings) warnings.push({ file: input.fileName, ...w });
      for (const m of marks) store.addMark(m.nodeId, m.mark, m.note, hooks.by ?? `import of ${input.fileName}`, now.toISOString(), sourceId);
    };
    for (const [index, p] of prepared.entries()) await importOne(index, p);
    store.restoreEdgeIndexes();
    // After the merged rows are written (materialize reads nodes by id only): their indexes are built once.
    store.materialize(touched);
    store.restoreNodeIndexes();
    await breathe();
    checkCancelled(hooks.signal);
    hooks.onProgress?.({ file: '', index: prepared.length, total: prepared.length, phase: 'deriving', nodes: 0, edges: 0 });
    // Called first, then handed on: `hooks.onDerive?.(recomputeDerived(…))` would not derive at all without the hook.
    const derived = recomputeDerived(store, asOf, undefined, undefined, { full: hooks.fullDerive ?? false });
    hooks.onDerive?.(derived);
    checkCancelled(hooks.signal);
    // The graph index of the case as committed, saved with it: the first analysis after the import reads it
    // instead of building it, and a cancel still leaves the case as it was.
    hooks.onProgress?.({ file: '', index: prepared.length, total: prepared.length, phase: 'indexing', nodes: 0, edges: 0 });
    await breathe();
    // From the index before the import (the caller's, else the snapshot) and what the import changed; built from
    // the case when there is neither.
    const previous = before.nodes === 0 && before.edges === 0 ? emptyGraphIndex() : hooks.previousIndex?.stamp === versionBefore ? hooks.previousIndex : snapshotAt(store, versionBefore);
    index = updateGraphIndex(store, previous, store.changes());
    index.stamp = store.graphStamp();
    // The findings that need the whole graph, on the index just built (findings are not part of the graph).
    const techniqueOf = (e: number) => {
      const t = store.edge(index.d.edgeId[e]!)?.props['technique'];
      return typeof t === 'string' ? t : undefined;
    };
    store.replaceRuleFindings(ESCALATION_RULE.id, null, escalationFindings(index, techniqueOf).map((row) => ({ row, scope: '' })));
    store.replaceRuleFindings(CROSS_BOUNDARY_RULE.id, null, crossBoundaryFindings(index, techniqueOf).map((row) => ({ row, scope: '' })));
    // The snapshot names the sources actually replaced (or goes, when none was).
    if (snapshot) settleSnapshot(store, snapshot, gone);
    store.saveGraphSnapshot(index.stamp, serializeIndex(index));
    checkCancelled(hooks.signal);
    store.commit();
  } catch (err) {
    store.rollback();
    throw toApiError(err, undefined, store.path);
  }
  hooks.onIndex?.(index);
  hooks.onProgress?.({ file: '', index: prepared.length, total: prepared.length, phase: 'done', nodes: 0, edges: 0 });
  const sources = store.sources().filter((s) => sourceIds.includes(s.id));
  return {
    sources: sources.map((s) => ({ id: s.id, fileName: s.fileName, format: s.format, label: s.label, sha256: s.sha256, importedAt: s.importedAt, counts: s.counts, warnings: s.warnings, ...(Object.keys(s.meta).length ? { meta: s.meta } : {}) })),
    warnings,
    counts: store.counts(),
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** Lazy answers from the case as it stands in the import's transaction (read when first asked, then kept). */
function caseKnowledge(store: CaseStore): CaseKnowledge {
  let users: Map<string, Set<string>> | undefined;
  let projects: Map<string, string> | undefined;
  let apps: Map<string, string> | undefined;
  let upns: Map<string, string> | undefined;
  let identities: Map<string, string> | undefined;
  return {
    azureManagedIdentitiesByPath() {
      if (!identities) {
        identities = new Map();
        for (const n of store.nodesOfKind('azure_managed_identity')) {
          for (const path of managedIdentityArmPaths(n)) if (isUserAssignedIdentityPath(path) && !identities.has(path.toLowerCase())) identities.set(path.toLowerCase(), n.id);
        }
      }
      return identities;
    },
    azureUsersByUpn() {
      if (!upns) {
        upns = new Map();
        for (const n of store.nodesOfKind('azure_user')) {
          const upn = n.props['userPrincipalName'];
          if (typeof upn === 'string' && upn && !upns.has(upn.toLowerCase())) upns.set(upn.toLowerCase(), n.id);
        }
      }
      return upns;
    },
    azureServicePrincipalsByAppId() {
      if (!apps) {
        apps = new Map();
        // The service principal is what signs in; an app registration of the same client id is not a principal.
        for (const kind of ['azure_service_principal', 'azure_managed_identity'] as const) {
          for (const n of store.nodesOfKind(kind)) {
            const appId = n.props['appId'];
            if (typeof appId === 'string' && appId && !apps.has(appId.toLowerCase())) apps.set(appId.toLowerCase(), n.id);
          }
        }
      }
      return apps;
    },
    gcpProjectIds() {
      if (!projects) {
        projects = new Map();
        for (const n of store.nodesOfKind('gcp_project')) {
          const number = n.props['projectNumber'];
          const id = n.props['projectId'];
          if ((typeof number === 'string' || typeof number === 'number') && typeof id === 'string' && id) projects.set(String(number), id);
        }
      }
      return projects;
    },
    awsUserAccounts() {
      if (!users) {
        users = new Map();
        for (const n of store.nodesOfKind('aws_user')) {
          const account = arnAccount(n.id);
          const name = typeof n.props['userName'] === 'string' ? n.props['userName'] : n.name;
          if (!account || !name) continue;
          let set = users.get(name);
          if (!set) users.set(name, (set = new Set()));
          set.add(account);
        }
      }
      return users;
    },
  };
}

/**
 * A file read as a format that does not take several JSON values in it: say where the second starts, what the file
 * was taken for, and what reads JSON-lines (never the format itself, when it reads JSON-lines but not appended documents).
 */
function severalValues(err: SeveralJsonValuesError, importer: Importer): ApiError {
  const where = `${err.file}${err.location ? ` (${err.location})` : ''}: a second JSON ${err.second ?? 'value'} starts here`;
  const message = importer.jsonLines
    ? `${where}: the file holds JSON documents appended one after another (pages appended to one file), but ${importer.format} reads one JSON document or JSON-lines (one value per line); split the file where each document starts`
    : `${where}: the file holds several JSON values, one after another (JSON-lines, or pages appended to one file), but its start looks like ${importer.format}, which is one JSON document. Blastmap reads JSON-lines from ${jsonLinesFormats()}; run 'blastmap formats' for the list`;
  return new ApiError({ code: 'bad-input', message, file: err.file, ...(err.location ? { location: err.location } : {}) });
}

/** Where the case keeps its reference time (import --as-of). */
export const AS_OF_META = 'asOf';

/**
 * The case's reference time for this import: --as-of when given ('now': the import's own time, clearing the
 * case's), else the one the case keeps from an earlier --as-of, else the import's own time.
 */
function referenceTime(store: CaseStore, asOf: string | undefined, now: Date): Date {
  if (asOf === 'now') return now;
  if (asOf !== undefined) {
    const t = /^\d{4}-\d{2}-\d{2}/.test(asOf) ? Date.parse(asOf) : NaN;
    if (Number.isNaN(t)) throw new ApiError({ code: 'bad-input', message: `--as-of must be an ISO-8601 date or time (2026-03-01, 2026-03-01T12:00:00Z) or 'now', not ${JSON.stringify(asOf)}` });
    return new Date(t);
  }
  const kept = store.getMeta(AS_OF_META);
  return kept ? new Date(kept) : now;
}

/**
 * A file on disk at its turn: it must not have changed since it was detected (same size and modification time), it is
 * hashed in a streamed pass, and opened again unless its input was kept.
 */
async function forItsTurn(p: Prepared, limits?: InputLimits): Promise<ImportInput> {
  const disk = onDisk(p.file);
  if (!disk) return p.input!;
  const { full, name } = disk;
  try {
    const info = await stat(full);
    if (info.size !== p.size || info.mtimeMs !== p.mtimeMs) {
      throw new ApiError({ code: 'bad-input', message: `${name}: the file changed while it was being imported; import it again`, file: name });
    }
    p.sha256 = await sha256OfFile(full);
    return p.input ?? (await openInput(name, full, limits));
  } catch (err) {
    if (err instanceof ApiError || err instanceof ImportError) throw toApiError(err, name);
    throw unreadable(full, err);
  }
}

/** Where a file to import is on disk (its path, or where the server put an upload), and the name it goes by. */
function onDisk(file: ImportFile | UploadedFile): { full: string; name: string; label: string } | undefined {
  if ('uploadedTo' in file) return { full: file.uploadedTo, name: file.name, label: `upload:${file.name}` };
  if (!('path' in file)) return undefined;
  const full = resolvePath(file.path);
  return { full, name: basename(full), label: full };
}

function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function unreadable(path: string, err: unknown): ApiError {
  return new ApiError({ code: 'bad-input', message: `${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, file: path });
}

/** Opens one file of an import for detection: a file on disk is not read beyond its head. */
async function openImportFile(file: ImportFile | UploadedFile, limits?: InputLimits): Promise<{ label: string; name: string; input: ImportInput; sha256: string; size: number; mtimeMs?: number }> {
  const disk = onDisk(file);
  if (disk) {
    const { full, name, label } = disk;
    let info;
    try {
      info = await stat(full);
    } catch (err) {
      throw unreadable('path' in file ? file.path : name, err);
    }
    if (info.isDirectory()) throw new ApiError({ code: 'bad-input', message: `${name}: is a directory, not an export file`, file: name });
    try {
      return { label, name, input: await openInput(name, full, limits), sha256: '', size: info.size, mtimeMs: info.mtimeMs };
    } catch (err) {
      if (err instanceof ImportError) throw toApiError(err, name);
      throw unreadable('path' in file ? file.path : name, err);
    }
  }
  if (!('contentBase64' in file)) throw new ApiError({ code: 'bad-input', message: 'a file to import is a path or an upload' });
  const bytes = Buffer.from(file.contentBase64, 'base64');
  try {
    return { label: `upload:${file.name}`, name: file.name, input: createInput(file.name, bytes, limits), sha256: sha256Of(bytes), size: bytes.length };
  } catch (err) {
    throw toApiError(err, file.name);
  }
}

async function* fragmentsOf(result: ReturnType<Importer['parse']>): AsyncIterable<GraphFragment> {
  if (Symbol.asyncIterator in result) yield* result;
  else if (Symbol.iterator in result) yield* result;
  else yield await result;
}

let lastBreath = 0;
/**
 * Between chunks of a long import, lets the event loop run (twice: a new connection is accepted in one turn and
 * read in the next), so importProgress and cancelImport are answered over IPC and HTTP while the import holds
 * the case, and the Electron main process stays responsive. At most every 50 ms, so throughput is unchanged.
 */
async function breathe(): Promise<void> {
  if (performance.now() - lastBreath < 50) return;
  for (let turn = 0; turn < 2; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
  lastBreath = performance.now();
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ApiError({ code: 'cancelled', message: 'import cancelled; nothing was changed' });
}

function toApiError(err: unknown, fileName?: string, casePath?: string): ApiError {
  if (err instanceof ApiError) return err;
  // The case could not be written (full disk, size limit, another process): the case's fault, not the file's.
  const failure = casePath === undefined ? undefined : caseFailure(err, casePath);
  if (failure) return new ApiError({ code: 'case', message: failure.message });
  if (err instanceof ImportError) {
    return new ApiError({ code: 'bad-input', message: err.message, file: err.file, ...(err.location ? { location: err.location } : {}) });
  }
  const message = (err as Error)?.message ?? String(err);
  // An importer bug must still name the file, and must not leave a half-written case (the caller rolls back).
  return new ApiError({ code: fileName ? 'bad-input' : 'internal', message: fileName ? `${fileName}: ${message}` : message, ...(fileName ? { file: fileName } : {}) });
}
