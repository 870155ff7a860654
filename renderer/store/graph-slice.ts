import { EDGE_KINDS, type EdgeView, type NodeSummary, type Subgraph } from '../contract';
import { toErrorShape, describeError } from './errors';
import type { SliceCreator } from './types';

/** An edge as the canvas draws it: a real edge of the case, or a step of a blast-radius tree. */
export interface CanvasEdge {
  key: string;
  from: string;
  to: string;
  kind: string;
  label: string;
  conditional: boolean;
  observed: boolean;
  traversable: boolean;
  derived: boolean;
}

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
  /** Bumped when elements are added, so the canvas lays them out. */
  graphSeq: number;
  /** The server returned less than exists (a limit applied). */
  graphTruncated: boolean;
  loadOverview(): Promise<void>;
  addSubgraph(sub: Subgraph, opts?: { replace?: boolean }): void;
  addNodes(nodes: NodeSummary[], edges: CanvasEdge[], opts?: { replace?: boolean }): void;
  expand(id: string): Promise<void>;
  collapse(id: string): void;
  clearGraph(): void;
  openGroup(key: string): void;
  setRenderAll(on: boolean): void;
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
    label: e.technique && e.kind === 'OPENGRAPH_EDGE' ? e.technique : e.technique ? `${e.kind} (${e.technique})` : e.kind,
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

export const createGraphSlice: SliceCreator<GraphSlice> = ({ set, get, api }) => ({
  nodes: {},
  edges: {},
  edgeViews: {},
  expanded: [],
  openGroups: [],
  renderAll: false,
  graphSeq: 0,
  graphTruncated: false,

  loadOverview: async () => {
    try {
      const sub = await api.overview({ limit: 500 });
      get().addSubgraph(sub, { replace: true });
    } catch (err) {
      get().notify({ kind: 'error', text: describeError(toErrorShape(err)) });
    }
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
    for (const n of nodes) nextNodes[n.id] = n;
    const nextEdges = replace ? {} : { ...get().edges };
    for (const e of edges) if (nextNodes[e.from] && nextNodes[e.to]) nextEdges[e.key] = e;
    set({
      nodes: nextNodes,
      edges: nextEdges,
      graphSeq: get().graphSeq + 1,
      ...(replace ? { expanded: [], openGroups: [], renderAll: false } : {}),
    });
  },

  expand: async (id) => {
    try {
      const sub = await api.neighbors({ ids: [id], limit: 200 });
      get().addSubgraph(sub);
      if (!get().expanded.includes(id)) set({ expanded: [...get().expanded, id] });
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
    const nextNodes = { ...nodes };
    for (const n of remove) delete nextNodes[n];
    const nextEdges: Record<string, CanvasEdge> = {};
    for (const [k, e] of Object.entries(edges)) if (!remove.has(e.from) && !remove.has(e.to)) nextEdges[k] = e;
    set({ nodes: nextNodes, edges: nextEdges, expanded: get().expanded.filter((x) => x !== id && !remove.has(x)) });
  },

  clearGraph: () => set({ nodes: {}, edges: {}, edgeViews: {}, expanded: [], openGroups: [], renderAll: false, graphSeq: get().graphSeq + 1, graphTruncated: false }),
  openGroup: (key) => set({ openGroups: [...get().openGroups, key], graphSeq: get().graphSeq + 1 }),
  setRenderAll: (renderAll) => set({ renderAll, graphSeq: get().graphSeq + 1 }),
});
