import { isObject } from '../model/fragment.js';
import type { NodeFact } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import type { NodeKind } from '../model/kinds.js';
import { ActivityFolder, type ObservedEvent } from './activity.js';
import { azureRecords, azureTime, field, MALFORMED, objectField, objectId, text } from './azure-log-records.js';
import { parseEmbeddedJson } from './json-syntax.js';
import type { Importer } from './types.js';

// Microsoft Entra audit logs (the directory's own changes), in the shapes responders hold:
//  - Microsoft Graph GET /auditLogs/directoryAudits, a {"value": […]} page or an array (az rest, scripts): directoryAudit
//    records {activityDateTime, activityDisplayName, category, result, initiatedBy: {user | app}, targetResources: [{id,
//    type, displayName, userPrincipalName, modifiedProperties: [{displayName, oldValue, newValue}]}]};
//  - a diagnostic setting's export (category AuditLogs): {time, category, tenantId, operationName, properties: {…the
//    Graph fields…}}, JSON-lines or {"records": […]};
//  - the Log Analytics AuditLogs table exported as JSON: the same fields PascalCased (ActivityDisplayName, Result,
//    InitiatedBy, TargetResources, AADTenantId), the dynamic columns as objects or as JSON text.
// Facts, only for what handed the initiator an identity or its rights (OBSERVED_USE is walked by attack paths, so
// nothing is drawn that a path could continue from with rights the initiator did not get), as CloudTrail's takeovers:
//  - a credential added to an application or service principal: the initiator → that object, and the new key (its
//    KeyIdentifier, the keyId Graph and the sign-in logs give it) AUTHENTICATES_AS the object;
//  - a federated credential added to an application ("Update application", property FederatedIdentityCredentials):
//    the initiator → the application (whoever may write its federated credentials may add a secret too);
//  - the initiator made itself an owner of an application, a service principal or a group: the initiator → that object
//    (a group's owner adds members, itself included);
//  - the initiator added itself to a directory role, a group, or gave itself an app role: the initiator → the role,
//    the group, or the resource service principal whose app role it got.
// Granting any of these to someone else is counted, not drawn: the initiator did not get it. A failed operation
// changed nothing. No credential value is kept: only key ids are read from a record (the "Credential" property of
// "Add service principal" may hold key material and is never read).

export const entraAuditLog: Importer = {
  format: 'entra-audit-log',
  title: 'Microsoft Entra audit logs (Graph auditLogs/directoryAudits, diagnostic-settings export, Log Analytics AuditLogs)',
  provider: 'azure',
  producedBy: 'Graph GET /auditLogs/directoryAudits, the AuditLogs category of a diagnostic setting, a Log Analytics AuditLogs export',
  emits: ['OBSERVED_USE', 'AUTHENTICATES_AS'],
  readsCase: true,
  jsonLines: true,
  detect(probe) {
    if (!probe.looksJson) return 0;
    const h = probe.head;
    if (/"@odata\.context"\s*:\s*"[^"]*\$metadata#auditLogs\/directoryAudits/i.test(h)) return 0.97;
    // A sign-in export may carry an AuditLogs line among its sign-ins (one diagnostic setting, several categories).
    if (/"category"\s*:\s*"AuditLogs"/i.test(h) && !/"category"\s*:\s*"[A-Za-z]*SignInLogs"/i.test(h)) return 0.97;
    if (/"Type"\s*:\s*"AuditLogs"/.test(h)) return 0.97;
    // A page without its context: fields only a directoryAudit has.
    if (/"activityDisplayName"\s*:/i.test(h) && /"(initiatedBy|targetResources)"\s*:/i.test(h)) return 0.95;
    return 0;
  },
  async *parse(input, ctx) {
    const folder = new ActivityFolder(input.fileName);
    const byAppId = ctx.known?.azureServicePrincipalsByAppId();
    let records = 0;
    for await (const { value, at } of azureRecords(input, 'Entra audit records')) {
      records++;
      readAudit(folder, value, at, byAppId);
    }
    if (records === 0) folder.warnings.push({ message: 'the file holds no audit record' });
    yield folder.fragment();
  },
};

interface Target {
  id: string;
  type: string;
  name: string | undefined;
  upn: string | undefined;
  modified: { name: string; oldValue: string; newValue: string }[];
}

