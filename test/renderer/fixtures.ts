// Small builders for renderer tests: API views as the engine returns them.
import type { AttackPath, EdgeView, NodeSummary } from '../../renderer/contract';

export function node(id: string, over: Partial<NodeSummary> = {}): NodeSummary {
  return { id, kind: 'aws_role', category: 'identity', provider: 'aws', name: id, stub: false, marks: [], ...over };
}

let nextEdge = 1;
export function edge(from: string, to: string, over: Partial<EdgeView> = {}): EdgeView {
  return { id: nextEdge++, from, to, kind: 'OPENGRAPH_EDGE', derived: false, observed: false, reason: `${from} to ${to}`, evidence: [], props: {}, ...over };
}

export function path(...steps: [NodeSummary, EdgeView, NodeSummary][]): AttackPath {
  return { steps: steps.map(([from, e, to]) => ({ from, edge: e, to })), conditional: steps.some(([, e]) => Boolean(e.conditional)), cost: steps.length };
}
