import type { AttackPath, BlastRadius, ContainmentPlan, NodeDetails, NodeSummary, SearchHit } from '../api/contract.js';
import { ACCESS_LEVELS } from '../api/contract.js';

// Plain-text output of the commands (--json prints the API's own shapes instead).

export const label = (n: NodeSummary) => `${n.name} [${n.kind}]${n.marks.length ? ` {${n.marks.join(', ')}}` : ''}`;

export function formatHit(h: SearchHit): string {
  return `${h.node.id}\n    ${label(h.node)}${h.matched !== h.node.name && h.matched !== h.node.id ? `  matched ${h.matched}` : ''}\n`;
}

export function formatNode(d: NodeDetails): string {
  const lines = [`${label(d.node)}`, `  id: ${d.node.id}`];
  if (d.node.boundary) lines.push(`  boundary: ${d.node.boundary}`);
  if (d.handles.length > 1) lines.push(`  handles: ${d.handles.filter((h) => h !== d.node.id).join(', ')}`);
  for (const [k, v] of Object.entries(d.props)) if (typeof v !== 'object' || v === null) lines.push(`  ${k}: ${String(v)}`);
  lines.push(`  sources: ${d.sources.map((s) => `${s.fileName} (${s.format})`).join(', ') || 'derived'}`);
  for (const m of d.marks) lines.push(`  marked ${m.mark} by ${m.by} at ${m.at}${m.note ? `: ${m.note}` : ''}`);
  // Observed use is stored per log file (one edge per file and pair): it is printed merged, under observed activity.
  const out = d.out.filter((o) => !o.edge.observed);
  const inn = d.in.filter((o) => !o.edge.observed);
  const observed = d.out.length + d.in.length - out.length - inn.length;
  if (out.length) lines.push('  out:');
  for (const { edge, other } of out) lines.push(`    ${edge.kind} → ${label(other)}${edge.conditional ? ' (conditional)' : ''}\n      ${edge.reason}`);
  if (inn.length) lines.push('  in:');
  for (const { edge, other } of inn) lines.push(`    ${edge.kind} ← ${label(other)}${edge.conditional ? ' (conditional)' : ''}\n      ${edge.reason}`);
  if (d.activity?.length) lines.push('  observed activity:');
  else if (observed) lines.push('  observed activity: none in the time window asked');
  for (const a of d.activity ?? []) {
    const span = a.firstSeen === a.lastSeen ? `${a.firstSeen ?? '?'}` : `${a.firstSeen ?? '?'} … ${a.lastSeen ?? '?'}`;
    lines.push(`    ${a.direction === 'out' ? '→' : '←'} ${label(a.other)}: ${a.count} event(s), ${span}${a.actions.length ? `\n      ${a.actions.slice(0, 8).join(', ')}${a.actions.length > 8 ? ', …' : ''}` : ''}`);
  }
  for (const f of d.findings) lines.push(`  finding [${f.severity}] ${f.title}`);
  if (d.truncated) lines.push('  (more edges exist; use --json or the explorer)');
  return `${lines.join('\n')}\n`;
}

