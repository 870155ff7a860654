// Shared pieces of the report's sections.
import type { AttackPath, NodeSummary, Severity } from '../../api/contract.js';
import { EDGE_KINDS, NODE_KINDS } from '../../model/kinds.js';
import { html, type Html } from '../html.js';

export const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export const plural = (n: number, word: string, many = `${word}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;

export const kindLabel = (n: NodeSummary) => NODE_KINDS[n.kind]?.label ?? n.kind;

/** "IAM user ci-deployer" with its marks as tags. */
export function nodeLabel(n: NodeSummary): Html {
  return html`<span class="muted">${kindLabel(n)}</span> <strong>${n.name}</strong>${n.marks.map((m) => html` <span class="tag${m === 'compromised' ? ' bad' : ''}">${m}</span>`)}`;
}

export const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '—');
export const when = (iso: string | null | undefined) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '—');

export function sevTag(s: Severity): Html {
  return html`<span class="sev sev-${s}">${s}</span>`;
}

/** A path in one sentence: "X authenticates as Y, which can assume Z, …". */
export function pathSentence(p: AttackPath): string {
  const parts = p.steps.map((s, i) => `${i === 0 ? '' : 'which '}${EDGE_KINDS[s.edge.kind]?.verb ?? s.edge.kind} ${s.to.name}${s.edge.technique && s.edge.kind === 'CAN_ESCALATE' ? ` (${s.edge.technique})` : ''}${s.edge.conditional ? ' [conditional]' : ''}`);
  return parts.join(', ');
}

export function sectionId(id: string): string {
  return `s-${id}`;
}
