// Findings must not depend on the order edges are read in: a full derivation reads earlier rules' edges from memory,
// an incremental one from rows, and the property test (derive-incremental) requires both to store the same findings.
// A service account in two groups that are each cluster-admin was cited through whichever group was read last.
import { describe, expect, it } from 'vitest';
import type { DerivedOrStoredEdge } from '../../src/analysis/edges/types.js';
import { k8sAnonymousAccess } from '../../src/analysis/findings/k8s-anonymous-access.js';
import { k8sSaClusterAdmin } from '../../src/analysis/findings/k8s-sa-cluster-admin.js';
import { segregationOfDuties } from '../../src/analysis/findings/segregation-of-duties.js';
import type { FindingRule } from '../../src/analysis/findings/types.js';
import type { EdgeKind, NodeKind } from '../../src/model/kinds.js';
import type { StoredNode } from '../../src/store/case-store.js';
import { listContext, type ReadOrder } from './list-context.js';

const node = (id: string, kind: NodeKind, boundary: string): StoredNode => ({ id, kind, name: id.split('/').pop()!, stub: false, boundary, handles: [id], props: {}, sources: [1] });
const edge = (kind: EdgeKind, src: string, dst: string, technique: string): DerivedOrStoredEdge => ({ kind, src, dst, derived: true, conditional: false, props: { technique, evidence: [{ type: 'binding', summary: `${src} → ${dst}` }] } });

describe('findings read edges in any order', () => {
  it('a service account in two cluster-admin groups, and admin of two clusters: the same finding either way, its nearest group first by id', () => {
    const sa = 'k8s:c1/ns0/serviceaccount/sa0';
    const authenticated = 'k8s:c1/_/group/system:authenticated';
    const nsGroup = 'k8s:c1/_/group/system:serviceaccounts:ns0';
    const nodes = [node(sa, 'k8s_service_account', 'k8s:c1'), node(authenticated, 'k8s_group', 'k8s:c1'), node(nsGroup, 'k8s_group', 'k8s:c1'), node('admin:k8s:c1', 'admin', 'k8s:c1'), node('admin:k8s:c2', 'admin', 'k8s:c2')];
    const edges = [
      edge('ADMIN_OF', nsGroup, 'admin:k8s:c1', 'bind2'),
      edge('ADMIN_OF', authenticated, 'admin:k8s:c2', 'bind1'),
      edge('ADMIN_OF', authenticated, 'admin:k8s:c1', 'bind1'),
      edge('MEMBER_OF', sa, nsGroup, 'k8s system group'),
      edge('MEMBER_OF', sa, authenticated, 'k8s system group'),
    ];
    const run = (order: ReadOrder) => runRule(k8sSaClusterAdmin, nodes, edges, order);
    const listed = run('as listed');
    expect(run('reversed')).toEqual(listed);
    // system:authenticated sorts before system:serviceaccounts:ns0; its two clusters in id order.
    expect(listed.map((f) => [f.nodeId, f.evidence.map((e) => e.summary)])).toEqual([[sa, [`${authenticated} → admin:k8s:c1`, `${authenticated} → admin:k8s:c2`]]]);
  });

  it('segregation of duties cites the first three of each side by target, whatever the order', () => {
    const user = 'arn:aws:iam::111111111111:user/ci';
    const group = 'arn:aws:iam::111111111111:group/deployers';
    const nodes = [node(user, 'aws_user', 'aws:account:111111111111'), node(group, 'aws_group', 'aws:account:111111111111')];
    const access = (src: string, action: string, target: string): DerivedOrStoredEdge => ({ kind: 'CAN_ACCESS', src, dst: target, derived: true, conditional: false, props: { actions: [action], evidence: [{ type: 'policy', summary: `${src} ${action} ${target}` }] } });
    const edges = [
      ...['prod-e', 'prod-a', 'prod-d', 'prod-c', 'prod-b'].map((b) => access(user, 's3:GetObject', `arn:aws:s3:::${b}`)),
      ...['r5', 'r1', 'r4', 'r3', 'r2'].map((r) => access(r === 'r1' ? group : user, 'iam:PutRolePolicy', `arn:aws:iam::111111111111:role/${r}`)),
      { kind: 'MEMBER_OF' as const, src: user, dst: group, derived: false, conditional: false, props: {} },
    ];
    const listed = runRule(segregationOfDuties, nodes, edges, 'as listed');
    expect(runRule(segregationOfDuties, nodes, edges, 'reversed')).toEqual(listed);
    expect(listed.map((f) => f.summary)).toEqual([expect.stringContaining(`change IAM (${['r1', 'r2', 'r3'].map((r) => `arn:aws:iam::111111111111:role/${r}`).join(', ')}) and read production data (${['prod-a', 'prod-b', 'prod-c'].map((b) => `arn:aws:s3:::${b}`).join(', ')})`)]);
  });

  it('anonymous access names the first three targets of each kind by id, whatever the order', () => {
    const group = 'k8s:c1/_/group/system:unauthenticated';
    const nodes = [node(group, 'k8s_group', 'k8s:c1')];
    const secrets = ['s4', 's1', 's3', 's2'].map((x) => `k8s:c1/ns0/secret/${x}`);
    const edges = secrets.map((dst) => edge('CAN_READ_CREDENTIAL', group, dst, 'read secrets'));
    const listed = runRule(k8sAnonymousAccess, nodes, edges, 'as listed');
    expect(runRule(k8sAnonymousAccess, nodes, edges, 'reversed')).toEqual(listed);
    expect(listed.map((f) => f.title)).toEqual([`Anonymous requests to k8s:c1 reach ${[...secrets].sort().slice(0, 3).join(', ')} and 1 more`]);
  });
});

/** The rule over these nodes and edges, read in the given order. */
function runRule(rule: FindingRule, nodes: StoredNode[], edges: DerivedOrStoredEdge[], order: ReadOrder) {
  return rule.run(listContext(nodes, edges, order));
}
