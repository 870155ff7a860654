// Chain of custody: every source file with its format, SHA-256, import time and what it brought.
import { html, type Html } from '../html.js';
import type { ReportData } from '../model.js';
import { when } from './common.js';

export function sources(d: ReportData): Html {
  if (!d.sources.length) return html`<p>Nothing imported.</p>`;
  return html`<p>Each file as it was read, identified by the SHA-256 of its bytes: a copy kept with the case can be checked against this list.</p>
<table><thead><tr><th class="num">#</th><th>File</th><th>Format</th><th>SHA-256</th><th>Imported</th><th class="num">Nodes</th><th class="num">Edges</th><th class="num">Warnings</th></tr></thead><tbody>${d.sources.map(
  (s) => html`<tr><td class="num">${s.id}</td><td class="mono">${s.fileName}</td><td>${s.format}</td><td class="mono">${s.sha256}</td><td class="small">${when(s.importedAt)}</td><td class="num">${s.counts.nodes}</td><td class="num">${s.counts.edges}</td><td class="num">${s.warnings.length}</td></tr>`,
)}</tbody></table>`;
}
