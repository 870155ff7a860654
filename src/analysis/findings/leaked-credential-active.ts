import type { StoredNode } from '../../store/case-store.js';
import type { DerivedOrStoredEdge } from '../edges/types.js';
import { edgeEvidence, isActive, label, propsEvidence } from './common.js';
import type { FindingDraft, FindingRule } from './types.js';

/** A credential a scanner found exposed that is still active (or not known to be revoked). */
export const leakedCredentialActive: FindingRule = {
  id: 'leaked-credential-active',
  title: 'Leaked credential still active',
  severity: 'critical',
  description: 'A secret scanner found the credential exposed, and nothing in the case shows it deactivated.',
  remediation: 'Revoke the credential now (deactivate the key, rotate the secret), then check its activity logs since the leak date for use by anyone else. Removing the file from the repository does not help: its history and clones keep the value.',
  run(ctx) {
    // One finding per credential, citing every leak of it: the leak of the key id first, then the secret half
    // leaked beside it (a different line), then the others.
    const byCredential = new Map<string, DerivedOrStoredEdge[]>();
    for (const e of ctx.edgesOfKind('EXPOSES')) {
      const list = byCredential.get(e.dst);
      if (list) list.push(e);
      else byCredential.set(e.dst, [e]);
    }
    const out: FindingDraft[] = [];
    for (const [credId, edges] of byCredential) {
      const cred = ctx.node(credId);
      if (!cred || !isActive(cred)) continue;
      const leaks = edges.map((e) => ({ e, leak: ctx.node(e.src), part: typeof e.props['part'] === 'string' ? e.props['part'] : undefined }));
      leaks.sort((a, b) => Number(a.part !== undefined) - Number(b.part !== undefined));
      const [first, ...rest] = leaks;
      const cite = (l: (typeof leaks)[number]) => `${l.part ? `its ${l.part} by ` : ''}${l.leak?.name ?? l.e.src}${placeOf(l.leak) ? ` (${placeOf(l.leak)})` : ''}`;
      const others = rest.length ? `; also ${rest.slice(0, 5).map(cite).join('; ')}${rest.length > 5 ? `; and ${rest.length - 5} more` : ''}` : '';
      out.push({
        nodeId: cred.id,
        title: `${label(cred)} was leaked and is still active`,
        summary: `${label(cred)} is exposed by ${cite(first!)}${others}, and ${cred.props['active'] === true ? 'is active' : 'is not known to be revoked'}.`,
        evidence: [
          ...leaks.flatMap((l) => [...(l.leak ? [propsEvidence(l.leak, ['scanner', 'rule', 'repository', 'file', 'line', 'commit', 'date', 'verified'])] : []), ...edgeEvidence(l.e, ctx)]).slice(0, 12),
          propsEvidence(cred, ['active', 'lastUsedAt']),
        ],
      });
    }
    return out;
  },
};

function placeOf(leak: StoredNode | undefined): string {
  return leak ? [leak.props['repository'], leak.props['file'], leak.props['line']].filter((x) => x !== undefined && x !== null).join(':') : '';
}
