import type { Evidence } from '../../model/fragment.js';
import { reads } from '../reads.js';
import { EdgeCollector } from '../../providers/k8s/collect.js';
import { grantEvidence, grants, rbacModel, ruleMatches, type ClusterModel, type Grant, type RoleInfo, K8S_MODEL_READS } from '../../providers/k8s/rbac.js';
import type { EdgeRule } from './types.js';

// RBAC blocks privilege escalation through bindings unless the creator holds `bind` on the role it binds, and
// through roles unless it holds `escalate` on the role it edits. With those verbs:
// - create a ClusterRoleBinding + bind ClusterRole cluster-admin (by name or "*") → cluster admin;
// - update/patch a role the subject is already bound to + escalate on it → rewrite it to "*" (cluster admin when
//   bound cluster-wide, admin of the namespace through a RoleBinding);
// - create a RoleBinding in a namespace + bind a ClusterRole or Role that allows creating pods there → every
//   service account of that namespace (bound with a RoleBinding, even cluster-admin is admin of one namespace).
// A ClusterRoleBinding cannot refer to a Role, and binding a role that does not exist grants nothing.

const RBAC = 'rbac.authorization.k8s.io';
/** Built-in ClusterRoles that exist in every cluster and allow creating pods. */
const BUILT_IN_POD_CREATORS = ['cluster-admin', 'admin', 'edit'];

