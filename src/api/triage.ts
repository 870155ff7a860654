// Triage: every compromised or exposed credential ranked by what it reaches, with its state, its exposure, the use
// activity logs show after the exposure and what containing it costs. The score is explained part by part
// (analysis/triage-score.ts); ties break on admin boundaries, then id, so the order is the same every run.
import { triageScore } from '../analysis/triage-score.js';
import type { CaseStore, StoredNode } from '../store/case-store.js';
import type { AnalysisViews } from './analysis.js';
import type { TraversalOptions, TriageRow } from './contract.js';
import type { Views } from './views.js';

/** Containment plans are computed for this many rows, best first (a plan is a max-flow over the routes). */
export const TRIAGE_CONTAINMENT_ROWS = 200;

export function buildTriage(store: CaseStore, views: Views, analysis: AnalysisViews, opts: TraversalOptions = {}): TriageRow[] {
  const candidates = new Map<string, StoredNode>();
  const reasons = new Map<string, string[]>();
  const exposed = new Map<string, number>();
  const addReason = (id: string, text: string) => {
    const list = reasons.get(id) ?? [];
    if (!list.includes(text)) list.push(text);
    reasons.set(id, list);
  };
  for (const e of store.edgesOfKind('EXPOSES')) {
    const leak = store.node(e.src);
    const cred = store.node(e.dst);
    if (!cred) continue;
    candidates.set(cred.id, cred);
    const p = leak?.props ?? {};
    const when = typeof p['date'] === 'string' ? Date.parse(p['date']) : NaN;
    if (!Number.isNaN(when)) exposed.set(cred.id, Math.min(exposed.get(cred.id) ?? Infinity, when));
    addReason(cred.id, `exposed: ${leak?.name ?? e.src}${typeof p['scanner'] === 'string' ? ` (${p['scanner']}${typeof p['date'] === 'string' ? `, ${p['date']}` : ''})` : ''}`);
  }
  for (const m of store.activeMarks()) {
    if (m.mark !== 'compromised') continue;
    const n = store.node(m.nodeId);
    if (!n || n.kind === 'leak') continue;
    candidates.set(n.id, n);
    // A person's mark is when they learned of it. A scanner's mark is when its report was imported, not when the
    // secret was exposed: a leak with no date (a gitleaks finding outside git) leaves the exposure time unknown.
    if (!exposed.has(n.id) && m.sourceId === null) {
      const at = Date.parse(m.at);
      if (!Number.isNaN(at)) exposed.set(n.id, at);
    }
    // A scanner's mark repeats its leak; a person's mark says who and why.
    if (m.sourceId === null) addReason(n.id, `marked compromised by ${m.by} at ${m.at}${m.note ? `: ${m.note}` : ''}`);
    else if (!reasons.has(n.id)) addReason(n.id, `marked compromised${m.note ? `: ${m.note}` : ''}`);
  }

  const rows: Omit<TriageRow, 'rank'>[] = [];
  for (const n of candidates.values()) {
    const br = analysis.blastRadius(n.id, opts);
    const adminOf = br.byBoundary.filter((b) => b.admin).map((b) => b.boundary);
    const highValue = [...br.identities, ...br.credentials, ...br.resources, ...br.admins].filter((r) => r.node.marks.includes('high-value')).map((r) => r.node);
    const stated = Object.values(br.byAccessLevel).reduce((a, b) => a + (b ?? 0), 0);
    const exposedAt = exposed.get(n.id);
    const after = exposedAt === undefined ? undefined : useAfter(store, n.id, exposedAt);
    const status = statusOf(n);
    const { score, parts } = triageScore({
      adminBoundaries: adminOf.length,
      highValue: highValue.length,
      byAccessLevel: br.byAccessLevel,
      unstatedAccess: br.resources.length - stated,
      identities: br.identities.length,
      credentials: br.credentials.length,
      status,
      usedAfterExposure: after !== undefined,
    });
    const lastUsed = n.props['lastUsedAt'];
    rows.push({
      node: views.summary(n),
      holders: [...new Set(store.edgesOf(n.id, 'out', 50, 'AUTHENTICATES_AS').map((e) => e.dst))].map((id) => views.summaryOf(id)),
      reasons: reasons.get(n.id) ?? [],
      status,
      ...(typeof lastUsed === 'string' || lastUsed === null ? { lastUsedAt: lastUsed } : {}),
      ...(exposedAt !== undefined ? { exposedAt: new Date(exposedAt).toISOString() } : {}),
      ...(after ? { usedAfterExposure: after } : {}),
      reach: { adminOf, highValue, byAccessLevel: br.byAccessLevel, unstatedAccess: br.resources.length - stated, identities: br.identities.length, credentials: br.credentials.length, resources: br.resources.length },
      score,
      scoreParts: parts,
    });
  }
  rows.sort((a, b) => b.score - a.score || b.reach.adminOf.length - a.reach.adminOf.length || (a.node.id < b.node.id ? -1 : a.node.id > b.node.id ? 1 : 0));
  return rows.map((r, i) => {
    const row: TriageRow = { rank: i + 1, ...r };
    if (i < TRIAGE_CONTAINMENT_ROWS) {
      const plan = analysis.containment(r.node.id, undefined, opts);
      row.containment = { cost: plan.cost, cuts: plan.cuts.length, pathsBefore: plan.pathsBefore, pathsAfter: plan.pathsAfter, ...(plan.cuts[0] ? { firstAction: plan.cuts[0].action } : {}) };
    }
    return row;
  });
}

export function statusOf(n: StoredNode): TriageRow['status'] {
  const p = n.props;
  if (p['active'] === false || p['status'] === 'Inactive' || p['revoked'] === true) return 'inactive';
  if (p['active'] === true || p['status'] === 'Active') return 'active';
  return 'unknown';
}

/**
 * Observed use of the credential whose last sighting is after the exposure, merged across log files. `events` counts
 * whole sightings (a log file's edge), so a sighting that straddles the exposure counts in full.
 */
function useAfter(store: CaseStore, id: string, exposedAt: number): TriageRow['usedAfterExposure'] {
  let out: NonNullable<TriageRow['usedAfterExposure']> | undefined;
  for (const e of store.edgesOf(id, 'out', 10_000, 'OBSERVED_USE')) {
    const last = e.lastSeen ?? e.firstSeen;
    if (!last || Date.parse(last) <= exposedAt) continue;
    out ??= { lastSeen: last, events: 0, actions: [] };
    if (Date.parse(last) > Date.parse(out.lastSeen)) out.lastSeen = last;
    // A sighting that began before the exposure says nothing of when use after it began.
    const first = e.firstSeen && Date.parse(e.firstSeen) > exposedAt ? e.firstSeen : undefined;
    if (first && (!out.firstSeen || Date.parse(first) < Date.parse(out.firstSeen))) out.firstSeen = first;
    out.events += typeof e.props.count === 'number' ? e.props.count : 1;
    for (const a of Array.isArray(e.props.actions) ? e.props.actions : []) if (typeof a === 'string' && !out.actions.includes(a) && out.actions.length < 20) out.actions.push(a);
  }
  return out;
}
