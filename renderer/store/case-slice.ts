import type { ApiErrorShape, CaseInfo, FormatInfo, ImportFile, ImportProgressView, ImportRequest, ImportResult } from '../contract';
import { toImportFiles } from './import-files';
import { describeError, toErrorShape } from './errors';
import type { SliceCreator } from './types';

export interface ImportState {
  running: boolean;
  progress: ImportProgressView | null;
  error: ApiErrorShape | null;
  result: ImportResult | null;
  cancelled: boolean;
}

export interface CaseSlice {
  caseInfo: CaseInfo | null;
  caseError: string | null;
  shellMode: 'electron' | 'browser';
  importState: ImportState;
  formats: FormatInfo[];
  loadCase(): Promise<void>;
  loadFormats(): Promise<void>;
  importFiles(files: ImportFile[], options?: ImportRequest['options']): Promise<void>;
  resetImport(): void;
  /** Electron: the native file dialog, then the import. Browser mode has no native dialog (the page's file input is used). */
  pickAndImport(options?: ImportRequest['options']): Promise<void>;
  /** Files picked or dropped, as the API takes them (paths in Electron, content in browser mode). */
  fileRefs(files: File[]): Promise<ImportFile[]>;
  cancelImport(): Promise<void>;
  openCase(create: boolean): Promise<void>;
}

const IDLE: ImportState = { running: false, progress: null, error: null, result: null, cancelled: false };
/** How often the import dialog asks for progress while an import runs. */
export const PROGRESS_POLL_MS = 250;

export const createCaseSlice: SliceCreator<CaseSlice> = ({ set, get, api, shell }) => {
  /** After the case changed under us: fresh counts, the overview, and no stale analysis. */
  const reloadAll = async () => {
    set({ blast: null, paths: [], highlightedPath: null, findings: null, containment: null, selectedId: null, details: null, mode: 'explore', inventory: null, triage: null });
    await get().loadCase();
    await get().loadOverview();
  };
  /**
   * After an import the canvas stays as the user left it (an overview is refreshed with the new counts); analyses
   * on screen were computed before it, and say so.
   */
  const afterImport = async () => {
    await get().loadCase();
    const s = get();
    if (s.estateShown || Object.keys(s.nodes).length === 0) await get().loadOverview();
    else {
      set({ findings: null });
      if (s.blast || s.paths.length || s.containment) get().notify({ kind: 'info', text: 'Imported. The analysis on screen was computed before this import: run it again to include the new data.' });
    }
  };
  return {
    caseInfo: null,
    caseError: null,
    shellMode: shell.mode,
    importState: IDLE,
    formats: [],

    loadFormats: async () => {
      if (get().formats.length) return;
      try {
        set({ formats: await api.formats({}) });
      } catch {
        // The dialog still works without the list: detection picks the format.
      }
    },

    resetImport: () => set({ importState: IDLE }),
    pickAndImport: async (options) => {
      try {
        const files = await shell.pickImportFiles({});
        if (files.length) await get().importFiles(files, options);
      } catch (err) {
        set({ importState: { ...IDLE, error: toErrorShape(err) } });
      }
    },
    fileRefs: (files) => toImportFiles(files, (f) => shell.pathOfDroppedFile(f)),

    loadCase: async () => {
      try {
        set({ caseInfo: await api.caseInfo({}), caseError: null });
      } catch (err) {
        set({ caseError: describeError(toErrorShape(err)) });
      }
    },

    importFiles: async (files, options) => {
      if (get().importState.running || files.length === 0) return;
      set({ importState: { ...IDLE, running: true } });
      const timer = setInterval(() => {
        api.importProgress({}).then(
          (progress) => {
            if (get().importState.running && progress) set({ importState: { ...get().importState, progress } });
          },
          () => undefined,
        );
      }, PROGRESS_POLL_MS);
      try {
        const result = await api.importFiles({ files, ...(options && Object.keys(options).length ? { options } : {}) });
        set({ importState: { ...IDLE, result } });
        await afterImport();
      } catch (err) {
        const error = toErrorShape(err);
        set({ importState: { ...IDLE, error, cancelled: error.code === 'cancelled' } });
      } finally {
        clearInterval(timer);
      }
    },

    cancelImport: async () => {
      try {
        await api.cancelImport({});
      } catch (err) {
        get().notify({ kind: 'error', text: describeError(toErrorShape(err)) });
      }
    },

    openCase: async (create) => {
      if (shell.mode !== 'electron') {
        get().notify({ kind: 'info', text: 'In browser mode the case is the one `blastmap serve --case …` opened. Use the desktop app or restart the server with another case.' });
        return;
      }
      try {
        const info = await shell.openCase({ create });
        if (info) await reloadAll();
      } catch (err) {
        get().notify({ kind: 'error', text: describeError(toErrorShape(err)) });
      }
    },
  };
};