export const k8sRbacBind: EdgeRule = {
  id: 'k8s-rbac-bind',
  description: 'Subjects that can create bindings with bind, or edit their own roles with escalate, can grant themselves more.',
  emits: ['ADMIN_OF', 'CAN_ESCALATE'],
  reads: reads(K8S_MODEL_READS),
  derive(ctx) {
    const model = rbacModel(ctx);
    const out = new EdgeCollector();
    const bindClusterRoles = grants(model, { verb: 'bind', group: RBAC, resource: 'clusterroles' });
    const bindRoles = grants(model, { verb: 'bind', group: RBAC, resource: 'roles' });

    // Cluster-wide: a ClusterRoleBinding to cluster-admin.
    for (const verb of ['create', 'update', 'patch']) {
      for (const make of grants(model, { verb, group: RBAC, resource: 'clusterrolebindings', clusterScoped: true })) {
        if (make.names) continue;
        for (const bind of bindClusterRoles) {
          if (bind.subject !== make.subject || bind.cluster !== make.cluster || bind.namespace !== undefined) continue;
          if (bind.names && !bind.names.includes('cluster-admin')) continue;
          out.add('ADMIN_OF', make.subject, make.cluster.adminId, { reason: `can ${verb} clusterrolebindings and bind ClusterRole cluster-admin: it can make itself cluster-admin of ${make.cluster.name}`, technique: 'bind' }, [...grantEvidence(make), ...grantEvidence(bind)], `${verb} clusterrolebindings + bind clusterroles`);
        }
      }
    }

    // escalate plus update/patch on a role the subject is already bound to: it rewrites the role to allow everything.
    // Bound cluster-wide that is cluster admin; through a RoleBinding, admin of that namespace (every account there).
    for (const resource of ['clusterroles', 'roles'] as const) {
      const clusterScoped = resource === 'clusterroles';
      const escalate = grants(model, { verb: 'escalate', group: RBAC, resource, clusterScoped });
      for (const verb of ['update', 'patch']) {
        for (const edit of grants(model, { verb, group: RBAC, resource, clusterScoped })) {
          for (const esc of escalate) {
            if (esc.subject !== edit.subject || esc.cluster !== edit.cluster) continue;
            for (const own of edit.cluster.bindings) {
              const r = own.role;
              if (own.subject !== edit.subject || r.kind !== (clusterScoped ? 'ClusterRole' : 'Role')) continue;
              if ((edit.names && !edit.names.includes(r.name)) || (esc.names && !esc.names.includes(r.name))) continue;
              // A Role is edited in its namespace: both grants must cover it.
              if (!clusterScoped && [edit.namespace, esc.namespace].some((ns) => ns !== undefined && ns !== r.namespace)) continue;
              const where = own.namespace !== undefined ? `RoleBinding ${own.namespace}/${own.name}` : `ClusterRoleBinding ${own.name}`;
              const ev: Evidence[] = [...grantEvidence(edit), ...grantEvidence(esc), { type: 'binding', summary: `${where} binds ${r.kind} ${r.name} to it${own.namespace !== undefined ? ` in namespace ${own.namespace}` : ' cluster-wide'}`, ...(own.location ? { location: own.location } : {}) }];
              const action = `${verb} ${resource} + escalate`;
              if (own.namespace === undefined) {
                out.add('ADMIN_OF', edit.subject, edit.cluster.adminId, { reason: `can ${verb} ${r.kind} ${r.name} with escalate, and is bound to it cluster-wide: it can rewrite it to allow everything`, technique: 'escalate' }, ev, action);
                continue;
              }
              for (const sa of edit.cluster.serviceAccounts.get(own.namespace) ?? []) {
                out.add('CAN_ESCALATE', edit.subject, sa.id, { reason: `can ${verb} ${r.kind} ${r.name} with escalate and holds it in namespace ${own.namespace}: rewritten to allow everything, it runs pods as ${sa.name}`, technique: 'escalate' }, ev, action);
              }
            }
          }
        }
      }
    }

    // A RoleBinding in a namespace to a role that allows creating pods there.
    const podCreate = { verb: 'create', group: '', resource: 'pods' };
    for (const make of grants(model, { verb: 'create', group: RBAC, resource: 'rolebindings' })) {
      const c = make.cluster;
      for (const bind of [...bindClusterRoles, ...bindRoles]) {
        if (bind.subject !== make.subject || bind.cluster !== c) continue;
        const namespaces = intersect(make, bind, c);
        for (const ns of namespaces) {
          const role = bindableRole(c, bind, ns, (r) => r.rules.some((rr) => ruleMatches(rr.rule, podCreate) && !rr.rule.resourceNames.length));
          if (!role) continue;
          const roleText = typeof role === 'string' ? `built-in ClusterRole ${role}` : `${role.kind} ${role.name}`;
          const ev: Evidence[] = [...grantEvidence(make), ...grantEvidence(bind), { type: 'role', summary: `${roleText} allows create pods; bound in namespace ${ns} it runs pods as any service account there`, ...(typeof role !== 'string' && role.location ? { location: role.location } : {}) }];
          for (const sa of c.serviceAccounts.get(ns) ?? []) {
            out.add('CAN_ESCALATE', make.subject, sa.id, { reason: `can create a RoleBinding in namespace ${ns} to ${roleText} (bind allowed), then run a pod as service account ${sa.name}`, technique: 'bind' }, ev, 'create rolebindings + bind');
          }
        }
      }
    }
    out.emit(ctx);
  },
};

/** Namespaces both grants cover (a cluster-wide grant covers every namespace with service accounts). */
function intersect(a: Grant, b: Grant, c: ClusterModel): string[] {
  if (a.namespace !== undefined && b.namespace !== undefined) return a.namespace === b.namespace ? [a.namespace] : [];
  if (a.namespace !== undefined) return [a.namespace];
  if (b.namespace !== undefined) return [b.namespace];
  return [...c.serviceAccounts.keys()];
}

/** A role the bind grant lets it bind in ns that satisfies test: from the case, or a built-in ClusterRole name. */
function bindableRole(c: ClusterModel, bind: Grant, ns: string, test: (r: RoleInfo) => boolean): RoleInfo | string | undefined {
  const wantsClusterRoles = bind.request.resource === 'clusterroles';
  for (const r of c.roles.values()) {
    if (wantsClusterRoles ? r.kind !== 'ClusterRole' : r.kind !== 'Role' || r.namespace !== ns) continue;
    if (bind.names && !bind.names.includes(r.name)) continue;
    if (test(r)) return r;
  }
  if (!wantsClusterRoles) return undefined;
  return BUILT_IN_POD_CREATORS.find((name) => !bind.names || bind.names.includes(name));
}
