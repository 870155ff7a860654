import type { Evidence } from '../../model/fragment.js';
import { GRAPH_APP_ROLES, MICROSOFT_GRAPH_APP_ID } from '../../providers/azure/entra.js';
import { emitCredentialEscalation, entraModel } from '../../providers/azure/tenant.js';
import { kindsOfProviders, reads } from '../reads.js';
import type { EdgeRule } from './types.js';

// Microsoft Graph application permissions (app role assignments to Microsoft Graph's service principal, HAS_ROLE
// edges with props.appRoleId) → what they give: RoleManagement.ReadWrite.Directory and AppRoleAssignment.ReadWrite.All
// take over the tenant (the first assigns Global Administrator, the second grants the first); Application.ReadWrite.All
// adds credentials to every application and service principal.

export const azureGraphAppRoles: EdgeRule = {
  id: 'azure-graph-app-roles',
  description: 'Microsoft Graph application permissions: RoleManagement.ReadWrite.Directory and AppRoleAssignment.ReadWrite.All are admin of the tenant; Application.ReadWrite.All can add credentials to every application',
  emits: ['ADMIN_OF', 'CAN_ESCALATE'],
  // App role assignments point at the resource application's service principal (an Entra object, or its stub).
  reads: reads({ nodes: [...kindsOfProviders('azure'), 'admin'], edges: ['HAS_ROLE'], edgeEnds: { HAS_ROLE: { to: kindsOfProviders('azure') } } }),
  derive(ctx) {
    const edges = [...ctx.edgesOfKind('HAS_ROLE')].filter((e) => typeof e.props['appRoleId'] === 'string');
    if (!edges.length) return;
    const model = entraModel(ctx);
    for (const e of edges) {
      const spec = GRAPH_APP_ROLES[String(e.props['appRoleId']).toLowerCase()];
      if (!spec) continue;
      const resource = ctx.node(e.dst);
      const resourceAppId = String(e.props['resourceAppId'] ?? resource?.props['appId'] ?? '').toLowerCase();
      // The same app role id means something else on another API: only Microsoft Graph's count.
      if (resourceAppId !== MICROSOFT_GRAPH_APP_ID) continue;
      const holder = ctx.node(e.src);
      if (!holder) continue;
      const tenant = model.tenantOf(holder) ?? (resource ? model.tenantOf(resource) : undefined);
      if (!tenant) continue;
      const evidence: Evidence[] = [
        {
          type: 'app-role-assignment',
          summary: `${holder.name} is granted the Microsoft Graph application permission ${spec.name}`,
          ...(typeof e.props.at === 'string' ? { location: e.props.at } : {}),
          data: { appRoleId: String(e.props['appRoleId']), resourceAppId, ...(typeof e.props['assignmentId'] === 'string' ? { assignmentId: e.props['assignmentId'] } : {}) },
        },
      ];
      if (spec.admin) ctx.emitEdge({ from: holder.id, to: model.adminOf(tenant), kind: 'ADMIN_OF', props: { reason: spec.admin, technique: `Microsoft Graph: ${spec.name}`, evidence } });
      else emitCredentialEscalation(ctx, holder.id, model.credentialTargets(tenant), spec.appCredentials!, `Microsoft Graph: ${spec.name} (add credentials)`, evidence, undefined);
    }
  },
};
