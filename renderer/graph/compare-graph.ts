// The compare view's graph: the union of both states around what changed — every edge change listed, the steps of
// each path that appeared or disappeared, nodes added or removed — on one layout, each element tagged added, removed
// or changed (context otherwise). Pure: unit-tested. Edge keys name (from, to, kind), never a row id: the two sides
// are two cases whose row ids mean different edges.
import { EDGE_KINDS, type CaseDiff, type EdgeView, type NodeSummary } from '../contract';
import type { CanvasEdge } from '../store/graph-slice';

export type DiffStatus = 'added' | 'removed' | 'changed';

export interface CompareGraph {
  nodes: NodeSummary[];
  edges: CanvasEdge[];
  /** Edge views for the details panel, by canvas key. */
  edgeViews: Record<string, EdgeView>;
  /** Node ids and edge keys that changed, and how. */
  status: Record<string, DiffStatus>;
  /** What each list entry of the side panel highlights: 'path:3', 'edge:0', 'node:2', 'blast:1'. */
  items: Record<string, { nodes: string[]; edges: string[] }>;
}

export function diffEdgeKey(from: string, to: string, kind: string): string {
  return `d:${from}>${to}:${kind}`;
}

const traversable = (kind: string) => (EDGE_KINDS as Record<string, { traversable: boolean } | undefined>)[kind]?.traversable ?? true;

export function compareGraph(diff: CaseDiff, limits: { edges?: number; nodes?: number } = {}): CompareGraph {
  const nodes = new Map<string, NodeSummary>();
  const edges = new Map<string, CanvasEdge>();
  const edgeViews: Record<string, EdgeView> = {};
  const status: Record<string, DiffStatus> = {};
  const items: CompareGraph['items'] = {};
  const addNode = (n: NodeSummary) => {
    if (!nodes.has(n.id)) nodes.set(n.id, n);
  };
  const addEdge = (from: NodeSummary, to: NodeSummary, kind: string, technique: string | undefined, conditional: boolean, view?: EdgeView): string => {
    const key = diffEdgeKey(from.id, to.id, kind);
    addNode(from);
    addNode(to);
    if (!edges.has(key)) {
      edges.set(key, {
        key,
        from: from.id,
        to: to.id,
        kind,
        label: technique && kind === 'OPENGRAPH_EDGE' ? technique : technique ? `${kind} (${technique})` : kind,
        conditional,
        observed: kind === 'OBSERVED_USE',
        traversable: traversable(kind),
        derived: view?.derived ?? true,
      });
    }
    if (view && !edgeViews[key]) edgeViews[key] = view;
    return key;
  };

  for (const n of diff.nodes.slice(0, limits.nodes ?? 300)) {
    if (n.change !== 'changed') status[n.node.id] = n.change;
    else status[n.node.id] ??= 'changed';
  }
  diff.edges.slice(0, limits.edges ?? 400).forEach((e, i) => {
    const key = addEdge(e.from, e.to, e.kind, e.technique, Boolean(e.conditionAfter ?? e.conditionBefore), e.edge);
    status[key] = e.change;
    items[`edge:${i}`] = { nodes: [e.from.id, e.to.id], edges: [key] };
  });
  diff.paths.forEach((p, i) => {
    const item = { nodes: [p.origin.id, p.target.id], edges: [] as string[] };
    addNode(p.origin);
    addNode(p.target);
    for (const s of p.path?.steps ?? []) {
      item.edges.push(addEdge(s.from, s.to, s.edge.kind, s.edge.technique, Boolean(s.edge.conditional), s.edge));
      item.nodes.push(s.to.id);
    }
    items[`path:${i}`] = item;
  });
  diff.nodes.slice(0, limits.nodes ?? 300).forEach((n, i) => {
    // Added and removed credentials and identities are drawn even without an edge that changed around them.
    if (n.change !== 'changed' || nodes.has(n.node.id)) addNode(n.node);
    items[`node:${i}`] = { nodes: [n.node.id], edges: [] };
  });
  diff.blastRadius.forEach((b, i) => {
    addNode(b.origin);
    const paths = diff.paths.map((p, j) => [p, j] as const).filter(([p]) => p.origin.id === b.origin.id);
    items[`blast:${i}`] = { nodes: [b.origin.id, ...paths.flatMap(([, j]) => items[`path:${j}`]!.nodes)], edges: paths.flatMap(([, j]) => items[`path:${j}`]!.edges) };
  });
  diff.rotations.forEach((r, i) => {
    addNode(r.holder);
    const item = { nodes: [r.holder.id], edges: [] as string[] };
    for (const c of [...r.retired.map((x) => x.credential), ...r.introduced]) {
      addNode(c);
      item.nodes.push(c.id);
      const key = diffEdgeKey(c.id, r.holder.id, 'AUTHENTICATES_AS');
      if (!edges.has(key)) addEdge(c, r.holder, 'AUTHENTICATES_AS', undefined, false);
      status[key] ??= r.introduced.includes(c) ? 'added' : 'removed';
      item.edges.push(key);
    }
    items[`rotation:${i}`] = item;
  });
  return { nodes: [...nodes.values()], edges: [...edges.values()], edgeViews, status, items };
}
