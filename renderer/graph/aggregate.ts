// What the canvas draws: the store's graph after filters, grouped into boundaries, and aggregated when it is
// above the element budget (a hairball helps nobody and a huge one freezes the window). Pure: unit-tested.
import type { EstateOverview, NodeSummary } from '../contract';
import { boundaryLabel, groupDigits, kindLabel, withBoundaryProvider } from '../format';
import type { CanvasEdge } from '../store/graph-slice';
import type { Filters } from '../store/ui-slice';
import { boxTitle, trustLabel } from './estate-labels';

/** Above this many elements (nodes + edges) the canvas aggregates unless the user asks for everything. */
export const ELEMENT_BUDGET = 2000;

/** The box of nodes outside every boundary, on the estate map only. */
export const OUTSIDE_GROUP = 'grp:-';

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
  /** Compound boundary box. It stands for its boundary node (`boundaryId`), which is not drawn inside it. */
  isGroup?: boolean;
  boundaryId?: string;
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
  /** Cross-boundary trust of the estate map (one per pair of boxes). */
  trust?: boolean;
}

export interface VisibleGraph {
  nodes: VisNode[];
  edges: VisEdge[];
  /** Elements in the store's graph after filters, before aggregation. */
  total: number;
  aggregated: boolean;
  /** Nodes of the store's graph that the filters hide. */
  hiddenByFilters: number;
}

export interface VisibleInput {
  nodes: Record<string, NodeSummary>;
  edges: Record<string, CanvasEdge>;
  filters: Filters;
  /** Never aggregated: the selection, the analysis origin, the highlighted path. (Filters still hide them.) */
  pinned: Set<string>;
  openGroups: string[];
  renderAll: boolean;
  budget?: number;
  /** The estate map: boxes labelled with their counts, the trust between them as one edge per pair. */
  estate?: EstateOverview | null;
}

export function groupId(boundary: string): string {
  return `grp:${boundary}`;
}

export function aggregateKey(boundary: string | undefined, kind: string): string {
  return `agg:${boundary ?? '-'}:${kind}`;
}

