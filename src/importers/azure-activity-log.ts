import { isObject } from '../model/fragment.js';
import type { NodeFact } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import type { NodeKind } from '../model/kinds.js';
import { scopeKind, subscriptionOf } from '../providers/azure/rbac.js';
import { ActivityFolder, type ObservedEvent } from './activity.js';
import { azureRecords, azureTime, field, MALFORMED, objectField, objectId, text, valueOf } from './azure-log-records.js';
import type { Importer } from './types.js';

// The Azure Activity Log (the control plane: every ARM write, delete and action), in the shapes responders hold:
//  - `az monitor activity-log list` / the REST API / the portal's JSON view: {eventTimestamp, caller, claims,
//    authorization: {action, scope}, operationName: {value}, status: {value}, resourceId, httpRequest: {clientIpAddress}},
//    as an array or a {"value": […]} page;
//  - a diagnostic setting's export (storage container insights-activity-logs, JSON-lines since Nov 2018; Event Hubs
//    and older blobs {"records": […]}): {time, resourceId, operationName, resultType, callerIpAddress,
//    identity: {authorization, claims}};
//  - the Log Analytics AzureActivity table exported as JSON: {TimeGenerated, Caller, CallerIpAddress, Claims (text),
//    Authorization (text), OperationNameValue, ActivityStatusValue, _ResourceId}.
// Facts: the caller (by the object id its token names) → the resource the operation named (OBSERVED_USE), for an
// operation that succeeded. A failed one proves who authenticated, not what was reached; a start record (Started,
// BeginRequest) is the same operation as its end record and is counted as skipped, not as a second use.

