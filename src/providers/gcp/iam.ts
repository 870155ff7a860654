import type { AccessLevel, NodeKind } from '../../model/kinds.js';
import type { JsonObject, NodeFact } from '../../model/fragment.js';
import { ids } from '../../model/ids.js';

// Google Cloud IAM knowledge shared by the GCP importers and the binding rule: member strings, resource
// names, and which predefined roles hand over a project or a service account.

/** One binding as the importers store it on the resource node (props.iamBindings). */
export interface StoredBinding {
  role: string;
  members: string[];
  /** "title: expression" of an IAM condition; the rule cannot evaluate it offline. */
  condition?: string;
  /** File and place of the binding, for evidence. */
  at: string;
}

/**
 * Every binding stored on a resource: its IAM policy (props.iamBindings, from an export of the whole policy) and the
 * bindings infrastructure code declares on it without owning the policy (props.iamBindingsDeclared: Terraform's
 * google_*_iam_member and _iam_binding), which add to the policy rather than replace it.
 */
export function storedBindings(props: Record<string, unknown>): readonly unknown[] {
  const full = props['iamBindings'];
  const declared = props['iamBindingsDeclared'];
  // The list itself when there is one (read only): the rule asks this of every node of an organization, most with none.
  if (!Array.isArray(declared)) return Array.isArray(full) ? full : NO_BINDINGS;
  return Array.isArray(full) ? [...full, ...declared] : declared;
}
const NO_BINDINGS: readonly unknown[] = Object.freeze([]);

export type MemberType = 'user' | 'serviceAccount' | 'group' | 'domain' | 'public' | 'convenience' | 'federated' | 'deleted';

export interface Member {
  raw: string;
  type: MemberType;
  /** Node id of the principal (absent for deleted principals: nothing can act as them). */
  id?: string;
  kind?: NodeKind;
  name: string;
}

/**
 * Parses an IAM member ("serviceAccount:x@p.iam.gserviceaccount.com", "allUsers", "deleted:user:a@b?uid=1", …).
 * Returns undefined for strings IAM would not accept, such as a bare "abcdefg".
 */
export function parseMember(raw: string): Member | undefined {
  if (raw === 'allUsers' || raw === 'allAuthenticatedUsers') return { raw, type: 'public', id: ids.gcpMember(raw), kind: 'gcp_group', name: raw };
  const colon = raw.indexOf(':');
  if (colon <= 0 || colon === raw.length - 1) return undefined;
  const prefix = raw.slice(0, colon);
  const value = raw.slice(colon + 1);
  switch (prefix) {
    case 'serviceAccount':
      return value.includes('@') ? { raw, type: 'serviceAccount', id: ids.gcpServiceAccount(value), kind: 'gcp_service_account', name: value.toLowerCase() } : undefined;
    case 'user':
      return value.includes('@') ? { raw, type: 'user', id: ids.gcpMember(`user:${value.toLowerCase()}`), kind: 'gcp_user', name: value.toLowerCase() } : undefined;
    case 'group':
      return value.includes('@') ? { raw, type: 'group', id: ids.gcpMember(`group:${value.toLowerCase()}`), kind: 'gcp_group', name: value.toLowerCase() } : undefined;
    case 'domain':
      return { raw, type: 'domain', id: ids.gcpMember(`domain:${value.toLowerCase()}`), kind: 'gcp_group', name: `every account of ${value}` };
    // Legacy bucket/dataset convenience values: whoever holds the basic role on that project.
    case 'projectOwner':
    case 'projectEditor':
    case 'projectViewer':
      return { raw, type: 'convenience', id: ids.gcpMember(raw), kind: 'gcp_group', name: `${prefix.slice(7).toLowerCase()}s of project ${value}` };
    case 'principal':
    case 'principalSet':
      return value.startsWith('//') ? { raw, type: 'federated', id: ids.gcpMember(raw), kind: prefix === 'principal' ? 'gcp_user' : 'gcp_group', name: value } : undefined;
    case 'deleted':
      return { raw, type: 'deleted', name: value };
    default:
      return undefined;
  }
}

/** The stub node an importer states for a member it saw in a binding. */
export function memberStub(m: Member): NodeFact | undefined {
  if (!m.id || !m.kind) return undefined;
  const props: JsonObject = { member: m.raw };
  if (m.type === 'serviceAccount') {
    props['email'] = m.name;
    const project = projectOfServiceAccountEmail(m.name);
    if (project) props['projectId'] = project;
  }
  return { id: m.id, kind: m.kind, name: m.name, handles: [m.raw, ...(m.type === 'user' || m.type === 'group' || m.type === 'serviceAccount' ? [m.name] : [])], props, stub: true };
}

