import type { StoredNode } from '../../store/case-store.js';
import { reads } from '../reads.js';
import type { EdgeKind } from '../../model/kinds.js';
import { label, nodesOf, ownerOf, WORKLOAD_IDENTITY_KINDS, type FindingContext } from './common.js';
import type { FindingDraft, FindingRule } from './types.js';

/** Identities with no owner tag, annotation or field: nobody to ask before it is rotated or removed. */
export const identityNoOwner: FindingRule = {
  id: 'identity-no-owner',
  title: 'Identity with no owner',
  severity: 'low',
  description: 'A non-human identity with no owner recorded (no owner tag, annotation or field).',
  remediation: 'Record an owner (an owner/team tag on AWS, an owner annotation or label on Kubernetes, a label on GCP): the person or team to ask before the identity is changed, and who is paged when it misbehaves.',
  reads: reads({ nodes: WORKLOAD_IDENTITY_KINDS, edges: ['HAS_ROLE', 'ADMIN_OF', 'CAN_ACCESS', 'CAN_ESCALATE', 'CAN_READ_CREDENTIAL', 'CAN_ASSUME', 'FEDERATES_TO'], perBoundary: {} }),
  run(ctx) {
    const out: FindingDraft[] = [];
    for (const n of nodesOf(ctx, WORKLOAD_IDENTITY_KINDS)) {
      // Provider-made identities have no human owner to record.
      // IAM Identity Center's AWSReservedSSO_* roles are made from a permission set and cannot be tagged in IAM.
      if (n.kind === 'aws_role' && /^\/aws-(service-role|reserved\/sso\.amazonaws\.com)\//.test(String(n.props['path'] ?? ''))) continue;
      if (n.kind === 'k8s_service_account' && (n.name === 'default' || !k8sAccountMatters(ctx, n))) continue;
      if (ownerOf(n)) continue;
      const tags = n.props['tags'];
      // Worked out once: a large cluster has thousands of accounts to report.
      const name = label(n);
      out.push({
        nodeId: n.id,
        title: `${name} has no owner`,
        summary: `${name} records no owner (no owner field, and no owner, team or contact tag).`,
        evidence: [{ type: 'node-props', summary: `${name} tags: ${tags && typeof tags === 'object' ? JSON.stringify(tags) : 'none'}`, data: { tags: tags ?? null } }],
      });
    }
    return out;
  },
};

const RIGHTS: readonly EdgeKind[] = ['HAS_ROLE', 'ADMIN_OF', 'CAN_ACCESS', 'CAN_ESCALATE', 'CAN_READ_CREDENTIAL', 'CAN_ASSUME', 'FEDERATES_TO'];

/**
 * A cluster has an account per workload, most bound to nothing: reporting each one unowned buries the findings that
 * matter. An account is worth an owner when a binding names it, it can do something, or it is linked to a cloud
 * identity.
 */
function k8sAccountMatters(ctx: FindingContext, n: StoredNode): boolean {
  const p = n.props;
  if (typeof p['awsRoleArn'] === 'string' || typeof p['gcpServiceAccount'] === 'string' || typeof p['azureClientId'] === 'string') return true;
  const holders = ctx.memo('findings:k8s-accounts-with-rights', () => {
    const set = new Set<string>();
    for (const kind of RIGHTS) for (const e of ctx.edgesOfKind(kind)) set.add(e.src);
    return set;
  });
  return holders.has(n.id);
}
