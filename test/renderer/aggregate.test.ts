import { describe, expect, it } from 'vitest';
import { aggregateKey, groupId, visibleGraph, type VisibleInput } from '../../renderer/graph/aggregate';
import { canvasEdge, type CanvasEdge } from '../../renderer/store/graph-slice';
import { NO_FILTERS } from '../../renderer/store/ui-slice';
import type { NodeSummary } from '../../renderer/contract';
import { edge, node } from './fixtures';

function input(nodes: NodeSummary[], edges: CanvasEdge[], over: Partial<VisibleInput> = {}): VisibleInput {
  return { nodes: Object.fromEntries(nodes.map((n) => [n.id, n])), edges: Object.fromEntries(edges.map((e) => [e.key, e])), filters: NO_FILTERS, pinned: new Set(), openGroups: [], renderAll: false, ...over };
}

const ACCT = 'aws:account:111111111111';
const account = node(ACCT, { kind: 'aws_account', category: 'boundary', name: 'prod' });
const admin = node(`admin:${ACCT}`, { kind: 'admin', category: 'admin', provider: 'generic', boundary: ACCT });

/** A hub role reaching `n` buckets in one account. */
function star(n: number): { nodes: NodeSummary[]; edges: CanvasEdge[] } {
  const hub = node('hub', { boundary: ACCT });
  const buckets = Array.from({ length: n }, (_, i) => node(`b${i}`, { kind: 'aws_bucket', category: 'resource', boundary: ACCT }));
  return { nodes: [account, admin, hub, ...buckets], edges: [canvasEdge(edge('hub', `admin:${ACCT}`)), ...buckets.map((b) => canvasEdge(edge('hub', b.id)))] };
}

describe('visibleGraph', () => {
  it('draws everything under the budget, inside one box per boundary', () => {
    const { nodes, edges } = star(5);
    const v = visibleGraph(input(nodes, edges));
    expect(v.aggregated).toBe(false);
    const box = v.nodes.find((n) => n.id === groupId(ACCT));
    expect(box).toMatchObject({ isGroup: true, label: 'prod' });
    // The account node sits in its own box, like everything whose boundary it is.
    expect(v.nodes.filter((n) => !n.isGroup).every((n) => n.parent === groupId(ACCT))).toBe(true);
    expect(v.nodes.filter((n) => !n.isGroup)).toHaveLength(8);
    expect(v.edges).toHaveLength(6);
  });

  it('above the budget folds each boundary and kind into one count node and bundles their edges', () => {
    const { nodes, edges } = star(30);
    const v = visibleGraph(input(nodes, edges, { budget: 20 }));
    expect(v.aggregated).toBe(true);
    expect(v.total).toBe(33 + 31);
    const agg = v.nodes.find((n) => n.id === aggregateKey(ACCT, 'aws_bucket'));
    expect(agg).toMatchObject({ count: 30, label: '30 × S3 bucket', parent: groupId(ACCT) });
    // The admin node, the boundary and unbucketable singletons stay themselves.
    expect(v.nodes.map((n) => n.id)).toEqual(expect.arrayContaining([ACCT, `admin:${ACCT}`, 'hub']));
    const bundled = v.edges.find((e) => e.target === agg!.id);
    expect(bundled).toMatchObject({ source: 'hub', count: 30, label: '30 edges' });
    expect(v.edges).toHaveLength(2);
  });

  it('keeps pinned and marked nodes out of aggregates, and opens groups the user opened', () => {
    const { nodes, edges } = star(30);
    nodes[5] = { ...nodes[5]!, marks: ['high-value'] };
    const v = visibleGraph(input(nodes, edges, { budget: 20, pinned: new Set(['b7']) }));
    const ids = v.nodes.map((n) => n.id);
    expect(ids).toContain(nodes[5]!.id);
    expect(ids).toContain('b7');
    expect(v.nodes.find((n) => n.count !== undefined)?.count).toBe(28);
    const opened = visibleGraph(input(nodes, edges, { budget: 20, openGroups: [aggregateKey(ACCT, 'aws_bucket')] }));
    expect(opened.nodes.filter((n) => n.kind === 'aws_bucket')).toHaveLength(30);
    expect(visibleGraph(input(nodes, edges, { budget: 20, renderAll: true })).aggregated).toBe(false);
  });

  it('filters kinds, providers, boundaries and conditional edges, but never a pinned node', () => {
    const k8s = node('sa', { kind: 'k8s_service_account', provider: 'k8s', boundary: 'k8s:cluster:prod' });
    const role = node('role', { boundary: ACCT });
    const edges = [canvasEdge(edge('sa', 'role', { conditional: 'aws:SourceIp in 10.0.0.0/8' })), canvasEdge(edge('role', ACCT))];
    const all = [account, k8s, role];
    const ids = (f: Partial<VisibleInput>) => visibleGraph(input(all, edges, f)).nodes.filter((n) => !n.isGroup).map((n) => n.id).sort();
    expect(ids({ filters: { ...NO_FILTERS, hiddenProviders: ['k8s'] } })).toEqual([ACCT, 'role']);
    expect(ids({ filters: { ...NO_FILTERS, hiddenKinds: ['aws_role'] } })).toEqual([ACCT, 'sa']);
    expect(ids({ filters: { ...NO_FILTERS, hiddenBoundaries: [ACCT] } })).toEqual(['sa']);
    expect(ids({ filters: { ...NO_FILTERS, hiddenBoundaries: [ACCT] }, pinned: new Set(['role']) })).toEqual(['role', 'sa']);
    const v = visibleGraph(input(all, edges, { filters: { ...NO_FILTERS, hideConditional: true } }));
    expect(v.edges.map((e) => e.source)).toEqual(['role']);
    expect(visibleGraph(input(all, edges, { filters: { ...NO_FILTERS, hiddenKinds: ['aws_role'] } })).hiddenByFilters).toBe(1);
  });
});
