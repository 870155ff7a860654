import { isObject } from '../../model/fragment.js';
import type { Json, JsonObject, NodeFact } from '../../model/fragment.js';
import { flat } from '../../model/flat.js';
import { ids } from '../../model/ids.js';
import { AWS_AUTH, iamPrincipalStub, readAwsAuth } from '../eks-auth.js';
import { ImportError } from '../errors.js';
import type { Builder } from './builder.js';
import { baseProps, join, nsOf, type Located } from './objects.js';

// RBAC as written: roles with their rules, a HAS_ROLE edge per binding subject (never evaluated here: see
// providers/k8s/rbac.ts), and EKS's aws-auth ConfigMap, which maps IAM principals to the users and groups bindings name.

export function role(b: Builder, o: Located): void {
  const kind = String(o.obj['kind']);
  const name = String((o.obj['metadata'] as Record<string, unknown>)['name']);
  const ns = kind === 'Role' ? nsOf(o) : undefined;
  const rules = o.obj['rules'] ?? [];
  if (!Array.isArray(rules)) throw new ImportError(b.file, `expected "rules" to be an array in ${kind} ${name}`, join(o.at, 'rules'));
  rules.forEach((r, i) => {
    if (!isObject(r) || !Array.isArray(r['verbs'])) throw new ImportError(b.file, `a policy rule needs "verbs" (an array) in ${kind} ${name}`, join(o.at, 'rules', i));
  });
  const props: JsonObject = { ...baseProps(b.file, o), roleKind: kind, rules: rules as Json[] };
  if (ns) props['namespace'] = ns;
  if (isObject(o.obj['aggregationRule'])) props['aggregationRule'] = o.obj['aggregationRule'] as JsonObject;
  if (ns) b.namespaceRef(ns);
  b.add({ id: ids.k8sObject(b.cluster, ns, kind.toLowerCase(), name), kind: 'k8s_role', name: ns ? flat`${ns}/${name}` : name, handles: ns ? [flat`${ns}/${name}`] : [name], props });
}

/** A role a binding names: one id string per role (thousands of bindings name the same few), its stub made once. */
function roleRef(b: Builder, ns: string | undefined, kind: 'Role' | 'ClusterRole', name: string, make: () => Omit<NodeFact, 'id'>): string {
  let byName = kind === 'ClusterRole' ? b.clusterRoleIds : b.roleIds.get(ns ?? '');
  if (!byName) b.roleIds.set(ns ?? '', (byName = new Map()));
  const known = byName.get(name);
  if (known !== undefined) return known;
  const id = b.stub(ids.k8sObject(b.cluster, ns, kind.toLowerCase(), name), make);
  byName.set(name, id);
  return id;
}

export function binding(b: Builder, o: Located): void {
  const kind = String(o.obj['kind']);
  const name = String((o.obj['metadata'] as Record<string, unknown>)['name']);
  const ns = kind === 'RoleBinding' ? nsOf(o) : undefined;
  const ref = o.obj['roleRef'];
  if (!isObject(ref) || typeof ref['name'] !== 'string' || (ref['kind'] !== 'Role' && ref['kind'] !== 'ClusterRole')) {
    throw new ImportError(b.file, `${kind} ${name} needs "roleRef" with kind Role or ClusterRole and a name`, join(o.at, 'roleRef'));
  }
  if (ref['kind'] === 'Role' && !ns) throw new ImportError(b.file, `ClusterRoleBinding ${name} cannot refer to a Role`, join(o.at, 'roleRef', 'kind'));
  const roleNs = ref['kind'] === 'Role' ? ns : undefined;
  const roleName = ref['name'];
  const refKind = ref['kind'];
  const roleId = roleRef(b, roleNs, refKind, roleName, () => ({ kind: 'k8s_role', name: roleNs ? `${roleNs}/${roleName}` : roleName, props: { roleKind: refKind, ...(roleNs ? { namespace: roleNs } : {}) } }));
  const subjects = o.obj['subjects'] ?? [];
  if (!Array.isArray(subjects)) throw new ImportError(b.file, `expected "subjects" to be an array in ${kind} ${name}`, join(o.at, 'subjects'));
  const where = ns ? `RoleBinding ${ns}/${name}` : `ClusterRoleBinding ${name}`;
  subjects.forEach((s, i) => {
    const at = join(o.at, 'subjects', i);
    if (!isObject(s) || typeof s['name'] !== 'string' || typeof s['kind'] !== 'string') throw new ImportError(b.file, 'a subject needs "kind" and "name"', at);
    const from = subject(b, s['kind'], s['name'], typeof s['namespace'] === 'string' && s['namespace'] ? s['namespace'] : ns, at);
    if (!from) return;
    b.edges.push({
      from,
      to: roleId,
      kind: 'HAS_ROLE',
      props: {
        reason: flat`${where} binds ${refKind} ${roleName}`,
        bindingKind: kind,
        binding: name,
        ...(ns ? { namespace: ns } : {}),
        roleKind: ref['kind'],
        role: roleName,
        at,
        sourceFile: b.file,
      },
    });
  });
}

