import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { azureRbac } from '../../src/importers/azure-arm.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import type { EdgeKind } from '../../src/model/kinds.js';
import { FIXTURES, parseAll, REAL, tempCase, tempDir } from '../helpers.js';

const assignments = join(REAL, 'azure', 'arm-rest-roleassignments-list-c7n.json');
const definitions = join(FIXTURES, 'azure', 'arm-rest-roledefinitions-c7n.json');
const SUB = 'azure:subscription:ea42f556-5106-4743-99b0-c129bfa71a47';
const SUB_ADMIN = `admin:${SUB}`;
const parseText = (name: string, value: unknown) => parseAll(azureRbac, createInput(name, Buffer.from(JSON.stringify(value))));

async function importCase(paths: string[]) {
  const engine = openEngine(tempCase(), { create: true });
  const result = await engine.importWithHooks({ files: paths.map((path) => ({ path })) }, { now: new Date('2026-01-01T00:00:00Z') });
  const edges = (kind: EdgeKind) => [...engine.store.edgesOfKind(kind)];
  const has = (kind: EdgeKind, from: string, to: string) => edges(kind).filter((e) => e.src === from && e.dst === to);
  return { engine, result, edges, has, node: (id: string) => engine.store.node(id) };
}

function writeJson(name: string, value: unknown): string {
  const path = join(tempDir(), name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

describe('Azure role assignments and definitions', () => {
  it('detects both ARM REST exports from their content', () => {
    for (const path of [assignments, definitions]) expect(detectImporter(createInput('x.json', readFileSync(path))).format).toBe('azure-rbac');
  });

  it('stores the 74 assignments on their scopes with stub principals by type', async () => {
    const f = await parseAll(azureRbac, createInput('ra.json', readFileSync(assignments)));
    const sub = f.nodes.find((n) => n.id === SUB)!;
    expect(sub.kind).toBe('azure_subscription');
    const scopes = f.nodes.filter((n) => Array.isArray(n.props?.['roleAssignments']));
    expect(scopes.reduce((sum, n) => sum + (n.props!['roleAssignments'] as unknown[]).length, 0)).toBe(74);
    expect((sub.props!['roleAssignments'] as unknown[]).length).toBe(69);
    expect(f.nodes.filter((n) => n.kind === 'azure_user' && n.stub)).toHaveLength(13);
    expect(f.nodes.filter((n) => n.kind === 'azure_service_principal' && n.stub)).toHaveLength(62 - 13);
    expect(f.nodes.find((n) => n.id === 'azure:resource:/')?.props?.['inheritedBy']).toEqual([SUB]);
  });

  it('Owners at subscription scope (and inherited from management groups) are admin; Contributors are not', async () => {
    const c = await importCase([assignments, definitions]);
    const admins = c.edges('ADMIN_OF').filter((e) => e.dst === SUB_ADMIN);
    expect(new Set(admins.map((e) => e.src)).size).toBe(18);
    // Owner at the subscription and at two management groups above it: one edge, three assignments as evidence.
    const mgOwner = c.has('ADMIN_OF', 'azure:object:139efc82-0e5b-4998-b30a-ce40b9b942db', SUB_ADMIN)[0]!;
    expect(mgOwner.props.evidence!.filter((e) => e.type === 'role-assignment')).toHaveLength(3);
    expect(mgOwner.props.reason).toMatch(/roleAssignments\/write/);
    // A Contributor-only service principal can change everything but cannot grant roles.
    const contributor = 'azure:object:ee842f09-9f5b-43d5-8e7a-41350cbd32df';
    expect(c.has('ADMIN_OF', contributor, SUB_ADMIN)).toEqual([]);
    const access = c.has('CAN_ACCESS', contributor, SUB)[0]!;
    expect(access.props).toMatchObject({ accessLevel: 'Write', technique: 'Contributor' });
    expect(access.props.reason).toMatch(/cannot write role assignments/);
    expect(access.props.evidence!.some((e) => e.type === 'role-definition' && /; not .*Microsoft\.Authorization\/\*\/Write/.test(e.summary))).toBe(true);
    // Reader at the root scope reaches the subscription read-only.
    expect(c.has('CAN_ACCESS', 'azure:object:5c617d2b-99f8-4c90-98fe-dfe040fa33c1', SUB)[0]!.props.accessLevel).toBe('Read');
    c.engine.close();
  });

  it('resolves built-in roles without the definitions file, and leaves unknown custom roles unresolved', async () => {
    const c = await importCase([assignments]);
    expect(new Set(c.edges('ADMIN_OF').map((e) => e.src)).size).toBe(18);
    expect(c.edges('CAN_ACCESS').some((e) => e.props.technique === 'Storage Blob Data Contributor')).toBe(false);
    c.engine.close();
  });

  it('az CLI flattened shape: role names, resource-group scope, conditions and custom roles', async () => {
    const sub = '/subscriptions/00000000-aaaa-bbbb-cccc-000000000001';
    const ra = writeJson('ra.json', [
      { id: `${sub}/providers/Microsoft.Authorization/roleAssignments/1`, principalId: 'AAAA0000-0000-0000-0000-000000000001', principalName: 'ops@contoso.com', principalType: 'User', roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c6a72d9d`, roleDefinitionName: 'User Access Administrator', scope: sub },
      { id: `${sub}/rg/2`, principalId: 'aaaa0000-0000-0000-0000-000000000002', principalName: 'ci-app', principalType: 'ServicePrincipal', roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`, roleDefinitionName: 'Contributor', scope: `${sub}/resourceGroups/payments` },
      { id: `${sub}/3`, principalId: 'aaaa0000-0000-0000-0000-000000000003', principalName: 'delegate', principalType: 'ServicePrincipal', roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/f58310d9-a9f6-439a-9e8d-f62e7b41a168`, roleDefinitionName: 'Role Based Access Control Administrator', scope: sub, condition: "@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {ba92f5b4-2d11-453d-a403-e96b0029c9fe}" },
      { id: `${sub}/4`, principalId: 'aaaa0000-0000-0000-0000-000000000004', principalType: 'ServicePrincipal', roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/99999999-0000-0000-0000-000000000001`, scope: sub },
      { id: `${sub}/5`, principalId: 'aaaa0000-0000-0000-0000-000000000005', principalType: 'ServicePrincipal', roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/99999999-0000-0000-0000-000000000002`, scope: sub },
    ]);
    const defs = writeJson('defs.json', [
      { id: `${sub}/providers/Microsoft.Authorization/roleDefinitions/99999999-0000-0000-0000-000000000001`, name: '99999999-0000-0000-0000-000000000001', roleName: 'Access Fixer', roleType: 'CustomRole', type: 'Microsoft.Authorization/roleDefinitions', assignableScopes: [sub], permissions: [{ actions: ['Microsoft.Authorization/roleAssignments/*'], notActions: [], dataActions: [], notDataActions: [] }] },
      { id: `${sub}/providers/Microsoft.Authorization/roleDefinitions/99999999-0000-0000-0000-000000000002`, name: '99999999-0000-0000-0000-000000000002', roleName: 'VM Operator', roleType: 'CustomRole', type: 'Microsoft.Authorization/roleDefinitions', assignableScopes: [sub], permissions: [{ actions: ['Microsoft.Compute/virtualMachines/*'], notActions: ['Microsoft.Authorization/*'], dataActions: [], notDataActions: [] }] },
    ]);
    const c = await importCase([ra, defs]);
    const admin = `admin:azure:subscription:00000000-aaaa-bbbb-cccc-000000000001`;
    expect(c.node('azure:object:aaaa0000-0000-0000-0000-000000000001')).toMatchObject({ kind: 'azure_user', name: 'ops@contoso.com' });
    expect(c.has('ADMIN_OF', 'azure:object:aaaa0000-0000-0000-0000-000000000001', admin)).toHaveLength(1);
    const rg = c.has('CAN_ACCESS', 'azure:object:aaaa0000-0000-0000-0000-000000000002', 'azure:resource:/subscriptions/00000000-aaaa-bbbb-cccc-000000000001/resourcegroups/payments')[0]!;
    expect(rg.props.accessLevel).toBe('Write');
    expect(c.node('azure:resource:/subscriptions/00000000-aaaa-bbbb-cccc-000000000001/resourcegroups/payments')).toMatchObject({ kind: 'azure_resource', boundary: 'azure:subscription:00000000-aaaa-bbbb-cccc-000000000001' });
    const conditional = c.has('ADMIN_OF', 'azure:object:aaaa0000-0000-0000-0000-000000000003', admin)[0]!;
    expect(conditional.conditional).toBe(true);
    expect(conditional.props.conditional).toMatch(/ForAnyOfAnyValues/);
    expect(c.has('ADMIN_OF', 'azure:object:aaaa0000-0000-0000-0000-000000000004', admin)).toHaveLength(1);
    expect(c.has('ADMIN_OF', 'azure:object:aaaa0000-0000-0000-0000-000000000005', admin)).toEqual([]);
    expect(c.has('CAN_ACCESS', 'azure:object:aaaa0000-0000-0000-0000-000000000005', 'azure:subscription:00000000-aaaa-bbbb-cccc-000000000001')[0]!.props.accessLevel).toBe('Write');
    c.engine.close();
  });

  it('names the JSON path of a broken assignment', async () => {
    await expect(parseText('ra.json', { value: [{ id: 'x', properties: { roleDefinitionId: 'r', scope: '/' } }] })).rejects.toThrow(/ra\.json \(\$\.value\[0\]\.properties\.principalId\)/);
    await expect(parseText('defs.json', [{ id: '/providers/Microsoft.Authorization/roleDefinitions/x', roleName: 'R', assignableScopes: [], permissions: 'all' }])).rejects.toThrow(/\$\[0\]\.permissions/);
  });

  it('Azure PowerShell: Get-AzRoleAssignment | ConvertTo-Json and a custom-role JSON (PascalCase, bare GUIDs) resolve like az output', async () => {
    const ra = join(FIXTURES, 'azure', 'powershell-get-azroleassignment.json');
    const role = join(FIXTURES, 'azure', 'msdocs-custom-role-template-powershell.json');
    for (const path of [ra, role]) expect(detectImporter(createInput('x.json', readFileSync(path))).format).toBe('azure-rbac');
    const c = await importCase([ra, role]);
    expect(c.result.warnings).toEqual([]);
    const sub = 'azure:subscription:00000000-0000-0000-0000-000000000000';
    expect(c.has('ADMIN_OF', 'azure:object:7d1c5e2a-9b84-4f3e-a6d0-2c8b1f9e4a57', `admin:${sub}`)).toHaveLength(1);
    expect(c.node('azure:object:7d1c5e2a-9b84-4f3e-a6d0-2c8b1f9e4a57')).toMatchObject({ kind: 'azure_service_principal', name: 'nw-deploy-pipeline' });
    expect(c.node('azure:object:3e6f1a9c-52d8-4b07-8e4a-d19c7b20f6e3')).toMatchObject({ kind: 'azure_user', name: 'dana@northwind.example' });
    // The custom role's GUID resolves the user's assignment to its actions.
    const access = c.has('CAN_ACCESS', 'azure:object:3e6f1a9c-52d8-4b07-8e4a-d19c7b20f6e3', 'azure:resource:/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/nw-ops')[0];
    expect(access?.props.actions).toEqual(expect.arrayContaining(['Microsoft.Compute/*/read', 'Microsoft.Support/*']));
    expect(c.node('azure:resource:acce7ded-2559-449d-bcd5-e9604e50bad1')?.props).toMatchObject({ roleName: 'Custom Role 1', roleType: 'CustomRole' });
    c.engine.close();
  });

  it('az role assignment create prints the one assignment it made: read as one, at $', async () => {
    const sub = '/subscriptions/00000000-aaaa-bbbb-cccc-000000000003';
    const one = { condition: null, conditionVersion: null, createdBy: null, createdOn: '2026-01-05T10:00:00.000000+00:00', delegatedManagedIdentityResourceId: null, description: null, id: `${sub}/providers/Microsoft.Authorization/roleAssignments/11111111-2222-3333-4444-555555555555`, name: '11111111-2222-3333-4444-555555555555', principalId: 'aaaa0000-0000-0000-0000-0000000000bb', principalType: 'ServicePrincipal', roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635`, scope: sub, type: 'Microsoft.Authorization/roleAssignments', updatedBy: null, updatedOn: '2026-01-05T10:00:00.000000+00:00' };
    expect(detectImporter(createInput('ra.json', Buffer.from(JSON.stringify(one, null, 2)))).format).toBe('azure-rbac');
    const c = await importCase([writeJson('ra.json', one)]);
    expect(c.has('ADMIN_OF', 'azure:object:aaaa0000-0000-0000-0000-0000000000bb', 'admin:azure:subscription:00000000-aaaa-bbbb-cccc-000000000003')).toHaveLength(1);
    c.engine.close();
  });

  it('a custom-role template without its Id is refused at its place', async () => {
    await expect(parseText('role.json', { Name: 'Custom Role 1', Id: null, IsCustom: true, Actions: ['*/read'], NotActions: [], AssignableScopes: ['/'] })).rejects.toThrow(/role\.json \(\$\.Id\).*Get-AzRoleDefinition/);
  });

  it('resolves User Access Administrator by its built-in GUID without a definitions export', async () => {
    const sub = '/subscriptions/00000000-aaaa-bbbb-cccc-000000000002';
    const ra = writeJson('uaa.json', [{ id: `${sub}/uaa`, principalId: 'aaaa0000-0000-0000-0000-0000000000aa', principalType: 'ServicePrincipal', roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9`, scope: sub }]);
    const c = await importCase([ra]);
    expect(c.has('ADMIN_OF', 'azure:object:aaaa0000-0000-0000-0000-0000000000aa', `admin:azure:subscription:00000000-aaaa-bbbb-cccc-000000000002`)[0]?.props.reason).toMatch(/^User Access Administrator/);
    c.engine.close();
  });
});
