// Hand-built case fragments for analysis tests: nodes and edges written straight into a case store.
import type { EdgeProps, JsonObject } from '../../src/model/fragment.js';
import type { EdgeKind, NodeKind } from '../../src/model/kinds.js';
import { buildGraphIndex, type GraphIndex } from '../../src/analysis/index/graph-index.js';
import { CaseStore } from '../../src/store/case-store.js';
import { tempCase } from '../helpers.js';

export interface N {
  id: string;
  kind: NodeKind;
  name?: string;
  boundary?: string;
  props?: JsonObject;
  stub?: boolean;
}
export type E = [from: string, to: string, kind: EdgeKind, props?: EdgeProps];

export interface Scenario {
  store: CaseStore;
  path: string;
  index: GraphIndex;
  /** Node index of an id (throws when absent, so a typo fails loudly). */
  v(id: string): number;
  /** CSR edge index of the one edge from → to (of a kind, when several). */
  e(from: string, to: string, kind?: EdgeKind): number;
}

/** Writes the nodes and edges as one imported source and builds the graph index. */
export function scenario(nodes: N[], edges: E[], marks: { nodeId: string; mark: 'compromised' | 'high-value' }[] = []): Scenario {
  const path = tempCase();
  const store = CaseStore.open(path, { create: true });
  store.begin();
  const touched = new Set<string>();
  const sourceId = store.addSource({ label: 'scenario', fileName: 'scenario.json', format: 'test', sha256: 'x', importedAt: '2026-01-01T00:00:00Z', options: {} });
  store.writeFragment(
    sourceId,
    {
      nodes: nodes.map((n) => ({ id: n.id, kind: n.kind, name: n.name ?? n.id, ...(n.boundary ? { boundary: n.boundary } : {}), ...(n.props ? { props: n.props } : {}), ...(n.stub ? { stub: true } : {}) })),
      edges: edges.map(([from, to, kind, props]) => ({ from, to, kind, ...(props ? { props } : {}) })),
      warnings: [],
    },
    touched,
  );
  store.materialize(touched);
  for (const m of marks) store.addMark(m.nodeId, m.mark, '', 'test', '2026-01-01T00:00:00Z');
  store.commit();
  const index = buildGraphIndex(store);
  const v = (id: string) => {
    const x = index.indexOf(id);
    if (x < 0) throw new Error(`no node ${id}`);
    return x;
  };
  const e = (from: string, to: string, kind?: EdgeKind) => {
    const u = v(from);
    const w = v(to);
    const found: number[] = [];
    for (let x = index.d.offsets[u]!; x < index.d.offsets[u + 1]!; x++) if (index.d.targets[x] === w && (!kind || index.edgeKindOf(x) === kind)) found.push(x);
    if (found.length !== 1) throw new Error(`${found.length} edges ${from} → ${to}`);
    return found[0]!;
  };
  return { store, path, index, v, e };
}
