import { isObject } from '../../model/fragment.js';
import type { Json, NodeFact } from '../../model/fragment.js';
import { ids } from '../../model/ids.js';
import { memberStub, parseMember, parseServiceAccountName, projectNodes, projectOfServiceAccountEmail, type StoredBinding } from '../../providers/gcp/iam.js';
import { keyEdge, keyNodes } from '../gcp-iam.js';
import type { TfContext } from './context.js';
import type { Instance } from './read.js';

// The Terraform google provider: service accounts and their keys (private_key never read), and IAM at every level
// the provider offers — google_<resource>_iam_policy (authoritative: the whole policy), _iam_binding (one role) and
// _iam_member (one member) for projects, folders, organizations, service accounts and resources (buckets, topics,
// secrets, KMS keys, datasets). Nodes are those of the gcloud and Asset Inventory importers. A full policy is stored
// as props.iamBindings, as gcloud's is; bindings and members are what the code declares of a policy it does not own,
// so they go to props.iamBindingsDeclared, which the rules read beside the policy instead of replacing it.

const IAM = /^google_([a-z_]+?)_iam_(policy|binding|member)$/;

export function isGcpType(type: string): boolean {
  return type === 'google_service_account' || type === 'google_service_account_key' || IAM.test(type);
}

export function mapGcp(tf: TfContext, instances: Instance[]): void {
  const seenProjects = new Set<string>();
  const project = (p: string | undefined) => {
    if (p && !seenProjects.has(p)) {
      seenProjects.add(p);
      for (const n of projectNodes(p, true)) tf.node(n);
    }
  };
  for (const inst of instances) {
    if (inst.type !== 'google_service_account') continue;
    const projectId = tf.str(inst, 'project');
    const accountId = tf.str(inst, 'account_id');
    const email = (tf.str(inst, 'email') ?? (accountId && projectId ? `${accountId}@${projectId}.iam.gserviceaccount.com` : undefined))?.toLowerCase();
    if (!email) {
      tf.warn(`${inst.address}: neither email nor account_id and project are known; skipped`, inst.at);
      continue;
    }
    const uniqueId = tf.str(inst, 'unique_id');
    const id = ids.gcpServiceAccount(email);
    const desc = tf.str(inst, 'description');
    tf.node({
      id,
      kind: 'gcp_service_account',
      name: email,
      handles: [email, ...(uniqueId ? [uniqueId] : []), ...(tf.str(inst, 'name') ? [tf.str(inst, 'name')!] : [])],
      props: { email, ...(uniqueId ? { uniqueId } : {}), ...(tf.str(inst, 'display_name') ? { displayName: tf.str(inst, 'display_name')! } : {}), ...(desc ? { description: desc } : {}), disabled: inst.values['disabled'] === true, ...(projectId ? { projectId, accountId: projectId } : {}), ...tf.tf(inst) },
      ...(projectId ? { boundary: ids.gcpProject(projectId) } : {}),
    });
    if (uniqueId) (tf.fragment.aliases ??= []).push({ from: ids.gcpServiceAccount(uniqueId), to: id });
    tf.made(inst, id);
    project(projectId);
  }

  const declared = new Map<string, { holder: NodeFact; bindings: StoredBinding[]; full?: StoredBinding[] }>();
  for (const inst of instances) {
    if (inst.type === 'google_service_account_key') {
      key(tf, inst);
      continue;
    }
    const m = IAM.exec(inst.type);
    if (!m) continue;
    const holder = holderOf(tf, m[1]!, inst);
    if (!holder) continue;
    if (holder.kind === 'gcp_project') project(holder.name);
    let entry = declared.get(holder.id);
    if (!entry) declared.set(holder.id, (entry = { holder, bindings: [] }));
    const at = `${tf.file} ${inst.address} (${inst.at})`;
    if (m[2] === 'policy') {
      const text = tf.str(inst, 'policy_data');
      let policy: unknown;
      try {
        policy = text ? JSON.parse(text) : undefined;
      } catch {
        policy = undefined;
      }
      if (!isObject(policy)) {
        tf.warn(`${inst.address}: policy_data is not known or not a JSON policy; skipped`, inst.at);
        continue;
      }
      entry.full = (Array.isArray(policy['bindings']) ? policy['bindings'] : []).filter(isObject).map((b) => binding(tf, inst, String(b['role'] ?? ''), Array.isArray(b['members']) ? b['members'].filter((x): x is string => typeof x === 'string') : [], b['condition'], at)).filter((b) => b.role);
      continue;
    }
    const role = tf.str(inst, 'role');
    if (!role) continue;
    const members = m[2] === 'binding' ? tf.strings(inst, 'members') : [tf.str(inst, 'member') ?? memberRef(tf, inst)].filter((x): x is string => Boolean(x));
    if (!members.length) tf.warn(`${inst.address}: the member is known only after apply and refers to nothing in this file; skipped`, inst.at);
    else entry.bindings.push(binding(tf, inst, role, members, tf.blocks(inst.values['condition'])[0], at));
  }
  for (const { holder, bindings, full } of declared.values()) {
    holder.props ??= {};
    if (full) holder.props['iamBindings'] = full as unknown as Json[];
    if (bindings.length) holder.props['iamBindingsDeclared'] = bindings as unknown as Json[];
    tf.node(holder);
  }
}

