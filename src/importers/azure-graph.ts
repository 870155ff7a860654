import { isObject } from '../model/fragment.js';
import { basename } from 'node:path';
import type { EdgeFact, GraphFragment, JsonObject, NodeFact } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import { graphAppRoleName } from '../providers/azure/entra.js';
import type { NodeKind } from '../model/kinds.js';
import { inactiveBecause } from './credentials.js';
import { ImportError, jsonPath } from './errors.js';
import type { ImportContext, Importer } from './types.js';
import { str, strings, unique } from './json-values.js';

// Entra ID directory objects as `az ad app list` / `az ad sp list` print them (az ≥ 2.37 passes Microsoft Graph
// v1.0 objects through, usually as a bare array; the REST body is {@odata.context, value: […]}), the legacy
// Azure AD Graph 1.6 shape older az printed (objectId, odata.type, startDate/endDate), and federated identity
// credentials (`az ad app federated-credential list`, or embedded via $expand=federatedIdentityCredentials), and app
// role assignments (GET …/servicePrincipals/{id}/appRoleAssignments or /appRoleAssignedTo: who holds which application
// permission or app role of which resource service principal).
// Secrets are never read: Graph returns secretText only at creation, and it is ignored here.

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** The user-assigned identity of a federated credential's ARM resource id. */
const UAI_FIC = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+)\/federatedIdentityCredentials\/[^/]+\/?$/i;

type ObjectType = 'application' | 'servicePrincipal' | 'federatedCredential' | 'appRoleAssignment';

