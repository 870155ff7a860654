// The inventory: one row per non-human identity across every provider, with its owner, credentials, privilege tier,
// observed activity, findings and marks. Read in a few passes over the case (identities by kind, credential edges,
// observed edges, findings) and one set of tier walks over the graph index, never a query per identity.
import { computeTiers, UNREACHED, type BackReach } from '../analysis/tiers.js';
import { DAY_MS, ownerOf, STALE_DAYS, WORKLOAD_IDENTITY_KINDS } from '../analysis/findings/common.js';
import type { GraphIndex } from '../analysis/index/graph-index.js';
import { NODE_KINDS, type NodeKind } from '../model/kinds.js';
import type { CaseStore, StoredNode } from '../store/case-store.js';
import type { InventoryRow, NodeSummary, PrivilegeTier, Severity } from './contract.js';
import type { Views } from './views.js';

/** Identities an NHI programme owns: workload identities of every cloud and cluster, and OpenGraph identities. */
export const INVENTORY_KINDS: readonly NodeKind[] = [...WORKLOAD_IDENTITY_KINDS, 'og_identity'];

export const TIER_ORDER: readonly PrivilegeTier[] = ['admin', 'reaches-high-value', 'write', 'read', 'none'];

interface Activity {
  firstSeen?: string;
  lastSeen?: string;
  events: number;
}

export function buildInventory(store: CaseStore, index: GraphIndex, views: Views, now: Date = caseTime(store)): InventoryRow[] {
  const credentialsOf = new Map<string, string[]>();
  for (const e of store.edgesOfKind('AUTHENTICATES_AS')) {
    const list = credentialsOf.get(e.dst);
    if (!list) credentialsOf.set(e.dst, [e.src]);
    else if (!list.includes(e.src)) list.push(e.src);
  }
  const activityOf = new Map<string, Activity>();
  for (const e of store.edgesOfKind('OBSERVED_USE')) {
    const a = activityOf.get(e.src) ?? { events: 0 };
    mergeActivity(a, { ...(e.firstSeen ? { firstSeen: e.firstSeen } : {}), ...(e.lastSeen ? { lastSeen: e.lastSeen } : {}), events: typeof e.props.count === 'number' ? e.props.count : 1 });
    activityOf.set(e.src, a);
  }
  const ownedBy = new Map<string, string[]>();
  for (const e of store.edgesOfKind('OWNS')) {
    const list = ownedBy.get(e.dst) ?? [];
    list.push(e.src);
    ownedBy.set(e.dst, list);
  }
  const findingsOf = new Map<string, Partial<Record<Severity, number>>>();
  for (const f of store.findings()) {
    const counts = findingsOf.get(f.nodeId) ?? {};
    const sev = f.severity as Severity;
    counts[sev] = (counts[sev] ?? 0) + 1;
    findingsOf.set(f.nodeId, counts);
  }
  const highValue = views.markedIds('high-value').map((id) => index.indexOf(id)).filter((v) => v >= 0);
  const tiers = computeTiers(index, highValue);
  const boundaries = new Map<string, NodeSummary>();
  const boundaryOf = (id: string | null): NodeSummary | undefined => {
    if (!id) return undefined;
    let b = boundaries.get(id);
    if (!b) boundaries.set(id, (b = views.summaryOf(id)));
    return b;
  };

  const rows: InventoryRow[] = [];
  for (const kind of INVENTORY_KINDS) {
    for (const n of store.nodesOfKind(kind)) {
      if (n.stub) continue;
      const creds = [...store.nodes(credentialsOf.get(n.id) ?? []).values()].filter((c) => !isTemporary(c));
      const activity: Activity = { events: 0 };
      for (const id of [n.id, ...creds.map((c) => c.id)]) {
        const a = activityOf.get(id);
        if (a) mergeActivity(activity, a);
      }
      const findings: Partial<Record<Severity, number>> = {};
      for (const id of [n.id, ...creds.map((c) => c.id)]) {
        for (const [sev, count] of Object.entries(findingsOf.get(id) ?? {})) findings[sev as Severity] = (findings[sev as Severity] ?? 0) + count;
      }
      const owner = ownerField(n, ownedBy.get(n.id), (id) => views.summaryOf(id).name);
      const { tier, reason } = tierOf(index, tiers, index.indexOf(n.id));
      const boundary = boundaryOf(n.boundary);
      rows.push({
        node: views.summary(n),
        kindLabel: NODE_KINDS[n.kind].label,
        ...(boundary ? { boundary } : {}),
        ...owner,
        credentials: credentialSummary(n, creds, views, now),
        tier,
        tierReason: reason,
        ...(activity.events > 0 ? { activity } : {}),
        findings,
        marks: views.marksOf(n.id),
      });
    }
  }
  return rows.sort(compareInventory);
}

