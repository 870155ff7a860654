import type { EdgeProps, Evidence } from '../../model/fragment.js';
import { flat } from '../../model/flat.js';
import { reads } from '../reads.js';
import { ids } from '../../model/ids.js';
import { EdgeCollector } from '../../providers/k8s/collect.js';
import { describeRequest, grantEvidence, grants, rbacModel, runnerEvidence, scopeText, type ClusterModel, type Grant, type Runner, K8S_MODEL_READS } from '../../providers/k8s/rbac.js';
import { saName } from './k8s-pod-exec.js';
import { namedWorkloadExists, POD_CREATORS } from './k8s-pod-create.js';
import type { DeriveContext, EdgeRule } from './types.js';

// A pod spec may ask for a privileged container, the host's PID namespace or a hostPath mount of /, and may name
// the node it runs on (spec.nodeName skips the scheduler). Unless admission refuses such pods, whoever can create
// pods — or workloads, whose controllers create them — in a namespace becomes root on any node of the cluster, and
// root on a node reads the token of every pod running there. Pod Security admission enforcing 'baseline' or
// 'restricted' on the namespace refuses them; without that label the cluster's default level and any policy
// engine (Gatekeeper, Kyverno) decide, which an inventory does not show: the step is then conditional.

const ENFORCE = 'pod-security.kubernetes.io/enforce';

/** One node per cluster stands for all its nodes: "root on some node of my choosing" reaches any of them. */
function clusterNodesId(cluster: string): string {
  return ids.k8sObject(cluster, undefined, 'node', '*');
}

type Admission = { allows: false } | { allows: true; conditional?: string; evidence: Evidence };

/** What Pod Security admission says of privileged pods in a namespace, from the namespace's labels. */
function admission(ctx: DeriveContext, c: ClusterModel, ns: string): Admission {
  const node = ctx.node(ids.k8sNamespace(c.name, ns));
  const labels = node && !node.stub ? node.props['labels'] : undefined;
  const level = labels && typeof labels === 'object' && !Array.isArray(labels) ? labels[ENFORCE] : undefined;
  const at = node && typeof node.props['at'] === 'string' ? { location: `${String(node.props['sourceFile'] ?? '')} ${node.props['at']}`.trim() } : {};
  if (level === 'baseline' || level === 'restricted') return { allows: false };
  if (level === 'privileged') return { allows: true, evidence: { type: 'k8s-namespace', summary: `Namespace ${ns} enforces Pod Security level privileged (${ENFORCE}): privileged pods are admitted`, ...at } };
  const why = node && !node.stub ? `namespace ${ns} has no ${ENFORCE} label` : `the Namespace object ${ns} is not in the case`;
  return {
    allows: true,
    conditional: `admission lets a privileged pod into namespace ${ns} (${why}; the cluster's default Pod Security level and policy engines are not in the export)`,
    evidence: { type: 'k8s-namespace', summary: `Pod Security admission in namespace ${ns}: ${why}`, ...at },
  };
}

/** Every namespace of a cluster the case knows of: Namespace objects, and the namespaces of accounts and pods. */
function knownNamespaces(ctx: DeriveContext, c: ClusterModel): string[] {
  return ctx.memo(`k8s-namespaces:${c.id}`, () => {
    const known = new Set<string>([...c.serviceAccounts.keys(), ...c.runners.keys()]);
    for (const n of ctx.nodesOfKind('k8s_namespace')) if (n.boundary === c.id) known.add(n.name);
    known.delete('');
    return [...known];
  });
}

/**
 * admission() once per namespace (thousands of grants name the same namespaces), each caller given its own evidence
 * object: an edge reached by several grants lists each grant's piece, as when every call built its own.
 */
function admissionOnce(ctx: DeriveContext, known: Map<string, Admission>): (c: ClusterModel, ns: string) => Admission {
  return (c, ns) => {
    const key = `${c.id}\n${ns}`;
    let a = known.get(key);
    if (!a) known.set(key, (a = admission(ctx, c, ns)));
    return a.allows ? { ...a, evidence: { ...a.evidence } } : a;
  };
}

