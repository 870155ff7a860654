// The containment plan as a Markdown checklist: what a responder pastes into a ticket. Case strings are escaped so a
// name cannot become a link, an image, markup or a heading in whatever renders the ticket.
import type { ContainmentPlan, NodeSummary } from '../api/contract.js';

/** Backslash-escapes Markdown punctuation and flattens line breaks; < and > become entities (raw HTML in tickets). */
export function mdEscape(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const who = (n: NodeSummary) => `${mdEscape(n.name)} (${n.kind})`;

export function containmentMarkdown(plan: ContainmentPlan, done: readonly number[] = []): string {
  const lines = [`# Containment of ${who(plan.origin)}`, ''];
  const targets = plan.targets.length ? plan.targets.map(who).join(', ') : 'any admin or high\\-value node';
  if (!plan.pathsBefore) {
    lines.push(`No path to ${targets}: nothing to cut.`, '');
    return lines.join('\n');
  }
  lines.push(
    `${plan.pathsBefore}${plan.pathsBefore >= plan.pathLimit ? '+' : ''} path(s) to ${targets}. ${plan.cuts.length} action(s), total cost ${plan.cost}.`,
    plan.pathsAfter === 0 ? 'Re-check: no path is left once every action below is done.' : `Re-check: ${plan.pathsAfter} path(s) are still left after these actions.`,
    '',
  );
  plan.cuts.forEach((c, i) => {
    lines.push(`- [${done.includes(i) ? 'x' : ' '}] **${i + 1}\\.** ${mdEscape(c.action)} — cost ${c.cost}, on ${c.pathsCut} path(s)`);
    lines.push(`  - removes ${c.edge.kind}: ${who(c.from)} → ${who(c.to)}: ${mdEscape(c.edge.reason)}${c.edge.conditional ? ` \\[if ${mdEscape(c.edge.conditional)}\\]` : ''}`);
    for (const ev of c.edge.evidence.slice(0, 5)) lines.push(`  - evidence: ${mdEscape(ev.summary)}${ev.location ? ` (${mdEscape(ev.location)})` : ''}`);
    for (const also of c.alsoRemoves ?? []) lines.push(`  - also removes ${also.kind}: ${mdEscape(also.reason)}${also.source ? ` (${mdEscape(also.source.fileName)})` : ''}`);
  });
  lines.push('');
  return lines.join('\n');
}
