import { isObject } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import type { NodeKind } from '../model/kinds.js';
import { ActivityFolder, type ObservedEvent } from './activity.js';
import { azureRecords, azureTime, field, MALFORMED, objectId, text } from './azure-log-records.js';
import type { Importer } from './types.js';

// Microsoft Entra sign-in logs, in the shapes responders hold:
//  - Microsoft Graph GET /auditLogs/signIns (v1.0, or beta with signInEventTypes: interactiveUser,
//    nonInteractiveUser, servicePrincipal, managedIdentity), a {"value": […]} page or an array (az rest, scripts);
//  - a diagnostic setting's export (categories SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs,
//    ManagedIdentitySignInLogs): {time, category, tenantId, properties: {…the Graph fields…}}, JSON-lines or {"records"};
//  - the Log Analytics tables (SigninLogs, AADServicePrincipalSignInLogs, AADManagedIdentitySignInLogs…) exported as
//    JSON: the same fields PascalCased (ServicePrincipalId, IPAddress, ResultType, ResourceIdentity).
// Facts: the principal (user, service principal, managed identity, by object id) → the Microsoft API it signed in to
// (the resource's service principal: Microsoft Graph, Azure Resource Manager…), and for a workload sign-in with a
// client secret, certificate or federated credential the credential → the principal, so a leaked secret used after
// the leak shows as CloudTrail's access keys do. A failed sign-in proves the attempt (the credential edge counts it
// as failed), not access. No secret value is ever in these logs or kept.

export const entraSignInLog: Importer = {
  format: 'entra-sign-in-log',
  title: 'Microsoft Entra sign-in logs (Graph auditLogs/signIns, diagnostic-settings export, Log Analytics)',
  provider: 'azure',
  producedBy: 'Graph GET /auditLogs/signIns (v1.0 or beta), the SignInLogs / ServicePrincipalSignInLogs / ManagedIdentitySignInLogs categories of a diagnostic setting, Log Analytics SigninLogs / AADServicePrincipalSignInLogs exports',
  emits: ['OBSERVED_USE'],
  readsCase: true,
  jsonLines: true,
  detect(probe) {
    if (!probe.looksJson) return 0;
    const h = probe.head;
    if (/"@odata\.context"\s*:\s*"[^"]*\$metadata#auditLogs\/signIns/i.test(h)) return 0.97;
    if (/"category"\s*:\s*"(SignInLogs|NonInteractiveUserSignInLogs|ServicePrincipalSignInLogs|ManagedIdentitySignInLogs)"/i.test(h)) return 0.97;
    if (/"Type"\s*:\s*"(SigninLogs|AADNonInteractiveUserSignInLogs|AADServicePrincipalSignInLogs|AADManagedIdentitySignInLogs)"/.test(h)) return 0.97;
    // A Graph page without its context: sign-in fields no directory object has (applications also carry appId and
    // createdDateTime).
    if (/"createdDateTime"\s*:/i.test(h) && /"appId"\s*:/i.test(h) && /"(resourceDisplayName|conditionalAccessStatus|signInEventTypes|servicePrincipalCredentialKeyId)"\s*:/i.test(h)) return 0.9;
    return 0;
  },
  async *parse(input, ctx) {
    const folder = new ActivityFolder(input.fileName);
    const byAppId = ctx.known?.azureServicePrincipalsByAppId();
    const aliases = new Map<string, string>();
    let records = 0;
    for await (const { value, at } of azureRecords(input, 'Entra sign-in records')) {
      records++;
      readSignIn(folder, value, at, byAppId, aliases);
    }
    if (records === 0) folder.warnings.push({ message: 'the file holds no sign-in record' });
    const fragment = folder.fragment();
    if (aliases.size) fragment.aliases = [...aliases].map(([from, to]) => ({ from, to }));
    yield fragment;
  },
};

