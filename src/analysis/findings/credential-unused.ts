import { CREDENTIAL_KINDS, daysSince, formed, isActive, label, nodesOf, STALE_DAYS } from './common.js';
import { UNUSED_KEYS } from '../../model/finding-forms.js';
import { reads } from '../reads.js';
import type { FindingDraft, FindingRule } from './types.js';

/** Active credentials never used, or not used for 90 days: access nobody needs, still open to whoever holds it. */
export const credentialUnused: FindingRule = {
  id: 'credential-unused',
  title: 'Credential never used or unused for 90 days',
  severity: 'medium',
  description: 'An active credential with no recorded use, or none in the last 90 days.',
  remediation: 'Deactivate the credential, confirm nothing breaks, then delete it. If the workload needs access, give it short-lived credentials (a role, workload identity) instead of a long-lived key.',
  reads: reads({ nodes: CREDENTIAL_KINDS, now: true, perBoundary: {} }),
  run(ctx) {
    const out: FindingDraft[] = [];
    for (const n of nodesOf(ctx, CREDENTIAL_KINDS)) {
      if (!isActive(n) || !('lastUsedAt' in n.props)) continue;
      const age = daysSince(n.props['createdAt'], ctx.now);
      if (n.props['lastUsedAt'] === null) {
        // A key created days ago may simply not be deployed yet.
        out.push(formed(n, UNUSED_KEYS, (data) => ['credential-never-used', label(n), age ?? null, data], age !== undefined && age < STALE_DAYS ? 'low' : undefined));
        continue;
      }
      const idle = daysSince(n.props['lastUsedAt'], ctx.now);
      if (idle !== undefined && idle >= STALE_DAYS) out.push(formed(n, UNUSED_KEYS, (data) => ['credential-idle', label(n), idle, data]));
    }
    return out;
  },
};
