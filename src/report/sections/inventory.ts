// The inventory per boundary: every non-human identity with its owner, credentials, tier and activity.
import type { InventoryRow } from '../../api/contract.js';
import { html, type Html } from '../html.js';
import { INVENTORY_LIMIT, type ReportData } from '../model.js';
import { day, kindLabel, plural } from './common.js';

const TIER: Record<InventoryRow['tier'], string> = { admin: 'admin-equivalent', 'reaches-high-value': 'reaches admin / high value', write: 'write', read: 'read', none: 'none' };

export function inventory(d: ReportData): Html {
  if (!d.inventory.length) return html`<p>No non-human identity in this case.</p>`;
  const rows = d.inventory.slice(0, INVENTORY_LIMIT);
  const groups = new Map<string, InventoryRow[]>();
  for (const r of rows) {
    const g = r.boundary ? `${kindLabel(r.boundary)} ${r.boundary.name}` : '(no boundary)';
    const list = groups.get(g) ?? [];
    list.push(r);
    groups.set(g, list);
  }
  const noOwner = d.inventory.filter((r) => !r.owner).length;
  return html`<p>${plural(d.inventory.length, 'identity', 'identities')}: ${d.inventory.filter((r) => r.tier === 'admin').length} admin-equivalent, ${noOwner} with no owner recorded.${d.inventory.length > rows.length ? ` The first ${rows.length} are listed; blastmap inventory --csv lists them all.` : ''}</p>
${[...groups.entries()].map(
  ([boundary, list]) => html`<h3>${boundary} <span class="muted small">${plural(list.length, 'identity', 'identities')}</span></h3>
<table class="fixed inventory"><colgroup><col><col><col><col><col><col><col></colgroup><thead><tr><th>Identity</th><th>Owner</th><th>Tier</th><th>Creds</th><th>Oldest / last used</th><th>Activity</th><th>Findings</th></tr></thead><tbody>${list.map(
    (r) => html`<tr>
  <td><strong>${r.node.name}</strong><div class="muted small">${r.kindLabel}${r.marks.length ? ` · ${r.marks.join(', ')}` : ''}</div></td>
  <td>${r.owner ?? html`<span class="muted">none</span>`}</td>
  <td>${TIER[r.tier]}<div class="muted small">${r.tierReason}</div></td>
  <td>${r.credentials.total}${r.credentials.compromised ? html`<div class="small bad-text">${r.credentials.compromised} compromised</div>` : ''}</td>
  <td class="small">${r.credentials.oldestDays !== undefined ? `${r.credentials.oldestDays} d` : '—'} / ${day(r.credentials.lastUsedAt)}${r.credentials.rotationOverdue ? html`<br><span class="cond">${r.credentials.rotationOverdue} overdue rotation</span>` : ''}</td>
  <td class="small">${r.activity ? `${day(r.activity.firstSeen)} … ${day(r.activity.lastSeen)} (${r.activity.events})` : '—'}</td>
  <td class="small">${(['critical', 'high', 'medium', 'low'] as const).filter((s) => r.findings[s]).map((s) => `${r.findings[s]} ${s}`).join(', ') || '—'}</td>
</tr>`,
  )}</tbody></table>`,
)}`;
}
