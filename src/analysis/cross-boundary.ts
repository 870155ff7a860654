// The other half of escalation-to-admin: an identity that is admin of one boundary already (a dev account, a
// cluster, a project) and can become admin of another (prod), and the admin node of a boundary whose holders can
// (an account whose root a role of another account trusts). Found on the graph index after an import, like
// escalation-to-admin: walks back from every admin node, each node keeping the few nearest admin nodes that reach it
// (not just the nearest, which for an admin is the one it holds), and not walking on past another admin node: what
// an admin node leads to is reported once, on it, rather than again for each of its holders.
import { ids } from '../model/ids.js';
import { NODE_KINDS } from '../model/kinds.js';
import type { FindingRow } from '../store/types.js';
// The same subjects as escalation-to-admin (what acts through a reported identity is not one).
import { NOT_SUBJECTS, routeFinding, stepCount, stepText } from './escalation.js';
import { edgeMask } from './index/filter.js';
import type { GraphIndex } from './index/graph-index.js';
import { adminMask, KEPT, reachAdmins, slotsOf, type AdminReach } from './admin-reach.js';
import { adminTier, UNREACHED } from './tiers.js';

const ANYONE_ADMIN = ids.admin(ids.awsAccount('*'));

export const CROSS_BOUNDARY_RULE = {
  id: 'admin-crosses-boundary',
  severity: 'high',
  remediation: 'Cut the step that leaves the boundary (`blastmap paths <identity> --to admin`): narrow the trust policy, binding or federation that lets it in, or the admin rights of the identity it leads to. An admin of one boundary should not be an admin of another by a side door.',
} as const;

/**
 * One finding per admin node or admin identity that can become admin of a boundary it does not hold; high, or medium
 * when only over a conditional step. `techniqueOf` names the technique of an edge (read for first steps only).
 */
export function crossBoundaryFindings(index: GraphIndex, techniqueOf: (e: number) => string | undefined = () => undefined): FindingRow[] {
  const admins = index.adminNodes();
  if (admins.length < 2) return [];
  const isAdmin = adminMask(index, admins);
  const definiteMask = edgeMask(index, { includeConditional: false });
  const held = adminTier(index);
  // The admin of "any AWS account" is everyone: what it reaches is trust-any-or-external's to say.
  const anyone = admins.find((a) => index.id(a) === ANYONE_ADMIN) ?? -1;
  const subjects: number[] = [];
  for (let v = 0; v < index.n; v++) {
    const kind = index.kindOf(v);
    if (!kind) continue;
    if (v === anyone) continue;
    if (isAdmin[v] === 1 || (NODE_KINDS[kind].category === 'identity' && !NOT_SUBJECTS.has(kind) && held.steps[v] !== UNREACHED)) subjects.push(v);
  }
  const holdsOf = new Map<number, Set<number>>();
  const holds = (v: number) => {
    let h = holdsOf.get(v);
    if (!h) holdsOf.set(v, (h = isAdmin[v] === 1 ? new Set([v]) : heldBy(index, v)));
    return h;
  };
  // Definite routes first, then the conditional walk for the subjects left: one walk's arrays alive at a time.
  const budget = { visits: 4 * (index.n + index.m) };
  const routes = new Map<number, { route: Route; sure: boolean }>();
  // (With no conditional edge in the case, the first walk already follows every edge.)
  const passes = definiteMask ? ([[definiteMask, true], [null, false]] as const) : ([[null, true]] as const);
  for (const [mask, sure] of passes) {
    const follow = mask ? (e: number) => mask[e] === 1 : () => true;
    const reach = reachAdmins(index, admins, isAdmin, follow);
    for (const v of subjects) {
      if (routes.has(v) || reach.roots[v * KEPT] === -1) continue;
      // An admin identity is reported only for what its admin nodes do not lead to themselves (that is theirs to say).
      const own = holds(v);
      const led = new Set(isAdmin[v] === 1 ? [] : [...own].flatMap((a) => slotsOf(reach, a)));
      const route = unheld(index, v, own, (b) => led.has(b), reach, isAdmin, follow, budget);
      if (route) routes.set(v, { route, sure });
    }
  }
  return [...routes].sort((a, b) => a[0] - b[0]).map(([v, { route, sure }]) => finding(index, v, holds(v), route, sure, techniqueOf));
}

/** The admin nodes an identity holds: ADMIN_OF, directly or through the groups it is a member of. */
function heldBy(index: GraphIndex, v: number): Set<number> {
  const adminOf = index.d.edgeKinds.indexOf('ADMIN_OF');
  const memberOf = index.d.edgeKinds.indexOf('MEMBER_OF');
  const { offsets, targets, edgeKind } = index.d;
  const held = new Set<number>();
  const seen = new Set([v]);
  const stack = [v];
  while (stack.length) {
    const u = stack.pop()!;
    for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
      const t = targets[e]!;
      if (edgeKind[e] === adminOf) held.add(t);
      else if (edgeKind[e] === memberOf && !seen.has(t)) {
        seen.add(t);
        stack.push(t);
      }
    }
  }
  return held;
}

interface Route {
  /** The nearest admin node not held, and the steps to it. */
  admin: number;
  steps: number;
  /** Other admin nodes not held that the walk saw (not necessarily all of them). */
  others: number[];
  first: { edge: number; next: number } | null;
}

