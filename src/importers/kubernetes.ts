import { isObject } from '../model/fragment.js';
import { basename } from 'node:path';
import type { EdgeFact, EdgeProps, GraphFragment, Json, JsonObject, NodeFact } from '../model/fragment.js';
import { flat } from '../model/flat.js';
import { ids } from '../model/ids.js';
import { K8S_ANNOTATIONS, saUserName } from '../providers/k8s/rbac.js';
import { ImportError, jsonPath } from './errors.js';
import { lineColumn, parseJson } from './input.js';
import { AWS_AUTH, awsAuthData, iamPrincipalStub, isAwsAuth, readAwsAuth } from './eks-auth.js';
import { HELM_MESSAGE, helmTemplateLine } from './templates.js';
import type { ImportInput, Importer } from './types.js';
import { parseYamlDocuments, yamlDocumentToJs } from './yaml.js';

// What `kubectl get … -o json` prints (a List of one kind or of mixed kinds, or a single object), a JSON array of
// objects, and multi-document YAML manifests. Objects Blastmap does not model (ConfigMaps, Services…) are counted
// in one warning; of ConfigMaps only EKS's kube-system/aws-auth is read (its IAM mappings: see eks-auth.ts), and no
// other ConfigMap's data is kept. Secret values never enter the case: `data`, `stringData` and the last-applied
// annotation (which repeats them) are dropped before anything is stored; only the key names are kept.

const KNOWN_KINDS = new Set(['ServiceAccount', 'Secret', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'Pod', 'Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Namespace', 'List']);
const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ANNOTATION_PROPS = Object.entries(K8S_ANNOTATIONS);

