import { describe, expect, it } from 'vitest';
import { aggregateKey, groupId, OUTSIDE_GROUP, visibleGraph, type VisibleInput } from '../../renderer/graph/aggregate';
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
  it('draws everything under the budget, inside one box per boundary; the box stands for its boundary node', () => {
    const { nodes, edges } = star(5);
    const v = visibleGraph(input(nodes, edges));
    expect(v.aggregated).toBe(false);
    const box = v.nodes.find((n) => n.id === groupId(ACCT));
    expect(box).toMatchObject({ isGroup: true, label: 'prod', boundaryId: ACCT });
    // The account node is not drawn inside its own box (the box repeating its title was noise).
    expect(v.nodes.map((n) => n.id)).not.toContain(ACCT);
    expect(v.nodes.filter((n) => !n.isGroup).every((n) => n.parent === groupId(ACCT))).toBe(true);
    expect(v.nodes.filter((n) => !n.isGroup)).toHaveLength(7);
    expect(v.edges).toHaveLength(6);
  });

  it('attaches the edges of a boundary node to its box', () => {
    const role = node('role', { boundary: ACCT });
    const v = visibleGraph(input([account, role], [canvasEdge(edge('role', ACCT))]));
    expect(v.edges).toMatchObject([{ source: 'role', target: groupId(ACCT) }]);
  });

  it('gives an admin node the provider of its boundary, so hiding a provider hides its admin too', () => {
    const cluster = node('k8s:prod', { kind: 'k8s_cluster', category: 'boundary', provider: 'k8s', name: 'prod' });
    const clusterAdmin = node('admin:k8s:prod', { kind: 'admin', category: 'admin', provider: 'generic', boundary: 'k8s:prod' });
    const all = [cluster, clusterAdmin, admin, account];
    const shown = visibleGraph(input(all, []));
    expect(shown.nodes.find((n) => n.id === 'admin:k8s:prod')?.provider).toBe('k8s');
    const hidden = visibleGraph(input(all, [], { filters: { ...NO_FILTERS, hiddenProviders: ['k8s'] } }));
    // Neither the cluster's box nor its admin star is left behind.
    expect(hidden.nodes.map((n) => n.id).sort()).toEqual([`admin:${ACCT}`, groupId(ACCT)]);
  });

  it('above the budget folds each boundary and kind into one count node and bundles their edges', () => {
    const { nodes, edges } = star(30);
    const v = visibleGraph(input(nodes, edges, { budget: 20 }));
    expect(v.aggregated).toBe(true);
    expect(v.total).toBe(33 + 31);
    const agg = v.nodes.find((n) => n.id === aggregateKey(ACCT, 'aws_bucket'));
    expect(agg).toMatchObject({ count: 30, label: '30 × S3 bucket', parent: groupId(ACCT) });
    // The admin node, the boundary's box and unbucketable singletons stay themselves.
    expect(v.nodes.map((n) => n.id)).toEqual(expect.arrayContaining([groupId(ACCT), `admin:${ACCT}`, 'hub']));
    const bundled = v.edges.find((e) => e.target === agg!.id);
    expect(bundled).toMatchObject({ source: 'hub', count: 30, label: '30 × has an edge to' });
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

  it('filters kinds, providers, boundaries and conditional edges, pinned (selected) nodes included', () => {
    const k8s = node('sa', { kind: 'k8s_service_account', provider: 'k8s', boundary: 'k8s:cluster:prod' });
    const role = node('role', { boundary: ACCT });
    const edges = [canvasEdge(edge('sa', 'role', { conditional: 'aws:SourceIp in 10.0.0.0/8' })), canvasEdge(edge('role', ACCT))];
    const all = [account, k8s, role];
    const ids = (f: Partial<VisibleInput>) => visibleGraph(input(all, edges, f)).nodes.filter((n) => !n.isGroup).map((n) => n.id).sort();
    expect(ids({ filters: { ...NO_FILTERS, hiddenProviders: ['k8s'] } })).toEqual(['role']);
    expect(ids({ filters: { ...NO_FILTERS, hiddenKinds: ['aws_role'] } })).toEqual(['sa']);
    expect(ids({ filters: { ...NO_FILTERS, hiddenBoundaries: [ACCT] } })).toEqual(['sa']);
    // Whatever is hidden is not drawn, selected or not.
    expect(ids({ filters: { ...NO_FILTERS, hiddenBoundaries: [ACCT] }, pinned: new Set(['role']) })).toEqual(['sa']);
    const v = visibleGraph(input(all, edges, { filters: { ...NO_FILTERS, hideConditional: true } }));
    expect(v.edges.map((e) => e.source)).toEqual(['role']);
    expect(v.edges[0]!.target).toBe(groupId(ACCT));
    expect(visibleGraph(input(all, edges, { filters: { ...NO_FILTERS, hiddenKinds: ['aws_role'] } })).hiddenByFilters).toBe(1);
  });
});

