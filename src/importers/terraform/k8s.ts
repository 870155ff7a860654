import { isObject } from '../../model/fragment.js';
import { clusterFromFileName, kubernetesFragment } from '../kubernetes.js';
import type { TfContext } from './context.js';
import type { Instance } from './read.js';

// The Terraform kubernetes provider's resources → the Kubernetes objects they create, read by the kubernetes
// importer's builder, so a state and `kubectl get -o json` of the cluster give the same nodes. Terraform writes nested
// blocks as lists of objects in snake_case (metadata[0].namespace, role_ref[0].api_group); kubernetes_manifest holds
// the object itself. Secret data is never converted. The cluster is --cluster, else the file name, as for kubectl.

const KINDS: Record<string, string> = {
  kubernetes_service_account: 'ServiceAccount',
  kubernetes_secret: 'Secret',
  kubernetes_namespace: 'Namespace',
  kubernetes_role: 'Role',
  kubernetes_cluster_role: 'ClusterRole',
  kubernetes_role_binding: 'RoleBinding',
  kubernetes_cluster_role_binding: 'ClusterRoleBinding',
  kubernetes_pod: 'Pod',
  kubernetes_deployment: 'Deployment',
  kubernetes_daemonset: 'DaemonSet',
  kubernetes_daemon_set: 'DaemonSet',
  kubernetes_stateful_set: 'StatefulSet',
  kubernetes_job: 'Job',
  kubernetes_cron_job: 'CronJob',
};

/** kubernetes_role and kubernetes_role_v1 are the same resource. */
function kindOf(type: string): string | undefined {
  return KINDS[type.replace(/_v\d+$/, '')];
}

export function isKubernetesType(type: string): boolean {
  return type === 'kubernetes_manifest' || kindOf(type) !== undefined;
}

export function mapKubernetes(tf: TfContext, instances: Instance[]): void {
  const objects: { obj: Record<string, unknown>; at: string }[] = [];
  const madeBy = new Map<string, Instance>();
  for (const inst of instances) {
    if (inst.type === 'kubernetes_manifest') {
      const m = isObject(inst.values['object']) ? inst.values['object'] : inst.values['manifest'];
      if (isObject(m) && typeof m['kind'] === 'string' && isObject(m['metadata'])) {
        objects.push({ obj: withoutData(m), at: `${inst.address} (${inst.at})` });
        madeBy.set(objectKey(m), inst);
      }
      continue;
    }
    const kind = kindOf(inst.type);
    if (!kind) continue;
    const obj = convert(tf, inst, kind);
    if (obj) {
      objects.push({ obj, at: `${inst.address} (${inst.at})` });
      madeBy.set(objectKey(obj), inst);
    }
  }
  if (!objects.length) return;
  const cluster = tf.ctx.options.cluster?.trim() || clusterFromFileName(tf.file);
  const f = kubernetesFragment(tf.file, cluster, objects);
  for (const n of f.nodes) {
    // k8s:<cluster>/<ns|_>/<kind>/<name>: the object a resource made carries its address and change.
    const m = /^k8s:[^/]+\/([^/]+)\/([^/]+)\/(.+)$/.exec(n.id);
    const inst = m ? madeBy.get(`${m[2]}/${m[1] === '_' ? '' : m[1]}/${m[3]}`) : undefined;
    tf.node(inst && !n.stub ? { ...n, props: { ...n.props, ...tf.tf(inst) } } : n);
  }
  for (const e of f.edges) tf.edge(e);
  for (const w of f.warnings) tf.warn(w.message, w.location);
}

