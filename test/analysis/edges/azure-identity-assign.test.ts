// azure-identity-assign: a principal that may assign a user-assigned identity and may change and run code in a
// compute resource attaches the identity there and acts as it; one that may write its federated credentials signs in
// as it. On the AzureHound contoso export (what it says:
// resource group RG-BUILD holds the VM BUILD-VM and the user-assigned identity PAYROLL-ID, which the function app
// PAYROLL-FN runs as; GH-DEPLOY is a service principal with no role), plus role assignments as AzureHound writes them, at the
// resource group or the VM: Managed Identity Operator (the assign action), Virtual Machine Contributor (write and run
// command on VMs), Contributor (both), Managed Identity Contributor (federated credentials), and a custom role with every action but Microsoft.Compute's,
// Microsoft.Web's and the identities' federated credentials.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../../src/api/engine.js';
import { FIXTURES } from '../../helpers.js';

const SUB = '4f1a6b2e-0c8d-4e27-9b5a-3d2c1e0f9a87';
const RG = `/subscriptions/${SUB}/resourcegroups/rg-build`;
const VM = `${RG}/providers/microsoft.compute/virtualmachines/build-vm`;
const GH_DEPLOY = '0000001a-1111-4222-8333-00000000001a';
const PAYROLL_ID = 'azure:object:0000001f-1111-4222-8333-00000000001f';
const ROLES = {
  'Managed Identity Operator': 'f1a07417-d97a-45cb-824c-7a7467783830',
  'Virtual Machine Contributor': '9980e02c-c2be-4d73-94e8-173b1dc7cf3c',
  'Managed Identity Contributor': 'e40ec5ca-96e0-45a2-b4ff-59039f2c2b59',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  'Everything but compute and apps': '0c0c0c0c-0000-4000-8000-00000000c0c0',
};
type Role = keyof typeof ROLES;

describe('azure-identity-assign', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-identity-assign-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The contoso export plus role assignments of GH-DEPLOY: at the resource group or on the VM. */
  async function attaches(grants: { role: Role; on: 'group' | 'vm' }[]) {
    const hound = JSON.parse(readFileSync(join(FIXTURES, 'azurehound', 'azurehound-contoso.json'), 'utf8')) as { data: object[] };
    grants.forEach((g, i) => {
      const scope = g.on === 'group' ? RG : VM;
      const name = `00000099-1111-4222-8333-0000000000${String(10 + i)}`;
      const assignee = { id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`, name, type: 'Microsoft.Authorization/roleAssignments', properties: { principalId: GH_DEPLOY.toUpperCase(), roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLES[g.role]}`, scope } };
      hound.data.push(g.on === 'group' ? { kind: 'AZResourceGroupRoleAssignment', data: { assignees: [{ assignee, resourceGroupId: scope.toUpperCase() }], objectId: scope.toUpperCase() } } : { kind: 'AZVMRoleAssignment', data: { assignees: [{ assignee, virtualMachineId: scope.toUpperCase() }], objectId: scope.toUpperCase() } });
    });
    const file = join(dir, `contoso-${grants.map((g) => `${g.role}-${g.on}`).join('+').replace(/\W+/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(hound));
    const files = [{ path: file }];
    // The custom role's definition, as `az role definition list` prints it.
    if (grants.some((g) => g.role === 'Everything but compute and apps')) {
      const def = join(dir, 'role-definitions.json');
      writeFileSync(def, JSON.stringify([{ id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLES['Everything but compute and apps']}`, name: ROLES['Everything but compute and apps'], type: 'Microsoft.Authorization/roleDefinitions', roleName: 'Everything but compute and apps', roleType: 'CustomRole', assignableScopes: [`/subscriptions/${SUB}`], permissions: [{ actions: ['*'], notActions: ['Microsoft.Compute/*', 'Microsoft.Web/*', 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/*'], dataActions: [], notDataActions: [] }] }]));
      files.push({ path: def });
    }
    const engine = openEngine(join(dir, `${files[0]!.path.split('/').pop()}.blastmap`), { create: true });
    try {
      await engine.importFiles({ files });
      return [...engine.store.edgesOfKind('CAN_ESCALATE')].filter((e) => e.src === `azure:object:${GH_DEPLOY}` && e.dst === PAYROLL_ID);
    } finally {
      engine.close();
    }
  }

  it('attaches with the assign action over the identity and write and run command on a VM', async () => {
    const [edge, ...more] = await attaches([
      { role: 'Managed Identity Operator', on: 'group' },
      { role: 'Virtual Machine Contributor', on: 'vm' },
    ]);
    expect(more).toEqual([]);
    expect(edge!.props.technique).toBe('attach a user-assigned identity (Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action)');
    expect(edge!.props.reason).toBe('its role (Managed Identity Operator) may assign user-assigned identity PAYROLL-ID, and its role (Virtual Machine Contributor) lets it run a command on the virtual machine BUILD-VM (VM): it attaches the identity there and runs code as it');
    // Both assignments are the evidence, with where each was read.
    expect(edge!.props.evidence!.filter((e) => e.type === 'role-assignment').map((e) => e.summary)).toEqual([
      `${GH_DEPLOY} (ServicePrincipal) is assigned Managed Identity Operator at ${RG}`,
      `${GH_DEPLOY} (ServicePrincipal) is assigned Virtual Machine Contributor at ${VM}`,
    ]);
  });

  it('signs in as the identity with a federated credential it may write: Managed Identity Contributor over its group', async () => {
    const [edge, ...more] = await attaches([{ role: 'Managed Identity Contributor', on: 'group' }]);
    expect(more).toEqual([]);
    expect(edge!.props.technique).toBe('add a federated credential (Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write)');
    expect(edge!.props.evidence!.map((e) => e.summary)).toEqual([`${GH_DEPLOY} (ServicePrincipal) is assigned Managed Identity Contributor at ${RG}`, `PAYROLL-ID is the user-assigned identity ${RG}/providers/microsoft.managedidentity/userassignedidentities/payroll-id`]);
  });

  it('does all three with Contributor, which holds every half (and deploys to the function app that runs as it)', async () => {
    expect((await attaches([{ role: 'Contributor', on: 'group' }])).map((e) => e.props.technique).sort()).toEqual([
      'add a federated credential (Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write)',
      'attach a user-assigned identity (Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action)',
      'managed identity: Microsoft.Web/sites/write',
    ]);
  });

  it('does not attach without either half, nor with a role whose NotActions take the VM away', async () => {
    const techniques = async (grants: Parameters<typeof attaches>[0]) => (await attaches(grants)).map((e) => e.props.technique);
    expect(await techniques([{ role: 'Managed Identity Operator', on: 'group' }])).toEqual([]);
    expect(await techniques([{ role: 'Virtual Machine Contributor', on: 'group' }])).toEqual([]);
    // The assign action over the group, but write on no VM or app and no federated credential: its NotActions.
    expect(await techniques([{ role: 'Everything but compute and apps', on: 'group' }])).toEqual([]);
  });
});
