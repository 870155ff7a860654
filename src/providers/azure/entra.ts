import type { AccessLevel } from '../../model/kinds.js';

// Entra ID knowledge shared by the AzureHound importer and the Entra rules: which directory roles and Microsoft
// Graph application permissions take over the tenant or its applications, and what "running code" means for each
// Azure resource type that carries a managed identity. Ids are the public, tenant-independent GUIDs Microsoft
// documents (directory role template ids, Microsoft Graph app role ids).

/** What holding a directory role (or a Graph application permission) lets a principal do. */
export interface EntraCapability {
  /** Takes over the tenant: the sentence says how. */
  admin?: string;
  /** Can add a client secret or certificate to applications and service principals, then sign in as them. */
  appCredentials?: string;
}

interface RoleSpec extends EntraCapability {
  name: string;
}

/** Built-in directory roles that matter for non-human identities, by template id (the same in every tenant). */
export const ENTRA_ROLES: Readonly<Record<string, RoleSpec>> = {
  '62e90394-69f5-4237-9190-012177145e10': { name: 'Global Administrator', admin: 'Global Administrator controls every object and setting of the tenant' },
  'e8611ab8-c189-46e8-94e1-60213ab1f814': { name: 'Privileged Role Administrator', admin: 'Privileged Role Administrator can assign any directory role, Global Administrator included, to itself' },
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': { name: 'Privileged Authentication Administrator', admin: 'Privileged Authentication Administrator can reset the password and authentication methods of any user, Global Administrators included' },
  'e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8': { name: 'Partner Tier2 Support', admin: 'Partner Tier2 Support can reset the password of any user, Global Administrators included' },
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3': { name: 'Application Administrator', appCredentials: 'Application Administrator can add credentials to any application or service principal and sign in as it' },
  '158c047a-c907-4556-b7ef-446551a6b5f7': { name: 'Cloud Application Administrator', appCredentials: 'Cloud Application Administrator can add credentials to any application or service principal and sign in as it' },
};

/** The directory role's name for display when the export does not carry the role object. */
export function entraRoleName(templateId: string): string | undefined {
  return ENTRA_ROLES[templateId.toLowerCase()]?.name;
}

