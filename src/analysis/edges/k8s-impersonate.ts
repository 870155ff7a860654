import { EdgeCollector } from '../../providers/k8s/collect.js';
import { reads } from '../reads.js';
import { describeRequest, grantEvidence, grants, inScope, rbacModel, scopeText, K8S_MODEL_READS } from '../../providers/k8s/rbac.js';
import type { EdgeRule } from './types.js';

// impersonate lets a request act as another user, group or service account (Impersonate-User/-Group headers).
// The API server checks users and groups as cluster-scoped names, so only ClusterRoleBindings grant those;
// a service account is checked in its namespace. Impersonating group system:masters bypasses RBAC entirely.

export const k8sImpersonate: EdgeRule = {
  id: 'k8s-impersonate',
  description: 'Subjects allowed to impersonate users, groups or service accounts can act as them (system:masters = cluster admin).',
  emits: ['CAN_ESCALATE', 'ADMIN_OF'],
  reads: reads(K8S_MODEL_READS),
  derive(ctx) {
    const model = rbacModel(ctx);
    const out = new EdgeCollector();
    const sas = { verb: 'impersonate', group: '', resource: 'serviceaccounts' };
    for (const g of grants(model, sas)) {
      const evidence = grantEvidence(g);
      for (const sa of inScope(g, g.cluster.serviceAccounts)) {
        if (g.names && !g.names.includes(String(sa.props['serviceAccount']))) continue;
        out.add('CAN_ESCALATE', g.subject, sa.id, { reason: `can impersonate service accounts${scopeText(g)}, so act as ${sa.name}`, technique: 'impersonate' }, evidence, describeRequest(sas));
      }
    }
    const users = { verb: 'impersonate', group: '', resource: 'users', clusterScoped: true };
    for (const g of grants(model, users)) {
      const evidence = grantEvidence(g);
      for (const u of g.cluster.users) {
        if (g.names && !g.names.includes(u.name)) continue;
        out.add('CAN_ESCALATE', g.subject, u.id, { reason: `can impersonate user ${u.name}${g.names ? '' : ' (any user)'}`, technique: 'impersonate' }, evidence, describeRequest(users));
      }
    }
    const groups = { verb: 'impersonate', group: '', resource: 'groups', clusterScoped: true };
    for (const g of grants(model, groups)) {
      const evidence = grantEvidence(g);
      for (const grp of g.cluster.groups) {
        if (g.names && !g.names.includes(grp.name)) continue;
        out.add('CAN_ESCALATE', g.subject, grp.id, { reason: `can impersonate group ${grp.name} and so hold what it is bound to`, technique: 'impersonate' }, evidence, describeRequest(groups));
      }
      if (!g.names || g.names.includes('system:masters')) {
        out.add('ADMIN_OF', g.subject, g.cluster.adminId, { reason: `can impersonate group system:masters${g.names ? '' : ' (any group)'}, which the API server lets do anything: cluster-admin of ${g.cluster.name}`, technique: 'impersonate' }, evidence, describeRequest(groups));
      }
    }
    out.emit(ctx);
  },
};
