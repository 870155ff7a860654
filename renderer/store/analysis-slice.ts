import type { AttackPath, BlastRadius, ContainmentCut, ContainmentPlan, Finding, NodeSummary } from '../contract';
import { describeError, toErrorShape } from './errors';
import { canvasEdge, edgeKey, type CanvasEdge } from './graph-slice';
import type { SliceCreator } from './types';

/** 'crown': any admin node or any node marked high value (what a responder asks first). */
export type PathTarget = 'crown' | 'admin' | 'high-value' | { id: string; name: string };

/**
 * Ranked: fewest steps, then unconditional before conditional; a route (its nodes) once. The engine already ranks
 * routes (a step's parallel edges are its alternatives); two target lists may still name the same route.
 */
export function rankPaths(lists: AttackPath[][], limit: number): AttackPath[] {
  const seen = new Set<string>();
  const out: AttackPath[] = [];
  for (const p of lists.flat().sort((a, b) => a.cost - b.cost || Number(a.conditional) - Number(b.conditional))) {
    const sig = [p.steps[0]?.from.id ?? '', ...p.steps.map((s) => s.to.id)].join('\n');
    if (seen.has(sig)) continue;
    seen.add(sig);
    out.push(p);
  }
  return out.slice(0, limit);
}

/** A containment cut as the case keeps its box: "<from id> <edge kind> <to id>" (see ContainmentCheck). */
export function cutKey(c: Pick<ContainmentCut, 'from' | 'to' | 'edge'>): string {
  return `${c.from.id} ${c.edge.kind} ${c.to.id}`;
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
  /** Done boxes of the containment checklist (by cutKey), as kept in the case. */
  containmentChecks: Record<string, boolean>;
  /** `canvas: false` answers the panel only (a restored view brings its own canvas). */
  runBlast(from: string, opts?: { canvas?: boolean }): Promise<void>;
  runPaths(from: string, target?: PathTarget, opts?: { canvas?: boolean }): Promise<void>;
  highlightPath(index: number | null): void;
  /** A step of a listed path: keep that path highlighted, select the step's edge and show its evidence. */
  selectStep(pathIndex: number, edgeKeyOfStep: string): void;
  setCutDone(cut: ContainmentCut, done: boolean): Promise<void>;
  loadFindings(): Promise<void>;
  runContainment(from: string): Promise<void>;
  /** Ids the canvas keeps whatever the aggregation or a collapse: the analysis origin and the highlighted path. */
  pinnedIds(): string[];
  /** Node ids and edge keys of the highlighted path (`alternatives`: the other edges its steps could take). */
  highlightedElements(): { nodes: Set<string>; edges: Set<string>; alternatives: Set<string> };
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
  containmentChecks: {},

  runBlast: async (from, opts) => {
    const canvas = opts?.canvas ?? true;
    if (canvas) get().remember();
    set({ blastLoading: true, blastError: null, mode: 'blast', layout: 'force', containment: null, containmentError: null, containmentChecks: {} });
    try {
      const blast = await api.blastRadius({ from, includeConditional: !get().filters.hideConditional });
      set({ blast, blastLoading: false });
      if (!canvas) return;
      const reached = [...blast.identities, ...blast.credentials, ...blast.resources, ...blast.admins, ...(blast.highValue ?? [])];
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
    } catch (err) {
      set({ blastLoading: false, blastError: describeError(toErrorShape(err)) });
    }
  },

  runPaths: async (from, target, opts) => {
    const canvas = opts?.canvas ?? true;
    const to = target ?? get().pathTarget;
    const origin = get().nodes[from] ?? (get().details?.node.id === from ? get().details?.node : undefined) ?? null;
    if (canvas) get().remember();
    set({ pathsLoading: true, pathsError: null, mode: 'paths', layout: 'lanes', pathTarget: to, pathFrom: origin, highlightedPath: null });
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
          // The step's alternatives are drawn too, bundled apart from it, so each can be picked on the canvas.
          for (const e of [s.edge, ...(s.alternatives ?? [])]) {
            edges.push(canvasEdge(e));
            views[edgeKey(e.id)] = e;
          }
        }
      }
      if (paths.length === 0 && origin) nodes.set(origin.id, origin);
      if (!canvas) {
        set({ paths, pathsLoading: false, pathFrom: paths[0]?.steps[0]?.from ?? origin });
        return;
      }
      set({ paths, pathsLoading: false, pathFrom: paths[0]?.steps[0]?.from ?? origin, edgeViews: views });
      get().addNodes([...nodes.values()], edges, { replace: true });
      if (paths.length) get().highlightPath(0);
    } catch (err) {
      set({ pathsLoading: false, pathsError: describeError(toErrorShape(err)), paths: [] });
    }
  },

  highlightPath: (index) => set({ highlightedPath: index }),

  selectStep: (pathIndex, key) => {
    set({ highlightedPath: pathIndex });
    get().selectEdge(key);
  },

  setCutDone: async (cut, done) => {
    const plan = get().containment;
    if (!plan) return;
    const key = cutKey(cut);
    set({ containmentChecks: { ...get().containmentChecks, [key]: done } });
    try {
      await api.setContainmentCheck({ origin: plan.origin.id, cut: key, checked: done });
    } catch (err) {
      set({ containmentChecks: { ...get().containmentChecks, [key]: !done } });
      get().notify({ kind: 'error', text: describeError(toErrorShape(err)) });
    }
  },

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
    set({ containmentLoading: true, containmentError: null, containment: null, containmentChecks: {} });
    try {
      const [containment, checks] = await Promise.all([api.containment({ from, includeConditional: !get().filters.hideConditional }), api.containmentChecks({ origin: from })]);
      const views = { ...get().edgeViews };
      for (const c of containment.cuts) for (const e of [c.edge, ...(c.alsoRemoves ?? [])]) views[edgeKey(e.id)] = e;
      set({ containment, containmentLoading: false, containmentChecks: Object.fromEntries(checks.map((c) => [c.cut, c.checked])), edgeViews: views });
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
    const alternatives = new Set<string>();
    const p = mode === 'paths' && highlightedPath !== null ? paths[highlightedPath] : undefined;
    if (p) {
      for (const s of p.steps) {
        nodes.add(s.from.id);
        nodes.add(s.to.id);
        edges.add(edgeKey(s.edge.id));
        for (const a of s.alternatives ?? []) alternatives.add(edgeKey(a.id));
      }
    }
    return { nodes, edges, alternatives };
  },
});
