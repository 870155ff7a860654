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
  '18d7d88d-d35e-4fb5-a5c3-7773c6a72d9d': { name: 'User Access Administrator', permissions: perms(['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*']) },
  'f58310d9-a9f6-439a-9e8d-f62e7b41a168': {
    name: 'Role Based Access Control Administrator',
    permissions: perms(['Microsoft.Authorization/roleAssignments/write', 'Microsoft.Authorization/roleAssignments/delete', '*/read', 'Microsoft.Support/*']),
  },
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

export function allows(permissions: RolePermissions[], action: string): boolean {
  return permissions.some((p) => p.actions.some((a) => matches(a, action)) && !p.notActions.some((n) => matches(n, action)));
}

/** Whether the role can grant roles (write role assignments): the definition of admin-equivalent in Azure RBAC. */
export function canAssignRoles(permissions: RolePermissions[]): boolean {
  return allows(permissions, 'Microsoft.Authorization/roleAssignments/write');
}

export function accessLevelOf(permissions: RolePermissions[]): AccessLevel {
  if (canAssignRoles(permissions)) return 'Permissions management';
  const writes = permissions.some(
    (p) => p.actions.some((a) => !/\/read$/i.test(a)) || p.dataActions.some((a) => !/\/read$/i.test(a)),
  );
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
