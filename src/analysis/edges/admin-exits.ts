import { isObject, type Evidence } from '../../model/fragment.js';
import { arnAccount, ids } from '../../model/ids.js';
import { EDGE_KINDS } from '../../model/kinds.js';
import { RUN_CODE_ACTIONS, isUserAssignedIdentityPath, managedIdentityArmPaths, resourceTypeOf } from '../../providers/azure/entra.js';
import { subscriptionOf } from '../../providers/azure/rbac.js';
import type { StoredNode } from '../../store/case-store.js';
import { kindsOfProviders, reads } from '../reads.js';
import type { DerivedOrStoredEdge, EdgeRule } from './types.js';

// The admin of a boundary can act as any identity inside it: cluster-admin runs a pod as any service account and
// reads its token; an AWS account's admin rewrites any role's trust policy, or creates an access key for any user.
// Reaching an admin node lists what the boundary holds, but the walks do not go on from its members (paths follow
// real edges). So for the members that have a way out of the boundary — a service account federated to a cloud
// identity, an AWS principal allowed to assume a role of another account or mapped into an EKS cluster, an Azure
// managed identity with an edge out of its subscription — the admin node gets an edge to them, and what an admin reaches goes on past the boundary: a leaked cluster-admin token reaches
// the AWS roles of the cluster's IRSA service accounts; the admin of a tools account, the prod role that trusts one of
// its roles by name; the admin of an account, the clusters its roles are mapped into.
// Only the members with a way out: an edge to every member would add nothing the admin node does not already give.

/** One way out of a boundary for one of its members: what the admin node's edge to the member will say. */
interface Exit {
  /**
   * The kind of way out, in order of preference: federation, an EKS mapping, a cross-account role, an Azure identity's
   * edge (through a resource of the case, then through the resource its service principal names).
   */
  rank: number;
  /** Among ways out of one kind, the first of this key is named. */
  order: string;
  member: string;
  name: string;
  admin: string;
  technique: string;
  reason: string;
  exit: DerivedOrStoredEdge;
}

const orderOf = (e: DerivedOrStoredEdge) => `${e.kind}\n${e.dst}\n${e.src}`;

