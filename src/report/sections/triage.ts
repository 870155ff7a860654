// The triage table: every compromised or exposed credential, ranked, with the score explained.
import { html, type Html } from '../html.js';
import type { ReportData } from '../model.js';
import { day, kindLabel, plural } from './common.js';

export function triage(d: ReportData): Html {
  if (!d.triage.length) return html`<p>No credential in this case is marked compromised or exposed by a secret scanner.</p>`;
  return html`<p>Ranked by what each credential reaches: admin of a boundary first, then high-value nodes, resources by access level and identities; use seen after the exposure weighs most, a credential known to be inactive keeps a tenth of its reach. The score's parts are listed under each row.</p>
<table class="fixed triage"><colgroup><col><col><col><col><col><col><col><col><col><col></colgroup>
  <thead><tr><th class="num">#</th><th>Credential</th><th>Holder</th><th>State</th><th>Exposed</th><th>Admin of</th><th class="num" title="Resources reached">Res.</th><th class="num" title="Identities reached">Ident.</th><th class="num" title="Cost of the containment plan">Cut cost</th><th class="num">Score</th></tr></thead>
  <tbody>${d.triage.map(
    (r) => html`<tr>
    <td class="num">${r.rank}</td>
    <td><span class="muted small">${kindLabel(r.node)}</span><br><strong>${r.node.name}</strong>
      <ul class="score-parts">${r.scoreParts.map((p) => html`<li>${p.points > 0 ? '+' : ''}${p.points} ${p.label}</li>`)}</ul></td>
    <td>${r.holders.map((h) => h.name).join(', ') || '—'}</td>
    <td>${r.status}${r.lastUsedAt === null ? html`<br><span class="muted small">never used</span>` : r.lastUsedAt ? html`<br><span class="muted small">last used ${day(r.lastUsedAt)}</span>` : ''}${r.usedAfterExposure ? html`<br><span class="tag bad">used after exposure</span> <span class="small">${plural(r.usedAfterExposure.events, 'event')}, last ${day(r.usedAfterExposure.lastSeen)}</span>` : ''}</td>
    <td>${day(r.exposedAt)}</td>
    <td>${r.reach.adminOf.length ? html`<strong>${r.reach.adminOf.map((b) => b.name).join(', ')}</strong>` : '—'}</td>
    <td class="num">${r.reach.resources.toLocaleString('en-US')}</td>
    <td class="num">${r.reach.identities.toLocaleString('en-US')}</td>
    <td class="num">${r.containment ? (r.containment.pathsBefore ? r.containment.cost : '0') : '—'}</td>
    <td class="num"><strong>${r.score.toLocaleString('en-US')}</strong></td>
  </tr>`,
  )}</tbody>
</table>`;
}
