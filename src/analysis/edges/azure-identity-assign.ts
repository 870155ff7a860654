import type { Evidence } from '../../model/fragment.js';
import { ids } from '../../model/ids.js';
import { isUserAssignedIdentityPath, managedIdentityArmPaths, RUN_CODE_ACTIONS, resourceTypeOf } from '../../providers/azure/entra.js';
import { allows, grantPermissions, subscriptionOf } from '../../providers/azure/rbac.js';
import type { StoredNode } from '../../store/case-store.js';
import { kindsOfProviders, reads } from '../reads.js';
import type { DerivedOrStoredEdge, EdgeRule } from './types.js';

// A user-assigned managed identity is a resource of its own, attached to any resource whose owner may assign it:
// ARM asks for write on the resource (Microsoft.Compute/virtualMachines/write) and, on the identity, its assign action
// (Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action: Managed Identity Operator, Contributor, a custom
// role). A principal with both — the assign action over the identity (on it, its resource group or subscription)
// and the right to change and run code in a compute resource of the case (a VM it may rewrite and run a command on,
// an app it may deploy to) — attaches the identity there and acts as it, though no resource runs as it today.
// azure-managed-identity covers the resources that already run as an identity; this, the ones that could. And a
// principal that may write the identity's federated credentials (federatedIdentityCredentials/write: Managed Identity
// Contributor, Contributor, Owner) adds one trusting an issuer it controls and signs in as the identity.