describe('estate map', () => {
  const counts = { nodes: 3, identities: 2, credentials: 1, resources: 0, groups: 0, admins: 1, findings: { critical: 1 } };
  const prod = node('aws:account:222222222222', { kind: 'aws_account', category: 'boundary', name: '222222222222' });
  const estate = {
    boundaries: [
      { boundary: account, ...counts },
      { boundary: prod, ...counts, identities: 12 },
    ],
    outside: { nodes: 4, identities: 0, credentials: 0, resources: 4, groups: 0, admins: 0, findings: {} },
    trust: [{ from: ACCT, to: prod.id, edges: 12, sources: 2, targets: 12, targetKinds: { aws_role: 12 }, edgeKinds: { CAN_ASSUME: 12 }, conditional: 0, observed: 0 }],
    marked: [],
    topFindings: [],
    elapsedMs: 1,
  };

  it('draws every boundary as a box with its counts, even without members, the rest as one box, and trust as one edge per pair', () => {
    const v = visibleGraph(input([account], [], { estate }));
    const box = v.nodes.find((n) => n.id === groupId(prod.id))!;
    expect(box.label).toBe('AWS account 222222222222\n12 identities · 1 credential\n1 admin · 1 critical');
    expect(v.nodes.find((n) => n.id === OUTSIDE_GROUP)?.label).toContain('4 resources');
    expect(v.edges).toEqual([expect.objectContaining({ source: groupId(ACCT), target: groupId(prod.id), trust: true, label: '12 IAM roles trust prod' })]);
  });

  it('draws the edges between two nodes as one, whatever their kinds, and leaves out the rights of a node over itself or over its own box', () => {
    const domainAdmins = node('da', { boundary: ACCT, name: 'DOMAIN ADMINS' });
    const dc = node('dc', { boundary: ACCT, name: 'DC01' });
    const rights = ['GenericAll', 'WriteDacl', 'WriteOwner', 'Owns'].map((kind, i) => ({ ...canvasEdge(edge('da', 'dc')), key: `e${i}`, label: kind }));
    const self = { ...canvasEdge(edge('da', 'da')), key: 'e9', label: 'WriteDacl' };
    const back = { ...canvasEdge(edge('dc', 'da', { kind: 'MEMBER_OF' })), key: 'e10', label: 'member of' };
    const toOwnBox = { ...canvasEdge(edge('da', ACCT)), key: 'e11', label: 'GenericAll' };
    const v = visibleGraph(input([account, domainAdmins, dc], [...rights, self, back, toOwnBox], { estate }));
    const drawn = v.edges.filter((e) => !e.trust);
    expect(drawn.map((e) => [e.source, e.target, e.count])).toEqual([
      ['da', 'dc', 4],
      ['dc', 'da', 1],
    ]);
    expect(drawn[0]!.label).toBe('4 edges: GenericAll, WriteDacl +2');
    expect(drawn[1]!.label).toBe('member of');
    // Outside the estate map each edge stays itself (it can be selected for its evidence), the loop too.
    expect(visibleGraph(input([account, domainAdmins, dc], [...rights, self, back, toOwnBox])).edges).toHaveLength(7);
  });

  it('a box holding only its admin node counts the admin, and says an empty box is empty', () => {
    const none = { nodes: 0, identities: 0, credentials: 0, resources: 0, groups: 0, admins: 0, findings: {} };
    const org = node('gcp:organization:1', { kind: 'gcp_organization', category: 'boundary', name: 'example.org' });
    const folder = node('gcp:folder:2', { kind: 'gcp_folder', category: 'boundary', name: 'Folder 2' });
    const only = { ...estate, boundaries: [{ boundary: org, ...none, nodes: 1, admins: 1 }, { boundary: folder, ...none }], trust: [] };
    const v = visibleGraph(input([], [], { estate: only }));
    expect(v.nodes.find((n) => n.id === groupId(org.id))!.label.split('\n').slice(1)).toEqual(['1 admin']);
    expect(v.nodes.find((n) => n.id === groupId(folder.id))!.label.split('\n').slice(1)).toEqual(['no nodes inside']);
  });

  it('titles a box whose name starts with its kind without saying the kind twice', () => {
    const sub = node('azure:subscription:9b2f', { kind: 'azure_subscription', category: 'boundary', name: 'subscription 9b2f' });
    const v = visibleGraph(input([sub], [], { estate: { ...estate, boundaries: [{ boundary: sub, ...counts }], trust: [] } }));
    expect(v.nodes.find((n) => n.id === groupId(sub.id))!.label.split('\n')[0]).toBe('Azure subscription 9b2f');
  });

  it('leaves out the boxes and trust a filter hides', () => {
    const v = visibleGraph(input([account], [], { estate, filters: { ...NO_FILTERS, hiddenBoundaries: [ACCT] } }));
    expect(v.nodes.map((n) => n.id)).not.toContain(groupId(ACCT));
    expect(v.edges).toEqual([]);
  });
});
