import { adminPrincipals, CREDENTIAL_KINDS, edgeEvidence, holders, isActive, label, nodesOf, propsEvidence, MEMBERS_OF_RULED_GROUPS } from './common.js';
import { reads, kindsOf } from '../reads.js';
import type { FindingDraft, FindingRule } from './types.js';

/** A credential of an admin-equivalent principal: whoever holds it owns the whole boundary. */
export const adminCredential: FindingRule = {
  id: 'admin-credential',
  title: 'Credential of an admin-equivalent principal',
  severity: 'high',
  description: 'An active long-lived credential that authenticates as a principal with admin-equivalent rights.',
  remediation: 'Remove admin rights from identities that hold long-lived credentials: split the duties into least-privilege roles, and let people and pipelines reach admin only through short-lived, audited role sessions.',
  reads: reads({ nodes: [...CREDENTIAL_KINDS, ...kindsOf(['identity', 'group']), 'admin'], edges: ['AUTHENTICATES_AS', 'ADMIN_OF', 'MEMBER_OF'], edgeEnds: MEMBERS_OF_RULED_GROUPS }),
  run(ctx) {
    const admins = adminPrincipals(ctx);
    const out: FindingDraft[] = [];
    // No admin-equivalent principal (no policies imported, say): no credential can be one's.
    if (admins.size === 0) return out;
    for (const n of nodesOf(ctx, CREDENTIAL_KINDS)) {
      if (!isActive(n)) continue;
      for (const h of holders(ctx, n.id)) {
        const grants = admins.get(h);
        if (!grants) continue;
        const holder = ctx.node(h);
        const boundaries = [...new Set(grants.map((g) => ctx.node(g.dst)?.name ?? g.dst))];
        out.push({
          nodeId: n.id,
          title: `${label(n)} is a credential of admin-equivalent ${holder ? label(holder) : h}`,
          summary: `${label(n)} authenticates as ${holder?.name ?? h}, which has ${boundaries.join(', ')}.`,
          evidence: [propsEvidence(n, ['active', 'createdAt', 'lastUsedAt']), ...grants.flatMap((g) => edgeEvidence(g, ctx))],
        });
      }
    }
    return out;
  },
};
