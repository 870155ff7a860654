import { kindsOfProviders, reads } from '../reads.js';
import type { EdgeRule } from './types.js';

// Owners of an Entra group can add members to it, themselves included (role-assignable groups too): they hold
// whatever the group holds.

export const azureGroupOwners: EdgeRule = {
  id: 'azure-group-owners',
  description: 'Entra group owners can add themselves to the group and receive its roles and permissions',
  emits: ['MEMBER_OF'],
  // The owners' names are in the evidence: any Entra object may own a group.
  reads: reads({ nodes: kindsOfProviders('azure'), edges: ['OWNS'], edgeEnds: { OWNS: { to: ['azure_group'] } } }),
  derive(ctx) {
    for (const e of ctx.edgesOfKind('OWNS')) {
      if (!e.dst.startsWith('azure:object:')) continue;
      const group = ctx.node(e.dst);
      if (group?.kind !== 'azure_group') continue;
      ctx.emitEdge({
        from: e.src,
        to: group.id,
        kind: 'MEMBER_OF',
        props: {
          reason: 'owners of a group can add members to it, themselves included',
          technique: 'group owner: add member',
          evidence: [{ type: 'owner', summary: `${ctx.node(e.src)?.name ?? e.src} owns the group ${group.name}`, ...(typeof e.props.at === 'string' ? { location: e.props.at } : {}) }],
        },
      });
    }
  },
};
