import { isObject } from '../model/fragment.js';
import type { EdgeFact, GraphFragment, JsonObject, NodeFact } from '../model/fragment.js';
import { arnAccount, ids } from '../model/ids.js';
import { accessPolicyName, EKS_ACCESS_POLICY_RULES } from '../providers/k8s/eks-access-policies.js';
import { iamPrincipalStub } from './eks-auth.js';
import { jsonValues } from './aws-util.js';
import { ImportError, jsonPath } from './errors.js';
import type { Importer } from './types.js';

// EKS access entries, the API that replaces the aws-auth ConfigMap:
// - `aws eks describe-access-entry` (also create-/update-access-entry): {"accessEntry": {clusterName, principalArn,
//   kubernetesGroups, accessEntryArn, createdAt, modifiedAt, tags, username, type}}. The principal FEDERATES_TO the
//   Kubernetes user it becomes (username; EKS's default when absent), a MEMBER_OF each group (node types:
//   system:nodes), so RoleBindings of those groups apply.
// - `aws eks list-associated-access-policies` ({clusterName, principalArn, associatedAccessPolicies: [{policyArn,
//   accessScope: {type: cluster|namespace, namespaces}}]}) and associate-access-policy ({…, associatedAccessPolicy}):
//   each association is a HAS_ROLE from the principal to the access policy (a k8s_role holding the policy's rules,
//   see eks-access-policies.ts), cluster-wide or in each namespace, so the RBAC rules derive what it gives
//   (AmazonEKSClusterAdminPolicy at cluster scope: ADMIN_OF the cluster, by k8s-admin).
// - `aws eks list-access-entries` ({"accessEntries": [arn…]}) names principals only: a warning.
// - `aws eks list-access-policies` ({"accessPolicies": [{name, arn}]}) is the catalogue of policies EKS offers, held by
//   nobody: a warning, nothing drawn (so a folder of EKS exports imports).
// Per-principal outputs are often appended to one file by a loop (`>>`): each document is read.
// A JSON array of such documents is read too. The cluster is clusterName (--cluster overrides), named as the
// kubernetes importer names it, so a kubectl export imported with the same --cluster is the same cluster.

const NODE_TYPES: Record<string, string> = {
  EC2_LINUX: 'system:node:{{EC2PrivateDNSName}}',
  EC2_WINDOWS: 'system:node:{{EC2PrivateDNSName}}',
  FARGATE_LINUX: 'system:node:{{SessionName}}',
  HYBRID_LINUX: 'system:node:{{SessionName}}',
};

export const eksAccessEntries: Importer = {
  format: 'eks-access-entries',
  title: 'EKS access entries and access policies (aws eks describe-access-entry / list-associated-access-policies / list-access-entries / list-access-policies)',
  provider: 'aws',
  producedBy: 'aws eks describe-access-entry; aws eks list-associated-access-policies; aws eks list-access-entries; aws eks list-access-policies',
  emits: ['FEDERATES_TO', 'MEMBER_OF', 'HAS_ROLE'],
  detect(probe) {
    if (!probe.looksJson) return 0;
    if (/"(accessEntry|accessEntries|associatedAccessPolicies|associatedAccessPolicy)"\s*:/.test(probe.head)) return 0.95;
    return /"accessPolicies"\s*:/.test(probe.head) && /arn:aws[\w-]*:eks::aws:cluster-access-policy\//.test(probe.head) ? 0.9 : 0;
  },
  parse(input, ctx) {
    const file = input.fileName;
    // One output (an array of them is read too), or several appended by a loop over principals (`>> file`).
    const values = jsonValues(input);
    if (values.length === 0) throw new ImportError(file, 'the file holds no JSON value', 'line 1');
    const root = values[0]!.value;
    const docs: [unknown, string][] =
      values.length > 1 ? values.map(({ value, line, column }, i) => [value, `document ${i + 1} (line ${line}, column ${column}): $`]) : Array.isArray(root) ? root.map((d, i) => [d, jsonPath(i)]) : [[root, '$']];
    const b = new Builder(file, ctx.options.cluster?.trim());
    for (const [doc, at] of docs) {
      if (!isObject(doc)) throw new ImportError(file, 'expected an object printed by aws eks', at);
      if (isObject(doc['accessEntry'])) b.entry(doc['accessEntry'], `${at}.accessEntry`);
      else if (Array.isArray(doc['associatedAccessPolicies'])) b.policies(doc, doc['associatedAccessPolicies'], `${at}.associatedAccessPolicies`, true);
      else if (isObject(doc['associatedAccessPolicy'])) b.policies(doc, [doc['associatedAccessPolicy']], `${at}.associatedAccessPolicy`, false);
      else if (Array.isArray(doc['accessEntries'])) {
        b.fragment.warnings.push({ message: `list-access-entries names ${doc['accessEntries'].length} principal(s) but not their usernames, groups or access policies: import describe-access-entry and list-associated-access-policies output for each to draw them`, location: `${at}.accessEntries` });
      } else if (Array.isArray(doc['accessPolicies'])) {
        b.fragment.warnings.push({ message: `list-access-policies lists the ${doc['accessPolicies'].length} access policies EKS offers, not who holds them: nothing drawn; list-associated-access-policies output says which principal holds which`, location: `${at}.accessPolicies` });
      } else throw new ImportError(file, 'expected {"accessEntry": …}, {"associatedAccessPolicies": […]}, {"accessEntries": […]} or {"accessPolicies": […]} from aws eks', at);
    }
    return b.done();
  },
};

