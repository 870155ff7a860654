import type { AttackPath, BlastRadius, ContainmentPlan, Finding, NodeSummary } from '../contract';
import { describeError, toErrorShape } from './errors';
import { canvasEdge, edgeKey, type CanvasEdge } from './graph-slice';
import type { SliceCreator } from './types';

/** 'crown': any admin node or any node marked high value (what a responder asks first). */
export type PathTarget = 'crown' | 'admin' | 'high-value' | { id: string; name: string };

/** Ranked: fewest steps, then unconditional before conditional; the same route once. */
export function rankPaths(lists: AttackPath[][], limit: number): AttackPath[] {
  const seen = new Set<string>();
  const out: AttackPath[] = [];
  for (const p of lists.flat().sort((a, b) => a.cost - b.cost || Number(a.conditional) - Number(b.conditional))) {
    const sig = p.steps.map((s) => s.edge.id).join(',');
    if (seen.has(sig)) continue;
    seen.add(sig);
    out.push(p);
  }
  return out.slice(0, limit);
}

/** Reached sets up to this size are drawn with their real edges; larger ones as the reach tree. */
export const REAL_EDGE_LIMIT = 300;

export interface AnalysisSlice {
  blast: BlastRadius | null;
  blastLoading: boolean;
  blastError: string | null;
  pathFrom: NodeSummary | null;
  pathTarget: PathTarget;
  paths: AttackPath[];
  pathsLoading: boolean;
  pathsError: string | null;
  highlightedPath: number | null;
  findings: Finding[] | null;
  findingsLoading: boolean;
  findingsError: string | null;
  containment: ContainmentPlan | null;
  containmentError: string | null;
  containmentLoading: boolean;
  runBlast(from: string): Promise<void>;
  runPaths(from: string, target?: PathTarget): Promise<void>;
  highlightPath(index: number | null): void;
  loadFindings(): Promise<void>;
  runContainment(from: string): Promise<void>;
  /** Ids the canvas keeps whatever the aggregation or a collapse: the analysis origin and the highlighted path. */
  pinnedIds(): string[];
  /** Node ids and edge keys of the highlighted path. */
  highlightedElements(): { nodes: Set<string>; edges: Set<string> };
}

export const createAnalysisSlice: SliceCreator<AnalysisSlice> = ({ set, get, api }) => ({
  blast: null,
  blastLoading: false,
  blastError: null,
  pathFrom: null,
  pathTarget: 'crown',
  paths: [],
  pathsLoading: false,
  pathsError: null,
  highlightedPath: null,
  findings: null,
  findingsLoading: false,
  findingsError: null,
  containment: null,
  containmentError: null,
  containmentLoading: false,

  runBlast: async (from) => {
    set({ blastLoading: true, blastError: null, mode: 'blast', layout: 'fcose', containment: null, containmentError: null });
    try {
      const blast = await api.blastRadius({ from, includeConditional: !get().filters.hideConditional });
      set({ blast, blastLoading: false });
      const reached = [...blast.identities, ...blast.credentials, ...blast.resources, ...blast.admins];
      const nodes: NodeSummary[] = [blast.origin, ...reached.map((r) => r.node)];
      // Boundary nodes of what was reached, so the overlay groups by account / cluster.
      for (const b of blast.byBoundary) nodes.push(b.boundary);
      const ids = new Set(nodes.map((n) => n.id));
      let edges: CanvasEdge[];
      if (reached.length <= REAL_EDGE_LIMIT) {
        const sub = await api.neighbors({ ids: [...ids], limit: 200 });
        const inside = sub.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
        const views = { ...get().edgeViews };
        for (const e of inside) views[edgeKey(e.id)] = e;
        set({ edgeViews: views });
        edges = inside.map(canvasEdge);
      } else {
        // Too many for real edges: draw how each node was reached (its predecessor on the path used).
        edges = reached
          .filter((r) => r.path.length >= 2)
          .map((r) => {
            const from = r.path[r.path.length - 2]!;
            const to = r.node.id;
            return { key: `t:${from}>${to}`, from, to, kind: 'REACHES', label: '', conditional: r.conditional, observed: false, traversable: true, derived: true };
          });
      }
      get().addNodes(nodes, edges, { replace: true });
      await get().select(from);
      get().sendCommand('fit');
    } catch (err) {
      set({ blastLoading: false, blastError: describeError(toErrorShape(err)) });
    }
  },

  runPaths: async (from, target) => {
    const to = target ?? get().pathTarget;
    const origin = get().nodes[from] ?? get().details?.node ?? null;
    set({ pathsLoading: true, pathsError: null, mode: 'paths', layout: 'dagre', pathTarget: to, pathFrom: origin, highlightedPath: null });
    try {
      const opts = { from, k: 20, includeConditional: !get().filters.hideConditional };
      const targets = to === 'crown' ? (['admin', 'high-value'] as const) : [typeof to === 'string' ? to : to.id];
      const paths = rankPaths(await Promise.all(targets.map((t) => api.paths({ ...opts, to: t }))), 20);
      const nodes = new Map<string, NodeSummary>();
      const edges: CanvasEdge[] = [];
      const views = { ...get().edgeViews };
      for (const p of paths) {
        for (const s of p.steps) {
          nodes.set(s.from.id, s.from);
          nodes.set(s.to.id, s.to);
          edges.push(canvasEdge(s.edge));
          views[edgeKey(s.edge.id)] = s.edge;
        }
      }
      if (paths.length === 0 && origin) nodes.set(origin.id, origin);
      set({ paths, pathsLoading: false, pathFrom: paths[0]?.steps[0]?.from ?? origin, edgeViews: views });
      get().addNodes([...nodes.values()], edges, { replace: true });
      if (paths.length) get().highlightPath(0);
      get().sendCommand('fit');
    } catch (err) {
      set({ pathsLoading: false, pathsError: describeError(toErrorShape(err)), paths: [] });
    }
  },

  highlightPath: (index) => set({ highlightedPath: index }),

  loadFindings: async () => {
    set({ findingsLoading: true, findingsError: null });
    try {
      const findings = await api.findings({});
      set({ findings, findingsLoading: false });
    } catch (err) {
      set({ findingsLoading: false, findingsError: describeError(toErrorShape(err)) });
    }
  },

  runContainment: async (from) => {
    set({ containmentLoading: true, containmentError: null, containment: null });
    try {
      const containment = await api.containment({ from });
      set({ containment, containmentLoading: false });
    } catch (err) {
      set({ containmentLoading: false, containmentError: describeError(toErrorShape(err)) });
    }
  },

  pinnedIds: () => {
    const out: string[] = [];
    const { blast, mode } = get();
    if (mode === 'blast' && blast) out.push(blast.origin.id);
    out.push(...get().highlightedElements().nodes);
    return out;
  },

  highlightedElements: () => {
    const { paths, highlightedPath, mode } = get();
    const nodes = new Set<string>();
    const edges = new Set<string>();
    const p = mode === 'paths' && highlightedPath !== null ? paths[highlightedPath] : undefined;
    if (p) {
      for (const s of p.steps) {
        nodes.add(s.from.id);
        nodes.add(s.to.id);
        edges.add(edgeKey(s.edge.id));
      }
    }
    return { nodes, edges };
  },
});
