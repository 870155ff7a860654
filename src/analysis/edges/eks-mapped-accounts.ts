import type { Evidence } from '../../model/fragment.js';
import { ids } from '../../model/ids.js';
import type { NodeKind } from '../../model/kinds.js';
import type { StoredNode } from '../../store/case-store.js';
import { reads } from '../reads.js';
import type { EdgeRule } from './types.js';

// EKS's aws-auth mapAccounts: every IAM user and role of a listed account (and its root user) signs in to the
// cluster as its own ARN, with no group but system:authenticated (the kubernetes importer records the accounts on the
// cluster as awsAuthMappedAccounts). The principals of those accounts the case holds reach what a binding gives
// system:authenticated, and what one gives the user named by their ARN. Only groups and users some binding names
// are in the case, so nothing is drawn where no binding could apply.

const PRINCIPALS: NodeKind[] = ['aws_user', 'aws_role', 'aws_root'];
const AUTHENTICATED = 'system:authenticated';

export const eksMappedAccounts: EdgeRule = {
  id: 'eks-mapped-accounts',
  description: 'IAM principals of the accounts an EKS cluster\'s aws-auth mapAccounts lists sign in to it as their ARN, in group system:authenticated.',
  emits: ['FEDERATES_TO'],
  reads: reads({ nodes: ['k8s_cluster', 'k8s_group', 'k8s_user', 'admin', ...PRINCIPALS] }),
  derive(ctx) {
    const clusters = [...ctx.nodesOfKind('k8s_cluster')].filter((c) => Array.isArray(c.props['awsAuthMappedAccounts']) && c.props['awsAuthMappedAccounts'].length > 0);
    if (!clusters.length) return;
    const mapped = (c: StoredNode) => (c.props['awsAuthMappedAccounts'] as unknown[]).filter((a): a is string => typeof a === 'string');
    // The principals of the mapped accounts, by account.
    const byAccount = new Map(clusters.flatMap(mapped).map((a): [string, StoredNode[]] => [a, []]));
    for (const kind of PRINCIPALS) {
      for (const p of ctx.nodesOfKind(kind)) byAccount.get(/^aws:account:(\d{12})$/.exec(p.boundary ?? '')?.[1] ?? '')?.push(p);
    }
    // The users bindings name, by cluster and name (mapAccounts' user name is the principal's ARN).
    const users = new Map<string, StoredNode>();
    for (const u of ctx.nodesOfKind('k8s_user')) if (u.boundary) users.set(`${u.boundary}\n${u.name}`, u);
    for (const cluster of clusters) {
      const name = String(cluster.props['cluster'] ?? cluster.name);
      const found = ctx.node(ids.k8sObject(name, undefined, 'group', AUTHENTICATED));
      const group = found?.kind === 'k8s_group' ? found : undefined;
      const signIn = (from: string, to: string, reason: string, evidence: Evidence) => ctx.emitEdge({ from, to, kind: 'FEDERATES_TO', props: { reason, technique: 'EKS aws-auth mapAccounts', evidence: [evidence] } });
      for (const account of mapped(cluster)) {
        const evidence: Evidence = {
          type: 'aws-auth',
          summary: `ConfigMap kube-system/aws-auth of cluster ${name} lists account ${account} in mapAccounts: every IAM user and role of it signs in as its own ARN, in group ${AUTHENTICATED}`,
          data: { mapAccounts: account },
        };
        // An admin of the account is a principal of it: it signs in itself (so admin-exits draws no way out through
        // every principal of the account).
        const admin = ctx.node(ids.admin(ids.awsAccount(account)));
        if (admin && group) signIn(admin.id, group.id, `an admin of AWS account ${account} is one of its principals: aws-auth mapAccounts lets it sign in to cluster ${name} as its own ARN, a member of ${AUTHENTICATED}`, evidence);
        for (const p of byAccount.get(account) ?? []) {
          if (group) signIn(p.id, group.id, `aws-auth mapAccounts lets every principal of account ${account} sign in to cluster ${name} as its own ARN, a member of ${AUTHENTICATED}`, evidence);
          const user = users.get(`${cluster.id}\n${userName(p)}`);
          if (user) signIn(p.id, user.id, `aws-auth mapAccounts lets every principal of account ${account} sign in to cluster ${name}, as the user named by its ARN`, evidence);
        }
      }
    }
  },
};

/** The user name EKS gives a mapped account's principal: its ARN, a role's without its path (as EKS canonicalises a session's ARN). */
function userName(p: StoredNode): string {
  if (p.kind !== 'aws_role') return p.id;
  return p.id.replace(/^(arn:aws[\w-]*:iam::\d{12}:role\/)(?:.*\/)?([^/]+)$/, '$1$2');
}
