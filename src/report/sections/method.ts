// Method and limits: how the figures were computed and what the case cannot say.
import { html, type Html } from '../html.js';
import type { ReportData } from '../model.js';
import { plural } from './common.js';

export function method(d: ReportData): Html {
  const l = d.limits;
  const warnings = d.sources.flatMap((s) => s.warnings.map((w) => ({ file: s.fileName, ...w })));
  return html`<h3>Method</h3>
<ul>
  <li>Every source file is parsed offline into nodes (identities, credentials, resources, groups, boundaries) and the edges the source states; Blastmap's rules then derive what those statements allow (assuming roles, escalation techniques, access to resources with an access level, admin of a boundary), each derived edge with its reason and the policy statements, bindings or records behind it.</li>
  <li><strong>Blast radius</strong>: a breadth-first walk from the credential over every edge an attacker can follow; reaching an admin node means the whole boundary. <strong>Paths</strong>: the shortest loopless paths (fewest steps, then fewest conditional steps). <strong>Containment</strong>: the cheapest set of cuts (a minimum cut, where revoking a key costs 1, a group membership 2, a trust statement 3, a permission 4, admin rights 10) that disconnects the credential from every admin and high-value node, re-checked by searching for paths again.</li>
  <li><strong>Triage score</strong>: 1000 per boundary administered, 300 per high-value node, up to 900 for resources by access level, up to 400 for identities and 300 for credentials; +1500 when activity logs show use after the exposure; a credential known to be inactive keeps 10% of its reach.</li>
  <li>Ages count from the last import (${d.sources.length ? d.sources.map((s) => s.importedAt).sort().at(-1)!.slice(0, 10) : '—'}), as the finding rules do.</li>
</ul>
<h3>Limits</h3>
<ul>
  <li>${plural(l.conditionalEdges, 'edge')} depend on a condition that cannot be decided offline (source address, MFA, time, tags): they are followed and flagged <span class="cond">conditional</span>. A path through one may not be open.</li>
  <li>${plural(l.stubNodes, 'node')} are only referenced (for example a role of another account named in a trust policy) and described by no source: what they can do is unknown here.</li>
  ${l.externalBoundaries ? html`<li>${plural(l.externalBoundaries, 'account')} outside the case are trusted by it but were not imported.</li>` : ''}
  ${l.missing.map((m) => html`<li>${m}</li>`)}
  <li>The case holds what its exports said when they were taken; anything changed since, or never exported, is not here. Formats imported: ${l.formats.join(', ') || 'none'}.</li>
</ul>
${
  warnings.length
    ? html`<h3>Import warnings</h3><p>Records the importers skipped or could not place (${warnings.length}):</p><table><thead><tr><th>File</th><th>Where</th><th>Warning</th></tr></thead><tbody>${warnings.slice(0, 100).map((w) => html`<tr><td class="mono">${w.file}</td><td class="mono">${w.location ?? ''}</td><td>${w.message}</td></tr>`)}</tbody></table>${warnings.length > 100 ? html`<p class="muted small">… ${warnings.length - 100} more.</p>` : ''}`
    : html`<p>No import warnings: every record of every file was read.</p>`
}`;
}
