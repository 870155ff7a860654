import { createHash } from 'node:crypto';
import type { EdgeFact, GraphFragment, NodeFact } from '../model/fragment.js';
import type { EdgeKind, NodeKind } from '../model/kinds.js';
import { DERIVED_SOURCE, type CaseStore, type FindingRow, type StoredEdge, type StoredNode } from '../store/case-store.js';
import { EDGE_RULES } from './edges/index.js';
import type { DeriveContext, DerivedOrStoredEdge, EdgeRule } from './edges/types.js';
import { FINDING_RULES } from './findings/index.js';
import type { FindingRule } from './findings/types.js';
import { scannerFindings } from './scanner-findings.js';

/**
 * Recomputes everything derived — edges, derived nodes, findings — from the imported facts.
 * Runs inside the caller's transaction, so an import and its consequences land together.
 */
export function recomputeDerived(store: CaseStore, now: Date, rules: readonly EdgeRule[] = EDGE_RULES, findingRules: readonly FindingRule[] = FINDING_RULES): { edges: number; findings: number } {
  const touched = store.clearDerived();
  const { ctx, fragment } = deriveContext(store, now);
  for (const rule of rules) rule.derive(ctx);

  const findings: FindingRow[] = [];
  for (const rule of findingRules) {
    for (const draft of rule.run(ctx)) {
      findings.push({
        id: `${rule.id}:${createHash('sha256').update(`${draft.nodeId}\n${draft.title}`).digest('hex').slice(0, 16)}`,
        rule: rule.id,
        severity: draft.severity ?? rule.severity,
        nodeId: draft.nodeId,
        title: draft.title,
        summary: draft.summary,
        evidence: draft.evidence,
        remediation: rule.remediation,
      });
    }
  }
  findings.push(...scannerFindings(store));
  // Written after the finding rules ran: until then the store holds imported facts only and the derived edges
  // are read from memory, so nothing is seen twice and nothing is parsed back.
  store.writeFragment(DERIVED_SOURCE, fragment, touched, true);
  store.materialize(touched);
  store.replaceFindings(findings);
  return { edges: fragment.edges.length, findings: findings.length };
}

/** The context rules read: stored facts overlaid with what earlier rules emitted in this run. */
export function deriveContext(store: CaseStore, now: Date): { ctx: DeriveContext; fragment: GraphFragment } {
  const fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
  const emittedNodes = new Map<string, NodeFact>();
  const edgeKeys = new Map<string, EdgeFact>();
  const outIndex = new Map<string, DerivedOrStoredEdge[]>();
  const inIndex = new Map<string, DerivedOrStoredEdge[]>();
  const byKind = new Map<EdgeKind, DerivedOrStoredEdge[]>();

  const asStored = (n: NodeFact): StoredNode => ({
    id: n.id,
    kind: n.kind,
    name: n.name,
    stub: Boolean(n.stub),
    boundary: n.boundary ?? null,
    handles: n.handles ?? [],
    props: n.props ?? {},
    sources: [DERIVED_SOURCE],
  });
  // Views read through to the emitted edge, so evidence merged later is seen by later rules.
  const toView = (e: EdgeFact): DerivedOrStoredEdge => ({
    src: e.from,
    dst: e.to,
    kind: e.kind,
    get props() {
      return e.props ?? {};
    },
    get conditional() {
      return Boolean(e.props?.conditional);
    },
    derived: true,
  });

  const memos = new Map<string, unknown>();
  const storedByKind = new Map<NodeKind, StoredNode[]>();
  const storedEdgesByKind = new Map<EdgeKind, StoredEdge[]>();
  const storedNodes = new Map<string, StoredNode | null>();
  const ctx: DeriveContext = {
    now,
    memo<T>(key: string, compute: () => T): T {
      if (!memos.has(key)) memos.set(key, compute());
      return memos.get(key) as T;
    },
    node(id) {
      // The store does not change while the rules run: each stored node is read and parsed once.
      let stored = storedNodes.get(id);
      if (stored === undefined) storedNodes.set(id, (stored = store.node(id) ?? null));
      return stored ?? (emittedNodes.has(id) ? asStored(emittedNodes.get(id)!) : undefined);
    },
    *nodesOfKind(kind: NodeKind) {
      // Read once per run: the store does not change until the rules are done, and several rules walk the same
      // tens of thousands of service accounts or pods.
      let stored = storedByKind.get(kind);
      if (!stored) storedByKind.set(kind, (stored = [...store.nodesOfKind(kind)]));
      yield* stored;
      for (const n of emittedNodes.values()) if (n.kind === kind && !store.node(n.id)) yield asStored(n);
    },
    *edgesOfKind(kind: EdgeKind) {
      // As nodes: rules and finding rules walk the same tens of thousands of bindings.
      let stored = storedEdgesByKind.get(kind);
      if (!stored) storedEdgesByKind.set(kind, (stored = [...store.edgesOfKind(kind)]));
      yield* stored;
      yield* byKind.get(kind) ?? [];
    },
    out: (id, kind) => [...store.edgesOf(id, 'out', undefined, kind), ...(outIndex.get(id) ?? []).filter((e) => !kind || e.kind === kind)],
    in: (id, kind) => [...store.edgesOf(id, 'in', undefined, kind), ...(inIndex.get(id) ?? []).filter((e) => !kind || e.kind === kind)],
    emitNode(node) {
      const prev = emittedNodes.get(node.id);
      if (prev) return;
      emittedNodes.set(node.id, node);
      fragment.nodes.push(node);
    },
    emitEdge(edge) {
      // One edge per (kind, from, to, technique): a second rule or statement adds evidence, not a row.
      const key = `${edge.kind}\n${edge.from}\n${edge.to}\n${edge.props?.technique ?? ''}`;
      const prev = edgeKeys.get(key);
      if (prev) {
        const props = (prev.props ??= {});
        props.evidence = [...(props.evidence ?? []), ...(edge.props?.evidence ?? [])];
        // An unconditional grant beats a conditional one for the same step.
        if (!edge.props?.conditional) delete props.conditional;
        return;
      }
      edgeKeys.set(key, edge);
      fragment.edges.push(edge);
      const view = toView(edge);
      for (const [index, k] of [[outIndex, edge.from], [inIndex, edge.to]] as const) {
        const list = index.get(k) ?? [];
        list.push(view);
        index.set(k, list);
      }
      const list = byKind.get(edge.kind) ?? [];
      list.push(view);
      byKind.set(edge.kind, list);
    },
  };
  return { ctx, fragment };
}
