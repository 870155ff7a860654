// What every part of the presenter shares: the two sides, node summaries on either side (after, else before), and
// the words for edges the API gives no row for.
import { present } from '../../analysis/compare/align.js';
import type { RawDiff } from '../../analysis/compare/compare.js';
import type { GraphState, StatementEdge } from '../../analysis/compare/state.js';
import type { GraphIndex } from '../../analysis/index/graph-index.js';
import type { MarkKind } from '../../model/fragment.js';
import { ACCESS_LEVELS, EDGE_KINDS, NODE_KINDS, type EdgeKind } from '../../model/kinds.js';
import type { ChangeFamily, DiffSide, EdgeView, NodeSummary } from '../contract.js';

/** One side as the presenter needs it: its state, how it is described, and how its edges are shown. */
export interface PresentSide {
  state: GraphState;
  info: Omit<DiffSide, 'counts'>;
  /** The stored edge behind a graph-index edge, as the API shows edges (live cases); undefined for snapshots. */
  edgeView?: (e: number) => EdgeView | undefined;
  statementView?: (s: StatementEdge) => EdgeView | undefined;
}

export interface PresentContext {
  raw: RawDiff;
  before: PresentSide;
  after: PresentSide;
  marksA: Map<string, MarkKind[]>;
  marksB: Map<string, MarkKind[]>;
  /** A global node as it is after, else as it was before. */
  node(g: number): NodeSummary;
  /** A global node as it was before (after, when it is new). */
  nodeBefore(g: number): NodeSummary;
}

export function summaryOn(ix: GraphIndex, v: number, marks: Map<string, MarkKind[]>): NodeSummary {
  const kind = ix.kindOf(v);
  const id = ix.id(v);
  if (!kind) return { id, kind: 'og_object', category: 'resource', provider: 'generic', name: id, stub: true, marks: marks.get(id) ?? [] };
  const spec = NODE_KINDS[kind];
  const b = ix.d.boundary[v]!;
  return { id, kind, category: spec.category, provider: spec.provider, name: ix.d.names[v]!, ...(b >= 0 ? { boundary: ix.id(b) } : {}), stub: ix.d.stub[v] === 1, marks: marks.get(id) ?? [] };
}

export function presentContext(raw: RawDiff, before: PresentSide, after: PresentSide): PresentContext {
  const { al } = raw;
  const marksA = before.state.marks();
  const marksB = after.state.marks();
  const cache = new Map<number, NodeSummary>();
  const node = (g: number): NodeSummary => {
    let s = cache.get(g);
    if (s) return s;
    const y = al.bOfG[g]!;
    s = present(al.b, y) || g >= al.a.n ? summaryOn(al.b, y, marksB) : summaryOn(al.a, g, marksA);
    cache.set(g, s);
    return s;
  };
  const nodeBefore = (g: number): NodeSummary => (g < al.a.n ? summaryOn(al.a, g, marksA) : node(g));
  return { raw, before, after, marksA, marksB, node, nodeBefore };
}

const FAMILY: Partial<Record<string, ChangeFamily>> = {
  CAN_ASSUME: 'trust',
  FEDERATES_TO: 'trust',
  TRUSTS: 'trust',
  FEDERATION_REFUSED: 'trust',
  ADMIN_OF: 'grant',
  CAN_ACCESS: 'grant',
  CAN_ESCALATE: 'grant',
  CAN_READ_CREDENTIAL: 'grant',
  HAS_ROLE: 'grant',
  MEMBER_OF: 'membership',
  RUNS_AS: 'membership',
  OWNS: 'membership',
  AUTHENTICATES_AS: 'credential',
  EXPOSES: 'credential',
  OBSERVED_USE: 'activity',
};

export function familyOf(kind: string): ChangeFamily {
  return FAMILY[kind] ?? 'other';
}

export function defaultReason(kind: EdgeKind, technique: string | undefined): string {
  const spec = EDGE_KINDS[kind] as { description: string } | undefined;
  return `${spec?.description ?? kind}${technique ? ` (${technique})` : ''}`;
}

/** An edge of a snapshot: its row is gone, so it is described from what the snapshot kept. */
export function syntheticEdge(ix: GraphIndex, state: GraphState, e: number): EdgeView {
  const kind = ix.edgeKindOf(e);
  const technique = state.technique(e);
  const level = ix.d.access[e]!;
  const conditional = ix.isConditional(e);
  const spec = EDGE_KINDS[kind] as { origin: string } | undefined;
  return {
    id: ix.d.edgeId[e]!,
    from: ix.id(ix.sourceOf(e)),
    to: ix.id(ix.d.targets[e]!),
    kind,
    derived: spec?.origin === 'derived',
    observed: spec?.origin === 'observed',
    reason: defaultReason(kind, technique),
    ...(technique ? { technique } : {}),
    ...(conditional ? { conditional: 'a condition not decidable offline (the snapshot keeps no condition text)' } : {}),
    ...(level >= 0 ? { accessLevel: ACCESS_LEVELS[level]! } : {}),
    evidence: [],
    props: {},
  };
}
