import { kindsOfProviders, reads } from '../reads.js';
import type { Evidence } from '../../model/fragment.js';
import { ids } from '../../model/ids.js';
import { directoryRoleCapability, entraRoleName } from '../../providers/azure/entra.js';
import { emitCredentialEscalation, entraModel, type EntraModel } from '../../providers/azure/tenant.js';
import type { StoredNode } from '../../store/case-store.js';
import type { DeriveContext, EdgeRule } from './types.js';

// Entra directory roles (HAS_ROLE edges to azure_directory_role nodes, from AzureHound's role assignments and PIM
// eligibilities) → what they give: Global Administrator, Privileged Role Administrator and the roles that can reset
// a Global Administrator's credentials are admin of the tenant; Application Administrator and Cloud Application
// Administrator (or a custom role with the same directory actions) can add credentials to every application and
// service principal — or, when the assignment is scoped to one application, to that one — and sign in as them.

const PIM = 'eligible through Privileged Identity Management: the role must be activated first (activation may require approval, MFA or a justification)';

/** The application a scoped assignment names (by client id or object id); its service principal is reached through it. */
function scopedTargets(ctx: DeriveContext, model: EntraModel, key: string): StoredNode[] {
  const found = [...model.byClientId(key), ctx.node(`azure:object:${key.toLowerCase()}`)].filter((n): n is StoredNode => n !== undefined && n.kind !== 'azure_managed_identity');
  const apps = found.filter((n) => n.kind === 'azure_application');
  return [...new Map((apps.length ? apps : found).map((n) => [n.id, n])).values()];
}

export const azureEntraRoles: EdgeRule = {
  id: 'azure-entra-roles',
  description: 'Entra directory roles: Global Administrator, Privileged Role Administrator and password-reset-of-admins roles are admin of the tenant; Application and Cloud Application Administrators can add credentials to applications and service principals',
  emits: ['ADMIN_OF', 'CAN_ESCALATE'],
  // The holders, the roles and the Entra model (tenants, applications, service principals, managed identities); the
  // tenant's admin node when a source stated it.
  reads: reads({ nodes: [...kindsOfProviders('azure'), 'admin'], edges: ['HAS_ROLE', 'OBSERVED_USE'], edgeEnds: { HAS_ROLE: { to: ['azure_directory_role'] }, OBSERVED_USE: { to: ['azure_directory_role'] } } }),
  derive(ctx) {
    // Holders stated by the directory (HAS_ROLE), and those an audit log shows adding themselves to a role
    // (entra-audit-log's OBSERVED_USE into the role: it draws one only for a self-grant). The log shows the moment of
    // the grant; what the role gives holds from then, whether or not it was removed since (the evidence says so).
    const edges = [...ctx.edgesOfKind('HAS_ROLE'), ...ctx.edgesOfKind('OBSERVED_USE')].filter((e) => e.dst.startsWith('azure:dirrole:'));
    if (!edges.length) return;
    const model = entraModel(ctx);
    for (const e of edges) {
      const role = ctx.node(e.dst);
      const holder = ctx.node(e.src);
      if (!holder) continue;
      const observed = e.kind === 'OBSERVED_USE';
      const roleId = String(e.props['roleDefinitionId'] ?? role?.props['roleDefinitionId'] ?? e.dst.split(':').pop());
      const templateId = typeof role?.props['templateId'] === 'string' ? role.props['templateId'] : roleId;
      const actions = Array.isArray(role?.props['allowedResourceActions']) ? (role.props['allowedResourceActions'] as unknown[]).filter((a): a is string => typeof a === 'string') : [];
      const cap = directoryRoleCapability(templateId, actions);
      if (!cap.admin && !cap.appCredentials) continue;
      // The built-in name reads better than AzureHound's upper-cased display name.
      const roleName = entraRoleName(templateId) ?? role?.name ?? roleId;
      const scope = typeof e.props['directoryScopeId'] === 'string' ? e.props['directoryScopeId'] : '/';
      const eligible = e.props['eligible'] === true;
      // azure:dirrole:<tenant>:<role>: an observed role may have no node of its own.
      const tenant = (role ? model.tenantOf(role) : ids.azureTenant(e.dst.split(':')[2] ?? '')) ?? model.tenantOf(holder);
      if (!tenant) continue;
      const evidence: Evidence[] = observed
        ? [{ type: 'log-event', summary: `${holder.name} added itself to the directory role ${roleName}${typeof e.props.firstSeen === 'string' ? ` on ${e.props.firstSeen}` : ''}, as an audit log shows (whether it was removed since, the case does not say)`, data: { roleTemplateId: templateId, ...(typeof e.props.firstSeen === 'string' ? { firstSeen: e.props.firstSeen } : {}) } }]
        : [
        {
          type: 'role-assignment',
          summary: `${holder.name} ${eligible ? 'is eligible for' : 'holds'} the directory role ${roleName}${scope === '/' ? ' (tenant-wide)' : ` at scope ${scope}`}`,
          ...(typeof e.props.at === 'string' ? { location: e.props.at } : {}),
          data: { roleDefinitionId: roleId, directoryScopeId: scope, ...(typeof e.props['assignmentId'] === 'string' ? { assignmentId: e.props['assignmentId'] } : {}) },
        },
      ];
      const conditional = eligible ? PIM : undefined;
      if (cap.admin) {
        // Only a tenant-wide assignment reaches the whole tenant; a scoped one acts on its scope alone.
        if (scope !== '/') continue;
        ctx.emitEdge({ from: holder.id, to: model.adminOf(tenant), kind: 'ADMIN_OF', props: { reason: cap.admin, technique: `directory role: ${roleName}`, evidence, ...(conditional ? { conditional } : {}) } });
        continue;
      }
      // "/" is the tenant; "/<client id>" or "/<object id>" one application (AzureHound writes the client id);
      // administrative-unit scopes hold users and groups, not applications.
      if (scope.startsWith('/administrativeUnits/')) continue;
      const targets = scope === '/' ? model.credentialTargets(tenant) : scopedTargets(ctx, model, scope.slice(1));
      emitCredentialEscalation(ctx, holder.id, targets, cap.appCredentials!, `directory role: ${roleName} (add credentials)`, evidence, conditional);
    }
  },
};
