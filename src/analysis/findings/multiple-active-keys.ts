import { reads, kindsOf } from '../reads.js';
import { FormedDraft, holders, isActive, KEY_KINDS, label, nodesOf, CREDENTIAL_KINDS } from './common.js';
import type { StoredNode } from '../../store/case-store.js';
import type { FindingDraft, FindingRule } from './types.js';
import { ACTIVE_KEYS, citedProps } from '../../model/finding-forms.js';

/** More than one active key per identity: rotation left an old key behind, or a key is shared out of band. */
export const multipleActiveKeys: FindingRule = {
  id: 'multiple-active-keys',
  title: 'More than one active key',
  severity: 'low',
  description: 'An identity with two or more active user-managed keys.',
  remediation: 'Find which key each consumer uses (last-used data), move them to one key, and deactivate and delete the others.',
  reads: reads({ nodes: [...CREDENTIAL_KINDS, ...kindsOf(['identity'])], edges: ['AUTHENTICATES_AS'] }),
  run(ctx) {
    const byHolder = new Map<string, StoredNode[]>();
    for (const n of nodesOf(ctx, KEY_KINDS)) {
      if (!isActive(n) || n.props['managedBy'] === 'system') continue;
      for (const h of holders(ctx, n.id)) {
        const keys = byHolder.get(h);
        if (keys) keys.push(n);
        else byHolder.set(h, [n]);
      }
    }
    const out: FindingDraft[] = [];
    for (const [id, keys] of byHolder) {
      if (keys.length < 2) continue;
      const holder = ctx.node(id);
      const name = holder ? label(holder) : id;
      // Evidence only for the holders reported (most hold one key).
      out.push(new FormedDraft(id, ['multiple-active-keys', name, keys.map((n) => [label(n), n.name, citedProps(n.props, ACTIVE_KEYS)])]));
    }
    return out;
  },
};