/** "sa@my-proj.iam.gserviceaccount.com" → "my-proj"; default and Google-managed accounts do not name their project. */
export function projectOfServiceAccountEmail(email: string): string | undefined {
  return /^[^@]+@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/i.exec(email)?.[1]?.toLowerCase();
}

/** The "projects/<p>/serviceAccounts/<email|uniqueId>[/keys/<keyId>]" parts of a service-account resource name. */
export function parseServiceAccountName(name: string): { project?: string; account: string; keyId?: string } | undefined {
  const m = /(?:^|\/)projects\/([^/]+)\/serviceAccounts\/([^/]+)(?:\/keys\/([^/]+))?$/.exec(name);
  if (!m) return undefined;
  const project = m[1] === '-' ? undefined : m[1];
  return { ...(project ? { project } : {}), account: decodeURIComponent(m[2]!), ...(m[3] ? { keyId: m[3] } : {}) };
}

const CRM = '//cloudresourcemanager.googleapis.com/';

/** Node id for a Cloud Asset Inventory full resource name (or a short "projects/123" ancestor). */
export function nodeIdOfAssetName(name: string): string {
  const short = name.startsWith(CRM) ? name.slice(CRM.length) : name;
  // "projects/X", "folders/X", "organizations/X": one slash, something after it.
  const slash = short.indexOf('/');
  if (slash > 0 && slash < short.length - 1 && short.indexOf('/', slash + 1) === -1) {
    const head = short.slice(0, slash);
    if (head === 'projects') return ids.gcpProject(short.slice(slash + 1));
    if (head === 'folders') return ids.gcpFolder(short.slice(slash + 1));
    if (head === 'organizations') return ids.gcpOrganization(short.slice(slash + 1));
  }
  if (name.startsWith('//iam.googleapis.com/')) {
    const sa = parseServiceAccountName(name.slice('//iam.googleapis.com/'.length));
    if (sa && !sa.keyId) return ids.gcpServiceAccount(sa.account);
    if (sa?.keyId) return ids.gcpKey(sa.keyId);
  }
  return ids.gcpResource(name);
}

/** A key's validBeforeTime of 9999-12-31 is how IAM writes "never expires". */
export function expiryOf(validBeforeTime: unknown): string | null | undefined {
  if (typeof validBeforeTime !== 'string' || !validBeforeTime) return undefined;
  return validBeforeTime.startsWith('9999-') ? null : validBeforeTime;
}

// --- dangerous predefined roles ------------------------------------------------------------------------

export interface RoleEffect {
  /** Admin-equivalent on every project the binding covers: the role can rewrite the IAM policy. */
  admin?: string;
  /** Can act as every service account the binding covers (project-level) or the one whose policy holds it. */
  escalate?: { technique: string; why: string; needs?: string };
}

// Permissions quoted are those of the predefined roles (cloud.google.com/iam/docs/understanding-roles).
export const GCP_DANGEROUS_ROLES: Readonly<Record<string, RoleEffect>> = {
  'roles/owner': {
    admin: 'roles/owner holds resourcemanager.projects.setIamPolicy: it can grant any role to anyone',
    escalate: { technique: 'iam.serviceAccounts.getAccessToken', why: 'roles/owner holds iam.serviceAccounts.getAccessToken' },
  },
  'roles/resourcemanager.projectIamAdmin': { admin: 'roles/resourcemanager.projectIamAdmin holds resourcemanager.projects.setIamPolicy: it can grant itself roles/owner' },
  'roles/iam.securityAdmin': { admin: 'roles/iam.securityAdmin holds setIamPolicy on projects, folders and organizations: it can grant itself roles/owner' },
  'roles/resourcemanager.organizationAdmin': { admin: 'roles/resourcemanager.organizationAdmin holds setIamPolicy on the organization, its folders and projects' },
  'roles/resourcemanager.folderAdmin': { admin: 'roles/resourcemanager.folderAdmin holds setIamPolicy on the folder and the projects below it' },
  'roles/resourcemanager.folderIamAdmin': { admin: 'roles/resourcemanager.folderIamAdmin holds setIamPolicy on the folder and the projects below it' },
  // Editor cannot change IAM policies, so it is not admin by itself; it can act as any service account
  // of the project (actAs, and create its keys), which reaches admin when one of them is an owner.
  'roles/editor': {
    escalate: { technique: 'iam.serviceAccountKeys.create', why: 'roles/editor holds iam.serviceAccountKeys.create and iam.serviceAccounts.actAs' },
  },
  'roles/iam.serviceAccountTokenCreator': {
    escalate: { technique: 'iam.serviceAccounts.getAccessToken', why: 'roles/iam.serviceAccountTokenCreator mints access tokens for the service account' },
  },
  'roles/iam.serviceAccountKeyAdmin': {
    escalate: { technique: 'iam.serviceAccountKeys.create', why: 'roles/iam.serviceAccountKeyAdmin creates keys for the service account' },
  },
  'roles/iam.serviceAccountAdmin': {
    escalate: { technique: 'iam.serviceAccounts.setIamPolicy', why: 'roles/iam.serviceAccountAdmin can set the service account IAM policy and grant itself roles/iam.serviceAccountTokenCreator' },
  },
  'roles/iam.serviceAccountUser': {
    escalate: {
      technique: 'iam.serviceAccounts.actAs',
      why: 'roles/iam.serviceAccountUser lets it attach the service account to a VM, function or job it creates',
      needs: 'also needs a permission to create or update a resource that runs as the service account (e.g. compute.instances.create)',
    },
  },
  'roles/iam.workloadIdentityUser': {
    escalate: { technique: 'iam.serviceAccounts.getAccessToken', why: 'roles/iam.workloadIdentityUser lets a federated or GKE workload identity get access tokens for the service account' },
  },
};

