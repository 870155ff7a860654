import type { Json, JsonObject, NodeFact } from '../../model/fragment.js';
import { arnAccount, ids } from '../../model/ids.js';
import { ImportError } from '../errors.js';
import { parsePolicy, type TfContext } from './context.js';
import type { Instance } from './read.js';

// AWS IAM resources of the Terraform AWS provider → the nodes and props a GAAD import writes (same ARNs as ids, same
// prop names), so a state and an account export merge and the AWS rules evaluate them alike. A role, user or group
// is assembled from every resource that adds to it in the file (its inline and attached policies, memberships).
// Access-key secrets and SMTP passwords (secret, ses_smtp_password_v4) and console passwords are never read.

export const AWS_TYPES = new Set([
  'aws_iam_user', 'aws_iam_group', 'aws_iam_role', 'aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy',
  'aws_iam_role_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment', 'aws_iam_policy_attachment',
  'aws_iam_user_group_membership', 'aws_iam_group_membership', 'aws_iam_instance_profile', 'aws_iam_openid_connect_provider',
  'aws_iam_saml_provider', 'aws_iam_access_key', 'aws_iam_user_login_profile',
]);

const OWNER_TAGS = ['owner', 'Owner', 'OWNER', 'team', 'Team', 'contact', 'Contact'];

type Kind = 'role' | 'user' | 'group';

