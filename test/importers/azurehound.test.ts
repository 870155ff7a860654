import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { azureHound } from '../../src/importers/azurehound.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import { EDGE_KINDS, type EdgeKind } from '../../src/model/kinds.js';
import { FIXTURES, parseAll, tempCase, tempDir } from '../helpers.js';

const fx = (name: string) => join(FIXTURES, 'azurehound', name);
const FILE = fx('azurehound-contoso.json');
const TENANT = 'azure:tenant:6c12b0b0-b2cc-4a73-8252-0b94bfca2145';
const GA = `admin:${TENANT}`;
const SUB = 'azure:subscription:4f1a6b2e-0c8d-4e27-9b5a-3d2c1e0f9a87';
const obj = (n: number) => `azure:object:${n.toString(16).padStart(8, '0')}-1111-4222-8333-${n.toString(16).padStart(12, '0')}`;
const [ALICE, BOB, CAROL, DAVE, ERIN, FRANK] = [obj(1), obj(2), obj(3), obj(4), obj(5), obj(6)] as const;
const GROUP = obj(10);
const [PAY_APP, PAY_SP, DEP_APP, DEP_SP, BOT_SP, GH_APP, GH_SP, RUN_SP] = [obj(20), obj(21), obj(22), obj(23), obj(24), obj(25), obj(26), obj(27)] as const;
const VM_MI = obj(30);
const UA_MI = obj(31);

async function importCase(paths: string[]) {
  const engine = openEngine(tempCase(), { create: true });
  const result = await engine.importWithHooks({ files: paths.map((path) => ({ path })) }, { now: new Date('2026-01-01T00:00:00Z') });
  const edges = (kind: EdgeKind) => [...engine.store.edgesOfKind(kind)];
  const has = (kind: EdgeKind, from: string, to: string) => edges(kind).filter((e) => e.src === from && e.dst === to);
  return { engine, result, edges, has, node: (id: string) => engine.store.node(id) };
}

