// The tables Blastmap hands out, one definition each: the engine API's answers (findings, a blast radius, paths, a
// containment plan, the inventory, triage) turned into rows. CSV and JSON come from the same columns (table.ts).
import type { AttackPath, BlastRadius, BoundaryCount, ContainmentCut, ContainmentPlan, EdgeView, Evidence, Finding, InventoryRow, Json, NodeSummary, ReachedNode, ReachedResource, TriageRow } from '../api/contract.js';
import { col, dual, type Cell, type TableDef } from './table.js';

/** Evidence as one cell: CSV gets "summary (where)" joined by " | ", JSON the pieces themselves. */
export function evidenceCell(list: readonly Evidence[]): Cell {
  return list.map((e) => ({ type: e.type, summary: e.summary, ...(e.location ? { location: e.location } : {}), ...(e.data !== undefined ? { data: e.data } : {}) }));
}

/** The plain-text form of evidence, for CSV where a JSON blob would be unreadable. */
export function evidenceText(list: readonly Evidence[]): string {
  return list.map((e) => (e.location ? `${e.summary} (${e.location})` : e.summary)).join(' | ');
}

const nodeCols = <R>(prefix: string, get: (r: R) => NodeSummary | undefined) => [
  col<R>(`${prefix}id`, (r) => get(r)?.id),
  col<R>(`${prefix}name`, (r) => get(r)?.name),
  col<R>(`${prefix}kind`, (r) => get(r)?.kind),
];

// --- findings ---------------------------------------------------------------------------------------

export const FINDINGS_TABLE: TableDef<Finding> = {
  name: 'findings',
  columns: [
    col('id', (f) => f.id),
    col('severity', (f) => f.severity),
    col('rule', (f) => f.rule),
    col('title', (f) => f.title),
    col('node_id', (f) => f.nodeId),
    col('node_name', (f) => f.node?.name),
    col('node_kind', (f) => f.node?.kind),
    col('boundary', (f) => f.node?.boundary),
    col('summary', (f) => f.summary),
    col('remediation', (f) => f.remediation),
    dual('evidence', (f) => evidenceCell(f.evidence), (f) => evidenceText(f.evidence)),
  ],
};

// --- blast radius -------------------------------------------------------------------------------------

export type BlastList = 'admins' | 'identities' | 'credentials' | 'resources';
export interface ReachedRow {
  list: BlastList;
  reached: ReachedNode & Partial<Pick<ReachedResource, 'accessLevel' | 'via'>>;
}

export function blastRows(br: BlastRadius, list: BlastList | 'all' = 'all'): ReachedRow[] {
  const lists: BlastList[] = list === 'all' ? ['admins', 'identities', 'credentials', 'resources'] : [list];
  const out: ReachedRow[] = [];
  for (const l of lists) {
    const items = [...br[l]].sort((a, b) => a.depth - b.depth || a.node.name.localeCompare(b.node.name) || (a.node.id < b.node.id ? -1 : 1));
    for (const r of items) out.push({ list: l, reached: r });
  }
  return out;
}

const LIST_ROW: Record<BlastList, string> = { admins: 'admin', identities: 'identity', credentials: 'credential', resources: 'resource' };

export const BLAST_TABLE: TableDef<ReachedRow> = {
  name: 'blast-radius',
  columns: [
    col('list', (r) => LIST_ROW[r.list]),
    ...nodeCols<ReachedRow>('', (r) => r.reached.node),
    col('provider', (r) => r.reached.node.provider),
    col('boundary', (r) => r.reached.node.boundary),
    col('depth', (r) => r.reached.depth),
    col('conditional', (r) => r.reached.conditional),
    col('access_level', (r) => r.reached.accessLevel),
    col('via', (r) => r.reached.via),
    col('marks', (r) => r.reached.node.marks),
    dual('path', (r) => r.reached.path, (r) => r.reached.path.join(' > ')),
  ],
};

export const BLAST_BOUNDARIES_TABLE: TableDef<BoundaryCount> = {
  name: 'blast-radius-boundaries',
  columns: [
    ...nodeCols<BoundaryCount>('boundary_', (b) => b.boundary),
    col('admin', (b) => b.admin),
    col('identities', (b) => b.identities),
    col('credentials', (b) => b.credentials),
    col('resources', (b) => b.resources),
  ],
};

// --- paths --------------------------------------------------------------------------------------------

export interface PathStepRow {
  path: number;
  step: number;
  of: AttackPath;
  edge: EdgeView;
  from: NodeSummary;
  to: NodeSummary;
}

export function pathRows(paths: readonly AttackPath[]): PathStepRow[] {
  return paths.flatMap((p, i) => p.steps.map((s, j) => ({ path: i + 1, step: j + 1, of: p, edge: s.edge, from: s.from, to: s.to })));
}

const edgeCols = <R>(get: (r: R) => EdgeView): TableDef<R>['columns'] => [
  col<R>('edge_id', (r) => get(r).id),
  col<R>('edge_kind', (r) => get(r).kind),
  col<R>('technique', (r) => get(r).technique),
  col<R>('access_level', (r) => get(r).accessLevel),
  col<R>('conditional', (r) => get(r).conditional),
  col<R>('reason', (r) => get(r).reason),
  col<R>('source', (r) => get(r).source?.fileName),
  dual<R>('evidence', (r) => evidenceCell(get(r).evidence), (r) => evidenceText(get(r).evidence)),
];

