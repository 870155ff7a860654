// One part per compromised credential: why it is listed, its blast radius, its top paths with each step's evidence,
// and the containment checklist.
import { ACCESS_LEVELS, EDGE_KINDS } from '../../model/kinds.js';
import { html, type Html } from '../html.js';
import type { CredentialDetail, ReportData } from '../model.js';
import { DETAIL_LIMIT } from '../model.js';
import { ACCESS_COLOR, barChart, pathDiagram, type Bar } from '../svg.js';
import { day, kindLabel, nodeLabel, plural } from './common.js';

export function credentials(d: ReportData): Html {
  if (!d.details.length) return html`<p>No compromised credential to detail.</p>`;
  return html`${d.triage.length > d.details.length ? html`<p class="muted">The first ${DETAIL_LIMIT} of ${d.triage.length} credentials, in triage order; the triage table lists them all.</p>` : ''}${d.details.map(detail)}`;
}

function detail(c: CredentialDetail): Html {
  const { row, blast, paths, containment } = c;
  const stated: Bar[] = ACCESS_LEVELS.filter((l) => blast.byAccessLevel[l]).map((l) => ({ label: l, value: blast.byAccessLevel[l]!, color: ACCESS_COLOR[l]! }));
  if (row.reach.unstatedAccess) stated.push({ label: 'level not stated', value: row.reach.unstatedAccess, color: ACCESS_COLOR['other']! });
  return html`<div class="card credential">
  <h3>#${row.rank} ${kindLabel(row.node)} ${row.node.name}</h3>
  <p>${row.holders.length ? html`Authenticates as ${row.holders.map((h, i) => html`${i ? ', ' : ''}<strong>${h.name}</strong>`)}. ` : ''}State: <strong>${row.status}</strong>${row.lastUsedAt === null ? ', never used' : row.lastUsedAt ? `, last used ${day(row.lastUsedAt)}` : ''}.${row.exposedAt ? ` Exposed ${day(row.exposedAt)}.` : ''}${row.usedAfterExposure ? html` <strong class="cond">Seen in use after the exposure:</strong> ${plural(row.usedAfterExposure.events, 'event')}, last ${day(row.usedAfterExposure.lastSeen)}${row.usedAfterExposure.actions.length ? html` (<span class="mono">${row.usedAfterExposure.actions.slice(0, 8).join(', ')}</span>)` : ''}.` : ''}</p>
  <ul class="small">${row.reasons.map((r) => html`<li>${r}</li>`)}</ul>
  <h4>Blast radius</h4>
  <p>${plural(blast.identities.length, 'identity', 'identities')}, ${plural(blast.credentials.length, 'credential')}, ${plural(blast.resources.length, 'resource')}${blast.admins.length ? html`, and <strong>admin of ${blast.byBoundary.filter((b) => b.admin).map((b) => b.boundary.name).join(', ')}</strong>` : ''}.</p>
  <div class="grid2">
    <div>${
      blast.byBoundary.length
        ? html`<table><thead><tr><th>Boundary</th><th class="num">Ident.</th><th class="num">Creds</th><th class="num">Res.</th><th>Admin</th></tr></thead><tbody>${blast.byBoundary.map(
            (b) => html`<tr><td>${b.boundary.name}</td><td class="num">${b.identities}</td><td class="num">${b.credentials}</td><td class="num">${b.resources}</td><td>${b.admin ? html`<strong class="cond">yes</strong>` : 'no'}</td></tr>`,
          )}</tbody></table>`
        : ''
    }</div>
    <div>${stated.length ? barChart(stated, { title: `Resources per access level reached by ${row.node.name}`, width: 420 }) : html`<p class="muted">No resource reached.</p>`}</div>
  </div>
  ${paths.length ? html`<h4>Top paths</h4>${paths.map((p, i) => pathBlock(p, i))}` : html`<p class="muted">No path to an admin or high-value node.</p>`}
  <h4>Containment checklist</h4>
  ${
    containment.pathsBefore
      ? html`<p>${plural(containment.cuts.length, 'action')} (total cost ${containment.cost}) cut ${containment.pathsBefore}${containment.pathsBefore >= containment.pathLimit ? '+' : ''} path(s) to ${containment.targets.length ? containment.targets.map((t) => t.name).join(', ') : 'the admin and high-value nodes'}. ${containment.pathsAfter === 0 ? 'Re-check: no path is left once they are done.' : `Re-check: ${containment.pathsAfter} path(s) are still left.`}</p>
  <ul class="checklist">${containment.cuts.map(
    (cut) => html`<li><strong>${cut.action}</strong> <span class="muted small">(cost ${cut.cost}, on ${plural(cut.pathsCut, 'path')})</span>
      <div class="small">removes ${cut.edge.kind}: ${cut.from.name} → ${cut.to.name} — ${cut.edge.reason}${cut.edge.conditional ? html` <span class="cond">[if ${cut.edge.conditional}]</span>` : ''}</div>
      <ul class="evidence">${cut.edge.evidence.slice(0, 4).map((ev) => html`<li>${ev.summary}${ev.location ? html` <span class="mono">(${ev.location})</span>` : ''}</li>`)}${(cut.alsoRemoves ?? []).map((a) => html`<li>also removes ${a.kind}: ${a.reason}${a.source ? ` (${a.source.fileName})` : ''}</li>`)}</ul></li>`,
  )}</ul>`
      : html`<p class="muted">Nothing to cut: no path to an admin or high-value node.</p>`
  }
</div>`;
}

function pathBlock(p: CredentialDetail['paths'][number], i: number): Html {
  const end = p.steps[p.steps.length - 1]!.to;
  return html`<div class="card path">
  <div><strong>Path ${i + 1}</strong> to ${nodeLabel(end)} — ${plural(p.steps.length, 'step')}${p.conditional ? html` <span class="cond">(conditional)</span>` : ''}</div>
  ${pathDiagram(p, `Path ${i + 1} to ${end.name}`)}
  <ol class="steps">${p.steps.map(
    (s) => html`<li><div class="step-head">${s.from.name} <span class="verb">${EDGE_KINDS[s.edge.kind]?.verb ?? s.edge.kind}${s.edge.technique ? ` (${s.edge.technique})` : ''}</span> ${s.to.name}</div>
      <div class="small">${s.edge.reason}${s.edge.conditional ? html` <span class="cond">[if ${s.edge.conditional}]</span>` : ''}</div>
      <ul class="evidence">${s.edge.evidence.slice(0, 4).map((ev) => html`<li>${ev.summary}${ev.location ? html` <span class="mono">(${ev.location})</span>` : ''}</li>`)}${s.edge.evidence.length > 4 ? html`<li>… ${s.edge.evidence.length - 4} more</li>` : ''}</ul></li>`,
  )}</ol>
</div>`;
}