function convert(tf: TfContext, inst: Instance, kind: string): Record<string, unknown> | undefined {
  const v = inst.values;
  const meta = tf.blocks(v['metadata'])[0];
  const name = typeof meta?.['name'] === 'string' && meta['name'] ? meta['name'] : undefined;
  if (!meta || !name) {
    tf.warn(`${inst.address}: no metadata.name (known only after apply?); skipped`, inst.at);
    return undefined;
  }
  const metadata: Record<string, unknown> = { name };
  if (typeof meta['namespace'] === 'string' && meta['namespace'] && !/^(Cluster|Namespace)/.test(kind)) metadata['namespace'] = meta['namespace'];
  for (const k of ['labels', 'annotations'] as const) if (isObject(meta[k])) metadata[k] = meta[k];
  const obj: Record<string, unknown> = { apiVersion: /Role/.test(kind) ? 'rbac.authorization.k8s.io/v1' : 'v1', kind, metadata };
  switch (kind) {
    case 'ServiceAccount':
      if (typeof v['automount_service_account_token'] === 'boolean') obj['automountServiceAccountToken'] = v['automount_service_account_token'];
      break;
    case 'Secret':
      // The type and the owning account's annotation say what the secret is; its data never leaves the file.
      if (typeof v['type'] === 'string') obj['type'] = v['type'];
      break;
    case 'Role':
    case 'ClusterRole': {
      obj['rules'] = tf.blocks(v['rule']).map((r) => camel(r, { api_groups: 'apiGroups', resource_names: 'resourceNames', non_resource_urls: 'nonResourceURLs' }));
      const agg = tf.blocks(v['aggregation_rule'])[0];
      if (agg) obj['aggregationRule'] = { clusterRoleSelectors: tf.blocks(agg['cluster_role_selectors']).map((s) => ({ ...(isObject(s['match_labels']) ? { matchLabels: s['match_labels'] } : {}), ...(Array.isArray(s['match_expressions']) ? { matchExpressions: tf.blocks(s['match_expressions']) } : {}) })) };
      break;
    }
    case 'RoleBinding':
    case 'ClusterRoleBinding': {
      const ref = tf.blocks(v['role_ref'])[0];
      if (ref) obj['roleRef'] = camel(ref, { api_group: 'apiGroup' });
      obj['subjects'] = tf.blocks(v['subject']).map((s) => camel(s, { api_group: 'apiGroup' }));
      break;
    }
    case 'Namespace':
      break;
    default: {
      // Workloads: the pod spec sits in spec[0] (pod), spec[0].template[0].spec[0] or, for a cron job, one level deeper.
      const spec = tf.blocks(v['spec'])[0];
      if (!spec) break;
      if (kind === 'Pod') obj['spec'] = podSpec(tf, spec);
      else if (kind === 'CronJob') {
        const job = tf.blocks(tf.blocks(spec['job_template'])[0]?.['spec'])[0];
        const tmpl = tf.blocks(job?.['template'])[0];
        obj['spec'] = { jobTemplate: { spec: { template: { spec: podSpec(tf, tf.blocks(tmpl?.['spec'])[0] ?? {}) } } } };
      } else {
        const tmpl = tf.blocks(spec['template'])[0];
        obj['spec'] = { template: { spec: podSpec(tf, tf.blocks(tmpl?.['spec'])[0] ?? {}) } };
      }
    }
  }
  return obj;
}

function podSpec(tf: TfContext, s: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof s['service_account_name'] === 'string' && s['service_account_name']) out['serviceAccountName'] = s['service_account_name'];
  if (typeof s['automount_service_account_token'] === 'boolean') out['automountServiceAccountToken'] = s['automount_service_account_token'];
  if (typeof s['node_name'] === 'string' && s['node_name']) out['nodeName'] = s['node_name'];
  for (const [from, to] of [['host_pid', 'hostPID'], ['host_network', 'hostNetwork'], ['host_ipc', 'hostIPC']] as const) if (s[from] === true) out[to] = true;
  const container = (c: Record<string, unknown>) => ({ name: c['name'], ...(tf.blocks(c['security_context'])[0]?.['privileged'] === true ? { securityContext: { privileged: true } } : {}) });
  out['containers'] = tf.blocks(s['container']).map(container);
  out['initContainers'] = tf.blocks(s['init_container']).map(container);
  return out;
}

/** kind/namespace/name of an object, as the kubernetes importer's ids spell them. */
function objectKey(o: Record<string, unknown>): string {
  const meta = isObject(o['metadata']) ? o['metadata'] : {};
  const ns = typeof meta['namespace'] === 'string' && !/^(Cluster|Namespace$)/.test(String(o['kind'])) ? meta['namespace'] : '';
  return `${String(o['kind']).toLowerCase()}/${ns}/${String(meta['name'])}`;
}

function camel(o: Record<string, unknown>, names: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== '') out[names[k] ?? k] = v;
  return out;
}

function withoutData(m: Record<string, unknown>): Record<string, unknown> {
  const { data: _data, stringData: _stringData, ...rest } = m;
  return rest;
}
