import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RendererBridge, ShellCommand } from '../contract';
import { createAnalysisSlice } from './analysis-slice';
import { createCaseSlice } from './case-slice';
import { createCompareSlice } from './compare-slice';
import { createDeliverSlice } from './deliver-slice';
import { createGraphSlice } from './graph-slice';
import { createHistorySlice } from './history-slice';
import { createReachersSlice } from './reachers-slice';
import { createSelectionSlice } from './selection-slice';
import type { AppState, SliceDeps } from './types';
import { createUiSlice } from './ui-slice';
import { createWorkspaceSlice } from './workspace-slice';

export type { AppState } from './types';

/** One store per window. It holds data, ids, the mode and the selection; Cytoscape objects live in the canvas. */
export function createAppStore(bridge: RendererBridge): StoreApi<AppState> {
  const store = createStore<AppState>()((set, get) => {
    const deps: SliceDeps = { set, get, api: bridge.api, shell: bridge.shell };
    return {
      ...createCaseSlice(deps),
      ...createGraphSlice(deps),
      ...createSelectionSlice(deps),
      ...createAnalysisSlice(deps),
      ...createUiSlice(deps),
      ...createHistorySlice(deps),
      ...createWorkspaceSlice(deps),
      ...createCompareSlice(deps),
      ...createReachersSlice(deps),
      ...createDeliverSlice(deps),
    };
  });
  bridge.shell.onCommand((command) => runShellCommand(store, command));
  return store;
}

/** Menu commands of the Electron shell. */
export function runShellCommand(store: StoreApi<AppState>, command: ShellCommand): void {
  const s = store.getState();
  switch (command) {
    case 'open-case':
      void s.openCase(false);
      break;
    case 'new-case':
      void s.openCase(true);
      break;
    case 'import':
      s.setImportOpen(true);
      break;
    case 'export-png':
    case 'export-svg':
    case 'fit':
      s.sendCommand(command);
      break;
    case 'toggle-theme':
      s.toggleTheme();
      break;
    case 'show-help':
      s.setHelpOpen(true);
      break;
    case 'export-report':
      void s.exportReport();
      break;
    case 'unlock-case':
      s.setUnlockOpen(true);
      break;
  }
}

export const AppStoreContext = createContext<StoreApi<AppState> | null>(null);

export function useAppStore(): StoreApi<AppState> {
  const store = useContext(AppStoreContext);
  if (!store) throw new Error('AppStoreContext is missing');
  return store;
}

export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(useAppStore(), selector);
}
