import { EdgeCollector } from '../../providers/k8s/collect.js';
import { flat } from '../../model/flat.js';
import { reads } from '../reads.js';
import { describeRequest, grantEvidence, grants, inScope, rbacModel, runnerEvidence, scopeText, type Request, type Runner, K8S_MODEL_READS } from '../../providers/k8s/rbac.js';
import type { EdgeRule } from './types.js';

// Exec, attach or an ephemeral debug container in a running pod reaches the service-account token mounted in it.
// kubectl exec/attach POSTs (create) over SPDY; since Kubernetes 1.30 kubectl uses WebSockets, which open with a
// GET, and the API server authorises that as get on pods/exec — so get counts too. Pods without a mounted token
// give nothing here. Workloads stand for the pods they run (their pod names are not known, so name-limited grants
// do not reach them).

const REQUESTS: (Request & { technique: string })[] = [
  { verb: 'create', group: '', resource: 'pods', subresource: 'exec', technique: 'pods/exec' },
  { verb: 'get', group: '', resource: 'pods', subresource: 'exec', technique: 'pods/exec' },
  { verb: 'create', group: '', resource: 'pods', subresource: 'attach', technique: 'pods/attach' },
  { verb: 'get', group: '', resource: 'pods', subresource: 'attach', technique: 'pods/attach' },
  { verb: 'patch', group: '', resource: 'pods', subresource: 'ephemeralcontainers', technique: 'pods/ephemeralcontainers' },
  { verb: 'update', group: '', resource: 'pods', subresource: 'ephemeralcontainers', technique: 'pods/ephemeralcontainers' },
];

const RUNNING_WORKLOADS = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

export const k8sPodExec: EdgeRule = {
  id: 'k8s-pod-exec',
  description: 'Subjects that can exec/attach into pods (or add debug containers) reach the service accounts those pods run as.',
  emits: ['CAN_ESCALATE'],
  reads: reads(K8S_MODEL_READS),
  derive(ctx) {
    const model = rbacModel(ctx);
    const out = new EdgeCollector();
    for (const req of REQUESTS) {
      const action = describeRequest(req);
      for (const g of grants(model, req)) {
        const evidence = grantEvidence(g);
        const make = (r: Runner) => {
          const isPod = r.node.kind === 'k8s_pod';
          return { reason: flat`can ${action}${scopeText(g)}: inside ${isPod ? `pod ${r.node.name}` : `the pods of ${String(r.node.props['objectKind'])} ${r.node.name}`} it reads the mounted token of service account ${saName(r.sa)}`, technique: req.technique };
        };
        for (const r of inScope(g, g.cluster.runners)) {
          if (!r.tokenMounted || !r.running) continue;
          const isPod = r.node.kind === 'k8s_pod';
          if (!isPod && !RUNNING_WORKLOADS.has(String(r.node.props['objectKind']))) continue;
          if (g.names && (!isPod || !g.names.includes(r.node.name.slice(r.node.name.indexOf('/') + 1)))) continue;
          out.addWith('CAN_ESCALATE', g.subject, r.sa, req.technique, make, r, evidence, action, runnerEvidence(r));
        }
      }
    }
    out.emit(ctx);
  },
};

export function saName(id: string): string {
  const parts = id.split('/');
  return `${parts[parts.length - 3] ?? ''}/${parts[parts.length - 1] ?? ''}`;
}
