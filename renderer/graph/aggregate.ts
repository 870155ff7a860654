// What the canvas draws: the store's graph after filters, grouped into boundaries, and aggregated when it is
// above the element budget (a hairball helps nobody and a huge one freezes the window). Pure: unit-tested.
import type { NodeSummary } from '../contract';
import { boundaryLabel, kindLabel } from '../format';
import type { CanvasEdge } from '../store/graph-slice';
import type { Filters } from '../store/ui-slice';

/** Above this many elements (nodes + edges) the canvas aggregates unless the user asks for everything. */
export const ELEMENT_BUDGET = 2000;

export interface VisNode {
  id: string;
  label: string;
  kind: string;
  category: string;
  provider: string;
  parent?: string;
  marks: string[];
  stub: boolean;
  /** Aggregate nodes: how many nodes they stand for, and their group key. */
  count?: number;
  group?: string;
  /** Compound boundary group. */
  isGroup?: boolean;
}

export interface VisEdge {
  id: string;
  source: string;
  target: string;
  kind: string;
  label: string;
  conditional: boolean;
  observed: boolean;
  traversable: boolean;
  count: number;
}

export interface VisibleGraph {
  nodes: VisNode[];
  edges: VisEdge[];
  /** Elements in the store's graph after filters, before aggregation. */
  total: number;
  aggregated: boolean;
  hiddenByFilters: number;
}

export interface VisibleInput {
  nodes: Record<string, NodeSummary>;
  edges: Record<string, CanvasEdge>;
  filters: Filters;
  /** Never filtered out or aggregated: the selection, the analysis origin, the highlighted path. */
  pinned: Set<string>;
  openGroups: string[];
  renderAll: boolean;
  budget?: number;
}

export function groupId(boundary: string): string {
  return `grp:${boundary}`;
}

export function aggregateKey(boundary: string | undefined, kind: string): string {
  return `agg:${boundary ?? '-'}:${kind}`;
}

export function visibleGraph(input: VisibleInput): VisibleGraph {
  const { filters, pinned } = input;
  const budget = input.budget ?? ELEMENT_BUDGET;
  const hiddenKinds = new Set(filters.hiddenKinds);
  const hiddenProviders = new Set(filters.hiddenProviders);
  const hiddenBoundaries = new Set(filters.hiddenBoundaries);
  const all = Object.values(input.nodes);
  const shown = all.filter(
    (n) => pinned.has(n.id) || !(hiddenKinds.has(n.kind) || hiddenProviders.has(n.provider) || hiddenBoundaries.has(boundaryOf(n) ?? '')),
  );
  const shownIds = new Set(shown.map((n) => n.id));
  const edges = Object.values(input.edges).filter((e) => shownIds.has(e.from) && shownIds.has(e.to) && !(filters.hideConditional && e.conditional));
  const hiddenByFilters = all.length - shown.length;
  const total = shown.length + edges.length;

  const groups = new Map<string, VisNode>();
  const parentOf = (n: NodeSummary): string | undefined => {
    const b = boundaryOf(n);
    if (!b) return undefined;
    const gid = groupId(b);
    if (!groups.has(gid)) {
      const owner = input.nodes[b];
      groups.set(gid, { id: gid, label: owner ? owner.name : boundaryLabel(b), kind: owner?.kind ?? 'boundary', category: 'group-box', provider: owner?.provider ?? 'generic', marks: [], stub: false, isGroup: true });
    }
    return gid;
  };

  const aggregate = total > budget && !input.renderAll;
  const open = new Set(input.openGroups);
  const buckets = new Map<string, NodeSummary[]>();
  const keep: NodeSummary[] = [];
  for (const n of shown) {
    const key = aggregateKey(boundaryOf(n), n.kind);
    if (!aggregate || pinned.has(n.id) || n.marks.length > 0 || n.category === 'admin' || n.category === 'boundary' || open.has(key)) keep.push(n);
    else {
      const list = buckets.get(key) ?? [];
      list.push(n);
      buckets.set(key, list);
    }
  }

  const nodes: VisNode[] = [];
  const alias = new Map<string, string>();
  for (const n of keep) nodes.push(toVis(n, parentOf(n)));
  for (const [key, list] of buckets) {
    if (list.length === 1) {
      nodes.push(toVis(list[0]!, parentOf(list[0]!)));
      continue;
    }
    const first = list[0]!;
    const parent = parentOf(first);
    nodes.push({
      id: key,
      label: `${list.length.toLocaleString('en-US')} × ${kindLabel(first.kind)}`,
      kind: first.kind,
      category: first.category,
      provider: first.provider,
      ...(parent ? { parent } : {}),
      marks: [],
      stub: false,
      count: list.length,
      group: key,
    });
    for (const n of list) alias.set(n.id, key);
  }

  const visEdges = new Map<string, VisEdge>();
  for (const e of edges) {
    const source = alias.get(e.from) ?? e.from;
    const target = alias.get(e.to) ?? e.to;
    if (source === target && source !== e.from) continue;
    if (source === e.from && target === e.to) {
      visEdges.set(e.key, { id: e.key, source, target, kind: e.kind, label: e.label, conditional: e.conditional, observed: e.observed, traversable: e.traversable, count: 1 });
      continue;
    }
    const id = `agg-e:${source}>${target}:${e.kind}`;
    const prev = visEdges.get(id);
    if (prev) {
      prev.count++;
      prev.label = `${prev.count.toLocaleString('en-US')} edges`;
      prev.conditional = prev.conditional && e.conditional;
    } else visEdges.set(id, { id, source, target, kind: e.kind, label: e.label, conditional: e.conditional, observed: e.observed, traversable: e.traversable, count: 1 });
  }

  return { nodes: [...groups.values(), ...nodes], edges: [...visEdges.values()], total, aggregated: aggregate && buckets.size > 0 && [...buckets.values()].some((l) => l.length > 1), hiddenByFilters };
}

/** The boundary a node is drawn in: its own for boundary nodes, so an account box holds its account node. */
export function boundaryOf(n: NodeSummary): string | undefined {
  return n.category === 'boundary' ? n.id : n.boundary;
}

function toVis(n: NodeSummary, parent: string | undefined): VisNode {
  return { id: n.id, label: n.name, kind: n.kind, category: n.category, provider: n.provider, ...(parent ? { parent } : {}), marks: n.marks, stub: n.stub };
}
