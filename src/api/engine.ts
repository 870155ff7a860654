import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { GraphIndex } from '../analysis/index/graph-index.js';
import { loadGraphIndex } from '../analysis/index/snapshot.js';
import { IMPORTERS } from '../importers/index.js';
import { NODE_KINDS } from '../model/kinds.js';
import { caseFailure, CaseError, CaseStore, type StoredEdge } from '../store/case-store.js';
import { AnalysisViews } from './analysis.js';
import { CompareService } from './compare/service.js';
import { Deliver, type GraphFormat } from './deliver.js';
import type { BlastmapApi, ContainmentCheck, ExportTableRequest, Finding, ImportProgressView, ImportResult, NodeSummary, ObservedActivity, SavedView, Severity, Subgraph } from './contract.js';
import type { TextSink } from '../export/sink.js';
import { ApiError } from './errors.js';
import { estateOverview } from './estate.js';
import { caseId } from './case-id.js';
import { AS_OF_META, runImport, type EngineImportRequest, type ImportHooks } from './import.js';
import type { ImportJob, WorkerMessage } from './import-worker.js';
import { findingOf, sourceInfo, Views } from './views.js';
import { reachersView } from './reachers-view.js';

export interface Engine extends BlastmapApi {
  readonly store: CaseStore;
  /** Import with progress and cancellation (the contract's importFiles is this without hooks), or of uploads on disk. */
  importWithHooks(arg: EngineImportRequest, hooks: ImportHooks): ReturnType<BlastmapApi['importFiles']>;
  /** A table streamed to a sink (the CLI writes files this way; exportTable is this into a string). */
  writeTable(arg: ExportTableRequest, sink: TextSink): Promise<{ rows: number; baseName: string }>;
  /** The whole graph as OpenGraph JSON, GraphML (a file or a sink) or a Neo4j import folder. */
  exportGraph(format: GraphFormat, out: string | TextSink): Promise<{ nodes: number; edges: number }>;
  close(): void;
}

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export interface EngineOptions {
  create?: boolean;
  nativeBinding?: string;
  /**
   * The built import worker (dist/…/import-worker.js): imports then run in a worker thread on their own connection,
   * so the thread serving the window or the browser stays free. Without it they run on the caller's thread.
   */
  importWorker?: string | URL;
  /** The path caseInfo reports, when the engine works on a copy (a decrypted .blastmap.enc). */
  displayPath?: string;
  /** Called while a mark waits for another process writing the case (imports report it as progress). */
  onBusy?: (waitedMs: number) => void;
}

/** Opens (or creates) a case and returns the engine API over it. */
export function openEngine(path: string, options: EngineOptions = {}): Engine {
  try {
    return createEngine(CaseStore.open(path, options), options);
  } catch (err) {
    const failure = err instanceof CaseError ? err : caseFailure(err, path);
    if (failure) throw new ApiError({ code: 'case', message: failure.message });
    throw err;
  }
}

