import type { EdgeFact, GraphFragment, NodeFact } from '../../model/fragment.js';
import { ids } from '../../model/ids.js';
import { saUserName } from '../../providers/k8s/rbac.js';
import { isAwsAuth } from '../eks-auth.js';
import { namespace, secret, serviceAccount } from './accounts.js';
import type { Located } from './objects.js';
import { pod, WORKLOAD_KINDS, workload } from './pods.js';
import { awsAuth, binding, role } from './rbac.js';

// The builder that turns one file's objects into its graph fragment: the state of the file (nodes, stubs, edges,
// the ids already made) and the ids every kind names (cluster, namespaces, service accounts); each kind's reading is
// in its own file (accounts.ts, rbac.ts, pods.ts), a function given this builder. Its fields are public for those
// files only: nothing outside src/importers/kubernetes/ uses the class.

export class Builder {
  readonly clusterId: string;
  readonly nodes = new Map<string, NodeFact>();
  readonly stubs = new Map<string, NodeFact>();
  readonly edges: EdgeFact[] = [];
  readonly fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
  private readonly skipped = new Map<string, number>();
  readonly serviceAccountAutomount = new Map<string, boolean>();
  /** Service-account ids by namespace and name (saRef). */
  private readonly saIds = new Map<string, Map<string, string>>();
  /** Namespace ids by name (namespaceRef). */
  private readonly nsIds = new Map<string, string>();
  /** Role ids by namespace and name, ClusterRole ids by name (rbac.ts roleRef). */
  readonly roleIds = new Map<string, Map<string, string>>();
  readonly clusterRoleIds = new Map<string, string>();

  constructor(
    readonly file: string,
    readonly cluster: string,
  ) {
    this.clusterId = ids.k8sCluster(cluster);
  }

  build(objects: Located[]): GraphFragment {
    this.add({ id: this.clusterId, kind: 'k8s_cluster', name: this.cluster, handles: [this.cluster], props: { cluster: this.cluster } });
    this.add({ id: ids.admin(this.clusterId), kind: 'admin', name: `cluster-admin of ${this.cluster}`, boundary: this.clusterId, props: {} });
    // Service accounts first: pods read their automount setting.
    const n = objects.length;
    for (let i = 0; i < n; i++) if (objects[i]!.obj['kind'] === 'ServiceAccount') serviceAccount(this, objects[i]!);
    const workloads = new Map<string, Located>();
    for (let i = 0; i < n; i++) if (WORKLOAD_KINDS.has(String(objects[i]!.obj['kind']))) workloads.set(this.objId(objects[i]!.obj), objects[i]!);
    for (let i = 0; i < n; i++) {
      const o = objects[i]!;
      const kind = String(o.obj['kind']);
      switch (kind) {
        case 'ServiceAccount':
          break;
        case 'Namespace':
          namespace(this, o);
          break;
        case 'Secret':
          secret(this, o);
          break;
        case 'Role':
        case 'ClusterRole':
          role(this, o);
          break;
        case 'RoleBinding':
        case 'ClusterRoleBinding':
          binding(this, o);
          break;
        case 'Pod':
          pod(this, o, workloads);
          break;
        case 'ConfigMap':
          if (isAwsAuth(o.obj)) awsAuth(this, o);
          else this.skipped.set(kind, (this.skipped.get(kind) ?? 0) + 1);
          break;
        default:
          if (WORKLOAD_KINDS.has(kind)) workload(this, o);
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

  /** A node of the file, in its cluster unless it says otherwise (the many pods and accounts pass it last, in their literal: no property added per node). */
  add(node: NodeFact): void {
    node.boundary ??= this.clusterId;
    this.nodes.set(node.id, node);
  }

  /** A node this file references but may not describe; built only the first time (pods name the same few accounts). */
  stub(id: string, make: () => Omit<NodeFact, 'id'>): string {
    if (!this.stubs.has(id) && !this.nodes.has(id)) this.stubs.set(id, { id, boundary: this.clusterId, ...make(), stub: true });
    return id;
  }

  private objId(obj: Record<string, unknown>): string {
    const meta = obj['metadata'] as Record<string, unknown>;
    const ns = typeof meta['namespace'] === 'string' && meta['namespace'] ? meta['namespace'] : undefined;
    return ids.k8sObject(this.cluster, ns, String(obj['kind']).toLowerCase(), String(meta['name']));
  }

  namespaceRef(ns: string): string {
    const known = this.nsIds.get(ns);
    if (known !== undefined) return known;
    const id = ids.k8sNamespace(this.cluster, ns);
    this.nsIds.set(ns, id);
    return this.stub(id, () => ({ kind: 'k8s_namespace', name: ns, handles: [ns], props: { namespace: ns } }));
  }

  /** The service-account ids of a namespace, by name. */
  saIdsIn(ns: string): Map<string, string> {
    let byName = this.saIds.get(ns);
    if (!byName) this.saIds.set(ns, (byName = new Map()));
    return byName;
  }

  saRef(ns: string, name: string): string {
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
}