export const azureGraph: Importer = {
  format: 'azure-entra-apps',
  title: 'Entra ID app registrations, service principals, federated credentials and app role assignments (Microsoft Graph or legacy AAD Graph)',
  provider: 'azure',
  producedBy: 'az ad app list; az ad sp list; az ad app federated-credential list; GET graph.microsoft.com/v1.0/applications|servicePrincipals|servicePrincipals/{id}/appRoleAssignments|appRoleAssignedTo',
  emits: ['AUTHENTICATES_AS', 'OWNS', 'FEDERATES_TO', 'HAS_ROLE'],
  detect(probe) {
    if (!probe.looksJson) return 0;
    const h = probe.head;
    if (/"odata\.type"\s*:\s*"Microsoft\.DirectoryServices\.(Application|ServicePrincipal)"/.test(h)) return 0.95;
    if (/"@odata\.context"\s*:\s*"[^"]*\$metadata#(applications|servicePrincipals)/.test(h)) return 0.95;
    if (/"appId"\s*:\s*"/.test(h) && /"(servicePrincipalType|signInAudience|passwordCredentials|keyCredentials|servicePrincipalNames)"\s*:/.test(h)) return 0.9;
    if (/"issuer"\s*:\s*"https?:/.test(h) && /"subject"\s*:/.test(h) && /"audiences"\s*:\s*\[/.test(h)) return 0.85;
    if (/"@odata\.context"\s*:\s*"[^"]*\$metadata#[^"]*appRoleAssign(ments|edTo)/.test(h)) return 0.95;
    if (/"appRoleId"\s*:/.test(h) && /"resourceId"\s*:/.test(h) && /"principalId"\s*:/.test(h)) return 0.85;
    return 0;
  },
  parse(input, ctx) {
    const file = input.fileName;
    const doc = input.json();
    const { items, base, context } = itemsOf(file, doc);
    const fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
    const tenant = tenantOf(context);
    if (tenant) {
      fragment.nodes.push(
        { id: ids.azureTenant(tenant), kind: 'azure_tenant', name: `Entra tenant ${tenant}`, handles: [tenant], stub: true },
        { id: ids.admin(ids.azureTenant(tenant)), kind: 'admin', name: `Global administrator of tenant ${tenant}`, boundary: ids.azureTenant(tenant), stub: true },
      );
    }
    const defaultType = context && /#applications\('?([^')]+)'?\)\/federatedIdentityCredentials/i.test(context) ? 'federatedCredential' : context && /#applications/i.test(context) ? 'application' : context && /#servicePrincipals/i.test(context) ? 'servicePrincipal' : undefined;
    const stubs = new Map<string, NodeFact>();
    const seenApps = new Set<string>();
    items.forEach((raw, i) => {
      const at = jsonPath(...base, ...(base.length || Array.isArray(doc) ? [i] : []));
      if (!isObject(raw)) throw new ImportError(file, 'expected a directory object', at);
      const type = typeOf(raw) ?? defaultType;
      if (!type) throw new ImportError(file, 'not an application, service principal, federated credential or app role assignment (no appId, servicePrincipalType, issuer/subject or appRoleId)', at);
      if (type === 'appRoleAssignment') return appRoleAssignment(file, raw, at, fragment, stubs);
      if (type === 'federatedCredential') {
        // A user-assigned managed identity's credentials (az identity federated-credential list, ARM REST: fields
        // under "properties") name their identity in their resource id.
        const arm = isObject(raw['properties']) ? { ...raw, ...raw['properties'] } : raw;
        const identity = UAI_FIC.exec(str(raw['id']) ?? '')?.[1];
        if (identity) {
          const owner = ids.azureResource(identity);
          const name = identity.split('/').pop()!;
          // The identity's object id is not in the record: a file that lists the identity (az identity list, az ad sp
          // list, AzureHound) aliases its resource id to the identity's node.
          if (!stubs.has(owner)) stubs.set(owner, { id: owner, kind: 'azure_managed_identity', name, handles: [identity, name], props: { resourceId: identity, servicePrincipalType: 'ManagedIdentity' }, stub: true });
          federated(file, arm, at, owner, fragment, stubs);
          return;
        }
        const appObjectId = context ? /#applications\('?([^')/]+)'?\)/i.exec(context)?.[1] : undefined;
        // Graph may give each credential its @odata.id instead: …/directoryObjects/$/Microsoft.DirectoryServices.Application('<object id>')/federatedIdentityCredentials/<id>.
        const fromOdataId = /\.Application\('([^')/]+)'\)\/federatedIdentityCredentials\//i.exec(str(raw['@odata.id']) ?? '')?.[1];
        const fromName = GUID.exec(basename(file))?.[0];
        const owner = appObjectId ?? fromOdataId ?? fromName;
        if (!owner) throw new ImportError(file, 'a federated credential list does not say which application it belongs to: export it with its @odata.context, embed it in the application ($expand=federatedIdentityCredentials), or put the application object id in the file name', at);
        if (!appObjectId && !fromOdataId) fragment.warnings.push({ message: `federated credentials assigned to application object ${owner} from the file name`, location: at });
        federated(file, raw, at, ids.azureObject(owner), fragment, stubs);
        return;
      }
      directoryObject(file, raw, at, type, tenant, ctx, fragment, stubs, seenApps);
    });
    for (const s of stubs.values()) if (!fragment.nodes.some((n) => n.id === s.id)) fragment.nodes.push(s);
    return fragment;
  },
};

