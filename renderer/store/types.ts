import type { StoreApi } from 'zustand/vanilla';
import type { BlastmapApi, ShellServices } from '../contract';
import type { AnalysisSlice } from './analysis-slice';
import type { CaseSlice } from './case-slice';
import type { CompareSlice } from './compare-slice';
import type { DeliverSlice } from './deliver-slice';
import type { GraphSlice } from './graph-slice';
import type { HistorySlice } from './history-slice';
import type { ReachersSlice } from './reachers-slice';
import type { SelectionSlice } from './selection-slice';
import type { UiSlice } from './ui-slice';
import type { WorkspaceSlice } from './workspace-slice';

export type AppState = CaseSlice & GraphSlice & SelectionSlice & AnalysisSlice & UiSlice & HistorySlice & WorkspaceSlice & CompareSlice & ReachersSlice & DeliverSlice;

export interface SliceDeps {
  set: StoreApi<AppState>['setState'];
  get: () => AppState;
  api: BlastmapApi;
  shell: ShellServices;
}

export type SliceCreator<T> = (deps: SliceDeps) => T;

/** A point in the canvas's model coordinates. */
export interface Position {
  x: number;
  y: number;
}
