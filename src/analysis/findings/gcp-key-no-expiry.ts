import { isActive, label, nodesOf, propsEvidence } from './common.js';
import { reads } from '../reads.js';
import type { FindingDraft, FindingRule } from './types.js';

/** User-managed GCP service-account keys that never expire: Google's own guidance is to avoid them. */
export const gcpKeyNoExpiry: FindingRule = {
  id: 'gcp-user-key-no-expiry',
  title: 'GCP user-managed key that never expires',
  severity: 'medium',
  description: 'A user-managed service-account key with no expiry time.',
  remediation: 'Replace the key with workload identity federation or an attached service account; if a key is unavoidable, set the iam.serviceAccountKeyExpiryHours organization policy and rotate it.',
  reads: reads({ nodes: ['gcp_sa_key'], perBoundary: {} }),
  run(ctx) {
    const out: FindingDraft[] = [];
    for (const n of nodesOf(ctx, ['gcp_sa_key'])) {
      if (n.props['managedBy'] !== 'user' || n.props['expiresAt'] !== null || !isActive(n)) continue;
      out.push({ nodeId: n.id, title: `${label(n)} never expires`, summary: `${label(n)} is a user-managed key with no expiry time.`, evidence: [propsEvidence(n, ['managedBy', 'expiresAt', 'createdAt'])] });
    }
    return out;
  },
};
