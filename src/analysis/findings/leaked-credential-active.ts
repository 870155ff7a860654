import { edgeEvidence, isActive, label, propsEvidence, CREDENTIAL_KINDS } from './common.js';
import { reads } from '../reads.js';
import type { FindingDraft, FindingRule } from './types.js';

/** A credential a scanner found exposed that is still active (or not known to be revoked). */
export const leakedCredentialActive: FindingRule = {
  id: 'leaked-credential-active',
  title: 'Leaked credential still active',
  severity: 'critical',
  description: 'A secret scanner found the credential exposed, and nothing in the case shows it deactivated.',
  remediation: 'Revoke the credential now (deactivate the key, rotate the secret), then check its activity logs since the leak date for use by anyone else. Removing the file from the repository does not help: its history and clones keep the value.',
  reads: reads({ nodes: [...CREDENTIAL_KINDS, 'leak'], edges: ['EXPOSES'] }),
  run(ctx) {
    const out: FindingDraft[] = [];
    for (const e of ctx.edgesOfKind('EXPOSES')) {
      const cred = ctx.node(e.dst);
      const leak = ctx.node(e.src);
      if (!cred || !isActive(cred)) continue;
      const where = leak ? [leak.props['repository'], leak.props['file'], leak.props['line']].filter((x) => x !== undefined && x !== null).join(':') : '';
      out.push({
        nodeId: cred.id,
        title: `${label(cred)} was leaked and is still active`,
        summary: `${label(cred)} is exposed by ${leak?.name ?? e.src}${where ? ` (${where})` : ''} and ${cred.props['active'] === true ? 'is active' : 'is not known to be revoked'}.`,
        evidence: [...(leak ? [propsEvidence(leak, ['scanner', 'rule', 'repository', 'file', 'line', 'commit', 'date', 'verified'])] : []), ...edgeEvidence(e, ctx), propsEvidence(cred, ['active', 'lastUsedAt'])],
      });
    }
    return out;
  },
};
