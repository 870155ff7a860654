import type { Evidence } from '../../model/fragment.js';
import { ids } from '../../model/ids.js';
import { vaultAccess, type VaultPermissions } from '../../providers/azure/entra.js';
import { kindsOfProviders, reads } from '../reads.js';
import type { EdgeRule } from './types.js';

// Key vault access policies (props.accessPolicies on a vault's node, from AzureHound or az keyvault show) → CAN_ACCESS from the principal
// to the vault at the level the policy gives (get on secrets, keys or certificates reads them; set, import, delete…
// write them). A vault in RBAC mode (enableRbacAuthorization) ignores its access policies: role assignments decide.

export const azureKeyVaultAccess: EdgeRule = {
  id: 'azure-key-vault-access',
  description: 'Azure key vault access policies: the principal can read (get) or change (set, import, delete) the vault\'s secrets, keys and certificates',
  emits: ['CAN_ACCESS'],
  // The vaults' access policies and the Entra objects they name.
  reads: reads({ nodes: kindsOfProviders('azure') }),
  derive(ctx) {
    for (const vault of ctx.nodesOfKind('azure_resource')) {
      const policies = vault.props['accessPolicies'];
      if (!Array.isArray(policies) || vault.props['enableRbacAuthorization'] === true) continue;
      for (const raw of policies) {
        const p = raw as { objectId?: string; applicationId?: string; permissions?: VaultPermissions; at?: string };
        if (!p.objectId || !p.permissions) continue;
        const from = ctx.node(ids.azureObject(p.objectId))?.id;
        const access = vaultAccess(p.permissions);
        if (!from || !access) continue;
        const evidence: Evidence[] = [{ type: 'access-policy', summary: `access policy of ${vault.name} for ${p.objectId}: ${access.grants.join(', ')}`, ...(p.at ? { location: p.at } : {}), data: { objectId: p.objectId, ...(p.applicationId ? { applicationId: p.applicationId } : {}) } }];
        ctx.emitEdge({
          from,
          to: vault.id,
          kind: 'CAN_ACCESS',
          props: {
            reason: `its access policy on the key vault allows ${access.grants.join(', ')}`,
            technique: 'key vault access policy',
            accessLevel: access.level,
            actions: access.grants,
            evidence,
            // A compound identity applies only when the principal acts through that application.
            ...(p.applicationId ? { conditional: `only when acting through application ${p.applicationId} (compound identity)` } : {}),
          },
        });
      }
    }
  },
};