class Builder {
  readonly fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
  private readonly nodes = new Map<string, NodeFact>();
  private readonly edges: EdgeFact[] = [];

  constructor(
    private readonly file: string,
    private readonly clusterOption: string | undefined,
  ) {}

  private node(n: NodeFact): string {
    if (!this.nodes.has(n.id)) this.nodes.set(n.id, n);
    return n.id;
  }

  private str(o: Record<string, unknown>, key: string, at: string): string {
    const v = o[key];
    if (typeof v !== 'string' || !v) throw new ImportError(this.file, `"${key}" must be a non-empty string`, `${at}.${key}`);
    return v;
  }

  /** The cluster's node (and its admin node), named as the kubernetes importer names them. */
  private cluster(clusterName: string): { name: string; id: string } {
    const name = this.clusterOption || clusterName;
    const id = ids.k8sCluster(name);
    this.node({ id, kind: 'k8s_cluster', name, handles: [name], stub: true, props: { cluster: name } });
    this.node({ id: ids.admin(id), kind: 'admin', name: `cluster-admin of ${name}`, boundary: id, stub: true, props: {} });
    return { name, id };
  }

  /** The IAM role or user of an ARN (undefined, with a warning, for anything else). */
  private principal(arn: string, at: string): NodeFact | undefined {
    const kind = /^arn:[^:]+:iam::\d{12}:role\//.test(arn) ? 'aws_role' : /^arn:[^:]+:iam::\d{12}:user\//.test(arn) ? 'aws_user' : undefined;
    if (!kind) {
      this.fragment.warnings.push({ message: `principal ${arn} is not an IAM role or user ARN; skipped`, location: at });
      return undefined;
    }
    const stub = iamPrincipalStub(arn, kind);
    this.node(stub);
    return stub;
  }

  entry(e: Record<string, unknown>, at: string): void {
    const cluster = this.cluster(this.str(e, 'clusterName', at));
    const arn = this.str(e, 'principalArn', at);
    const principal = this.principal(arn, `${at}.principalArn`);
    if (!principal) return;
    const type = typeof e['type'] === 'string' && e['type'] ? e['type'] : 'STANDARD';
    const given = typeof e['username'] === 'string' && e['username'] ? e['username'] : undefined;
    const username = given ?? defaultUsername(arn, principal.kind as 'aws_role' | 'aws_user', type);
    if (!username) {
      this.fragment.warnings.push({ message: `access entry of ${arn} (type ${type}) states no username and EKS's default for this type is not known; not drawn`, location: at });
      return;
    }
    const groupsRaw = e['kubernetesGroups'] ?? [];
    if (!Array.isArray(groupsRaw) || groupsRaw.some((g) => typeof g !== 'string')) throw new ImportError(this.file, '"kubernetesGroups" must be a list of group names', `${at}.kubernetesGroups`);
    // EKS puts the nodes' entries in system:nodes itself (its output lists the group; an older one may not).
    const groups = !groupsRaw.length && (type in NODE_TYPES || type === 'EC2') ? ['system:nodes'] : (groupsRaw as string[]);
    const userId = this.node({ id: ids.k8sObject(cluster.name, undefined, 'user', username), kind: 'k8s_user', name: username, handles: [username], stub: true, boundary: cluster.id, props: { user: username } });
    const entry: JsonObject = { accessEntryType: type, at, sourceFile: this.file };
    for (const k of ['accessEntryArn', 'createdAt', 'modifiedAt'] as const) if (typeof e[k] === 'string') entry[k] = e[k];
    if (!given) entry['usernameDefault'] = true;
    const what = principal.kind === 'aws_role' ? 'role' : 'user';
    this.edges.push({ from: principal.id, to: userId, kind: 'FEDERATES_TO', props: { reason: `an EKS access entry (type ${type}) of cluster ${cluster.name} lets IAM ${what} ${arn} in as Kubernetes user ${username}${given ? '' : ' (EKS\'s default username)'}`, technique: 'EKS access entry', ...entry } });
    for (const g of groups) {
      const groupId = this.node({ id: ids.k8sObject(cluster.name, undefined, 'group', g), kind: 'k8s_group', name: g, handles: [g], stub: true, boundary: cluster.id, props: { group: g } });
      this.edges.push({ from: userId, to: groupId, kind: 'MEMBER_OF', props: { reason: `the EKS access entry of IAM ${what} ${arn} names Kubernetes group ${g}`, technique: 'EKS access entry', at: `${at}.kubernetesGroups`, sourceFile: this.file } });
    }
  }