export function createEngine(store: CaseStore, options: Pick<EngineOptions, 'importWorker' | 'nativeBinding' | 'displayPath' | 'onBusy'> = {}): Engine {
  const views = new Views(store);
  // The graph index is loaded (from its snapshot, or built) on the first analysis call and dropped by imports.
  let index: GraphIndex | undefined;
  let analysis: AnalysisViews | undefined;
  // What this engine caches (the graph index, views, the store's aliases) describes the case as of seenVersion;
  // another process (a CLI import or mark while `serve` runs, an import worker) changes PRAGMA data_version.
  let seenVersion = store.dataVersion();
  const fresh = () => {
    if (store.inTransaction) return;
    const version = store.dataVersion();
    if (version === seenVersion) return;
    seenVersion = version;
    store.forget();
    views.invalidate();
    index = undefined;
    analysis = undefined;
  };
  // Calls run one at a time: an import holds a transaction across awaits, and nothing may read halfway through it.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => T | Promise<T>): Promise<T> => {
    const call = async () => {
      try {
        fresh();
        return await fn();
      } catch (err) {
        // The case could not be read or written (another process, a full disk): a `case` error naming the file.
        const failure = err instanceof ApiError ? undefined : caseFailure(err, store.path);
        throw failure ? new ApiError({ code: 'case', message: failure.message }) : err;
      }
    };
    const run = queue.then(call, call);
    queue = run.catch(() => undefined);
    return run;
  };
  /** A write of its own (a mark): waits while another process writes the case, then commits. */
  const write = async <T>(fn: () => T): Promise<T> => {
    await store.beginWhenFree(options.onBusy ? { onWait: options.onBusy } : {});
    try {
      const out = fn();
      store.commit();
      return out;
    } catch (err) {
      store.rollback();
      throw err;
    }
  };
  const analyse = (): AnalysisViews => {
    index ??= loadGraphIndex(store).index;
    return (analysis ??= new AnalysisViews(store, views, index));
  };
  const compare = new CompareService(store, views, () => (index ??= loadGraphIndex(store).index));
  // The running import, outside the queue so progress and cancel answer while it holds the case.
  let running: { progress: ImportProgressView | null; abort: AbortController } | undefined;

  const requireNode = (id: string): NodeSummary => {
    const n = store.node(id);
    if (!n) throw new ApiError({ code: 'not-found', message: `no node with id ${JSON.stringify(id)} in this case` });
    return views.summary(n);
  };

  const findingView = (f: ReturnType<CaseStore['findings']>[number]): Finding => {
    const n = store.node(f.nodeId);
    return findingOf(f, n ? views.summary(n) : undefined);
  };
  const listFindings = (severity?: Severity, rule?: string): Finding[] =>
    store
      .findings()
      // A scanner's findings are `<scanner>:<check>`: --rule prowler lists them all.
      .filter((f) => (!severity || f.severity === severity) && (!rule || f.rule === rule || f.rule.startsWith(`${rule}:`)))
      .map(findingView)
      .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.title.localeCompare(b.title));
  // Inventory, triage, tables out and the report (deliver.ts) read through the same analysis views.
  const deliver = new Deliver({ store, views, analysis: analyse, findings: () => listFindings() });

  const engine: Engine = {
    store,
    close: () => store.close(),

    caseInfo: () =>
      serial(() => {
        const asOf = store.getMeta(AS_OF_META);
        const path = options.displayPath ?? store.path;
        return { path, id: caseId(path), schemaVersion: store.schemaVersion, sources: store.sources().map(sourceInfo), counts: store.counts(), ...(asOf ? { asOf } : {}) };
      }),

    formats: () => serial(() => IMPORTERS.map((i) => ({ format: i.format, title: i.title, provider: i.provider, producedBy: i.producedBy }))),

    importFiles: (arg) => engine.importWithHooks(arg, {}),

    importWithHooks: (arg, hooks) =>
      serial(async () => {
        const abort = new AbortController();
        hooks.signal?.addEventListener('abort', () => abort.abort());
        const current: NonNullable<typeof running> = { progress: null, abort };
        running = current;
        // The import builds the graph index before it commits; the engine keeps it (or reads the snapshot the worker
        // saved) before answering, so the first analysis after an import is as quick as the next ones.
        let built: GraphIndex | undefined;
        const previous = index;
        index = undefined;
        analysis = undefined;
        try {
          const importHooks: ImportHooks = {
            ...hooks,
            signal: abort.signal,
            onProgress: (p) => {
              current.progress = p;
              hooks.onProgress?.(p);
            },
            onIndex: (ix) => (built = ix),
            ...(previous ? { previousIndex: previous } : {}),
          };
          if (!options.importWorker) {
            const result = await runImport(store, arg, importHooks);
            index = built;
            return result;
          }
          const job: ImportJob = { path: store.path, request: arg, now: (hooks.now ?? new Date()).toISOString(), ...(hooks.by ? { by: hooks.by } : {}), ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) };
          let result: ImportResult;
          try {
            result = await importInWorker(options.importWorker, job, importHooks, () => runImport(store, arg, importHooks));
          } finally {
            // Another connection wrote the case: what this one remembers about it is stale.
            store.forget();
          }
          index = built ?? loadGraphIndex(store).index;
          return result;
        } finally {
          running = undefined;
          views.invalidate();
        }
      }),

    importProgress: async () => running?.progress ?? null,

    cancelImport: async () => {
      if (!running) return { cancelled: false };
      running.abort.abort();
      return { cancelled: true };
    },

    search: ({ text, limit }) => serial(() => store.search(text, Math.min(limit ?? 20, 200)).map((h) => ({ node: views.summary(h.node), matched: h.matched }))),

    resolve: ({ ref }) =>
      serial(() => {
        const exact = store.byHandle(ref.trim());
        const unique = [...new Map(exact.map((n) => [n.id, n])).values()];
        if (unique.length === 1) return { status: 'found' as const, node: views.summary(unique[0]!) };
        if (unique.length > 1) return { status: 'ambiguous' as const, candidates: unique.slice(0, 20).map((n) => views.summary(n)) };
        return { status: 'unknown' as const, candidates: store.search(ref, 10).map((h) => views.summary(h.node)) };
      }),

    node: ({ id, edgeLimit, since, until }) =>
      serial(() => {
        const n = store.node(id);
        if (!n) throw new ApiError({ code: 'not-found', message: `no node with id ${JSON.stringify(id)} in this case` });
        const limit = edgeLimit ?? 500;
        const out = store.edgesOf(n.id, 'out', limit);
        const inn = store.edgesOf(n.id, 'in', limit);
        const truncated = out.length > limit || inn.length > limit;
        const sources = n.sources.map((s) => views.sourceRef(s)).filter((s) => s !== undefined);
        const activity = observedActivity(out.slice(0, limit), inn.slice(0, limit), views, since, until);
        return {
          node: views.summary(n),
          props: n.props,
          handles: n.handles,
          sources,
          out: out.slice(0, limit).map((e) => ({ edge: views.edge(e), other: views.summaryOf(e.dst) })),
          in: inn.slice(0, limit).map((e) => ({ edge: views.edge(e), other: views.summaryOf(e.src) })),
          marks: store.activeMarks(n.id).map((m) => ({ nodeId: m.nodeId, mark: m.mark, note: m.note, by: m.by, at: m.at })),
          findings: store.findings({ nodeId: n.id }).map(findingView),
          truncated,
          ...(activity.length ? { activity } : {}),
        };
      }),

    neighbors: ({ ids, limit }) =>
      serial(() => {
        const max = limit ?? 200;
        const nodes = new Map<string, NodeSummary>();
        const edges: Subgraph['edges'] = [];
        let truncated = false;
        for (const id of ids) {
          const n = store.node(id);
          if (!n) continue;
          nodes.set(n.id, views.summary(n));
          for (const dir of ['out', 'in'] as const) {
            const list = store.edgesOf(n.id, dir, max);
            if (list.length > max) truncated = true;
            for (const e of list.slice(0, max)) {
              const other = dir === 'out' ? e.dst : e.src;
              if (!nodes.has(other)) nodes.set(other, views.summaryOf(other));
              edges.push(views.edge(e));
            }
          }
        }
        return { nodes: [...nodes.values()], edges: dedupeEdges(edges), truncated };
      }),

    overview: ({ limit }) =>
      serial(() => {
        // Boundaries, admin nodes and marked nodes first: the map an architect starts from.
        const max = limit ?? 500;
        const nodes = new Map<string, NodeSummary>();
        for (const [kind, spec] of Object.entries(NODE_KINDS)) {
          if (spec.category !== 'boundary' && spec.category !== 'admin') continue;
          for (const n of store.nodesOfKind(kind as keyof typeof NODE_KINDS)) {
            if (nodes.size >= max) break;
            nodes.set(n.id, views.summary(n));
          }
        }
        for (const m of store.activeMarks()) {
          if (nodes.size >= max) break;
          const n = store.node(m.nodeId);
          if (n) nodes.set(n.id, views.summary(n));
        }
        const edges: Subgraph['edges'] = [];
        for (const id of nodes.keys()) for (const e of store.edgesOf(id, 'out', 200)) if (nodes.has(e.dst)) edges.push(views.edge(e));
        return { nodes: [...nodes.values()], edges: dedupeEdges(edges), truncated: nodes.size >= max };
      }),

    mark: ({ ids, mark, note, by }) =>
      serial(async () => {
        const at = new Date().toISOString();
        for (const id of ids) requireNode(id);
        const out = await write(() =>
          ids.map((id) => {
            const m = store.addMark(store.canonical(id), mark, note ?? '', by ?? 'user', at);
            return { nodeId: m.nodeId, mark: m.mark, note: m.note, by: m.by, at: m.at };
          }),
        );
        views.invalidate();
        return out;
      }),

    unmark: ({ ids, mark }) =>
      serial(async () => {
        const at = new Date().toISOString();
        let removed = 0;
        await write(() => {
          for (const id of ids) removed += store.undoMark(store.canonical(id), mark, 'user', at);
        });
        views.invalidate();
        return { removed };
      }),

    blastRadius: ({ from, ...opts }) => serial(() => analyse().blastRadius(requireNode(from).id, opts)),

    paths: ({ from, to, ...opts }) => serial(() => analyse().paths(requireNode(from).id, to === 'admin' || to === 'high-value' ? to : requireNode(to).id, opts)),

    findings: ({ severity, rule }) => serial(() => listFindings(severity, rule)),

    containment: ({ from, targets, ...opts }) => serial(() => analyse().containment(requireNode(from).id, targets?.map((t) => requireNode(t).id), opts)),

    inventory: () => serial(() => deliver.inventory()),

    triage: (opts) => serial(() => deliver.triage(opts)),

    exportTable: (arg) => serial(() => deliver.exportTable(arg)),

    writeTable: (arg, sink) => serial(() => deliver.writeTable(arg, sink)),

    exportGraph: (format, out) => serial(() => deliver.exportGraph(format, out)),

    report: (arg) => serial(() => deliver.report(arg)),

    compareCase: (arg) => serial(() => compare.compareCase(arg)),
    snapshots: () => serial(() => compare.snapshots()),
    takeSnapshot: ({ label }) => serial(() => compare.takeSnapshot(label)),
    compareSnapshots: (arg) => serial(() => compare.compareSnapshots(arg)),
    planImpact: (arg) => serial(() => compare.planImpact(arg)),
    reachers: ({ id, limit, ...opts }) => serial(() => reachersView(analyse(), requireNode(id).id, opts, limit)),
    estate: (opts) =>
      serial(() => {
        const a = analyse();
        return estateOverview({ store, views, index: index!, summary: (v) => a.summary(v), finding: findingView }, opts);
      }),

    savedViews: () => serial(() => store.workspace.views().map(savedView)),

    // Workspace writes wait for another writer like marks do.
    saveView: ({ name, state }) => serial(() => write(() => savedView(store.workspace.saveView(name.trim(), JSON.stringify(state), new Date().toISOString())))),

    deleteView: ({ name }) => serial(() => write(() => ({ removed: store.workspace.deleteView(name.trim()) }))),

    containmentChecks: ({ origin }) => serial((): ContainmentCheck[] => store.workspace.checks(store.canonical(origin))),

    setContainmentCheck: ({ origin, cut, checked, by }) => serial(() => write((): ContainmentCheck => store.workspace.setCheck(store.canonical(origin), cut, checked, by ?? 'user', new Date().toISOString()))),
  };
  return engine;
}

