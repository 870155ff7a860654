import { grantEvidence, isWildcardRule, rbacModel, K8S_MODEL_READS } from '../../providers/k8s/rbac.js';
import { reads } from '../reads.js';
import type { EdgeRule } from './types.js';

// cluster-admin, or any ClusterRole bound cluster-wide with a rule of every verb on every resource of every API
// group, is full control of the cluster. The same rule through a RoleBinding is admin of one namespace only
// (k8s-pod-create and k8s-secrets then say what it reaches).

export const k8sAdmin: EdgeRule = {
  id: 'k8s-admin',
  description: 'Subjects bound cluster-wide to "*" verbs on "*" resources (cluster-admin or equivalent) are cluster admins.',
  emits: ['ADMIN_OF'],
  reads: reads(K8S_MODEL_READS),
  derive(ctx) {
    const model = rbacModel(ctx);
    for (const c of model.clusters.values()) {
      // The API server lets system:masters do anything before RBAC is consulted; a binding is not needed.
      for (const g of c.groups) {
        if (g.name !== 'system:masters' || model.clusterAdmins.has(g.id)) continue;
        ctx.emitEdge({ from: g.id, to: c.adminId, kind: 'ADMIN_OF', props: { reason: `members of system:masters bypass RBAC: cluster-admin of ${c.name}`, technique: 'system:masters', evidence: [{ type: 'k8s-authorization', summary: 'The API server authorizes every request of group system:masters without consulting RBAC' }] } });
      }
      for (const b of c.bindings) {
        if (b.namespace !== undefined) continue;
        for (const rr of b.role.rules) {
          if (!isWildcardRule(rr.rule)) continue;
          ctx.emitEdge({
            from: b.subject,
            to: c.adminId,
            kind: 'ADMIN_OF',
            props: {
              reason: b.role.accessPolicy
                ? `EKS access policy ${b.role.name} is associated with it at cluster scope, which allows every verb on every resource: cluster-admin of ${c.name}`
                : `${b.kind} ${b.name} gives it ClusterRole ${b.role.name}, which allows every verb on every resource: cluster-admin of ${c.name}`,
              technique: b.role.accessPolicy ? 'EKS access policy' : 'cluster-admin',
              evidence: grantEvidence({ subject: b.subject, cluster: c, binding: b, rule: rr, request: { verb: '*', group: '*', resource: '*' } }),
            },
          });
        }
      }
    }
  },
};