export const PATHS_TABLE: TableDef<PathStepRow> = {
  name: 'paths',
  columns: [
    col('path', (r) => r.path),
    col('step', (r) => r.step),
    col('steps', (r) => r.of.steps.length),
    col('path_conditional', (r) => r.of.conditional),
    ...nodeCols<PathStepRow>('from_', (r) => r.from),
    ...nodeCols<PathStepRow>('to_', (r) => r.to),
    ...edgeCols<PathStepRow>((r) => r.edge),
  ],
};

// --- containment --------------------------------------------------------------------------------------

export interface CutRow {
  step: number;
  cut: ContainmentCut;
  done: boolean;
}

export function cutRows(plan: ContainmentPlan, done: readonly number[] = []): CutRow[] {
  return plan.cuts.map((cut, i) => ({ step: i + 1, cut, done: done.includes(i) }));
}

export const CONTAINMENT_TABLE: TableDef<CutRow> = {
  name: 'containment',
  columns: [
    col('step', (r) => r.step),
    col('done', (r) => r.done),
    col('action', (r) => r.cut.action),
    col('cost', (r) => r.cut.cost),
    col('paths_cut', (r) => r.cut.pathsCut),
    ...nodeCols<CutRow>('from_', (r) => r.cut.from),
    ...nodeCols<CutRow>('to_', (r) => r.cut.to),
    ...edgeCols<CutRow>((r) => r.cut.edge),
    dual(
      'also_removes',
      (r) => (r.cut.alsoRemoves ?? []).map((e): Json => ({ edge_id: e.id, kind: e.kind, reason: e.reason, ...(e.source ? { source: e.source.fileName } : {}) })),
      (r) => (r.cut.alsoRemoves ?? []).map((e) => `${e.kind}: ${e.reason}${e.source ? ` (${e.source.fileName})` : ''}`).join(' | '),
    ),
  ],
};

// --- inventory and triage -------------------------------------------------------------------------------

const SEVERITY_COLS = (['critical', 'high', 'medium', 'low'] as const).map((s) => col<InventoryRow>(`findings_${s}`, (r) => r.findings[s] ?? 0));

export const INVENTORY_TABLE: TableDef<InventoryRow> = {
  name: 'inventory',
  columns: [
    ...nodeCols<InventoryRow>('', (r) => r.node),
    col('kind_label', (r) => r.kindLabel),
    col('provider', (r) => r.node.provider),
    col('boundary_id', (r) => r.boundary?.id),
    col('boundary_name', (r) => r.boundary?.name),
    col('owner', (r) => r.owner ?? 'none'),
    col('owner_source', (r) => r.ownerSource),
    col('tier', (r) => r.tier),
    col('tier_reason', (r) => r.tierReason),
    col('credentials', (r) => r.credentials.total),
    col('credentials_active', (r) => r.credentials.active),
    col('credentials_compromised', (r) => r.credentials.compromised),
    col('oldest_credential_days', (r) => r.credentials.oldestDays),
    col('last_used', (r) => r.credentials.lastUsedAt),
    col('never_used', (r) => r.credentials.neverUsed),
    col('rotation_overdue', (r) => r.credentials.rotationOverdue),
    col('activity_first_seen', (r) => r.activity?.firstSeen),
    col('activity_last_seen', (r) => r.activity?.lastSeen),
    col('activity_events', (r) => r.activity?.events ?? 0),
    ...SEVERITY_COLS,
    col('marks', (r) => r.marks),
  ],
};

const names = (list: readonly NodeSummary[]) => list.map((n) => n.name);

export const TRIAGE_TABLE: TableDef<TriageRow> = {
  name: 'triage',
  columns: [
    col('rank', (r) => r.rank),
    col('score', (r) => r.score),
    ...nodeCols<TriageRow>('', (r) => r.node),
    col('holders', (r) => names(r.holders)),
    col('status', (r) => r.status),
    col('last_used', (r) => r.lastUsedAt),
    col('exposed_at', (r) => r.exposedAt),
    col('used_after_exposure', (r) => r.usedAfterExposure?.lastSeen),
    col('events_after_exposure', (r) => r.usedAfterExposure?.events ?? 0),
    col('admin_of', (r) => names(r.reach.adminOf)),
    col('high_value', (r) => names(r.reach.highValue)),
    col('resources', (r) => r.reach.resources),
    col('permissions_management', (r) => r.reach.byAccessLevel['Permissions management'] ?? 0),
    col('write', (r) => r.reach.byAccessLevel.Write ?? 0),
    col('tagging', (r) => r.reach.byAccessLevel.Tagging ?? 0),
    col('read', (r) => r.reach.byAccessLevel.Read ?? 0),
    col('list', (r) => r.reach.byAccessLevel.List ?? 0),
    col('identities', (r) => r.reach.identities),
    col('credentials', (r) => r.reach.credentials),
    col('containment_cost', (r) => r.containment?.cost),
    col('containment_cuts', (r) => r.containment?.cuts),
    col('first_action', (r) => r.containment?.firstAction),
    dual('score_explained', (r) => r.scoreParts.map((p): Json => ({ label: p.label, points: p.points })), (r) => r.scoreParts.map((p) => `${p.points > 0 ? '+' : ''}${p.points} ${p.label}`).join('; ')),
    col('reasons', (r) => r.reasons),
  ],
};
