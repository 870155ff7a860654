import { ids } from '../../model/ids.js';
import { entraModel } from '../../providers/azure/tenant.js';
import { reads } from '../reads.js';
import type { EdgeRule } from './types.js';

// A Global Administrator of an Entra tenant can elevate itself to User Access Administrator at the root scope ("/",
// Microsoft.Authorization/elevateAccess/Action: a switch in the tenant's properties, no approval), and from there
// give itself Owner of every subscription and management group of the tenant. So whoever can become Global
// Administrator (the tenant's admin node, which azure-entra-roles draws from Global Administrator, Privileged Role
// Administrator and the roles that can reset an admin's credentials) can become Owner of each subscription whose
// tenant the case knows. Without this step, a leaked Global Administrator's blast radius stopped at the directory.

export const azureElevateAccess: EdgeRule = {
  id: 'azure-elevate-access',
  description: "Global Administrator's elevate-access: the admin of an Entra tenant can become Owner of each subscription of the tenant (User Access Administrator at the root scope)",
  emits: ['CAN_ESCALATE'],
  // Subscriptions and tenants (the Entra model), and who is admin of a tenant (azure-entra-roles' ADMIN_OF edges).
  reads: reads({ nodes: ['azure_subscription', 'azure_tenant', 'admin'], edges: ['ADMIN_OF'], edgeEnds: { ADMIN_OF: { to: ['admin'] } } }),
  derive(ctx) {
    const held = new Set<string>();
    for (const e of ctx.edgesOfKind('ADMIN_OF')) if (e.dst.startsWith('admin:azure:tenant:')) held.add(e.dst);
    if (!held.size) return;
    const model = entraModel(ctx);
    for (const sub of ctx.nodesOfKind('azure_subscription')) {
      // Only a subscription whose tenant the export states (AzureHound's tenantId; an ARM listing alone does not).
      if (typeof sub.props['tenantId'] !== 'string') continue;
      const tenant = model.tenantOf(sub);
      if (!tenant) continue;
      const from = ids.admin(tenant);
      if (!held.has(from)) continue;
      const to = ids.admin(sub.id);
      if (!ctx.node(to)) ctx.emitNode({ id: to, kind: 'admin', name: `Owner of Azure ${sub.id.replace('azure:subscription:', 'subscription ')}`, boundary: sub.id });
      const tenantId = tenant.replace('azure:tenant:', '');
      ctx.emitEdge({
        from,
        to,
        kind: 'CAN_ESCALATE',
        props: {
          reason: `A Global Administrator of tenant ${tenantId} can elevate itself to User Access Administrator at the root scope and then assign itself Owner of subscription ${sub.name}, which belongs to that tenant.`,
          technique: 'Entra elevate access (Microsoft.Authorization/elevateAccess/Action)',
          evidence: [
            {
              type: 'inventory-record',
              summary: `Subscription ${sub.name} states tenant ${tenantId}`,
              ...(typeof sub.props.at === 'string' ? { location: sub.props.at } : {}),
              data: { subscriptionId: sub.id.replace('azure:subscription:', ''), tenantId },
            },
          ],
        },
      });
    }
  },
};
