import type { StoredNode } from '../../store/case-store.js';
import { reads } from '../reads.js';
import { label, nodesOf, propsEvidence } from './common.js';
import type { FindingDraft, FindingRule, Severity } from './types.js';

// What a pod spec asks of its node that Pod Security's baseline level refuses, because it lets the pod's code out
// to the node: a privileged container, the host's PID / network / IPC namespaces, a hostPath mount of the host's
// root or of a container runtime's socket. The k8s-node-escape rule models who could create such a pod; this
// reports the ones the export shows running, on the workload that makes them (a bare pod when none does).

/** Host paths that hand over the node: its root, the sockets that start containers on it, the kubelet's pod volumes. */
const ESCAPE_PATHS: [RegExp, string][] = [
  [/^\/$/, "the node's root filesystem"],
  [/\/(docker|containerd|crio|cri-dockerd|podman)\.sock$|^\/(var\/)?run\/(docker|containerd|crio)$/, "the container runtime's socket"],
  [/^\/var\/lib\/kubelet(\/pods)?$/, "the kubelet's pod volumes: every pod's token on the node"],
];

function escapeSettings(n: StoredNode): { setting: string; severity: Severity }[] {
  const p = n.props;
  const out: { setting: string; severity: Severity }[] = [];
  if (p['privileged'] === true) {
    const names = Array.isArray(p['privilegedContainers']) ? p['privilegedContainers'].map(String) : [];
    out.push({ setting: `privileged container${names.length > 1 ? 's' : ''}${names.length ? ` ${names.join(', ')}` : ''} (securityContext.privileged: true)`, severity: 'high' });
  }
  for (const path of Array.isArray(p['hostPaths']) ? p['hostPaths'].map(String) : []) {
    const what = ESCAPE_PATHS.find(([re]) => re.test(path.replace(/(.)\/+$/, '$1')))?.[1];
    if (what) out.push({ setting: `hostPath ${path} (${what})`, severity: 'high' });
  }
  if (p['hostPID'] === true) out.push({ setting: "hostPID: true (the node's processes)", severity: 'high' });
  if (p['hostNetwork'] === true) out.push({ setting: "hostNetwork: true (the node's network, kubelet and metadata endpoints)", severity: 'medium' });
  if (p['hostIPC'] === true) out.push({ setting: "hostIPC: true (the node's shared memory)", severity: 'medium' });
  return out;
}

const RANK: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export const k8sPrivilegedWorkload: FindingRule = {
  id: 'k8s-privileged-workload',
  title: 'Kubernetes workload that can escape to its node',
  severity: 'high',
  description: 'A pod or workload whose spec asks for a privileged container, hostPID, hostNetwork, hostIPC, or a hostPath mount of / or a container runtime socket: whoever controls it controls the node, and every pod token there.',
  // Each pod's and workload's own spec; a pod's controller is in its cluster, so a cluster is judged on its own.
  reads: reads({ nodes: ['k8s_workload', 'k8s_pod'], perBoundary: {} }),
  remediation: 'Drop the setting (run unprivileged, without host namespaces, mount only the files needed read-only); enforce Pod Security "baseline" or "restricted" on the namespace (pod-security.kubernetes.io/enforce). Node agents that truly need it (CNI, CSI, log shippers) belong in a namespace of their own that only administrators can deploy to.',
  run(ctx) {
    const out: FindingDraft[] = [];
    const flagged = new Set<string>();
    for (const n of nodesOf(ctx, ['k8s_workload'])) {
      if (report(n, out)) flagged.add(n.id);
    }
    for (const n of nodesOf(ctx, ['k8s_pod'])) {
      // A pod its workload makes is reported on the workload, once for all replicas.
      const owner = n.props['controlledBy'];
      if (typeof owner === 'string' && flagged.has(owner)) continue;
      report(n, out);
    }
    return out;
  },
};

function report(n: StoredNode, out: FindingDraft[]): boolean {
  const settings = escapeSettings(n);
  if (!settings.length) return false;
  const ns = String(n.props['namespace'] ?? '');
  // kube-system's privileged pods are mostly the cluster's own node agents (kube-proxy, CNI): expected, still listed.
  const worst = settings.map((s) => s.severity).sort((a, b) => RANK.indexOf(a) - RANK.indexOf(b))[0]!;
  const severity: Severity = ns === 'kube-system' ? 'low' : worst;
  const where = typeof n.props['at'] === 'string' ? { location: `${String(n.props['sourceFile'] ?? '')} ${n.props['at']}`.trim() } : {};
  const escapes = worst === 'high';
  const consequence = escapes
    ? 'Code running in it (or anyone who can exec into it) gets root on the node it is scheduled on, and with it the tokens of every pod there.'
    : "Code running in it shares the node's namespaces: it reaches what listens on the node (the kubelet, the cloud metadata endpoint) and sees its traffic or shared memory.";
  out.push({
    nodeId: n.id,
    title: `${label(n)} ${escapes ? 'can escape to its node' : "shares its node's namespaces"}: ${settings.map((s) => s.setting.replace(/ \(.*\)$/, '')).join(', ')}`,
    summary: `${label(n)} runs with ${settings.map((s) => s.setting).join('; ')}. ${consequence}${ns === 'kube-system' ? ' In kube-system this is usually a node agent of the cluster itself.' : ''}`,
    evidence: [{ ...propsEvidence(n, ['privileged', 'privilegedContainers', 'hostPID', 'hostNetwork', 'hostIPC', 'hostPaths']), ...where }],
    severity,
  });
  return true;
}
