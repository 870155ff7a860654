import type { CaseDiff, ImportFile, ImportRequest, PlanImpact, SnapshotInfo } from '../contract';
import { compareGraph, type CompareGraph, type DiffStatus } from '../graph/compare-graph';
import { describeError, toErrorShape } from './errors';
import { toImportFiles } from './import-files';
import type { SliceCreator } from './types';

/** What the open case is compared with. */
export type CompareSource = { kind: 'case'; name: string; otherIs: 'before' | 'after' } | { kind: 'plan'; name: string } | { kind: 'snapshot'; ref: string; name: string };

/** Entries listed per list, and paths drawn step by step, in the compare view. */
export const COMPARE_LIMITS = { maxListed: 300, maxPaths: 40 };

export interface CompareSlice {
  compare: CaseDiff | null;
  /** plan-impact's extras (sources replaced, gate), when the comparison is one. */
  compareImpact: Omit<PlanImpact, 'diff'> | null;
  compareSource: CompareSource | null;
  compareLoading: boolean;
  compareError: string | null;
  /** Whether the other case is the state before (default) or after the open one. */
  compareOtherIs: 'before' | 'after';
  compareStatus: Record<string, DiffStatus>;
  compareItems: CompareGraph['items'];
  /** The side-list entry highlighted on the canvas. */
  compareFocus: string | null;
  snapshotList: SnapshotInfo[] | null;
  setCompareOtherIs(v: 'before' | 'after'): void;
  compareWithCase(file: ImportFile, name: string): Promise<void>;
  /** Files picked in the page (browser mode uploads their bytes; Electron sends their paths). */
  compareWithFiles(files: File[], as: 'case' | 'plan', options?: ImportRequest['options']): Promise<void>;
  /** Electron: the native dialogs. */
  pickAndCompare(as: 'case' | 'plan', options?: ImportRequest['options']): Promise<void>;
  /** plan-impact: the files imported into a private copy of the case (with the import options they need). */
  testPlan(files: ImportFile[], name: string, options?: ImportRequest['options']): Promise<void>;
  compareWithSnapshot(ref: string): Promise<void>;
  loadSnapshots(): Promise<void>;
  focusCompareItem(key: string | null): void;
}

export const createCompareSlice: SliceCreator<CompareSlice> = ({ set, get, api, shell }) => {
  /** Runs one comparison and draws it: the union graph of both states around the changes, on one layout. */
  const run = async (source: CompareSource, call: () => Promise<{ diff: CaseDiff; impact: CompareSlice['compareImpact'] }>) => {
    set({ compareLoading: true, compareError: null, compareSource: source, compareFocus: null, mode: 'compare', layout: 'force' });
    try {
      const { diff, impact } = await call();
      const g = compareGraph(diff);
      set({ compare: diff, compareImpact: impact, compareLoading: false, compareStatus: g.status, compareItems: g.items, edgeViews: g.edgeViews });
      get().addNodes(g.nodes, g.edges, { replace: true });
      get().sendCommand('fit');
    } catch (err) {
      set({ compareLoading: false, compareError: describeError(toErrorShape(err)) });
    }
  };
  return {
    compare: null,
    compareImpact: null,
    compareSource: null,
    compareLoading: false,
    compareError: null,
    compareOtherIs: 'before',
    compareStatus: {},
    compareItems: {},
    compareFocus: null,
    snapshotList: null,

    setCompareOtherIs: (compareOtherIs) => set({ compareOtherIs }),

    compareWithCase: (file, name) => {
      const otherIs = get().compareOtherIs;
      return run({ kind: 'case', name, otherIs }, async () => ({ diff: await api.compareCase({ other: file, otherIs, limits: COMPARE_LIMITS }), impact: null }));
    },

    testPlan: (files, name, options) =>
      run({ kind: 'plan', name }, async () => {
        const { diff, ...impact } = await api.planImpact({ files, ...(options && Object.keys(options).length ? { options } : {}), limits: COMPARE_LIMITS });
        return { diff, impact };
      }),

    compareWithSnapshot: (ref) => {
      const snap = get().snapshotList?.find((s) => String(s.id) === ref);
      return run({ kind: 'snapshot', ref, name: snap ? `snapshot ${snap.id} (${snap.label})` : ref }, async () => ({ diff: await api.compareSnapshots({ before: ref, limits: COMPARE_LIMITS }), impact: null }));
    },

    compareWithFiles: async (files, as, options) => {
      if (!files.length) return;
      try {
        const refs = await toImportFiles(files, (f) => shell.pathOfDroppedFile(f));
        const name = files.map((f) => f.name).join(', ');
        if (as === 'case') await get().compareWithCase(refs[0]!, name);
        else await get().testPlan(refs, name, options);
      } catch (err) {
        set({ compareError: describeError(toErrorShape(err)) });
      }
    },

    pickAndCompare: async (as, options) => {
      try {
        if (as === 'case') {
          const file = await shell.pickCaseFile?.({});
          if (file) await get().compareWithCase(file, 'path' in file ? (file.path.split(/[\\/]/).pop() ?? file.path) : file.name);
        } else {
          const files = await shell.pickImportFiles({});
          if (files.length) await get().testPlan(files, files.map((f) => ('path' in f ? (f.path.split(/[\\/]/).pop() ?? f.path) : f.name)).join(', '), options);
        }
      } catch (err) {
        set({ compareError: describeError(toErrorShape(err)) });
      }
    },

    loadSnapshots: async () => {
      try {
        set({ snapshotList: await api.snapshots({}) });
      } catch {
        set({ snapshotList: [] });
      }
    },

    focusCompareItem: (key) => set({ compareFocus: get().compareFocus === key ? null : key }),
  };
};