/** Boundary name (rows without one last), then tier, then name and id: the same order every run. */
export function compareInventory(a: InventoryRow, b: InventoryRow): number {
  const ba = a.boundary?.name;
  const bb = b.boundary?.name;
  if (ba !== bb) return ba === undefined ? 1 : bb === undefined ? -1 : ba.localeCompare(bb);
  return TIER_ORDER.indexOf(a.tier) - TIER_ORDER.indexOf(b.tier) || a.node.name.localeCompare(b.node.name) || (a.node.id < b.node.id ? -1 : a.node.id > b.node.id ? 1 : 0);
}

function tierOf(index: GraphIndex, tiers: ReturnType<typeof computeTiers>, v: number): { tier: PrivilegeTier; reason: string } {
  if (v < 0) return { tier: 'none', reason: 'no traversable edge leaves it' };
  const name = (r: BackReach) => index.d.names[r.root[v]!] ?? '?';
  const steps = (r: BackReach) => r.steps[v]!;
  if (steps(tiers.admin) !== UNREACHED) return { tier: 'admin', reason: steps(tiers.admin) === 1 ? `${name(tiers.admin)}` : `${name(tiers.admin)}, through group membership` };
  if (steps(tiers.crown) !== UNREACHED) return { tier: 'reaches-high-value', reason: `reaches ${name(tiers.crown)} in ${plural(steps(tiers.crown), 'step')}` };
  if (steps(tiers.write) !== UNREACHED) return { tier: 'write', reason: steps(tiers.write) === 1 ? `write access to ${name(tiers.write)}` : `write access to ${name(tiers.write)} in ${plural(steps(tiers.write), 'step')}` };
  if (steps(tiers.read) !== UNREACHED) return { tier: 'read', reason: steps(tiers.read) === 1 ? `read access to ${name(tiers.read)}` : `read access to ${name(tiers.read)} in ${plural(steps(tiers.read), 'step')}` };
  return { tier: 'none', reason: 'no grant found in the case' };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function ownerField(n: StoredNode, owners: string[] | undefined, nameOf: (id: string) => string): Pick<InventoryRow, 'owner' | 'ownerSource'> {
  const field = n.props['owner'];
  if (typeof field === 'string' && field.trim()) return { owner: field, ownerSource: 'field' };
  const tag = ownerOf(n);
  if (tag) return { owner: tag, ownerSource: 'tag' };
  if (owners?.length) return { owner: [...new Set(owners.map(nameOf))].sort().join(', '), ownerSource: 'owner-edge' };
  return {};
}

/** Session keys seen in activity logs come and go by the hour: they are not credentials anyone rotates. */
function isTemporary(c: StoredNode): boolean {
  return c.props['temporary'] === true || /^aws:key:ASIA/.test(c.id);
}

function isActive(c: StoredNode): boolean {
  return c.props['active'] !== false && c.props['status'] !== 'Inactive';
}

function time(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

function credentialSummary(identity: StoredNode, creds: StoredNode[], views: Views, now: Date): InventoryRow['credentials'] {
  let active = 0;
  let compromised = 0;
  let neverUsed = 0;
  let overdue = 0;
  let oldest: number | undefined;
  let lastUsed = time(identity.props['lastUsedAt']);
  for (const c of creds) {
    if (views.marksOf(c.id).includes('compromised')) compromised++;
    const used = time(c.props['lastUsedAt']);
    if (used !== undefined && (lastUsed === undefined || used > lastUsed)) lastUsed = used;
    if (!isActive(c)) continue;
    active++;
    if (c.props['lastUsedAt'] === null) neverUsed++;
    const since = time(c.props['lastRotatedAt']) ?? time(c.props['createdAt']);
    if (since === undefined) continue;
    const days = Math.floor((now.getTime() - since) / DAY_MS);
    if (oldest === undefined || days > oldest) oldest = days;
    if (days > STALE_DAYS && c.props['managedBy'] !== 'system') overdue++;
  }
  return {
    total: creds.length,
    active,
    compromised,
    ...(oldest !== undefined ? { oldestDays: oldest } : {}),
    ...(lastUsed !== undefined ? { lastUsedAt: new Date(lastUsed).toISOString() } : {}),
    neverUsed,
    rotationOverdue: overdue,
  };
}

function mergeActivity(into: Activity, a: Activity): void {
  if (a.firstSeen && (!into.firstSeen || Date.parse(a.firstSeen) < Date.parse(into.firstSeen))) into.firstSeen = a.firstSeen;
  if (a.lastSeen && (!into.lastSeen || Date.parse(a.lastSeen) > Date.parse(into.lastSeen))) into.lastSeen = a.lastSeen;
  into.events += a.events;
}

/** "Now" for ages: the latest import, as the finding rules count (a report made later says the same). */
export function caseTime(store: CaseStore): Date {
  let latest = 0;
  for (const s of store.sources()) latest = Math.max(latest, Date.parse(s.importedAt) || 0);
  return latest ? new Date(latest) : new Date();
}
