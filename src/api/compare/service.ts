// The engine's comparison calls: another case file, the snapshots a case keeps, and plan-impact (a file imported
// into a private copy of the case). Each side becomes a PresentSide; compareStates does the work; presentDiff shapes it.
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { compareStates } from '../../analysis/compare/compare.js';
import { scopeReplacements, type Replacement } from '../../analysis/compare/replace-rule.js';
import { deserializeState, takeStateSnapshot } from '../../analysis/compare/snapshot.js';
import { stateOfStore, type GraphState } from '../../analysis/compare/state.js';
import type { GraphIndex } from '../../analysis/index/graph-index.js';
import { loadGraphIndex } from '../../analysis/index/snapshot.js';
import { CaseError, CaseStore, type StateSnapshotRow } from '../../store/case-store.js';
import type { CaseDiff, CompareCaseRequest, CompareSnapshotsRequest, DiffLimits, ImportFile, PlanImpact, PlanImpactRequest, SnapshotInfo } from '../contract.js';
import { ApiError } from '../errors.js';
import { runImport } from '../import.js';
import { sourceInfo, Views } from '../views.js';
import { presentDiff, type PresentSide } from './present.js';

/** A live case as one side of a comparison. */
export function liveSide(store: CaseStore, views: Views, index: GraphIndex, info: Omit<PresentSide['info'], 'sources'>): PresentSide {
  const state = stateOfStore(store, index);
  return {
    state,
    info: { ...info, sources: store.sources().map(sourceInfo) },
    edgeView: (e) => {
      const row = store.edge(index.d.edgeId[e]!);
      return row ? views.edge(row) : undefined;
    },
    statementView: (s) => {
      const row = s.rowId === undefined ? undefined : store.edge(s.rowId);
      return row ? views.edge(row) : undefined;
    },
  };
}

function snapshotSide(store: CaseStore, row: StateSnapshotRow): PresentSide {
  const blob = store.stateSnapshotData(row.id);
  const state: GraphState | string = blob ? deserializeState(blob) : 'it is gone';
  if (typeof state === 'string') throw new ApiError({ code: 'case', message: `snapshot ${row.id} cannot be read: ${state}` });
  return { state, info: { label: `snapshot ${row.id}: ${row.label} (${row.takenAt})`, kind: 'snapshot', snapshot: snapshotInfo(row), sources: state.sources.map(sourceInfo) } };
}

export function snapshotInfo(row: StateSnapshotRow): SnapshotInfo {
  return { id: row.id, takenAt: row.takenAt, label: row.label, auto: row.auto, replaced: row.replaced, counts: row.counts, bytes: row.bytes };
}

/** Compares two sides; `limits` bound the expensive parts. */
export function diffSides(before: PresentSide, after: PresentSide, limits: DiffLimits = {}): CaseDiff {
  const started = performance.now();
  const raw = compareStates(before.state, after.state, { ...(limits.maxOrigins !== undefined ? { maxOrigins: limits.maxOrigins } : {}), ...(limits.maxTargets !== undefined ? { maxTargets: limits.maxTargets } : {}) });
  return presentDiff(raw, before, after, limits, started);
}

/**
 * Opens a case file for reading only. A case of an older schema cannot be read in place without migrating it, so it
 * is copied to a private directory and the copy is migrated; the file given is never written.
 */
