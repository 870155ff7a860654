// Words of the estate map: a boundary box's title with its counts, and the label of the trust between two boxes.
import type { EstateCounts, EstateTrust, Severity } from '../contract';
import { groupDigits, kindLabel } from '../format';

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

function count(n: number, word: string, many = `${word}s`): string {
  return `${groupDigits(n)} ${n === 1 ? word : many}`;
}

/**
 * "AWS account 222222222222" over "12 identities · 3 credentials · 8 resources" over "2 admins · 1 critical · 3 high":
 * what a boundary holds, on its box. The kind is left out when the name already says it.
 */
export function boxTitle(kind: string, name: string, c: EstateCounts): string {
  // A name that starts with the kind's noun ("subscription 9b2f…", named so when no export gave it a display name)
  // takes the kind's words instead: "Azure subscription 9b2f…", not "Azure subscription subscription 9b2f…".
  const noun = kind.split(' ').pop() ?? '';
  const bare = noun && name.toLowerCase().startsWith(`${noun.toLowerCase()} `) ? name.slice(noun.length + 1) : name;
  const title = kind && !name.toLowerCase().includes(kind.toLowerCase()) ? `${kind} ${bare}` : name;
  const what = [
    c.identities ? count(c.identities, 'identity', 'identities') : '',
    c.credentials ? count(c.credentials, 'credential') : '',
    c.resources ? count(c.resources, 'resource') : '',
    c.groups ? count(c.groups, 'group') : '',
  ].filter(Boolean);
  const risk = [c.admins ? count(c.admins, 'admin') : '', ...SEVERITIES.filter((s) => c.findings[s]).map((s) => `${groupDigits(c.findings[s] ?? 0)} ${s}`)].filter(Boolean);
  // A box holding only its admin node says "1 admin", not "no nodes inside" above the admin drawn in it.
  const held = what.length ? [what.join(' · ')] : risk.length ? [] : ['no nodes inside'];
  return [title, ...held, ...(risk.length ? [risk.join(' · ')] : [])].join('\n');
}

/** Lower-case plural of a node kind's label: "aws_role" → "IAM roles" stays readable as "12 IAM roles". */
function kindWords(kind: string, n: number): string {
  const label = kindLabel(kind);
  // "IAM role" and "OpenGraph domain" keep their capitals; "Service account" reads "service account".
  const words = /^[A-Z][a-z]+\b/.test(label) && !/^[A-Z][a-z]+[A-Z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
  return n === 1 ? words : /s$/.test(words) ? words : `${words}s`;
}

/**
 * One edge per pair of boxes: "12 IAM roles trust 444455556666" when the edges are trust (assume, federate), else
 * "5 S3 buckets reachable from prod-eks". Names what is reached, in the box the edge points to.
 */
export function trustLabel(t: EstateTrust, sourceName: string): string {
  const kinds = Object.entries(t.targetKinds).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
  const [top, topCount = 0] = kinds[0] ?? ['', 0];
  const what = kinds.length === 1 && top ? `${groupDigits(t.targets)} ${kindWords(top, topCount)}` : count(t.targets, 'node');
  const trust = (t.edgeKinds.CAN_ASSUME ?? 0) + (t.edgeKinds.FEDERATES_TO ?? 0);
  return trust * 2 >= t.edges ? `${what} trust ${sourceName}` : `${what} reachable from ${sourceName}`;
}
