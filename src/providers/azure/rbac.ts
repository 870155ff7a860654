import type { AccessLevel } from '../../model/kinds.js';
import { Glob } from '../../model/glob.js';

// Azure RBAC knowledge shared by the ARM importer and the role-assignment rule.

export interface RolePermissions {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

export interface RoleInfo {
  name: string;
  permissions?: RolePermissions[];
}

/** Assignments as the importer stores them on their scope node (props.roleAssignments). */
export interface StoredAssignment {
  assignmentId: string;
  roleDefinitionId: string;
  /** Present when the export resolved it (az role assignment list). */
  roleName?: string;
  principalId: string;
  principalType: string;
  principalName?: string;
  scope: string;
  condition?: string;
  at: string;
}

const perms = (actions: string[], notActions: string[] = []): RolePermissions[] => [{ actions, notActions, dataActions: [], notDataActions: [] }];

// Built-in role GUIDs are the same in every tenant, so assignments resolve even without a definitions export.
// Permissions as published in learn.microsoft.com/azure/role-based-access-control/built-in-roles.
export const BUILTIN_ROLES: Readonly<Record<string, RoleInfo>> = {
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': { name: 'Owner', permissions: perms(['*']) },
  'b24988ac-6180-42a0-ab88-20f7382dd24c': {
    name: 'Contributor',
    permissions: perms(['*'], ['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/*/Write', 'Microsoft.Authorization/elevateAccess/Action', 'Microsoft.Blueprint/blueprintAssignments/write', 'Microsoft.Blueprint/blueprintAssignments/delete', 'Microsoft.Compute/galleries/share/action', 'Microsoft.Purview/consents/write', 'Microsoft.Purview/consents/delete', 'Microsoft.Resources/deploymentStacks/manageDenySetting/action', 'Microsoft.Subscription/cancel/action', 'Microsoft.Subscription/enable/action']),
  },
  'acdd72a7-3385-48ef-bd42-f606fba81ae7': { name: 'Reader', permissions: perms(['*/read']) },
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9': { name: 'User Access Administrator', permissions: perms(['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*']) },
  'f58310d9-a9f6-439a-9e8d-f62e7b41a168': {
    name: 'Role Based Access Control Administrator',
    permissions: perms(['Microsoft.Authorization/roleAssignments/write', 'Microsoft.Authorization/roleAssignments/delete', '*/read', 'Microsoft.Support/*']),
  },
  // Roles that reach compute identities and key vault contents (AzureHound lists assignments by role GUID only).
  // Permissions abridged to the actions that matter here, as published in the built-in roles reference.
  '9980e02c-c2be-4d73-94e8-173b1dc7cf3c': { name: 'Virtual Machine Contributor', permissions: perms(['Microsoft.Compute/virtualMachines/*', 'Microsoft.Compute/virtualMachineScaleSets/*', 'Microsoft.Compute/availabilitySets/*', 'Microsoft.Resources/deployments/*', '*/read']) },
  'de139f84-1756-47ae-9be6-808fbbe84772': { name: 'Website Contributor', permissions: perms(['Microsoft.Web/sites/*', 'Microsoft.Web/serverFarms/join/action', 'Microsoft.Resources/deployments/*', '*/read']) },
  '87a39d53-fc1b-424a-814c-f7e04687dc9e': { name: 'Logic App Contributor', permissions: perms(['Microsoft.Logic/*', 'Microsoft.Resources/deployments/*', '*/read']) },
  'f353d9bd-d4a6-484e-a77a-8050b599b867': { name: 'Automation Contributor', permissions: perms(['Microsoft.Automation/automationAccounts/*', 'Microsoft.Resources/deployments/*', '*/read']) },
  'ed7f3fbd-7b88-4dd4-9017-9adb7ce333f8': { name: 'Azure Kubernetes Service Contributor Role', permissions: perms(['Microsoft.ContainerService/managedClusters/*', 'Microsoft.Resources/deployments/*', '*/read']) },
  // Read and assign user-assigned identities: with write on a VM or an app, attach one and act as it.
  'f1a07417-d97a-45cb-824c-7a7467783830': { name: 'Managed Identity Operator', permissions: perms(['Microsoft.ManagedIdentity/userAssignedIdentities/*/read', 'Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action', 'Microsoft.Authorization/*/read', 'Microsoft.Insights/alertRules/*', 'Microsoft.Resources/subscriptions/resourceGroups/read', 'Microsoft.Resources/deployments/*', 'Microsoft.Support/*']) },
  // Create, update and delete user-assigned identities, and their federated credentials: sign in as one.
  'e40ec5ca-96e0-45a2-b4ff-59039f2c2b59': {
    name: 'Managed Identity Contributor',
    permissions: perms(['Microsoft.ManagedIdentity/userAssignedIdentities/read', 'Microsoft.ManagedIdentity/userAssignedIdentities/write', 'Microsoft.ManagedIdentity/userAssignedIdentities/delete', 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read', 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write', 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete', 'Microsoft.Authorization/*/read', 'Microsoft.Insights/alertRules/*', 'Microsoft.Resources/subscriptions/resourceGroups/read', 'Microsoft.Resources/deployments/*', 'Microsoft.Support/*']),
  },
  '1c0163c0-47e6-4577-8991-ea5c82e286e4': { name: 'Virtual Machine Administrator Login', permissions: [{ actions: ['Microsoft.Compute/virtualMachines/*/read'], notActions: [], dataActions: ['Microsoft.Compute/virtualMachines/login/action', 'Microsoft.Compute/virtualMachines/loginAsAdmin/action'], notDataActions: [] }] },
  'f25e0fa2-a7c8-4377-a976-54943a77a395': { name: 'Key Vault Contributor', permissions: perms(['Microsoft.KeyVault/*', 'Microsoft.Resources/deployments/*', '*/read'], ['Microsoft.KeyVault/locations/deletedVaults/purge/action', 'Microsoft.KeyVault/hsmPools/*', 'Microsoft.KeyVault/managedHsms/*']) },
  '00482a5a-887f-4fb3-b363-3b7fe8e74483': { name: 'Key Vault Administrator', permissions: [{ actions: ['Microsoft.KeyVault/*/read', 'Microsoft.KeyVault/checkNameAvailability/read', 'Microsoft.Resources/deployments/*'], notActions: [], dataActions: ['Microsoft.KeyVault/vaults/*'], notDataActions: [] }] },
  'b86a8fe4-44ce-4948-aee5-eccb2c155cd7': { name: 'Key Vault Secrets Officer', permissions: [{ actions: ['Microsoft.KeyVault/*/read', 'Microsoft.Resources/deployments/*'], notActions: [], dataActions: ['Microsoft.KeyVault/vaults/secrets/*'], notDataActions: [] }] },
  '4633458b-17de-408a-b874-0445c86b69e6': { name: 'Key Vault Secrets User', permissions: [{ actions: [], notActions: [], dataActions: ['Microsoft.KeyVault/vaults/secrets/getSecret/action', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'], notDataActions: [] }] },
};

const BUILTIN_BY_NAME = new Map(Object.values(BUILTIN_ROLES).map((r) => [r.name.toLowerCase(), r]));

export function builtinRoleByName(name: string): RoleInfo | undefined {
  return BUILTIN_BY_NAME.get(name.toLowerCase());
}

/** The GUID at the end of a role definition id (/subscriptions/…/roleDefinitions/<guid>), lower-cased. */
export function roleGuid(roleDefinitionId: string): string {
  return (roleDefinitionId.split('/').pop() ?? roleDefinitionId).toLowerCase();
}

/** ARM action patterns are case-insensitive and '*' matches any run of characters. */
function matches(pattern: string, action: string): boolean {
  return new Glob(pattern, { caseInsensitive: true, questionMark: false }).test(action);
}

/** What a grant edge allows (azure-role-assignments' CAN_ACCESS props): its role's actions, less its NotActions. */
export function grantPermissions(props: { actions?: unknown; notActions?: unknown }): RolePermissions[] {
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((a): a is string => typeof a === 'string') : []);
  return [{ actions: strings(props.actions), notActions: strings(props.notActions), dataActions: [], notDataActions: [] }];
}

export function allows(permissions: RolePermissions[], action: string): boolean {
  return permissions.some((p) => p.actions.some((a) => matches(a, action)) && !p.notActions.some((n) => matches(n, action)));
}

/** Whether the role can grant roles (write role assignments): the definition of admin-equivalent in Azure RBAC. */
export function canAssignRoles(permissions: RolePermissions[]): boolean {
  return allows(permissions, 'Microsoft.Authorization/roleAssignments/write');
}

export function accessLevelOf(permissions: RolePermissions[]): AccessLevel {
  if (canAssignRoles(permissions)) return 'Permissions management';
  // Data-plane reads are actions too (Key Vault secrets/getSecret/action, …/readMetadata/action).
  const reads = (a: string) => /\/read$/i.test(a) || /\/(get|read)[A-Za-z]*\/action$/i.test(a);
  const writes = permissions.some((p) => p.actions.some((a) => !reads(a)) || p.dataActions.some((a) => !reads(a)));
  if (writes) return 'Write';
  return 'Read';
}

/** Scope kinds: '/', management group, subscription, resource group, resource. */
export function scopeKind(scope: string): 'root' | 'managementGroup' | 'subscription' | 'resourceGroup' | 'resource' {
  const s = scope.replace(/\/+$/, '');
  if (s === '') return 'root';
  if (/^\/providers\/Microsoft\.Management\/managementGroups\/[^/]+$/i.test(s)) return 'managementGroup';
  if (/^\/subscriptions\/[^/]+$/i.test(s)) return 'subscription';
  if (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+$/i.test(s)) return 'resourceGroup';
  return 'resource';
}

export function subscriptionOf(scope: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1]?.toLowerCase();
}
