import { isObject } from '../model/fragment.js';
import { basename } from 'node:path';
import type { EdgeFact, GraphFragment, Json, JsonObject, NodeFact } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import {
  expiryOf,
  memberStub,
  parseServiceAccountName,
  projectNodes,
  projectOfServiceAccountEmail,
  readBindings,
  type StoredBinding,
} from '../providers/gcp/iam.js';
import { inactiveBecause } from './credentials.js';
import { ImportError, jsonPath } from './errors.js';
import type { ImportContext, Importer } from './types.js';
import { str, unique } from './json-values.js';

// Google Cloud IAM listings as gcloud prints them (--format=json: a bare array) and as the REST API
// returns them ({accounts: […]}, {keys: […]}), and IAM policies (gcloud projects get-iam-policy / REST
// getIamPolicy: {bindings, etag, version}). Cloud Asset Inventory exports are in gcp-asset-inventory.ts.

export const gcpServiceAccounts: Importer = {
  format: 'gcp-service-accounts',
  title: 'GCP service accounts (gcloud iam service-accounts list / REST serviceAccounts.list)',
  provider: 'gcp',
  producedBy: 'gcloud iam service-accounts list --format=json; GET iam.googleapis.com/v1/projects/P/serviceAccounts',
  emits: [],
  detect(probe) {
    if (!probe.looksJson || /"asset_?[tT]ype"/.test(probe.head)) return 0;
    const sa = /"email"\s*:\s*"[^"]+@[^"]+\.gserviceaccount\.com"/.test(probe.head) && /"(uniqueId|oauth2ClientId)"/.test(probe.head);
    if (!sa || /"validAfterTime"/.test(probe.head)) return 0;
    return /^\s*(\[|\{\s*"accounts"\s*:)/.test(probe.head) ? 0.95 : 0.6;
  },
  parse(input) {
    const file = input.fileName;
    const { list, placeOf } = listOf(file, input.json(), 'accounts', 'service accounts', (o) => typeof o['email'] === 'string');
    const fragment: GraphFragment = { nodes: [], edges: [], warnings: [], aliases: [] };
    const projects = new Set<string>();
    list.forEach((raw, i) => {
      const at = placeOf(i);
      if (!isObject(raw)) throw new ImportError(file, 'expected a service account object', at);
      const email = raw['email'];
      if (typeof email !== 'string' || !email.includes('@')) throw new ImportError(file, 'a service account needs its "email"', `${at}.email`);
      const name = str(raw['name']);
      const projectId = str(raw['projectId']) ?? (name ? parseServiceAccountName(name)?.project : undefined) ?? projectOfServiceAccountEmail(email);
      const uniqueId = str(raw['uniqueId']);
      const description = str(raw['description']);
      const owner = ownerOf(description, raw['labels']);
      const props: JsonObject = {
        email: email.toLowerCase(),
        ...(uniqueId ? { uniqueId } : {}),
        ...(str(raw['oauth2ClientId']) ? { oauth2ClientId: str(raw['oauth2ClientId'])! } : {}),
        ...(str(raw['displayName']) ? { displayName: str(raw['displayName'])! } : {}),
        ...(description ? { description } : {}),
        disabled: raw['disabled'] === true,
        ...(projectId ? { projectId, accountId: projectId } : {}),
        ...(owner ? { owner } : {}),
        at,
      };
      const id = ids.gcpServiceAccount(email);
      fragment.nodes.push({
        id,
        kind: 'gcp_service_account',
        name: email.toLowerCase(),
        handles: unique([email, email.toLowerCase(), uniqueId, str(raw['oauth2ClientId']), name]),
        props,
        ...(projectId ? { boundary: ids.gcpProject(projectId) } : {}),
      });
      // Asset Inventory names accounts by unique id: make that name reach this node.
      if (uniqueId) fragment.aliases!.push({ from: ids.gcpServiceAccount(uniqueId), to: id });
      if (projectId) projects.add(projectId);
    });
    for (const p of projects) fragment.nodes.push(...projectNodes(p, false));
    return fragment;
  },
};

export const gcpServiceAccountKeys: Importer = {
  format: 'gcp-service-account-keys',
  title: 'GCP service-account keys (gcloud iam service-accounts keys list / REST keys.list)',
  provider: 'gcp',
  producedBy: 'gcloud iam service-accounts keys list --iam-account=SA --format=json; GET …/serviceAccounts/SA/keys',
  emits: ['AUTHENTICATES_AS'],
  detect(probe) {
    if (!probe.looksJson || /"asset_?[tT]ype"/.test(probe.head)) return 0;
    const key = /"name"\s*:\s*"[^"]*serviceAccounts\/[^"]+\/keys\/[^"]+"/.test(probe.head) && /"(validAfterTime|keyType|keyAlgorithm)"/.test(probe.head);
    if (!key) return 0;
    return /^\s*(\[|\{\s*"keys"\s*:)/.test(probe.head) ? 0.95 : 0.6;
  },
  parse(input, ctx) {
    const file = input.fileName;
    const { list, placeOf } = listOf(file, input.json(), 'keys', 'service-account keys', (o) => typeof o['name'] === 'string' && o['name'].includes('/keys/'));
    const fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
    const seen = new Set<string>();
    list.forEach((raw, i) => {
      const at = placeOf(i);
      if (!isObject(raw)) throw new ImportError(file, 'expected a key object', at);
      const name = raw['name'];
      const parsed = typeof name === 'string' ? parseServiceAccountName(name) : undefined;
      if (!parsed?.keyId) throw new ImportError(file, 'a key needs its "name" (projects/P/serviceAccounts/SA/keys/KEY_ID)', `${at}.name`);
      const nodes = keyNodes(parsed.keyId, parsed.account, parsed.project, raw, at, ctx, seen);
      fragment.nodes.push(...nodes);
      fragment.edges.push(keyEdge(nodes[0]!, parsed.account, at, ctx.now));
    });
    return fragment;
  },
};

export const gcpIamPolicy: Importer = {
  format: 'gcp-iam-policy',
  title: 'GCP IAM policy of a project, folder or organization (gcloud … get-iam-policy / REST getIamPolicy)',
  provider: 'gcp',
  producedBy: 'gcloud projects get-iam-policy PROJECT --format=json (also organizations get-iam-policy ORG, resource-manager folders get-iam-policy FOLDER: pass --organization / --folder); POST cloudresourcemanager …/projects/P:getIamPolicy',
  emits: [],
  detect(probe) {
    if (!probe.looksJson || /"asset_?[tT]ype"/.test(probe.head) || !/^\s*\{/.test(probe.head)) return 0;
    return /"bindings"\s*:\s*\[/.test(probe.head) && /"role"\s*:\s*"(roles|projects|organizations)\//.test(probe.head) && /"members"\s*:/.test(probe.head) ? 0.9 : 0;
  },
  parse(input, ctx) {
    const file = input.fileName;
    const doc = input.json();
    if (!isObject(doc)) throw new ImportError(file, 'expected an IAM policy object {bindings, etag, version}', '$');
    const fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
    const members = new Map<string, NodeFact>();
    const bindings = readBindings(
      doc,
      (...parts) => jsonPath(...parts),
      file,
      (m) => {
        const stub = memberStub(m);
        if (stub && !members.has(stub.id)) members.set(stub.id, stub);
      },
      (message, location) => fragment.warnings.push({ message, location }),
    );
    if (!bindings) throw new ImportError(file, 'expected "bindings" to be an array', '$.bindings');
    const props: JsonObject = { iamBindings: bindings as unknown as Json[], ...(str(doc['etag']) ? { iamPolicyEtag: str(doc['etag'])! } : {}) };
    fragment.nodes.push(...policyHolder(file, ctx.options, bindings, props, fragment), ...members.values());
    return fragment;
  },
};

/**
 * The node a bare policy belongs to, and its admin node. The policy does not say whose it is: --organization or
 * --folder (an organization's or folder's node, which the gcp-iam-bindings rule applies to every project below it,
 * as it does search-all-iam-policies' results), else --project, else a project named after the file, with a warning
 * that says which option names it (and why, when a role in it is granted only on organizations or folders).
 */
function policyHolder(file: string, options: ImportContext['options'], bindings: StoredBinding[], props: JsonObject, fragment: GraphFragment): NodeFact[] {
  const organization = numericId(file, '--organization', 'organizations', options.organization);
  const folder = numericId(file, '--folder', 'folders', options.folder);
  const given = [options.project ? '--project' : '', organization ? '--organization' : '', folder ? '--folder' : ''].filter(Boolean);
  if (given.length > 1) throw new ImportError(file, `a policy belongs to one resource: pass one of ${given.join(' and ')}`);
  if (organization || folder) {
    const name = organization ? `organizations/${organization}` : `folders/${folder}`;
    const id = organization ? ids.gcpOrganization(organization) : ids.gcpFolder(folder!);
    // Stubs, as Asset Inventory states a resource it saw only through its policy: a described one names them.
    return [
      { id, kind: organization ? 'gcp_organization' : 'gcp_folder', name, handles: [name, `//cloudresourcemanager.googleapis.com/${name}`], stub: true, props },
      { id: ids.admin(id), kind: 'admin', name: `Admin of ${name}`, boundary: id, stub: true },
    ];
  }
  let projectId = options.project;
  if (!projectId) {
    projectId = projectFromFileName(file);
    const scope = scopeOnlyRole(bindings);
    const why = scope ? `; it grants ${scope.role}, which IAM grants only on ${scope.on}: an organization's policy (gcloud organizations get-iam-policy) takes --organization ID, a folder's (gcloud resource-manager folders get-iam-policy) --folder ID` : '; an organization\'s or folder\'s policy takes --organization ID or --folder ID';
    fragment.warnings.push({ message: `the policy does not name its resource: assumed project "${projectId}" from the file name (pass --project to set it)${why}` });
  }
  return projectNodes(projectId, false, props);
}

/** --organization / --folder: the numeric id, with or without its "organizations/" or "folders/" prefix. */
function numericId(file: string, flag: string, prefix: string, value: string | undefined): string | undefined {
  const v = value?.trim().replace(new RegExp(`^${prefix}/`), '');
  if (!v) return undefined;
  if (!/^\d{1,30}$/.test(v)) throw new ImportError(file, `${flag} must be the numeric id (${prefix}/ID as gcloud lists it), not ${JSON.stringify(value)}`);
  return v;
}

/** A role of the policy that IAM grants no lower than an organization or a folder (its roles page), if any. */
function scopeOnlyRole(bindings: StoredBinding[]): { role: string; on: string } | undefined {
  for (const b of bindings) {
    if (/^roles\/resourcemanager\.organization(Admin|Viewer)$/.test(b.role)) return { role: b.role, on: 'organizations' };
    if (b.role === 'roles/resourcemanager.folderAdmin') return { role: b.role, on: 'organizations and folders' };
  }
  return undefined;
}

/** Key node, its stub service account and project; shared with the Asset Inventory importer. */
export function keyNodes(
  keyId: string,
  account: string,
  project: string | undefined,
  data: Record<string, unknown>,
  at: string,
  ctx: ImportContext,
  seenProjects: Set<string>,
): NodeFact[] {
  const out: NodeFact[] = [];
  const email = account.includes('@') ? account.toLowerCase() : undefined;
  const projectId = project ?? (email ? projectOfServiceAccountEmail(email) : undefined);
  const createdAt = str(data['validAfterTime']);
  const expiresAt = expiryOf(data['validBeforeTime']);
  const keyType = str(data['keyType']);
  const managedBy = keyType === 'USER_MANAGED' ? 'user' : keyType === 'SYSTEM_MANAGED' ? 'system' : undefined;
  const disabled = data['disabled'] === true;
  const active = !inactiveBecause({ disabled, ...(createdAt ? { createdAt } : {}), ...(expiresAt ? { expiresAt } : {}) }, ctx.now);
  const props: JsonObject = {
    keyId,
    serviceAccount: email ?? account,
    ownerId: ids.gcpServiceAccount(account),
    ...(createdAt ? { createdAt } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    ...(managedBy ? { managedBy } : {}),
    ...(keyType ? { keyType } : {}),
    ...(str(data['keyAlgorithm']) ? { keyAlgorithm: str(data['keyAlgorithm'])! } : {}),
    ...(str(data['keyOrigin']) ? { keyOrigin: str(data['keyOrigin'])! } : {}),
    disabled,
    active,
    at,
  };
  const boundary = projectId ? ids.gcpProject(projectId) : undefined;
  out.push({ id: ids.gcpKey(keyId), kind: 'gcp_sa_key', name: `${keyId.length > 12 ? `${keyId.slice(0, 12)}…` : keyId} (${email ?? account})`, handles: [keyId], props, ...(boundary ? { boundary } : {}) });
  out.push({
    id: ids.gcpServiceAccount(account),
    kind: 'gcp_service_account',
    name: email ?? account,
    handles: [account],
    props: email ? { email, ...(projectId ? { projectId } : {}) } : { uniqueId: account },
    stub: true,
    ...(boundary ? { boundary } : {}),
  });
  if (projectId && !seenProjects.has(projectId)) {
    seenProjects.add(projectId);
    out.push(...projectNodes(projectId, true));
  }
  return out;
}

export function keyEdge(key: NodeFact, account: string, at: string, now: Date): EdgeFact {
  const inactive = inactiveBecause(key.props ?? {}, now);
  return {
    from: key.id,
    to: ids.gcpServiceAccount(account),
    kind: 'AUTHENTICATES_AS',
    // The key stays linked to its account, but a path through a key that cannot sign in is not a sure one.
    props: { reason: 'the key signs tokens for its service account', at, ...(inactive ? { conditional: `${inactive}: it authenticates only if that changes` } : {}) },
  };
}


function listOf(file: string, doc: unknown, key: string, what: string, isItem: (o: Record<string, unknown>) => boolean): { list: unknown[]; placeOf: (i: number) => string } {
  if (Array.isArray(doc)) return { list: doc, placeOf: (i) => jsonPath(i) };
  if (isObject(doc)) {
    // gcloud … describe prints the one object; an empty REST page is {}.
    if (!(key in doc) && isItem(doc)) return { list: [doc], placeOf: () => '$' };
    const list = doc[key] ?? [];
    if (!Array.isArray(list)) throw new ImportError(file, `expected "${key}" to be an array of ${what}`, jsonPath(key));
    return { list, placeOf: (i) => jsonPath(key, i) };
  }
  throw new ImportError(file, `expected a JSON array of ${what} or {"${key}": […]}`, '$');
}

/** "prod-app-iam-policy.json" → "prod-app": the file name is all a bare policy says about its project. */
function projectFromFileName(file: string): string {
  const stem = basename(file).replace(/(\.json)?(\.gz)?$/i, '').toLowerCase();
  const cleaned = stem.replace(/[-_.]?(get[-_]?)?iam[-_]?policy[-_.]?/g, '-').replace(/^-+|-+$/g, '');
  return cleaned || stem;
}

function ownerOf(description: string | undefined, labels: unknown): string | undefined {
  if (isObject(labels)) {
    for (const k of ['owner', 'team', 'contact']) if (typeof labels[k] === 'string' && labels[k]) return labels[k] as string;
  }
  return description ? /\b(?:owner|team|contact)\s*[:=]\s*([^\s,;]+)/i.exec(description)?.[1] : undefined;
}


export type { StoredBinding };
