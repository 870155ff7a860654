import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import { terraform } from '../../src/importers/terraform.js';
import { planReplaces } from '../../src/importers/terraform/meta.js';
import type { GraphFragment, JsonObject } from '../../src/model/fragment.js';
import type { EdgeKind } from '../../src/model/kinds.js';
import { FIXTURES, parseAll, tempCase, tempDir } from '../helpers.js';

const fx = (name: string) => join(FIXTURES, 'terraform', name);
const STATE = fx('show-state.json');
const PLAN = fx('plan.json');
const TFSTATE = fx('terraform.tfstate');
const ACCT = '111122223333';
const ROLE = `arn:aws:iam::${ACCT}:role/ci/payments-deploy`;
const USER = `arn:aws:iam::${ACCT}:user/ci/ci-payments`;
const KEY = 'aws:key:AKIAQXZ2EXAMPLECIKEY';
const ADMIN = `admin:aws:account:${ACCT}`;
const SECRETS = ['tfSECRETvalue0nlyInTheStateFile', 'BtfSMTPpasswordOnlyInTheStateFile', 'tfK8sTokenOnlyInTheState', 'ZXdvZ0lDSjBlWEJsSWpvZ0luTmxjblpwWTJWZllXTmpiM1Z1ZENJc0lDSndjbWwyWVhSbFgydGxlU0k2SUNKMFppMW5ZM0F0YTJWNUxXOXViSGt0YVc0dGMzUmhkR1VpSUgwPQ', 'ewogICJ0eXBlIjogInNlcnZpY2VfYWNjb3VudCIs'];

const parse = (path: string, options = {}) => parseAll(terraform, createInput(path.split('/').pop()!, readFileSync(path)), options);
/** The one fragment the importer returns, with its source meta. */
const parseOne = (path: string) => terraform.parse(createInput(path.split('/').pop()!, readFileSync(path)), { options: {}, now: new Date('2026-01-10T00:00:00Z') }) as GraphFragment;

async function importCase(paths: string[], options: { cluster?: string; account?: string } = {}) {
  const engine = openEngine(tempCase(), { create: true });
  const result = await engine.importWithHooks({ files: paths.map((path) => ({ path })), options }, { now: new Date('2026-01-10T00:00:00Z') });
  const edges = (kind: EdgeKind) => [...engine.store.edgesOfKind(kind)];
  const has = (kind: EdgeKind, from: string, to: string) => edges(kind).filter((e) => e.src === from && e.dst === to);
  return { engine, result, edges, has, node: (id: string) => engine.store.node(id) };
}

