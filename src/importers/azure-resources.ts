import { isObject } from '../model/fragment.js';
import type { GraphFragment, Json, JsonObject, NodeFact } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import { resourceTypeOf } from '../providers/azure/entra.js';
import { scopeKind, subscriptionOf } from '../providers/azure/rbac.js';
import { ImportError, jsonPath } from './errors.js';
import type { Importer } from './types.js';
import { str, strings, unique } from './json-values.js';

// Azure Resource Manager resources that bear on identities, as az prints them and as ARM returns them ({value: […],
// nextLink}, a bare array, or one resource): user-assigned managed identities (az identity list/show) and key vaults
// with their access policies (az keyvault show/list).
//
// A user-assigned identity is an Entra object (its principal id) with a client id and an ARM resource id: the node is
// the object's, and the client id (workload-identity annotations) and the resource id (its federated credentials, the
// resources it is attached to) are aliases of it.
//
// Key vaults (GET …/providers/Microsoft.KeyVault/vaults[/{name}]). The vault's
// node is the one AzureHound's AZKeyVault makes (same id, same props.accessPolicies): the azure-key-vault-access rule
// turns each policy into CAN_ACCESS from its principal, unless the vault is in RBAC mode (enableRbacAuthorization),
// where role assignments decide and the policies are ignored. A policy names its principal by object id only: it
// applies once a file that describes the principal (az ad sp list, az role assignment list, AzureHound) is imported.

const VAULT_TYPE = 'microsoft.keyvault/vaults';
const IDENTITY_TYPE = 'microsoft.managedidentity/userassignedidentities';

export const azureResources: Importer = {
  format: 'azure-resources',
  title: 'Azure user-assigned managed identities and key vaults with their access policies (az identity list, az keyvault show/list, ARM REST)',
  provider: 'azure',
  producedBy: 'az identity list; az keyvault show; az keyvault list; GET management.azure.com/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities|Microsoft.KeyVault/vaults',
  emits: [],
  detect(probe) {
    if (!probe.looksJson) return 0;
    const h = probe.head;
    if (/"type"\s*:\s*"Microsoft\.KeyVault\/vaults"/i.test(h) && /"id"\s*:\s*"\/subscriptions\/[^"]+\/providers\/Microsoft\.KeyVault\/vaults\//i.test(h)) return 0.9;
    if (/"type"\s*:\s*"Microsoft\.ManagedIdentity\/userAssignedIdentities"/i.test(h) && /"principalId"\s*:/.test(h)) return 0.9;
    return 0;
  },
  parse(input) {
    const file = input.fileName;
    const doc = input.json();
    let items: unknown[];
    let base: (string | number)[];
    if (Array.isArray(doc)) [items, base] = [doc, []];
    else if (isObject(doc) && Array.isArray(doc['value'])) [items, base] = [doc['value'], ['value']];
    else if (isObject(doc) && typeof doc['id'] === 'string') [items, base] = [[doc], []];
    else throw new ImportError(file, 'expected an Azure resource, a JSON array of them or {"value": […]}', '$');

    const fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
    let others = 0;
    const principals = new Set<string>();
    items.forEach((item, i) => {
      const at = Array.isArray(doc) || base.length ? jsonPath(...base, i) : '$';
      if (!isObject(item)) throw new ImportError(file, 'expected an Azure resource object', at);
      const resourceId = str(item['id']);
      if (!resourceId) throw new ImportError(file, 'an Azure resource needs its resource "id"', `${at}.id`);
      // az resource list and ARM listings of a resource group mix types: only identities and vaults are read here.
      const type = (str(item['type']) ?? resourceTypeOf(resourceId))?.toLowerCase();
      if (type === VAULT_TYPE) fragment.nodes.push(vaultNode(file, item, resourceId, at, principals));
      else if (type === IDENTITY_TYPE) identity(file, item, resourceId, at, fragment);
      else others++;
    });
    if (others) fragment.warnings.push({ message: `${others} resource(s) that are neither managed identities nor key vaults skipped` });
    if (principals.size) fragment.warnings.push({ message: `${principals.size} access-policy principal(s) named by object id: their access applies once a file that describes them (az ad sp list, az role assignment list, AzureHound) is in the case` });
    return fragment;
  },
};

