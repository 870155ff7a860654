// The explorer's modes as data: each is a tab in the toolbar, a key, and the panel it shows in the sidebar.
// Adding a mode is one entry here (its id is a plain string in the store).
import type { ComponentType } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { BlastRadiusPanel } from './panels/BlastRadius';
import { ComparePanel } from './panels/Compare';
import { ExplorePanel } from './panels/Explore';
import { FindingsPanel } from './panels/Findings';
import { InventoryPanel } from './panels/Inventory';
import { PathsPanel } from './panels/Paths';
import { TriagePanel } from './panels/Triage';
import type { AppState } from './store';

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
