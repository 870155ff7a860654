import type { Evidence } from '../../model/fragment.js';
import { ids } from '../../model/ids.js';
import { RUN_CODE_ACTIONS } from '../../providers/azure/entra.js';
import { allows, grantPermissions, subscriptionOf } from '../../providers/azure/rbac.js';
import { kindsOfProviders, reads } from '../reads.js';
import type { EdgeRule } from './types.js';

// Azure resources that run as managed identities (props.managedIdentities on VMs, scale sets, function and web apps,
// logic apps, automation accounts, registries, AKS clusters): whoever can run code in the resource acts as its
// identities. Reads the CAN_ACCESS edges azure-role-assignments made on the resource, its resource group and its
// subscription, and keeps the grants whose actions include the resource type's "run code" action (run command,
// deploy, rewrite the workflow…): Reader-level access reaches the resource, not its identity.

export const azureManagedIdentity: EdgeRule = {
  id: 'azure-managed-identity',
  description: 'Azure managed identities: principals whose role lets them run code in a VM, app, logic app, automation account, registry or AKS cluster can act as the identities it runs with',
  emits: ['CAN_ESCALATE'],
  // The resources' identities, and the grants (azure-role-assignments' CAN_ACCESS) on them, their resource groups
  // and subscriptions.
  reads: reads({ nodes: kindsOfProviders('azure'), edges: ['CAN_ACCESS'], edgeEnds: { CAN_ACCESS: { to: ['azure_resource', 'azure_subscription'] } } }),
  derive(ctx) {
    for (const res of ctx.nodesOfKind('azure_resource')) {
      const identities = res.props['managedIdentities'];
      const type = typeof res.props['resourceType'] === 'string' ? res.props['resourceType'].toLowerCase() : '';
      const run = RUN_CODE_ACTIONS[type];
      if (!Array.isArray(identities) || !run) continue;
      const scope = String(res.props['scope'] ?? '');
      const rg = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+)\//i.exec(scope)?.[1];
      const sub = subscriptionOf(scope);
      const chain = [res.id, ...(rg ? [ids.azureResource(rg)] : []), ...(sub ? [ids.azureSubscription(sub)] : [])];
      for (const scopeId of chain) {
        for (const grant of ctx.in(scopeId, 'CAN_ACCESS')) {
          if (!allows(grantPermissions(grant.props), run.action)) continue;
          for (const raw of identities) {
            const mi = raw as { principalId?: string; type?: string };
            if (!mi.principalId) continue;
            const to = ctx.node(ids.azureObject(mi.principalId))?.id ?? ids.azureObject(mi.principalId);
            if (to === grant.src) continue;
            const evidence: Evidence[] = [
              ...(grant.props.evidence ?? []),
              { type: 'managed-identity', summary: `${res.name} runs with the ${mi.type === 'UserAssigned' ? 'user-assigned' : 'system-assigned'} managed identity ${mi.principalId}`, ...(typeof res.props['at'] === 'string' ? { location: res.props['at'] } : {}) },
            ];
            ctx.emitEdge({
              from: grant.src,
              to,
              kind: 'CAN_ESCALATE',
              props: {
                reason: `its role (${grant.props.technique ?? 'an Azure role'}${scopeId === res.id ? '' : ' inherited from a parent scope'}) lets it ${run.how} ${res.name}, which runs as this managed identity`,
                technique: `managed identity: ${run.action}`,
                evidence,
                ...(grant.props.conditional ? { conditional: grant.props.conditional } : {}),
              },
            });
          }
        }
      }
    }
  },
};