export function directoryObject(file: string, o: Record<string, unknown>, at: string, type: 'application' | 'servicePrincipal', tenant: string | undefined, ctx: ImportContext, fragment: GraphFragment, stubs: Map<string, NodeFact>, seenApps: Set<string>): void {
  const objectId = str(o['id']) ?? str(o['objectId']);
  if (!objectId) throw new ImportError(file, 'a directory object needs its "id" (object id)', `${at}.id`);
  const appId = str(o['appId']);
  const displayName = str(o['displayName']) ?? appId ?? objectId;
  const id = ids.azureObject(objectId);
  const boundary = tenant ? { boundary: ids.azureTenant(tenant) } : {};
  const spType = str(o['servicePrincipalType']);
  const kind: NodeKind = type === 'application' ? 'azure_application' : spType === 'ManagedIdentity' || spType === 'ManagedIdentities' ? 'azure_managed_identity' : 'azure_service_principal';
  const identifierUris = strings(o['identifierUris']);
  const spNames = strings(o['servicePrincipalNames']);
  const tags = strings(o['tags']);
  const notes = str(o['notes']);
  const owner = ownerOf(tags, notes, o['owners']);
  const props: JsonObject = {
    objectId: objectId.toLowerCase(),
    ...(appId ? { appId: appId.toLowerCase() } : {}),
    displayName,
    ...(str(o['createdDateTime']) ? { createdAt: str(o['createdDateTime'])! } : {}),
    ...(str(o['signInAudience']) ? { signInAudience: str(o['signInAudience'])! } : typeof o['availableToOtherTenants'] === 'boolean' ? { signInAudience: o['availableToOtherTenants'] ? 'AzureADMultipleOrgs' : 'AzureADMyOrg' } : {}),
    ...(str(o['publisherDomain']) ? { publisherDomain: str(o['publisherDomain'])! } : {}),
    ...(identifierUris.length ? { identifierUris } : {}),
    ...(spType ? { servicePrincipalType: spType } : {}),
    ...(str(o['appOwnerOrganizationId']) ? { appOwnerOrganizationId: str(o['appOwnerOrganizationId'])!.toLowerCase() } : {}),
    ...(typeof o['accountEnabled'] === 'boolean' ? { accountEnabled: o['accountEnabled'] } : {}),
    ...(spNames.length ? { servicePrincipalNames: spNames } : {}),
    ...(strings(o['alternativeNames']).length ? { alternativeNames: strings(o['alternativeNames']) } : {}),
    ...(tags.length ? { tags: Object.fromEntries(tags.map((t) => [t, ''])) } : {}),
    ...(owner ? { owner } : {}),
    ...(tenant ? { tenantId: tenant } : {}),
    at,
  };
  // The client id is what workload-identity annotations and sign-in logs carry: a handle of both objects.
  fragment.nodes.push({ id, kind, name: displayName, handles: unique([objectId, appId, appId?.toLowerCase(), displayName, ...identifierUris, ...spNames]), props, ...boundary });
  // Workload identities name the client id only. It resolves to the app or to its service principal (the later
  // source wins); the app authenticates as its service principal, so either reaches the principal's rights.
  // A managed identity's service principal names its ARM resource among its alternativeNames: the resource id that
  // a user-assigned identity's federated credentials give resolves to this node.
  if (kind === 'azure_managed_identity') {
    for (const n of strings(o['alternativeNames'])) if (/^\/subscriptions\/.+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i.test(n)) (fragment.aliases ??= []).push({ from: ids.azureResource(n), to: id });
  }
  if (appId && (type === 'application' || !seenApps.has(appId.toLowerCase()))) {
    (fragment.aliases ??= []).push({ from: ids.azureClientId(appId), to: id });
    if (type === 'application') seenApps.add(appId.toLowerCase());
  }

  const creds: [string, 'azure_client_secret' | 'azure_certificate'][] = [['passwordCredentials', 'azure_client_secret'], ['keyCredentials', 'azure_certificate']];
  for (const [key, credKind] of creds) {
    const list = o[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw new ImportError(file, `expected "${key}" to be an array`, `${at}.${key}`);
    list.forEach((c: unknown, j) => {
      const cat = `${at}.${key}[${j}]`;
      if (!isObject(c)) throw new ImportError(file, 'expected a credential object', cat);
      const keyId = str(c['keyId']);
      if (!keyId) throw new ImportError(file, 'a credential needs its "keyId"', `${cat}.keyId`);
      const createdAt = str(c['startDateTime']) ?? str(c['startDate']);
      const expiresAt = str(c['endDateTime']) ?? str(c['endDate']);
      // A disabled service principal cannot sign in, whatever its credentials say.
      const inactive = inactiveBecause({ ...(createdAt ? { createdAt } : {}), ...(expiresAt ? { expiresAt } : {}), ...(o['accountEnabled'] === false ? { disabled: true } : {}) }, ctx.now);
      const active = !inactive;
      const label = str(c['displayName']) ?? keyId;
      const thumbprint = credKind === 'azure_certificate' ? thumbprintOf(c['customKeyIdentifier']) : undefined;
      fragment.nodes.push({
        id: ids.azureCredential(keyId),
        kind: credKind,
        name: `${label} (${displayName})`,
        handles: unique([keyId, thumbprint]),
        props: {
          keyId: keyId.toLowerCase(),
          ...(str(c['displayName']) ? { displayName: str(c['displayName'])! } : {}),
          // Graph's hint is the first three characters Entra itself shows in the portal; nothing more is kept.
          ...(str(c['hint']) ? { hint: str(c['hint'])! } : {}),
          ...(createdAt ? { createdAt } : {}),
          expiresAt: expiresAt ?? null,
          active,
          managedBy: 'user',
          ownerId: id,
          ...(thumbprint ? { thumbprint } : {}),
          ...(str(c['type']) ? { type: str(c['type'])! } : {}),
          ...(str(c['usage']) ? { usage: str(c['usage'])! } : {}),
          at: cat,
        },
        ...boundary,
      });
      fragment.edges.push({
        from: ids.azureCredential(keyId),
        to: id,
        kind: 'AUTHENTICATES_AS',
        props: { reason: `the ${credKind === 'azure_client_secret' ? 'client secret' : 'certificate'} signs in as ${displayName}`, at: cat, ...(inactive ? { conditional: `${inactive}: it authenticates only if that changes` } : {}) },
      });
    });
  }

  const owners = o['owners'];
  if (Array.isArray(owners)) {
    owners.forEach((ow: unknown, j) => {
      if (!isObject(ow) || !str(ow['id'])) return void fragment.warnings.push({ message: 'owner skipped: no object id', location: `${at}.owners[${j}]` });
      const ownerId = ids.azureObject(str(ow['id'])!);
      const t = str(ow['@odata.type']) ?? '';
      const ownerKind: NodeKind = /servicePrincipal/i.test(t) ? 'azure_service_principal' : 'azure_user';
      const name = str(ow['userPrincipalName']) ?? str(ow['displayName']) ?? str(ow['id'])!;
      if (!stubs.has(ownerId)) stubs.set(ownerId, { id: ownerId, kind: ownerKind, name, handles: unique([str(ow['id']), str(ow['userPrincipalName'])]), stub: true });
      fragment.edges.push({ from: ownerId, to: id, kind: 'OWNS', props: { reason: `${name} is an owner of ${displayName}`, at: `${at}.owners[${j}]` } } satisfies EdgeFact);
    });
  }

  const fics = o['federatedIdentityCredentials'];
  if (Array.isArray(fics)) fics.forEach((f: unknown, j) => isObject(f) && federated(file, f, `${at}.federatedIdentityCredentials[${j}]`, id, fragment, stubs));

  // $expand=appRoleAssignments (the roles it holds) or appRoleAssignedTo (who holds its roles) embeds the assignments.
  if (type === 'servicePrincipal') {
    for (const key of ['appRoleAssignments', 'appRoleAssignedTo']) {
      const list = o[key];
      if (Array.isArray(list)) list.forEach((a: unknown, j) => isObject(a) && appRoleAssignment(file, a, `${at}.${key}[${j}]`, fragment, stubs));
    }
  }
}

export function federated(file: string, f: Record<string, unknown>, at: string, appNodeId: string, fragment: GraphFragment, stubs: Map<string, NodeFact>): void {
  const ficId = str(f['id']) ?? str(f['name']);
  const issuer = str(f['issuer']);
  const expression = isObject(f['claimsMatchingExpression']) ? str(f['claimsMatchingExpression']['value']) : undefined;
  const subject = str(f['subject']) ?? expression;
  if (!ficId || !issuer || !subject) throw new ImportError(file, 'a federated credential needs "id", "issuer" and "subject" (or claimsMatchingExpression)', at);
  const wildcard = !str(f['subject']);
  // Graph gives each federated credential a GUID; a list without ids is keyed by name within its application.
  // An ARM credential's id is its resource id, unique as it is.
  const id = new RegExp(`^${GUID.source}$`, 'i').test(ficId) || ficId.startsWith('/') ? ids.azureCredential(ficId) : ids.azureCredential(`${appNodeId.replace(/^azure:object:/, '')}/${ficId}`);
  const audiences = strings(f['audiences']);
  fragment.nodes.push({
    id,
    kind: 'azure_federated_credential',
    name: str(f['name']) ?? ficId,
    handles: unique([str(f['id']), str(f['name'])]),
    props: { issuer, subject, audiences, ...(str(f['description']) ? { description: str(f['description'])! } : {}), ownerId: appNodeId, wildcard, managedBy: 'user', expiresAt: null, at },
  });
  fragment.edges.push({ from: id, to: appNodeId, kind: 'AUTHENTICATES_AS', props: { reason: `a token from this issuer with this subject is exchanged for the ${appNodeId.startsWith('azure:resource:') ? 'managed identity' : 'application'}'s tokens`, at } });
  const subjectId = ids.federatedSubject(issuer, subject);
  if (!stubs.has(subjectId)) stubs.set(subjectId, { id: subjectId, kind: 'federated_subject', name: subject, handles: [subject], props: { issuer, subject, wildcard, ...subjectParts(issuer, subject) } });
  fragment.edges.push({
    from: subjectId,
    to: appNodeId,
    kind: 'FEDERATES_TO',
    props: {
      reason: `a workload whose ${issuer} token has subject ${subject} can sign in as the ${appNodeId.startsWith('azure:resource:') ? 'managed identity' : 'application'} (federated identity credential ${str(f['name']) ?? ficId})`,
      technique: 'workload identity federation',
      ...(wildcard ? { conditional: `claims matching expression: ${subject}` } : {}),
      at,
    },
  });
}

const PRINCIPAL_KINDS: Record<string, NodeKind> = { user: 'azure_user', group: 'azure_group', serviceprincipal: 'azure_service_principal' };

/**
 * One app role assignment: its principal (user, group or service principal) holds an app role of the resource service
 * principal. Given to a service principal on Microsoft Graph's, it is an application permission (the
 * azure-graph-app-roles rule reads those); the resource's client id is not in the record, so the rule learns it from
 * the resource's own record (az ad sp list) when the case has it.
 */
function appRoleAssignment(file: string, a: Record<string, unknown>, at: string, fragment: GraphFragment, stubs: Map<string, NodeFact>): void {
  const principalId = str(a['principalId'])?.toLowerCase();
  const resourceId = str(a['resourceId'])?.toLowerCase();
  const appRoleId = str(a['appRoleId'])?.toLowerCase();
  if (!principalId || !resourceId || !appRoleId) throw new ImportError(file, 'an app role assignment needs "principalId", "resourceId" and "appRoleId"', at);
  const principalKind = PRINCIPAL_KINDS[(str(a['principalType']) ?? '').toLowerCase()] ?? 'azure_service_principal';
  const from = ids.azureObject(principalId);
  const to = ids.azureObject(resourceId);
  const principalName = str(a['principalDisplayName']) ?? principalId;
  const resourceName = str(a['resourceDisplayName']) ?? resourceId;
  if (!stubs.has(from)) stubs.set(from, { id: from, kind: principalKind, name: principalName, handles: unique([principalId, str(a['principalDisplayName'])]), props: { objectId: principalId }, stub: true });
  if (!stubs.has(to)) stubs.set(to, { id: to, kind: 'azure_service_principal', name: resourceName, handles: unique([resourceId, str(a['resourceDisplayName'])]), props: { objectId: resourceId }, stub: true });
  // The all-zero id is the default access of an app that defines no roles: a sign-in right, no permission.
  const defaultAccess = /^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(appRoleId);
  const roleName = graphAppRoleName(appRoleId);
  const role = defaultAccess ? 'default access' : principalKind === 'azure_service_principal' ? `the application permission ${roleName ?? appRoleId}` : `the app role ${roleName ?? appRoleId}`;
  fragment.edges.push({
    from,
    to,
    kind: 'HAS_ROLE',
    props: {
      reason: `is granted ${role} of ${resourceName}`,
      appRoleId,
      ...(roleName ? { appRoleName: roleName } : {}),
      ...(str(a['id']) ? { assignmentId: str(a['id'])! } : {}),
      ...(str(a['createdDateTime']) ? { createdAt: str(a['createdDateTime'])! } : {}),
      at,
    },
  });
}

/** GitHub Actions and Kubernetes subjects, split into the parts findings and the UI show. */
function subjectParts(issuer: string, subject: string): JsonObject {
  if (/token\.actions\.githubusercontent\.com/.test(issuer)) {
    const m = /^repo:([^:]+):(ref|environment|pull_request)(?::(.*))?$/.exec(subject);
    if (m) return { repository: m[1]!, ...(m[2] === 'ref' ? { ref: m[3]! } : m[2] === 'environment' ? { environment: m[3]! } : { event: 'pull_request' }) };
  }
  const k8s = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(subject);
  if (k8s) return { namespace: k8s[1]!, serviceAccount: k8s[2]! };
  return {};
}

function itemsOf(file: string, doc: unknown): { items: unknown[]; base: (string | number)[]; context?: string } {
  if (Array.isArray(doc)) return { items: doc, base: [] };
  if (!isObject(doc)) throw new ImportError(file, 'expected a JSON array of directory objects or {"value": […]}', '$');
  const context = str(doc['@odata.context']) ?? str(doc['odata.metadata']);
  if ('value' in doc) {
    if (!Array.isArray(doc['value'])) throw new ImportError(file, 'expected "value" to be an array', '$.value');
    return { items: doc['value'], base: ['value'], ...(context ? { context } : {}) };
  }
  // One object (az ad app show, az ad sp create-for-rbac's legacy response).
  return { items: [doc], base: [], ...(context ? { context } : {}) };
}

function typeOf(o: Record<string, unknown>): ObjectType | undefined {
  if ('appRoleId' in o && 'resourceId' in o && 'principalId' in o) return 'appRoleAssignment';
  const t = `${str(o['@odata.type']) ?? ''} ${str(o['odata.type']) ?? ''} ${str(o['objectType']) ?? ''}`.toLowerCase();
  if (t.includes('serviceprincipal')) return 'servicePrincipal';
  if (t.includes('application')) return 'application';
  if ('servicePrincipalType' in o || 'servicePrincipalNames' in o || 'appOwnerOrganizationId' in o) return 'servicePrincipal';
  if ('appId' in o && ('signInAudience' in o || 'identifierUris' in o || 'requiredResourceAccess' in o || 'publisherDomain' in o)) return 'application';
  if ('issuer' in o && ('subject' in o || 'claimsMatchingExpression' in o)) return 'federatedCredential';
  if (isObject(o['properties']) && 'issuer' in o['properties'] && 'subject' in o['properties']) return 'federatedCredential';
  return undefined;
}

/** The tenant in a legacy AAD Graph context (https://graph.windows.net/<tenant>/$metadata…); Graph v1.0 does not say. */
function tenantOf(context: string | undefined): string | undefined {
  const t = context ? /graph\.windows\.net\/([^/]+)\/\$metadata/i.exec(context)?.[1] : undefined;
  return t && !/^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(t) ? t.toLowerCase() : undefined;
}

/** Graph gives a certificate's customKeyIdentifier as base64 of the SHA-1 thumbprint, AAD Graph as hex. */
function thumbprintOf(v: unknown): string | undefined {
  if (typeof v !== 'string' || !v) return undefined;
  if (/^[0-9a-f]{40}$/i.test(v)) return v.toUpperCase();
  const bytes = Buffer.from(v, 'base64');
  return bytes.length === 20 ? bytes.toString('hex').toUpperCase() : v;
}

function ownerOf(tags: string[], notes: string | undefined, owners: unknown): string | undefined {
  const tag = tags.map((t) => /^(owner|team|contact)[:=](.+)$/i.exec(t)?.[2]).find(Boolean);
  if (tag) return tag;
  const note = notes ? /\b(?:owner|team|contact)\s*[:=]\s*([^\s,;]+)/i.exec(notes)?.[1] : undefined;
  if (note) return note;
  if (Array.isArray(owners)) {
    const first = owners.find(isObject);
    return first ? (str(first['userPrincipalName']) ?? str(first['mail']) ?? str(first['displayName'])) : undefined;
  }
  return undefined;
}
