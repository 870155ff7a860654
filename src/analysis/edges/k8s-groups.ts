import { ids } from '../../model/ids.js';
import { reads } from '../reads.js';
import { rbacModel, K8S_MODEL_READS } from '../../providers/k8s/rbac.js';
import type { EdgeRule } from './types.js';

// The API server authenticates every service-account token as a member of system:serviceaccounts,
// system:serviceaccounts:<namespace> and system:authenticated, and every authenticated user as a member of
// system:authenticated. A request without credentials (anonymous authentication is on by default) is the user
// system:anonymous in group system:unauthenticated — never in system:authenticated. Bindings to these groups widen
// to everyone in them; MEMBER_OF makes the widening visible in paths. Only groups some binding names (and so are
// in the case) get members.

const ANONYMOUS = 'system:anonymous';
const UNAUTHENTICATED = 'system:unauthenticated';

export const k8sGroups: EdgeRule = {
  id: 'k8s-groups',
  description: 'Kubernetes service accounts and users are members of the system groups bindings name; anonymous requests of system:unauthenticated.',
  emits: ['MEMBER_OF'],
  reads: reads(K8S_MODEL_READS),
  derive(ctx) {
    const model = rbacModel(ctx);
    for (const c of model.clusters.values()) {
      const authenticatedUsers = c.users.filter((u) => u.name !== ANONYMOUS);
      for (const g of c.groups) {
        const name = g.name;
        if (name === UNAUTHENTICATED) {
          // The origin of anyone who can reach the API server: there only when a binding gives the group something.
          const anonymous = ids.k8sObject(c.name, undefined, 'user', ANONYMOUS);
          if (!ctx.node(anonymous)) ctx.emitNode({ id: anonymous, kind: 'k8s_user', name: ANONYMOUS, handles: [ANONYMOUS], props: { user: ANONYMOUS }, boundary: c.id, stub: true });
          ctx.emitEdge({
            from: anonymous,
            to: g.id,
            kind: 'MEMBER_OF',
            props: {
              // Not conditional: anonymous authentication is the API server's default, and an inventory cannot show the flag.
              reason: `a request to cluster ${c.name} without credentials is the user ${ANONYMOUS} in group ${UNAUTHENTICATED} (anonymous authentication is on by default; only --anonymous-auth=false turns it off)`,
              technique: 'k8s anonymous request',
              evidence: [{ type: 'k8s-authentication', summary: `Kubernetes authentication makes an unauthenticated request ${ANONYMOUS}, a member of ${UNAUTHENTICATED}` }],
            },
          });
          continue;
        }
        const perNs = /^system:serviceaccounts:(.+)$/.exec(name)?.[1];
        const members =
          name === 'system:authenticated'
            ? [...[...c.serviceAccounts.values()].flat(), ...authenticatedUsers]
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