export const kubernetes: Importer = {
  format: 'kubernetes',
  title: 'Kubernetes objects (kubectl get -o json/yaml, manifests)',
  provider: 'k8s',
  producedBy: 'kubectl get ns,sa,secrets,roles,rolebindings,clusterroles,clusterrolebindings,pods,deployments,daemonsets,statefulsets,jobs,cronjobs -A -o json; YAML manifests',
  emits: ['AUTHENTICATES_AS', 'RUNS_AS', 'HAS_ROLE', 'OWNS', 'FEDERATES_TO', 'MEMBER_OF'],
  detect(probe) {
    const head = probe.head;
    if (probe.looksJson) {
      if (!/"apiVersion"\s*:/.test(head)) return 0;
      const kinds = [...head.matchAll(/"kind"\s*:\s*"([A-Za-z]+)"/g)].map((m) => m[1]!);
      if (kinds.some((k) => KNOWN_KINDS.has(k) && k !== 'List')) return 0.95;
      // `kubectl get configmap aws-auth -n kube-system -o json`.
      if (kinds.includes('ConfigMap') && /"name"\s*:\s*"aws-auth"/.test(head)) return 0.95;
      // kubectl prints a List's "kind" after its items: a head of unmodelled kinds still looks like a List.
      return /"items"\s*:\s*\[/.test(head) && /"metadata"\s*:/.test(head) ? 0.6 : 0;
    }
    if (!/^apiVersion:\s*\S+/m.test(head)) return 0;
    // Top-level kinds of manifests, and the items of `kubectl get -o yaml` ("- apiVersion: v1\n  kind: Pod").
    const kinds = [...head.matchAll(/^(?:-\s+|\s+)?kind:\s*["']?([A-Za-z]+)/gm)].map((m) => m[1]!);
    return kinds.some((k) => KNOWN_KINDS.has(k)) || (kinds.includes('ConfigMap') && /^\s*name:\s*["']?aws-auth\b/m.test(head)) ? 0.9 : 0;
  },
  parse(input, ctx) {
    const file = input.fileName;
    const build = (objects: Located[]) => {
      const cluster = ctx.options.cluster?.trim() || clusterFromObjects(objects) || clusterFromFileName(file);
      return new Builder(file, cluster).build(objects);
    };
    // A large `kubectl get -o json` List is streamed item by item, each slimmed to what the builder reads.
    const json = /^\s*[[{]/.test(input.head.toString('utf8').replace(/^\ufeff/, ''));
    if (input.large && json) return streamObjects(input).then(build);
    return build(readObjects(file, input.text()));
  },
};

/** The objects of a JSON document read as a stream: a List's items (or a root array's elements) one at a time. */
async function streamObjects(input: ImportInput): Promise<Located[]> {
  const file = input.fileName;
  const out: Located[] = [];
  const members: Record<string, unknown> = {};
  // kubectl prints a List's "kind" after its items: they wait (slimmed) until the root says what it is.
  const items: unknown[] = [];
  let rootArray = false;
  let listed = false;
  // Values an array at a time (those each chunk read completes): a promise per value is a cost of its own.
  for await (const batch of input.jsonStreamBatches((path, container, array) => {
    if (path.length === 0) {
      rootArray = array;
      return 'descend';
    }
    if (path.length === 1 && path[0] === 'items' && array) {
      listed = true;
      return 'descend';
    }
    return 'emit';
  })) {
    // Indexed loops here and in build(): each runs once over tens of thousands of objects, and a for…of that is not
    // optimised yet allocates an iterator result per element.
    for (let k = 0; k < batch.length; k++) {
      const v = batch[k]!;
      if (v.path.length === 0) collect(file, v.value, '$', out);
      else if (typeof v.path[0] === 'number') collect(file, slim(v.value), jsonPath(v.path[0]), out);
      else if (v.path[0] === 'items' && v.path.length === 2) items.push(v.path[1] === items.length ? streamedItem(file, slim(v.value), items.length) : slim(v.value));
      else members[v.path[0]!] = v.value;
    }
  }
  if (!rootArray) collect(file, listed ? { ...members, items } : members, '$', out);
  return out;
}

/** What the builder never reads, dropped as objects stream in: managed fields, kubectl's copy, secret values, the bodies of unmodelled kinds. */
function slim(value: unknown): unknown {
  if (!isObject(value)) return value;
  const kind = typeof value['kind'] === 'string' ? value['kind'] : '';
  const meta = value['metadata'];
  if (isObject(meta)) {
    delete meta['managedFields'];
    if (isObject(meta['annotations'])) delete meta['annotations'][LAST_APPLIED];
  }
  if (kind === 'Secret') {
    for (const key of ['data', 'stringData']) if (isObject(value[key])) value[key] = Object.fromEntries(Object.keys(value[key]).map((k) => [k, '']));
  }
  if (kind.endsWith('List') && Array.isArray(value['items'])) value['items'] = (value['items'] as unknown[]).map(slim);
  else if (kind === 'ConfigMap' && isAwsAuth(value) && isObject(meta)) {
    return { apiVersion: value['apiVersion'], kind, metadata: { name: meta['name'], namespace: meta['namespace'], clusterName: meta['clusterName'] }, data: awsAuthData(value) };
  } else if (!KNOWN_KINDS.has(kind) && isObject(meta)) {
    return { apiVersion: value['apiVersion'], kind: value['kind'], metadata: { name: meta['name'], namespace: meta['namespace'], clusterName: meta['clusterName'] } };
  }
  return value;
}

interface Located {
  obj: Record<string, unknown>;
  /** JSON path or YAML document and line. */
  at: string;
}

function readObjects(file: string, text: string): Located[] {
  const trimmed = text.trimStart();
  const out: Located[] = [];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const root = parseJson(file, text);
    if (Array.isArray(root)) root.forEach((o, i) => collect(file, o, jsonPath(i), out));
    else collect(file, root, '$', out);
    return out;
  }
  const helm = helmTemplateLine(text);
  if (helm !== undefined) throw new ImportError(file, HELM_MESSAGE, `line ${helm}`);
  const docs = parseYamlDocuments(file, text);
  const list = Array.isArray(docs) ? docs : [docs];
  // Lines are counted forward from the previous document: a manifest of thousands of documents stays linear.
  let counted = { offset: 0, line: 1 };
  list.forEach((doc, i) => {
    const offset = doc.contents?.range?.[0] ?? doc.range[0];
    counted = { offset, line: counted.line + lineColumn(text.slice(counted.offset, offset), offset - counted.offset).line - 1 };
    const line = counted.line;
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      throw new ImportError(file, `invalid YAML: ${err.message.split('\n')[0]}`, `document ${i + 1}, ${pos ? `line ${pos.line}, column ${pos.col}` : `line ${line}`}`);
    }
    const value: unknown = yamlDocumentToJs(file, doc, `document ${i + 1} (line ${line})`);
    if (value === null || value === undefined) return;
    collect(file, value, `document ${i + 1} (line ${line})`, out);
  });
  return out;
}

function collect(file: string, value: unknown, at: string, out: Located[]): void {
  if (!isObject(value)) throw new ImportError(file, 'expected a Kubernetes object (with "kind" and "metadata")', at);
  const kind = value['kind'];
  if (typeof kind !== 'string' || !kind) throw new ImportError(file, 'a Kubernetes object needs a string "kind"', join(at, 'kind'));
  // kubectl prints kind List; the API itself answers PodList, RoleBindingList…
  if (kind === 'List' || (kind.endsWith('List') && Array.isArray(value['items']))) {
    const items = value['items'];
    if (!Array.isArray(items)) throw new ImportError(file, `expected "items" to be an array in a ${kind}`, join(at, 'items'));
    // join(at, 'items', i) is the prefix plus [i]: built once, not per item.
    const prefix = join(at, 'items');
    items.forEach((item, i) => collect(file, item, flat`${prefix}[${i}]`, out));
    return;
  }
  const meta = value['metadata'];
  if (!isObject(meta) || typeof meta['name'] !== 'string' || !meta['name']) throw new ImportError(file, `a ${kind} needs "metadata.name"`, join(at, 'metadata', 'name'));
  out.push({ obj: value, at });
}

/** Appends to a JSON path; YAML locations ("document 2 (line 14)") get the path after a colon. */
function join(at: string, ...parts: (string | number)[]): string {
  let tail = '';
  for (const part of parts) tail += typeof part === 'number' ? `[${part}]` : namePath(part);
  return at.startsWith('$') ? flat`${at}${tail}` : `${at}: $${tail}`;
}

/** The path step of a property name (the few names this file joins, each worked out once: a pod or binding joins one). */
const NAME_PATHS = new Map<string, string>();
function namePath(name: string): string {
  let step = NAME_PATHS.get(name);
  if (step === undefined) NAME_PATHS.set(name, (step = jsonPath(name).slice(1)));
  return step;
}

/** Old API servers filled metadata.clusterName; most exports do not say which cluster they come from. */
function clusterFromObjects(objects: Located[]): string | undefined {
  for (let i = 0; i < objects.length; i++) {
    const name = (objects[i]!.obj['metadata'] as Record<string, unknown>)['clusterName'];
    if (typeof name === 'string' && name) return name;
  }
  return undefined;
}

/** The file name without its extensions, lower-cased: stable across re-imports of the same file. */
export function clusterFromFileName(file: string): string {
  const stem = basename(file).replace(/(\.gz)?$/i, '').replace(/\.(json|ya?ml|txt)$/i, '');
  return stem.toLowerCase().replace(/[^a-z0-9._-]+/g, '-') || 'cluster';
}

/**
 * The graph facts of Kubernetes objects given as JSON objects with their places (other formats that carry
 * Kubernetes objects — Terraform's kubernetes provider — convert to them and share this builder).
 */
export function kubernetesFragment(file: string, cluster: string, objects: { obj: Record<string, unknown>; at: string }[]): GraphFragment {
  return new Builder(file, cluster).build(objects);
}

class Builder {
  private readonly clusterId: string;
  private readonly nodes = new Map<string, NodeFact>();
  private readonly stubs = new Map<string, NodeFact>();
  private readonly edges: EdgeFact[] = [];
  private readonly fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
  private readonly skipped = new Map<string, number>();
  private readonly serviceAccountAutomount = new Map<string, boolean>();
  /** Service-account ids by namespace and name (saRef). */
  private readonly saIds = new Map<string, Map<string, string>>();
  /** Namespace ids by name (namespaceRef). */
  private readonly nsIds = new Map<string, string>();
  /** Role ids by namespace and name, ClusterRole ids by name (roleRef). */
  private readonly roleIds = new Map<string, Map<string, string>>();
  private readonly clusterRoleIds = new Map<string, string>();

  constructor(
    private readonly file: string,
    private readonly cluster: string,
  ) {
    this.clusterId = ids.k8sCluster(cluster);
  }

  build(objects: Located[]): GraphFragment {
    this.add({ id: this.clusterId, kind: 'k8s_cluster', name: this.cluster, handles: [this.cluster], props: { cluster: this.cluster } });
    this.add({ id: ids.admin(this.clusterId), kind: 'admin', name: `cluster-admin of ${this.cluster}`, boundary: this.clusterId, props: {} });
    // Service accounts first: pods read their automount setting.
    const n = objects.length;
    for (let i = 0; i < n; i++) if (objects[i]!.obj['kind'] === 'ServiceAccount') this.serviceAccount(objects[i]!);
    const workloads = new Map<string, Located>();
    for (let i = 0; i < n; i++) if (WORKLOAD_KINDS.has(String(objects[i]!.obj['kind']))) workloads.set(this.objId(objects[i]!.obj), objects[i]!);
    for (let i = 0; i < n; i++) {
      const o = objects[i]!;
      const kind = String(o.obj['kind']);
      switch (kind) {
        case 'ServiceAccount':
          break;
        case 'Namespace':
          this.namespace(o);
          break;
        case 'Secret':
          this.secret(o);
          break;
        case 'Role':
        case 'ClusterRole':
          this.role(o);
          break;
        case 'RoleBinding':
        case 'ClusterRoleBinding':
          this.binding(o);
          break;
        case 'Pod':
          this.pod(o, workloads);
          break;
        case 'ConfigMap':
          if (isAwsAuth(o.obj)) this.awsAuth(o);
          else this.skipped.set(kind, (this.skipped.get(kind) ?? 0) + 1);
          break;
        default:
          if (WORKLOAD_KINDS.has(kind)) this.workload(o);
          else this.skipped.set(kind, (this.skipped.get(kind) ?? 0) + 1);
      }
    }
    if (this.skipped.size) {
      const list = [...this.skipped].map(([k, n]) => `${n} ${k}`).join(', ');
      this.fragment.warnings.push({ message: `objects of kinds Blastmap does not model were skipped: ${list}` });
    }
    const nodes = this.fragment.nodes;
    this.stubs.forEach((stub, id) => {
      if (!this.nodes.has(id)) nodes.push(stub);
    });
    this.nodes.forEach((node) => nodes.push(node));
    this.fragment.edges = this.edges;
    return this.fragment;
  }

  private add(node: NodeFact): void {
    node.boundary ??= this.clusterId;
    this.nodes.set(node.id, node);
  }

  /** A node this file references but may not describe; built only the first time (pods name the same few accounts). */
  private stub(id: string, make: () => Omit<NodeFact, 'id'>): string {
    if (!this.stubs.has(id) && !this.nodes.has(id)) this.stubs.set(id, { id, boundary: this.clusterId, ...make(), stub: true });
    return id;
  }

  private objId(obj: Record<string, unknown>): string {
    const meta = obj['metadata'] as Record<string, unknown>;
    const ns = typeof meta['namespace'] === 'string' && meta['namespace'] ? meta['namespace'] : undefined;
    return ids.k8sObject(this.cluster, ns, String(obj['kind']).toLowerCase(), String(meta['name']));
  }

  private namespaceRef(ns: string): string {
    const known = this.nsIds.get(ns);
    if (known !== undefined) return known;
    const id = ids.k8sNamespace(this.cluster, ns);
    this.nsIds.set(ns, id);
    return this.stub(id, () => ({ kind: 'k8s_namespace', name: ns, handles: [ns], props: { namespace: ns } }));
  }

  /** A role a binding names: one id string per role (thousands of bindings name the same few), its stub made once. */
  private roleRef(ns: string | undefined, kind: 'Role' | 'ClusterRole', name: string, make: () => Omit<NodeFact, 'id'>): string {
    let byName = kind === 'ClusterRole' ? this.clusterRoleIds : this.roleIds.get(ns ?? '');
    if (!byName) this.roleIds.set(ns ?? '', (byName = new Map()));
    const known = byName.get(name);
    if (known !== undefined) return known;
    const id = this.stub(ids.k8sObject(this.cluster, ns, kind.toLowerCase(), name), make);
    byName.set(name, id);
    return id;
  }

  /** The service-account ids of a namespace, by name. */
  private saIdsIn(ns: string): Map<string, string> {
    let byName = this.saIds.get(ns);
    if (!byName) this.saIds.set(ns, (byName = new Map()));
    return byName;
  }

  private saRef(ns: string, name: string): string {
    // Pods name the same few accounts: the same id string each time (hashed once, here and where it is numbered).
    const byName = this.saIdsIn(ns);
    const known = byName.get(name);
    if (known !== undefined) return known;
    const id = ids.k8sObject(this.cluster, ns, 'serviceaccount', name);
    byName.set(name, id);
    return this.stub(id, () => {
      this.namespaceRef(ns);
      return { kind: 'k8s_service_account', name: `${ns}/${name}`, handles: [`${ns}/${name}`, saUserName(ns, name)], props: { namespace: ns, serviceAccount: name } };
    });
  }

  private namespace(o: Located): void {
    const name = String((o.obj['metadata'] as Record<string, unknown>)['name']);
    this.add({ id: ids.k8sNamespace(this.cluster, name), kind: 'k8s_namespace', name, handles: [name], props: { ...baseProps(this.file, o), namespace: name } });
  }

  private serviceAccount(o: Located): void {
    const ns = nsOf(o);
    const name = String((o.obj['metadata'] as Record<string, unknown>)['name']);
    // Filled in place (the keys in the same order as a spread copy would give): one object per account, not two.
    const props = baseProps(this.file, o);
    props['namespace'] = ns;
    props['serviceAccount'] = name;
    const automount = o.obj['automountServiceAccountToken'];
    if (typeof automount === 'boolean') {
      props['automountServiceAccountToken'] = automount;
      this.serviceAccountAutomount.set(`${ns}/${name}`, automount);
    }
    const annotations = props['annotations'] as Record<string, string> | undefined;
    if (annotations) for (const [key, prop] of ANNOTATION_PROPS) if (annotations[key]) props[prop] = annotations[key];
    const secrets = Array.isArray(o.obj['secrets']) ? (o.obj['secrets'] as unknown[]).flatMap((s) => (isObject(s) && typeof s['name'] === 'string' ? [s['name']] : [])) : [];
    if (secrets.length) props['secrets'] = secrets;
    this.namespaceRef(ns);
    const uid = typeof props['uid'] === 'string' ? [props['uid']] : [];
    const id = ids.k8sObject(this.cluster, ns, 'serviceaccount', name);
    // Bindings and pods that name the account find this id (the node is there: no stub to make for it).
    this.saIdsIn(ns).set(name, id);
    const nsName = flat`${ns}/${name}`;
    this.add({ id, kind: 'k8s_service_account', name: nsName, handles: [nsName, saUserName(ns, name), ...uid], props });
  }

  private secret(o: Located): void {
    const ns = nsOf(o);
    const name = String((o.obj['metadata'] as Record<string, unknown>)['name']);
    const type = typeof o.obj['type'] === 'string' ? o.obj['type'] : 'Opaque';
    // Key names only: the values are never read into the case.
    const keys = [...new Set([...Object.keys(isObject(o.obj['data']) ? o.obj['data'] : {}), ...Object.keys(isObject(o.obj['stringData']) ? o.obj['stringData'] : {})])].sort();
    const props: JsonObject = { ...baseProps(this.file, o), namespace: ns, type, keys };
    const id = ids.k8sObject(this.cluster, ns, 'secret', name);
    this.namespaceRef(ns);
    if (type === 'kubernetes.io/service-account-token') {
      const sa = (props['annotations'] as Record<string, string> | undefined)?.['kubernetes.io/service-account.name'];
      props['managedBy'] = 'system';
      props['expiresAt'] = null;
      if (sa) {
        props['serviceAccount'] = sa;
        props['ownerId'] = this.saRef(ns, sa);
        this.edges.push({ from: id, to: this.saRef(ns, sa), kind: 'AUTHENTICATES_AS', props: { reason: `the secret holds a long-lived token of service account ${ns}/${sa}`, at: o.at } });
      } else this.fragment.warnings.push({ message: `service-account token secret ${ns}/${name} does not name its service account`, location: o.at });
      this.add({ id, kind: 'k8s_sa_token', name: flat`${ns}/${name}`, handles: [flat`${ns}/${name}`], props });
    } else {
      this.add({ id, kind: 'k8s_secret', name: flat`${ns}/${name}`, handles: [flat`${ns}/${name}`], props });
    }
  }

  private role(o: Located): void {
    const kind = String(o.obj['kind']);
    const name = String((o.obj['metadata'] as Record<string, unknown>)['name']);
    const ns = kind === 'Role' ? nsOf(o) : undefined;
    const rules = o.obj['rules'] ?? [];
    if (!Array.isArray(rules)) throw new ImportError(this.file, `expected "rules" to be an array in ${kind} ${name}`, join(o.at, 'rules'));
    rules.forEach((r, i) => {
      if (!isObject(r) || !Array.isArray(r['verbs'])) throw new ImportError(this.file, `a policy rule needs "verbs" (an array) in ${kind} ${name}`, join(o.at, 'rules', i));
    });
    const props: JsonObject = { ...baseProps(this.file, o), roleKind: kind, rules: rules as Json[] };
    if (ns) props['namespace'] = ns;
    if (isObject(o.obj['aggregationRule'])) props['aggregationRule'] = o.obj['aggregationRule'] as JsonObject;
    if (ns) this.namespaceRef(ns);
    this.add({ id: ids.k8sObject(this.cluster, ns, kind.toLowerCase(), name), kind: 'k8s_role', name: ns ? flat`${ns}/${name}` : name, handles: ns ? [flat`${ns}/${name}`] : [name], props });
  }

  private binding(o: Located): void {
    const kind = String(o.obj['kind']);
    const name = String((o.obj['metadata'] as Record<string, unknown>)['name']);
    const ns = kind === 'RoleBinding' ? nsOf(o) : undefined;
    const ref = o.obj['roleRef'];
    if (!isObject(ref) || typeof ref['name'] !== 'string' || (ref['kind'] !== 'Role' && ref['kind'] !== 'ClusterRole')) {
      throw new ImportError(this.file, `${kind} ${name} needs "roleRef" with kind Role or ClusterRole and a name`, join(o.at, 'roleRef'));
    }
    if (ref['kind'] === 'Role' && !ns) throw new ImportError(this.file, `ClusterRoleBinding ${name} cannot refer to a Role`, join(o.at, 'roleRef', 'kind'));
    const roleNs = ref['kind'] === 'Role' ? ns : undefined;
    const roleName = ref['name'];
    const refKind = ref['kind'];
    const roleId = this.roleRef(roleNs, refKind, roleName, () => ({ kind: 'k8s_role', name: roleNs ? `${roleNs}/${roleName}` : roleName, props: { roleKind: refKind, ...(roleNs ? { namespace: roleNs } : {}) } }));
    const subjects = o.obj['subjects'] ?? [];
    if (!Array.isArray(subjects)) throw new ImportError(this.file, `expected "subjects" to be an array in ${kind} ${name}`, join(o.at, 'subjects'));
    const where = ns ? `RoleBinding ${ns}/${name}` : `ClusterRoleBinding ${name}`;
    subjects.forEach((s, i) => {
      const at = join(o.at, 'subjects', i);
      if (!isObject(s) || typeof s['name'] !== 'string' || typeof s['kind'] !== 'string') throw new ImportError(this.file, 'a subject needs "kind" and "name"', at);
      const from = this.subject(s['kind'], s['name'], typeof s['namespace'] === 'string' && s['namespace'] ? s['namespace'] : ns, at);
      if (!from) return;
      this.edges.push({
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
          sourceFile: this.file,
        },
      });
    });
  }

  private subject(kind: string, name: string, ns: string | undefined, at: string): string | undefined {
    if (kind === 'ServiceAccount') {
      if (!ns) {
        this.fragment.warnings.push({ message: `service-account subject ${name} of a ClusterRoleBinding has no namespace; skipped`, location: at });
        return undefined;
      }
      return this.saRef(ns, name);
    }
    if (kind === 'User') {
      // The API server authenticates a service-account token as this user name: the binding is the SA's.
      const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(name);
      if (sa) return this.saRef(sa[1]!, sa[2]!);
      return this.stub(ids.k8sObject(this.cluster, undefined, 'user', name), () => ({ kind: 'k8s_user', name, handles: [name], props: { user: name } }));
    }
    if (kind === 'Group') return this.stub(ids.k8sObject(this.cluster, undefined, 'group', name), () => ({ kind: 'k8s_group', name, handles: [name], props: { group: name } }));
    this.fragment.warnings.push({ message: `subject kind ${JSON.stringify(kind)} is not ServiceAccount, User or Group; skipped`, location: at });
    return undefined;
  }

  /**
   * EKS's aws-auth ConfigMap: each IAM role or user it maps FEDERATES_TO the Kubernetes user it becomes (the username
   * as written, templates such as {{SessionName}} kept), which is a MEMBER_OF each group it names; RBAC rules do the
   * rest (system:masters is cluster-admin: k8s-admin). Only the mappings are kept, never the ConfigMap's data.
   */
  private awsAuth(o: Located): void {
    const auth = readAwsAuth(this.file, o.obj['data'], join(o.at, 'data'));
    this.fragment.warnings.push(...auth.warnings);
    const where = `ConfigMap ${AWS_AUTH.namespace}/${AWS_AUTH.name}`;
    for (const m of auth.mappings) {
      const principal = m.arn;
      this.stub(principal, () => iamPrincipalStub(principal, m.principalKind));
      const user = this.subject('User', m.username, undefined, m.at)!;
      const place = { configMap: `${AWS_AUTH.namespace}/${AWS_AUTH.name}`, key: m.key, index: m.index, at: m.at, sourceFile: this.file };
      const what = m.principalKind === 'aws_role' ? 'role' : 'user';
      this.edges.push({ from: principal, to: user, kind: 'FEDERATES_TO', props: { reason: `${where} maps IAM ${what} ${principal} to Kubernetes user ${m.username}`, technique: 'EKS aws-auth ConfigMap', ...place } });
      for (const g of m.groups) {
        const group = this.subject('Group', g, undefined, m.at)!;
        this.edges.push({ from: user, to: group, kind: 'MEMBER_OF', props: { reason: `${where} puts the user ${m.username} of IAM ${what} ${principal} in group ${g}`, technique: 'EKS aws-auth ConfigMap', ...place } });
      }
    }
    if (auth.accounts.length) {
      // Every IAM principal of these accounts signs in as its own ARN with no group but system:authenticated: the
      // principals are not known here, so the accounts are recorded on the cluster rather than drawn (see README).
      const cluster = this.nodes.get(this.clusterId)!;
      cluster.props = { ...cluster.props, awsAuthMappedAccounts: auth.accounts };
      this.fragment.warnings.push({
        message: `aws-auth mapAccounts lets every IAM user and role of account${auth.accounts.length > 1 ? 's' : ''} ${auth.accounts.join(', ')} sign in to cluster ${this.cluster} as its own ARN, with only the group system:authenticated; not drawn as edges (recorded on the cluster as awsAuthMappedAccounts): check what system:authenticated is bound to`,
        location: join(o.at, 'data', 'mapAccounts'),
      });
    }
  }

  /** Adds the RUNS_AS edge shared by pods and workloads (their props filled by runsAsProps). */
  private runsAs(id: string, props: JsonObject, r: RunsAs): void {
    const { ns, sa } = r;
    // Most accounts leave automount unset: no key to build for each pod then.
    const mounted = r.podSetting ?? (this.serviceAccountAutomount.size ? this.serviceAccountAutomount.get(`${ns}/${sa}`) : undefined) ?? true;
    props['tokenMounted'] = mounted;
    const saId = this.saRef(ns, sa);
    // Edges of a big cluster are many: the record's place (`at`) is their evidence; a reason only where it adds to it.
    const edgeProps: EdgeProps = r.explicit ? { at: r.at, tokenMounted: mounted } : { reason: 'names no service account, so it runs as "default"', at: r.at, tokenMounted: mounted };
    // Without a mounted token, controlling the pod does not hand over the service account's credentials.
    if (!mounted) edgeProps.conditional = 'the service-account token is not mounted (automountServiceAccountToken: false)';
    this.edges.push({ from: id, to: saId, kind: 'RUNS_AS', props: edgeProps });
  }

  private workload(o: Located): void {
    const kind = String(o.obj['kind']);
    const ns = nsOf(o);
    const name = String((o.obj['metadata'] as Record<string, unknown>)['name']);
    const id = ids.k8sObject(this.cluster, ns, kind.toLowerCase(), name);
    const props = baseProps(this.file, o);
    props['workloadKind'] = kind;
    this.runsAs(id, props, runsAsProps(o, props));
    const nsName = flat`${ns}/${name}`;
    this.add({ id, kind: 'k8s_workload', name: nsName, handles: [nsName], props });
  }

  private pod(o: Located, workloads: Map<string, Located>): void {
    // Streamed pods come digested (see streamedItem); the same reading otherwise.
    const { name, owner: ref, props, runs } = (o.obj as { [DIGEST]?: PodDigest })[DIGEST] ?? digestPod(this.file, o);
    const ns = runs.ns;
    const id = ids.k8sObject(this.cluster, ns, 'pod', name);
    this.runsAs(id, props, runs);
    // A file of pods alone (no workloads) has no controller to find.
    const owner = workloads.size ? this.controller(ref, ns, workloads, props['labels'] as Record<string, string> | undefined) : undefined;
    if (owner) {
      props['controlledBy'] = owner;
      this.edges.push({ from: owner, to: id, kind: 'OWNS', props: { at: join(o.at, 'metadata', 'ownerReferences') } });
    }
    const nsName = flat`${ns}/${name}`;
    this.add({ id, kind: 'k8s_pod', name: nsName, handles: [nsName], props });
  }

  /** The workload in this file that controls the pod: its owner, or the Deployment/CronJob behind a ReplicaSet/Job. */
  private controller(ref: OwnerRef | undefined, ns: string, workloads: Map<string, Located>, labels: Record<string, string> = {}): string | undefined {
    if (!ref) return undefined;
    const direct = ids.k8sObject(this.cluster, ns, ref.kind.toLowerCase(), ref.name);
    if (workloads.has(direct)) return direct;
    if (ref.kind === 'ReplicaSet') {
      const hash = labels['pod-template-hash'];
      const deployment = hash && ref.name.endsWith(`-${hash}`) ? ref.name.slice(0, -hash.length - 1) : ref.name.replace(/-[a-z0-9]+$/, '');
      const id = ids.k8sObject(this.cluster, ns, 'deployment', deployment);
      return workloads.has(id) ? id : undefined;
    }
    if (ref.kind === 'Job') {
      const id = ids.k8sObject(this.cluster, ns, 'cronjob', ref.name.replace(/-\d+$/, ''));
      return workloads.has(id) ? id : undefined;
    }
    return undefined;
  }
}

/** The pod spec of a workload (CronJob: its job template's). */
function podSpec(o: Located): { spec: Record<string, unknown>; at: string } | undefined {
  const kind = String(o.obj['kind']);
  const spec = o.obj['spec'];
  if (!isObject(spec)) return undefined;
  if (kind === 'Pod') return { spec, at: join(o.at, 'spec') };
  if (kind === 'CronJob') {
    const job = spec['jobTemplate'];
    const tmpl = isObject(job) && isObject(job['spec']) ? job['spec']['template'] : undefined;
    return isObject(tmpl) && isObject(tmpl['spec']) ? { spec: tmpl['spec'], at: join(o.at, 'spec', 'jobTemplate', 'spec', 'template', 'spec') } : undefined;
  }
  const tmpl = spec['template'];
  return isObject(tmpl) && isObject(tmpl['spec']) ? { spec: tmpl['spec'], at: join(o.at, 'spec', 'template', 'spec') } : undefined;
}

/** What a pod or workload runs as, read from its spec (the token setting of its account is known only at the end). */
interface RunsAs {
  ns: string;
  sa: string;
  explicit: boolean;
  podSetting: boolean | undefined;
  /** The spec's place: the RUNS_AS edge's evidence. */
  at: string;
}

/**
 * Fills the props a pod spec gives (tokenMounted holds its place until the account's setting is known) and says
 * what the pod runs as. Reads nothing else of the file: streamed pods are read this way as they come.
 */
function runsAsProps(o: Located, props: JsonObject): RunsAs {
  const ns = nsOf(o);
  const found = podSpec(o);
  const spec = found?.spec ?? {};
  const explicit = typeof spec['serviceAccountName'] === 'string' && spec['serviceAccountName'] ? spec['serviceAccountName'] : typeof spec['serviceAccount'] === 'string' && spec['serviceAccount'] ? spec['serviceAccount'] : undefined;
  const sa = explicit ?? 'default';
  const podSetting = typeof spec['automountServiceAccountToken'] === 'boolean' ? spec['automountServiceAccountToken'] : undefined;
  // Plain loops, not spreads, flatMaps and Sets: this runs once per pod of a cluster (tens of thousands).
  const init = spec['initContainers'];
  const main = spec['containers'];
  const containers: Record<string, unknown>[] = [];
  if (Array.isArray(init)) for (const c of init) if (isObject(c)) containers.push(c);
  if (Array.isArray(main)) for (const c of main) if (isObject(c)) containers.push(c);
  props['namespace'] = ns;
  props['serviceAccount'] = sa;
  props['tokenMounted'] = podSetting ?? true;
  const images: string[] = [];
  let privileged: string[] | undefined;
  for (const c of containers) {
    const image = c['image'];
    if (typeof image === 'string' && !images.includes(image)) images.push(image);
    const security = c['securityContext'];
    if (isObject(security) && security['privileged'] === true) (privileged ??= []).push(typeof c['name'] === 'string' ? c['name'] : '(unnamed)');
  }
  if (images.length) props['images'] = images;
  if (privileged) {
    props['privileged'] = true;
    props['privilegedContainers'] = privileged;
  }
  if (spec['hostPID'] === true) props['hostPID'] = true;
  if (spec['hostNetwork'] === true) props['hostNetwork'] = true;
  if (spec['hostIPC'] === true) props['hostIPC'] = true;
  // Host directories the pod mounts (a node escape when one is / or a container runtime's socket).
  const volumes = spec['volumes'];
  if (Array.isArray(volumes)) {
    const hostPaths: string[] = [];
    for (const v of volumes) {
      const hostPath = isObject(v) ? v['hostPath'] : undefined;
      if (isObject(hostPath) && typeof hostPath['path'] === 'string' && !hostPaths.includes(hostPath['path'])) hostPaths.push(hostPath['path']);
    }
    if (hostPaths.length) props['hostPaths'] = hostPaths;
  }
  if (typeof spec['nodeName'] === 'string') props['nodeName'] = spec['nodeName'];
  return { ns, sa, explicit: explicit !== undefined, podSetting, at: found?.at ?? o.at };
}

/** The owner reference that names a pod's controller (its kind and name only). */
interface OwnerRef {
  kind: string;
  name: string;
}

/** A pod as the builder takes it: its props (but tokenMounted's value and controlledBy) and what it runs as. */
interface PodDigest {
  name: string;
  /** Of metadata.ownerReferences, the controller's (else the first): the workload is looked up at the end. */
  owner: OwnerRef | undefined;
  props: JsonObject;
  runs: RunsAs;
}

function digestPod(file: string, o: Located): PodDigest {
  const meta = o.obj['metadata'] as Record<string, unknown>;
  const props = baseProps(file, o);
  const runs = runsAsProps(o, props);
  const status = o.obj['status'];
  if (isObject(status) && typeof status['phase'] === 'string') props['phase'] = status['phase'];
  return { name: String(meta['name']), owner: ownerRef(meta['ownerReferences']), props, runs };
}

/** The reference kept of ownerReferences (not the parsed list: tens of thousands of streamed pods wait for the end). */
function ownerRef(owners: unknown): OwnerRef | undefined {
  if (!Array.isArray(owners)) return undefined;
  // The first controller, else the first reference (objects only).
  let ref: Record<string, unknown> | undefined;
  for (const r of owners) {
    if (!isObject(r)) continue;
    ref ??= r;
    if (r['controller'] === true) {
      ref = r;
      break;
    }
  }
  if (!ref || typeof ref['kind'] !== 'string' || typeof ref['name'] !== 'string') return undefined;
  return { kind: ref['kind'], name: ref['name'] };
}

/** The digest of a streamed pod, on the small object that stands in for it. */
const DIGEST = Symbol('pod digest');

/**
 * A List item as it streams in: a pod is read into its digest at once and only a stub of it stays (what reading
 * the whole list looks at), so tens of thousands of pod documents are dropped young instead of kept to the end.
 */
function streamedItem(file: string, value: unknown, index: number): unknown {
  if (!isObject(value) || value['kind'] !== 'Pod') return value;
  const meta = value['metadata'];
  if (!isObject(meta) || typeof meta['name'] !== 'string' || !meta['name']) return value;
  // Its place (as collect() names it) made for pods only: other items are placed when the List is read.
  const digest = digestPod(file, { obj: value, at: flat`$.items[${index}]` });
  return { kind: 'Pod', metadata: { name: meta['name'], namespace: meta['namespace'], clusterName: meta['clusterName'] }, [DIGEST]: digest };
}

function baseProps(file: string, o: Located): JsonObject {
  const meta = o.obj['metadata'] as Record<string, unknown>;
  const props: JsonObject = { objectKind: String(o.obj['kind']), at: o.at, sourceFile: file };
  if (typeof meta['uid'] === 'string') props['uid'] = meta['uid'];
  if (typeof meta['creationTimestamp'] === 'string') props['createdAt'] = meta['creationTimestamp'];
  const labels = stringMap(meta['labels']);
  if (labels) props['labels'] = labels;
  const annotations = stringMap(meta['annotations'], LAST_APPLIED);
  if (annotations && !isEmpty(annotations)) props['annotations'] = annotations;
  const owner = annotations?.['owner'] ?? labels?.['owner'] ?? annotations?.['team'] ?? labels?.['team'] ?? annotations?.['contact'];
  if (owner) props['owner'] = owner;
  return props;
}

function nsOf(o: Located): string {
  const ns = (o.obj['metadata'] as Record<string, unknown>)['namespace'];
  if (typeof ns === 'string' && ns) return ns;
  // Manifests often leave the namespace to `kubectl apply -n`; the default namespace is what they land in without it.
  return 'default';
}

/** The string values of an object (but `skip`); for…in, not Object.entries: no pair array per key of 50,000 pods. */
function stringMap(v: unknown, skip?: string): Record<string, string> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const k in v) {
    const val = v[k];
    if (typeof val === 'string' && k !== skip) out[k] = val;
  }
  return out;
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

