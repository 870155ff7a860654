import fc from 'fast-check';

// AzureHound files for the incremental-derivation property test: one tenant's directory (users, groups, apps and
// their service principals, owners, members, directory roles, Microsoft Graph application permissions) and its
// subscription (role assignments at three scopes, a VM running as a managed identity, a key vault with access
// policies), in two files so each can be re-imported alone and the rules read across them. Record shapes as
// AzureHound writes them (see test/fixtures/azurehound).

const TENANT = '6c12b0b0-b2cc-4a73-8252-0b94bfca2145';
const SUB = '4f1a6b2e-0c8d-4e27-9b5a-3d2c1e0f9a87';
const RG = `/SUBSCRIPTIONS/${SUB.toUpperCase()}/RESOURCEGROUPS/RG-APP`;
const VM = `${RG}/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM0`;
const VAULT = `${RG}/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV0`;
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const GRAPH_SP = '0ab3c5e1-9f7d-4e2b-a6c8-13579bdf2468';
const OTHER_API_SP = '0ab3c5e1-9f7d-4e2b-a6c8-000000000001';

const guid = (n: number) => `00000000-1111-4222-8333-${String(n).padStart(12, '0')}`;
const appId = (i: number) => `a1b2c3d4-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** Principals the records name, with the OData type AzureHound embeds. */
const PRINCIPALS = [
  { id: guid(1), type: '#microsoft.graph.user', name: 'alice@contoso.com' },
  { id: guid(2), type: '#microsoft.graph.user', name: 'bob@contoso.com' },
  { id: guid(10), type: '#microsoft.graph.group', name: 'OPS' },
  { id: guid(11), type: '#microsoft.graph.group', name: 'DEVS' },
  { id: guid(30), type: '#microsoft.graph.servicePrincipal', name: 'APP0' },
  { id: guid(31), type: '#microsoft.graph.servicePrincipal', name: 'APP1' },
  { id: guid(32), type: '#microsoft.graph.servicePrincipal', name: 'VENDOR' },
  // The VM's system-assigned identity.
  { id: guid(40), type: '#microsoft.graph.servicePrincipal', name: 'VM0' },
  // A user-assigned identity of the resource group, which no resource runs as (whoever may assign it and rewrite the
  // VM can attach it there).
  { id: guid(41), type: '#microsoft.graph.servicePrincipal', name: 'UAMI0' },
];
const GROUPS = [2, 3];
const SERVICE_PRINCIPALS = [4, 5, 6, 7];
const APPS = [0, 1];
const appObject = (i: number) => guid(20 + i);

const DIRECTORY_ROLES = [
  '62e90394-69f5-4237-9190-012177145e10', // Global Administrator
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', // Application Administrator
  '88d8e3e3-8f55-4a1e-953a-9b9898b8876b', // Directory Readers: gives nothing here
  'e8611ab8-c189-46e8-94e1-60213ab1f814', // Privileged Role Administrator
];
const GRAPH_ROLES = [
  '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8', // RoleManagement.ReadWrite.Directory
  '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9', // Application.ReadWrite.All
  'df021288-bdef-4463-88db-98f22de89214', // User.Read.All: gives nothing here
];
const ARM_ROLES = [
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', // Owner
  'b24988ac-6180-42a0-ab88-20f7382dd24c', // Contributor
  '9980e02c-c2be-4d73-94e8-173b1dc7cf3c', // Virtual Machine Contributor
  'f1a07417-d97a-45cb-824c-7a7467783830', // Managed Identity Operator
  'e40ec5ca-96e0-45a2-b4ff-59039f2c2b59', // Managed Identity Contributor
  'acdd72a7-3385-48ef-bd42-f606fba81ae7', // Reader
];
const VAULT_PERMISSIONS = [{ secrets: ['Get', 'List'] }, { keys: ['Get'], certificates: ['Import'] }, { secrets: ['List'] }];

const n = (max: number) => fc.nat(max - 1);

export const entraSpec = fc.record({
  servicePrincipals: fc.tuple(fc.boolean(), fc.boolean()),
  members: fc.array(fc.record({ member: n(PRINCIPALS.length), group: n(GROUPS.length) }), { maxLength: 3 }),
  groupOwners: fc.array(fc.record({ owner: n(PRINCIPALS.length), group: n(GROUPS.length) }), { maxLength: 2 }),
  appOwners: fc.array(fc.record({ owner: n(PRINCIPALS.length), app: n(APPS.length) }), { maxLength: 2 }),
  spOwners: fc.array(fc.record({ owner: n(PRINCIPALS.length), sp: n(SERVICE_PRINCIPALS.length) }), { maxLength: 2 }),
  roles: fc.array(fc.record({ principal: n(PRINCIPALS.length), role: n(DIRECTORY_ROLES.length), scoped: fc.boolean(), eligible: fc.boolean() }), { maxLength: 3 }),
  graph: fc.array(fc.record({ sp: n(SERVICE_PRINCIPALS.length), role: n(GRAPH_ROLES.length), otherApi: fc.boolean() }), { maxLength: 2 }),
});
export type EntraSpec = typeof entraSpec extends fc.Arbitrary<infer T> ? T : never;

export const armSpec = fc.record({
  assignments: fc.array(fc.record({ principal: n(PRINCIPALS.length), role: n(ARM_ROLES.length), scope: fc.constantFrom('subscription', 'group', 'vm') }), { maxLength: 3 }),
  vmIdentity: fc.boolean(),
  policies: fc.array(fc.record({ principal: n(PRINCIPALS.length), permissions: n(VAULT_PERMISSIONS.length) }), { maxLength: 2 }),
  rbacVault: fc.boolean(),
});
export type ArmSpec = typeof armSpec extends fc.Arbitrary<infer T> ? T : never;

const record = (kind: string, data: object) => ({ kind, data });
const ref = (p: number) => ({ id: PRINCIPALS[p]!.id, '@odata.type': PRINCIPALS[p]!.type, displayName: PRINCIPALS[p]!.name });

export function entraFile(spec: EntraSpec): string {
  const t = { tenantId: TENANT.toUpperCase(), tenantName: 'CONTOSO' };
  const data: object[] = [record('AZTenant', { id: `/TENANTS/${TENANT.toUpperCase()}`, tenantId: TENANT.toUpperCase(), displayName: 'CONTOSO', collected: true })];
  for (const p of PRINCIPALS.slice(0, 2)) data.push(record('AZUser', { id: p.id, displayName: p.name.split('@')[0]!.toUpperCase(), userPrincipalName: p.name, accountEnabled: true, ...t }));
  for (const g of GROUPS) data.push(record('AZGroup', { id: PRINCIPALS[g]!.id, displayName: PRINCIPALS[g]!.name, securityEnabled: true, isAssignableToRole: true, ...t }));
  data.push(record('AZServicePrincipal', { id: PRINCIPALS[6]!.id, appId: appId(9), displayName: 'VENDOR', servicePrincipalType: 'Application', appOwnerOrganizationId: guid(99), ...t }));
  data.push(record('AZServicePrincipal', { id: PRINCIPALS[7]!.id, appId: appId(8), displayName: 'VM0', servicePrincipalType: 'ManagedIdentity', alternativeNames: ['isExplicit=False', VM.toLowerCase()], ...t }));
  data.push(record('AZServicePrincipal', { id: PRINCIPALS[8]!.id, appId: appId(6), displayName: 'UAMI0', servicePrincipalType: 'ManagedIdentity', alternativeNames: ['isExplicit=True', `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uami0`.toLowerCase()], ...t }));
  data.push(record('AZServicePrincipal', { id: GRAPH_SP, appId: GRAPH_APP_ID, displayName: 'Microsoft Graph', servicePrincipalType: 'Application', appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a', ...t }));
  data.push(record('AZServicePrincipal', { id: OTHER_API_SP, appId: appId(7), displayName: 'Payroll API', servicePrincipalType: 'Application', appOwnerOrganizationId: TENANT, ...t }));
  for (const role of DIRECTORY_ROLES) data.push(record('AZRole', { id: role, templateId: role, isBuiltIn: true, isEnabled: true, ...t }));
  for (const a of APPS) data.push(record('AZApp', { id: appObject(a), appId: appId(a).toUpperCase(), displayName: `APP${a}`, ...t }));
  // What varies comes after what does not, so a change to the relationships alone leaves every node row as it was
  // (records' places are in the nodes' props): the rules must then be re-run for the changed edges, not the nodes.
  for (const a of APPS) {
    if (spec.servicePrincipals[a]) data.push(record('AZServicePrincipal', { id: PRINCIPALS[SERVICE_PRINCIPALS[a]!]!.id, appId: appId(a).toUpperCase(), displayName: `APP${a}`, servicePrincipalType: 'Application', appOwnerOrganizationId: TENANT, ...t }));
  }
  spec.members.forEach((m) => data.push(record('AZGroupMember', { groupId: PRINCIPALS[GROUPS[m.group]!]!.id, members: [{ member: ref(m.member), groupId: PRINCIPALS[GROUPS[m.group]!]!.id }] })));
  for (const o of spec.groupOwners) data.push(record('AZGroupOwner', { groupId: PRINCIPALS[GROUPS[o.group]!]!.id, owners: [{ owner: ref(o.owner), groupId: PRINCIPALS[GROUPS[o.group]!]!.id }] }));
  for (const o of spec.appOwners) data.push(record('AZAppOwner', { appId: appId(o.app).toUpperCase(), owners: [{ owner: ref(o.owner), appId: appObject(o.app) }] }));
  for (const o of spec.spOwners) {
    const sp = PRINCIPALS[SERVICE_PRINCIPALS[o.sp]!]!.id;
    data.push(record('AZServicePrincipalOwner', { servicePrincipalId: sp, owners: [{ owner: ref(o.owner), servicePrincipalId: sp }] }));
  }
  spec.roles.forEach((r, i) => {
    const assignment = { id: `ra${i}`, roleDefinitionId: DIRECTORY_ROLES[r.role]!.toUpperCase(), principalId: PRINCIPALS[r.principal]!.id, directoryScopeId: r.scoped ? `/${appId(0)}` : '/' };
    if (r.eligible) data.push(record('AZRoleEligibilityScheduleInstance', { ...assignment, tenantId: TENANT }));
    else data.push(record('AZRoleAssignment', { roleAssignments: [assignment], roleDefinitionId: assignment.roleDefinitionId, tenantId: TENANT }));
  });
  spec.graph.forEach((g, i) =>
    data.push(
      record('AZAppRoleAssignment', {
        id: `ara${i}`,
        appRoleId: GRAPH_ROLES[g.role],
        principalId: PRINCIPALS[SERVICE_PRINCIPALS[g.sp]!]!.id,
        principalType: 'ServicePrincipal',
        principalDisplayName: PRINCIPALS[SERVICE_PRINCIPALS[g.sp]!]!.name,
        resourceId: g.otherApi ? OTHER_API_SP : GRAPH_SP,
        resourceDisplayName: g.otherApi ? 'Payroll API' : 'Microsoft Graph',
        appId: g.otherApi ? appId(7) : GRAPH_APP_ID,
        tenantId: TENANT,
      }),
    ),
  );
  return JSON.stringify({ data, meta: { type: 'azure', version: 5, count: data.length } });
}

export function armFile(spec: ArmSpec): string {
  const base = { subscriptionId: SUB.toUpperCase(), tenantId: TENANT.toUpperCase() };
  const data: object[] = [
    record('AZSubscription', { id: `/SUBSCRIPTIONS/${SUB.toUpperCase()}`, displayName: 'PROD', state: 'Enabled', ...base }),
    record('AZResourceGroup', { id: RG, name: 'RG-APP', type: 'Microsoft.Resources/resourceGroups', ...base }),
    record('AZVM', {
      id: VM,
      name: 'VM0',
      type: 'Microsoft.Compute/virtualMachines',
      resourceGroupId: RG,
      ...(spec.vmIdentity ? { identity: { type: 'SystemAssigned', principalId: PRINCIPALS[7]!.id.toUpperCase(), tenantId: TENANT } } : {}),
      ...base,
    }),
    record('AZKeyVault', {
      id: VAULT,
      name: 'KV0',
      type: 'Microsoft.KeyVault/vaults',
      properties: { enableRbacAuthorization: spec.rbacVault, accessPolicies: spec.policies.map((p) => ({ objectId: PRINCIPALS[p.principal]!.id, permissions: VAULT_PERMISSIONS[p.permissions], tenantId: TENANT })) },
      ...base,
    }),
  ];
  spec.assignments.forEach((a, i) => {
    const scope = a.scope === 'subscription' ? `/subscriptions/${SUB}` : a.scope === 'group' ? RG.toLowerCase() : VM.toLowerCase();
    const assignment = {
      id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${guid(100 + i)}`,
      name: guid(100 + i),
      type: 'Microsoft.Authorization/roleAssignments',
      properties: { principalId: PRINCIPALS[a.principal]!.id, roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ARM_ROLES[a.role]}`, scope },
    };
    if (a.scope === 'subscription') data.push(record('AZSubscriptionRoleAssignment', { subscriptionId: SUB.toUpperCase(), roleAssignments: [{ roleAssignment: assignment, subscriptionId: SUB.toUpperCase() }] }));
    else if (a.scope === 'group') data.push(record('AZResourceGroupRoleAssignment', { resourceGroupId: RG, roleAssignments: [{ roleAssignment: assignment, resourceGroupId: RG }] }));
    else data.push(record('AZVMRoleAssignment', { vmId: VM, roleAssignments: [{ roleAssignment: assignment, vmId: VM }] }));
  });
  return JSON.stringify({ data, meta: { type: 'azure', version: 5, count: data.length } });
}