function writeJson(name: string, value: unknown): string {
  const path = join(tempDir(), name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

describe('Terraform state and plan', () => {
  it('detects show -json of a state and a plan, and the raw state file', () => {
    for (const name of ['show-state.json', 'plan.json', 'terraform.tfstate', 'tfjson-sensitive-values-plan.json', 'tfjson-sensitive-values-state.json', 'tfjson-sensitive-values-terraform.tfstate', 'tfjson-deep-module-plan.json']) {
      expect(detectImporter(createInput(name, readFileSync(fx(name)))).format, name).toBe('terraform');
    }
  });

  it('writes AWS IAM with the props a GAAD import writes, assembled from every resource that adds to it', async () => {
    const f = await parse(STATE);
    const role = f.nodes.find((n) => n.id === ROLE)!;
    expect(role).toMatchObject({ kind: 'aws_role', name: 'payments-deploy', boundary: `aws:account:${ACCT}` });
    expect(role.props).toMatchObject({ roleName: 'payments-deploy', path: '/ci/', owner: 'payments-team', terraformAddress: 'aws_iam_role.deploy', roleId: 'AROAQXZ2EXAMPLEDEPLOY' });
    expect((role.props!['trustPolicy'] as JsonObject)['Statement']).toHaveLength(1);
    expect(role.props!['inlinePolicies']).toEqual([{ name: 'ecr-login', document: expect.objectContaining({ Version: '2012-10-17' }) }]);
    expect(role.props!['attachedPolicies']).toEqual([`arn:aws:iam::${ACCT}:policy/payments-deploy`]);
    // The user in a child module, its group membership and its key; the group's attachment.
    const user = f.nodes.find((n) => n.id === USER)!;
    expect(user.props).toMatchObject({ userName: 'ci-payments', groups: ['admins'], terraformAddress: 'module.ci.aws_iam_user.ci' });
    expect(f.nodes.find((n) => n.id === `arn:aws:iam::${ACCT}:group/admins`)?.props?.['attachedPolicies']).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
    expect(f.nodes.find((n) => n.id === KEY)?.props).toMatchObject({ userName: 'ci-payments', active: true, managedBy: 'user', createdAt: '2024-02-11T09:14:05Z', secretInState: true });
    expect(f.edges).toContainEqual(expect.objectContaining({ from: KEY, to: USER, kind: 'AUTHENTICATES_AS' }));
    // The state holds secrets in clear; none of them reaches the graph, and the warning names the key, not its secret.
    const text = JSON.stringify(f);
    for (const s of SECRETS) expect(text).not.toContain(s);
    expect(f.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/module\.ci\.aws_iam_access_key\.ci: the file holds the secret access key of AKIAQXZ2EXAMPLECIKEY in clear/));
  });

  it('reads the other providers into the nodes their own importers make', async () => {
    const c = await importCase([STATE], { cluster: 'payments-eks' });
    // Kubernetes: the service account bound to cluster-admin, its token secret, its IRSA annotation.
    const sa = 'k8s:payments-eks/ci/serviceaccount/deployer';
    expect(c.node(sa)?.props).toMatchObject({ terraformAddress: 'kubernetes_service_account_v1.deployer', automountServiceAccountToken: true });
    expect(c.has('ADMIN_OF', sa, 'admin:k8s:payments-eks')).toHaveLength(1);
    expect(c.has('AUTHENTICATES_AS', 'k8s:payments-eks/ci/secret/deployer-token', sa)).toHaveLength(1);
    // GCP: the service account, its key, its project-level owner binding.
    const gsa = 'gcp:sa:payments-ci@acme-payments-prod.iam.gserviceaccount.com';
    expect(c.node(gsa)?.props).toMatchObject({ uniqueId: '104729384756102938475', projectId: 'acme-payments-prod' });
    expect(c.has('AUTHENTICATES_AS', 'gcp:key:3f9c2e7a1b5d4c8e9f0a1b2c3d4e5f6a7b8c9d0e', gsa)).toHaveLength(1);
    expect(c.has('ADMIN_OF', gsa, 'admin:gcp:project:acme-payments-prod')[0]?.props.technique).toBe('roles/owner');
    // Azure: the user-assigned identity's role assignment, and its GitHub federated credential.
    const mi = 'azure:object:7d4c2b1a-9e8f-4a6b-8c5d-3e2f1a0b9c8d';
    expect(c.has('CAN_ACCESS', mi, 'azure:resource:/subscriptions/9b2f4c1e-7a3d-4e5f-8c6b-0d1e2f3a4b5c/resourcegroups/rg-payments')[0]?.props.technique).toBe('Contributor');
    expect(c.edges('FEDERATES_TO').find((e) => e.dst === mi)?.src).toBe('federated:https://token.actions.githubusercontent.com:repo:acme/payments:environment:prod');
    expect(c.node('azure:appid:5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d')?.id).toBe(mi);
    // AWS, evaluated by the AWS rules: the CI user is admin through its group; GitHub can assume the deploy role.
    expect(c.has('ADMIN_OF', USER, ADMIN)).toHaveLength(1);
    expect(c.has('CAN_ASSUME', 'federated:token.actions.githubusercontent.com:repo:acme/payments:ref:refs/heads/main', ROLE)).toHaveLength(1);
    expect(c.result.sources[0]?.meta).toMatchObject({ terraform: { document: 'state', describes: 'state', resources: 19, terraformVersion: '1.9.5' } });
    // The keys whose secrets the state holds are findings of their own.
    const inState = await c.engine.findings({ rule: 'credential-in-state-file' });
    expect(inState.map((f) => f.nodeId).sort()).toEqual(['aws:key:AKIAQXZ2EXAMPLECIKEY', 'gcp:key:3f9c2e7a1b5d4c8e9f0a1b2c3d4e5f6a7b8c9d0e']);
    c.engine.close();
  });

  it('merges with GAAD and kubectl exports of the same estate', async () => {
    const gaad = writeJson('gaad.json', {
      RoleDetailList: [{ Path: '/ci/', RoleName: 'payments-deploy', RoleId: 'AROAQXZ2EXAMPLEDEPLOY', Arn: ROLE, CreateDate: '2024-02-11T09:14:02Z', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] }, RolePolicyList: [], AttachedManagedPolicies: [], Tags: [], RoleLastUsed: { LastUsedDate: '2025-12-30T10:00:00Z', Region: 'eu-west-1' } }],
      UserDetailList: [],
      GroupDetailList: [],
      Policies: [],
    });
    const kubectl = writeJson('sa.json', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'deployer', namespace: 'ci', uid: 'x' } });
    const c = await importCase([gaad, kubectl, STATE], { cluster: 'payments-eks' });
    const role = c.node(ROLE)!;
    expect(role.sources).toHaveLength(2);
    // GAAD's last use and the state's policies on one node; the state, imported later, wins where both speak.
    expect(role.props).toMatchObject({ lastUsedAt: '2025-12-30T10:00:00Z', attachedPolicies: [`arn:aws:iam::${ACCT}:policy/payments-deploy`] });
    expect(c.node('k8s:payments-eks/ci/serviceaccount/deployer')?.sources).toHaveLength(2);
    c.engine.close();
  });

  it('imports a plan as the state after apply, and says which state it changes', async () => {
    const f = parseOne(PLAN);
    const ids = new Set(f.nodes.map((n) => n.id));
    // The key the plan deletes is gone; the role the plan creates has the ARN it will have.
    expect(ids.has(KEY)).toBe(false);
    const auditor = f.nodes.find((n) => n.id === `arn:aws:iam::${ACCT}:role/auditor`);
    expect(auditor?.props).toMatchObject({ terraformChange: 'create', roleName: 'auditor' });
    expect(f.nodes.find((n) => n.id === ROLE)?.props).toMatchObject({ terraformChange: 'update', attachedPolicies: expect.arrayContaining(['arn:aws:iam::aws:policy/AdministratorAccess']) });
    expect(f.nodes.find((n) => n.id === USER)?.props?.['terraformChange']).toBe('no-op');
    // A member known only after apply, resolved through the plan's configuration to the account the plan creates.
    const project = f.nodes.find((n) => n.id === 'gcp:project:acme-payments-prod' && n.props?.['iamBindingsDeclared']);
    expect(project?.props?.['iamBindingsDeclared']).toContainEqual(expect.objectContaining({ role: 'roles/owner', members: ['serviceAccount:payments-reporter@acme-payments-prod.iam.gserviceaccount.com'] }));
    expect(f.sourceMeta).toMatchObject({ terraform: { document: 'plan', describes: 'after-apply', actions: { create: 4, update: 1, delete: 1, 'no-op': 17 }, priorStateResources: 19 } });

    const state = parseOne(STATE);
    const raw = parseOne(TFSTATE);
    // The plan was made against that state, whichever way the state was exported; not against another.
    expect(planReplaces(f.sourceMeta, state.sourceMeta)).toBe(true);
    expect(planReplaces(f.sourceMeta, raw.sourceMeta)).toBe(false);
    expect(planReplaces(state.sourceMeta, f.sourceMeta)).toBe(false);
  });

  it('shows what the plan changes when it takes the state\'s place', async () => {
    const before = await importCase([STATE]);
    const after = await importCase([PLAN]);
    expect(before.has('ADMIN_OF', ROLE, ADMIN)).toHaveLength(0);
    // The plan attaches AdministratorAccess to the role GitHub Actions assumes: a new path to admin.
    expect(after.has('ADMIN_OF', ROLE, ADMIN)[0]?.props.evidence?.[0]?.summary).toMatch(/AdministratorAccess/);
    expect(after.has('ADMIN_OF', 'gcp:sa:payments-reporter@acme-payments-prod.iam.gserviceaccount.com', 'admin:gcp:project:acme-payments-prod')).toHaveLength(1);
    expect(after.node(KEY)).toBeUndefined();
    before.engine.close();
    after.engine.close();
  });

  it('reads the raw state file into the same ids, and never stores its secrets', async () => {
    const c = await importCase([TFSTATE]);
    expect(c.node(ROLE)?.props).toMatchObject({ terraformAddress: 'aws_iam_role.deploy', at: '$.resources[2].instances[0]' });
    expect(c.node(KEY)?.props).toMatchObject({ terraformAddress: 'module.ci.aws_iam_access_key.ci', secretInState: true });
    expect(c.result.sources[0]?.meta).toMatchObject({ terraform: { document: 'tfstate', lineage: '3c6e1f0a-9b2d-4e8f-a7c6-5d4e3f2a1b0c', serial: 42 } });
    const path = c.engine.store.path;
    c.engine.close();
    const bytes = Buffer.concat([readFileSync(path), ...['-wal'].map((s) => { try { return readFileSync(path + s); } catch { return Buffer.alloc(0); } })]).toString('latin1');
    for (const s of SECRETS) expect(bytes).not.toContain(s);
  });

  it('reads Terraform\'s own test documents (modules, sensitive outputs, resources with no values yet)', async () => {
    for (const name of ['tfjson-sensitive-values-plan.json', 'tfjson-sensitive-values-state.json', 'tfjson-sensitive-values-terraform.tfstate', 'tfjson-deep-module-plan.json']) {
      const f = await parse(fx(name));
      expect(f.nodes, name).toEqual([]);
      expect(f.warnings.map((w) => w.message).join('\n'), name).toMatch(/null_resource \(\d+\)/);
    }
  });

  it('names the place of bad input', async () => {
    await expect(parse(writeJson('bad.tfstate', { version: 4, terraform_version: '1.9.5', lineage: 'x', resources: [{ mode: 'managed', type: 'aws_iam_user', name: 'x', instances: 'none' }] }))).rejects.toThrow(/\$\.resources\[0\]\.instances/);
    await expect(parse(writeJson('old.tfstate', { version: 3, terraform_version: '0.11.14', serial: 1, modules: [] }))).rejects.toThrow(/version 3 .*Terraform older than 0\.12/);
    await expect(parse(writeJson('future.json', { format_version: '2.0', terraform_version: '9.0.0', values: {} }))).rejects.toThrow(/format_version "2\.0"/);
    await expect(parse(writeJson('noacct.json', { format_version: '1.2', terraform_version: '1.9.5', planned_values: { root_module: { resources: [{ address: 'aws_iam_user.x', mode: 'managed', type: 'aws_iam_user', name: 'x', values: { name: 'x' } }] } } }))).rejects.toThrow(/pass --account/);
    const withAccount = await parse(writeJson('acct.json', { format_version: '1.2', terraform_version: '1.9.5', planned_values: { root_module: { resources: [{ address: 'aws_iam_user.x', mode: 'managed', type: 'aws_iam_user', name: 'x', values: { name: 'x' } }] } } }), { account: '444455556666' });
    expect(withAccount.nodes.map((n) => n.id)).toContain('arn:aws:iam::444455556666:user/x');
  });
});