export function openForReading(path: string): { store: CaseStore; close: () => void } {
  try {
    const store = CaseStore.open(path, { readonly: true });
    return { store, close: () => store.close() };
  } catch (err) {
    if (!(err instanceof CaseError) || !/needs an upgrade/.test(err.message)) throw new ApiError({ code: 'case', message: (err as Error).message });
  }
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-read-'));
  try {
    const copy = join(dir, basename(path));
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
    const store = CaseStore.open(copy);
    return {
      store,
      close: () => {
        store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err instanceof CaseError ? new ApiError({ code: 'case', message: err.message }) : err;
  }
}

/** The other case of compareCase: a path, or an upload written to a private temporary file first. */
function openOther(file: ImportFile): { store: CaseStore; path: string; close: () => void } {
  if ('path' in file) {
    const opened = openForReading(resolve(file.path));
    return { ...opened, path: resolve(file.path) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-compare-'));
  const path = join(dir, basename(file.name) || 'other.blastmap');
  try {
    writeFileSync(path, Buffer.from(file.contentBase64, 'base64'), { mode: 0o600 });
    const opened = openForReading(path);
    return {
      store: opened.store,
      path: file.name,
      close: () => {
        opened.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** `blastmap diff old.blastmap new.blastmap`: both files opened read-only. */
export function diffCaseFiles(beforePath: string, afterPath: string, limits: DiffLimits = {}): CaseDiff {
  const a = openForReading(resolve(beforePath));
  try {
    const b = openForReading(resolve(afterPath));
    try {
      const sideOf = (store: CaseStore, path: string) => liveSide(store, new Views(store), loadGraphIndex(store).index, { label: path, kind: 'case', path });
      return diffSides(sideOf(a.store, resolve(beforePath)), sideOf(b.store, resolve(afterPath)), limits);
    } finally {
      b.close();
    }
  } finally {
    a.close();
  }
}

/** The engine's comparison calls over its own case. `index` is the engine's graph index (loaded on first use). */
export class CompareService {
  constructor(
    private readonly store: CaseStore,
    private readonly views: Views,
    private readonly index: () => GraphIndex,
  ) {}

  private current(label = this.store.path): PresentSide {
    return liveSide(this.store, this.views, this.index(), { label, kind: 'case', path: this.store.path });
  }

  compareCase(req: CompareCaseRequest): CaseDiff {
    const other = openOther(req.other);
    try {
      const side = liveSide(other.store, new Views(other.store), loadGraphIndex(other.store).index, { label: other.path, kind: 'case', path: other.path });
      const mine = this.current();
      return req.otherIs === 'after' ? diffSides(mine, side, req.limits) : diffSides(side, mine, req.limits);
    } finally {
      other.close();
    }
  }

  snapshots(): SnapshotInfo[] {
    return this.store.stateSnapshotList().map(snapshotInfo);
  }

  takeSnapshot(label?: string): SnapshotInfo {
    if (this.store.inTransaction) throw new ApiError({ code: 'case', message: 'an import is running; take the snapshot when it is done' });
    this.store.begin();
    try {
      const row = takeStateSnapshot(this.store, { label: label?.trim() || 'taken on request', auto: false });
      this.store.commit();
      return snapshotInfo(row);
    } catch (err) {
      this.store.rollback();
      throw err;
    }
  }

  compareSnapshots(req: CompareSnapshotsRequest): CaseDiff {
    const before = this.sideOf(req.before);
    const after = this.sideOf(req.after ?? 'current');
    return diffSides(before, after, req.limits);
  }

  /** A snapshot ref: 'current', 'latest', an id, an ISO time, or the file name of a source a re-import replaced. */
  private sideOf(ref: string): PresentSide {
    const r = ref.trim();
    if (r === 'current') return this.current();
    const rows = this.store.stateSnapshotList();
    const none = () =>
      new ApiError({
        code: 'not-found',
        message: rows.length
          ? `no snapshot matches '${ref}'; this case has snapshots ${rows.map((s) => `${s.id} (${s.takenAt}, ${s.label})`).join('; ')}`
          : `this case has no snapshots yet: one is taken when a re-import replaces a source (or with \`blastmap snapshot --case …\`)`,
      });
    let row: StateSnapshotRow | undefined;
    if (r === 'latest') row = rows[rows.length - 1];
    else if (/^\d+$/.test(r)) row = rows.find((s) => s.id === Number(r));
    else if (/^\d{4}-\d{2}-\d{2}/.test(r) && !Number.isNaN(Date.parse(r))) {
      // The case as it was at that time: the state the first re-import after it replaced, or the case as it is.
      const t = Date.parse(r);
      row = rows.find((s) => Date.parse(s.takenAt) > t);
      if (!row) return this.current(`the case as it is (no re-import since ${r})`);
    } else row = [...rows].reverse().find((s) => s.replaced.some((x) => x.fileName === r || String(x.id) === r.replace(/^source:/, '')));
    if (!row) throw none();
    return snapshotSide(this.store, row);
  }

  async planImpact(req: PlanImpactRequest): Promise<PlanImpact> {
    const dir = mkdtempSync(join(tmpdir(), 'blastmap-plan-'));
    const copyPath = join(dir, 'plan.blastmap');
    try {
      await this.store.backupTo(copyPath);
      const copy = CaseStore.open(copyPath);
      try {
        const original = this.store.sources();
        // Derived facts that depend on time (key ages) are computed as of the case's last import, so the comparison
        // shows what the file changes, not what time did.
        const asOf = original.reduce<string | undefined>((t, s) => (!t || s.importedAt > t ? s.importedAt : t), undefined);
        const replaced: Replacement[] = [];
        const imported = new Set<number>();
        const result = await runImport(
          copy,
          { files: req.files, ...(req.options ? { options: req.options } : {}) },
          {
            now: asOf ? new Date(asOf) : new Date(),
            snapshot: false,
            by: 'plan-impact',
            alsoReplaces: (store, source) => {
              imported.add(source.id);
              if (req.replace === 'same-file' && !req.replaces?.length) return [];
              const found = scopeReplacements(store, source, imported, req.replaces ?? []).filter((x) => req.replace !== 'same-file' || x.rule.startsWith('named'));
              replaced.push(...found);
              return found.map((x) => x.source.id);
            },
          },
        );
        // Sources the import's own rule replaced (the same file or content) are gone from the copy too.
        const left = new Set(copy.sources().map((s) => s.id));
        for (const s of original) if (!left.has(s.id) && !replaced.some((x) => x.source.id === s.id)) replaced.push({ source: s, rule: 'the same file or content (a re-import)' });
        const names = req.files.map((f) => ('path' in f ? basename(f.path) : f.name)).join(', ');
        const after = liveSide(copy, new Views(copy), loadGraphIndex(copy).index, { label: `the case after importing ${names}`, kind: 'plan' });
        const started = performance.now();
        const before = this.current();
        const raw = compareStates(before.state, after.state, { ...(req.limits?.maxOrigins !== undefined ? { maxOrigins: req.limits.maxOrigins } : {}), ...(req.limits?.maxTargets !== undefined ? { maxTargets: req.limits.maxTargets } : {}) });
        const diff = presentDiff(raw, before, after, req.limits, started);
        return {
          diff,
          imported: result.sources,
          replaced: replaced.map((x) => ({ source: sourceInfo(x.source), rule: x.rule })),
          gate: {
            newAdminPaths: diff.summary.paths.newAdminPaths,
            newCritical: diff.summary.findings.newBySeverity.critical ?? 0,
            newHigh: diff.summary.findings.newBySeverity.high ?? 0,
          },
        };
      } finally {
        copy.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