function subject(b: Builder, kind: string, name: string, ns: string | undefined, at: string): string | undefined {
  if (kind === 'ServiceAccount') {
    if (!ns) {
      b.fragment.warnings.push({ message: `service-account subject ${name} of a ClusterRoleBinding has no namespace; skipped`, location: at });
      return undefined;
    }
    return b.saRef(ns, name);
  }
  if (kind === 'User') {
    // The API server authenticates a service-account token as this user name: the binding is the SA's.
    const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(name);
    if (sa) return b.saRef(sa[1]!, sa[2]!);
    return b.stub(ids.k8sObject(b.cluster, undefined, 'user', name), () => ({ kind: 'k8s_user', name, handles: [name], props: { user: name } }));
  }
  if (kind === 'Group') return b.stub(ids.k8sObject(b.cluster, undefined, 'group', name), () => ({ kind: 'k8s_group', name, handles: [name], props: { group: name } }));
  b.fragment.warnings.push({ message: `subject kind ${JSON.stringify(kind)} is not ServiceAccount, User or Group; skipped`, location: at });
  return undefined;
}

/**
 * EKS's aws-auth ConfigMap: each IAM role or user it maps FEDERATES_TO the Kubernetes user it becomes (the username
 * as written, templates such as {{SessionName}} kept), which is a MEMBER_OF each group it names; RBAC rules do the
 * rest (system:masters is cluster-admin: k8s-admin). Only the mappings are kept, never the ConfigMap's data.
 */
export function awsAuth(b: Builder, o: Located): void {
  const auth = readAwsAuth(b.file, o.obj['data'], join(o.at, 'data'));
  b.fragment.warnings.push(...auth.warnings);
  const where = `ConfigMap ${AWS_AUTH.namespace}/${AWS_AUTH.name}`;
  for (const m of auth.mappings) {
    const principal = m.arn;
    b.stub(principal, () => iamPrincipalStub(principal, m.principalKind));
    const user = subject(b, 'User', m.username, undefined, m.at)!;
    const place = { configMap: `${AWS_AUTH.namespace}/${AWS_AUTH.name}`, key: m.key, index: m.index, at: m.at, sourceFile: b.file };
    const what = m.principalKind === 'aws_role' ? 'role' : 'user';
    b.edges.push({ from: principal, to: user, kind: 'FEDERATES_TO', props: { reason: `${where} maps IAM ${what} ${principal} to Kubernetes user ${m.username}`, technique: 'EKS aws-auth ConfigMap', ...place } });
    for (const g of m.groups) {
      const group = subject(b, 'Group', g, undefined, m.at)!;
      b.edges.push({ from: user, to: group, kind: 'MEMBER_OF', props: { reason: `${where} puts the user ${m.username} of IAM ${what} ${principal} in group ${g}`, technique: 'EKS aws-auth ConfigMap', ...place } });
    }
  }
  if (auth.accounts.length) {
    // Every IAM principal of these accounts signs in as its own ARN with no group but system:authenticated: the
    // principals are not known here, so the accounts are recorded on the cluster, and the eks-mapped-accounts rule
    // draws the principals an AWS export brings.
    const cluster = b.nodes.get(b.clusterId)!;
    cluster.props = { ...cluster.props, awsAuthMappedAccounts: auth.accounts };
    b.fragment.warnings.push({
      message: `aws-auth mapAccounts lets every IAM user and role of account${auth.accounts.length > 1 ? 's' : ''} ${auth.accounts.join(', ')} sign in to cluster ${b.cluster} as its own ARN, with only the group system:authenticated: drawn for the principals of the account${auth.accounts.length > 1 ? 's' : ''} an AWS export in the case holds (recorded on the cluster as awsAuthMappedAccounts); check what system:authenticated is bound to`,
      location: join(o.at, 'data', 'mapAccounts'),
    });
  }
}