function readAudit(folder: ActivityFolder, raw: unknown, at: string, byAppId: ReadonlyMap<string, string> | undefined): void {
  if (raw === MALFORMED) return folder.skip('not valid JSON', at);
  if (!isObject(raw)) return folder.skip('not a JSON object', at);
  const category = text(raw, 'category') ?? '';
  const wrapped = isObject(raw['properties']) && (/^AuditLogs$/i.test(category) || 'operationName' in raw);
  if (isObject(raw['properties']) && 'operationName' in raw && category && !/^AuditLogs$/i.test(category)) return folder.skip(`not an audit record (category ${JSON.stringify(category)})`, at);
  const r = wrapped ? (raw['properties'] as Record<string, unknown>) : raw;
  const time = azureTime(field(r, 'activityDateTime')) ?? azureTime(field(raw, 'time', 'TimeGenerated'));
  const activity = text(r, 'activityDisplayName') ?? text(raw, 'operationName', 'OperationName');
  if (!time || !activity) return folder.skip('missing activityDateTime or activityDisplayName', at);

  const initiatedBy = objectField(r, 'initiatedBy') ?? {};
  const initiator = initiatorNode(initiatedBy, byAppId, objectId(text(raw, 'AADTenantId') ?? (wrapped ? text(raw, 'tenantId') : undefined)));
  if (!initiator) return folder.skip('no initiator the case can name (no user object id, no service principal id, no client id of a service principal of the case)', at);
  const user = objectField(initiatedBy, 'user');
  const event: ObservedEvent = {
    time,
    action: activity,
    ip: (user && text(user, 'ipAddress')) ?? text(raw, 'callerIpAddress'),
    failed: false,
    at,
    eventId: text(r, 'id'),
    by: initiator.name,
  };
  const result = (text(r, 'result', 'Result') ?? '').toLowerCase();
  if (result && result !== 'success') return folder.skip(`the operation did not succeed (result ${JSON.stringify(result)}): nothing changed`, at);
  const targets = targetsOf(r);
  if (!targets) return folder.skip('targetResources is not a list', at);
  const tenant = objectId(text(raw, 'AADTenantId') ?? (wrapped ? text(raw, 'tenantId') : undefined));

  const act = activity.toLowerCase();
  const credential = targets.find((t) => t.modified.some((m) => /^KeyDescription$/i.test(m.name)));
  if (credential) return credentialAdded(folder, initiator, credential, event, initiatedBy, at, tenant);
  const federated = targets.find((t) => t.modified.some((m) => /^FederatedIdentityCredentials$/i.test(m.name)));
  if (federated) return federatedCredentialAdded(folder, initiator, federated, event, at, tenant);
  if (act === 'add owner to group') return groupJoined(folder, initiator, targets, event, at, tenant, 'owner');
  if (/^add owner to (application|service principal)$/.test(act)) return ownerAdded(folder, initiator, targets, event, at, act.endsWith('application') ? 'azure_application' : 'azure_service_principal');
  if (act === 'add member to group') return groupJoined(folder, initiator, targets, event, at, tenant, 'member');
  // Core Directory's own record, and PIM's: an activation, an active assignment made in PIM or past it.
  if (/^add member to role( completed \(pim activation\)| in pim completed \((permanent|timebound)\)| outside of pim \(permanent\))?$/.test(act)) return roleAdded(folder, initiator, targets, event, at, tenant);
  if (act === 'add app role assignment to service principal') return appRoleAdded(folder, initiator, targets, event, at, byAppId);
  folder.skip('an activity that hands the initiator no identity (not a credential, ownership, role, group or app role it gave itself)', at);
}

/** The initiator: a user by its object id, an application by its service principal (or by a client id the case knows). */
function initiatorNode(by: Record<string, unknown>, byAppId: ReadonlyMap<string, string> | undefined, tenant: string | undefined): NodeFact | undefined {
  const boundary = tenant ? { boundary: ids.azureTenant(tenant) } : {};
  const user = objectField(by, 'user');
  const userId = user && objectId(text(user, 'id'));
  if (user && userId && userId !== '00000000-0000-0000-0000-000000000000') {
    const name = text(user, 'userPrincipalName', 'displayName') ?? userId;
    return { id: ids.azureObject(userId), kind: 'azure_user', name, handles: [userId, ...(name !== userId ? [name] : [])], stub: true, ...boundary };
  }
  const app = objectField(by, 'app');
  if (!app) return undefined;
  const spId = objectId(text(app, 'servicePrincipalId'));
  const appId = objectId(text(app, 'appId'));
  const id = spId ? ids.azureObject(spId) : appId ? byAppId?.get(appId) : undefined;
  if (!id) return undefined;
  const name = text(app, 'displayName', 'servicePrincipalName') ?? spId ?? appId!;
  return { id, kind: 'azure_service_principal', name, handles: [...(spId ? [spId] : []), ...(appId ? [appId] : []), name], stub: true, ...boundary };
}

