import type { SliceCreator } from './types';

/**
 * A mode of the explorer: one entry of the mode registry (renderer/modes.tsx), which gives its tab, key and panel.
 * A string so that a new mode is one registry line; the built-in ones are named in BUILTIN_MODES.
 */
export type Mode = string;
export const BUILTIN_MODES = ['explore', 'blast', 'paths', 'findings', 'triage', 'inventory', 'compare'] as const;
export type Theme = 'light' | 'dark';
/** 'force' lays a graph out by its edges (grids past the force-layout size); 'lanes' is the path view (layouts.ts). */
export type LayoutName = 'force' | 'lanes';
export type FilterDimension = 'kind' | 'provider' | 'boundary';

export interface Filters {
  hiddenKinds: string[];
  hiddenProviders: string[];
  hiddenBoundaries: string[];
  /** Hide edges whose condition cannot be decided offline, and do not follow them in analyses. */
  hideConditional: boolean;
}

/** Requests to the canvas, which owns Cytoscape; `seq` makes a repeated request distinct. */
export type CanvasCommand = { type: 'fit' | 'fit-readable' | 'zoom-in' | 'zoom-out' | 'relayout' | 'export-png' | 'export-svg' | 'center-selection'; seq: number };

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
  /**
   * The first view of the blast radius drawn, or of a picked node, could not keep clear of the open legend
   * (canvas-view.ts clearOfEdges): the legend, without a choice the user made, stays closed until the next drawing
   * or mode.
   */
  legendCovers: boolean;
  setLegendCovers(covers: boolean): void;
  /**
   * The styles the canvas draws ('category:…', 'provider:…', 'node.<class>', 'edge', 'edge.<class>'): the legend lists
   * only those; null (nothing drawn, or a drawing past the labels' management) lists them all.
   */
  drawnStyles: string[] | null;
  setDrawnStyles(styles: string[] | null): void;
  setMode(mode: Mode): void;
  setTheme(theme: Theme): void;
  toggleTheme(): void;
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

/** The layout a mode draws with: paths read in lanes, everything else by its edges. */
export function layoutOf(mode: Mode): LayoutName {
  return mode === 'paths' ? 'lanes' : 'force';
}

export const createUiSlice: SliceCreator<UiSlice> = ({ set, get }) => ({
  mode: 'explore',
  theme: 'light',
  layout: 'force',
  filters: NO_FILTERS,
  helpOpen: false,
  importOpen: false,
  filtersOpen: false,
  notice: null,
  command: null,
  legendCovers: false,
  setLegendCovers: (legendCovers) => set({ legendCovers }),
  drawnStyles: null,
  setDrawnStyles: (drawnStyles) => set({ drawnStyles }),
  setMode: (mode) => {
    const layout = layoutOf(mode);
    if (get().legendCovers && mode !== get().mode) set({ legendCovers: false });
    // Entering the path view lays out what is drawn in lanes; leaving it keeps the picture (nothing jumps).
    if (layout === 'lanes' && get().layout !== 'lanes') set({ mode, layout, graphSeq: get().graphSeq + 1, layoutIntent: 'full' });
    else set({ mode, layout: layout === 'force' && get().layout === 'lanes' ? 'force' : layout });
  },
  setTheme: (theme) => set({ theme }),
  toggleTheme: () => set({ theme: get().theme === 'dark' ? 'light' : 'dark' }),
  toggleHidden: (dimension, value) => {
    get().remember();
    const key = KEYS[dimension];
    const list = get().filters[key];
    set({ filters: { ...get().filters, [key]: list.includes(value) ? list.filter((v) => v !== value) : [...list, value] } });
  },
  setHideConditional: (hide) => {
    get().remember();
    set({ filters: { ...get().filters, hideConditional: hide } });
  },
  resetFilters: () => {
    get().remember();
    set({ filters: NO_FILTERS });
  },
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setImportOpen: (importOpen) => set({ importOpen }),
  setFiltersOpen: (filtersOpen) => set({ filtersOpen }),
  notify: (notice) => set({ notice }),
  sendCommand: (type) => set({ command: { type, seq: (get().command?.seq ?? 0) + 1 } }),
});