export function formatBlastRadius(br: BlastRadius): string {
  const lines = [`blast radius of ${label(br.origin)}`];
  lines.push(`  identities: ${br.identities.length}, credentials: ${br.credentials.length}, resources: ${br.resources.length}, admin of: ${br.admins.length}`);
  for (const b of br.byBoundary) {
    const through = b.viaAdmin ? ` (through its admin node: ${b.viaAdmin.identities} identities, ${b.viaAdmin.credentials} credentials, ${b.viaAdmin.resources} resources)` : '';
    lines.push(`  ${b.boundary.name}: ${b.identities} identities, ${b.credentials} credentials, ${b.resources} resources${b.admin ? `, ADMIN${through}` : ''}`);
  }
  for (const [level, n] of Object.entries(br.byAccessLevel)) lines.push(`  ${level === 'admin' ? 'resources held as admin of their boundary' : level}: ${n}`);
  for (const a of br.admins) lines.push(`  admin: ${label(a.node)} in ${a.depth} step(s)${a.conditional ? ' (conditional)' : ''}`);
  for (const h of br.highValue ?? []) lines.push(`  high value: ${label(h.node)} in ${h.depth} step(s)${h.viaAdmin ? ' (through the admin node)' : ''}${h.conditional ? ' (conditional)' : ''}`);
  // High-value resources first, then by access level (admin of the boundary above any CAN_ACCESS level), nearest first.
  const hv = (r: { node: NodeSummary }) => (r.node.marks.includes('high-value') ? 0 : 1);
  const resources = [...br.resources].sort((a, b) => hv(a) - hv(b) || ACCESS_RANK.indexOf(b.accessLevel ?? '') - ACCESS_RANK.indexOf(a.accessLevel ?? '') || a.depth - b.depth);
  for (const r of resources.slice(0, 50)) lines.push(`  resource ${label(r.node)}: ${r.accessLevel ?? 'reached'}${r.via ? ` via ${r.via}` : ''}${r.conditional ? ' (conditional)' : ''}`);
  if (resources.length > 50) lines.push(`  … ${resources.length - 50} more resources (use --json)`);
  for (const r of br.identities.slice(0, 50)) lines.push(`  ${'  '.repeat(Math.min(r.depth, 6))}${label(r.node)} (depth ${r.depth}${r.viaAdmin ? ', through the admin node' : ''})`);
  if (br.identities.length > 50) lines.push(`  … ${br.identities.length - 50} more identities (use --json)`);
  for (const r of br.credentials.slice(0, 50)) lines.push(`  credential ${label(r.node)} (depth ${r.depth}${r.viaAdmin ? ', through the admin node' : ''})`);
  if (br.credentials.length > 50) lines.push(`  … ${br.credentials.length - 50} more credentials (use --json)`);
  return `${lines.join('\n')}\n`;
}

const ACCESS_RANK: string[] = ['', ...ACCESS_LEVELS, 'admin'];

export function formatPaths(paths: AttackPath[]): string {
  if (!paths.length) return 'no path\n';
  const lines: string[] = [];
  paths.forEach((p, i) => {
    lines.push(`path ${i + 1}: ${p.steps.length} step(s)${p.conditional ? ' (conditional)' : ''}`);
    for (const s of p.steps) {
      lines.push(`  ${label(s.from)}\n    —${s.edge.kind}${s.edge.technique ? ` (${s.edge.technique})` : ''}→ ${label(s.to)}`);
      lines.push(`      why: ${s.edge.reason}${s.edge.conditional ? ` [if ${s.edge.conditional}]` : ''}`);
      for (const ev of s.edge.evidence.slice(0, 3)) lines.push(`      evidence: ${ev.summary}${ev.location ? ` (${ev.location})` : ''}`);
      for (const alt of s.alternatives ?? []) lines.push(`      or ${alt.kind}${alt.technique ? ` (${alt.technique})` : ''}: ${alt.reason}${alt.conditional ? ` [if ${alt.conditional}]` : ''}`);
    }
  });
  return `${lines.join('\n')}\n`;
}

export function formatContainment(plan: ContainmentPlan): string {
  const lines = [`containment of ${label(plan.origin)}`];
  if (!plan.pathsBefore) return `${lines[0]}\n  no path to ${plan.targets.length ? plan.targets.map(label).join(', ') : 'any admin or high-value node'}: nothing to cut\n`;
  lines.push(`  ${plan.pathsBefore}${plan.pathsBefore >= plan.pathLimit ? '+' : ''} path(s) to ${plan.targets.length} target(s); ${plan.cuts.length} cut(s), cost ${plan.cost}:`);
  for (const c of plan.cuts) {
    lines.push(`  [ ] ${c.action}  (cost ${c.cost}, on ${c.pathsCut} path(s))`);
    lines.push(`      removes ${c.edge.kind}: ${c.edge.reason}${c.edge.conditional ? ` [if ${c.edge.conditional}]` : ''}`);
    for (const ev of c.edge.evidence.slice(0, 3)) lines.push(`      evidence: ${ev.summary}${ev.location ? ` (${ev.location})` : ''}`);
    for (const also of c.alsoRemoves ?? []) lines.push(`      also removes ${also.kind}: ${also.reason}${also.source ? ` (${also.source.fileName})` : ''}`);
  }
  lines.push(plan.pathsAfter === 0 ? '  re-check: no path left after these cuts' : `  re-check: ${plan.pathsAfter} path(s) still left`);
  return `${lines.join('\n')}\n`;
}
