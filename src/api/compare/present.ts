// A comparison's raw result (node and edge indexes) in the API's shapes: node summaries, edge sentences, ordered
// and bounded lists, counts that are always complete, and what was bounded said plainly.
import { present } from '../../analysis/compare/align.js';
import { ADDED, CHANGED, REMOVED } from '../../analysis/compare/edge-diff.js';
import { DEFAULT_MAX_ORIGINS, ORIGIN_COMPROMISED, ORIGIN_CREDENTIAL, type RawDiff } from '../../analysis/compare/compare.js';
import { NONE, UNCONDITIONAL } from '../../analysis/compare/reach-diff.js';
import type { BlastSide } from '../../analysis/compare/blast-diff.js';
import type { GraphState, StatementEdge } from '../../analysis/compare/state.js';
import type { GraphIndex } from '../../analysis/index/graph-index.js';
import { kShortestPaths } from '../../analysis/paths.js';
import type { MarkKind } from '../../model/fragment.js';
import { ACCESS_LEVELS, EDGE_KINDS, NODE_KINDS, type AccessLevel, type EdgeKind, type NodeCategory } from '../../model/kinds.js';
import type { FindingRow } from '../../store/case-store.js';
import type {
  AttackPath,
  BlastDelta,
  CaseDiff,
  ChangeCount,
  ChangeFamily,
  DiffBound,
  DiffLimits,
  DiffSide,
  EdgeChange,
  EdgeView,
  Finding,
  FindingChange,
  KeyRotation,
  NodeChange,
  NodeSummary,
  ReachChange,
  ReachStatus,
  Severity,
} from '../contract.js';

/** One side as the presenter needs it: its state, how it is described, and how its edges are shown. */
export interface PresentSide {
  state: GraphState;
  info: Omit<DiffSide, 'counts'>;
  /** The stored edge behind a graph-index edge, as the API shows edges (live cases); undefined for snapshots. */
  edgeView?: (e: number) => EdgeView | undefined;
  statementView?: (s: StatementEdge) => EdgeView | undefined;
}

export const DEFAULT_MAX_LISTED = 500;
export const DEFAULT_MAX_PATHS = 25;

const FAMILY: Partial<Record<string, ChangeFamily>> = {
  CAN_ASSUME: 'trust',
  FEDERATES_TO: 'trust',
  TRUSTS: 'trust',
  FEDERATION_REFUSED: 'trust',
  ADMIN_OF: 'grant',
  CAN_ACCESS: 'grant',
  CAN_ESCALATE: 'grant',
  CAN_READ_CREDENTIAL: 'grant',
  HAS_ROLE: 'grant',
  MEMBER_OF: 'membership',
  RUNS_AS: 'membership',
  OWNS: 'membership',
  AUTHENTICATES_AS: 'credential',
  EXPOSES: 'credential',
  OBSERVED_USE: 'activity',
};

export function familyOf(kind: string): ChangeFamily {
  return FAMILY[kind] ?? 'other';
}

