import type { ExportTableRequest, InventoryRow, ReportRequest, TriageRow } from '../contract';
import { download } from '../graph/export';
import { describeError, toErrorShape } from './errors';
import type { SliceCreator } from './types';

/** Inventory, triage, and the files the engine makes for the user to save (tables, the report). */
export interface DeliverSlice {
  inventory: InventoryRow[] | null;
  inventoryLoading: boolean;
  inventoryError: string | null;
  triage: TriageRow[] | null;
  triageLoading: boolean;
  triageError: string | null;
  /** What is being exported right now (a label), for the buttons to show. */
  exporting: string | null;
  loadInventory(): Promise<void>;
  loadTriage(): Promise<TriageRow[]>;
  /** A table from the engine (CSV, JSON, Markdown), saved as a download. */
  exportTable(req: ExportTableRequest): Promise<void>;
  /** The HTML report, saved as a download. */
  exportReport(req?: ReportRequest): Promise<void>;
  /** The passphrase dialog of an encrypted case the shell is waiting to open (Electron). */
  unlockOpen: boolean;
  unlockBusy: boolean;
  unlockError: string | null;
  setUnlockOpen(open: boolean): void;
  unlock(passphrase: string): Promise<void>;
}

export const createDeliverSlice: SliceCreator<DeliverSlice> = ({ set, get, api, shell }) => {
  const save = async (label: string, make: () => Promise<{ fileName: string; mediaType: string; text: string }>) => {
    if (get().exporting) return;
    set({ exporting: label });
    try {
      const file = await make();
      download(new Blob([file.text], { type: file.mediaType }), file.fileName);
    } catch (err) {
      get().notify({ kind: 'error', text: `Export failed: ${describeError(toErrorShape(err))}` });
    } finally {
      set({ exporting: null });
    }
  };
  return {
    inventory: null,
    inventoryLoading: false,
    inventoryError: null,
    triage: null,
    triageLoading: false,
    triageError: null,
    exporting: null,

    loadInventory: async () => {
      set({ inventoryLoading: true, inventoryError: null });
      try {
        set({ inventory: await api.inventory({}), inventoryLoading: false });
      } catch (err) {
        set({ inventoryLoading: false, inventoryError: describeError(toErrorShape(err)) });
      }
    },

    loadTriage: async () => {
      set({ triageLoading: true, triageError: null });
      try {
        const triage = await api.triage({ includeConditional: !get().filters.hideConditional });
        set({ triage, triageLoading: false });
        return triage;
      } catch (err) {
        set({ triageLoading: false, triageError: describeError(toErrorShape(err)) });
        return [];
      }
    },

    exportTable: (req) => save(`${req.table} ${req.format}`, () => api.exportTable(req)),
    exportReport: (req = {}) => save('report', () => api.report(req)),

    unlockOpen: false,
    unlockBusy: false,
    unlockError: null,
    setUnlockOpen: (unlockOpen) => set({ unlockOpen, unlockError: null }),
    unlock: async (passphrase) => {
      set({ unlockBusy: true, unlockError: null });
      try {
        const info = await shell.unlockCase({ passphrase });
        set({ unlockBusy: false, unlockOpen: false });
        // Another case is open now: start the page again on it, as opening a recent case does.
        if (info) window.location.reload();
      } catch (err) {
        set({ unlockBusy: false, unlockError: describeError(toErrorShape(err)) });
      }
    },
  };
};