/** Access level a role gives on a resource it is bound on (buckets, datasets, keys, topics, …). */
export function accessLevelOfRole(role: string): AccessLevel {
  const r = role.toLowerCase();
  if (r.endsWith('objectadmin')) return 'Write';
  if (r === 'roles/owner' || /(^|\.)(admin|owner|legacybucketowner|dataowner|securityadmin)$/.test(r) || r.endsWith('iamadmin')) return 'Permissions management';
  if (r === 'roles/editor' || /(editor|writer|creator|publisher|developer|user|encrypterdecrypter|decrypter|encrypter|legacybucketwriter|objectadmin|invoker|signer)$/.test(r)) return 'Write';
  if (/(viewer|reader|subscriber|browser|lister)$/.test(r) || r === 'roles/viewer') return 'Read';
  return 'Read';
}

/** A project boundary and its admin node, as every GCP importer that names a project states them. */
export function projectNodes(projectId: string, stub: boolean, props: JsonObject = {}): NodeFact[] {
  const id = ids.gcpProject(projectId);
  return [
    { id, kind: 'gcp_project', name: projectId, handles: [projectId], props: { projectId, ...props }, ...(stub ? { stub: true } : {}) },
    { id: ids.admin(id), kind: 'admin', name: `Owner of GCP project ${projectId}`, boundary: id, ...(stub ? { stub: true } : {}) },
  ];
}

/** Reads the bindings of an IAM policy object, warning (not failing) on members IAM would not accept. */
export function readBindings(
  policy: Record<string, unknown>,
  where: (...parts: (string | number)[]) => string,
  file: string,
  onMember: (m: Member) => void,
  warn: (message: string, location: string) => void,
): StoredBinding[] | undefined {
  const bindings = policy['bindings'];
  if (bindings === undefined) return [];
  if (!Array.isArray(bindings)) return undefined;
  const out: StoredBinding[] = [];
  bindings.forEach((b: unknown, i) => {
    if (typeof b !== 'object' || b === null || Array.isArray(b)) {
      warn('binding skipped: not an object', where('bindings', i));
      return;
    }
    const rec = b as Record<string, unknown>;
    const role = rec['role'];
    const members = rec['members'];
    if (typeof role !== 'string' || !Array.isArray(members)) {
      warn('binding skipped: it needs a string "role" and a "members" array', where('bindings', i));
      return;
    }
    const kept: string[] = [];
    members.forEach((raw: unknown, j) => {
      const m = typeof raw === 'string' ? parseMember(raw) : undefined;
      if (!m) {
        warn(`member ${JSON.stringify(raw)} skipped: not an IAM member (user:, serviceAccount:, group:, domain:, allUsers, …)`, where('bindings', i, 'members', j));
        return;
      }
      if (!kept.includes(m.raw)) kept.push(m.raw);
      onMember(m);
    });
    const cond = rec['condition'];
    const condition =
      typeof cond === 'object' && cond !== null && typeof (cond as Record<string, unknown>)['expression'] === 'string'
        ? `${typeof (cond as Record<string, unknown>)['title'] === 'string' ? `${String((cond as Record<string, unknown>)['title'])}: ` : ''}${String((cond as Record<string, unknown>)['expression'])}`
        : undefined;
    out.push({ role, members: kept, ...(condition ? { condition } : {}), at: `${file} ${where('bindings', i)}` });
  });
  return out;
}
