import type { EstateCounts, EstateOverview, Severity } from '../api/contract.js';
import { label } from './format.js';

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

function counts(c: EstateCounts): string {
  const findings = SEVERITIES.filter((s) => c.findings[s]).map((s) => `${c.findings[s]} ${s}`);
  return `${c.identities} identities, ${c.credentials} credentials, ${c.resources} resources, ${c.groups} groups; ${c.admins} admin(s)${findings.length ? `; findings: ${findings.join(', ')}` : ''}`;
}

/** `blastmap estate`: one line per boundary, one per trust pair, then marks and the worst findings. */
export function formatEstate(e: EstateOverview): string {
  const names = new Map(e.boundaries.map((b) => [b.boundary.id, b.boundary.name]));
  const name = (id: string | null) => (id === null ? 'outside any boundary' : (names.get(id) ?? id));
  const lines = ['boundaries:'];
  for (const b of e.boundaries) lines.push(`  ${label(b.boundary)}: ${counts(b)}`);
  if (e.outside.nodes) lines.push(`  outside any boundary: ${counts(e.outside)}`);
  if (e.trust.length) lines.push('trust between boundaries:');
  for (const t of e.trust) {
    const kinds = Object.entries(t.edgeKinds)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    lines.push(`  ${name(t.from)} → ${name(t.to)}: ${t.sources} source(s) reach ${t.targets} node(s) over ${kinds}${t.conditional ? ` (${t.conditional} conditional)` : ''}`);
  }
  if (e.marked.length) lines.push('marked:');
  for (const n of e.marked) lines.push(`  ${label(n)}`);
  if (e.topFindings.length) lines.push('worst findings:');
  for (const f of e.topFindings) lines.push(`  [${f.severity}] ${f.title}`);
  return `${lines.join('\n')}\n`;
}
