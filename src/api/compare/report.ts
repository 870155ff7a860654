// A comparison as plain data for people: a verdict, headline sentences, and sections of rows (strings and numbers
// only). The CLI prints it as a Markdown PR comment; the HTML report can render the same sections.
import { NODE_KINDS } from '../../model/kinds.js';
import type { AttackPath, BlastDelta, CaseDiff, EdgeChange, NodeSummary, ReachChange } from '../contract.js';

export interface DiffReportSection {
  id: 'paths-appeared' | 'paths-disappeared' | 'paths-changed' | 'blast-radius' | 'findings-new' | 'findings-fixed' | 'findings-changed' | 'edges' | 'nodes' | 'rotations';
  title: string;
  columns: string[];
  rows: (string | number)[][];
  /** Rows left out of `rows` (the full lists are in the JSON). */
  more: number;
}

export interface DiffReport {
  title: string;
  before: string;
  after: string;
  /** 'worse': a new way to admin or a high-value node, or a new critical/high finding; 'better': only losses of those. */
  verdict: 'worse' | 'better' | 'mixed' | 'unchanged';
  headline: string[];
  sections: DiffReportSection[];
  /** What was bounded, in sentences. */
  limits: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function kindLabel(n: NodeSummary): string {
  return (NODE_KINDS as Record<string, { label: string } | undefined>)[n.kind]?.label ?? n.kind;
}

export function nodeName(n: NodeSummary): string {
  return n.marks.includes('compromised') ? `${n.name} (compromised)` : n.name;
}

/** A path in one line: names joined by arrows, techniques and conditions in brackets. */
export function pathLine(p: AttackPath): string {
  if (!p.steps.length) return '';
  const parts = [nodeName(p.steps[0]!.from)];
  for (const s of p.steps) {
    const how = [s.edge.technique, s.edge.conditional ? `if ${s.edge.conditional}` : undefined].filter(Boolean).join('; ');
    parts.push(`${how ? `[${how}] ` : ''}${nodeName(s.to)}`);
  }
  return parts.join(' → ');
}

function stepsOf(r: ReachChange): string | number {
  const a = r.before.steps;
  const b = r.after.steps;
  if (a === undefined) return b ?? '';
  if (b === undefined || a === b) return a;
  return `${a} → ${b}`;
}

function reachRow(r: ReachChange): (string | number)[] {
  const status = r.change === 'appeared' || r.change === 'disappeared' ? r.after.status === 'conditional' || r.before.status === 'conditional' ? 'conditional' : '' : r.change === 'now-unconditional' ? 'condition gone' : 'now conditional';
  const note = r.inheritedFrom ? `new credential of ${r.inheritedFrom.name}, which already had this path` : status;
  return [nodeName(r.origin), kindLabel(r.origin), r.target.name, stepsOf(r), r.path ? pathLine(r.path) : '', note];
}

const delta = (a: number, b: number) => (a === b ? String(b) : `${a} → ${b}`);

function blastRow(d: BlastDelta): (string | number)[] {
  const admin = [...d.adminGained.map((n) => `+${n.name}`), ...d.adminLost.map((n) => `−${n.name}`)].join(', ');
  const levels = d.byAccessLevel.map((l) => `${l.level} ${l.after - l.before > 0 ? '+' : '−'}${Math.abs(l.after - l.before)}`).join(', ');
  const where = d.byBoundary.map((b) => `${b.boundary.name}${b.after.admin && !b.before.admin ? ' (admin)' : ''}`).join(', ');
  return [nodeName(d.origin), d.presence === 'both' ? '' : d.presence === 'added' ? 'new credential' : 'credential gone', delta(d.before.identities, d.after.identities), delta(d.before.resources, d.after.resources), admin, levels, where];
}

function edgeRow(e: EdgeChange): (string | number)[] {
  const what = `${e.from.name} —${e.kind}${e.technique ? ` (${e.technique})` : ''}→ ${e.to.name}`;
  const detail = e.details?.join('; ') ?? [e.accessAfter ?? e.accessBefore, e.conditionAfter ?? e.conditionBefore ? `if ${e.conditionAfter ?? e.conditionBefore}` : undefined].filter(Boolean).join('; ');
  return [e.change, e.family, what, detail, e.reason];
}

/** The report of a comparison; `rowsPerSection` bounds each table (the rest is counted in `more`). */
export function diffReport(diff: CaseDiff, rowsPerSection = 20): DiffReport {
  const s = diff.summary;
  const sections: DiffReportSection[] = [];
  const section = (id: DiffReportSection['id'], title: string, columns: string[], all: (string | number)[][]) => {
    if (all.length) sections.push({ id, title, columns, rows: all.slice(0, rowsPerSection), more: Math.max(0, all.length - rowsPerSection) });
  };
  const appeared = diff.paths.filter((p) => p.change === 'appeared');
  const disappeared = diff.paths.filter((p) => p.change === 'disappeared');
  const shifted = diff.paths.filter((p) => p.change === 'now-unconditional' || p.change === 'now-conditional');
  const pathColumns = ['origin', 'kind', 'reaches', 'steps', 'path', 'note'];
  section('paths-appeared', `New paths to admin or high-value nodes (${s.paths.appeared})`, pathColumns, appeared.map(reachRow));
  section('paths-disappeared', `Paths that disappeared (${s.paths.disappeared})`, pathColumns, disappeared.map(reachRow));
  section('paths-changed', `Paths whose condition changed (${s.paths.nowUnconditional + s.paths.nowConditional})`, pathColumns, shifted.map(reachRow));
  section('blast-radius', `Blast radius per credential (${diff.blastRadius.length} changed; ${s.blastRadius.compared} of ${s.blastRadius.affected} credentials that reach a change compared)`, ['credential', 'presence', 'identities', 'resources', 'admin', 'access levels', 'boundaries'], diff.blastRadius.map(blastRow));
  const findingRow = (f: CaseDiff['findings'][number]) => [f.finding.severity, f.finding.title, f.finding.node?.name ?? f.finding.nodeId, f.finding.rule, f.details?.join('; ') ?? ''];
  const findingColumns = ['severity', 'finding', 'node', 'rule', 'change'];
  section('findings-new', `New findings (${s.findings.new})`, findingColumns, diff.findings.filter((f) => f.change === 'new').map(findingRow));
  section('findings-fixed', `Fixed findings (${s.findings.fixed})`, findingColumns, diff.findings.filter((f) => f.change === 'fixed').map(findingRow));
  section('findings-changed', `Findings that changed (${s.findings.changed})`, findingColumns, diff.findings.filter((f) => f.change === 'changed').map(findingRow));
  const edgeTotal = Object.values(s.edges).reduce((n, c) => n + c.added + c.removed + c.changed, 0);
  section('edges', `Trust, grants and other edges changed (${edgeTotal})`, ['change', 'family', 'edge', 'detail', 'why'], diff.edges.map(edgeRow));
  const nodeTotal = Object.values(s.nodes).reduce((n, c) => n + c.added + c.removed + c.changed, 0);
  section('nodes', `Identities, credentials and other nodes changed (${nodeTotal})`, ['change', 'kind', 'name', 'boundary', 'detail'], diff.nodes.map((n) => [n.change, kindLabel(n.node), nodeName(n.node), n.node.boundary ?? '', n.details?.join('; ') ?? '']));
  section('rotations', `Keys rotated (${s.keysRotated})`, ['holder', 'retired', 'introduced'], diff.rotations.map((r) => [r.holder.name, r.retired.map((x) => `${x.credential.name} (${x.how})`).join(', '), r.introduced.map((n) => n.name).join(', ')]));

  const worse = s.paths.newAdminOrigins > 0 || appeared.some((p) => !p.inheritedFrom) || s.paths.nowUnconditional > 0 || (s.findings.newBySeverity.critical ?? 0) > 0 || (s.findings.newBySeverity.high ?? 0) > 0 || s.blastRadius.adminGained > 0;
  const better = s.paths.disappeared > 0 || s.paths.nowConditional > 0 || s.findings.fixed > 0 || s.blastRadius.adminLost > 0 || s.blastRadius.shrank > 0;
  const anything = edgeTotal + nodeTotal + diff.findings.length + diff.paths.length + diff.blastRadius.length > 0;
  const headline: string[] = [];
  const genuine = appeared.filter((p) => !p.inheritedFrom).length;
  if (s.paths.appeared) {
    headline.push(
      `${plural(s.paths.newAdminOrigins, 'origin')} newly reach an admin node${s.paths.newAdminFromCompromised ? `, ${s.paths.newAdminFromCompromised} of them compromised or exposed` : ''}; ${plural(s.paths.appeared, 'new path')} to admin or high-value nodes in all${genuine < appeared.length ? ` (some from new keys of identities that already had them)` : ''}.`,
    );
  }
  if (s.paths.disappeared) headline.push(`${plural(s.paths.disappeared, 'path')} to admin or high-value nodes disappeared (${plural(s.paths.lostAdminOrigins, 'origin')} lost admin).`);
  if (s.paths.nowUnconditional) headline.push(`${plural(s.paths.nowUnconditional, 'path')} no longer depend on a condition.`);
  if (diff.blastRadius.length) headline.push(`Blast radius grew for ${plural(s.blastRadius.grew, 'credential')} and shrank for ${s.blastRadius.shrank}; ${s.blastRadius.adminGained} gained admin, ${s.blastRadius.adminLost} lost it.`);
  if (s.findings.new || s.findings.fixed) headline.push(`${plural(s.findings.new, 'new finding')}${severities(s.findings.newBySeverity)}, ${plural(s.findings.fixed, 'finding')} fixed${severities(s.findings.fixedBySeverity)}.`);
  if (s.keysRotated) headline.push(`${plural(s.keysRotated, 'holder')} rotated keys.`);
  if (!anything) headline.push('No change: the same identities, credentials, edges, paths and findings.');
  else if (!headline.length) headline.push(`${plural(edgeTotal, 'edge')} and ${plural(nodeTotal, 'node')} changed; no path to an admin or high-value node changed.`);
  return {
    title: 'Blastmap: what changed in the blast radius',
    before: diff.before.label,
    after: diff.after.label,
    verdict: worse && better ? 'mixed' : worse ? 'worse' : better ? 'better' : 'unchanged',
    headline,
    sections,
    limits: diff.bounds.map((b) => b.note),
  };
}

function severities(by: Partial<Record<string, number>>): string {
  const parts = Object.entries(by).map(([k, n]) => `${n} ${k}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