function vaultNode(file: string, v: Record<string, unknown>, resourceId: string, at: string, principals: Set<string>): NodeFact {
  const key = resourceId.replace(/\/+$/, '').toLowerCase();
  const sub = subscriptionOf(key);
  const p = isObject(v['properties']) ? v['properties'] : {};
  const name = str(v['name']) ?? key.split('/').pop()!;
  const props: JsonObject = { scope: resourceId, scopeKind: scopeKind(key), resourceType: VAULT_TYPE, name, at };
  if (str(v['location'])) props['location'] = str(v['location'])!;
  const tenant = str(p['tenantId'])?.toLowerCase();
  if (tenant) props['tenantId'] = tenant;
  if (isObject(v['tags'])) props['tags'] = v['tags'] as JsonObject;
  if (typeof p['enableRbacAuthorization'] === 'boolean') props['enableRbacAuthorization'] = p['enableRbacAuthorization'];
  if (str(p['vaultUri'])) props['vaultUri'] = str(p['vaultUri'])!;
  const policies = p['accessPolicies'];
  if (policies !== undefined && policies !== null && !Array.isArray(policies)) throw new ImportError(file, 'expected "accessPolicies" to be an array', `${at}.properties.accessPolicies`);
  const list: Json[] = [];
  (policies ?? []).forEach((raw: unknown, j: number) => {
    const pat = `${at}.properties.accessPolicies[${j}]`;
    if (!isObject(raw)) throw new ImportError(file, 'expected an access policy object', pat);
    const objectId = str(raw['objectId'])?.toLowerCase();
    if (!objectId) throw new ImportError(file, 'an access policy needs its principal\'s "objectId"', `${pat}.objectId`);
    const perms = isObject(raw['permissions']) ? raw['permissions'] : {};
    const entry: JsonObject = { objectId, permissions: { keys: strings(perms['keys']), secrets: strings(perms['secrets']), certificates: strings(perms['certificates']), storage: strings(perms['storage']) }, at: `${file} ${pat}` };
    const applicationId = str(raw['applicationId'])?.toLowerCase();
    if (applicationId) entry['applicationId'] = applicationId;
    const policyTenant = str(raw['tenantId'])?.toLowerCase();
    if (policyTenant) entry['tenantId'] = policyTenant;
    list.push(entry);
    principals.add(objectId);
  });
  // `az keyvault list` prints no properties: the vault is known, its policies are not (none is claimed).
  if (Array.isArray(policies)) props['accessPolicies'] = list;
  return { id: ids.azureResource(key), kind: 'azure_resource', name: `${name} (KeyVault)`, handles: unique([resourceId, name]), props, ...(sub ? { boundary: ids.azureSubscription(sub) } : {}) };
}

/** A user-assigned identity: az flattens its properties (principalId, clientId, tenantId); ARM nests them. */
function identity(file: string, v: Record<string, unknown>, resourceId: string, at: string, fragment: GraphFragment): void {
  const nested = isObject(v['properties']);
  const p = nested ? (v['properties'] as Record<string, unknown>) : v;
  const pat = (k: string) => `${at}${nested ? '.properties' : ''}.${k}`;
  const principalId = str(p['principalId'])?.toLowerCase();
  if (!principalId) throw new ImportError(file, 'a user-assigned identity needs its "principalId"', pat('principalId'));
  const clientId = str(p['clientId'])?.toLowerCase();
  const tenant = str(p['tenantId'])?.toLowerCase();
  const key = resourceId.replace(/\/+$/, '').toLowerCase();
  const name = str(v['name']) ?? key.split('/').pop()!;
  const id = ids.azureObject(principalId);
  const props: JsonObject = { objectId: principalId, servicePrincipalType: 'ManagedIdentity', resourceId, at };
  if (clientId) props['appId'] = clientId;
  if (tenant) props['tenantId'] = tenant;
  if (str(v['location'])) props['location'] = str(v['location'])!;
  if (isObject(v['tags'])) props['tags'] = v['tags'] as JsonObject;
  fragment.nodes.push({ id, kind: 'azure_managed_identity', name, handles: unique([principalId, clientId, resourceId, name]), props });
  (fragment.aliases ??= []).push({ from: ids.azureResource(key), to: id });
  if (clientId) fragment.aliases.push({ from: ids.azureClientId(clientId), to: id });
}
