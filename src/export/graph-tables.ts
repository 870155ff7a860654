// The case's own rows as tables: every node and every edge, streamed from the store one row at a time.
import { NODE_KINDS, edgeSpec } from '../model/kinds.js';
import type { EdgeView, NodeSummary } from '../api/contract.js';
import type { Views } from '../api/views.js';
import type { CaseStore, StoredNode } from '../store/case-store.js';
import { col, dual, type TableDef } from './table.js';
import { evidenceCell, evidenceText } from './tables.js';

export interface NodeRow {
  summary: NodeSummary;
  node: StoredNode;
  sources: string[];
}

export interface EdgeRow {
  edge: EdgeView;
}

export function* nodeRows(store: CaseStore, views: Views): IterableIterator<NodeRow> {
  for (const n of store.allNodes()) {
    yield { summary: views.summary(n), node: n, sources: n.sources.map((s) => views.sourceRef(s)?.fileName ?? (s === 0 ? 'derived' : `source ${s}`)) };
  }
}

export function* edgeRows(store: CaseStore, views: Views): IterableIterator<EdgeRow> {
  for (const e of store.allEdges()) yield { edge: views.edge(e) };
}

export const NODES_TABLE: TableDef<NodeRow> = {
  name: 'nodes',
  columns: [
    col('id', (r) => r.node.id),
    col('kind', (r) => r.node.kind),
    col('kind_label', (r) => NODE_KINDS[r.node.kind].label),
    col('category', (r) => r.summary.category),
    col('provider', (r) => r.summary.provider),
    col('name', (r) => r.node.name),
    col('boundary', (r) => r.node.boundary),
    col('stub', (r) => r.node.stub),
    col('marks', (r) => r.summary.marks),
    col('handles', (r) => r.node.handles),
    col('sources', (r) => r.sources),
    col('props', (r) => r.node.props),
  ],
};

export const EDGES_TABLE: TableDef<EdgeRow> = {
  name: 'edges',
  columns: [
    col('id', (r) => r.edge.id),
    col('from', (r) => r.edge.from),
    col('to', (r) => r.edge.to),
    col('kind', (r) => r.edge.kind),
    col('traversable', (r) => edgeSpec(r.edge.kind).traversable),
    col('derived', (r) => r.edge.derived),
    col('observed', (r) => r.edge.observed),
    col('conditional', (r) => r.edge.conditional),
    col('technique', (r) => r.edge.technique),
    col('access_level', (r) => r.edge.accessLevel),
    col('reason', (r) => r.edge.reason),
    col('first_seen', (r) => r.edge.firstSeen),
    col('last_seen', (r) => r.edge.lastSeen),
    col('count', (r) => r.edge.count),
    col('source', (r) => r.edge.source?.fileName),
    dual('evidence', (r) => evidenceCell(r.edge.evidence), (r) => evidenceText(r.edge.evidence)),
  ],
};
