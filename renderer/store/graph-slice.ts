import { EDGE_KINDS, type EdgeView, type EstateOverview, type NodeSummary, type Subgraph } from '../contract';
import { edgeLabel, withBoundaryProvider } from '../format';
import { toErrorShape, describeError } from './errors';
import type { Position, SliceCreator } from './types';
import { OVERVIEW_LIMIT } from './first-screen';

/** An edge as the canvas draws it: a real edge of the case, or a step of a blast-radius tree. */
export interface CanvasEdge {
  key: string;
  from: string;
  to: string;
  kind: string;
  /** Plain words ("can assume"), shown on a path, on hover and zoomed in. */
  label: string;
  conditional: boolean;
  observed: boolean;
  traversable: boolean;
  derived: boolean;
}

/**
 * How the canvas places what changed: 'full' lays everything out afresh (a new analysis, the Layout button);
 * 'incremental' keeps every drawn node where it is and places only new ones; 'restore' puts nodes back where
 * `positions` remembers them (undo, a saved view, a reload).
 */
export type LayoutIntent = 'full' | 'incremental' | 'restore';

export interface GraphSlice {
  nodes: Record<string, NodeSummary>;
  edges: Record<string, CanvasEdge>;
  /** Full views of the real edges on the canvas, for the details panel. */
  edgeViews: Record<string, EdgeView>;
  /** Nodes whose neighbours were loaded. */
  expanded: string[];
  /** Aggregate groups the user opened (see graph/aggregate.ts). */
  openGroups: string[];
  /** The user chose to render everything although it is above the element budget. */
  renderAll: boolean;
  /** Bumped when the graph changes, so the canvas patches and places it as `layoutIntent` says. */
  graphSeq: number;
  layoutIntent: LayoutIntent;
  /** The server returned less than exists (a limit applied). */
  graphTruncated: boolean;
  /**
   * Where each node was last drawn (model coordinates). Written by the canvas, read back when a node is shown
   * again (a filter undone), by undo and by saved views. Mutated in place: not a reason to re-render.
   */
  positions: Map<string, Position>;
  /** The estate overview (first screen), when loaded. */
  estate: EstateOverview | null;
  /** The canvas shows the estate map: boundary boxes with their counts and the trust between them. */
  estateShown: boolean;
  /** What the canvas draws right now (after filters and aggregation), published by the canvas. */
  drawn: { nodes: number; edges: number; boxes: number };
  loadOverview(): Promise<void>;
  /** Starts fetching the overview before it is asked for (the first screen, while the case loads). */
  prefetchOverview(): void;
  addSubgraph(sub: Subgraph, opts?: { replace?: boolean; estate?: boolean }): void;
  addNodes(nodes: NodeSummary[], edges: CanvasEdge[], opts?: { replace?: boolean; intent?: LayoutIntent; estate?: boolean }): void;
  /** Loads a node's neighbours; with `kinds`, only over edges of those kinds. */
  expand(id: string, kinds?: string[]): Promise<void>;
  collapse(id: string): void;
  /** Takes nodes off the canvas (not out of the case). */
  hide(ids: string[]): void;
  clearGraph(): void;
  openGroup(key: string): void;
  setRenderAll(on: boolean): void;
  setDrawn(drawn: GraphSlice['drawn']): void;
}

export function edgeKey(id: number): string {
  return `e${id}`;
}

export function canvasEdge(e: EdgeView): CanvasEdge {
  const spec = (EDGE_KINDS as Record<string, { traversable: boolean } | undefined>)[e.kind];
  return {
      key: edgeKey(e.id),
      from: e.from,
      to: e.to,
      kind: e.kind,
      label: edgeLabel(e),
      conditional: e.conditional !== undefined && e.conditional !== '',
      observed: e.observed,
      traversable: spec?.traversable ?? true,
      derived: e.derived,
  };
}

/** Neighbour ids of `id` among the canvas edges. */
export function neighbourIds(edges: Record<string, CanvasEdge>, id: string): Set<string> {
  const out = new Set<string>();
  for (const e of Object.values(edges)) {
    if (e.from === id) out.add(e.to);
    else if (e.to === id) out.add(e.from);
  }
  return out;
}

/** Node summaries as the canvas keeps them: an admin node belongs to its boundary's provider (see format.ts). */
function normalise(nodes: NodeSummary[]): NodeSummary[] {
  return nodes.map(withBoundaryProvider);
}

