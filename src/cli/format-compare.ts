// Text output of `blastmap diff` and `blastmap plan-impact`: Markdown that reads as a pull-request comment (pasted
// by a CI job, or read in a terminal as it is).
import { diffReport, type DiffReport } from '../api/compare/report.js';
import type { CaseDiff, PlanImpact, SnapshotInfo } from '../api/contract.js';

/** Table cells: one line each, pipes escaped, long text cut (the JSON has it whole). */
function cell(v: string | number, max = 160): string {
  const text = String(v).replace(/\s+/g, ' ').replace(/\|/g, '\\|');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const VERDICT: Record<DiffReport['verdict'], string> = {
  worse: '**Attack surface grows.**',
  better: '**Attack surface shrinks.**',
  mixed: '**Mixed: some ways in appear, others go.**',
  unchanged: '**No change to paths, blast radius or findings.**',
};

export function formatReport(report: DiffReport, intro: string[] = []): string {
  const lines = [`## ${report.title}`, '', `**Before:** ${report.before}  `, `**After:** ${report.after}`, ...intro, '', `${VERDICT[report.verdict]} ${report.headline.join(' ')}`];
  for (const s of report.sections) {
    lines.push('', `### ${s.title}`, '', `| ${s.columns.join(' | ')} |`, `|${s.columns.map(() => '---').join('|')}|`);
    for (const row of s.rows) lines.push(`| ${row.map((c) => cell(c)).join(' | ')} |`);
    if (s.more) lines.push('', `… and ${s.more} more (use --json for the full lists).`);
  }
  if (report.limits.length) {
    lines.push('', '<details><summary>What was bounded</summary>', '');
    for (const l of report.limits) lines.push(`- ${l}`);
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}

export function formatDiff(diff: CaseDiff): string {
  return formatReport(diffReport(diff));
}

export function formatPlanImpact(p: PlanImpact): string {
  const intro: string[] = [''];
  intro.push(`Imported into a private copy of the case: ${p.imported.map((s) => `${s.fileName} (${s.format})`).join(', ')}.`);
  if (p.replaced.length) for (const r of p.replaced) intro.push(`- replaces ${r.source.fileName} (${r.source.format}, imported ${r.source.importedAt}): ${r.rule}`);
  else intro.push('It replaces no source of the case: everything it states is added.');
  intro.push('', `Gate: ${p.gate.newAdminPaths} new origin–admin path(s), ${p.gate.newCritical} new critical and ${p.gate.newHigh} new high finding(s).`);
  return formatReport(diffReport(p.diff), intro);
}

export function formatSnapshots(list: SnapshotInfo[]): string {
  if (!list.length) return 'no snapshots yet: one is taken when a re-import replaces a source, or with `blastmap snapshot --case …`\n';
  return `${list
    .map((s) => `${s.id}  ${s.takenAt}  ${s.auto ? 'auto' : 'requested'}  ${s.label}  (${s.counts.nodes} nodes, ${s.counts.edges} edges, ${s.counts.findings} findings; ${Math.ceil(s.bytes / 1024)} KiB)${s.replaced.length ? `\n    replaced: ${s.replaced.map((r) => `${r.fileName} (source ${r.id}, imported ${r.importedAt})`).join(', ')}` : ''}`)
    .join('\n')}\n`;
}