/**
 * OBSERVED_USE edges of a node merged per other node: each log file stores its own edge for a pair, and a
 * responder asks "what did this key do", not "what did each file say". Kept when its [firstSeen, lastSeen]
 * overlaps [since, until].
 */
function observedActivity(out: StoredEdge[], inn: StoredEdge[], views: Views, since?: string, until?: string): ObservedActivity[] {
  const from = since ? Date.parse(since) : -Infinity;
  const to = until ? Date.parse(until) : Infinity;
  const merged = new Map<string, ObservedActivity>();
  for (const [direction, list] of [['out', out], ['in', inn]] as const) {
    for (const e of list) {
      if (e.kind !== 'OBSERVED_USE') continue;
      const first = e.firstSeen ?? (typeof e.props.firstSeen === 'string' ? e.props.firstSeen : undefined);
      const last = e.lastSeen ?? (typeof e.props.lastSeen === 'string' ? e.props.lastSeen : first);
      if (first && last && (Date.parse(last) < from || Date.parse(first) > to)) continue;
      const otherId = direction === 'out' ? e.dst : e.src;
      const key = `${direction}\u0000${otherId}`;
      let a = merged.get(key);
      if (!a) merged.set(key, (a = { direction, other: views.summaryOf(otherId), count: 0, actions: [], edgeIds: [] }));
      if (first && (!a.firstSeen || first < a.firstSeen)) a.firstSeen = first;
      if (last && (!a.lastSeen || last > a.lastSeen)) a.lastSeen = last;
      a.count += typeof e.props.count === 'number' ? e.props.count : 1;
      for (const act of Array.isArray(e.props.actions) ? e.props.actions : []) if (typeof act === 'string' && !a.actions.includes(act)) a.actions.push(act);
      a.edgeIds.push(e.id);
    }
  }
  return [...merged.values()].sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
}