/** The nearest admin node `v` can become and does not hold, from the walk, else searched forward; undefined if none. */
function unheld(index: GraphIndex, v: number, holds: Set<number>, covered: (admin: number) => boolean, reach: AdminReach, isAdmin: Uint8Array, follow: (e: number) => boolean, budget: { visits: number }): Route | undefined {
  const found: number[] = [];
  let full = true;
  for (let i = 0; i < KEPT; i++) {
    const r = reach.roots[v * KEPT + i]!;
    if (r === -1) full = false;
    else if (!holds.has(r) && !covered(r)) found.push(i);
  }
  if (found.length) {
    const [nearest, ...rest] = found.sort((a, b) => reach.steps[v * KEPT + a]! - reach.steps[v * KEPT + b]!);
    const admin = reach.roots[v * KEPT + nearest!]!;
    return { admin, steps: reach.steps[v * KEPT + nearest!]!, others: rest.map((i) => reach.roots[v * KEPT + i]!), first: firstStep(index, v, admin, reach, isAdmin, follow) };
  }
  return full ? searchForward(index, v, holds, covered, isAdmin, follow, budget) : undefined;
}

/** An edge out of `v` one step nearer to `admin` in the walk (not through another admin node, as the walk went). */
function firstStep(index: GraphIndex, v: number, admin: number, reach: AdminReach, isAdmin: Uint8Array, follow: (e: number) => boolean): { edge: number; next: number } | null {
  const { offsets, targets } = index.d;
  let want = UNREACHED;
  for (let i = 0; i < KEPT; i++) if (reach.roots[v * KEPT + i] === admin) want = reach.steps[v * KEPT + i]! - 1;
  for (let e = offsets[v]!; e < offsets[v + 1]!; e++) {
    if (!follow(e)) continue;
    const u = targets[e]!;
    if (isAdmin[u] === 1 && u !== admin) continue;
    for (let i = 0; i < KEPT; i++) if (reach.roots[u * KEPT + i] === admin && reach.steps[u * KEPT + i] === want) return { edge: e, next: u };
  }
  return null;
}

/**
 * Breadth-first forward from an identity whose kept admin nodes are all its own: the nearest admin node it does not
 * hold, not walking past admin nodes. Shares one budget of visits across the import (a few such identities are
 * expected); past it, nothing more is searched.
 */
function searchForward(index: GraphIndex, v: number, holds: Set<number>, covered: (admin: number) => boolean, isAdmin: Uint8Array, follow: (e: number) => boolean, budget: { visits: number }): Route | undefined {
  const { offsets, targets } = index.d;
  // Per node reached: the edge it was reached over and the node it came from.
  const via = new Map<number, { edge: number; from: number }>([[v, { edge: -1, from: -1 }]]);
  let level = [v];
  for (let steps = 1; level.length && budget.visits > 0; steps++) {
    const next: number[] = [];
    for (const u of level) {
      for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
        budget.visits--;
        const t = targets[e]!;
        if (!follow(e) || via.has(t)) continue;
        via.set(t, { edge: e, from: u });
        if (isAdmin[t] === 1) {
          if (holds.has(t) || covered(t)) continue;
          let first = e;
          for (let w = u; w !== v; w = via.get(w)!.from) first = via.get(w)!.edge;
          return { admin: t, steps, others: [], first: { edge: first, next: targets[first]! } };
        }
        next.push(t);
      }
    }
    level = next;
  }
  return undefined;
}

function finding(index: GraphIndex, v: number, holds: Set<number>, route: Route, sure: boolean, techniqueOf: (e: number) => string | undefined): FindingRow {
  const { admin, steps, first } = route;
  const adminNode = holds.has(v); // an admin node holds itself
  const heldNames = [...holds].map((a) => index.name(a)).sort();
  const who = adminNode ? `Whoever is ${index.name(v)}` : `${NODE_KINDS[index.kindOf(v)!].label} ${index.name(v)}`;
  const held = adminNode ? '' : `, ${heldNames.length === 1 ? heldNames[0]! : `admin of ${heldNames.length} boundaries`},`;
  const title = `${who}${held} ${sure ? 'can' : 'may'} become ${index.name(admin)} in ${stepCount(steps)}${sure ? '' : ' (conditional)'}`;
  const step = first ? stepText(index, first, techniqueOf) : '';
  const also = route.others.length ? ` It also reaches ${route.others.map((a) => index.name(a)).join(', ')}.` : '';
  const holder = adminNode ? 'An admin of this boundary' : `${NODE_KINDS[index.kindOf(v)!].label} ${index.name(v)} holds ${heldNames.join(', ')}; it`;
  const summary = `${holder} ${sure ? 'can' : 'may'} become ${index.name(admin)} as well, which it does not hold: ${stepCount(steps)}${sure ? '' : ', over a step possible only if its condition holds (not decidable offline)'}. ${first ? `The first: it ${step}.` : ''}${also} Every route, with the evidence of each step: blastmap paths "${index.id(v)}" --to "${index.id(admin)}".`;
  return routeFinding(CROSS_BOUNDARY_RULE, index, { from: v, to: admin, steps, sure, step }, title, summary, { holds: [...holds].map((a) => index.id(a)).sort() });
}