function writeText(name: string, text: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

describe('AzureHound', () => {
  it('is detected from its records, not misread as an Entra Graph export', () => {
    expect(detectImporter(createInput('output.json', readFileSync(FILE))).format).toBe('azurehound');
    expect(detectImporter(createInput('azurehound.log', readFileSync(fx('azurehound-console.jsonl')))).format).toBe('azurehound');
    // A file of AZApp records alone carries appId and passwordCredentials, which the Graph detector also looks for.
    const apps = JSON.stringify({ data: [{ kind: 'AZApp', data: { id: 'a', appId: 'b', passwordCredentials: [], signInAudience: 'AzureADMyOrg' } }], meta: { type: 'azure', version: 5, count: 1 } });
    expect(detectImporter(createInput('apps.json', Buffer.from(apps))).format).toBe('azurehound');
  });

  it('reads directory objects into the nodes the Graph importer makes, ids lower-cased', async () => {
    const f = await parseAll(azureHound, createInput('output.json', readFileSync(FILE)));
    const byId = new Map(f.nodes.map((n) => [n.id, n]));
    expect(byId.get(TENANT)).toMatchObject({ kind: 'azure_tenant', name: 'CONTOSO' });
    expect(byId.get(TENANT)?.stub).toBeFalsy();
    expect(byId.get(PAY_APP)).toMatchObject({ kind: 'azure_application', boundary: TENANT, props: expect.objectContaining({ appId: 'a1b2c3d4-0000-4000-8000-000000000020', publisherDomain: 'contoso.onmicrosoft.com' }) });
    expect(byId.get(VM_MI)?.kind).toBe('azure_managed_identity');
    expect(byId.get(ALICE)).toMatchObject({ kind: 'azure_user', name: 'alice@contoso.com' });
    // The owner AzureHound lists apart (AZAppOwner) is the app's recorded owner.
    expect(byId.get(PAY_APP)?.props?.['owner']).toBe('carol@contoso.com');
    // The client secret is a credential node with its hint, never a value.
    const secret = byId.get('azure:credential:c0ffee00-1234-4567-89ab-cdef01234567');
    expect(secret).toMatchObject({ kind: 'azure_client_secret', props: expect.objectContaining({ hint: 'Xq7', expiresAt: '2027-03-01T10:00:00Z', ownerId: PAY_APP }) });
    // Directory roles: the role object and a HAS_ROLE edge per assignment, PIM eligibility flagged.
    expect(byId.get(`azure:dirrole:${TENANT.slice(13)}:9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3`)).toMatchObject({ kind: 'azure_directory_role', name: 'APPLICATION ADMINISTRATOR' });
    const eligible = f.edges.find((e) => e.kind === 'HAS_ROLE' && e.from === ERIN);
    expect(eligible?.props).toMatchObject({ eligible: true, directoryScopeId: '/', at: '$.data[29].data' });
    // Azure role assignments are stored on their scope's node, as the ARM importer stores them.
    const sub = byId.get(SUB)!;
    expect(sub).toMatchObject({ kind: 'azure_subscription', name: 'CONTOSO-PROD' });
    expect(sub.props?.['roleAssignments']).toEqual([expect.objectContaining({ principalId: VM_MI.slice(13), principalType: 'ServicePrincipal', roleDefinitionId: expect.stringMatching(/8e3af657-a8ff-443c-a75c-2fe8c4bcb635$/) })]);
    // The kinds it does not read are named.
    expect(f.warnings.map((w) => w.message)).toEqual(expect.arrayContaining(['unsupported AzureHound kinds skipped: AZFooBar (1)', 'AzureHound kinds not modelled (no bearing on non-human identities) skipped: AZDevice (1)']));
  });

  it('derives the Entra escalations BloodHound knows', async () => {
    const c = await importCase([FILE]);
    // Application Administrator (tenant-wide): every app registration and foreign service principal, no managed identity.
    expect(c.has('CAN_ESCALATE', ALICE, PAY_APP)[0]?.props).toMatchObject({ technique: 'directory role: Application Administrator (add credentials)' });
    expect(c.has('CAN_ESCALATE', ALICE, RUN_SP)).toHaveLength(1);
    expect(c.has('CAN_ESCALATE', ALICE, VM_MI)).toHaveLength(0);
    // The app's own service principal is reached through the app, not by a second edge.
    expect(c.has('CAN_ESCALATE', ALICE, PAY_SP)).toHaveLength(0);
    expect(c.has('AUTHENTICATES_AS', PAY_APP, PAY_SP)).toHaveLength(1);
    // Cloud Application Administrator scoped to one application: that one only.
    expect(c.edges('CAN_ESCALATE').filter((e) => e.src === FRANK).map((e) => e.dst)).toEqual([PAY_APP]);
    // Privileged Role Administrator held by a group: its member and its owner reach the tenant.
    expect(c.has('ADMIN_OF', GROUP, GA)[0]?.props.reason).toMatch(/assign any directory role/);
    expect(c.has('MEMBER_OF', DAVE, GROUP)[0]).toMatchObject({ derived: true, props: expect.objectContaining({ technique: 'group owner: add member' }) });
    const paths = await c.engine.paths({ from: BOB, to: 'admin' });
    expect(paths[0]?.steps.map((s) => s.edge.kind)).toEqual(['MEMBER_OF', 'ADMIN_OF']);
    // PIM-eligible Global Administrator: admin, conditional on activation.
    expect(c.has('ADMIN_OF', ERIN, GA)[0]?.props.conditional).toMatch(/Privileged Identity Management/);
    // Microsoft Graph application permissions.
    expect(c.has('ADMIN_OF', DEP_SP, GA)[0]?.props.technique).toBe('Microsoft Graph: RoleManagement.ReadWrite.Directory');
    expect(c.has('CAN_ESCALATE', BOT_SP, DEP_APP)[0]?.props.technique).toBe('Microsoft Graph: Application.ReadWrite.All (add credentials)');
    expect(c.edges('ADMIN_OF').filter((e) => e.src === PAY_SP)).toHaveLength(0);
    // Owners of an app or service principal.
    expect(c.has('CAN_ESCALATE', CAROL, PAY_APP)).toHaveLength(1);
    expect(c.has('CAN_ESCALATE', CAROL, BOT_SP)).toHaveLength(1);
    // Federated credential: the GitHub subject signs in as the app.
    expect(c.edges('FEDERATES_TO').find((e) => e.dst === GH_APP)?.src).toBe('federated:https://token.actions.githubusercontent.com:repo:contoso/payroll:ref:refs/heads/main');
    expect(c.has('AUTHENTICATES_AS', GH_APP, GH_SP)).toHaveLength(1);
    // Key vault access policy: secrets get/list is read access.
    const vault = c.edges('CAN_ACCESS').find((e) => e.src === PAY_SP && e.dst.endsWith('/vaults/kv-prod'));
    expect(vault?.props).toMatchObject({ accessLevel: 'Read', technique: 'key vault access policy' });
    c.engine.close();
  });

  it('follows run-code roles on compute to the managed identities it runs as', async () => {
    const c = await importCase([FILE]);
    // Virtual Machine Contributor on the resource group → run command on the VM → its system-assigned identity,
    // which is Owner of the subscription.
    const toVm = c.has('CAN_ESCALATE', RUN_SP, VM_MI)[0];
    expect(toVm?.props).toMatchObject({ technique: 'managed identity: Microsoft.Compute/virtualMachines/runCommand/action' });
    expect(toVm?.props.reason).toMatch(/inherited from a parent scope/);
    expect(c.has('ADMIN_OF', VM_MI, `admin:${SUB}`)).toHaveLength(1);
    const path = await c.engine.paths({ from: RUN_SP, to: 'admin' });
    expect(path[0]?.steps.map((s) => s.to.id)).toEqual([VM_MI, `admin:${SUB}`]);
    // Website Contributor on a function app → its user-assigned identity, found by client id too.
    expect(c.has('CAN_ESCALATE', CAROL, UA_MI)).toHaveLength(1);
    expect(c.node('azure:appid:b1b2c3d4-0000-4000-8000-000000000031')?.id).toBe(UA_MI);
    c.engine.close();
  });

  it("gives the tenant's admins the subscriptions of the tenant (Global Administrator's elevate access)", async () => {
    const c = await importCase([FILE]);
    // The subscription record states the tenant: one step from the tenant's admin node to the subscription's owner.
    const [elevate] = c.has('CAN_ESCALATE', GA, `admin:${SUB}`);
    expect(elevate?.props).toMatchObject({ technique: 'Entra elevate access (Microsoft.Authorization/elevateAccess/Action)' });
    expect(elevate?.props.reason).toMatch(/User Access Administrator at the root scope/);
    // A Global Administrator (TIER0-OPS holds the role) now reaches the subscription's resources, as admin.
    const blast = await c.engine.blastRadius({ from: obj(10) });
    expect(blast.admins.map((a) => a.node.id)).toEqual(expect.arrayContaining([GA, `admin:${SUB}`]));
    expect(blast.resources.map((r) => r.node.id)).toContain('azure:resource:/subscriptions/4f1a6b2e-0c8d-4e27-9b5a-3d2c1e0f9a87/resourcegroups/rg-prod/providers/microsoft.keyvault/vaults/kv-prod');
    // Said once, on the tenant's admin node.
    const [finding] = await c.engine.findings({ rule: 'admin-crosses-boundary' });
    expect(finding).toMatchObject({ nodeId: GA, severity: 'high' });
    c.engine.close();
  });

  it('does not give a tenant admin a subscription whose tenant no export states', async () => {
    // ARM role assignments name subscriptions by id only; with the AzureHound tenant beside them, only the
    // subscription AzureHound describes is reached.
    const c = await importCase([FILE, join(FIXTURES, 'real-exports', 'azure', 'arm-rest-roleassignments-list-c7n.json')]);
    const elevations = c.edges('CAN_ESCALATE').filter((e) => e.src === GA);
    expect(elevations.map((e) => e.dst)).toEqual([`admin:${SUB}`]);
    c.engine.close();
  });

  it('merges with an az ad sp list export of the same tenant', async () => {
    const sp = [{ id: '00000015-1111-4222-8333-000000000015', appId: 'a1b2c3d4-0000-4000-8000-000000000020', displayName: 'payroll-sync', servicePrincipalType: 'Application', accountEnabled: true, servicePrincipalNames: ['a1b2c3d4-0000-4000-8000-000000000020'], tags: ['owner:payroll-team'] }];
    const graph = writeText('sp-list.json', JSON.stringify(sp));
    const c = await importCase([FILE, graph]);
    const node = c.node(PAY_SP)!;
    expect(node.sources).toHaveLength(2);
    expect(node.props).toMatchObject({ owner: 'payroll-team', tenantId: '6c12b0b0-b2cc-4a73-8252-0b94bfca2145' });
    // One node, so the vault access found in AzureHound is the Graph export's service principal's.
    expect(c.edges('CAN_ACCESS').filter((e) => e.src === PAY_SP)).toHaveLength(1);
    c.engine.close();
  });

  it('reads AzureHound 3 output, which upper-cases ids, scopes and names, into the same graph as AzureHound 2', async () => {
    // AzureHound 3.0 (models/*.go MarshalJSON) writes object ids, tenant ids, client ids, resource ids, role assignment
    // scopes and display names in upper case; user-assigned identity keys and client ids stay as Azure gives them.
    const UPPER = new Set(['id', 'tenantId', 'tenantName', 'appId', 'principalId', 'objectId', 'applicationId', 'keyVaultId', 'scope', 'resourceGroupId', 'subscriptionId', 'roleDefinitionId', 'directoryScopeId', 'groupId', 'servicePrincipalId', 'resourceId', 'displayName']);
    const upper = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(upper) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, UPPER.has(k) && typeof x === 'string' ? x.toUpperCase() : upper(x)])) : v;
    const doc = JSON.parse(readFileSync(FILE, 'utf8')) as { data: { kind: string; data: unknown }[] };
    const v3 = writeText('azurehound-v3.json', JSON.stringify({ ...doc, data: doc.data.map((r) => ({ kind: r.kind, data: upper(r.data) })) }));
    const shape = async (path: string) => {
      const c = await importCase([path]);
      const nodes = [...c.engine.store.nodeKinds()].map((n) => `${n.id} ${n.kind} ${n.boundary}`).sort();
      const edges = (Object.keys(EDGE_KINDS) as EdgeKind[]).flatMap((k) => c.edges(k).map((e) => `${k} ${e.src} ${e.dst}`)).sort();
      c.engine.close();
      return { nodes, edges };
    };
    const [before, after] = [await shape(FILE), await shape(v3)];
    expect(after.edges.length).toBeGreaterThan(10);
    expect(after).toEqual(before);
  });

  it("a user-assigned identity's federated credentials listed by ARM land on the identity AzureHound found on a resource", async () => {
    const uai = '/subscriptions/4f1a6b2e-0c8d-4e27-9b5a-3d2c1e0f9a87/resourceGroups/rg-build/providers/Microsoft.ManagedIdentity/userAssignedIdentities/payroll-id';
    const fics = writeText('fics.json', JSON.stringify({ value: [{ id: `${uai}/federatedIdentityCredentials/aks`, name: 'aks', type: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials', properties: { issuer: 'https://oidc.prod-aks.azure.com/x/', subject: 'system:serviceaccount:payroll:api', audiences: ['api://AzureADTokenExchange'] } }] }));
    // An az-rm collection: the identity is known from the resource it is attached to, not from its service principal.
    const doc = JSON.parse(readFileSync(FILE, 'utf8')) as { data: { kind: string; data: { id?: string } }[] };
    const rm = writeText('az-rm.json', JSON.stringify({ ...doc, data: doc.data.filter((r) => r.kind !== 'AZServicePrincipal') }));
    const c = await importCase([rm, fics]);
    const radius = await c.engine.blastRadius({ from: 'federated:https://oidc.prod-aks.azure.com/x/:system:serviceaccount:payroll:api' });
    expect(radius.identities.map((r) => r.node.id)).toContain(UA_MI);
    c.engine.close();
  });

  it('reads console output, one record per line', async () => {
    const c = await importCase([fx('azurehound-console.jsonl')]);
    expect(c.result.sources[0]?.format).toBe('azurehound');
    expect(c.has('OWNS', DAVE, GROUP)).toHaveLength(1);
    expect(c.has('MEMBER_OF', BOB, GROUP)).toHaveLength(1);
    c.engine.close();
  });

  it('names the record and the place of bad input', async () => {
    const noKind = writeText('bad.json', JSON.stringify({ data: [{ kind: 'AZUser', data: { id: 'u1' } }, { data: { id: 'u2' } }], meta: { type: 'azure', version: 5, count: 2 } }));
    const engine = openEngine(tempCase(), { create: true });
    await expect(engine.importFiles({ files: [{ path: noKind }], options: { format: 'azurehound' } })).rejects.toMatchObject({ code: 'bad-input', location: '$.data[1].kind' });
    const sharp = writeText('users.json', JSON.stringify({ data: [], meta: { type: 'users', version: 5, count: 0 } }));
    await expect(engine.importFiles({ files: [{ path: sharp }], options: { format: 'azurehound' } })).rejects.toMatchObject({ code: 'bad-input', location: '$.meta.type' });
    const badLine = writeText('console.jsonl', '{"kind":"AZUser","data":{"id":"u1"}}\n{"kind":"AZUser","data":\n');
    await expect(engine.importFiles({ files: [{ path: badLine }] })).rejects.toMatchObject({ code: 'bad-input', location: 'line 2' });
    expect(engine.store.counts().nodes).toBe(0);
    engine.close();
  });
});