export const azureActivityLog: Importer = {
  format: 'azure-activity-log',
  title: 'Azure Activity Log (az monitor activity-log list, diagnostic-settings export, AzureActivity table)',
  provider: 'azure',
  producedBy: 'az monitor activity-log list, the insights-activity-logs storage container or Event Hubs of a diagnostic setting, a Log Analytics AzureActivity export',
  emits: ['OBSERVED_USE'],
  readsCase: true,
  jsonLines: true,
  detect(probe) {
    if (!probe.looksJson) return 0;
    const h = probe.head;
    // Above azure-rbac's 0.95: a role-assignment write carries roleDefinitionId, principalId and scope in its evidence.
    // Any casing: Get-AzActivityLog | ConvertTo-Json writes EventTimestamp, OperationName, Caller.
    if (/"eventTimestamp"\s*:/i.test(h) && /"operationName"\s*:/i.test(h) && /"(eventDataId|caller|authorization)"\s*:/i.test(h)) return 0.97;
    if (/"operationName"\s*:/.test(h) && /"resultType"\s*:/.test(h) && /"resourceId"\s*:\s*"\/subscriptions\//i.test(h) && /"category"\s*:\s*"(Administrative|Write|Delete|Action|Policy|Security)"/.test(h)) return 0.97;
    if (/"OperationNameValue"\s*:/.test(h) && /"(ActivityStatusValue|ActivityStatus|CallerIpAddress|Caller)"\s*:/.test(h)) return 0.97;
    return 0;
  },
  async *parse(input, ctx) {
    const folder = new ActivityFolder(input.fileName);
    const users = ctx.known?.azureUsersByUpn();
    const identities = ctx.known?.azureManagedIdentitiesByPath();
    let records = 0;
    for await (const { value, at } of azureRecords(input, 'Azure Activity Log events')) {
      records++;
      readEvent(folder, value, at, users, identities);
    }
    if (records === 0) folder.warnings.push({ message: 'the file holds no Activity Log event' });
    yield folder.fragment();
  },
};

const OBJECT_ID_CLAIM = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
const TENANT_CLAIM = 'http://schemas.microsoft.com/identity/claims/tenantid';
const UPN_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn';

const SUCCEEDED = new Set(['succeeded', 'success', 'accepted']);
const FAILED = new Set(['failed', 'failure', 'canceled', 'cancelled']);

function readEvent(folder: ActivityFolder, raw: unknown, at: string, users: ReadonlyMap<string, string> | undefined, identities: ReadonlyMap<string, string> | undefined): void {
  if (raw === MALFORMED) return folder.skip('not valid JSON', at);
  if (!isObject(raw)) return folder.skip('not a JSON object', at);
  const identity = objectField(raw, 'identity');
  const claims = content(objectField(raw, 'claims', 'Claims_d') ?? (identity && objectField(identity, 'claims'))) ?? {};
  const authorization = objectField(raw, 'authorization', 'Authorization_d') ?? (identity && objectField(identity, 'authorization')) ?? {};
  const time = azureTime(field(raw, 'eventTimestamp', 'time', 'TimeGenerated'));
  // The authorization action keeps the provider's casing; the diagnostic export upper-cases operationName.
  const action = text(authorization, 'action') ?? valueOf(field(raw, 'operationName', 'OperationNameValue'));
  if (!time || !action) return folder.skip('missing the time or the operation name', at);
  const status = (valueOf(field(raw, 'status', 'resultType', 'ActivityStatusValue', 'ActivityStatus')) ?? '').toLowerCase();
  const failed = FAILED.has(status);
  if (!failed && !SUCCEEDED.has(status)) return folder.skip(`not an outcome (status ${JSON.stringify(status || 'none')}): the operation's end record says whether it happened`, at);

  const caller = text(raw, 'caller');
  const evidence = isObject(authorization['evidence']) ? authorization['evidence'] : {};
  // The caller field holds a service principal's object id when there is no UPN. The evidence's principalId is the
  // role assignment that allowed the call, which may be a group's: never the caller.
  // A Log Analytics export often leaves the Claims column out: a user is then named by the UPN in Caller, which the
  // case's Entra users resolve.
  const known = caller?.includes('@') ? users?.get(caller.toLowerCase())?.replace(/^azure:object:/, '') : undefined;
  const oid = objectId(text(claims, OBJECT_ID_CLAIM, 'oid')) ?? objectId(caller) ?? objectId(known);
  if (!oid) return folder.skip(caller || Object.keys(claims).length ? 'the caller is named but no object id is (no valid objectidentifier claim, no user of the case by that name): a platform or Azure service event, or claims left out of the export' : 'no caller (a platform event: health, alert, autoscale, recommendation)', at);
  const principal = principalNode(oid, claims, evidence, caller, text(claims, TENANT_CLAIM, 'tid') ?? (field(raw, 'TimeGenerated') === undefined ? text(raw, 'tenantId') : undefined));
  folder.nodeOnce(principal.id, () => principal);
  const event: ObservedEvent = {
    time,
    action,
    ip: text(objectField(raw, 'httpRequest') ?? {}, 'clientIpAddress') ?? text(raw, 'callerIpAddress'),
    failed,
    at,
    eventId: text(raw, 'eventDataId', 'correlationId'),
    by: principal.name,
  };
  const scope = text(raw, 'resourceId', '_ResourceId') ?? text(authorization, 'scope');
  // A denied or failed call shows who tried (the principal is kept), not what was reached.
  if (failed) return folder.skip('the operation failed or was denied: no resource reached', at);
  if (!scope || !scope.startsWith('/')) return folder.skip('the event names no ARM resource', at);
  const lowerAction = action.toLowerCase();
  if (lowerAction === FIC_WRITE) {
    // A federated credential written on a user-assigned identity signs its issuer's tokens in as the identity: the
    // caller took the identity over. Its node is the case's managed identity of that ARM id (Graph's alternativeNames,
    // AzureHound's handles); unknown, the edge stays on the ARM resource the record names.
    const identity = USER_ASSIGNED.exec(scope)?.[1]?.toLowerCase();
    const mi = identity ? identities?.get(identity) : undefined;
    if (mi) {
      if (mi === principal.id) return;
      folder.nodeOnce(mi, () => ({ id: mi, kind: 'azure_managed_identity', name: identity!.split('/').pop()!, handles: [identity!], stub: true }));
      return folder.observe(principal.id, mi, event, 'wrote a federated credential of this user-assigned identity (tokens of its issuer and subject sign in as it)', action);
    }
    folder.note('a federated credential written on a user-assigned identity the case does not hold (import an Entra or AzureHound export first): drawn to the ARM resource only, not to the identity', at);
  } else if (lowerAction === ROLE_ASSIGNMENT_WRITE) {
    // Only a grant to the caller itself hands the caller the scope's rights; a grant to anyone else stays a use of the
    // role assignment resource, as any ARM write is.
    const grant = grantOf(raw);
    if (grant && grant.principal === oid) {
      const granted = resourceNode(grant.scope ?? scope.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+\/?$/i, ''));
      folder.nodeOnce(granted.id, () => granted);
      return folder.observe(principal.id, granted.id, event, `granted itself a role on this scope${grant.role ? ` (role definition ${grant.role})` : ''}`, action);
    }
  }
  const target = resourceNode(scope);
  if (target.id === principal.id) return;
  folder.nodeOnce(target.id, () => target);
  folder.observe(principal.id, target.id, event, 'called Azure Resource Manager on it', action);
}