/** Listing order of edge kinds: what hands over a boundary first, activity last. */
const KIND_RANK: Partial<Record<string, number>> = { ADMIN_OF: 0, CAN_ASSUME: 1, FEDERATES_TO: 1, TRUSTS: 2, FEDERATION_REFUSED: 2, CAN_ESCALATE: 3, CAN_READ_CREDENTIAL: 4, CAN_ACCESS: 5, HAS_ROLE: 6, MEMBER_OF: 7, RUNS_AS: 7, OWNS: 8, AUTHENTICATES_AS: 9, EXPOSES: 9, OBSERVED_USE: 11 };
const kindRank = (k: string) => KIND_RANK[k] ?? 10;
const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export function presentDiff(raw: RawDiff, before: PresentSide, after: PresentSide, limits: DiffLimits = {}, started = performance.now()): CaseDiff {
  const { al } = raw;
  const maxListed = limits.maxListed ?? DEFAULT_MAX_LISTED;
  const maxPaths = limits.maxPaths ?? DEFAULT_MAX_PATHS;
  const marksA = before.state.marks();
  const marksB = after.state.marks();
  const bounds: DiffBound[] = [];

  const summaryOn = (ix: GraphIndex, v: number, marks: Map<string, MarkKind[]>): NodeSummary => {
    const kind = ix.kindOf(v);
    const id = ix.id(v);
    if (!kind) return { id, kind: 'og_object', category: 'resource', provider: 'generic', name: id, stub: true, marks: marks.get(id) ?? [] };
    const spec = NODE_KINDS[kind];
    const b = ix.d.boundary[v]!;
    return { id, kind, category: spec.category, provider: spec.provider, name: ix.d.names[v]!, ...(b >= 0 ? { boundary: ix.id(b) } : {}), stub: ix.d.stub[v] === 1, marks: marks.get(id) ?? [] };
  };
  const cache = new Map<number, NodeSummary>();
  /** A global node as it is after, else as it was before. */
  const node = (g: number): NodeSummary => {
    let s = cache.get(g);
    if (s) return s;
    const y = al.bOfG[g]!;
    s = present(al.b, y) || g >= al.a.n ? summaryOn(al.b, y, marksB) : summaryOn(al.a, g, marksA);
    cache.set(g, s);
    return s;
  };
  const nodeBefore = (g: number): NodeSummary => (g < al.a.n ? summaryOn(al.a, g, marksA) : node(g));

  // --- nodes ---------------------------------------------------------------------------------------
  const nodeCounts: Partial<Record<NodeCategory, ChangeCount>> = {};
  const countNode = (c: NodeCategory, what: keyof ChangeCount) => {
    const x = (nodeCounts[c] ??= { added: 0, removed: 0, changed: 0 });
    x[what]++;
  };
  const nodeChanges: NodeChange[] = [];
  for (const g of raw.nodes.added) {
    const n = node(g);
    countNode(n.category, 'added');
    nodeChanges.push({ change: 'added', node: n });
  }
  for (const g of raw.nodes.removed) {
    const n = nodeBefore(g);
    countNode(n.category, 'removed');
    nodeChanges.push({ change: 'removed', node: n });
  }
  for (const c of raw.nodes.changed) {
    const n = node(c.g);
    const details: string[] = [];
    if (c.active) details.push(c.active.after ? 'reactivated' : 'deactivated');
    if (c.renamedFrom !== undefined) details.push(`renamed from ${c.renamedFrom}`);
    if (c.movedFrom !== undefined) details.push(`moved from ${c.movedFrom >= 0 ? nodeBefore(c.movedFrom).name : 'no boundary'} to ${c.movedTo !== undefined && c.movedTo >= 0 ? node(c.movedTo).name : 'no boundary'}`);
    countNode(n.category, 'changed');
    nodeChanges.push({ change: 'changed', node: n, details });
  }
  const NODE_RANK: Partial<Record<NodeCategory, number>> = { credential: 0, identity: 1, admin: 2, group: 3, boundary: 4, resource: 5, evidence: 6 };
  nodeChanges.sort((x, y) => (NODE_RANK[x.node.category] ?? 9) - (NODE_RANK[y.node.category] ?? 9) || x.change.localeCompare(y.change) || x.node.id.localeCompare(y.node.id));
  if (nodeChanges.length > maxListed) bounds.push({ what: 'nodes-listed', total: nodeChanges.length, included: maxListed, note: `${nodeChanges.length} node changes, the first ${maxListed} listed (credentials and identities first); the counts are complete` });

  // --- edges ---------------------------------------------------------------------------------------
  const edgeCounts: Partial<Record<ChangeFamily, ChangeCount>> = {};
  const countEdge = (kind: string, what: keyof ChangeCount) => {
    const x = (edgeCounts[familyOf(kind)] ??= { added: 0, removed: 0, changed: 0 });
    x[what]++;
  };
  const ec = raw.edges;
  const CHANGE_WORD = { [ADDED]: 'added', [REMOVED]: 'removed', [CHANGED]: 'changed' } as const;
  for (let i = 0; i < ec.length; i++) countEdge(al.kinds[ec.kind[i]!]!, CHANGE_WORD[ec.change[i] as 1 | 2 | 3]);
  const st = raw.statements;
  for (const e of st.added) countEdge(e.kind, 'added');
  for (const e of st.removed) countEdge(e.kind, 'removed');
  for (const c of st.changed) countEdge(c.after.kind, 'changed');
  const edgeTotal = ec.length + st.added.length + st.removed.length + st.changed.length;
  // Ordered cheaply by numbers first; only the entries listed become objects.
  const order = Array.from({ length: ec.length }, (_, i) => i);
  const levelOf = (i: number) => Math.max(ec.accessA[i]!, ec.accessB[i]!);
  order.sort((x, y) => kindRank(al.kinds[ec.kind[x]!]!) - kindRank(al.kinds[ec.kind[y]!]!) || levelOf(y) - levelOf(x) || ec.change[x]! - ec.change[y]! || ec.src[x]! - ec.src[y]! || ec.dst[x]! - ec.dst[y]!);
  const edgeChanges: EdgeChange[] = [];
  const statementList: { change: EdgeChange['change']; e: StatementEdge; before?: StatementEdge }[] = [
    ...st.added.map((e) => ({ change: 'added' as const, e })),
    ...st.removed.map((e) => ({ change: 'removed' as const, e })),
    ...st.changed.map((c) => ({ change: 'changed' as const, e: c.after, before: c.before })),
  ].sort((x, y) => kindRank(x.e.kind) - kindRank(y.e.kind) || x.change.localeCompare(y.change) || x.e.src.localeCompare(y.e.src) || x.e.dst.localeCompare(y.e.dst));
  // Traversable edges and raw statements interleaved by kind rank, up to the listing bound.
  let i = 0;
  let j = 0;
  while (edgeChanges.length < maxListed && (i < order.length || j < statementList.length)) {
    const takeEdge = j >= statementList.length || (i < order.length && kindRank(al.kinds[ec.kind[order[i]!]!]!) <= kindRank(statementList[j]!.e.kind));
    if (takeEdge) edgeChanges.push(edgeChange(order[i++]!));
    else edgeChanges.push(statementChange(statementList[j++]!));
  }
  if (edgeTotal > edgeChanges.length) bounds.push({ what: 'edges-listed', total: edgeTotal, included: edgeChanges.length, note: `${edgeTotal} edge changes, the first ${edgeChanges.length} listed (admin rights, trust and grants first); the counts are complete` });

  function edgeChange(k: number): EdgeChange {
    const change = CHANGE_WORD[ec.change[k] as 1 | 2 | 3];
    const kind = al.kinds[ec.kind[k]!]! as EdgeKind;
    const onB = ec.eB[k]! >= 0;
    const view = onB ? after.edgeView?.(ec.eB[k]!) : before.edgeView?.(ec.eA[k]!);
    const technique = view?.technique ?? (onB ? after.state.technique(ec.eB[k]!) : before.state.technique(ec.eA[k]!));
    const accessBefore = ec.accessA[k]! >= 0 ? ACCESS_LEVELS[ec.accessA[k]!] : undefined;
    const accessAfter = ec.accessB[k]! >= 0 ? ACCESS_LEVELS[ec.accessB[k]!] : undefined;
    const condText = (flag: number, v: EdgeView | undefined) => (flag === 1 ? (v?.conditional ?? 'a condition not decidable offline') : undefined);
    const viewBefore = change === 'changed' ? before.edgeView?.(ec.eA[k]!) : change === 'removed' ? view : undefined;
    const conditionBefore = condText(ec.condA[k]!, viewBefore);
    const conditionAfter = condText(ec.condB[k]!, onB ? view : undefined);
    const details: string[] = [];
    if (change === 'changed') {
      if (accessBefore !== accessAfter) details.push(`access ${accessBefore ?? 'none'} → ${accessAfter ?? 'none'}`);
      if (ec.condA[k] !== ec.condB[k]) details.push(ec.condB[k] === 1 ? 'now conditional' : 'no longer conditional');
    }
    return {
      change,
      family: familyOf(kind),
      kind,
      from: change === 'removed' ? nodeBefore(ec.src[k]!) : node(ec.src[k]!),
      to: change === 'removed' ? nodeBefore(ec.dst[k]!) : node(ec.dst[k]!),
      ...(technique ? { technique } : {}),
      reason: view?.reason ?? defaultReason(kind, technique),
      ...(accessBefore ? { accessBefore } : {}),
      ...(accessAfter ? { accessAfter } : {}),
      ...(conditionBefore ? { conditionBefore } : {}),
      ...(conditionAfter ? { conditionAfter } : {}),
      ...(details.length ? { details } : {}),
      ...(view ? { edge: view } : {}),
    };
  }

  function statementChange({ change, e, before: prior }: (typeof statementList)[number]): EdgeChange {
    const side = change === 'removed' ? before : after;
    const ix = side === before ? al.a : al.b;
    const marks = side === before ? marksA : marksB;
    const ends = (id: string): NodeSummary => {
      const v = ix.indexOf(id);
      return v >= 0 ? summaryOn(ix, v, marks) : { id, kind: 'og_object', category: 'resource', provider: 'generic', name: id, stub: true, marks: [] };
    };
    const view = side.statementView?.(e);
    const cond = (s: StatementEdge | undefined, v: EdgeView | undefined) => (s?.conditional ? (v?.conditional ?? 'a condition not decidable offline') : undefined);
    const conditionBefore = change === 'removed' ? cond(e, view) : change === 'changed' ? cond(prior, undefined) : undefined;
    const conditionAfter = change === 'removed' ? undefined : cond(e, view);
    return {
      change,
      family: familyOf(e.kind),
      kind: e.kind,
      from: ends(e.src),
      to: ends(e.dst),
      ...(e.technique ? { technique: e.technique } : {}),
      reason: view?.reason ?? defaultReason(e.kind, e.technique),
      ...(conditionBefore ? { conditionBefore } : {}),
      ...(conditionAfter ? { conditionAfter } : {}),
      ...(change === 'changed' ? { details: [e.conditional ? 'now conditional' : 'no longer conditional'] } : {}),
      ...(view ? { edge: view } : {}),
    };
  }

  // --- paths ---------------------------------------------------------------------------------------
  const r = raw.reach;
  const STATUS: ReachStatus[] = ['none', 'conditional', 'unconditional'];
  const changeOf = (x: number): ReachChange['change'] => {
    const a = r.before[x]!;
    const b = r.after[x]!;
    if (a === NONE) return 'appeared';
    if (b === NONE) return 'disappeared';
    return b === UNCONDITIONAL ? 'now-unconditional' : 'now-conditional';
  };
  const pathCounts = { appeared: 0, disappeared: 0, nowUnconditional: 0, nowConditional: 0, newAdminOrigins: 0, newAdminFromCompromised: 0, newAdminPaths: 0, lostAdminOrigins: 0 };
  const newAdmin = new Set<number>();
  const newAdminCompromised = new Set<number>();
  const lostAdmin = new Set<number>();
  for (let x = 0; x < r.length; x++) {
    const c = changeOf(x);
    if (c === 'appeared') pathCounts.appeared++;
    else if (c === 'disappeared') pathCounts.disappeared++;
    else if (c === 'now-unconditional') pathCounts.nowUnconditional++;
    else pathCounts.nowConditional++;
    if (!raw.targets.admin.has(r.target[x]!)) continue;
    if (c === 'appeared') {
      if (r.inheritedFrom[x]! >= 0) continue;
      pathCounts.newAdminPaths++;
      newAdmin.add(r.origin[x]!);
      if (raw.originClass[r.origin[x]!] === ORIGIN_COMPROMISED) newAdminCompromised.add(r.origin[x]!);
    } else if (c === 'disappeared') lostAdmin.add(r.origin[x]!);
  }
  pathCounts.newAdminOrigins = newAdmin.size;
  pathCounts.newAdminFromCompromised = newAdminCompromised.size;
  pathCounts.lostAdminOrigins = lostAdmin.size;
  const CHANGE_RANK = { appeared: 0, 'now-unconditional': 1, disappeared: 2, 'now-conditional': 3 };
  // One numeric key per pair (origin class, target class, change, inherited), then origin and target: 100k pairs
  // sort in a few milliseconds.
  const sortKey = new Float64Array(r.length);
  for (let x = 0; x < r.length; x++) {
    const cls = 3 - raw.originClass[r.origin[x]!]!;
    const tgt = raw.targets.admin.has(r.target[x]!) ? 0 : 1;
    sortKey[x] = ((cls * 2 + tgt) * 4 + CHANGE_RANK[changeOf(x)]) * 2 + (r.inheritedFrom[x]! >= 0 ? 1 : 0);
  }
  const reachOrder = Array.from({ length: r.length }, (_, x) => x);
  reachOrder.sort((x, y) => sortKey[x]! - sortKey[y]! || r.origin[x]! - r.origin[y]! || r.target[x]! - r.target[y]!);
  const listed = reachOrder.slice(0, maxListed);
  const paths: ReachChange[] = listed.map((x, rank) => {
    const change = changeOf(x);
    const o = r.origin[x]!;
    const t = r.target[x]!;
    const cls = raw.originClass[o]!;
    const entry: ReachChange = {
      change,
      origin: node(o),
      originClass: cls === ORIGIN_COMPROMISED ? 'compromised' : cls === ORIGIN_CREDENTIAL ? 'credential' : 'identity',
      target: node(t),
      targetClass: raw.targets.admin.has(t) ? 'admin' : 'high-value',
      before: { status: STATUS[r.before[x]!]!, ...(r.stepsBefore[x]! >= 0 ? { steps: r.stepsBefore[x]! } : {}) },
      after: { status: STATUS[r.after[x]!]!, ...(r.stepsAfter[x]! >= 0 ? { steps: r.stepsAfter[x]! } : {}) },
      ...(r.inheritedFrom[x]! >= 0 ? { inheritedFrom: node(r.inheritedFrom[x]!) } : {}),
    };
    if (rank < maxPaths) {
      // The path that appeared is shown as it is after; the one lost, as it was before.
      const onAfter = change === 'appeared' || change === 'now-unconditional';
      const path = renderPath(onAfter ? after : before, onAfter ? al.b : al.a, onAfter ? al.bOfG[o]! : o, onAfter ? al.bOfG[t]! : t, change === 'now-unconditional' || change === 'now-conditional', onAfter ? marksB : marksA);
      if (path) {
        entry.path = path;
        (onAfter ? entry.after : entry.before).steps = path.steps.length;
      }
    }
    return entry;
  });
  if (raw.targets.total > raw.targets.compared.length) {
    bounds.push({ what: 'paths-targets', total: raw.targets.total, included: raw.targets.compared.length, note: `${raw.targets.total} admin and high-value nodes are reached by something that changed; paths compared to the first ${raw.targets.compared.length} (admin nodes first)` });
  }
  if (r.length > listed.length) bounds.push({ what: 'paths-listed', total: r.length, included: listed.length, note: `${r.length} origin–target pairs changed, the first ${listed.length} listed (compromised and exposed credentials first); the counts are complete` });
  if (listed.length > maxPaths) bounds.push({ what: 'paths-rendered', total: listed.length, included: maxPaths, note: `steps shown for the first ${maxPaths} paths listed` });

  function renderPath(side: PresentSide, ix: GraphIndex, from: number, to: number, unconditional: boolean, marks: Map<string, MarkKind[]>): AttackPath | undefined {
    if (from < 0 || to < 0) return undefined;
    // Keyed by target: the distances to it are kept on the index and reused by the next path to the same node.
    const [p] = kShortestPaths(ix, from, (v) => v === to, { k: 1, targetKey: `node:${to}`, ...(unconditional ? { includeConditional: false } : {}) });
    if (!p) return undefined;
    const steps = p.edges.map((e, s) => ({
      edge: side.edgeView?.(e) ?? syntheticEdge(ix, side.state, e),
      from: summaryOn(ix, p.nodes[s]!, marks),
      to: summaryOn(ix, p.nodes[s + 1]!, marks),
    }));
    return { steps, conditional: p.conditionalSteps > 0, cost: steps.length };
  }

  // --- blast radius --------------------------------------------------------------------------------
  const toCounts = (s: BlastSide | null) => ({ identities: s?.identities ?? 0, credentials: s?.credentials ?? 0, resources: s?.resources ?? 0, admins: s?.admins.length ?? 0 });
  const blastRadius: BlastDelta[] = raw.blast.deltas.map((d) => {
    const a = d.before;
    const b = d.after;
    const adminsA = new Set(a?.admins ?? []);
    const adminsB = new Set(b?.admins ?? []);
    const boundaries = new Set([...(a?.byBoundary.keys() ?? []), ...(b?.byBoundary.keys() ?? [])]);
    const none = { identities: 0, resources: 0, credentials: 0, admin: false };
    const byBoundary: BlastDelta['byBoundary'] = [];
    for (const g of [...boundaries].sort((x, y) => x - y)) {
      const ta = a?.byBoundary.get(g) ?? { ...none, boundary: g };
      const tb = b?.byBoundary.get(g) ?? { ...none, boundary: g };
      if (ta.identities === tb.identities && ta.resources === tb.resources && ta.credentials === tb.credentials && ta.admin === tb.admin) continue;
      const strip = ({ identities, resources, credentials, admin }: typeof ta) => ({ identities, resources, credentials, admin });
      byBoundary.push({ boundary: node(g), before: strip(ta), after: strip(tb) });
    }
    const byAccessLevel: BlastDelta['byAccessLevel'] = [];
    for (const level of ACCESS_LEVELS) {
      const x = a?.byAccessLevel[level] ?? 0;
      const y = b?.byAccessLevel[level] ?? 0;
      if (x !== y) byAccessLevel.push({ level: level as AccessLevel, before: x, after: y });
    }
    return {
      origin: node(d.origin),
      originClass: raw.originClass[d.origin] === ORIGIN_COMPROMISED ? 'compromised' : 'credential',
      presence: a && b ? 'both' : b ? 'added' : 'removed',
      before: toCounts(a),
      after: toCounts(b),
      adminGained: [...adminsB].filter((g) => !adminsA.has(g)).map(node),
      adminLost: [...adminsA].filter((g) => !adminsB.has(g)).map(nodeBefore),
      byBoundary,
      byAccessLevel,
    };
  });
  const size = (c: { identities: number; credentials: number; resources: number; admins: number }) => c.identities + c.credentials + c.resources + c.admins * 1e6;
  const blastSummary = {
    grew: blastRadius.filter((d) => size(d.after) > size(d.before)).length,
    shrank: blastRadius.filter((d) => size(d.after) < size(d.before)).length,
    adminGained: blastRadius.filter((d) => d.adminGained.length > 0).length,
    adminLost: blastRadius.filter((d) => d.adminLost.length > 0).length,
    affected: raw.blast.affected,
    compared: raw.blast.compared,
  };
  if (raw.blast.affected > raw.blast.compared) {
    bounds.push({
      what: 'blast-origins',
      total: raw.blast.affected,
      included: raw.blast.compared,
      note: `${raw.blast.affected} credentials reach something that changed; blast radius compared for ${raw.blast.compared} of them (compromised and exposed first, then those whose admin reach changed; raise the limit with maxOrigins, default ${DEFAULT_MAX_ORIGINS})`,
    });
  }

  // --- findings and rotations ----------------------------------------------------------------------
  const findingView = (f: FindingRow, side: 'a' | 'b'): Finding => {
    const ix = side === 'a' ? al.a : al.b;
    const v = ix.indexOf(f.nodeId);
    return { ...f, severity: f.severity as Severity, ...(v >= 0 && present(ix, v) ? { node: summaryOn(ix, v, side === 'a' ? marksA : marksB) } : {}) };
  };
  const findings: FindingChange[] = [
    ...raw.findings.added.map((f) => ({ change: 'new' as const, finding: findingView(f, 'b') })),
    ...raw.findings.fixed.map((f) => ({ change: 'fixed' as const, finding: findingView(f, 'a') })),
    ...raw.findings.changed.map(({ before: fa, after: fb }) => {
      const details: string[] = [];
      if (fa.severity !== fb.severity) details.push(`severity ${fa.severity} → ${fb.severity}`);
      if (fa.title !== fb.title) details.push(`was: ${fa.title}`);
      return { change: 'changed' as const, finding: findingView(fb, 'b'), before: findingView(fa, 'a'), details };
    }),
  ].sort((x, y) => SEVERITY_ORDER.indexOf(x.finding.severity) - SEVERITY_ORDER.indexOf(y.finding.severity) || x.change.localeCompare(y.change) || x.finding.title.localeCompare(y.finding.title));
  const bySeverity = (list: FindingRow[]) => {
    const out: Partial<Record<Severity, number>> = {};
    for (const f of list) out[f.severity as Severity] = (out[f.severity as Severity] ?? 0) + 1;
    return out;
  };
  const rotations: KeyRotation[] = raw.rotations.map((rot) => ({
    holder: node(rot.holder),
    retired: rot.retired.map((x) => ({ credential: nodeBefore(x.g), how: x.how })),
    introduced: rot.introduced.map(node),
  }));

  const sideOf = (s: PresentSide): DiffSide => {
    let nodes = 0;
    for (let v = 0; v < s.state.index.n; v++) if (s.state.index.d.nodeKind[v] !== 0) nodes++;
    return { ...s.info, counts: { nodes, edges: s.state.index.m, findings: s.state.findings().length } };
  };
  return {
    before: sideOf(before),
    after: sideOf(after),
    summary: {
      nodes: nodeCounts,
      edges: edgeCounts,
      paths: pathCounts,
      blastRadius: blastSummary,
      findings: { new: raw.findings.added.length, fixed: raw.findings.fixed.length, changed: raw.findings.changed.length, newBySeverity: bySeverity(raw.findings.added), fixedBySeverity: bySeverity(raw.findings.fixed) },
      keysRotated: rotations.length,
    },
    nodes: nodeChanges.slice(0, maxListed),
    edges: edgeChanges,
    paths,
    blastRadius,
    findings,
    rotations,
    bounds,
    elapsedMs: Math.round(performance.now() - started),
  };
}

function defaultReason(kind: EdgeKind, technique: string | undefined): string {
  const spec = EDGE_KINDS[kind] as { description: string } | undefined;
  return `${spec?.description ?? kind}${technique ? ` (${technique})` : ''}`;
}

/** An edge of a snapshot: its row is gone, so it is described from what the snapshot kept. */
function syntheticEdge(ix: GraphIndex, state: GraphState, e: number): EdgeView {
  const kind = ix.edgeKindOf(e);
  const technique = state.technique(e);
  const level = ix.d.access[e]!;
  const conditional = ix.isConditional(e);
  const spec = EDGE_KINDS[kind] as { origin: string } | undefined;
  return {
    id: ix.d.edgeId[e]!,
    from: ix.id(ix.sourceOf(e)),
    to: ix.id(ix.d.targets[e]!),
    kind,
    derived: spec?.origin === 'derived',
    observed: spec?.origin === 'observed',
    reason: defaultReason(kind, technique),
    ...(technique ? { technique } : {}),
    ...(conditional ? { conditional: 'a condition not decidable offline (the snapshot keeps no condition text)' } : {}),
    ...(level >= 0 ? { accessLevel: ACCESS_LEVELS[level]! } : {}),
    evidence: [],
    props: {},
  };
}

