import { rbacModel } from '../../providers/k8s/rbac.js';
import type { EdgeRule } from './types.js';

// The API server authenticates every service-account token as a member of system:serviceaccounts,
// system:serviceaccounts:<namespace> and system:authenticated, and every authenticated user as a member of
// system:authenticated. Bindings to these groups widen to everyone in them; MEMBER_OF makes the widening visible
// in paths. Only groups some binding names (and so are in the case) get members.

export const k8sGroups: EdgeRule = {
  id: 'k8s-groups',
  description: 'Kubernetes service accounts and users are members of the system groups bindings name.',
  emits: ['MEMBER_OF'],
  derive(ctx) {
    const model = rbacModel(ctx);
    for (const c of model.clusters.values()) {
      for (const g of c.groups) {
        const name = g.name;
        const perNs = /^system:serviceaccounts:(.+)$/.exec(name)?.[1];
        const members =
          name === 'system:authenticated'
            ? [...[...c.serviceAccounts.values()].flat(), ...c.users]
            : name === 'system:serviceaccounts'
              ? [...c.serviceAccounts.values()].flat()
              : perNs !== undefined
                ? (c.serviceAccounts.get(perNs) ?? [])
                : [];
        for (const m of members) {
          const isSa = m.kind === 'k8s_service_account';
          ctx.emitEdge({
            from: m.id,
            to: g.id,
            kind: 'MEMBER_OF',
            props: {
              reason: isSa ? `the API server puts every service account${perNs ? ` of namespace ${perNs}` : ''} in group ${name}` : `every authenticated user is in group ${name}`,
              technique: 'k8s system group',
              evidence: [{ type: 'k8s-authentication', summary: `Kubernetes authentication adds ${isSa ? `service account ${m.name}` : `user ${m.name}`} to the group ${name} on every request` }],
            },
          });
        }
      }
    }
  },
};
