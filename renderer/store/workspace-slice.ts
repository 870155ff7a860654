// Named saved views (kept in the case through the engine) and the canvas kept across a reload (this browser's
// storage, per case). Both are the same JSON: what is on the canvas, where, in which mode, with which analysis.
import type { CaseInfo, JsonObject, SavedView } from '../contract';
import { describeError, toErrorShape } from './errors';
import { canvasEdge, type CanvasEdge } from './graph-slice';
import type { PathTarget } from './analysis-slice';
import type { Position, SliceCreator } from './types';
import { NO_FILTERS, type Filters } from './ui-slice';

export interface ViewState {
  v: 1;
  mode: string;
  nodes: string[];
  edges: string[];
  expanded: string[];
  openGroups: string[];
  renderAll: boolean;
  filters: Filters;
  estateShown: boolean;
  /** Node id → [x, y], rounded. */
  positions: Record<string, [number, number]>;
  selected: string | null;
  selectedEdge: string | null;
  blastFrom: string | null;
  pathFrom: string | null;
  pathTarget: PathTarget;
  highlightedPath: number | null;
  viewport: { zoom: number; pan: Position } | null;
}

export interface WorkspaceSlice {
  savedViews: SavedView[];
  /** The viewport a restored view asks for, applied once by the canvas after it placed the nodes. */
  pendingViewport: ViewState['viewport'];
  /** The canvas's viewport as it last reported it (for saving). */
  viewport: ViewState['viewport'];
  loadSavedViews(): Promise<void>;
  saveView(name: string): Promise<void>;
  openView(name: string): Promise<void>;
  deleteView(name: string): Promise<void>;
  /** The canvas as JSON; `forSaving`: the mode kept is the analysis on the canvas (saved from the Explore panel). */
  viewState(forSaving?: boolean): ViewState;
  applyViewState(state: ViewState): Promise<void>;
  setViewport(viewport: ViewState['viewport']): void;
}

/**
 * The key under which this browser keeps the canvas of a case across reloads: the case's id (browser mode shows only
 * the file name as its path, and two cases may share one), else its path.
 */
export function sessionKey(info: Pick<CaseInfo, 'path' | 'id'>): string {
  return info.id ? `blastmap.session:id:${info.id}` : `blastmap.session:${info.path}`;
}

export function isViewState(v: unknown): v is ViewState {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<ViewState>;
  return s.v === 1 && typeof s.mode === 'string' && Array.isArray(s.nodes) && Array.isArray(s.edges) && typeof s.positions === 'object';
}

/** "t:a>b": a step of a blast-radius reach tree, which has no edge row to fetch. */
function treeEdge(key: string): CanvasEdge | null {
  const m = /^t:(.+)>([^>]+)$/.exec(key);
  if (!m) return null;
  return { key, from: m[1]!, to: m[2]!, kind: 'REACHES', label: '', conditional: false, observed: false, traversable: true, derived: true };
}