// Directory actions (rolePermissions[].allowedResourceActions) that give the same powers to custom roles.
const ADMIN_ACTIONS = [/^microsoft\.directory\/roleassignments\/(allproperties\/alltasks|create)$/i, /^microsoft\.directory\/\*\//i];
const APP_CREDENTIAL_ACTIONS = [
  /^microsoft\.directory\/(applications|serviceprincipals)\/(credentials|allproperties)\/(update|alltasks)$/i,
  /^microsoft\.directory\/(applications|serviceprincipals)\/owners\/update$/i,
];

/**
 * What a directory role gives: from the built-in table by template id, and from its own permissions when the export
 * carries the role object (custom roles, or built-ins whose template id is unknown here).
 */
export function directoryRoleCapability(templateId: string | undefined, allowedActions: readonly string[]): EntraCapability {
  const builtin = templateId ? ENTRA_ROLES[templateId.toLowerCase()] : undefined;
  if (builtin?.admin) return { admin: builtin.admin };
  const admin = allowedActions.find((a) => ADMIN_ACTIONS.some((re) => re.test(a)));
  if (admin) return { admin: `the role allows ${admin}, so it can assign Global Administrator to itself` };
  if (builtin?.appCredentials) return { appCredentials: builtin.appCredentials };
  const creds = allowedActions.find((a) => APP_CREDENTIAL_ACTIONS.some((re) => re.test(a)));
  if (creds) return { appCredentials: `the role allows ${creds}, so it can add credentials to applications and service principals and sign in as them` };
  return {};
}

/** Microsoft Graph's application id (its service principal exposes the app roles below). */
export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Microsoft Graph application permissions (app role ids) that lead to tenant takeover or to other applications. */
export const GRAPH_APP_ROLES: Readonly<Record<string, RoleSpec>> = {
  '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8': { name: 'RoleManagement.ReadWrite.Directory', admin: 'RoleManagement.ReadWrite.Directory lets the application assign Global Administrator to itself' },
  '06b708a9-e830-4db3-a914-8e69da51d44f': { name: 'AppRoleAssignment.ReadWrite.All', admin: 'AppRoleAssignment.ReadWrite.All lets the application grant itself any application permission, RoleManagement.ReadWrite.Directory included' },
  '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9': { name: 'Application.ReadWrite.All', appCredentials: 'Application.ReadWrite.All lets the application add credentials to any application or service principal and sign in as it' },
};

/** The Graph permission's name, for app role ids that are not in the table above. */
const OTHER_GRAPH_ROLES: Readonly<Record<string, string>> = {
  '19dbc75e-c2e2-444c-a770-ec69d8559fc7': 'Directory.ReadWrite.All',
  '62a82d76-70ea-41e2-9197-370581804d09': 'Group.ReadWrite.All',
  'dbaae8cf-10b5-4b86-a4a1-f871c94c6695': 'GroupMember.ReadWrite.All',
  '89c8469c-83ad-45f7-8ff2-6e3d4285709e': 'ServicePrincipalEndpoint.ReadWrite.All',
};

export function graphAppRoleName(appRoleId: string): string | undefined {
  const id = appRoleId.toLowerCase();
  return GRAPH_APP_ROLES[id]?.name ?? OTHER_GRAPH_ROLES[id];
}

/**
 * For Azure resources that carry managed identities: the ARM action that runs code of the caller's choosing in the
 * resource, so whoever holds it acts as the resource's identities. Keyed by resource type, lower-case.
 */
export const RUN_CODE_ACTIONS: Readonly<Record<string, { action: string; how: string }>> = {
  'microsoft.compute/virtualmachines': { action: 'Microsoft.Compute/virtualMachines/runCommand/action', how: 'run a command on the virtual machine' },
  'microsoft.compute/virtualmachinescalesets': { action: 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action', how: 'run a command on the scale set instances' },
  'microsoft.web/sites': { action: 'Microsoft.Web/sites/write', how: 'deploy code to the app' },
  'microsoft.logic/workflows': { action: 'Microsoft.Logic/workflows/write', how: 'rewrite the logic app workflow' },
  'microsoft.automation/automationaccounts': { action: 'Microsoft.Automation/automationAccounts/runbooks/write', how: 'write and start a runbook' },
  'microsoft.containerregistry/registries': { action: 'Microsoft.ContainerRegistry/registries/tasks/write', how: 'create a registry task' },
  'microsoft.containerservice/managedclusters': { action: 'Microsoft.ContainerService/managedClusters/runCommand/action', how: 'run a command in the cluster' },
};

/**
 * The ARM resources a managed identity's node names, as written (trailing slashes dropped): the resource whose
 * system-assigned identity it is, or the user-assigned identity resource itself. Entra lists it among the service
 * principal's alternativeNames (and servicePrincipalNames); AzureHound's identity blocks make it a handle.
 */
export function managedIdentityArmPaths(node: { handles: readonly string[]; props: Record<string, unknown> }): string[] {
  const names = [...node.handles, ...['alternativeNames', 'servicePrincipalNames'].flatMap((k) => (Array.isArray(node.props[k]) ? (node.props[k] as unknown[]) : []))];
  const paths: string[] = [];
  for (const n of names) if (typeof n === 'string' && /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\//i.test(n)) paths.push(n.replace(/\/+$/, ''));
  return paths;
}

/** Whether an ARM id is a user-assigned identity's. */
export const isUserAssignedIdentityPath = (path: string): boolean => /\/providers\/microsoft\.managedidentity\/userassignedidentities\/[^/]+$/i.test(path);

/** The resource type of an ARM id (/subscriptions/…/providers/Microsoft.Compute/virtualMachines/vm1), lower-case. */
export function resourceTypeOf(resourceId: string): string | undefined {
  const m = /\/providers\/([^/]+)\/([^/]+)\/[^/]+$/i.exec(resourceId.replace(/\/+$/, ''));
  return m ? `${m[1]}/${m[2]}`.toLowerCase() : undefined;
}

/** A key vault access policy's permission lists, as Azure spells them. */
export interface VaultPermissions {
  keys?: string[];
  secrets?: string[];
  certificates?: string[];
  storage?: string[];
}

const VAULT_READ = /^(get|all|backup|decrypt|unwrapkey|export)$/i;
const VAULT_WRITE = /^(set|create|import|update|delete|purge|recover|restore|encrypt|wrapkey|sign|all)$/i;

/** The highest access an access policy gives, and the permissions that give it. */
export function vaultAccess(p: VaultPermissions): { level: AccessLevel; grants: string[] } | undefined {
  const grants: string[] = [];
  let level: AccessLevel | undefined;
  for (const [what, list] of Object.entries(p) as [string, string[] | undefined][]) {
    for (const perm of list ?? []) {
      grants.push(`${what}: ${perm}`);
      if (VAULT_WRITE.test(perm)) level = 'Write';
      else if (VAULT_READ.test(perm) && level !== 'Write') level = 'Read';
      else if (/^list$/i.test(perm) && !level) level = 'List';
    }
  }
  return level ? { level, grants } : undefined;
}

/** Whether an access policy lets its holder read secret values (secrets get, or keys/certificates export). */
export function vaultReadsSecrets(p: VaultPermissions): boolean {
  return (p.secrets ?? []).some((s) => /^(get|all)$/i.test(s)) || (p.certificates ?? []).some((s) => /^(get|all)$/i.test(s));
}
