import type { DeriveContext } from '../../analysis/edges/types.js';
import type { Evidence } from '../../model/fragment.js';
import { arnAccount, ids } from '../../model/ids.js';
import type { NodeKind } from '../../model/kinds.js';
import type { StoredNode } from '../../store/case-store.js';

// What the resource inventories in the case say (lambda list-functions, ec2 describe-instances, …): which
// resources of a kind exist in an account and which roles they run with. An inventory imported for an account
// decides the resource-reuse techniques there: edges to the roles its resources use, none to roles no resource
// uses. The importers mark the account (`inventory.<kind>` on its node) so an empty listing still counts.

export interface InventoriedResource {
  node: StoredNode;
  account: string;
  /** Roles it runs with (its USES_ROLE edges, instance profiles resolved to their roles). */
  roles: string[];
  /** Where the inventory says so. */
  evidence: Evidence;
}

export interface KindInventory {
  /** Accounts whose inventory of this kind is in the case. */
  accounts: Set<string>;
  /** Every known resource of the kind (inventoried or only named), by account. */
  byAccount: Map<string, InventoriedResource[]>;
}

/** The marker an inventory importer sets on the account node (props key). */
export function inventoryMarker(kind: NodeKind): string {
  return `inventory.${kind}`;
}

/** The ARN a resource is evaluated on: its id, or for one known without its region (an EC2 association), props.arn. */
export function arnOf(node: StoredNode): string {
  return !node.id.startsWith('arn:') && typeof node.props['arn'] === 'string' ? node.props['arn'] : node.id;
}

export function accountOf(node: StoredNode): string | undefined {
  return arnAccount(arnOf(node)) ?? (node.boundary?.startsWith('aws:account:') ? node.boundary.slice('aws:account:'.length) : undefined);
}

export function inventoryOf(ctx: DeriveContext, kind: NodeKind): KindInventory {
  return ctx.memo(`aws:inventory:${kind}`, () => {
    const accounts = new Set<string>();
    const byAccount = new Map<string, InventoriedResource[]>();
    const profileRoles = instanceProfileRoles(ctx);
    for (const node of ctx.nodesOfKind(kind)) {
      const account = accountOf(node);
      if (!account) continue;
      const roles = new Set<string>();
      for (const e of ctx.out(node.id, 'USES_ROLE')) {
        const target = ctx.node(e.dst);
        if (target?.kind === 'aws_instance_profile' || /:instance-profile\//.test(e.dst)) for (const r of profileRoles.get(e.dst) ?? []) roles.add(r);
        else roles.add(e.dst);
      }
      if (typeof node.props['role'] === 'string') roles.add(node.props['role']);
      const list = byAccount.get(account) ?? [];
      list.push({ node, account, roles: [...roles], evidence: { type: 'inventory-record', summary: `${node.name} (${node.id}) ${roles.size ? `runs with ${[...roles].map((r) => r.split('/').pop()).join(', ')}` : 'exists'}`, location: node.id } });
      byAccount.set(account, list);
    }
    for (const n of ctx.nodesOfKind('aws_account')) {
      if (n.props[inventoryMarker(kind)] !== undefined) accounts.add(n.id.replace('aws:account:', ''));
    }
    return { accounts, byAccount };
  });
}

/** Instance profile ARN → the roles in it (GAAD lists a role's profiles; CloudFormation lists a profile's roles). */
export function instanceProfileRoles(ctx: DeriveContext): Map<string, string[]> {
  return ctx.memo('aws:instance-profile-roles', () => {
    const out = new Map<string, string[]>();
    const add = (profile: string, role: string) => {
      const list = out.get(profile) ?? [];
      if (!list.includes(role)) list.push(role);
      out.set(profile, list);
    };
    for (const role of ctx.nodesOfKind('aws_role')) {
      const profiles = role.props['instanceProfiles'];
      if (Array.isArray(profiles)) for (const p of profiles) if (typeof p === 'string') add(p, role.id);
    }
    for (const profile of ctx.nodesOfKind('aws_instance_profile')) {
      const roles = profile.props['roles'];
      if (Array.isArray(roles)) for (const r of roles) if (typeof r === 'string') add(profile.id, r);
    }
    return out;
  });
}

/** Whether the account's inventory of the kind is in the case. */
export function isInventoried(ctx: DeriveContext, kind: NodeKind, account: string): boolean {
  return inventoryOf(ctx, kind).accounts.has(account) || ctx.node(ids.awsAccount(account))?.props[inventoryMarker(kind)] !== undefined;
}