function binding(tf: TfContext, inst: Instance, role: string, raw: string[], cond: unknown, at: string): StoredBinding {
  const members: string[] = [];
  for (const r of raw) {
    const m = parseMember(r);
    if (!m) {
      tf.warn(`${inst.address}: member ${JSON.stringify(r)} is not an IAM member; skipped`, inst.at);
      continue;
    }
    members.push(m.raw);
    const stub = memberStub(m);
    if (stub) tf.stub(stub);
  }
  const condition = isObject(cond) && typeof cond['expression'] === 'string' ? `${typeof cond['title'] === 'string' ? `${cond['title']}: ` : ''}${cond['expression']}` : undefined;
  return { role, members, ...(condition ? { condition } : {}), at };
}

/** A member unknown until apply (a service account this plan creates): its email from the account's node. */
function memberRef(tf: TfContext, inst: Instance): string | undefined {
  const ref = tf.ref(inst, 'member');
  const target = ref ? tf.nodeOf(ref.address) : undefined;
  return target?.id.startsWith('gcp:sa:') ? `serviceAccount:${target.id.slice('gcp:sa:'.length)}` : undefined;
}

/** The node that holds the policy of a google_<resource>_iam_* resource. */
function holderOf(tf: TfContext, resource: string, inst: Instance): NodeFact | undefined {
  const s = (k: string) => tf.str(inst, k);
  switch (resource) {
    case 'project': {
      const p = s('project')?.replace(/^projects\//, '');
      return p ? { ...projectNodes(p, true)[0]!, stub: true } : undefined;
    }
    case 'folder': {
      const f = s('folder')?.replace(/^folders\//, '');
      return f ? { id: ids.gcpFolder(f), kind: 'gcp_folder', name: `folder ${f}`, handles: [f], stub: true } : undefined;
    }
    case 'organization': {
      const o = s('org_id');
      return o ? { id: ids.gcpOrganization(o), kind: 'gcp_organization', name: `organization ${o}`, handles: [o], stub: true } : undefined;
    }
    case 'service_account': {
      const sa = s('service_account_id');
      const parsed = sa ? parseServiceAccountName(sa) : undefined;
      const ref = !sa ? tf.ref(inst, 'service_account_id') : undefined;
      const account = parsed?.account ?? (ref ? tf.nodeOf(ref.address)?.id.replace(/^gcp:sa:/, '') : undefined);
      if (!account) break;
      const projectId = parsed?.project ?? projectOfServiceAccountEmail(account);
      return { id: ids.gcpServiceAccount(account), kind: 'gcp_service_account', name: account.toLowerCase(), handles: [account], props: { email: account.toLowerCase() }, stub: true, ...(projectId ? { boundary: ids.gcpProject(projectId) } : {}) };
    }
    default: {
      const full = resourceName(resource, inst, s);
      if (full) return { id: ids.gcpResource(full), kind: 'gcp_resource', name: full.split('/').pop() ?? full, handles: [full], props: { assetType: resource }, stub: true, ...(s('project') ? { boundary: ids.gcpProject(s('project')!) } : {}) };
    }
  }
  tf.warn(`${inst.address}: ${inst.type} on a resource this build does not name; its bindings are not read`, inst.at);
  return undefined;
}

/** Full resource names as Cloud Asset Inventory writes them, for the resource-level IAM resources. */
function resourceName(resource: string, inst: Instance, s: (k: string) => string | undefined): string | undefined {
  const path = (v: string | undefined, service: string) => (v ? `//${service}/${v.replace(/^\/\/[^/]+\//, '')}` : undefined);
  switch (resource) {
    case 'storage_bucket':
      return s('bucket') ? `//storage.googleapis.com/${s('bucket')!.replace(/^b\//, '')}` : undefined;
    case 'pubsub_topic':
      return s('topic')?.startsWith('projects/') ? path(s('topic'), 'pubsub.googleapis.com') : s('project') && s('topic') ? `//pubsub.googleapis.com/projects/${s('project')}/topics/${s('topic')}` : undefined;
    case 'secret_manager_secret':
      return s('secret_id')?.startsWith('projects/') ? path(s('secret_id'), 'secretmanager.googleapis.com') : s('project') && s('secret_id') ? `//secretmanager.googleapis.com/projects/${s('project')}/secrets/${s('secret_id')}` : undefined;
    case 'kms_crypto_key':
      return path(s('crypto_key_id'), 'cloudkms.googleapis.com');
    case 'kms_key_ring':
      return path(s('key_ring_id'), 'cloudkms.googleapis.com');
    case 'bigquery_dataset':
      return s('project') && s('dataset_id') ? `//bigquery.googleapis.com/projects/${s('project')}/datasets/${s('dataset_id')}` : undefined;
    default:
      void inst;
      return undefined;
  }
}

function key(tf: TfContext, inst: Instance): void {
  const name = tf.str(inst, 'name') ?? tf.str(inst, 'id');
  const parsed = name ? parseServiceAccountName(name) : undefined;
  const account = parsed?.account ?? parseServiceAccountName(tf.str(inst, 'service_account_id') ?? '')?.account ?? tf.str(inst, 'service_account_id');
  const secretInState = typeof inst.values['private_key'] === 'string' && inst.values['private_key'] !== '';
  if (secretInState) tf.warn(`${inst.address}: the file holds the service-account key's private key in clear (not stored here): whoever reads the file holds the key`, inst.at);
  if (!parsed?.keyId || !account) {
    tf.warn(`${inst.address}: the key id is known only after apply; the key stands as a pending credential`, inst.at);
    if (!account) return;
  }
  const keyId = parsed?.keyId ?? `terraform:${inst.address}`;
  const data: Record<string, unknown> = { validAfterTime: tf.str(inst, 'valid_after'), validBeforeTime: tf.str(inst, 'valid_before'), keyType: 'USER_MANAGED', keyAlgorithm: tf.str(inst, 'key_algorithm') };
  const nodes = keyNodes(keyId, account, parsed?.project, data, inst.at, tf.ctx, new Set());
  const [k, ...rest] = nodes;
  tf.node({ ...k!, props: { ...k!.props, ...tf.tf(inst), ...(secretInState ? { secretInState: true } : {}) } });
  for (const n of rest) {
    if (n.kind === 'gcp_service_account') tf.stub(n);
    else tf.node(n);
  }
  tf.edge(keyEdge(k!, account, inst.at, tf.ctx.now));
}
