import { ids } from '../../model/ids.js';
import { reads } from '../reads.js';
import { adminGrants } from '../../providers/aws/admin.js';
import { awsModel, AWS_MODEL_READS } from '../../providers/aws/model.js';
import { AWS_ACCOUNT_PREFIX, edgeProps } from '../../providers/aws/emit.js';
import type { EdgeRule } from './types.js';

export const awsAdmin: EdgeRule = {
  id: 'aws-admin',
  description: 'IAM principals with admin-equivalent rights (* on *, or able to rewrite their own permissions) → admin of their account.',
  emits: ['ADMIN_OF'],
  reads: reads(AWS_MODEL_READS, { nodes: ['admin'], nodesWithin: { admin: [AWS_ACCOUNT_PREFIX] } }),
  derive(ctx) {
    const model = awsModel(ctx);
    for (const [id, grants] of adminGrants(ctx)) {
      const p = model.byId.get(id)!;
      const admin = ids.admin(ids.awsAccount(p.account));
      const notes = (model.notes.get(p.account) ?? []).map((summary) => ({ type: 'note', summary }));
      for (const g of grants) {
        ctx.emitEdge({ from: id, to: admin, kind: 'ADMIN_OF', props: edgeProps(g.reason, g.technique, [...g.decision.evidence, ...notes], g.decision.conditions, g.actions.length ? { actions: g.actions } : {}) });
      }
    }
  },
};
