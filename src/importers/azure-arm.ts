import { isObject } from '../model/fragment.js';
import type { GraphFragment, Json, JsonObject, NodeFact } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import type { NodeKind } from '../model/kinds.js';
import { roleGuid, scopeKind, subscriptionOf, type StoredAssignment } from '../providers/azure/rbac.js';
import { ImportError, jsonPath } from './errors.js';
import type { Importer } from './types.js';
import { str } from './json-values.js';

// Azure RBAC: role assignments and role definitions, as `az role assignment list` / `az role definition list`
// print them (flattened: roleDefinitionName, principalName; or --output json of the SDK objects) and as the ARM
// REST API returns them ({value: [{id, name, type, properties: {…}}]}). Assignments are stored on their scope's
// node (props.roleAssignments) and resolved against the definitions in the case by the azure-role-assignments rule.

const PRINCIPAL_KINDS: Record<string, NodeKind> = {
  user: 'azure_user',
  group: 'azure_group',
  foreigngroup: 'azure_group',
  serviceprincipal: 'azure_service_principal',
};

export const azureRbac: Importer = {
  format: 'azure-rbac',
  title: 'Azure role assignments and role definitions (az role assignment/definition list, ARM REST)',
  provider: 'azure',
  producedBy: 'az role assignment list --all; az role definition list; GET management.azure.com/…/providers/Microsoft.Authorization/roleAssignments|roleDefinitions',
  emits: [],
  detect(probe) {
    if (!probe.looksJson) return 0;
    const h = probe.head;
    if (/"roleDefinitionId"\s*:/.test(h) && /"principalId"\s*:/.test(h) && /"scope"\s*:/.test(h)) return 0.95;
    if (/"roleName"\s*:/.test(h) && /"permissions"\s*:\s*\[/.test(h) && /"assignableScopes"\s*:/.test(h)) return 0.95;
    // Azure PowerShell (Get-AzRoleAssignment / Get-AzRoleDefinition | ConvertTo-Json) and the custom-role JSON
    // that New-AzRoleDefinition and az role definition create read: PascalCase, flattened.
    if (/"RoleDefinitionId"\s*:/.test(h) && /"ObjectId"\s*:/.test(h) && /"Scope"\s*:/.test(h)) return 0.9;
    if (/"Name"\s*:/.test(h) && /"Actions"\s*:\s*\[/.test(h) && /"AssignableScopes"\s*:/.test(h)) return 0.9;
    return 0;
  },
  parse(input) {
    const file = input.fileName;
    const doc = input.json();
    let items: unknown[];
    let base: (string | number)[];
    if (Array.isArray(doc)) [items, base] = [doc, []];
    else if (isObject(doc) && Array.isArray(doc['value'])) [items, base] = [doc['value'], ['value']];
    // ConvertTo-Json of one object, a custom-role file and az role assignment create / role definition show print
    // the object itself.
    else if (isObject(doc) && (fromPowerShell(doc) !== undefined || oneOf(doc))) [items, base] = [[doc], []];
    else throw new ImportError(file, 'expected a JSON array of role assignments or definitions, or {"value": […]}', '$');

    const fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
    const byScope = new Map<string, StoredAssignment[]>();
    const principals = new Map<string, NodeFact>();
    items.forEach((item, i) => {
      const at = Array.isArray(doc) || base.length ? jsonPath(...base, i) : '$';
      if (!isObject(item)) throw new ImportError(file, 'expected an object', at);
      const ps = fromPowerShell(item);
      const raw = ps ?? item;
      // REST nests the fields under "properties"; az flattens them; PowerShell names them its own way.
      const p = isObject(raw['properties']) ? { ...raw, ...raw['properties'] } : raw;
      const pat = (k: string) => (ps ? `${at}.${PS_KEYS[k] ?? k}` : `${at}${isObject(raw['properties']) ? '.properties' : ''}.${k}`);
      if (ps && 'roleName' in ps && !str(ps['id'])) throw new ImportError(file, 'a role definition needs its "Id" (a custom-role template has none until the role is created: export it with Get-AzRoleDefinition)', `${at}.Id`);
      if ('roleName' in p && 'permissions' in p) {
        fragment.nodes.push(definitionNode(file, p, at, pat));
        return;
      }
      const roleDefinitionId = str(p['roleDefinitionId']);
      const principalId = str(p['principalId']);
      const scope = str(p['scope']);
      if (!roleDefinitionId) throw new ImportError(file, 'a role assignment needs "roleDefinitionId"', pat('roleDefinitionId'));
      if (!principalId) throw new ImportError(file, 'a role assignment needs "principalId"', pat('principalId'));
      if (scope === undefined) throw new ImportError(file, 'a role assignment needs "scope"', pat('scope'));
      const principalType = str(p['principalType']) ?? 'Unknown';
      const a: StoredAssignment = {
        assignmentId: str(p['id']) ?? str(p['name']) ?? `${scope}#${i}`,
        roleDefinitionId,
        ...(str(p['roleDefinitionName']) ? { roleName: str(p['roleDefinitionName'])! } : {}),
        principalId: principalId.toLowerCase(),
        principalType,
        ...(str(p['principalName']) ? { principalName: str(p['principalName'])! } : {}),
        scope,
        ...(str(p['condition']) ? { condition: str(p['condition'])! } : {}),
        at: `${file} ${at}`,
      };
      const key = scope.replace(/\/+$/, '').toLowerCase() || '/';
      const atScope = byScope.get(key);
      if (atScope) atScope.push(a);
      else byScope.set(key, [a]);
      const kind = PRINCIPAL_KINDS[principalType.toLowerCase()];
      if (!kind) {
        fragment.warnings.push({ message: `principal ${principalId} has principalType ${JSON.stringify(principalType)}: kept on the assignment, no identity node made`, location: pat('principalType') });
        return;
      }
      const id = ids.azureObject(principalId);
      if (!principals.has(id)) {
        principals.set(id, { id, kind, name: a.principalName ?? `${principalType} ${principalId.toLowerCase()}`, handles: [principalId.toLowerCase(), ...(a.principalName ? [a.principalName] : [])], props: { objectId: principalId.toLowerCase(), principalType }, stub: true });
      }
    });

    const subscriptions = new Set<string>();
    for (const scope of byScope.keys()) {
      const sub = subscriptionOf(scope);
      if (sub) subscriptions.add(sub);
    }
    for (const sub of subscriptions) {
      const id = ids.azureSubscription(sub);
      if (!byScope.has(`/subscriptions/${sub}`)) fragment.nodes.push({ id, kind: 'azure_subscription', name: `subscription ${sub}`, handles: [sub], stub: true });
      fragment.nodes.push({ id: ids.admin(id), kind: 'admin', name: `Owner of Azure subscription ${sub}`, boundary: id });
    }
    for (const [scope, list] of byScope) {
      const kind = scopeKind(scope === '/' ? '' : scope);
      const props: JsonObject = { scope: list[0]!.scope, roleAssignments: list as unknown as Json[] };
      if (kind === 'subscription') {
        const sub = subscriptionOf(scope)!;
        fragment.nodes.push({ id: ids.azureSubscription(sub), kind: 'azure_subscription', name: `subscription ${sub}`, handles: [sub, scope], props: { subscriptionId: sub, ...props } });
        continue;
      }
      // ARM lists the assignments inherited from management groups and the root with a subscription's own:
      // they apply to the subscriptions this listing covers.
      if (kind === 'root' || kind === 'managementGroup') props['inheritedBy'] = [...subscriptions].map(ids.azureSubscription);
      const sub = subscriptionOf(scope);
      const name = kind === 'root' ? 'tenant root scope (/)' : `${scope.split('/').pop()} (${kind === 'managementGroup' ? 'management group' : kind === 'resourceGroup' ? 'resource group' : scope.split('/').slice(-2, -1)[0]})`;
      fragment.nodes.push({ id: ids.azureResource(scope), kind: 'azure_resource', name, handles: [list[0]!.scope], props: { ...props, scopeKind: kind }, ...(sub ? { boundary: ids.azureSubscription(sub) } : {}) });
    }
    fragment.nodes.push(...principals.values());
    return fragment;
  },
};

function definitionNode(file: string, p: Record<string, unknown>, at: string, pat: (k: string) => string): NodeFact {
  const defId = str(p['id']);
  const roleName = str(p['roleName']);
  if (!defId) throw new ImportError(file, 'a role definition needs its "id"', `${at}.id`);
  if (!roleName) throw new ImportError(file, 'a role definition needs "roleName"', pat('roleName'));
  const permissions = p['permissions'];
  if (!Array.isArray(permissions)) throw new ImportError(file, 'expected "permissions" to be an array', pat('permissions'));
  const perms = permissions.map((x: unknown, j) => {
    if (!isObject(x)) throw new ImportError(file, 'expected a permissions object', `${pat('permissions')}[${j}]`);
    const list = (k: string) => (Array.isArray(x[k]) ? (x[k] as unknown[]).filter((s): s is string => typeof s === 'string') : []);
    return { actions: list('actions'), notActions: list('notActions'), dataActions: list('dataActions'), notDataActions: list('notDataActions') };
  });
  const guid = roleGuid(defId);
  return {
    id: ids.azureResource(defId),
    kind: 'azure_resource',
    name: `${roleName} (role definition)`,
    handles: [guid, roleName],
    props: {
      roleDefinitionGuid: guid,
      roleName,
      roleType: str(p['roleType']) ?? (/Role$/.test(str(p['type']) ?? '') ? str(p['type'])! : 'unknown'),
      ...(str(p['description']) ? { description: str(p['description'])! } : {}),
      permissions: perms,
      assignableScopes: Array.isArray(p['assignableScopes']) ? (p['assignableScopes'] as unknown[]).filter((s): s is string => typeof s === 'string') : [],
      at: `${file} ${at}`,
    },
    ...(subscriptionOf(defId) ? { boundary: ids.azureSubscription(subscriptionOf(defId)!) } : {}),
  };
}

/**
 * An Azure PowerShell object in the camelCase shape az prints: a PSRoleAssignment (RoleAssignmentId, Scope,
 * RoleDefinitionId as a bare GUID, RoleDefinitionName, ObjectId, ObjectType, SignInName, DisplayName, Condition) or
 * a PSRoleDefinition / custom-role file (Name, Id, IsCustom, Actions, NotActions, DataActions, NotDataActions,
 * AssignableScopes). Undefined for anything else.
 */
/** One role assignment or definition, flattened (az) or with its properties (REST). */
function oneOf(o: Record<string, unknown>): boolean {
  const p = isObject(o['properties']) ? o['properties'] : o;
  return ('roleDefinitionId' in p && 'principalId' in p) || ('roleName' in p && 'permissions' in p);
}

/** The PowerShell name of each field, to name it in an error. */
const PS_KEYS: Record<string, string> = { id: 'Id', roleName: 'Name', permissions: 'Actions', roleDefinitionId: 'RoleDefinitionId', principalId: 'ObjectId', principalType: 'ObjectType', scope: 'Scope' };

function fromPowerShell(o: Record<string, unknown>): Record<string, unknown> | undefined {
  if ('RoleDefinitionId' in o && 'ObjectId' in o && 'Scope' in o) {
    return {
      id: o['RoleAssignmentId'] ?? o['RoleAssignmentName'],
      roleDefinitionId: o['RoleDefinitionId'],
      roleDefinitionName: o['RoleDefinitionName'],
      principalId: o['ObjectId'],
      principalType: o['ObjectType'],
      principalName: str(o['SignInName']) ?? o['DisplayName'],
      scope: o['Scope'],
      condition: o['Condition'],
    };
  }
  if ('Name' in o && 'Actions' in o && 'AssignableScopes' in o) {
    return {
      id: o['Id'],
      roleName: o['Name'],
      roleType: o['IsCustom'] === true ? 'CustomRole' : o['IsCustom'] === false ? 'BuiltInRole' : undefined,
      description: o['Description'],
      permissions: [{ actions: o['Actions'], notActions: o['NotActions'], dataActions: o['DataActions'], notDataActions: o['NotDataActions'] }],
      assignableScopes: o['AssignableScopes'],
    };
  }
  return undefined;
}
