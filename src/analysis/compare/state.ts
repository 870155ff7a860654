// One side of a comparison: a graph state read from a live case, or from a snapshot saved in a case (snapshot.ts).
// The traversable graph is the graph index; the rest is what a diff reports beyond it (raw trust and binding
// statements, credential status, findings, marks).
import type { MarkKind } from '../../model/fragment.js';
import { EDGE_KINDS, NODE_KINDS, type EdgeKind, type NodeKind } from '../../model/kinds.js';
import type { CaseStore, FindingRow, SourceRow } from '../../store/case-store.js';
import type { GraphIndex } from '../index/graph-index.js';
import { loadGraphIndex } from '../index/snapshot.js';

/** An edge the graph index leaves out (it grants nothing by itself: TRUSTS, HAS_ROLE, OWNS…). */
export interface StatementEdge {
  src: string;
  dst: string;
  kind: EdgeKind;
  conditional: boolean;
  technique?: string;
  /** The edge's row in a live case (absent for snapshots). */
  rowId?: number;
}

export interface GraphState {
  index: GraphIndex;
  sources: SourceRow[];
  /** Non-traversable edges, aliases resolved. */
  statements(): StatementEdge[];
  /** Credentials known inactive map to false; any other credential counts as active (as the finding rules do). */
  credentialActive(): Map<string, boolean>;
  findings(): FindingRow[];
  marks(): Map<string, MarkKind[]>;
  /** The technique of a graph-index edge, when known. */
  technique(e: number): string | undefined;
}

export const STATEMENT_KINDS = (Object.keys(EDGE_KINDS) as EdgeKind[]).filter((k) => !EDGE_KINDS[k].traversable);
export const CREDENTIAL_KINDS = (Object.keys(NODE_KINDS) as NodeKind[]).filter((k) => NODE_KINDS[k].category === 'credential');

/** The state of a live case (its graph index is loaded from the case's snapshot, or built). */
export function stateOfStore(store: CaseStore, index: GraphIndex = loadGraphIndex(store).index): GraphState {
  let findings: FindingRow[] | undefined;
  let marks: Map<string, MarkKind[]> | undefined;
  return {
    index,
    sources: store.sources(),
    statements: () => {
      const out: StatementEdge[] = [];
      for (const e of store.edgesOfKinds(STATEMENT_KINDS)) {
        const technique = typeof e.props.technique === 'string' ? e.props.technique : undefined;
        out.push({ src: e.src, dst: e.dst, kind: e.kind, conditional: e.conditional, ...(technique ? { technique } : {}), rowId: e.id });
      }
      return out;
    },
    credentialActive: () => {
      // Only the inactive ones: unknown counts as active.
      return new Map(store.inactiveNodes(CREDENTIAL_KINDS).map((id) => [id, false]));
    },
    findings: () => (findings ??= store.findings()),
    marks: () => (marks ??= marksOf(store)),
    technique: (e) => {
      const row = store.edge(index.d.edgeId[e]!);
      return typeof row?.props.technique === 'string' ? row.props.technique : undefined;
    },
  };
}

function marksOf(store: CaseStore): Map<string, MarkKind[]> {
  const out = new Map<string, MarkKind[]>();
  for (const m of store.activeMarks()) {
    const list = out.get(m.nodeId) ?? [];
    if (!list.includes(m.mark)) list.push(m.mark);
    out.set(m.nodeId, list);
  }
  return out;
}
