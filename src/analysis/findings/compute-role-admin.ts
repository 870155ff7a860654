import { adminPrincipals, asList, edgeEvidence, label, nodesOf, statements, MEMBERS_OF_RULED_GROUPS } from './common.js';
import { reads, kindsOf } from '../reads.js';
import type { FindingDraft, FindingRule } from './types.js';

/** Roles that compute (EC2, Lambda, ECS tasks…) can assume and that are admin-equivalent. */
export const computeRoleAdmin: FindingRule = {
  id: 'compute-role-admin',
  title: 'Compute-assumable role with admin rights',
  severity: 'high',
  description: 'An admin-equivalent role that an AWS compute service can assume: code running on that compute, or anyone who can pass the role to it, has admin.',
  remediation: 'Give the workload its own role with only the actions it calls (use IAM Access Analyzer policy generation from its CloudTrail activity); keep admin roles assumable by people through SSO only.',
  reads: reads({ nodes: ['aws_role', 'aws_service', 'admin', ...kindsOf(['identity', 'group'])], edges: ['CAN_ASSUME', 'ADMIN_OF', 'MEMBER_OF'], edgeEnds: MEMBERS_OF_RULED_GROUPS }),
  run(ctx) {
    const admins = adminPrincipals(ctx);
    const out: FindingDraft[] = [];
    for (const role of nodesOf(ctx, ['aws_role'])) {
      const grants = admins.get(role.id);
      if (!grants) continue;
      const services = new Set<string>();
      for (const e of ctx.in(role.id, 'CAN_ASSUME')) if (ctx.node(e.src)?.kind === 'aws_service') services.add(ctx.node(e.src)!.name);
      for (const st of statements(role.props['trustPolicy'])) {
        const p = st['Principal'];
        if (st['Effect'] === 'Allow' && p && typeof p === 'object' && !Array.isArray(p)) for (const s of asList(p['Service'])) services.add(s);
      }
      if (!services.size) continue;
      out.push({
        nodeId: role.id,
        title: `${label(role)} is admin-equivalent and assumable by ${[...services].join(', ')}`,
        summary: `${role.name} can be assumed by ${[...services].join(', ')} and has ${[...new Set(grants.map((g) => ctx.node(g.dst)?.name ?? g.dst))].join(', ')}.`,
        evidence: grants.flatMap((g) => edgeEvidence(g, ctx)),
      });
    }
    return out;
  },
};