function savedView(row: { name: string; state: string; savedAt: string }): SavedView {
  return { name: row.name, state: JSON.parse(row.state) as SavedView['state'], savedAt: row.savedAt };
}

function dedupeEdges<T extends { id: number }>(edges: T[]): T[] {
  return [...new Map(edges.map((e) => [e.id, e])).values()];
}

/** How long a cancelled worker may take to notice (it checks between files and phases) before it is stopped. */
const CANCEL_GRACE_MS = 2_000;

/**
 * Runs one import in a worker thread (import-worker.ts), relaying progress and cancellation. A worker that cannot
 * start (it said nothing before it failed) leaves the case untouched: the import then runs on this thread. A
 * cancelled worker that is still busy after the grace is stopped: its transaction dies with it, uncommitted.
 */
export function importInWorker(script: string | URL, job: ImportJob, hooks: ImportHooks, here: () => Promise<ImportResult>, graceMs = CANCEL_GRACE_MS): Promise<ImportResult> {
  return new Promise<ImportResult>((resolve, reject) => {
    let heard = false;
    let settled = false;
    let cancelled = false;
    let stopper: NodeJS.Timeout | undefined;
    const cancel = () => {
      cancelled = true;
      worker.postMessage('cancel');
      stopper = setTimeout(() => void worker.terminate(), graceMs);
    };
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(stopper);
      hooks.signal?.removeEventListener('abort', cancel);
      fn();
    };
    const failed = (why: string) =>
      settle(() => {
        if (cancelled) reject(new ApiError({ code: 'cancelled', message: 'import cancelled; nothing was changed' }));
        else if (heard) reject(new ApiError({ code: 'internal', message: `the import worker ${why}; nothing was changed` }));
        else here().then(resolve, reject);
      });
    const worker = new Worker(script, { workerData: job });
    hooks.signal?.addEventListener('abort', cancel);
    worker.on('message', (m: WorkerMessage) => {
      heard = true;
      if (m.type === 'progress') hooks.onProgress?.(m.progress);
      else if (m.type === 'done') settle(() => resolve(m.result));
      else settle(() => reject(new ApiError(m.error)));
    });
    worker.on('error', (err) => failed(`failed: ${err.message}`));
    worker.on('exit', (code) => failed(`stopped (exit code ${code}) before it answered`));
  });
}

/** The import worker built next to a bundle (dist/import-worker.js beside dist/blastmap.js), when there is one. */
export function importWorkerBeside(moduleUrl: string): URL | undefined {
  const url = new URL('./import-worker.js', moduleUrl);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : undefined;
}
