// Plain-text output of inventory and triage (--json prints the API's shapes, --format a table).
import type { InventoryRow, PrivilegeTier, TriageRow } from '../api/contract.js';
import { label } from './format.js';

export const TIER_WORDS: Record<PrivilegeTier, string> = {
  admin: 'admin-equivalent',
  'reaches-high-value': 'reaches admin / high value',
  write: 'write',
  read: 'read',
  none: 'none',
};

const day = (iso: string | undefined | null) => (iso ? iso.slice(0, 10) : undefined);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatInventory(rows: InventoryRow[]): string {
  if (!rows.length) return 'no non-human identities in this case\n';
  const lines: string[] = [];
  let group: string | undefined;
  for (const r of rows) {
    const g = r.boundary?.name ?? '(no boundary)';
    if (g !== group) {
      group = g;
      lines.push(`${g} (${plural(rows.filter((x) => (x.boundary?.name ?? '(no boundary)') === g).length, 'identity').replace('identitys', 'identities')})`);
    }
    const c = r.credentials;
    lines.push(`  ${label(r.node)}  ${r.kindLabel}`);
    lines.push(`      tier: ${TIER_WORDS[r.tier]} — ${r.tierReason}`);
    lines.push(`      owner: ${r.owner ? `${r.owner} (${r.ownerSource})` : 'none'}`);
    if (c.total) {
      const bits = [`${c.active} active`, ...(c.compromised ? [`${c.compromised} compromised`] : []), ...(c.neverUsed ? [`${c.neverUsed} never used`] : []), ...(c.rotationOverdue ? [`${c.rotationOverdue} not rotated for 90+ days`] : [])];
      lines.push(`      credentials: ${c.total} (${bits.join(', ')})${c.oldestDays !== undefined ? `, oldest ${c.oldestDays} days` : ''}`);
    } else lines.push('      credentials: none');
    if (c.lastUsedAt) lines.push(`      last used: ${day(c.lastUsedAt)}`);
    if (r.activity) lines.push(`      activity: ${day(r.activity.firstSeen) ?? '?'} … ${day(r.activity.lastSeen) ?? '?'} (${plural(r.activity.events, 'event')})`);
    const findings = (['critical', 'high', 'medium', 'low', 'info'] as const).filter((s) => r.findings[s]).map((s) => `${r.findings[s]} ${s}`);
    if (findings.length) lines.push(`      findings: ${findings.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatTriage(rows: TriageRow[]): string {
  if (!rows.length) return 'no compromised or exposed credential in this case\n';
  const lines: string[] = [];
  for (const r of rows) {
    lines.push(`#${r.rank}  ${label(r.node)}  score ${r.score}`);
    const state = [r.holders.length ? `holder: ${r.holders.map((h) => h.name).join(', ')}` : 'holder unknown', r.status, r.lastUsedAt === null ? 'never used' : r.lastUsedAt ? `last used ${r.lastUsedAt}` : 'last use unknown'];
    if (r.exposedAt) state.push(`exposed ${r.exposedAt}`);
    lines.push(`    ${state.join('; ')}`);
    if (r.usedAfterExposure) lines.push(`    USED AFTER EXPOSURE: ${plural(r.usedAfterExposure.events, 'event')}, last ${r.usedAfterExposure.lastSeen}${r.usedAfterExposure.actions.length ? ` (${r.usedAfterExposure.actions.slice(0, 6).join(', ')})` : ''}`);
    const levels = Object.entries(r.reach.byAccessLevel).map(([l, n]) => `${n} ${l}`);
    const reach = [
      ...(r.reach.adminOf.length ? [`ADMIN of ${r.reach.adminOf.map((b) => b.name).join(', ')}`] : []),
      ...(r.reach.highValue.length ? [`${r.reach.highValue.length} high-value (${r.reach.highValue.slice(0, 3).map((n) => n.name).join(', ')}${r.reach.highValue.length > 3 ? ', …' : ''})`] : []),
      `${plural(r.reach.resources, 'resource')}${levels.length ? ` (${levels.join(', ')})` : ''}`,
      `${plural(r.reach.identities, 'identity').replace('identitys', 'identities')}`,
      `${plural(r.reach.credentials, 'credential')}`,
    ];
    lines.push(`    reaches: ${reach.join('; ')}`);
    if (r.containment) lines.push(`    containment: ${r.containment.pathsBefore ? `${plural(r.containment.cuts, 'cut')}, cost ${r.containment.cost}${r.containment.firstAction ? ` — first: ${r.containment.firstAction}` : ''}` : 'no path to an admin or high-value node'}`);
    for (const why of r.reasons) lines.push(`    why: ${why}`);
    lines.push(`    score: ${r.scoreParts.map((p) => `${p.points > 0 ? '+' : ''}${p.points} ${p.label}`).join('; ') || '0'}`);
  }
  return `${lines.join('\n')}\n`;
}
