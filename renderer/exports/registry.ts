// Export buttons of the panels, as data. The serialisations (CSV, JSON, Markdown…) are made by the engine's export
// API; a panel only shows a footer slot listing the entries registered for it. Adding a button is one entry here.
import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from '../store';

export type ExportPanel = 'blast-radius' | 'containment';

export interface PanelExport {
  panel: ExportPanel;
  id: string;
  label: string;
  /** Shown only when this holds (e.g. a plan is on screen). */
  when?(s: AppState): boolean;
  run(store: StoreApi<AppState>): void | Promise<void>;
}

export const PANEL_EXPORTS: PanelExport[] = [];