/** Client ids of Microsoft's first-party APIs (the same in every tenant). */
const MICROSOFT_APIS = new Set([
  '00000003-0000-0000-c000-000000000000', // Microsoft Graph
  '00000002-0000-0000-c000-000000000000', // Azure AD Graph
  '797f4846-ba00-4fd7-ba43-dac1f8f63013', // Azure Resource Manager (Windows Azure Service Management API)
  'cfa8b339-82a2-471a-a3c9-0fc0be7a4093', // Azure Key Vault
  'e406a681-f3d4-42a8-90b6-c2b029497af1', // Azure Storage
  '022907d3-0f1b-48f7-badc-1ba6abab6d66', // Azure SQL Database
  '00000002-0000-0ff1-ce00-000000000000', // Office 365 Exchange Online
  '00000003-0000-0ff1-ce00-000000000000', // Office 365 SharePoint Online
  '499b84ac-1321-427f-aa17-267ca6975798', // Azure DevOps
]);
/** The tenants Microsoft's first-party applications are registered in. */
const MICROSOFT_TENANTS = new Set(['f8cdef31-a31e-4b4a-93e4-5f571e91255a', '72f988bf-86f1-41af-91ab-2d7cd011db47']);

const SIGN_IN_CATEGORY = /^(SignInLogs|NonInteractiveUserSignInLogs|ServicePrincipalSignInLogs|ManagedIdentitySignInLogs)$/i;

