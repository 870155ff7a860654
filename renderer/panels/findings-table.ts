import type { Finding, Severity } from '../contract';

export type FindingSortKey = 'severity' | 'title' | 'node' | 'rule';
export interface FindingQuery {
  text: string;
  severity: Severity | 'all';
  sort: FindingSortKey;
  descending: boolean;
}

export const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

const key: Record<FindingSortKey, (f: Finding) => string | number> = {
  severity: (f) => SEVERITIES.indexOf(f.severity),
  title: (f) => f.title.toLowerCase(),
  node: (f) => (f.node?.name ?? f.nodeId).toLowerCase(),
  rule: (f) => f.rule,
};

/** Filter (words match title, summary, node and rule) and sort; severity ties break on title. */
export function queryFindings(findings: Finding[], q: FindingQuery): Finding[] {
  const words = q.text.toLowerCase().split(/\s+/).filter(Boolean);
  const out = findings.filter((f) => {
    if (q.severity !== 'all' && f.severity !== q.severity) return false;
    if (!words.length) return true;
    const hay = `${f.title} ${f.summary} ${f.node?.name ?? ''} ${f.nodeId} ${f.rule}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
  const k = key[q.sort];
  const dir = q.descending ? -1 : 1;
  return out.sort((a, b) => {
    const x = k(a);
    const y = k(b);
    if (x < y) return -dir;
    if (x > y) return dir;
    return a.title.localeCompare(b.title);
  });
}

/** A finding has a node to focus unless it is a scanner's result on a resource no node of the case describes. */
export function focusable(f: Finding): boolean {
  return f.origin?.matched !== false;
}