export const createWorkspaceSlice: SliceCreator<WorkspaceSlice> = ({ set, get, api }) => ({
  savedViews: [],
  pendingViewport: null,
  viewport: null,

  loadSavedViews: async () => {
    try {
      set({ savedViews: await api.savedViews({}) });
    } catch (err) {
      get().notify({ kind: 'error', text: describeError(toErrorShape(err)) });
    }
  },

  saveView: async (name) => {
    try {
      const saved = await api.saveView({ name, state: get().viewState(true) as unknown as JsonObject });
      set({ savedViews: [...get().savedViews.filter((v) => v.name !== saved.name), saved].sort((a, b) => a.name.localeCompare(b.name)) });
      get().notify({ kind: 'info', text: `View “${saved.name}” saved in the case.` });
    } catch (err) {
      get().notify({ kind: 'error', text: describeError(toErrorShape(err)) });
    }
  },

  openView: async (name) => {
    const view = get().savedViews.find((v) => v.name === name);
    if (!view || !isViewState(view.state)) {
      get().notify({ kind: 'error', text: `The view “${name}” cannot be read by this version.` });
      return;
    }
    get().remember();
    await get().applyViewState(view.state);
  },

  deleteView: async (name) => {
    try {
      await api.deleteView({ name });
      set({ savedViews: get().savedViews.filter((v) => v.name !== name) });
    } catch (err) {
      get().notify({ kind: 'error', text: describeError(toErrorShape(err)) });
    }
  },

  viewState: (forSaving = false) => {
    const s = get();
    // Saved views are named from the Explore panel: what they keep is the analysis drawn (a route, a blast radius).
    const mode = !forSaving || s.mode === 'blast' || s.mode === 'paths' ? s.mode : s.pathFrom && s.paths.length ? 'paths' : s.blast ? 'blast' : s.mode;
    const positions: ViewState['positions'] = {};
    for (const id of Object.keys(s.nodes)) {
      const p = s.positions.get(id);
      if (p) positions[id] = [Math.round(p.x * 10) / 10, Math.round(p.y * 10) / 10];
    }
    return {
      v: 1,
      mode,
      nodes: Object.keys(s.nodes),
      edges: Object.keys(s.edges),
      expanded: s.expanded,
      openGroups: s.openGroups,
      renderAll: s.renderAll,
      filters: s.filters,
      estateShown: s.estateShown,
      positions,
      selected: s.selectedId,
      selectedEdge: s.selectedEdge,
      blastFrom: mode === 'blast' && s.blast ? s.blast.origin.id : null,
      pathFrom: s.pathFrom?.id ?? null,
      pathTarget: s.pathTarget,
      highlightedPath: s.highlightedPath,
      viewport: s.viewport,
    };
  },

  /**
   * Brings a saved canvas back from the case as it is now: its nodes and edges are fetched again (so names, marks
   * and evidence are current; what no longer exists is dropped), placed where they were, and its analysis re-run.
   */
  applyViewState: async (state) => {
    try {
      const ids = state.nodes;
      let nodes: Awaited<ReturnType<typeof api.neighbors>>['nodes'] = [];
      let views: Awaited<ReturnType<typeof api.neighbors>>['edges'] = [];
      if (ids.length) {
        // Enough neighbours per node to find the edges between saved nodes, without fetching a hairball.
        const limit = Math.max(5, Math.min(200, Math.floor(20_000 / ids.length)));
        const sub = await api.neighbors({ ids, limit });
        const keep = new Set(ids);
        nodes = sub.nodes.filter((n) => keep.has(n.id));
        const edgeKeys = new Set(state.edges);
        views = sub.edges.filter((e) => edgeKeys.has(`e${e.id}`));
      }
      const edges = [...views.map(canvasEdge), ...state.edges.map(treeEdge).filter((e): e is CanvasEdge => e !== null)];
      const memory = get().positions;
      for (const [id, [x, y]] of Object.entries(state.positions)) memory.set(id, { x, y });
      const edgeViews = Object.fromEntries(views.map((e) => [`e${e.id}`, e]));
      set({ edgeViews, filters: state.filters ?? NO_FILTERS, mode: state.mode, layout: state.mode === 'paths' ? 'lanes' : 'force' });
      get().addNodes(nodes, edges, { replace: true, intent: 'restore' });
      set({
        expanded: state.expanded.filter((id) => get().nodes[id]),
        openGroups: state.openGroups,
        renderAll: state.renderAll,
        estateShown: state.estateShown,
        pendingViewport: state.viewport,
      });
      if (state.estateShown && !get().estate) set({ estate: await api.estate({}) });
      if (state.blastFrom && state.mode === 'blast') await get().runBlast(state.blastFrom, { canvas: false });
      if (state.pathFrom && state.mode === 'paths') {
        await get().runPaths(state.pathFrom, state.pathTarget, { canvas: false });
        set({ highlightedPath: state.highlightedPath !== null && state.highlightedPath < get().paths.length ? state.highlightedPath : null });
      }
      set({ mode: state.mode });
      if (state.selectedEdge && get().edges[state.selectedEdge]) get().selectEdge(state.selectedEdge);
      else if (state.selected && get().nodes[state.selected]) await get().select(state.selected);
    } catch (err) {
      get().notify({ kind: 'error', text: describeError(toErrorShape(err)) });
    }
  },

  setViewport: (viewport) => set({ viewport }),
});