/** The namespaces a grant lets its holder create pods in, with what admission says there (the most open first). */
function namespacesOf(ctx: DeriveContext, g: Grant, admit: (c: ClusterModel, ns: string) => Admission): { ns: string; admission: Admission & { allows: true } }[] {
  let names = g.namespace !== undefined ? [g.namespace] : knownNamespaces(ctx, g.cluster);
  // A patch limited to named workloads escapes only where such a workload exists (its pods run in its namespace).
  if (g.names) names = names.filter((ns) => namedWorkloadExists(g.cluster.runners.get(ns) ?? [], g.request.resource, g.names!));
  const out: { ns: string; admission: Admission & { allows: true } }[] = [];
  for (const ns of names) {
    const a = admit(g.cluster, ns);
    if (a.allows) out.push({ ns, admission: a });
  }
  return out.sort((a, b) => Number(a.admission.conditional !== undefined) - Number(b.admission.conditional !== undefined));
}

const NO_EVIDENCE: readonly Evidence[] = [];

/** The props of a node's way to a pod's account (the pod runs on a named node). */
function tokenOnNode(r: Runner): EdgeProps & { technique: string; reason: string } {
  return { reason: flat`root on node ${String(r.node.props['nodeName'])} reads the token of pod ${r.node.name} (service account ${saName(r.sa)}) from the kubelet's pod volumes`, technique: 'token on node' };
}

export const k8sNodeEscape: EdgeRule = {
  id: 'k8s-node-escape',
  description: 'Pod creators in namespaces that admit privileged pods become root on the cluster nodes, which read the tokens of the pods running there.',
  emits: ['CAN_ESCALATE'],
  reads: reads(K8S_MODEL_READS, { nodes: ['k8s_namespace', 'k8s_node'] }),
  derive(ctx) {
    const model = rbacModel(ctx);
    const out = new EdgeCollector();
    const escaped = new Set<ClusterModel>();
    const admit = admissionOnce(ctx, new Map());
    for (const req of POD_CREATORS) {
      const action = describeRequest(req);
      for (const g of grants(model, req)) {
        const open = namespacesOf(ctx, g, admit);
        const best = open[0];
        if (!best) continue;
        const nodes = clusterNodesId(g.cluster.name);
        escaped.add(g.cluster);
        const props = {
          reason: `can ${action}${scopeText(g)}: a privileged pod (or one mounting the host's root) placed on a node with spec.nodeName gives root on any node of cluster ${g.cluster.name}${g.namespace === undefined ? `, for instance from namespace ${best.ns}` : ''}`,
          technique: 'privileged pod',
          ...(best.admission.conditional ? { conditional: best.admission.conditional } : {}),
        };
        // add, not addWith: an unconditional way (a namespace that admits privileged pods) replaces a conditional one.
        out.add('CAN_ESCALATE', g.subject, nodes, props, [...grantEvidence(g), best.admission.evidence], action, 'node escape');
      }
    }
    for (const c of escaped) {
      const nodes = clusterNodesId(c.name);
      if (!ctx.node(nodes)) ctx.emitNode({ id: nodes, kind: 'k8s_node', name: `nodes of ${c.name}`, handles: [`${c.name} nodes`], props: { cluster: c.name }, boundary: c.id, stub: true });
      for (const list of c.runners.values()) {
        // Indexed: this loop runs once over every pod, mostly before it is optimised.
        for (let i = 0; i < list.length; i++) {
          const r = list[i]!;
          if (r.node.kind !== 'k8s_pod' || !r.tokenMounted || !r.running || typeof r.node.props['nodeName'] !== 'string') continue;
          out.addWith('CAN_ESCALATE', nodes, r.sa, 'node token', tokenOnNode, r, NO_EVIDENCE, undefined, runnerEvidence(r));
        }
      }
    }
    out.emit(ctx);
  },
};
