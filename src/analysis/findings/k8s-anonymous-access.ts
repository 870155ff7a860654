import type { EdgeKind, NodeKind } from '../../model/kinds.js';
import { reads, kindsOfProviders } from '../reads.js';
import type { DerivedOrStoredEdge } from '../edges/types.js';
import { byId, edgeEvidence } from './common.js';
import type { FindingDraft, FindingRule, Severity } from './types.js';

// What a binding to system:anonymous or system:unauthenticated grants, anyone who can reach the API server holds:
// no credential, no leak needed. The built-in bindings of these subjects give only discovery (no such edges).

const SUBJECTS: readonly [NodeKind, string][] = [
  ['k8s_user', 'system:anonymous'],
  ['k8s_group', 'system:unauthenticated'],
];
const GRANTS: readonly EdgeKind[] = ['ADMIN_OF', 'CAN_ESCALATE', 'CAN_READ_CREDENTIAL', 'CAN_ACCESS'];

function severityOf(edges: DerivedOrStoredEdge[]): Severity {
  if (edges.some((e) => e.kind === 'ADMIN_OF')) return 'critical';
  if (edges.some((e) => e.kind === 'CAN_ESCALATE' || e.kind === 'CAN_READ_CREDENTIAL')) return 'high';
  return 'medium';
}

export const k8sAnonymousAccess: FindingRule = {
  id: 'k8s-anonymous-access',
  title: 'Kubernetes grants to anonymous requests',
  severity: 'high',
  description: 'A binding gives system:anonymous or system:unauthenticated more than discovery: anyone who can reach the API server has it, without a credential.',
  remediation: 'Delete the binding (kubectl get clusterrolebindings,rolebindings -A -o wide | grep -E "system:(anonymous|unauthenticated)"), bind the rights to the service account or group that needs them, and run the API server with --anonymous-auth=false where nothing relies on anonymous health checks.',
  reads: reads({ nodes: [...kindsOfProviders('k8s'), 'admin'], edges: ['ADMIN_OF', 'CAN_ACCESS', 'CAN_ESCALATE', 'CAN_READ_CREDENTIAL'] }),
  run(ctx) {
    const out: FindingDraft[] = [];
    for (const [kind, name] of SUBJECTS) {
      for (const n of ctx.nodesOfKind(kind)) {
        if (n.name !== name) continue;
        // The subject's own grants only: the anonymous user's membership of system:unauthenticated is reported there.
        // Each kind's by target: the rules' edges are read in another order by an incremental derivation than by a full one.
        const edges = GRANTS.flatMap((k) => ctx.out(n.id, k).sort((a, b) => byId(a.dst, b.dst)));
        if (!edges.length) continue;
        const cluster = n.boundary ? (ctx.node(n.boundary)?.name ?? n.boundary) : 'the cluster';
        const what = [...new Set(edges.map((e) => ctx.node(e.dst)?.name ?? e.dst))];
        const shown = what.length > 3 ? `${what.slice(0, 3).join(', ')} and ${what.length - 3} more` : what.join(', ');
        out.push({
          nodeId: n.id,
          severity: severityOf(edges),
          title: `Anonymous requests to ${cluster} reach ${shown}`,
          summary: `${name} is bound to rights beyond discovery in ${cluster}: anyone who can reach its API server without credentials reaches ${what.length} node${what.length === 1 ? '' : 's'} (${shown}).`,
          evidence: edges.flatMap((e) => edgeEvidence(e, ctx)),
        });
      }
    }
    return out;
  },
};
