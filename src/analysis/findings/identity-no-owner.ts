import type { NodeKind } from '../../model/kinds.js';
import { label, nodesOf, ownerOf } from './common.js';
import type { FindingDraft, FindingRule } from './types.js';

/** Non-human identities a person creates and must answer for. */
const OWNED_KINDS: readonly NodeKind[] = ['aws_user', 'aws_role', 'k8s_service_account', 'gcp_service_account', 'azure_application', 'azure_service_principal', 'azure_managed_identity'];

/** Identities with no owner tag, annotation or field: nobody to ask before it is rotated or removed. */
export const identityNoOwner: FindingRule = {
  id: 'identity-no-owner',
  title: 'Identity with no owner',
  severity: 'low',
  description: 'A non-human identity with no owner recorded (no owner tag, annotation or field).',
  remediation: 'Record an owner (an owner/team tag on AWS, an owner annotation or label on Kubernetes, a label on GCP): the person or team to ask before the identity is changed, and who is paged when it misbehaves.',
  run(ctx) {
    const out: FindingDraft[] = [];
    for (const n of nodesOf(ctx, OWNED_KINDS)) {
      // Provider-made identities have no human owner to record.
      if (n.kind === 'aws_role' && String(n.props['path'] ?? '').startsWith('/aws-service-role/')) continue;
      if (n.kind === 'k8s_service_account' && n.name === 'default') continue;
      if (ownerOf(n)) continue;
      const tags = n.props['tags'];
      out.push({
        nodeId: n.id,
        title: `${label(n)} has no owner`,
        summary: `${label(n)} records no owner (no owner field, and no owner, team or contact tag).`,
        evidence: [{ type: 'node-props', summary: `${label(n)} tags: ${tags && typeof tags === 'object' ? JSON.stringify(tags) : 'none'}`, data: { tags: tags ?? null } }],
      });
    }
    return out;
  },
};