/** targetResources as a list (Log Analytics may give it as JSON text), or undefined when it is something else. */
function targetsOf(r: Record<string, unknown>): Target[] | undefined {
  let list = field(r, 'targetResources');
  if (list === undefined) return [];
  if (typeof list === 'string') {
    const parsed = parseEmbeddedJson(list);
    list = 'error' in parsed ? undefined : parsed.value;
  }
  if (!Array.isArray(list)) return undefined;
  const out: Target[] = [];
  for (const t of list) {
    if (!isObject(t)) continue;
    const id = objectId(text(t, 'id'));
    if (!id) continue;
    const mods = field(t, 'modifiedProperties');
    const modified = Array.isArray(mods) ? mods.filter(isObject).map((m) => ({ name: text(m, 'displayName') ?? '', oldValue: typeof m['oldValue'] === 'string' ? m['oldValue'] : '', newValue: typeof m['newValue'] === 'string' ? m['newValue'] : '' })) : [];
    out.push({ id, type: (text(t, 'type') ?? '').toLowerCase(), name: text(t, 'displayName') ?? undefined, upn: text(t, 'userPrincipalName'), modified });
  }
  return out;
}

/** A modified property's new value with its JSON quoting taken off ("\"abc\"" → abc). */
function newValue(t: Target, name: string): string | undefined {
  const m = t.modified.find((p) => p.name.toLowerCase() === name.toLowerCase());
  if (!m) return undefined;
  const v = m.newValue.trim();
  const parsed = parseEmbeddedJson(v);
  const value = 'error' in parsed ? v : Array.isArray(parsed.value) ? parsed.value[0] : parsed.value;
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

const KEY = /KeyIdentifier=([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\s*,\s*KeyType=(\w+)/gi;

/** The keys a KeyDescription lists: its key ids and types only (never the display name or anything else). */
function keysOf(value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of value.matchAll(KEY)) out.set(m[1]!.toLowerCase(), m[2]!);
  return out;
}

const objectKind = (t: Target): NodeKind | undefined => (t.type === 'application' ? 'azure_application' : t.type === 'serviceprincipal' ? 'azure_service_principal' : undefined);
const stubOf = (t: Target, kind: NodeKind, tenant: string | undefined): NodeFact => ({ id: ids.azureObject(t.id), kind, name: t.name ?? t.id, handles: [t.id, ...(t.name ? [t.name] : [])], stub: true, ...(tenant ? { boundary: ids.azureTenant(tenant) } : {}) });

/** A key credential or password added: the keys in the new KeyDescription that the old one did not list. */
function credentialAdded(folder: ActivityFolder, initiator: NodeFact, target: Target, event: ObservedEvent, initiatedBy: Record<string, unknown>, at: string, tenant: string | undefined): void {
  const kind = objectKind(target);
  if (!kind) return folder.skip(`a credential change on a ${target.type || 'target'} that is no application or service principal`, at);
  const description = target.modified.find((m) => /^KeyDescription$/i.test(m.name))!;
  const before = keysOf(description.oldValue);
  const added = [...keysOf(description.newValue)].filter(([k]) => !before.has(k));
  if (!added.length) return folder.skip('no credential added (one removed or none changed)', at);
  // Entra itself rotates a managed identity's certificate: not a takeover by anyone.
  const app = objectField(initiatedBy, 'app');
  const spNames = newValue(target, 'TargetId.ServicePrincipalNames') ?? '';
  if (app && /^Managed Service Identity$/i.test(text(app, 'displayName') ?? '') && /https:\/\/identity\.azure\.net\//i.test(spNames)) return folder.skip('the platform rotated a managed identity\'s certificate', at);
  folder.nodeOnce(initiator.id, () => initiator);
  const object = stubOf(target, kind, tenant);
  folder.nodeOnce(object.id, () => object);
  const label = kind === 'azure_application' ? 'application' : 'service principal';
  if (object.id !== initiator.id) folder.observe(initiator.id, object.id, event, `added a credential to this ${label} (the credential signs in as it)`, event.action);
  for (const [keyId, keyType] of added) {
    const credId = ids.azureCredential(keyId);
    const certificate = /cert/i.test(keyType);
    const credKind: NodeKind = certificate ? 'azure_certificate' : 'azure_client_secret';
    folder.nodeOnce(credId, () => ({ id: credId, kind: credKind, name: `${certificate ? 'certificate' : 'client secret'} ${keyId} (${object.name})`, handles: [keyId], stub: true, props: { keyId, managedBy: 'user', ownerId: object.id }, ...(object.boundary ? { boundary: object.boundary } : {}) }));
    folder.fact({
      from: credId,
      to: object.id,
      kind: 'AUTHENTICATES_AS',
      props: {
        reason: `added to ${object.name} by ${initiator.name} (${event.action})`,
        evidence: [{ type: 'log-event', summary: `${event.action}: ${keyType} ${keyId} for ${object.name} by ${initiator.name} at ${event.time}${event.ip ? ` from ${event.ip}` : ''}`, location: `${folder.fileName} ${at}`, data: { eventId: event.eventId ?? null, time: event.time } }],
        at,
      },
    });
  }
}

/** Add owner to application / service principal: the new owner is the first target, the object the other one. */
function ownerAdded(folder: ActivityFolder, initiator: NodeFact, targets: Target[], event: ObservedEvent, at: string, kind: NodeKind): void {
  const objectIdProp = kind === 'azure_application' ? 'Application.ObjectID' : 'ServicePrincipal.ObjectID';
  const named = targets.map((t) => objectId(newValue(t, objectIdProp))).find(Boolean);
  const object = targets.find((t) => t.id === named) ?? [...targets].reverse().find((t) => objectKind(t) === kind);
  const owner = targets.find((t) => t !== object && t.id !== (named ?? object?.id));
  if (!object || !owner) return folder.skip('an owner added, but the record names not both the owner and the object', at);
  if (`azure:object:${owner.id}` !== initiator.id) return folder.skip('an owner added who is not the initiator: the initiator got nothing', at);
  folder.nodeOnce(initiator.id, () => initiator);
  const node = stubOf(object, kind, undefined);
  folder.nodeOnce(node.id, () => node);
  folder.observe(initiator.id, node.id, event, `made itself an owner of this ${kind === 'azure_application' ? 'application' : 'service principal'} (an owner adds credentials to it and acts as it)`, event.action);
}

/**
 * The principal a membership or ownership record adds, when it is the initiator: the initiator when it is among the
 * targets (PIM lists the role, the request and the member), else the first user or service principal. A grant to
 * anyone else, or a record naming no one, is counted and gives undefined.
 */
function selfAdded(folder: ActivityFolder, initiator: NodeFact, targets: Target[], at: string, what: 'role' | 'group', who: 'member' | 'owner'): Target | undefined {
  const principals = targets.filter((t) => t.type === 'user' || t.type === 'serviceprincipal');
  const added = principals.find((t) => `azure:object:${t.id}` === initiator.id) ?? principals[0];
  if (!added) folder.skip(`a ${what} ${who} added, but the record names no ${who}`, at);
  else if (`azure:object:${added.id}` !== initiator.id) folder.skip(`a ${what} ${who} added who is not the initiator: the initiator got nothing`, at);
  else return added;
  return undefined;
}

/** Add member to role: the role named in the member's properties (Core Directory) or as a target of type Role (PIM: its role definition id). */
function roleAdded(folder: ActivityFolder, initiator: NodeFact, targets: Target[], event: ObservedEvent, at: string, tenant: string | undefined): void {
  const member = selfAdded(folder, initiator, targets, at, 'role', 'member');
  if (!member) return;
  const roleTarget = targets.find((t) => t.type === 'role');
  const roleId = objectId(newValue(member, 'Role.TemplateId')) ?? roleTarget?.id;
  if (!roleId) return folder.skip('the initiator added itself to a directory role the record names by no template id', at);
  if (!tenant) return folder.skip('the initiator added itself to a directory role, but the record names no tenant (a Graph page does not): the role cannot be placed', at);
  folder.nodeOnce(initiator.id, () => initiator);
  const role = ids.azureDirectoryRole(tenant, roleId);
  const name = newValue(member, 'Role.DisplayName') ?? roleTarget?.name ?? `directory role ${roleId}`;
  folder.nodeOnce(role, () => ({ id: role, kind: 'azure_directory_role', name, handles: [roleId], stub: true, props: { roleDefinitionId: roleId, tenantId: tenant }, boundary: ids.azureTenant(tenant) }));
  folder.observe(initiator.id, role, event, 'added itself to this directory role', event.action);
}

/** Add member / owner to group: a member holds the group's rights; an owner adds members, itself included. */
function groupJoined(folder: ActivityFolder, initiator: NodeFact, targets: Target[], event: ObservedEvent, at: string, tenant: string | undefined, who: 'member' | 'owner'): void {
  const added = selfAdded(folder, initiator, targets, at, 'group', who);
  if (!added) return;
  const group = groupOf(targets, added);
  if (!group) return folder.skip(`a group ${who} added, but the record names no group`, at);
  folder.nodeOnce(initiator.id, () => initiator);
  const node = stubOf(group, 'azure_group', tenant);
  folder.nodeOnce(node.id, () => node);
  const reason = who === 'member' ? "added itself to this group (its members hold the group's rights)" : "made itself an owner of this group (an owner adds members, itself included, and so takes the group's rights)";
  folder.observe(initiator.id, node.id, event, reason, event.action);
}

/** Add app role assignment to service principal: the target is the resource (Microsoft Graph…), the grantee in its properties. */
function appRoleAdded(folder: ActivityFolder, initiator: NodeFact, targets: Target[], event: ObservedEvent, at: string, byAppId: ReadonlyMap<string, string> | undefined): void {
  const resource = targets.find((t) => t.type === 'serviceprincipal');
  if (!resource) return folder.skip('an app role assignment that names no resource service principal', at);
  const granteeId = objectId(newValue(resource, 'ServicePrincipal.ObjectID'));
  const granteeApp = objectId(newValue(resource, 'ServicePrincipal.AppId'));
  const grantee = granteeId ? ids.azureObject(granteeId) : granteeApp ? byAppId?.get(granteeApp) : undefined;
  if (!grantee) return folder.skip('an app role assignment whose grantee is named by no object id nor a client id the case knows', at);
  if (grantee !== initiator.id) return folder.skip('an app role granted to another principal: the initiator got nothing', at);
  folder.nodeOnce(initiator.id, () => initiator);
  const node = stubOf(resource, 'azure_service_principal', undefined);
  folder.nodeOnce(node.id, () => node);
  const role = newValue(resource, 'AppRole.Value');
  folder.observe(initiator.id, node.id, { ...event, action: role ? `${event.action} (${role})` : event.action }, `gave itself an app role of this API${role ? ` (${role})` : ''}`, event.action);
}

/** The group of a membership or ownership record: its Group target, else the one the member's properties name (Group.ObjectID). */
function groupOf(targets: Target[], member: Target): Target | undefined {
  const named = objectId(newValue(member, 'Group.ObjectID'));
  const group = targets.find((t) => t.type === 'group' && (!named || t.id === named));
  if (group) return group;
  return named ? { id: named, type: 'group', name: newValue(member, 'Group.DisplayName'), upn: undefined, modified: [] } : undefined;
}

/** The entries of a FederatedIdentityCredentials value (a JSON list, of objects or of text), each as its JSON text. */
function federatedEntries(value: string): Set<string> {
  const parsed = parseEmbeddedJson(value.trim() || '[]');
  if ('error' in parsed) return new Set(value.trim() ? [value.trim()] : []);
  const list = Array.isArray(parsed.value) ? parsed.value : parsed.value === null ? [] : [parsed.value];
  return new Set(list.map((v) => JSON.stringify(v)));
}

/**
 * A federated identity credential added to an application (Entra logs it as "Update application" with the property
 * FederatedIdentityCredentials): it trusts an outside issuer's tokens as the application. Who may write it may as well
 * add a secret, so the initiator can act as the application, whichever issuer it named.
 */
function federatedCredentialAdded(folder: ActivityFolder, initiator: NodeFact, target: Target, event: ObservedEvent, at: string, tenant: string | undefined): void {
  const kind = objectKind(target);
  if (!kind) return folder.skip(`a federated credential change on a ${target.type || 'target'} that is no application or service principal`, at);
  const property = target.modified.find((m) => /^FederatedIdentityCredentials$/i.test(m.name))!;
  const before = federatedEntries(property.oldValue);
  if (![...federatedEntries(property.newValue)].some((e) => !before.has(e))) return folder.skip('no federated credential added (one removed or none changed)', at);
  const object = stubOf(target, kind, tenant);
  if (object.id === initiator.id) return folder.skip('an application added a federated credential to itself: it gets no other identity', at);
  folder.nodeOnce(initiator.id, () => initiator);
  folder.nodeOnce(object.id, () => object);
  folder.observe(initiator.id, object.id, event, 'added a federated credential to this application (it trusts an outside issuer\'s tokens as the application; who may write it may add a secret too)', event.action);
}