export function mapAws(tf: TfContext, instances: Instance[]): void {
  const mine = instances.filter((i) => AWS_TYPES.has(i.type));
  if (!mine.length) return;
  const { account, partition } = accountOf(tf, mine);
  if (!account) throw new ImportError(tf.file, 'no AWS account id in any ARN of the file (a plan of new resources has none yet); pass --account', mine[0]!.at);
  const boundary = ids.awsAccount(account);
  tf.node({ id: boundary, kind: 'aws_account', name: account, handles: [account, boundary], props: { accountId: account }, stub: true });
  tf.node({ id: ids.admin(boundary), kind: 'admin', name: `Admin of AWS account ${account}`, boundary, stub: true });
  const arn = (resource: string) => `arn:${partition}:iam::${account}:${resource}`;
  const principals: Record<Kind, Map<string, NodeFact>> = { role: new Map(), user: new Map(), group: new Map() };

  // A principal by name: the one this file declares, else a stub (declared elsewhere) that collects what this file adds.
  const principal = (kind: Kind, name: string): NodeFact => {
    let n = principals[kind].get(name);
    if (!n) {
      const id = arn(`${kind}/${name}`);
      n = { id, kind: `aws_${kind}`, name, handles: [id, name], boundary, stub: true, props: { [`${kind}Name`]: name } };
      principals[kind].set(name, n);
    }
    return n;
  };
  const path = (inst: Instance) => {
    const p = tf.str(inst, 'path') ?? '/';
    return p.endsWith('/') ? p : `${p}/`;
  };

  for (const inst of mine.filter((i) => i.type === 'aws_iam_role' || i.type === 'aws_iam_user' || i.type === 'aws_iam_group')) {
    const kind = inst.type.slice('aws_iam_'.length) as Kind;
    const name = tf.str(inst, 'name');
    if (!name) {
      tf.warn(`${inst.address}: the ${kind} name is known only after apply (name_prefix?); it is skipped`, inst.at);
      continue;
    }
    const id = tf.str(inst, 'arn') ?? arn(`${kind}${path(inst)}${name}`);
    const tags = tagsOf(inst.values['tags']) ?? tagsOf(inst.values['tags_all']);
    const owner = tags ? OWNER_TAGS.map((k) => tags[k]).find(Boolean) : undefined;
    const props: JsonObject = clean({
      [`${kind}Name`]: name,
      [`${kind}Id`]: tf.str(inst, 'unique_id'),
      path: path(inst),
      createdAt: tf.str(inst, 'create_date'),
      tags,
      owner,
      accountId: account,
      permissionsBoundary: tf.str(inst, 'permissions_boundary'),
      maxSessionDuration: typeof inst.values['max_session_duration'] === 'number' ? inst.values['max_session_duration'] : undefined,
      ...tf.tf(inst),
    });
    if (kind === 'role') {
      const trust = parsePolicy(tf, inst, 'assume_role_policy');
      if (trust) props['trustPolicy'] = trust;
    }
    const prev = principals[kind].get(name);
    const node: NodeFact = { id, kind: `aws_${kind}`, name, boundary, handles: [id, name, ...(tf.str(inst, 'unique_id') ? [tf.str(inst, 'unique_id')!] : [])], props: { ...(prev?.props ?? {}), ...props } };
    principals[kind].set(name, node);
    tf.made(inst, id);
    if (kind === 'role') {
      // Inline policies and managed policy ARNs the role resource itself declares (or, in newer providers, reports).
      for (const b of tf.blocks(inst.values['inline_policy'])) {
        const policyName = typeof b['name'] === 'string' ? b['name'] : undefined;
        const doc = typeof b['policy'] === 'string' && b['policy'] ? safeJson(b['policy']) : undefined;
        if (policyName && doc) pushUnique(node, 'inlinePolicies', { name: policyName, document: doc }, (x) => x['name'] === policyName);
      }
      for (const p of tf.strings(inst, 'managed_policy_arns')) pushUnique(node, 'attachedPolicies', p);
    }
  }

  for (const inst of mine) {
    const v = inst.values;
    switch (inst.type) {
      case 'aws_iam_role_policy':
      case 'aws_iam_user_policy':
      case 'aws_iam_group_policy': {
        const kind = inst.type.split('_')[2] as Kind;
        const owner = nameOf(tf, inst, kind, principals);
        const policyName = tf.str(inst, 'name') ?? inst.name;
        const doc = parsePolicy(tf, inst, 'policy');
        if (owner && doc) pushUnique(principal(kind, owner), 'inlinePolicies', { name: policyName, document: doc }, (x) => x['name'] === policyName);
        break;
      }
      case 'aws_iam_role_policy_attachment':
      case 'aws_iam_user_policy_attachment':
      case 'aws_iam_group_policy_attachment': {
        const kind = inst.type.split('_')[2] as Kind;
        const owner = nameOf(tf, inst, kind, principals);
        const policy = tf.str(inst, 'policy_arn') ?? policyRef(tf, inst);
        if (owner && policy) pushUnique(principal(kind, owner), 'attachedPolicies', policy);
        break;
      }
      case 'aws_iam_policy_attachment': {
        const policy = tf.str(inst, 'policy_arn') ?? policyRef(tf, inst);
        if (!policy) break;
        for (const kind of ['role', 'user', 'group'] as const) for (const n of tf.strings(inst, `${kind}s`)) pushUnique(principal(kind, n), 'attachedPolicies', policy);
        break;
      }
      case 'aws_iam_user_group_membership':
        for (const g of tf.strings(inst, 'groups')) member(tf, principal, tf.str(inst, 'user'), g, inst);
        break;
      case 'aws_iam_group_membership':
        for (const u of tf.strings(inst, 'users')) member(tf, principal, u, tf.str(inst, 'group'), inst);
        break;
      case 'aws_iam_policy': {
        const name = tf.str(inst, 'name');
        if (!name) {
          tf.warn(`${inst.address}: the policy name is known only after apply; it is skipped`, inst.at);
          break;
        }
        const id = tf.str(inst, 'arn') ?? arn(`policy${path(inst)}${name}`);
        const doc = parsePolicy(tf, inst, 'policy');
        tf.node({ id, kind: 'aws_managed_policy', name, boundary, handles: [id, name, ...(tf.str(inst, 'policy_id') ? [tf.str(inst, 'policy_id')!] : [])], props: clean({ policyName: name, policyId: tf.str(inst, 'policy_id'), path: path(inst), awsManaged: false, document: doc, description: tf.str(inst, 'description'), ...tf.tf(inst) }) });
        tf.made(inst, id);
        break;
      }
      case 'aws_iam_instance_profile': {
        const name = tf.str(inst, 'name');
        if (!name) break;
        const id = tf.str(inst, 'arn') ?? arn(`instance-profile${path(inst)}${name}`);
        const roleName = tf.str(inst, 'role');
        const role = roleName ? principal('role', roleName) : undefined;
        tf.node({ id, kind: 'aws_instance_profile', name, boundary, handles: [id, name], props: { instanceProfileName: name, roles: role ? [role.id] : [], ...tf.tf(inst) } });
        if (role) pushUnique(role, 'instanceProfiles', id);
        break;
      }
      case 'aws_iam_openid_connect_provider': {
        const url = tf.str(inst, 'url');
        if (!url) break;
        const host = url.replace(/^https:\/\//, '');
        const id = tf.str(inst, 'arn') ?? arn(`oidc-provider/${host}`);
        tf.node({ id, kind: 'aws_identity_provider', name: host, boundary, handles: [id, host], props: clean({ providerType: 'OIDC', url: `https://${host}`, clientIdList: tf.strings(inst, 'client_id_list'), thumbprintList: tf.strings(inst, 'thumbprint_list'), tags: tagsOf(v['tags']), ...tf.tf(inst) }) });
        break;
      }
      case 'aws_iam_saml_provider': {
        const name = tf.str(inst, 'name');
        if (!name) break;
        const id = tf.str(inst, 'arn') ?? arn(`saml-provider/${name}`);
        tf.node({ id, kind: 'aws_identity_provider', name, boundary, handles: [id, name], props: { providerType: 'SAML', ...tf.tf(inst) } });
        break;
      }
      case 'aws_iam_access_key':
        accessKey(tf, inst, principal, boundary);
        break;
      case 'aws_iam_user_login_profile': {
        const userName = nameOf(tf, inst, 'user', principals);
        if (!userName) break;
        const user = principal('user', userName);
        const id = ids.awsPassword(user.id);
        tf.node({ id, kind: 'aws_password', name: `${userName} console password`, handles: [id], boundary, props: clean({ active: true, managedBy: 'user', ownerId: user.id, userName, passwordResetRequired: typeof v['password_reset_required'] === 'boolean' ? v['password_reset_required'] : undefined, ...tf.tf(inst) }) });
        tf.edge({ from: id, to: user.id, kind: 'AUTHENTICATES_AS', props: { reason: 'authenticates as the user it belongs to (aws_iam_user_login_profile)', at: inst.at } });
        break;
      }
      default:
        break;
    }
  }
  for (const map of Object.values(principals)) for (const n of map.values()) tf.node(n);
}

function accessKey(tf: TfContext, inst: Instance, principal: (kind: Kind, name: string) => NodeFact, boundary: string): void {
  const userName = tf.str(inst, 'user') ?? (tf.ref(inst, 'user') ? String(tf.nodeOf(tf.ref(inst, 'user')!.address)?.inst.values['name'] ?? '') || undefined : undefined);
  if (!userName) {
    tf.warn(`${inst.address}: the key's user is not known; the key is skipped`, inst.at);
    return;
  }
  const user = principal('user', userName);
  const keyId = tf.str(inst, 'id');
  // A key created by this plan has no id yet: it stands as a credential of its own until applied.
  const id = keyId && /^A[KS]IA[A-Z0-9]{12,}$/.test(keyId) ? ids.awsAccessKey(keyId) : `aws:key:terraform:${inst.address}`;
  const status = tf.str(inst, 'status') ?? 'Active';
  // Whether the state holds the secret in clear: the secret itself never leaves this line.
  const secretInState = ['secret', 'ses_smtp_password_v4'].some((k) => typeof inst.values[k] === 'string' && inst.values[k] !== '');
  if (secretInState) tf.warn(`${inst.address}: the file holds the secret access key of ${keyId ?? 'this key'} in clear (not stored here): whoever reads the file holds the key`, inst.at);
  tf.node({
    id,
    kind: 'aws_access_key',
    name: keyId ?? `new access key of ${userName} (${inst.address})`,
    handles: [...(keyId ? [keyId] : []), inst.address],
    boundary,
    props: clean({ userName, status, active: status === 'Active', managedBy: 'user', createdAt: tf.str(inst, 'create_date'), ownerId: user.id, secretInState: secretInState || undefined, ...tf.tf(inst) }),
  });
  tf.made(inst, id);
  tf.edge({ from: id, to: user.id, kind: 'AUTHENTICATES_AS', props: { reason: 'authenticates as the user it belongs to (aws_iam_access_key)', at: inst.at, ...(status === 'Active' ? {} : { conditional: `the key is ${status}: it authenticates only if reactivated` }) } });
}

function member(tf: TfContext, principal: (kind: Kind, name: string) => NodeFact, user: string | undefined, group: string | undefined, inst: Instance): void {
  if (!user || !group) return;
  const u = principal('user', user);
  const g = principal('group', group);
  pushUnique(u, 'groups', group);
  tf.edge({ from: u.id, to: g.id, kind: 'MEMBER_OF', props: { reason: `is a member of the group (${inst.type})`, at: inst.at } });
}

/** The principal's name a policy or attachment resource names (role / user / group), following a reference if unknown. */
function nameOf(tf: TfContext, inst: Instance, kind: Kind, principals: Record<Kind, Map<string, NodeFact>>): string | undefined {
  const direct = tf.str(inst, kind);
  if (direct) return direct.includes(':') ? direct.split('/').pop() : direct;
  const ref = tf.ref(inst, kind);
  const target = ref ? tf.nodeOf(ref.address) : undefined;
  const name = target ? [...principals[kind].values()].find((n) => n.id === target.id)?.name : undefined;
  if (!name) tf.warn(`${inst.address}: the ${kind} it applies to is not known; it is skipped`, inst.at);
  return name;
}

/** A policy ARN unknown until apply (a policy this plan creates): the ARN the policy resource will have. */
function policyRef(tf: TfContext, inst: Instance): string | undefined {
  const ref = tf.ref(inst, 'policy_arn');
  return ref ? tf.nodeOf(ref.address)?.id : undefined;
}

function accountOf(tf: TfContext, instances: Instance[]): { account?: string; partition: string } {
  const counts = new Map<string, number>();
  let partition = 'aws';
  for (const inst of [...instances, ...tf.doc.data]) {
    for (const key of ['arn', 'policy_arn', 'account_id']) {
      const v = inst.values[key];
      if (typeof v !== 'string') continue;
      const acct = key === 'account_id' ? (/^\d{12}$/.test(v) ? v : undefined) : arnAccount(v);
      if (acct) counts.set(acct, (counts.get(acct) ?? 0) + 1);
      if (v.startsWith('arn:')) partition = v.split(':')[1] ?? partition;
    }
  }
  const fromFile = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const account = tf.ctx.options.account ?? fromFile;
  return { ...(account ? { account } : {}), partition };
}

function pushUnique(node: NodeFact, prop: string, value: Json, same: (x: JsonObject) => boolean = () => false): void {
  node.props ??= {};
  const list = Array.isArray(node.props[prop]) ? (node.props[prop] as Json[]) : [];
  const dup = list.some((x) => (typeof value === 'string' ? x === value : typeof x === 'object' && x !== null && !Array.isArray(x) && same(x)));
  if (!dup) list.push(value);
  node.props[prop] = list;
}

function tagsOf(v: unknown): Record<string, string> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return Object.keys(out).length ? out : undefined;
}

function safeJson(text: string): JsonObject | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

function clean(o: Record<string, Json | Record<string, string> | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v as Json;
  return out;
}