describe('plan-impact of a Terraform plan', () => {
  it('replaces the state the plan was made against and reports the new path to admin and the key it deletes', async () => {
    const path = tempCase();
    const setup = openEngine(path, { create: true });
    await setup.importWithHooks({ files: [{ path: STATE }], options: {} }, { now: new Date('2026-01-10T00:00:00Z') });
    setup.close();
    const engine = openEngine(path);
    try {
      const impact = await engine.planImpact({ files: [{ path: PLAN }] });
      expect(impact.replaced.map((r) => [r.source.fileName, r.rule])).toEqual([['show-state.json', 'the plan was made against this state']]);
      // The key the plan destroys is gone from the after state; the role GitHub Actions assumes gains admin.
      expect(impact.diff.nodes.some((n) => n.change === 'removed' && n.node.id === KEY)).toBe(true);
      expect(impact.diff.edges.some((e) => e.change === 'added' && e.kind === 'ADMIN_OF' && e.from.id === ROLE && e.to.id === ADMIN)).toBe(true);
      expect(impact.gate.newAdminPaths).toBeGreaterThan(0);
    } finally {
      engine.close();
    }
  });
  it("follows Terraform 0.12's references, which name the resource without an attribute (checkov's TerraGoat plan)", async () => {
    const f = await parseAll(terraform, createInput('tfplan.json', readFileSync(fx('checkov-terragoat-iam-plan-tf012.json'))), { account: '123456789123' });
    const role = f.nodes.find((n) => n.id === 'arn:aws:iam::123456789123:role/123456789123-acme-corp-role');
    // aws_iam_role_policy.ec2policy's role is aws_iam_role.ec2role.id, unknown until apply; the plan references "aws_iam_role.ec2role".
    expect((role?.props?.['inlinePolicies'] as { name: string }[]).map((p) => p.name)).toEqual(['123456789123-acme-corp-policy']);
    expect(f.warnings.map((w) => w.message).join('\n')).not.toMatch(/not known/);
  });
});
