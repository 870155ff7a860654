// The explorer's modes as data: each is a tab in the toolbar, a key, and the panel it shows in the sidebar.
// Adding a mode is one entry here (its id is a plain string in the store).
// Only the Explore panel is in the app's first chunk: the others are chunks of their own, loaded when their mode is
// first shown (the first canvas does not wait for code it does not draw).
import { lazy, Suspense, type ComponentType } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { ExplorePanel } from './panels/Explore';
import type { AppState } from './store';

function lazyPanel(load: () => Promise<ComponentType>): ComponentType {
  const Lazy = lazy(async () => ({ default: await load() }));
  return function LazyPanel() {
    return (
      <Suspense fallback={<p className="muted panel-loading">Loading…</p>}>
        <Lazy />
      </Suspense>
    );
  };
}

const BlastRadiusPanel = lazyPanel(async () => (await import('./panels/BlastRadius')).BlastRadiusPanel);
const PathsPanel = lazyPanel(async () => (await import('./panels/Paths')).PathsPanel);
const FindingsPanel = lazyPanel(async () => (await import('./panels/Findings')).FindingsPanel);
const TriagePanel = lazyPanel(async () => (await import('./panels/Triage')).TriagePanel);
const InventoryPanel = lazyPanel(async () => (await import('./panels/Inventory')).InventoryPanel);
const ComparePanel = lazyPanel(async () => (await import('./panels/Compare')).ComparePanel);

export interface ModeSpec {
  id: string;
  label: string;
  /** The shortcut key (also shown in the tab's title). */
  key: string;
  Panel: ComponentType;
  /** The sidebar is wide (tables). */
  wide?: boolean;
  /** What the key and the tab do besides switching (e.g. run the analysis on the selection). */
  enter?(store: StoreApi<AppState>, via: 'tab' | 'key'): void;
}

export const MODES: ModeSpec[] = [
  { id: 'explore', label: 'Explore', key: '1', Panel: ExplorePanel },
  {
    id: 'blast',
    label: 'Blast radius',
    key: '2',
    Panel: BlastRadiusPanel,
    enter: (s, via) => {
      const id = s.getState().selectedId;
      if (via === 'key' && id) void s.getState().runBlast(id);
    },
  },
  {
    id: 'paths',
    label: 'Paths',
    key: '3',
    Panel: PathsPanel,
    enter: (s, via) => {
      const id = s.getState().selectedId;
      if (via === 'key' && id) void s.getState().runPaths(id);
    },
  },
  {
    id: 'findings',
    label: 'Findings',
    key: '4',
    Panel: FindingsPanel,
    wide: true,
    enter: (s) => {
      if (!s.getState().findings) void s.getState().loadFindings();
    },
  },
  {
    id: 'triage',
    label: 'Triage',
    key: '5',
    Panel: TriagePanel,
    enter: (s) => {
      if (!s.getState().triage) void s.getState().loadTriage();
    },
  },
  {
    id: 'inventory',
    label: 'Inventory',
    key: '6',
    Panel: InventoryPanel,
    enter: (s) => {
      if (!s.getState().inventory) void s.getState().loadInventory();
    },
  },
  { id: 'compare', label: 'Compare', key: '7', Panel: ComparePanel },
];

export function modeSpec(id: string): ModeSpec | undefined {
  return MODES.find((m) => m.id === id);
}

/** Switches to a mode as its tab or its key does. */
export function enterMode(store: StoreApi<AppState>, id: string, via: 'tab' | 'key'): void {
  const spec = modeSpec(id);
  if (!spec) return;
  store.getState().setMode(id);
  spec.enter?.(store, via);
}