export function visibleGraph(input: VisibleInput): VisibleGraph {
  const { filters, pinned, estate } = input;
  const budget = input.budget ?? ELEMENT_BUDGET;
  const hiddenKinds = new Set(filters.hiddenKinds);
  const hiddenProviders = new Set(filters.hiddenProviders);
  const hiddenBoundaries = new Set(filters.hiddenBoundaries);
  const all = Object.values(input.nodes).map(withBoundaryProvider);
  // Whatever a filter hides is not drawn, selected or not.
  const isHidden = (n: NodeSummary) => hiddenKinds.has(n.kind) || hiddenProviders.has(n.provider) || hiddenBoundaries.has(boundaryOf(n) ?? '');
  const shown = all.filter((n) => !isHidden(n));
  const hiddenByFilters = all.length - shown.length;

  // Boxes: one per boundary of a shown node, and one per shown boundary node (it is drawn as its box).
  const groups = new Map<string, VisNode>();
  const boxOf = (b: string): string | undefined => {
    const owner = input.nodes[b] ? withBoundaryProvider(input.nodes[b]) : undefined;
    if (hiddenBoundaries.has(b) || (owner && isHidden(owner))) return undefined;
    const gid = groupId(b);
    if (!groups.has(gid)) {
      const counts = estate?.boundaries.find((x) => x.boundary.id === b);
      const name = owner ? owner.name : boundaryLabel(b);
      const kind = owner?.kind ?? counts?.boundary.kind ?? 'boundary';
      groups.set(gid, {
        id: gid,
        label: counts ? boxTitle(kindLabel(kind), name, counts) : name,
        kind,
        category: 'group-box',
        provider: owner?.provider ?? counts?.boundary.provider ?? 'generic',
        marks: owner?.marks ?? [],
        stub: false,
        isGroup: true,
        boundaryId: b,
      });
    }
    return gid;
  };
  // Boundary nodes are their boxes; their edges attach to the box.
  const alias = new Map<string, string>();
  const members = shown.filter((n) => {
    if (n.category !== 'boundary') return true;
    const gid = boxOf(n.id);
    if (gid) alias.set(n.id, gid);
    return false;
  });
  const memberIds = new Set(members.map((n) => n.id));
  const drawable = (id: string) => memberIds.has(id) || alias.has(id);
  const edges = Object.values(input.edges).filter((e) => drawable(e.from) && drawable(e.to) && !(filters.hideConditional && e.conditional));
  const total = members.length + alias.size + edges.length;

  const aggregate = total > budget && !input.renderAll;
  const open = new Set(input.openGroups);
  const buckets = new Map<string, NodeSummary[]>();
  const keep: NodeSummary[] = [];
  for (const n of members) {
    const key = aggregateKey(n.boundary, n.kind);
    if (!aggregate || pinned.has(n.id) || n.marks.length > 0 || n.category === 'admin' || open.has(key)) keep.push(n);
    else {
      const list = buckets.get(key) ?? [];
      list.push(n);
      buckets.set(key, list);
    }
  }

  const homeOf = (n: NodeSummary) => (n.boundary ? boxOf(n.boundary) : undefined);
  const nodes: VisNode[] = [];
  for (const n of keep) nodes.push(toVis(n, homeOf(n)));
  for (const [key, list] of buckets) {
    if (list.length === 1) {
      nodes.push(toVis(list[0]!, homeOf(list[0]!)));
      continue;
    }
    const first = list[0]!;
    const parent = homeOf(first);
    nodes.push({
      id: key,
      label: `${groupDigits(list.length)} × ${kindLabel(first.kind)}`,
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
  const pairLabels = new Map<string, Set<string>>();
  const parentOf = new Map(estate ? nodes.map((n) => [n.id, n.parent]) : []);
  for (const e of edges) {
    const source = alias.get(e.from) ?? e.from;
    const target = alias.get(e.to) ?? e.to;
    if (source === target && (source !== e.from || estate)) continue;
    if (estate) {
      // A member's edge to the box it is drawn in (its own boundary's node) would run from inside the box to its
      // border; the box's title already says what the boundary holds.
      if (parentOf.get(source) !== target && parentOf.get(target) !== source) addToPair(visEdges, pairLabels, source, target, e);
      continue;
    }
    if (source === e.from && target === e.to) {
      visEdges.set(e.key, { id: e.key, source, target, kind: e.kind, label: e.label, conditional: e.conditional, observed: e.observed, traversable: e.traversable, count: 1 });
      continue;
    }
    const id = `agg-e:${source}>${target}:${e.kind}`;
    const prev = visEdges.get(id);
    if (prev) {
      prev.count++;
      prev.label = e.label ? `${groupDigits(prev.count)} × ${e.label}` : `${groupDigits(prev.count)} reached`;
      prev.conditional = prev.conditional && e.conditional;
    } else visEdges.set(id, { id, source, target, kind: e.kind, label: e.label, conditional: e.conditional, observed: e.observed, traversable: e.traversable, count: 1 });
  }

  if (estate) addEstate(estate, input, groups, visEdges, boxOf);
  return { nodes: [...groups.values(), ...nodes], edges: [...visEdges.values()], total, aggregated: aggregate && buckets.size > 0 && [...buckets.values()].some((l) => l.length > 1), hiddenByFilters };
}

/**
 * On the estate map the edges between two drawn nodes are one edge, whatever their kinds, and a node's rights over
 * itself (and a member's over its own box) are left out: the few nodes drawn in a box (an Active Directory domain's tier-zero groups) hold a dozen
 * rights over one another and over themselves, which fanned out as curves over the nodes and said nothing about
 * reach. The label names the rights (the two first and how many more); expanding a node shows each edge.
 */
function addToPair(edges: Map<string, VisEdge>, labels: Map<string, Set<string>>, source: string, target: string, e: CanvasEdge): void {
  const id = `pair-e:${source}>${target}`;
  const prev = edges.get(id);
  const names = labels.get(id) ?? new Set<string>();
  labels.set(id, names);
  if (e.label) names.add(e.label);
  if (!prev) {
    edges.set(id, { id, source, target, kind: e.kind, label: e.label, conditional: e.conditional, observed: e.observed, traversable: e.traversable, count: 1 });
    return;
  }
  prev.count++;
  prev.conditional = prev.conditional && e.conditional;
  prev.observed = prev.observed && e.observed;
  prev.traversable = prev.traversable || e.traversable;
  const list = [...names];
  const more = list.length > 2 ? ` +${list.length - 2}` : '';
  prev.label = list.length ? `${groupDigits(prev.count)} edges: ${list.slice(0, 2).join(', ')}${more}` : `${groupDigits(prev.count)} edges`;
}

/** The estate map: every boundary as a labelled box (also those without drawn members), nodes outside as one box, trust per pair. */
function addEstate(estate: EstateOverview, input: VisibleInput, groups: Map<string, VisNode>, edges: Map<string, VisEdge>, boxOf: (b: string) => string | undefined): void {
  for (const b of estate.boundaries) boxOf(b.boundary.id);
  if (estate.outside.nodes > 0) {
    groups.set(OUTSIDE_GROUP, { id: OUTSIDE_GROUP, label: boxTitle('', 'Outside any boundary', estate.outside), kind: 'boundary', category: 'group-box', provider: 'generic', marks: [], stub: false, isGroup: true });
  }
  const names = new Map(estate.boundaries.map((b) => [b.boundary.id, b.boundary.name]));
  for (const t of estate.trust) {
    const source = t.from === null ? OUTSIDE_GROUP : groupId(t.from);
    const target = t.to === null ? OUTSIDE_GROUP : groupId(t.to);
    if (!groups.has(source) || !groups.has(target) || source === target) continue;
    if (input.filters.hideConditional && t.conditional === t.edges) continue;
    const id = `trust:${source}>${target}`;
    edges.set(id, {
      id,
      source,
      target,
      kind: 'TRUST_SUMMARY',
      label: trustLabel(t, t.from === null ? 'outside' : (names.get(t.from) ?? boundaryLabel(t.from))),
      conditional: t.conditional === t.edges,
      observed: t.observed === t.edges,
      traversable: true,
      count: t.edges,
      trust: true,
    });
  }
}

/** The boundary a node is drawn in: its own for boundary nodes, so an account box holds its account node. */
export function boundaryOf(n: NodeSummary): string | undefined {
  return n.category === 'boundary' ? n.id : n.boundary;
}

function toVis(n: NodeSummary, parent: string | undefined): VisNode {
  return { id: n.id, label: n.name, kind: n.kind, category: n.category, provider: n.provider, ...(parent ? { parent } : {}), marks: n.marks, stub: n.stub };
}