  policies(doc: Record<string, unknown>, list: unknown[], at: string, indexed: boolean): void {
    const top = at.slice(0, at.lastIndexOf('.'));
    const cluster = this.cluster(this.str(doc, 'clusterName', top));
    const arn = this.str(doc, 'principalArn', top);
    const principal = this.principal(arn, `${top}.principalArn`);
    if (!principal) return;
    list.forEach((raw, i) => {
      const place = indexed ? `${at}[${i}]` : at;
      if (!isObject(raw)) throw new ImportError(this.file, 'expected an associated access policy object', place);
      const policyArn = this.str(raw, 'policyArn', place);
      const scope = raw['accessScope'];
      if (!isObject(scope) || (scope['type'] !== 'cluster' && scope['type'] !== 'namespace')) throw new ImportError(this.file, '"accessScope" must have type "cluster" or "namespace"', `${place}.accessScope`);
      const namespaces = scope['namespaces'] ?? [];
      if (!Array.isArray(namespaces) || namespaces.some((n) => typeof n !== 'string')) throw new ImportError(this.file, '"accessScope.namespaces" must be a list of namespace names', `${place}.accessScope.namespaces`);
      const name = accessPolicyName(policyArn);
      const rules = EKS_ACCESS_POLICY_RULES[name];
      if (!rules) this.fragment.warnings.push({ message: `access policy ${name} is not one whose Kubernetes permissions are known (the EKS user guide lists them for AmazonEKSClusterAdminPolicy, AmazonEKSAdminPolicy, AmazonEKSEditPolicy, AmazonEKSViewPolicy, AmazonEKSAdminViewPolicy, AmazonEKSSecretReaderPolicy); read as granting nothing`, location: place });
      const roleId = this.node({
        id: ids.k8sObject(cluster.name, undefined, 'eksaccesspolicy', name),
        kind: 'k8s_role',
        name,
        handles: [policyArn],
        boundary: cluster.id,
        props: { roleKind: 'ClusterRole', eksAccessPolicy: policyArn, rules: rules ?? [], ...(rules ? {} : { permissionsUnknown: true }) },
      });
      const common = { roleKind: 'ClusterRole', role: name, binding: `access policy association of ${arn}`, eksAccessPolicy: policyArn, technique: 'EKS access policy', at: place, sourceFile: this.file, ...(typeof raw['associatedAt'] === 'string' ? { associatedAt: raw['associatedAt'] } : {}) };
      if (scope['type'] === 'cluster') {
        this.edges.push({ from: principal.id, to: roleId, kind: 'HAS_ROLE', props: { reason: `EKS access policy ${name} is associated with ${arn} at cluster scope`, bindingKind: 'ClusterRoleBinding', ...common } });
        return;
      }
      if (!namespaces.length) this.fragment.warnings.push({ message: `access policy ${name} of ${arn} is namespace-scoped but names no namespace: it grants nothing`, location: `${place}.accessScope` });
      for (const ns of namespaces as string[]) {
        if (ns.includes('*')) this.fragment.warnings.push({ message: `access policy ${name} of ${arn} is scoped to namespace pattern ${ns}: kept as written, it matches only a namespace of that exact name here`, location: `${place}.accessScope.namespaces` });
        this.node({ id: ids.k8sNamespace(cluster.name, ns), kind: 'k8s_namespace', name: ns, handles: [ns], stub: true, boundary: cluster.id, props: { namespace: ns } });
        this.edges.push({ from: principal.id, to: roleId, kind: 'HAS_ROLE', props: { reason: `EKS access policy ${name} is associated with ${arn} in namespace ${ns}`, bindingKind: 'RoleBinding', namespace: ns, ...common } });
      }
    });
  }

  done(): GraphFragment {
    this.fragment.nodes = [...this.nodes.values()];
    this.fragment.edges = this.edges;
    return this.fragment;
  }
}

/** The username EKS sets when an access entry states none (EKS user guide, "Create access entries"). */
export function defaultUsername(arn: string, kind: 'aws_role' | 'aws_user', type: string): string | undefined {
  if (type === 'STANDARD') {
    if (kind === 'aws_user') return arn;
    // The STS ARN of the assumed role, without the role's path.
    const partition = arn.split(':')[1] ?? 'aws';
    return `arn:${partition}:sts::${arnAccount(arn) ?? ''}:assumed-role/${arn.slice(arn.lastIndexOf('/') + 1)}/{{SessionName}}`;
  }
  return NODE_TYPES[type];
}
