import type { Evidence } from '../../model/fragment.js';
import { reads, kindsOfProviders } from '../reads.js';
import { ids } from '../../model/ids.js';
import { accessLevelOf, BUILTIN_ROLES, builtinRoleByName, canAssignRoles, roleGuid, scopeKind, type RoleInfo, type RolePermissions, type StoredAssignment } from '../../providers/azure/rbac.js';
import type { StoredNode } from '../../store/case-store.js';
import type { EdgeRule } from './types.js';

// Azure role assignments (props.roleAssignments on subscription and scope nodes) → ADMIN_OF / CAN_ACCESS.
// A role is admin-equivalent when it can write role assignments (Owner, User Access Administrator, RBAC
// Administrator, custom roles with Microsoft.Authorization/roleAssignments/write): it can grant itself Owner.
// Contributor has '*' but NotActions Microsoft.Authorization/*/Write, so it cannot grant roles: not admin, but
// write access to everything in scope. Definitions come from the case (by GUID), else the built-in table.

export const azureRoleAssignments: EdgeRule = {
  id: 'azure-role-assignments',
  description: 'Azure role assignments: roles that can write role assignments at subscription scope are admin of the subscription; other roles give access to their scope',
  emits: ['ADMIN_OF', 'CAN_ACCESS'],
  reads: reads({ nodes: [...kindsOfProviders('azure'), 'admin'] }),
  derive(ctx) {
    const holders: StoredNode[] = [];
    // props.roleAssignmentsDeclared: what infrastructure code (Terraform) declares on a scope, beside the scope's listing.
    const assignmentsOf = (n: StoredNode): unknown[] => [...(Array.isArray(n.props['roleAssignments']) ? n.props['roleAssignments'] : []), ...(Array.isArray(n.props['roleAssignmentsDeclared']) ? n.props['roleAssignmentsDeclared'] : [])];
    for (const kind of ['azure_subscription', 'azure_resource'] as const) for (const n of ctx.nodesOfKind(kind)) if (assignmentsOf(n).length) holders.push(n);
    if (holders.length === 0) return;

    const definitions = new Map<string, RoleInfo & { at?: string }>();
    for (const n of ctx.nodesOfKind('azure_resource')) {
      const guid = n.props['roleDefinitionGuid'];
      if (typeof guid === 'string' && typeof n.props['roleName'] === 'string') {
        definitions.set(guid, { name: n.props['roleName'], permissions: n.props['permissions'] as unknown as RolePermissions[], ...(typeof n.props['at'] === 'string' ? { at: n.props['at'] } : {}) });
      }
    }
    const resolve = (a: StoredAssignment): (RoleInfo & { at?: string; source: string }) | undefined => {
      const guid = roleGuid(a.roleDefinitionId);
      const def = definitions.get(guid);
      if (def) return { ...def, source: 'the role definition in the case' };
      const builtin = BUILTIN_ROLES[guid] ?? (a.roleName ? builtinRoleByName(a.roleName) : undefined);
      if (builtin) return { ...builtin, source: 'the built-in role table' };
      return a.roleName ? { name: a.roleName, source: 'the assignment export (permissions unknown)' } : undefined;
    };

    for (const holder of holders) {
      for (const raw of assignmentsOf(holder)) {
        const a = raw as StoredAssignment;
        const role = resolve(a);
        const from = ctx.node(ids.azureObject(a.principalId))?.id;
        if (!role?.permissions || !from) continue;
        const roleName = role.name;
        const evidence: Evidence[] = [
          { type: 'role-assignment', summary: `${a.principalName ?? a.principalId} (${a.principalType}) is assigned ${roleName} at ${a.scope || '/'}`, location: a.at, data: { assignmentId: a.assignmentId, roleDefinitionId: a.roleDefinitionId, principalId: a.principalId, scope: a.scope } },
          ...(role.at ? [{ type: 'role-definition', summary: `${roleName}: actions ${role.permissions.flatMap((p) => p.actions).join(', ')}${role.permissions.some((p) => p.notActions.length) ? `; not ${role.permissions.flatMap((p) => p.notActions).join(', ')}` : ''}`, location: role.at }] : []),
        ];
        const conditional = a.condition ? { conditional: a.condition } : {};
        const admin = canAssignRoles(role.permissions);
        const kind = scopeKind(a.scope === '/' ? '' : a.scope);
        const subscriptions =
          kind === 'subscription' ? [holder.id] : kind === 'root' || kind === 'managementGroup' ? ((holder.props['inheritedBy'] as string[] | undefined) ?? []).map((s) => ctx.node(s)?.id ?? s) : [];
        if (admin && subscriptions.length) {
          for (const sub of subscriptions) {
            const adminId = ids.admin(sub);
            if (!ctx.node(adminId)) ctx.emitNode({ id: adminId, kind: 'admin', name: `Owner of Azure ${sub.replace('azure:subscription:', 'subscription ')}`, boundary: sub });
            ctx.emitEdge({
              from,
              to: adminId,
              kind: 'ADMIN_OF',
              props: {
                reason: `${roleName} at ${kind === 'subscription' ? 'subscription scope' : `${a.scope || '/'} (inherited by the subscription)`} can write role assignments (Microsoft.Authorization/roleAssignments/write), so it can grant itself Owner`,
                technique: 'Microsoft.Authorization/roleAssignments/write',
                evidence,
                ...conditional,
              },
            });
          }
          continue;
        }
        const accessLevel = accessLevelOf(role.permissions);
        const contributorNote = role.permissions.some((p) => p.actions.includes('*')) && !admin ? ' (it cannot write role assignments: Microsoft.Authorization/*/Write is excluded, so it is not admin of the scope, but it can change every resource in it)' : '';
        // Inherited assignments reach the subscriptions below as well as their own scope.
        for (const to of [holder.id, ...(kind === 'subscription' ? [] : subscriptions)]) {
          ctx.emitEdge({
            from,
            to,
            kind: 'CAN_ACCESS',
            props: {
              reason: `${roleName} at ${a.scope || '/'}${to === holder.id ? '' : ' (inherited by the subscription)'}${contributorNote}`,
              technique: roleName,
              accessLevel,
              actions: role.permissions.flatMap((p) => [...p.actions, ...p.dataActions]),
              // What the role excludes (Contributor: Microsoft.Authorization/*/Write): rules reading the actions subtract it.
              ...(role.permissions.some((p) => p.notActions.length) ? { notActions: role.permissions.flatMap((p) => p.notActions) } : {}),
              evidence,
              ...conditional,
            },
          });
        }
      }
    }
  },
};
