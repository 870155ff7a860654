import { arnAccount, ids } from '../../model/ids.js';
import { reads } from '../reads.js';
import { AWS_ACCOUNT_PREFIX } from '../../providers/aws/emit.js';
import type { EdgeRule } from './types.js';

// The root user controls its account whatever IAM says: no identity policy, boundary or resource policy limits it.
// Only an organization's SCPs restrict the root user of a member account, so with SCPs in the case the edge
// carries that as its condition rather than being dropped (an SCP rarely denies everything root can do).

export const awsRootAdmin: EdgeRule = {
  id: 'aws-root-admin',
  description: 'The root user of an AWS account (from the credential report) → admin of its account.',
  emits: ['ADMIN_OF'],
  reads: reads({ nodes: ['aws_scp', 'aws_root', 'admin'], nodesWithin: { admin: [AWS_ACCOUNT_PREFIX] } }),
  derive(ctx) {
    const scps = [...ctx.nodesOfKind('aws_scp')].length > 0;
    for (const root of ctx.nodesOfKind('aws_root')) {
      const account = arnAccount(root.id);
      if (!account) continue;
      const admin = ids.admin(ids.awsAccount(account));
      if (!ctx.node(admin)) continue;
      ctx.emitEdge({
        from: root.id,
        to: admin,
        kind: 'ADMIN_OF',
        props: {
          reason: `is the root user of AWS account ${account}, which IAM policies cannot restrict`,
          technique: 'root user',
          evidence: [{ type: 'report-row', summary: `the credential report lists the root user of account ${account} (<root_account>)`, location: root.id }],
          ...(scps ? { conditional: `unless the organization's SCPs restrict the root user of member account ${account}` } : {}),
        },
      });
    }
  },
};
