// The cover and the executive summary: counts, and the worst paths in one sentence each.
import { html, type Html } from '../html.js';
import type { ReportData } from '../model.js';
import { barChart, SEVERITY_COLOR } from '../svg.js';
import { kindLabel, pathSentence, plural, SEVERITIES, when } from './common.js';

export function cover(d: ReportData, toc: { id: string; title: string }[]): Html {
  return html`<header class="cover">
  <h1>${d.title}</h1>
  <div class="muted">Blastmap report: non-human identities, their credentials and what an attacker holding them can reach.</div>
  <dl class="meta">
    <dt>Case</dt><dd class="mono">${d.caseFile}</dd>
    <dt>Generated</dt><dd>${when(d.generatedAt)}</dd>
    <dt>Sources</dt><dd>${plural(d.sources.length, 'file')} imported (see Sources for each file's SHA-256)</dd>
    <dt>Scope</dt><dd>${d.only === 'compromised' ? 'compromised credentials only' : 'the whole case'}${d.redacted ? '; account ids, names and ids replaced by pseudonyms (stable within this report only)' : ''}</dd>
  </dl>
  ${d.redacted ? html`<div class="banner">Redacted for sharing: identifiers are pseudonyms such as “IAM user 3fa2c1”. The same pseudonym means the same thing within this report.</div>` : ''}
  <nav class="toc"><strong>Contents</strong><ol>${toc.map((t) => html`<li>${t.title}</li>`)}</ol></nav>
</header>`;
}

export function summary(d: ReportData): Html {
  const compromised = d.triage.length;
  const reachAdmin = d.triage.filter((r) => r.reach.adminOf.length > 0).length;
  const usedAfter = d.triage.filter((r) => r.usedAfterExposure).length;
  const bySeverity = SEVERITIES.map((s) => ({ s, n: d.findings.filter((f) => f.severity === s).length }));
  const worst = d.details.filter((c) => c.paths.length > 0).slice(0, 5);
  return html`<p>${plural(d.inventory.length, 'non-human identity', 'non-human identities')} and ${plural(d.counts.nodes, 'node')} across ${plural(new Set(d.inventory.map((r) => r.boundary?.id).filter(Boolean)).size, 'boundary', 'boundaries')}; ${plural(d.counts.edges, 'edge')}, of which ${d.counts.derivedEdges.toLocaleString('en-US')} derived by Blastmap's rules.</p>
<div class="kpis">
  <div class="kpi${compromised ? ' alarm' : ''}"><div class="v">${compromised}</div><div class="l">compromised or exposed credentials</div></div>
  <div class="kpi${reachAdmin ? ' alarm' : ''}"><div class="v">${reachAdmin}</div><div class="l">of them reach admin of a boundary</div></div>
  <div class="kpi${usedAfter ? ' alarm' : ''}"><div class="v">${usedAfter}</div><div class="l">seen in use after the exposure</div></div>
  <div class="kpi"><div class="v">${d.findings.length}</div><div class="l">posture findings (${bySeverity[0]!.n} critical, ${bySeverity[1]!.n} high)</div></div>
</div>
${
  worst.length
    ? html`<h3>Worst paths</h3><ol class="worst">${worst.map((c) => {
        const p = c.paths[0]!;
        const end = p.steps[p.steps.length - 1]!.to;
        const state = [c.row.status, c.row.usedAfterExposure ? 'used after the exposure' : ''].filter(Boolean).join(', ');
        return html`<li><strong>${kindLabel(c.row.node)} ${c.row.node.name}</strong> (${state}) reaches <strong>${end.name}</strong> in ${plural(p.steps.length, 'step')}: it ${pathSentence(p)}.</li>`;
      })}</ol>`
    : html`<p>${compromised ? 'No compromised credential reaches an admin or high-value node.' : 'No credential in this case is marked compromised or exposed by a scanner.'}</p>`
}
${routesToAdmin(d)}
${d.only === 'compromised' ? '' : html`<h3>Findings by severity</h3>${barChart(bySeverity.map(({ s, n }) => ({ label: s, value: n, color: SEVERITY_COLOR[s]! })), { title: 'Findings by severity' })}`}`;
}

/** The findings that answer "who can become admin" (escalation-to-admin, admin-crosses-boundary), a few each, highest severity first. */
const ROUTE_RULES = [
  { rule: 'escalation-to-admin', says: (n: number) => `${plural(n, 'identity', 'identities')} that ${n === 1 ? 'is' : 'are'} not admin can become admin of a boundary` },
  { rule: 'admin-crosses-boundary', says: (n: number) => `${plural(n, 'admin')} can become admin of a boundary ${n === 1 ? 'it does' : 'they do'} not hold` },
];
const LISTED = 5;

function routesToAdmin(d: ReportData): Html | string {
  if (d.only === 'compromised') return '';
  const groups = ROUTE_RULES.map((r) => ({ ...r, found: d.findings.filter((f) => f.rule === r.rule).sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity)) })).filter((g) => g.found.length);
  if (!groups.length) return '';
  return html`<h3>Who can become admin</h3>${groups.map(
    (g) => html`<p><strong>${g.says(g.found.length)}</strong> (finding ${g.rule}${g.found.length > LISTED ? `; the first ${LISTED} listed, every one under Findings` : ''}):</p><ul>${g.found.slice(0, LISTED).map((f) => html`<li>${f.title}.</li>`)}</ul>`,
  )}`;
}
