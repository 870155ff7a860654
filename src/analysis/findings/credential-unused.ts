import { CREDENTIAL_KINDS, daysSince, isActive, label, nodesOf, propsEvidence, STALE_DAYS } from './common.js';
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
      const evidence = [propsEvidence(n, ['active', 'createdAt', 'lastUsedAt', 'lastUsedService'])];
      if (n.props['lastUsedAt'] === null) {
        out.push({
          nodeId: n.id,
          title: `${label(n)} has never been used`,
          summary: `${label(n)} is active and has no recorded use${age !== undefined ? ` in the ${age} days since it was created` : ''}.`,
          evidence,
          // A key created days ago may simply not be deployed yet.
          ...(age !== undefined && age < STALE_DAYS ? { severity: 'low' as const } : {}),
        });
        continue;
      }
      const idle = daysSince(n.props['lastUsedAt'], ctx.now);
      if (idle !== undefined && idle >= STALE_DAYS) {
        out.push({ nodeId: n.id, title: `${label(n)} unused for ${idle} days`, summary: `${label(n)} is active but was last used ${idle} days ago (${String(n.props['lastUsedAt'])}).`, evidence });
      }
    }
    return out;
  },
};
