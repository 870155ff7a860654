import type { Evidence } from '../../model/fragment.js';
import { flat } from '../../model/flat.js';
import { reads } from '../reads.js';
import { EdgeCollector } from '../../providers/k8s/collect.js';
import { describeRequest, grantEvidence, grants, inScope, rbacModel, runnerEvidence, scopeText, type Request, type Runner, K8S_MODEL_READS } from '../../providers/k8s/rbac.js';
import type { StoredNode } from '../../store/case-store.js';
import type { EdgeRule } from './types.js';

// Whoever can create a pod in a namespace can name any service account of that namespace in its spec and mount
// its token: they can act as every service account there. Creating a workload does the same through its
// controller, and patching a workload's pod template (serviceAccountName included) too. Patching a pod cannot
// change its service account, but it can change a container image: the pod's own account is reached.

/** The requests that put a pod of one's own making in a namespace (directly or through a controller). */
export const POD_CREATORS: (Request & { technique: string })[] = [
  { verb: 'create', group: '', resource: 'pods', technique: 'create pods' },
  ...(
    [
      ['apps', 'deployments'],
      ['apps', 'daemonsets'],
      ['apps', 'statefulsets'],
      ['apps', 'replicasets'],
      ['batch', 'jobs'],
      ['batch', 'cronjobs'],
      ['', 'replicationcontrollers'],
    ] as const
  ).flatMap(([group, resource]) => [
    { verb: 'create', group, resource, technique: 'create workloads' },
    { verb: 'patch', group, resource, technique: 'patch workloads' },
    { verb: 'update', group, resource, technique: 'patch workloads' },
  ]),
];

export const k8sPodCreate: EdgeRule = {
  id: 'k8s-pod-create',
  description: 'Subjects that can create pods or workloads, or patch workloads, in a namespace can run as any service account of it.',
  emits: ['CAN_ESCALATE'],
  reads: reads(K8S_MODEL_READS),
  derive(ctx) {
    const model = rbacModel(ctx);
    const out = new EdgeCollector();
    for (const req of POD_CREATORS) {
      const action = describeRequest(req);
      for (const g of grants(model, req)) {
        // A patch limited to named workloads reaches only the namespace's accounts through those workloads;
        // any account can still be named in their template, so the names restrict which objects, not which accounts.
        const evidence = grantEvidence(g);
        // Made once per grant, given the account: not a closure per account.
        const make = (sa: StoredNode) => ({ reason: flat`can ${action}${scopeText(g)} and so run a pod as service account ${sa.name}`, technique: req.technique });
        const accounts = inScope(g, g.cluster.serviceAccounts);
        for (let i = 0; i < accounts.length; i++) {
          const sa = accounts[i]!;
          if (g.names && !namedWorkloadExists(g.cluster.runners.get(String(sa.props['namespace'])) ?? [], req.resource, g.names)) continue;
          out.addWith('CAN_ESCALATE', g.subject, sa.id, 'run pods', make, sa, evidence, action);
        }
      }
    }
    for (const verb of ['patch', 'update']) {
      const req = { verb, group: '', resource: 'pods' };
      const action = describeRequest(req);
      for (const g of grants(model, req)) {
        const evidence = grantEvidence(g);
        const make = (r: Runner) => ({ reason: flat`can ${action}${scopeText(g)}: replacing a container image of pod ${r.node.name} runs code with its service account token`, technique: 'patch pods' });
        const runners = inScope(g, g.cluster.runners);
        for (let i = 0; i < runners.length; i++) {
          const r = runners[i]!;
          if (r.node.kind !== 'k8s_pod' || !r.tokenMounted || !r.running) continue;
          if (g.names && !g.names.includes(r.node.name.slice(r.node.name.indexOf('/') + 1))) continue;
          const ev: Evidence[] = [...evidence, runnerEvidence(r)];
          out.addWith('CAN_ESCALATE', g.subject, r.sa, 'patch pods', make, r, ev, action);
        }
      }
    }
    out.emit(ctx);
  },
};

/** Workload kinds by the resource name RBAC rules use. */
const KIND_OF: Record<string, string> = { deployments: 'Deployment', daemonsets: 'DaemonSet', statefulsets: 'StatefulSet', replicasets: 'ReplicaSet', jobs: 'Job', cronjobs: 'CronJob', replicationcontrollers: 'ReplicationController' };

export function namedWorkloadExists(runners: { node: { name: string; props: Record<string, unknown> } }[], resource: string, names: string[]): boolean {
  return runners.some((r) => r.node.props['objectKind'] === KIND_OF[resource] && names.includes(r.node.name.slice(r.node.name.indexOf('/') + 1)));
}
