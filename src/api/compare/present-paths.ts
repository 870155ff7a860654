// Paths that appeared, disappeared or changed condition, in the API's shapes: complete counts, pairs ordered
// (compromised origins, admin targets and genuine new ways in first) and bounded, the first ones rendered step by step
// on the side that has them.
import { NONE, UNCONDITIONAL } from '../../analysis/compare/reach-diff.js';
import { ORIGIN_COMPROMISED, ORIGIN_CREDENTIAL } from '../../analysis/compare/compare.js';
import type { GraphIndex } from '../../analysis/index/graph-index.js';
import { kShortestPaths } from '../../analysis/paths.js';
import type { MarkKind } from '../../model/fragment.js';
import type { AttackPath, DiffBound, DiffSummary, ReachChange, ReachStatus } from '../contract.js';
import { summaryOn, syntheticEdge, type PresentContext, type PresentSide } from './present-context.js';

export function presentPaths(ctx: PresentContext, maxListed: number, maxPaths: number, bounds: DiffBound[]): { paths: ReachChange[]; counts: DiffSummary['paths'] } {
  const { raw, before, after, node, marksA, marksB } = ctx;
  const { al } = raw;
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

  return { paths, counts: pathCounts };
}