export const adminExits: EdgeRule = {
  id: 'admin-exits',
  description: "A boundary's admin can act as its identities: its admin node can escalate to those with a way out of the boundary (a service account federated to a cloud identity, an AWS principal that can assume another account's role or is mapped into an EKS cluster, an Azure managed identity with an edge out of its subscription)",
  emits: ['CAN_ESCALATE'],
  // Azure: resources and the managed identities they run with, every edge leaving those identities, and the boundary
  // of what those edges reach.
  reads: reads({ nodes: ['admin', 'k8s_service_account', 'aws_role', 'aws_user', ...kindsOfProviders('azure')], edges: ['FEDERATES_TO', 'CAN_ASSUME'], edgesAt: ['azure_managed_identity'] }),
  derive(ctx) {
    // Each (admin node, member) once, with one way out (its evidence says why the edge is there): the first kind of
    // way out below, and among several of a kind the first in id order, so the edge is the same whichever order the
    // case lists its edges in (a full run reads what earlier rules derived from memory, an incremental one from rows).
    const exits = new Map<string, Exit>();
    const add = (x: Exit) => {
      // A service-linked role's trust policy cannot be changed (IAM refuses: UnmodifiableEntity).
      if (x.member.includes(':role/aws-service-role/') || !ctx.node(x.admin)) return;
      const key = `${x.admin}\n${x.member}`;
      const had = exits.get(key);
      if (!had || x.rank < had.rank || (x.rank === had.rank && x.order < had.order)) exits.set(key, x);
    };
    const takeOver = { aws_role: "account admin: rewrites the role's trust policy and assumes it (iam:UpdateAssumeRolePolicy)", aws_user: 'account admin: creates an access key for the user (iam:CreateAccessKey)' } as const;
    // Collected first: the loop reads nodes, and a store iterator must not be re-entered.
    const federations = [...ctx.edgesOfKind('FEDERATES_TO')];
    // Where an admin node federates itself (an account's admin signs in to a cluster that aws-auth mapAccounts opens to
    // every principal of the account), it needs no member to get there.
    const ownFederation = new Set(federations.filter((e) => e.src.startsWith('admin:')).map((e) => `${e.src}\n${e.dst}`));
    for (const e of federations) {
      if (e.src.startsWith('k8s:')) {
        const sa = ctx.node(e.src);
        if (sa?.kind !== 'k8s_service_account' || !sa.boundary) continue;
        add({ rank: 0, order: orderOf(e), member: sa.id, name: sa.name, admin: ids.admin(sa.boundary), technique: 'cluster-admin: runs a pod as the service account', reason: `An admin of cluster ${sa.boundary.replace(/^k8s:/, '')} can create a pod that runs as service account ${sa.name} and use its token, which federates to ${e.dst}.`, exit: e });
        continue;
      }
      // An IAM role or user EKS maps into a cluster (aws-auth, access entries).
      const account = arnAccount(e.src);
      if (!account || e.src.endsWith(':root') || ownFederation.has(`${ids.admin(ids.awsAccount(account))}\n${e.dst}`)) continue;
      const principal = ctx.node(e.src);
      if (principal?.kind !== 'aws_role' && principal?.kind !== 'aws_user') continue;
      add({ rank: 1, order: orderOf(e), member: principal.id, name: principal.name, admin: ids.admin(ids.awsAccount(account)), technique: takeOver[principal.kind], reason: `An admin of AWS account ${account} can act as ${principal.kind === 'aws_role' ? 'role' : 'user'} ${principal.name}, which EKS maps into a cluster as ${e.dst}.`, exit: e });
    }
    const assumes = [...ctx.edgesOfKind('CAN_ASSUME')];
    // What an admin node assumes itself (a role trusting its account's root) needs no member to get there.
    const direct = new Set(assumes.filter((e) => e.src.startsWith('admin:')).map((e) => `${e.src}\n${e.dst}`));
    for (const e of assumes) {
      const from = arnAccount(e.src);
      const to = arnAccount(e.dst);
      if (!from || !to || from === to || e.src.endsWith(':root')) continue;
      const admin = ids.admin(ids.awsAccount(from));
      if (direct.has(`${admin}\n${e.dst}`)) continue;
      const principal = ctx.node(e.src);
      if (principal?.kind === 'aws_role' || principal?.kind === 'aws_user') {
        add({ rank: 2, order: orderOf(e), member: principal.id, name: principal.name, admin, technique: takeOver[principal.kind], reason: `An admin of AWS account ${from} can act as ${principal.kind === 'aws_role' ? 'role' : 'user'} ${principal.name}, which can assume ${e.dst} in account ${to}.`, exit: e });
      }
    }
    // A subscription's owner can run code as the managed identities of its resources: in a resource that runs code
    // (a run command on a VM, code deployed to an app: the types azure-managed-identity knows), as its identities; and
    // as a user-assigned identity, which it can attach to a resource it creates. One with an edge leaving the
    // subscription (a Graph permission, a directory role, a role on another subscription) takes the owner out of it.
    // A storage account's system-assigned identity (for its encryption keys) runs no code an owner can write.
    const wayOut = (mi: StoredNode, sub: string) => {
      const leaving = ctx.out(mi.id).filter((e) => EDGE_KINDS[e.kind].traversable && ctx.node(e.dst)?.boundary !== sub);
      return leaving.length ? leaving.reduce((a, b) => (orderOf(b) < orderOf(a) ? b : a)) : undefined;
    };
    const technique = 'subscription owner: runs code as the managed identity';
    for (const r of [...ctx.nodesOfKind('azure_resource')]) {
      const sub = r.boundary;
      const held = r.props['managedIdentities'];
      if (!sub?.startsWith('azure:subscription:') || !Array.isArray(held)) continue;
      const runs = RUN_CODE_ACTIONS[String(r.props['resourceType'] ?? '').toLowerCase()];
      for (const m of held) {
        if (!isObject(m) || typeof m['principalId'] !== 'string') continue;
        const userAssigned = m['type'] === 'UserAssigned';
        if (!runs && !userAssigned) continue;
        const mi = ctx.node(ids.azureObject(m['principalId']));
        if (mi?.kind !== 'azure_managed_identity') continue;
        const exit = wayOut(mi, sub);
        if (!exit) continue;
        const how = runs ? `can ${runs.how} ${r.name}, which runs as managed identity ${mi.name}` : `can attach user-assigned identity ${mi.name} (attached to ${r.name}) to a resource it creates and run code there`;
        // A user-assigned identity may run several resources of the subscription: the first by id is named.
        add({ rank: 3, order: `${r.id}\n${orderOf(exit)}`, member: mi.id, name: mi.name, admin: ids.admin(sub), technique, reason: `An owner of subscription ${sub.replace('azure:subscription:', '')} ${how}; its ${exit.kind} edge to ${exit.dst} leaves the subscription.`, exit });
      }
    }
    // An identity whose resource is not in the case (a directory export without the subscription's resources):
    // Entra names its ARM resource in alternativeNames (servicePrincipalNames too) — the resource it is the
    // system-assigned identity of, or the user-assigned identity itself.
    for (const mi of [...ctx.nodesOfKind('azure_managed_identity')]) {
      const [path] = managedIdentityArmPaths(mi);
      const subId = path && subscriptionOf(path);
      if (!path || !subId) continue;
      const type = resourceTypeOf(path);
      const userAssigned = isUserAssignedIdentityPath(path);
      const runs = type ? RUN_CODE_ACTIONS[type] : undefined;
      if (!runs && !userAssigned) continue;
      const sub = ids.azureSubscription(subId);
      if (exits.has(`${ids.admin(sub)}\n${mi.id}`)) continue;
      const exit = wayOut(mi, sub);
      if (!exit) continue;
      const how = runs ? `can ${runs.how} ${path}, which runs as managed identity ${mi.name}` : `can attach user-assigned identity ${mi.name} (${path}) to a resource it creates and run code there`;
      add({ rank: 4, order: orderOf(exit), member: mi.id, name: mi.name, admin: ids.admin(sub), technique, reason: `An owner of subscription ${subId} ${how}; its ${exit.kind} edge to ${exit.dst} leaves the subscription.`, exit });
    }
    for (const x of [...exits.values()].sort((a, b) => (a.admin + a.member < b.admin + b.member ? -1 : 1))) {
      const evidence: Evidence[] = [{ type: 'note', summary: `The way out of the boundary: ${x.name} ${EDGE_KINDS[x.exit.kind].verb} ${x.exit.dst}`, data: { edge: x.exit.kind, from: x.exit.src, to: x.exit.dst } }];
      ctx.emitEdge({ from: x.admin, to: x.member, kind: 'CAN_ESCALATE', props: { reason: x.reason, technique: x.technique, evidence } });
    }
  },
};