function readSignIn(folder: ActivityFolder, raw: unknown, at: string, byAppId: ReadonlyMap<string, string> | undefined, aliases: Map<string, string>): void {
  if (raw === MALFORMED) return folder.skip('not valid JSON', at);
  if (!isObject(raw)) return folder.skip('not a JSON object', at);
  // The diagnostic export wraps the Graph record in properties, beside its category and tenant.
  const category = text(raw, 'category', 'Type') ?? '';
  const wrapped = isObject(raw['properties']) && (SIGN_IN_CATEGORY.test(category) || 'operationName' in raw);
  const r = wrapped ? (raw['properties'] as Record<string, unknown>) : raw;
  if (wrapped && category && !SIGN_IN_CATEGORY.test(category)) return folder.skip(`not a sign-in record (category ${JSON.stringify(category)})`, at);
  const time = azureTime(field(r, 'createdDateTime')) ?? azureTime(field(raw, 'time', 'TimeGenerated'));
  if (!time) return folder.skip('missing createdDateTime', at);

  const types = signInTypes(r, category);
  const spId = objectId(text(r, 'servicePrincipalId'));
  const userId = objectId(text(r, 'userId'));
  const appId = text(r, 'appId')?.toLowerCase();
  const workload = types.has('servicePrincipal') || types.has('managedIdentity') || (!userId && (spId !== undefined || appId !== undefined));
  let principalId: string | undefined;
  let kind: NodeKind;
  if (workload) {
    principalId = spId ? ids.azureObject(spId) : appId ? byAppId?.get(appId) : undefined;
    kind = types.has('managedIdentity') || (text(r, 'managedIdentityType') ?? 'none').toLowerCase() !== 'none' ? 'azure_managed_identity' : 'azure_service_principal';
  } else {
    principalId = userId ? ids.azureObject(userId) : undefined;
    kind = 'azure_user';
  }
  if (!principalId) return folder.skip(workload ? 'a workload sign-in that names no service principal id, and whose client id is no service principal of the case' : 'a user sign-in without the user\'s object id', at);
  const name = (workload ? text(r, 'servicePrincipalName', 'appDisplayName') : text(r, 'userPrincipalName', 'userDisplayName')) ?? principalId.replace(/^azure:object:/, '');
  const tenant = objectId(text(raw, 'AADTenantId') ?? (wrapped ? text(raw, 'tenantId') : undefined) ?? text(r, 'homeTenantId'));
  const boundary = tenant ? { boundary: ids.azureTenant(tenant) } : {};
  const handles = [principalId.replace(/^azure:object:/, ''), ...(name !== principalId ? [name] : []), ...(workload && appId ? [appId] : [])];
  folder.nodeOnce(principalId, () => ({ id: principalId, kind, name, handles, stub: true, ...boundary }));

  const errorCode = statusCode(r);
  const failed = errorCode !== undefined && errorCode !== '0';
  const credentialType = text(r, 'clientCredentialType');
  const event: ObservedEvent = {
    time,
    action: `sign-in${credentialType && credentialType !== 'none' ? ` (${credentialType})` : ''}`,
    ip: text(r, 'ipAddress'),
    userAgent: text(r, 'userAgent'),
    failed,
    at,
    eventId: text(r, 'id', 'originalRequestId'),
    by: name,
  };

  // The credential the workload signed in with: a secret or certificate by its key id, a federated credential by its id.
  const keyId = objectId(text(r, 'servicePrincipalCredentialKeyId'));
  const ficId = objectId(text(r, 'federatedCredentialId'));
  if (workload && (keyId || ficId)) {
    const credId = ids.azureCredential((keyId ?? ficId)!);
    const credKind: NodeKind = ficId && !keyId ? 'azure_federated_credential' : isCertificate(r, credentialType) ? 'azure_certificate' : 'azure_client_secret';
    const label = credKind === 'azure_federated_credential' ? 'federated credential' : credKind === 'azure_certificate' ? 'certificate' : 'client secret';
    folder.nodeOnce(credId, () => ({ id: credId, kind: credKind, name: `${label} ${keyId ?? ficId} (${name})`, handles: [(keyId ?? ficId)!], stub: true, ...boundary, props: { managedBy: 'user', ownerId: principalId } }));
    folder.observe(credId, principalId, event, `the ${label} was used to sign in as this ${kind === 'azure_managed_identity' ? 'managed identity' : 'service principal'}`, label);
  }
  // A failed sign-in got no token: it reached nothing.
  if (failed) return folder.skip(`the sign-in failed (error ${errorCode}): no resource reached`, at);
  const resourceSp = objectId(text(r, 'resourceServicePrincipalId'));
  const resourceAppId = text(r, 'resourceId', 'ResourceIdentity')?.toLowerCase();
  // OBSERVED_USE is walked by attack paths, and signing in to an application is not acting as it: the tenant's own
  // applications (whose service principals may hold roles) are not a step; Microsoft's APIs (Graph, Resource
  // Manager, Key Vault, Storage…) hold nothing in the tenant, and reaching them is what the sign-in was for.
  const ownerTenant = text(r, 'resourceOwnerTenantId')?.toLowerCase();
  if (!(resourceAppId && MICROSOFT_APIS.has(resourceAppId)) && !(ownerTenant && MICROSOFT_TENANTS.has(ownerTenant))) {
    return folder.skip('signed in to an application that is not a Microsoft API: who signed in is recorded, not as a step into the application\'s identity', at);
  }
  const clientId = resourceAppId && objectId(resourceAppId);
  // Most sign-ins name the API by its client id only (resourceServicePrincipalId is recent): its service principal
  // differs per tenant, so the client id stands for it (azure:appid:…), which the Entra exports alias to the
  // tenant's service principal; a record naming both says the same.
  if (resourceSp && clientId) aliases.set(ids.azureClientId(clientId), ids.azureObject(resourceSp));
  const resourceId = resourceSp ? ids.azureObject(resourceSp) : clientId ? (byAppId?.get(clientId) ?? ids.azureClientId(clientId)) : undefined;
  if (!resourceId) return folder.skip('the sign-in names no resource: who signed in is recorded, not to what', at);
  if (resourceId === principalId) return;
  const resourceName = text(r, 'resourceDisplayName') ?? clientId ?? resourceId;
  folder.nodeOnce(resourceId, () => ({ id: resourceId, kind: 'azure_service_principal', name: resourceName, handles: [...(resourceSp ? [resourceSp] : []), ...(clientId ? [clientId] : [])], stub: true, ...(clientId ? { props: { appId: clientId } } : {}) }));
  folder.observe(principalId, resourceId, event, `signed in to ${resourceName}`, 'Entra sign-in');
}

/** signInEventTypes (beta), or what the export's category or table says. */
function signInTypes(r: Record<string, unknown>, category: string): Set<string> {
  const out = new Set<string>();
  const list = field(r, 'signInEventTypes');
  if (Array.isArray(list)) for (const t of list) if (typeof t === 'string') out.add(t);
  if (/ServicePrincipalSignInLogs$/i.test(category)) out.add('servicePrincipal');
  if (/ManagedIdentitySignInLogs$/i.test(category)) out.add('managedIdentity');
  return out;
}

/** The sign-in's error code as text ("0" is success): status.errorCode, or a Log Analytics ResultType. */
function statusCode(r: Record<string, unknown>): string | undefined {
  const status = field(r, 'status');
  if (isObject(status)) {
    const code = status['errorCode'];
    if (typeof code === 'number' || typeof code === 'string') return String(code).trim();
  }
  return text(r, 'ResultType');
}

function isCertificate(r: Record<string, unknown>, credentialType: string | undefined): boolean {
  if (credentialType === 'certificate' || credentialType === 'clientAssertion') return true;
  if (credentialType === 'clientSecret') return false;
  return text(r, 'servicePrincipalCredentialThumbprint') !== undefined;
}
