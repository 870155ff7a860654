// admin-exits: the admin node of a boundary can act as the members that have a way out of it. On the demo's
// exports (what they say: prod-eks's payments-api and report-builder service accounts are IRSA-federated to
// payments-irsa and reporting-irsa, whose trust accepts them; analytics/etl is annotated for payments-irsa, whose
// trust refuses it; dev's ci-deployer user may assume prod's deploy-prod, which can escalate to ops-automation, admin
// of prod; prod's admin node already assumes OrganizationAccountAccessRole itself, its root being trusted; the
// cluster's aws-auth maps prod's gha-deploy-platform role to system:masters and its node role to system:nodes) and on a
// two-account GAAD where prod's admin role trusts tools' ci-runner by name, and on a Cloud Asset Inventory export of
// three projects (ci-tools' deployer service account is owner of payments-prod; its linter only a browser there;
// sandbox's notebook account may read payments-prod's ledger bucket).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminExits } from '../../../src/analysis/edges/admin-exits.js';
import type { DerivedOrStoredEdge } from '../../../src/analysis/edges/types.js';
import { openEngine, type Engine } from '../../../src/api/engine.js';
import type { EdgeFact } from '../../../src/model/fragment.js';
import type { EdgeKind, NodeKind } from '../../../src/model/kinds.js';
import type { StoredNode } from '../../../src/store/case-store.js';
import { buildDemoCase } from '../../../src/demo.js';
import { FIXTURES } from '../../helpers.js';
import { listContext, type ReadOrder } from '../list-context.js';

const DEMO = join(import.meta.dirname, '..', '..', '..', 'assets', 'demo');
const k8s = (ns: string, name: string) => `k8s:prod-eks/${ns}/serviceaccount/${name}`;

