// The finding PMapper and BloodHound lead with: an identity that is not admin of any boundary but can become one,
// over steps the case shows (assume a role, escalate through a technique, act as a workload's identity). It needs
// the whole graph, so it is computed on the graph index once an import has built it — two walks back from the admin
// nodes over typed arrays — instead of as a derivation rule reading the case node by node.
import { EDGE_KINDS, NODE_KINDS, type NodeKind } from '../model/kinds.js';
import type { FindingRow } from '../store/types.js';
import { findingId } from './derive.js';
import { edgeMask } from './index/filter.js';
import type { GraphIndex } from './index/graph-index.js';
import { adminMask, reachAdmins, slotsOf, type AdminReach } from './admin-reach.js';
import { adminTier, reachBack, UNREACHED, type BackReach } from './tiers.js';

/** An identity that is not admin-equivalent but reaches the admin node of a boundary over the steps the case shows. */
export const ESCALATION_RULE = {
  id: 'escalation-to-admin',
  severity: 'high',
  remediation: 'Cut the first step of each route (`blastmap paths <identity> --to admin`, or Plan containment in the app): remove the permission or the trust it uses, or the admin rights of the identity it leads to.',
} as const;

/**
 * Identities reported elsewhere or through others: an AWS service principal and an identity provider (the roles
 * they can assume are), anyone on the internet (aws-public-resource), pods, workloads and a cluster's nodes (they run
 * as a service account, which is reported; a pod per replica would repeat it).
 */
export const NOT_SUBJECTS: ReadonlySet<NodeKind> = new Set(['aws_service', 'aws_identity_provider', 'anyone', 'k8s_pod', 'k8s_workload', 'k8s_node']);

/**
 * The rule's findings over an index: one per identity that can become admin (high; medium when only conditionally).
 * `techniqueOf` names the technique an edge uses (read from the case for the first step of each finding only).
 */
export function escalationFindings(index: GraphIndex, techniqueOf: (e: number) => string | undefined = () => undefined): FindingRow[] {
  const admins = index.adminNodes();
  if (!admins.length) return [];
  const seeds = admins.map((v) => ({ node: v, root: v, steps: 0 }));
  const definiteMask = edgeMask(index, { includeConditional: false });
  const definite = reachBack(index, seeds, definiteMask ? (e) => definiteMask[e] === 1 : () => true);
  // With no conditional edge in the case, the walk over every edge is the definite one.
  const possible = definiteMask ? reachBack(index, seeds, () => true) : definite;
  // Admin already (ADMIN_OF, directly or through groups): what it holds is admin-credential's and the others' to say.
  const held = adminTier(index);
  // The other admin nodes each can reach (a few, over any edge), named beside the nearest: an AWS role that is also
  // mapped into a cluster can become admin of both.
  // Walked when the first finding needs it (most cases with many admin nodes have few escalations).
  let also: AdminReach | null | undefined = admins.length > 1 ? undefined : null;
  const alsoReach = (): AdminReach | null => {
    if (also === undefined) also = reachAdmins(index, admins, adminMask(index, admins), () => true);
    return also;
  };
  const out: FindingRow[] = [];
  for (let v = 0; v < index.n; v++) {
    const kind = index.kindOf(v);
    if (!kind || NODE_KINDS[kind].category !== 'identity' || NOT_SUBJECTS.has(kind) || held.steps[v] !== UNREACHED) continue;
    const sure = definite.steps[v] !== UNREACHED;
    const reach = sure ? definite : possible;
    if (reach.steps[v] === UNREACHED) continue;
    const known = alsoReach();
    const others = known ? slotsOf(known, v).filter((a) => a !== reach.root[v]) : [];
    out.push(finding(index, v, reach, sure, definiteMask, techniqueOf, others));
  }
  return out;
}

function finding(index: GraphIndex, v: number, reach: BackReach, sure: boolean, definiteMask: Uint8Array | null, techniqueOf: (e: number) => string | undefined, others: number[]): FindingRow {
  const steps = reach.steps[v]!;
  const admin = reach.root[v]!;
  const who = `${NODE_KINDS[index.kindOf(v)!].label} ${index.name(v)}`;
  const title = `${who} ${sure ? 'can' : 'may'} become ${index.name(admin)} in ${stepCount(steps)}${sure ? '' : ' (conditional)'}`;
  const first = firstStep(index, v, reach, sure ? definiteMask : null);
  const step = first ? stepText(index, first, techniqueOf) : '';
  const how = `${first ? `Its first step: it ${step}.` : ''}${others.length ? ` It can also become ${others.map((a) => index.name(a)).join(', ')}.` : ''}`;
  const summary = `${who} is not admin-equivalent, yet ${stepCount(steps)} lead it to ${index.name(admin)}${sure ? '' : ', over a step possible only if its condition holds (not decidable offline)'}. ${how} Every route, with the evidence of each step: blastmap paths "${index.id(v)}" --to admin.`;
  return routeFinding(ESCALATION_RULE, index, { from: v, to: admin, steps, sure, step }, title, summary);
}

/**
 * A finding about a route to an admin node (escalation-to-admin, admin-crosses-boundary): medium when the route
 * needs a condition, with the route as evidence (`data` adds to its record).
 */
export function routeFinding(
  rule: { id: string; severity: 'high'; remediation: string },
  index: GraphIndex,
  route: { from: number; to: number; steps: number; sure: boolean; step: string },
  title: string,
  summary: string,
  data: Record<string, string[]> = {},
): FindingRow {
  const { from, to, steps, step } = route;
  return {
    id: findingId(rule.id, index.id(from), title),
    rule: rule.id,
    severity: route.sure ? rule.severity : 'medium',
    nodeId: index.id(from),
    title,
    summary,
    evidence: [{ type: 'route', summary: `${stepCount(steps)} from ${index.name(from)} to ${index.name(to)}${step ? `, first ${step}` : ''}`, data: { from: index.id(from), to: index.id(to), steps, ...data } }],
    remediation: rule.remediation,
  };
}

/** "1 step", "3 steps". */
export function stepCount(steps: number): string {
  return `${steps} step${steps === 1 ? '' : 's'}`;
}

/** A route's first step in words: "can assume deploy-prod (sts:AssumeRole)". */
export function stepText(index: GraphIndex, first: { edge: number; next: number }, techniqueOf: (e: number) => string | undefined): string {
  const technique = techniqueOf(first.edge);
  return `${EDGE_KINDS[index.edgeKindOf(first.edge)].verb} ${index.name(first.next)}${technique ? ` (${technique})` : ''}`;
}

/** An edge out of `v` one step nearer to the same admin node, over the edges the walk used. */
function firstStep(index: GraphIndex, v: number, reach: BackReach, mask: Uint8Array | null): { edge: number; next: number } | null {
  const { offsets, targets } = index.d;
  // A permission says more than an observation of the same step (both usually lead the same way).
  const observed = index.d.edgeKinds.indexOf('OBSERVED_USE');
  let seen: { edge: number; next: number } | null = null;
  for (let e = offsets[v]!; e < offsets[v + 1]!; e++) {
    if (mask && mask[e] !== 1) continue;
    const u = targets[e]!;
    if (reach.steps[u] !== reach.steps[v]! - 1 || reach.root[u] !== reach.root[v]) continue;
    if (index.d.edgeKind[e] !== observed) return { edge: e, next: u };
    seen ??= { edge: e, next: u };
  }
  return seen;
}