const ASSIGN = ['Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action', 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action'];
const FEDERATE = 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write';
// The control-plane identity of an AKS cluster runs no code a run command reaches (it runs in a pod of the cluster).
const HOSTS = Object.entries(RUN_CODE_ACTIONS).filter(([type]) => type !== 'microsoft.containerservice/managedclusters');

/** Sorts grants so an unconditional one comes first, then by what `key` says: the edge drawn is the same whatever order the case lists them in. */
const before = (a: DerivedOrStoredEdge, b: DerivedOrStoredEdge, ka: string, kb: string) => Number(Boolean(a.conditional)) - Number(Boolean(b.conditional)) || (ka < kb ? -1 : ka > kb ? 1 : 0);

const sameGrant = (a: DerivedOrStoredEdge, b: DerivedOrStoredEdge) => a.src === b.src && a.dst === b.dst && a.props.technique === b.props.technique;

export const azureIdentityAssign: EdgeRule = {
  id: 'azure-identity-assign',
  description: "Azure user-assigned identities: a principal that may write one's federated credentials signs in as it; one that may assign it (its assign action over the identity) and may change and run code in a VM, app, logic app, automation account or registry attaches it there and acts as it",
  emits: ['CAN_ESCALATE'],
  // The identities and compute resources (their ARM paths and types), and the grants azure-role-assignments drew.
  reads: reads({ nodes: kindsOfProviders('azure'), edges: ['CAN_ACCESS'], edgeEnds: { CAN_ACCESS: { to: ['azure_resource', 'azure_subscription'] } } }),
  derive(ctx) {
    const identities: { mi: StoredNode; path: string }[] = [];
    for (const mi of ctx.nodesOfKind('azure_managed_identity')) {
      const path = managedIdentityArmPaths(mi).find(isUserAssignedIdentityPath);
      if (path) identities.push({ mi, path });
    }
    if (!identities.length) return;
    // Compute resources by type, with their ARM paths (lower-case) and subscriptions: where an identity can be attached.
    const hosts: { node: StoredNode; path: string; type: string }[] = [];
    for (const r of ctx.nodesOfKind('azure_resource')) {
      const path = typeof r.props['scope'] === 'string' ? r.props['scope'].toLowerCase().replace(/\/+$/, '') : '';
      const type = String(r.props['resourceType'] ?? (path ? resourceTypeOf(path) : '') ?? '').toLowerCase();
      if (path && HOSTS.some(([t]) => t === type)) hosts.push({ node: r, path, type });
    }
    // A principal's compute grants: a host it may rewrite and run code in, under a scope it holds a grant on.
    const hostsOf = new Map<string, { grant: DerivedOrStoredEdge; host: (typeof hosts)[number]; how: string }[]>();
    const computeOf = (principal: string) => {
      let found = hostsOf.get(principal);
      if (found) return found;
      found = [];
      for (const grant of ctx.out(principal, 'CAN_ACCESS')) {
        const scope = ctx.node(grant.dst);
        if (!scope) continue;
        const scopePath = scope.kind === 'azure_subscription' ? `/subscriptions/${String(scope.props['subscriptionId'] ?? scope.id.replace('azure:subscription:', ''))}`.toLowerCase() : String(scope.props['scope'] ?? '').toLowerCase().replace(/\/+$/, '');
        if (!scopePath) continue;
        const perms = grantPermissions(grant.props);
        for (const host of hosts) {
          if (host.path !== scopePath && !host.path.startsWith(`${scopePath}/`)) continue;
          const run = RUN_CODE_ACTIONS[host.type]!;
          if (allows(perms, `${host.type}/write`) && allows(perms, run.action)) found.push({ grant, host, how: run.how });
        }
      }
      found.sort((a, b) => before(a.grant, b.grant, `${a.host.path}\n${String(a.grant.props.technique)}`, `${b.host.path}\n${String(b.grant.props.technique)}`));
      hostsOf.set(principal, found);
      return found;
    };
    for (const { mi, path } of identities) {
      const lower = path.toLowerCase();
      const sub = subscriptionOf(lower);
      const rg = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+)\//.exec(lower)?.[1];
      const scopes = [ids.azureResource(lower), ...(rg ? [ids.azureResource(rg)] : []), ...(sub ? [ids.azureSubscription(sub)] : [])];
      // Each principal once per action, with its first grant of it (on the identity, then its group, then its
      // subscription).
      const firstGrants = (actions: readonly string[]) => {
        const found = new Map<string, { grant: DerivedOrStoredEdge; key: string }>();
        scopes.forEach((scopeId, rank) => {
          for (const grant of ctx.in(scopeId, 'CAN_ACCESS')) {
            if (grant.src === mi.id || !actions.some((a) => allows(grantPermissions(grant.props), a))) continue;
            const key = `${rank}\n${String(grant.props.technique)}`;
            const had = found.get(grant.src);
            if (!had || before(grant, had.grant, key, had.key) < 0) found.set(grant.src, { grant, key });
          }
        });
        return [...found].sort(([a], [b]) => (a < b ? -1 : 1));
      };
      // A federated credential on the identity, trusting an issuer the holder controls (a repository's workflows, a
      // cluster's service accounts), signs it in as the identity: no resource needed.
      for (const [principal, { grant }] of firstGrants([FEDERATE])) {
        ctx.emitEdge({
          from: principal,
          to: mi.id,
          kind: 'CAN_ESCALATE',
          props: {
            reason: `its role (${grant.props.technique ?? 'an Azure role'}) may write federated credentials on user-assigned identity ${mi.name}: one trusting an issuer it controls (a repository's workflows, a cluster's service accounts) signs it in as the identity`,
            technique: `add a federated credential (${FEDERATE})`,
            evidence: [...(grant.props.evidence ?? []), { type: 'note', summary: `${mi.name} is the user-assigned identity ${path}`, data: { identity: path } }],
            ...(grant.props.conditional ? { conditional: grant.props.conditional } : {}),
          },
        });
      }
      const assigners = firstGrants(ASSIGN);
      for (const [principal, { grant: assign }] of assigners) {
        const [first] = computeOf(principal);
        if (!first) continue;
        const evidence: Evidence[] = [
          ...(assign.props.evidence ?? []),
          // One grant may give both halves (Contributor): its evidence once. Compared by what the edge is, not by
          // object: a grant read by its start and by its end are two objects when read from rows.
          ...(sameGrant(first.grant, assign) ? [] : (first.grant.props.evidence ?? [])),
          { type: 'note', summary: `${first.host.node.name} is a resource it may change and run code in; ${mi.name} is the user-assigned identity ${path}`, data: { host: first.host.node.id, identity: path } },
        ];
        const conditional = assign.props.conditional ?? first.grant.props.conditional;
        ctx.emitEdge({
          from: principal,
          to: mi.id,
          kind: 'CAN_ESCALATE',
          props: {
            reason: `its role (${assign.props.technique ?? 'an Azure role'}) may assign user-assigned identity ${mi.name}, and its role (${first.grant.props.technique ?? 'an Azure role'}) lets it ${first.how} ${first.host.node.name}: it attaches the identity there and runs code as it`,
            technique: 'attach a user-assigned identity (Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action)',
            evidence,
            ...(conditional ? { conditional } : {}),
          },
        });
      }
    }
  },
};
