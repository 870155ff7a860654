// Findings new, fixed and changed. A finding's id hashes its title, and titles carry ages ("is 120 days old"), so
// the same finding re-derived later has another id: findings are matched on (rule, node) first, then by id within
// that pair, then in title order.
import type { FindingRow } from '../../store/case-store.js';

export interface FindingsDiff {
  added: FindingRow[];
  fixed: FindingRow[];
  changed: { before: FindingRow; after: FindingRow }[];
}

export function diffFindings(before: FindingRow[], after: FindingRow[]): FindingsDiff {
  const groups = new Map<string, { a: FindingRow[]; b: FindingRow[] }>();
  const group = (f: FindingRow) => {
    const key = `${f.rule}\u0000${f.nodeId}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { a: [], b: [] }));
    return g;
  };
  for (const f of before) group(f).a.push(f);
  for (const f of after) group(f).b.push(f);
  const out: FindingsDiff = { added: [], fixed: [], changed: [] };
  const byTitle = (x: FindingRow, y: FindingRow) => x.title.localeCompare(y.title) || x.id.localeCompare(y.id);
  for (const { a, b } of groups.values()) {
    const idsB = new Set(b.map((f) => f.id));
    const idsA = new Set(a.map((f) => f.id));
    const restA: FindingRow[] = [];
    for (const f of a) {
      if (!idsB.has(f.id)) {
        restA.push(f);
        continue;
      }
      const g = b.find((x) => x.id === f.id)!;
      if (g.severity !== f.severity) out.changed.push({ before: f, after: g });
    }
    const restB = b.filter((f) => !idsA.has(f.id));
    restA.sort(byTitle);
    restB.sort(byTitle);
    const pairs = Math.min(restA.length, restB.length);
    for (let i = 0; i < pairs; i++) out.changed.push({ before: restA[i]!, after: restB[i]! });
    out.fixed.push(...restA.slice(pairs));
    out.added.push(...restB.slice(pairs));
  }
  return out;
}
