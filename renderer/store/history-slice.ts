// Undo and redo of canvas changes: each change first remembers the canvas as it was (its data, the mode, the
// analysis shown, the filters and where every node stood). Snapshots share the store's immutable objects, so they
// cost a reference each, plus a copy of the positions.
import type { AnalysisSlice } from './analysis-slice';
import type { GraphSlice } from './graph-slice';
import type { Position, SliceCreator } from './types';
import type { UiSlice } from './ui-slice';

export interface CanvasSnapshot {
  mode: UiSlice['mode'];
  layout: UiSlice['layout'];
  filters: UiSlice['filters'];
  nodes: GraphSlice['nodes'];
  edges: GraphSlice['edges'];
  edgeViews: GraphSlice['edgeViews'];
  expanded: string[];
  openGroups: string[];
  renderAll: boolean;
  estateShown: boolean;
  blast: AnalysisSlice['blast'];
  paths: AnalysisSlice['paths'];
  highlightedPath: number | null;
  pathFrom: AnalysisSlice['pathFrom'];
  pathTarget: AnalysisSlice['pathTarget'];
  positions: Map<string, Position>;
}

/** How many changes can be undone. */
export const HISTORY_LIMIT = 50;

export interface HistorySlice {
  past: CanvasSnapshot[];
  future: CanvasSnapshot[];
  /** Called by every canvas change before it happens. */
  remember(): void;
  undo(): void;
  redo(): void;
}

export const createHistorySlice: SliceCreator<HistorySlice> = ({ set, get }) => {
  const snapshot = (): CanvasSnapshot => {
    const s = get();
    return {
      mode: s.mode,
      layout: s.layout,
      filters: s.filters,
      nodes: s.nodes,
      edges: s.edges,
      edgeViews: s.edgeViews,
      expanded: s.expanded,
      openGroups: s.openGroups,
      renderAll: s.renderAll,
      estateShown: s.estateShown,
      blast: s.blast,
      paths: s.paths,
      highlightedPath: s.highlightedPath,
      pathFrom: s.pathFrom,
      pathTarget: s.pathTarget,
      positions: new Map(s.positions),
    };
  };
  const apply = (snap: CanvasSnapshot) => {
    const { positions, ...rest } = snap;
    const memory = get().positions;
    memory.clear();
    for (const [id, p] of positions) memory.set(id, p);
    set({ ...rest, graphSeq: get().graphSeq + 1, layoutIntent: 'restore' });
  };
  return {
    past: [],
    future: [],
    remember: () => {
      const s = get();
      // An empty canvas at start-up is not a state anyone goes back to.
      if (Object.keys(s.nodes).length === 0 && s.past.length === 0) return;
      set({ past: [...s.past, snapshot()].slice(-HISTORY_LIMIT), future: [] });
    },
    undo: () => {
      const { past, future } = get();
      const prev = past[past.length - 1];
      if (!prev) return;
      const now = snapshot();
      set({ past: past.slice(0, -1), future: [now, ...future].slice(0, HISTORY_LIMIT) });
      apply(prev);
    },
    redo: () => {
      const { past, future } = get();
      const next = future[0];
      if (!next) return;
      const now = snapshot();
      set({ past: [...past, now].slice(-HISTORY_LIMIT), future: future.slice(1) });
      apply(next);
    },
  };
};
