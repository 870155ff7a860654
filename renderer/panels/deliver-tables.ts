// Filtering, sorting and grouping of the inventory and triage lists (pure functions, unit-tested).
import type { InventoryRow, PrivilegeTier, TriageRow } from '../contract';

export const TIERS: PrivilegeTier[] = ['admin', 'reaches-high-value', 'write', 'read', 'none'];
export const TIER_LABEL: Record<PrivilegeTier, string> = { admin: 'admin-equivalent', 'reaches-high-value': 'reaches admin / high value', write: 'write', read: 'read', none: 'none' };

export type InventorySortKey = 'name' | 'tier' | 'owner' | 'credentials' | 'lastUsed' | 'findings';
export type InventoryGroup = 'boundary' | 'owner' | 'none';

export interface InventoryQuery {
  text: string;
  tier: PrivilegeTier | 'all';
  group: InventoryGroup;
  sort: InventorySortKey;
  descending: boolean;
}

export type InventoryItem = { type: 'group'; key: string; label: string; count: number } | { type: 'row'; row: InventoryRow };

const SEV_WEIGHT = { critical: 1000, high: 100, medium: 10, low: 1, info: 0 } as const;
const findingsScore = (r: InventoryRow) => Object.entries(r.findings).reduce((a, [s, n]) => a + SEV_WEIGHT[s as keyof typeof SEV_WEIGHT] * (n ?? 0), 0);

const sortKey: Record<InventorySortKey, (r: InventoryRow) => string | number> = {
  name: (r) => r.node.name.toLowerCase(),
  tier: (r) => TIERS.indexOf(r.tier),
  owner: (r) => (r.owner ?? '\uffff').toLowerCase(),
  credentials: (r) => r.credentials.total,
  lastUsed: (r) => r.credentials.lastUsedAt ?? '',
  findings: (r) => findingsScore(r),
};

export function groupLabel(r: InventoryRow, group: InventoryGroup): string {
  if (group === 'boundary') return r.boundary ? r.boundary.name : '(no boundary)';
  if (group === 'owner') return r.owner ?? '(no owner)';
  return '';
}

/** Filtered, sorted rows with a header item before each group; ties break on name, then id. */
export function queryInventory(rows: readonly InventoryRow[], q: InventoryQuery): InventoryItem[] {
  const words = q.text.toLowerCase().split(/\s+/).filter(Boolean);
  const kept = rows.filter((r) => {
    if (q.tier !== 'all' && r.tier !== q.tier) return false;
    if (!words.length) return true;
    const hay = `${r.node.name} ${r.node.id} ${r.kindLabel} ${r.owner ?? 'no owner'} ${r.boundary?.name ?? ''} ${r.tierReason}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
  const k = sortKey[q.sort];
  const dir = q.descending ? -1 : 1;
  const byKey = (a: InventoryRow, b: InventoryRow) => {
    const x = k(a);
    const y = k(b);
    if (x < y) return -dir;
    if (x > y) return dir;
    return a.node.name.localeCompare(b.node.name) || (a.node.id < b.node.id ? -1 : a.node.id > b.node.id ? 1 : 0);
  };
  if (q.group === 'none') return kept.sort(byKey).map((row) => ({ type: 'row', row }));
  const groups = new Map<string, InventoryRow[]>();
  for (const r of kept) {
    const g = groupLabel(r, q.group);
    const list = groups.get(g) ?? [];
    list.push(r);
    groups.set(g, list);
  }
  const out: InventoryItem[] = [];
  for (const [label, list] of [...groups.entries()].sort(([a], [b]) => (a.startsWith('(') ? 1 : 0) - (b.startsWith('(') ? 1 : 0) || a.localeCompare(b))) {
    out.push({ type: 'group', key: `g:${label}`, label, count: list.length });
    for (const row of list.sort(byKey)) out.push({ type: 'row', row });
  }
  return out;
}

export interface TriageQuery {
  text: string;
  onlyActive: boolean;
  onlyAdmin: boolean;
}

/** Triage keeps the engine's ranking; the filter only hides rows. */
export function queryTriage(rows: readonly TriageRow[], q: TriageQuery): TriageRow[] {
  const words = q.text.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((r) => {
    if (q.onlyActive && r.status === 'inactive') return false;
    if (q.onlyAdmin && r.reach.adminOf.length === 0) return false;
    if (!words.length) return true;
    const hay = `${r.node.name} ${r.node.id} ${r.holders.map((h) => h.name).join(' ')} ${r.reasons.join(' ')} ${r.reach.adminOf.map((b) => b.name).join(' ')}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}