describe('admin-exits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-admin-exits-'));
  let demo: Engine;
  beforeAll(async () => {
    // As `blastmap demo` builds it (the kubectl export named cluster prod-eks).
    await buildDemoCase(join(dir, 'demo.blastmap'), DEMO);
    demo = openEngine(join(dir, 'demo.blastmap'), {});
  });
  afterAll(() => {
    demo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const exitsOf = (engine: Engine, admin: string) => [...engine.store.edgesOfKind('CAN_ESCALATE')].filter((e) => e.src === admin).map((e) => [e.dst, e.props.technique]).sort();

  it('lets cluster-admin run pods as the federated service accounts only, not the refused one', () => {
    expect(exitsOf(demo, 'admin:k8s:prod-eks')).toEqual([
      [k8s('payments', 'payments-api'), 'cluster-admin: runs a pod as the service account'],
      [k8s('reporting', 'report-builder'), 'cluster-admin: runs a pod as the service account'],
    ]);
  });

  it('takes a leaked cluster-admin token past the cluster, to the AWS roles of its IRSA service accounts', async () => {
    const blast = await demo.blastRadius({ from: k8s('kube-system', 'legacy-admin') });
    const ids = blast.identities.map((r) => r.node.id);
    expect(ids).toContain('arn:aws:iam::222222222222:role/payments-irsa');
    expect(ids).toContain('arn:aws:iam::222222222222:role/reporting-irsa');
    const [path] = await demo.paths({ from: k8s('kube-system', 'legacy-admin'), to: 'arn:aws:iam::222222222222:role/reporting-irsa', k: 1 });
    expect(path!.steps.map((s) => s.edge.kind)).toEqual(['ADMIN_OF', 'CAN_ESCALATE', 'FEDERATES_TO']);
  });

  it("gives an account's admin its principals that can leave the account, unless it assumes the same role itself", async () => {
    // dev's ci-deployer may assume prod's deploy-prod: dev's admin can create a key for it.
    expect(exitsOf(demo, 'admin:aws:account:111111111111')).toEqual([['arn:aws:iam::111111111111:user/ci-deployer', 'account admin: creates an access key for the user (iam:CreateAccessKey)']]);
    // prod's admin roles may assume dev's OrganizationAccountAccessRole, which prod's admin node assumes directly: not
    // a way out of theirs. prod-eks's aws-auth maps the GitHub deploy role and the node role into the cluster: those are.
    const rewrite = "account admin: rewrites the role's trust policy and assumes it (iam:UpdateAssumeRolePolicy)";
    expect(exitsOf(demo, 'admin:aws:account:222222222222')).toEqual([
      ['arn:aws:iam::222222222222:role/gha-deploy-platform', rewrite],
      ['arn:aws:iam::222222222222:role/prod-eks-node', rewrite],
    ]);
    const [toCluster] = await demo.paths({ from: 'admin:aws:account:222222222222', to: 'admin:k8s:prod-eks', k: 1 });
    expect(toCluster!.steps.map((s) => s.edge.kind)).toEqual(['CAN_ESCALATE', 'FEDERATES_TO', 'MEMBER_OF', 'ADMIN_OF']);
    // gha-deploy-platform itself is not admin of prod, but can become it (lambda-001) and, mapped to system:masters,
    // cluster-admin of prod-eks: its escalation finding names both.
    const [esc] = (await demo.findings({ rule: 'escalation-to-admin' })).filter((f) => f.nodeId === 'arn:aws:iam::222222222222:role/gha-deploy-platform');
    expect(esc!.title).toContain('can become Admin of AWS account 222222222222 in 2 steps');
    expect(esc!.summary).toMatch(/It can also become [^.]*cluster-admin of prod-eks/);
    // So whoever is admin of dev can become admin of prod: a key for ci-deployer, deploy-prod, ops-automation.
    const cross = (await demo.findings({ rule: 'admin-crosses-boundary' })).find((f) => f.nodeId === 'admin:aws:account:111111111111');
    expect(cross?.title).toBe('Whoever is Admin of AWS account 111111111111 can become Admin of AWS account 222222222222 in 4 steps');
  });

  it('gives the tools account admin the CI role a prod admin role trusts by name', async () => {
    const engine = openEngine(join(dir, 'tools.blastmap'), { create: true });
    await engine.importFiles({ files: [{ path: join(FIXTURES, 'aws', 'gaad-tools-and-prod-admin-routes.json') }] });
    expect(exitsOf(engine, 'admin:aws:account:333333333333')).toEqual([['arn:aws:iam::333333333333:role/ci-runner', "account admin: rewrites the role's trust policy and assumes it (iam:UpdateAssumeRolePolicy)"]]);
    engine.close();
  });

  it("gives a GCP project's admin its service accounts granted something in another project", async () => {
    const engine = openEngine(join(dir, 'gcp.blastmap'), { create: true });
    await engine.importFiles({ files: ['cai-resources-ci-tools-payments-sandbox.jsonl', 'cai-iam-policies-ci-tools-payments-sandbox.jsonl'].map((f) => ({ path: join(FIXTURES, 'gcp', f) })) });
    const act = 'project admin: acts as the service account (iam.serviceAccounts.getAccessToken)';
    expect(exitsOf(engine, 'admin:gcp:project:ci-tools')).toEqual([
      ['gcp:sa:deployer@ci-tools.iam.gserviceaccount.com', act],
      ['gcp:sa:linter@ci-tools.iam.gserviceaccount.com', act],
    ]);
    expect(exitsOf(engine, 'admin:gcp:project:sandbox')).toEqual([['gcp:sa:notebook@sandbox.iam.gserviceaccount.com', act]]);
    // payments-prod's accounts are granted nothing elsewhere.
    expect(exitsOf(engine, 'admin:gcp:project:payments-prod')).toEqual([]);
    const cross = await engine.findings({ rule: 'admin-crosses-boundary' });
    expect(cross.map((f) => f.title)).toEqual(['Whoever is Admin of ci-tools can become Admin of payments-prod in 2 steps']);
    engine.close();
  });

  it("gives an Azure subscription's owner the managed identities of its resources that reach past it", async () => {
    // The AzureHound contoso export, plus one Graph app role assignment as AzureHound writes it: the function app
    // payroll-fn's user-assigned identity PAYROLL-ID gets RoleManagement.ReadWrite.Directory (admin of the tenant).
    // BUILD-VM's identity, owner of the same subscription, stays inside it: not a way out.
    const hound = JSON.parse(readFileSync(join(FIXTURES, 'azurehound', 'azurehound-contoso.json'), 'utf8')) as { data: unknown[] };
    const payrollId = '0000001f-1111-4222-8333-00000000001f';
    hound.data.push({ kind: 'AZAppRoleAssignment', data: { appRoleId: '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8', createdDateTime: '2025-02-01T09:00:00Z', id: 'pAyRoLlIdGrApHrOlE0000000', principalDisplayName: 'payroll-id', principalId: payrollId, principalType: 'ServicePrincipal', resourceDisplayName: 'Microsoft Graph', resourceId: '0AB3C5E1-9F7D-4E2B-A6C8-13579BDF2468', appId: '00000003-0000-0000-C000-000000000000', tenantId: '6C12B0B0-B2CC-4A73-8252-0B94BFCA2145' } });
    const file = join(dir, 'azurehound-contoso-payroll-graph-role.json');
    writeFileSync(file, JSON.stringify(hound));
    const engine = openEngine(join(dir, 'azure.blastmap'), { create: true });
    await engine.importFiles({ files: [{ path: file }] });
    const sub = 'admin:azure:subscription:4f1a6b2e-0c8d-4e27-9b5a-3d2c1e0f9a87';
    expect(exitsOf(engine, sub)).toEqual([[`azure:object:${payrollId}`, 'subscription owner: runs code as the managed identity']]);
    const cross = (await engine.findings({ rule: 'admin-crosses-boundary' })).find((f) => f.nodeId === sub);
    expect(cross?.title).toBe('Whoever is Owner of Azure subscription 4f1a6b2e-0c8d-4e27-9b5a-3d2c1e0f9a87 can become Global administrator of tenant 6c12b0b0-b2cc-4a73-8252-0b94bfca2145 in 2 steps');
    engine.close();
  });

  it("finds a managed identity's subscription from the resource its service principal names, when the resource is not in the case", async () => {
    // The same export without the records of resources that run as an identity (the function app, the VM): only the
    // directory says where PAYROLL-ID lives (alternativeNames: its user-assigned identity resource in the subscription).
    const hound = JSON.parse(readFileSync(join(FIXTURES, 'azurehound', 'azurehound-contoso.json'), 'utf8')) as { data: { kind: string; data: Record<string, unknown> }[] };
    const payrollId = '0000001f-1111-4222-8333-00000000001f';
    hound.data = hound.data.filter((r) => !('identity' in r.data));
    hound.data.push({ kind: 'AZAppRoleAssignment', data: { appRoleId: '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8', id: 'pAyRoLlIdGrApHrOlE0000000', principalId: payrollId, principalType: 'ServicePrincipal', resourceId: '0AB3C5E1-9F7D-4E2B-A6C8-13579BDF2468', resourceDisplayName: 'Microsoft Graph', appId: '00000003-0000-0000-C000-000000000000', tenantId: '6C12B0B0-B2CC-4A73-8252-0B94BFCA2145' } });
    const file = join(dir, 'azurehound-contoso-no-resources.json');
    writeFileSync(file, JSON.stringify(hound));
    const engine = openEngine(join(dir, 'azure-no-resources.blastmap'), { create: true });
    await engine.importFiles({ files: [{ path: file }] });
    const sub = 'admin:azure:subscription:4f1a6b2e-0c8d-4e27-9b5a-3d2c1e0f9a87';
    expect(exitsOf(engine, sub)).toEqual([[`azure:object:${payrollId}`, 'subscription owner: runs code as the managed identity']]);
    const [edge] = [...engine.store.edgesOfKind('CAN_ESCALATE')].filter((e) => e.src === sub);
    expect(edge!.props.reason).toContain('can attach user-assigned identity PAYROLL-ID (/subscriptions/4f1a6b2e-0c8d-4e27-9b5a-3d2c1e0f9a87/resourcegroups/rg-build/providers/microsoft.managedidentity/userassignedidentities/payroll-id) to a resource it creates');
    const cross = (await engine.findings({ rule: 'admin-crosses-boundary' })).find((f) => f.nodeId === sub);
    expect(cross?.title).toBe('Whoever is Owner of Azure subscription 4f1a6b2e-0c8d-4e27-9b5a-3d2c1e0f9a87 can become Global administrator of tenant 6c12b0b0-b2cc-4a73-8252-0b94bfca2145 in 2 steps');
    engine.close();
  });

  it('names the same way out whichever order the case lists the edges in, and no way out through a resource that runs no code', () => {
    // A full run reads what earlier rules derived from memory, after the stated edges; an incremental one reads it
    // from rows, in the order they were written. Several ways out of one kind: the edge must not depend on that.
    const node = (id: string, kind: NodeKind, boundary: string | null, props: StoredNode['props'] = {}): StoredNode => ({ id, kind, name: id.split(/[/:]/).pop()!, stub: false, boundary, handles: [id], props, sources: [1] });
    const sub = 'azure:subscription:s1';
    const mi = 'azure:object:mi';
    const nodes = [
      node('admin:aws:account:111111111111', 'admin', 'aws:account:111111111111'),
      node('arn:aws:iam::111111111111:role/ci', 'aws_role', 'aws:account:111111111111'),
      node('admin:k8s:c1', 'admin', 'k8s:c1'),
      node('k8s:c1/ns/serviceaccount/app', 'k8s_service_account', 'k8s:c1'),
      node(`admin:${sub}`, 'admin', sub),
      node(mi, 'azure_managed_identity', 'azure:tenant:t1'),
      // One user-assigned identity running two virtual machines of the subscription.
      node('azure:resource:/sub/s1/vm-b', 'azure_resource', sub, { resourceType: 'microsoft.compute/virtualmachines', managedIdentities: [{ principalId: 'mi', type: 'UserAssigned' }] }),
      node('azure:resource:/sub/s1/vm-a', 'azure_resource', sub, { resourceType: 'microsoft.compute/virtualmachines', managedIdentities: [{ principalId: 'mi', type: 'UserAssigned' }] }),
      // A storage account's system-assigned identity (its encryption keys): no code runs as it.
      node('azure:resource:/sub/s1/st', 'azure_resource', sub, { resourceType: 'microsoft.storage/storageaccounts', managedIdentities: [{ principalId: 'st-mi', type: 'SystemAssigned' }] }),
      node('azure:object:st-mi', 'azure_managed_identity', 'azure:tenant:t1'),
      // Identities whose resources are not in the case, placed by the ARM resource their service principal names: a
      // user-assigned identity (an owner attaches it to a resource it creates), a SQL server's (no code runs as it).
      node('azure:object:uami', 'azure_managed_identity', 'azure:tenant:t1', { alternativeNames: ['isExplicit=True', '/subscriptions/s1/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uami'] }),
      node('azure:object:sql-mi', 'azure_managed_identity', 'azure:tenant:t1', { alternativeNames: ['isExplicit=False', '/subscriptions/s1/resourcegroups/rg/providers/Microsoft.Sql/servers/sql1'] }),
      node('azure:object:g1', 'azure_group', 'azure:tenant:t1'),
      node('azure:object:g2', 'azure_group', 'azure:tenant:t1'),
    ];
    const edge = (kind: EdgeKind, src: string, dst: string, derived: boolean): DerivedOrStoredEdge => ({ kind, src, dst, derived, conditional: false, props: {} });
    const edges = [
      edge('CAN_ASSUME', 'arn:aws:iam::111111111111:role/ci', 'arn:aws:iam::222222222222:role/deploy', true),
      edge('CAN_ASSUME', 'arn:aws:iam::111111111111:role/ci', 'arn:aws:iam::333333333333:role/audit', true),
      edge('FEDERATES_TO', 'k8s:c1/ns/serviceaccount/app', 'arn:aws:iam::222222222222:role/app', true),
      edge('FEDERATES_TO', 'k8s:c1/ns/serviceaccount/app', 'arn:aws:iam::222222222222:role/batch', true),
      edge('MEMBER_OF', mi, 'azure:object:g2', false),
      edge('MEMBER_OF', mi, 'azure:object:g1', true),
      ...['st-mi', 'uami', 'sql-mi'].map((m) => edge('MEMBER_OF', `azure:object:${m}`, 'azure:object:g1', false)),
    ];
    const run = (order: ReadOrder) => {
      const emitted: EdgeFact[] = [];
      adminExits.derive(listContext(nodes, edges, order, emitted));
      return emitted;
    };
    const listed = run('as listed');
    expect(run('reversed')).toEqual(listed);
    expect(listed.map((e) => [e.from, e.to])).toEqual([
      ['admin:aws:account:111111111111', 'arn:aws:iam::111111111111:role/ci'],
      ['admin:azure:subscription:s1', mi],
      ['admin:azure:subscription:s1', 'azure:object:uami'],
      ['admin:k8s:c1', 'k8s:c1/ns/serviceaccount/app'],
    ]);
    expect(listed.map((e) => e.props?.reason)).toEqual([
      'An admin of AWS account 111111111111 can act as role ci, which can assume arn:aws:iam::222222222222:role/deploy in account 222222222222.',
      'An owner of subscription s1 can run a command on the virtual machine vm-a, which runs as managed identity mi; its MEMBER_OF edge to azure:object:g1 leaves the subscription.',
      'An owner of subscription s1 can attach user-assigned identity uami (/subscriptions/s1/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uami) to a resource it creates and run code there; its MEMBER_OF edge to azure:object:g1 leaves the subscription.',
      'An admin of cluster c1 can create a pod that runs as service account app and use its token, which federates to arn:aws:iam::222222222222:role/app.',
    ]);
  });
});
