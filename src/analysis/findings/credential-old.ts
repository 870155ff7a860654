import { CREDENTIAL_KINDS, daysSince, formed, isActive, label, nodesOf, STALE_DAYS } from './common.js';
import { OLD_KEYS } from '../../model/finding-forms.js';
import { reads } from '../reads.js';
import type { FindingDraft, FindingRule } from './types.js';

/** Keys people create (not provider-managed ones) that have not been rotated for 90 days. */
export const credentialOld: FindingRule = {
  id: 'credential-old',
  title: 'Key older than 90 days',
  severity: 'medium',
  description: 'An active user-managed key or secret created (or last rotated) more than 90 days ago.',
  remediation: 'Rotate the key: create a new one, move its users to it, deactivate and then delete the old one. Better, replace it with short-lived credentials.',
  reads: reads({ nodes: CREDENTIAL_KINDS, now: true, perBoundary: {} }),
  run(ctx) {
    const out: FindingDraft[] = [];
    // Passwords and federated credentials are not keys; their age is governed by other policies.
    const kinds = CREDENTIAL_KINDS.filter((k) => k !== 'aws_password' && k !== 'azure_federated_credential');
    for (const n of nodesOf(ctx, kinds)) {
      if (!isActive(n) || n.props['managedBy'] === 'system') continue;
      const rotated = n.props['lastRotatedAt'];
      const age = daysSince(typeof rotated === 'string' ? rotated : n.props['createdAt'], ctx.now);
      if (age === undefined || age < STALE_DAYS) continue;
      out.push(formed(n, OLD_KEYS, (data) => ['credential-old', label(n), age, typeof rotated === 'string', data]));
    }
    return out;
  },
};