const FIC_WRITE = 'microsoft.managedidentity/userassignedidentities/federatedidentitycredentials/write';
const ROLE_ASSIGNMENT_WRITE = 'microsoft.authorization/roleassignments/write';
const USER_ASSIGNED = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.managedidentity\/userassignedidentities\/[^/]+)\/federatedidentitycredentials\/[^/]+\/?$/i;

/**
 * The principal and scope a role-assignment write granted, from the request body (PascalCase, as ARM logs it) or the
 * response body (camelCase), in the record's properties (a JSON string; Log Analytics: the Properties column).
 */
function grantOf(raw: Record<string, unknown>): { principal: string; scope: string | undefined; role: string | undefined } | undefined {
  const props = content(objectField(raw, 'properties', 'Properties_d', 'Properties'));
  if (!props) return undefined;
  for (const body of [objectField(props, 'requestbody', 'requestBody'), objectField(props, 'responseBody', 'responsebody')]) {
    const p = body && objectField(body, 'properties', 'Properties');
    const principal = p && objectId(text(p, 'principalId', 'PrincipalId'));
    if (p && principal) return { principal, scope: text(p, 'scope', 'Scope'), role: text(p, 'roleDefinitionId', 'RoleDefinitionId')?.split('/').pop() };
  }
  return undefined;
}

/** Azure PowerShell wraps the claims and properties dictionaries as {Content: {…}}: the dictionary itself. */
function content(o: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const keys = o ? Object.keys(o) : [];
  return o && keys.length === 1 && keys[0]!.toLowerCase() === 'content' ? (objectField(o, 'content') ?? o) : o;
}

/** The caller: a user, a service principal or a managed identity, by what its token says. */
function principalNode(oid: string, claims: Record<string, unknown>, evidence: Record<string, unknown>, caller: string | undefined, tenant: string | undefined): NodeFact {
  const idtyp = text(claims, 'idtyp')?.toLowerCase();
  const upn = text(claims, UPN_CLAIM, 'upn', 'unique_name');
  const principalType = text(evidence, 'principalType')?.toLowerCase();
  let kind: NodeKind;
  // A managed identity's token names its ARM resource (xms_mirid); an app token says idtyp=app; a user has a UPN.
  if (text(claims, 'xms_mirid')) kind = 'azure_managed_identity';
  else if (idtyp === 'user' || upn || principalType === 'user' || caller?.includes('@')) kind = 'azure_user';
  else kind = 'azure_service_principal';
  const name = upn ?? (caller && caller.toLowerCase() !== oid ? caller : undefined) ?? oid;
  const appId = text(claims, 'appid', 'azp');
  const handles = [oid, ...(name !== oid ? [name] : []), ...(kind !== 'azure_user' && appId ? [appId.toLowerCase()] : [])];
  return { id: ids.azureObject(oid), kind, name, handles, stub: true, ...(tenant && objectId(tenant) ? { boundary: ids.azureTenant(tenant) } : {}) };
}

function resourceNode(scope: string): NodeFact {
  const s = scope.replace(/\/+$/, '');
  const kind = scopeKind(s);
  const sub = subscriptionOf(s);
  if (kind === 'subscription' && sub) return { id: ids.azureSubscription(sub), kind: 'azure_subscription', name: `subscription ${sub}`, handles: [sub, s], props: { subscriptionId: sub }, stub: true };
  const name = s.split('/').pop() || s;
  return { id: ids.azureResource(s), kind: 'azure_resource', name, handles: [s], props: { scope: s, scopeKind: kind }, stub: true, ...(sub ? { boundary: ids.azureSubscription(sub) } : {}) };
}