export const createGraphSlice: SliceCreator<GraphSlice> = ({ set, get, api }) => {
  let prefetched: Promise<[EstateOverview, Subgraph]> | undefined;
  /** Drops nodes and the edges that touch them (the positions memory keeps where they were). */
  const removeNodes = (remove: Set<string>): void => {
    if (!remove.size) return;
    const nextNodes = { ...get().nodes };
    for (const n of remove) delete nextNodes[n];
    const nextEdges: Record<string, CanvasEdge> = {};
    for (const [k, e] of Object.entries(get().edges)) if (!remove.has(e.from) && !remove.has(e.to)) nextEdges[k] = e;
    set({ nodes: nextNodes, edges: nextEdges, graphSeq: get().graphSeq + 1, layoutIntent: 'incremental' });
  };
  return {
    nodes: {},
    edges: {},
    edgeViews: {},
    expanded: [],
    openGroups: [],
    renderAll: false,
    graphSeq: 0,
    layoutIntent: 'full',
    graphTruncated: false,
    positions: new Map(),
    estate: null,
    estateShown: false,
    drawn: { nodes: 0, edges: 0, boxes: 0 },

    loadOverview: async () => {
      try {
        get().remember();
        const pending = prefetched;
      prefetched = undefined;
      const [estate, sub] = await (pending ?? Promise.all([api.estate({}), api.overview({ limit: OVERVIEW_LIMIT })]));
        // The boundaries are the boxes (a box stands for its boundary node); admins and marked nodes go inside.
        set({ estate });
        get().addSubgraph(sub, { replace: true });
        set({ estateShown: true, mode: get().mode === 'findings' ? 'findings' : 'explore', layout: 'force' });
      } catch (err) {
        get().notify({ kind: 'error', text: describeError(toErrorShape(err)) });
      }
    },

    prefetchOverview: () => {
      prefetched ??= Promise.all([api.estate({}), api.overview({ limit: OVERVIEW_LIMIT })]);
      // Unused (a restored session): its failure is nobody's concern.
      prefetched.catch(() => undefined);
    },

    addSubgraph: (sub, opts) => {
      const views = opts?.replace ? {} : { ...get().edgeViews };
      for (const e of sub.edges) views[edgeKey(e.id)] = e;
      set({ edgeViews: views, graphTruncated: sub.truncated || (!opts?.replace && get().graphTruncated) });
      get().addNodes(sub.nodes, sub.edges.map(canvasEdge), opts);
    },

    addNodes: (nodes, edges, opts) => {
      const replace = opts?.replace ?? false;
      const nextNodes = replace ? {} : { ...get().nodes };
      for (const n of normalise(nodes)) nextNodes[n.id] = n;
      const nextEdges = replace ? {} : { ...get().edges };
      for (const e of edges) if (nextNodes[e.from] && nextNodes[e.to]) nextEdges[e.key] = e;
      set({
        nodes: nextNodes,
        edges: nextEdges,
        graphSeq: get().graphSeq + 1,
        layoutIntent: opts?.intent ?? (replace ? 'full' : 'incremental'),
        ...(replace ? { expanded: [], openGroups: [], renderAll: false, estateShown: opts?.estate ?? false } : {}),
      });
    },

    expand: async (id, kinds) => {
      try {
        const sub = await api.neighbors({ ids: [id], limit: 200 });
        get().remember();
        let shown = sub;
        if (kinds?.length) {
          const edges = sub.edges.filter((e) => kinds.includes(e.kind) && (e.from === id || e.to === id));
          const keep = new Set([id, ...edges.flatMap((e) => [e.from, e.to])]);
          shown = { nodes: sub.nodes.filter((n) => keep.has(n.id)), edges, truncated: sub.truncated };
        }
        get().addSubgraph(shown);
        if (!kinds?.length && !get().expanded.includes(id)) set({ expanded: [...get().expanded, id] });
        if (sub.truncated) get().notify({ kind: 'info', text: 'This node has more neighbours than shown (200 per direction). Use search or an analysis mode to reach the rest.' });
      } catch (err) {
        get().notify({ kind: 'error', text: describeError(toErrorShape(err)) });
      }
    },

    collapse: (id) => {
      // Collapsing removes the neighbours that hang on this node alone, except what the user is looking at.
      const { nodes, edges, selectedId } = get();
      const pinned = new Set<string>([id, ...(selectedId ? [selectedId] : []), ...get().pinnedIds()]);
      const remove = new Set<string>();
      for (const n of neighbourIds(edges, id)) {
        if (pinned.has(n) || nodes[n]?.marks.length) continue;
        const others = [...neighbourIds(edges, n)].filter((m) => m !== id);
        if (others.length === 0) remove.add(n);
      }
      if (remove.size) get().remember();
      removeNodes(remove);
      set({ expanded: get().expanded.filter((x) => x !== id && !remove.has(x)) });
    },

    hide: (ids) => {
      const remove = new Set(ids.filter((id) => get().nodes[id]));
      if (!remove.size) return;
      get().remember();
      removeNodes(remove);
      if (get().selectedId && remove.has(get().selectedId!)) void get().select(null);
    },

    clearGraph: () => {
      get().remember();
      set({ nodes: {}, edges: {}, edgeViews: {}, expanded: [], openGroups: [], renderAll: false, graphSeq: get().graphSeq + 1, layoutIntent: 'full', graphTruncated: false, estateShown: false });
    },
    openGroup: (key) => {
      get().remember();
      set({ openGroups: [...get().openGroups, key], graphSeq: get().graphSeq + 1, layoutIntent: 'incremental' });
    },
    setRenderAll: (renderAll) => {
      get().remember();
      set({ renderAll, graphSeq: get().graphSeq + 1, layoutIntent: 'incremental' });
    },
    setDrawn: (drawn) => {
      const now = get().drawn;
      if (now.nodes !== drawn.nodes || now.edges !== drawn.edges || now.boxes !== drawn.boxes) set({ drawn });
    },
  };
};
