// Posture findings by severity, one block per rule with its remediation and the nodes it names.
import type { Finding } from '../../api/contract.js';
import { html, type Html } from '../html.js';
import { FINDING_NODES_LIMIT, type ReportData } from '../model.js';
import { plural, SEVERITIES, sevTag } from './common.js';

export function findings(d: ReportData): Html {
  if (!d.findings.length) return html`<p>No posture finding.</p>`;
  const groups = new Map<string, Finding[]>();
  for (const f of d.findings) {
    const key = `${SEVERITIES.indexOf(f.severity)}\u0000${f.rule}`;
    const list = groups.get(key) ?? [];
    list.push(f);
    groups.set(key, list);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, list]) => list);
  return html`${ordered.map((list) => {
    const first = list[0]!;
    return html`<div class="card">
  <h4>${sevTag(first.severity)} ${first.rule} <span class="muted">— ${plural(list.length, 'finding')}</span></h4>
  <p><strong>Remediation:</strong> ${first.remediation}</p>
  <table><thead><tr><th>Finding</th><th>Node</th></tr></thead><tbody>${list.slice(0, FINDING_NODES_LIMIT).map(
    (f) => html`<tr><td>${f.title}<div class="muted small">${f.summary}</div></td><td>${f.node?.name ?? f.nodeId}</td></tr>`,
  )}</tbody></table>
  ${list.length > FINDING_NODES_LIMIT ? html`<p class="muted small">… and ${list.length - FINDING_NODES_LIMIT} more (blastmap findings --format csv lists them all).</p>` : ''}
</div>`;
  })}`;
}
