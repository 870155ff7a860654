import { adminPrincipals, edgeEvidence, label } from './common.js';
import type { FindingDraft, FindingRule } from './types.js';

/** A Kubernetes service account with cluster-admin: any pod that mounts its token owns the cluster. */
export const k8sSaClusterAdmin: FindingRule = {
  id: 'k8s-sa-cluster-admin',
  title: 'Kubernetes service account with cluster-admin',
  severity: 'critical',
  description: 'A ServiceAccount bound (directly or through a group) to cluster-admin or an equivalent ClusterRole.',
  remediation: 'Replace the ClusterRoleBinding with namespaced RoleBindings to a role listing only the verbs and resources the workload uses; if it is a controller that truly needs wide rights, isolate its namespace and disable token automount elsewhere.',
  run(ctx) {
    const admins = adminPrincipals(ctx);
    const out: FindingDraft[] = [];
    // Stubs too: an account known only from the binding that names it (an RBAC-only export) holds the same rights.
    for (const n of ctx.nodesOfKind('k8s_service_account')) {
      const grants = admins.get(n.id);
      if (!grants) continue;
      const clusters = [...new Set(grants.map((g) => ctx.node(g.dst)?.name ?? g.dst))];
      const known = n.stub ? ' (known only from the bindings that name it: its ServiceAccount object is not in the case)' : '';
      out.push({ nodeId: n.id, title: `${label(n)} has ${clusters.join(', ')}`, summary: `${label(n)} is admin-equivalent: ${clusters.join(', ')}${known}.`, evidence: grants.flatMap((g) => edgeEvidence(g, ctx)) });
    }
    return out;
  },
};
