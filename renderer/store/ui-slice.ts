import type { SliceCreator } from './types';

export type Mode = 'explore' | 'blast' | 'paths' | 'findings' | 'triage' | 'inventory' | 'compare';
export type Theme = 'light' | 'dark';
export type LayoutName = 'fcose' | 'dagre';
export type FilterDimension = 'kind' | 'provider' | 'boundary';

export interface Filters {
  hiddenKinds: string[];
  hiddenProviders: string[];
  hiddenBoundaries: string[];
  /** Hide edges whose condition cannot be decided offline, and do not follow them in analyses. */
  hideConditional: boolean;
}

/** Requests to the canvas, which owns Cytoscape; `seq` makes a repeated request distinct. */
export type CanvasCommand = { type: 'fit' | 'zoom-in' | 'zoom-out' | 'relayout' | 'export-png' | 'export-svg' | 'center-selection'; seq: number };

export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

export interface UiSlice {
  mode: Mode;
  theme: Theme;
  layout: LayoutName;
  filters: Filters;
  helpOpen: boolean;
  importOpen: boolean;
  filtersOpen: boolean;
  notice: Notice | null;
  command: CanvasCommand | null;
  setMode(mode: Mode): void;
  setTheme(theme: Theme): void;
  toggleTheme(): void;
  setLayout(layout: LayoutName): void;
  toggleHidden(dimension: FilterDimension, value: string): void;
  setHideConditional(hide: boolean): void;
  resetFilters(): void;
  setHelpOpen(open: boolean): void;
  setImportOpen(open: boolean): void;
  setFiltersOpen(open: boolean): void;
  notify(notice: Notice | null): void;
  sendCommand(type: CanvasCommand['type']): void;
}

export const NO_FILTERS: Filters = { hiddenKinds: [], hiddenProviders: [], hiddenBoundaries: [], hideConditional: false };

const KEYS: Record<FilterDimension, keyof Omit<Filters, 'hideConditional'>> = { kind: 'hiddenKinds', provider: 'hiddenProviders', boundary: 'hiddenBoundaries' };

export const createUiSlice: SliceCreator<UiSlice> = ({ set, get }) => ({
  mode: 'explore',
  theme: 'light',
  layout: 'fcose',
  filters: NO_FILTERS,
  helpOpen: false,
  importOpen: false,
  filtersOpen: false,
  notice: null,
  command: null,
  setMode: (mode) => set({ mode, layout: mode === 'paths' ? 'dagre' : get().layout === 'dagre' && get().mode === 'paths' ? 'fcose' : get().layout }),
  setTheme: (theme) => set({ theme }),
  toggleTheme: () => set({ theme: get().theme === 'dark' ? 'light' : 'dark' }),
  setLayout: (layout) => set({ layout, command: { type: 'relayout', seq: (get().command?.seq ?? 0) + 1 } }),
  toggleHidden: (dimension, value) => {
    const key = KEYS[dimension];
    const list = get().filters[key];
    set({ filters: { ...get().filters, [key]: list.includes(value) ? list.filter((v) => v !== value) : [...list, value] } });
  },
  setHideConditional: (hide) => set({ filters: { ...get().filters, hideConditional: hide } }),
  resetFilters: () => set({ filters: NO_FILTERS }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setImportOpen: (importOpen) => set({ importOpen }),
  setFiltersOpen: (filtersOpen) => set({ filtersOpen }),
  notify: (notice) => set({ notice }),
  sendCommand: (type) => set({ command: { type, seq: (get().command?.seq ?? 0) + 1 } }),
});
