// A comparison's raw result (node and edge indexes) in the API's shapes: node summaries, edge sentences, ordered
// and bounded lists, counts that are always complete, and what was bounded said plainly. Edges and paths have files
// of their own (present-edges.ts, present-paths.ts).
import type { BlastSide } from '../../analysis/compare/blast-diff.js';
import { REACHED_ACCESS_LEVELS } from '../../analysis/blast-radius.js';
import { DEFAULT_MAX_ORIGINS, ORIGIN_COMPROMISED, type RawDiff } from '../../analysis/compare/compare.js';
import { present } from '../../analysis/compare/align.js';
import type { NodeCategory } from '../../model/kinds.js';
import type { FindingRow } from '../../store/case-store.js';
import type { BlastDelta, CaseDiff, ChangeCount, DiffBound, DiffLimits, DiffSide, Finding, FindingChange, KeyRotation, NodeChange, Severity } from '../contract.js';
import { presentContext, summaryOn, type PresentSide } from './present-context.js';
import { presentEdges } from './present-edges.js';
import { presentPaths } from './present-paths.js';
import { findingOf } from '../views.js';

export type { PresentSide } from './present-context.js';
export { familyOf } from './present-context.js';

export const DEFAULT_MAX_LISTED = 500;
export const DEFAULT_MAX_PATHS = 25;

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export function presentDiff(raw: RawDiff, before: PresentSide, after: PresentSide, limits: DiffLimits = {}, started = performance.now()): CaseDiff {
  const { al } = raw;
  const maxListed = limits.maxListed ?? DEFAULT_MAX_LISTED;
  const maxPaths = limits.maxPaths ?? DEFAULT_MAX_PATHS;
  const bounds: DiffBound[] = [];
  const ctx = presentContext(raw, before, after);
  const { node, nodeBefore, marksA, marksB } = ctx;

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

  const { edges: edgeChanges, counts: edgeCounts } = presentEdges(ctx, maxListed, bounds);
  const { paths, counts: pathCounts } = presentPaths(ctx, maxListed, maxPaths, bounds);

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
    for (const level of REACHED_ACCESS_LEVELS) {
      const x = a?.byAccessLevel[level] ?? 0;
      const y = b?.byAccessLevel[level] ?? 0;
      if (x !== y) byAccessLevel.push({ level, before: x, after: y });
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
    return findingOf(f, v >= 0 && present(ix, v) ? summaryOn(ix, v, side === 'a' ? marksA : marksB) : undefined);
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
