// Containment: the cheapest set of cuts that disconnects a compromised node from every target, as a weighted
// minimum s–t cut (Dinic's max-flow) over the part of the graph that lies on some origin → target route.
// Each edge kind has a cut cost: revoking a key is cheap, removing a trust statement or group membership
// costs more, taking admin rights away from a principal the most. Cuts are edges: every traversable edge
// stands for one record a defender can change (a key, a binding, a statement), named in its evidence.
import type { EdgeProps } from '../model/fragment.js';
import type { EdgeKind, NodeKind } from '../model/kinds.js';
import { edgeMask, type TraversalFilter } from './index/filter.js';
import type { GraphIndex } from './index/graph-index.js';
import { kShortestPaths, type FoundPath } from './paths.js';

/** What each kind of cut costs, in rough units of operational pain. */
export const CUT_COSTS = {
  credential: 1,
  password: 2,
  membership: 2,
  federatedTrust: 2,
  trust: 3,
  federation: 3,
  permission: 4,
  observed: 4,
  opengraph: 5,
  serviceTrust: 5,
  workloadIdentity: 6,
  admin: 10,
} as const;

export function cutCost(kind: EdgeKind, fromKind: NodeKind | undefined): number {
  switch (kind) {
    case 'EXPOSES':
      return CUT_COSTS.credential;
    case 'AUTHENTICATES_AS':
      return fromKind === 'aws_password' || fromKind === 'azure_federated_credential' ? CUT_COSTS.password : CUT_COSTS.credential;
    case 'MEMBER_OF':
      return CUT_COSTS.membership;
    case 'CAN_ASSUME':
      return fromKind === 'aws_service' ? CUT_COSTS.serviceTrust : fromKind === 'federated_subject' ? CUT_COSTS.federatedTrust : CUT_COSTS.trust;
    case 'FEDERATES_TO':
      return CUT_COSTS.federation;
    case 'CAN_ESCALATE':
    case 'CAN_ACCESS':
    case 'CAN_READ_CREDENTIAL':
      return CUT_COSTS.permission;
    case 'OBSERVED_USE':
      return CUT_COSTS.observed;
    case 'RUNS_AS':
      return CUT_COSTS.workloadIdentity;
    case 'ADMIN_OF':
      return CUT_COSTS.admin;
    default:
      return CUT_COSTS.opengraph;
  }
}

interface End {
  name: string;
  kind: string;
  id?: string;
}

/**
 * An access key as a responder types it into the console: its key id when the node has one. A credential-report
 * slot is named "<user> access key 1"; "Deactivate access key <user> access key 1 of <user>" says it three times.
 */
function accessKeyLabel(key: End, user: End): string {
  const keyId = key.id ? /^aws:key:(A[A-Z0-9]{15,})$/.exec(key.id)?.[1] : undefined;
  if (keyId) return `access key ${keyId} of ${user.name}`;
  if (/access key/i.test(key.name)) return key.name.includes(user.name) ? key.name : `${key.name} of ${user.name}`;
  return `access key ${key.name} of ${user.name}`;
}

/** The checklist line for cutting one edge, from its kind, its two ends and its props. */
export function cutAction(kind: EdgeKind, from: End, to: End, props: EdgeProps): string {
  switch (kind) {
    case 'EXPOSES':
      return `Revoke and replace ${to.name}: its value is exposed by ${from.name}`;
    case 'AUTHENTICATES_AS':
      switch (from.kind) {
        case 'aws_access_key':
          return `Deactivate ${accessKeyLabel(from, to)}`;
        case 'aws_password':
          return `Delete the console password (login profile) of ${to.name}`;
        case 'k8s_sa_token':
          return `Delete the token Secret ${from.name} of service account ${to.name}`;
        case 'gcp_sa_key':
          return `Disable and delete key ${from.name} of ${to.name}`;
        case 'azure_client_secret':
          return `Remove client secret ${from.name} from ${to.name}`;
        case 'azure_certificate':
          return `Remove certificate ${from.name} from ${to.name}`;
        case 'azure_federated_credential':
          return `Remove federated credential ${from.name} from ${to.name}`;
        default:
          return `Revoke credential ${from.name} of ${to.name}`;
      }
    case 'MEMBER_OF':
      return `Remove ${from.name} from group ${to.name}`;
    case 'CAN_ASSUME':
      if (from.kind === 'federated_subject') return `Remove ${from.name} from the trust policy of ${to.name} (or restrict its subject condition)`;
      return `Remove ${from.name} from the trust policy of ${to.name}`;
    case 'FEDERATES_TO':
      return `Remove the workload-identity link from ${from.name} to ${to.name}`;
    case 'CAN_ESCALATE':
      return `Remove the grants that let ${from.name} take over ${to.name}${props.technique ? ` (${props.technique})` : ''}`;
    case 'CAN_ACCESS':
      return `Remove ${from.name}'s ${props.accessLevel ? `${props.accessLevel} ` : ''}access to ${to.name}`;
    case 'CAN_READ_CREDENTIAL':
      return `Remove ${from.name}'s permission to read ${to.name}`;
    case 'ADMIN_OF':
      return `Remove the admin-equivalent rights of ${from.name} (${to.name})`;
    case 'RUNS_AS':
      return `Run ${from.name} as a dedicated identity instead of ${to.name}`;
    case 'OBSERVED_USE':
      return `Revoke the access ${from.name} was seen using on ${to.name}`;
    default:
      return `Remove the ${typeof props.technique === 'string' ? props.technique : kind} relationship from ${from.name} to ${to.name}`;
  }
}

export interface CutPlan {
  /** CSR edge indexes to cut: one per action on the checklist. */
  cuts: number[];
  /**
   * For each cut, every edge its action removes: the same step stated by several sources, or a credential's
   * observed use, goes with revoking the credential.
   */
  covers: number[][];
  cost: number;
  /** The shortest paths before the cut (up to the limit), and those left after it. */
  before: FoundPath[];
  after: FoundPath[];
}

const INF = 1e12;

/**
 * The minimum-cost cut separating `origin` from every target. Conditional edges are included unless the filter
 * excludes them: a condition that cannot be decided offline may hold.
 */
export function planContainment(index: GraphIndex, origin: number, isTarget: (v: number) => boolean, opts: TraversalFilter & { pathLimit?: number } = {}): CutPlan {
  const limit = opts.pathLimit ?? 50;
  const before = kShortestPaths(index, origin, isTarget, { ...opts, k: limit });
  if (!before.length) return { cuts: [], covers: [], cost: 0, before, after: [] };
  const { offsets, targets } = index.d;
  const mask = edgeMask(index, opts);

  // 1. Forward: what the origin reaches (paths end at targets, so targets are not expanded).
  const local = new Int32Array(index.n).fill(-1);
  const nodes: number[] = [origin];
  local[origin] = 0;
  for (let h = 0; h < nodes.length; h++) {
    const u = nodes[h]!;
    if (u !== origin && isTarget(u)) continue;
    for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
      if (mask !== null && mask[e] === 0) continue;
      const v = targets[e]!;
      if (local[v] === -1) {
        local[v] = nodes.length;
        nodes.push(v);
      }
    }
  }
  // 2. Backward over those edges: keep only nodes from which a target is reachable.
  const L = nodes.length;
  const edgesFrom: number[] = [];
  const revHead = new Int32Array(L).fill(-1);
  const revNext: number[] = [];
  for (let i = 0; i < L; i++) {
    const u = nodes[i]!;
    if (u !== origin && isTarget(u)) continue;
    for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
      if (mask !== null && mask[e] === 0) continue;
      const j = local[targets[e]!]!;
      revNext.push(revHead[j]!);
      revHead[j] = edgesFrom.length;
      edgesFrom.push(e);
    }
  }
  const useful = new Uint8Array(L);
  const stack: number[] = [];
  for (let i = 0; i < L; i++) {
    if (nodes[i] === origin || !isTarget(nodes[i]!)) continue;
    useful[i] = 1;
    stack.push(i);
  }
  while (stack.length) {
    const j = stack.pop()!;
    for (let r = revHead[j]!; r !== -1; r = revNext[r]!) {
      const i = local[index.sourceOf(edgesFrom[r]!)]!;
      if (!useful[i]) {
        useful[i] = 1;
        stack.push(i);
      }
    }
  }

  // 3. Flow network: one arc per step (u → v) with the cost of the actions that remove every edge of it, every
  // target → sink uncuttable.
  const sink = L;
  const flow = new FlowNetwork(L + 1);
  const steps = new Map<number, number[]>();
  for (const e of edgesFrom) {
    const u = local[index.sourceOf(e)]!;
    const v = local[targets[e]!]!;
    if (!useful[u] || !useful[v]) continue;
    const key = u * (L + 1) + v;
    const list = steps.get(key);
    if (list) list.push(e);
    else steps.set(key, [e]);
  }
  const arcs: { arc: number; actions: number[][]; cost: number }[] = [];
  for (const [key, edges] of steps) {
    const u = Math.floor(key / (L + 1));
    const { actions, cost } = stepActions(index, nodes[u]!, edges);
    arcs.push({ arc: flow.add(u, key % (L + 1), cost), actions, cost });
  }
  for (let i = 0; i < L; i++) if (useful[i] && nodes[i] !== origin && isTarget(nodes[i]!)) flow.add(i, sink, INF);
  const cost = flow.maxFlow(0, sink);
  const sourceSide = flow.residualReach(0);
  const chosen: number[][] = [];
  for (const a of arcs) {
    if (sourceSide[flow.from[a.arc]!] && !sourceSide[flow.to[a.arc]!]) chosen.push(...a.actions);
  }
  chosen.sort((a, b) => a[0]! - b[0]!);
  const removed = new Set(chosen.flat());
  const after = kShortestPaths(index, origin, isTarget, { ...opts, k: limit, removed });
  return { cuts: chosen.map((c) => c[0]!), covers: chosen, cost, before, after };
}

/**
 * The actions that remove one step u → v (all its parallel edges) and what they cost. Revoking a credential
 * removes everything it gives, whatever the source that stated it; elsewhere each distinct kind of edge is its own
 * action (a trust statement and a permission are changed separately), and observed use rides along with the
 * permission that allowed it.
 */
function stepActions(index: GraphIndex, u: number, edges: number[]): { actions: number[][]; cost: number } {
  const fromKind = index.kindOf(u);
  if (index.categoryOf(u) === 'credential') {
    const lead = edges.find((e) => index.edgeKindOf(e) === 'AUTHENTICATES_AS') ?? edges[0]!;
    return { actions: [[lead, ...edges.filter((e) => e !== lead)]], cost: cutCost(index.edgeKindOf(lead), fromKind) };
  }
  const byKind = new Map<string, number[]>();
  for (const e of edges) {
    const kind = index.edgeKindOf(e);
    const list = byKind.get(kind);
    if (list) list.push(e);
    else byKind.set(kind, [e]);
  }
  const observed = byKind.get('OBSERVED_USE');
  if (observed && byKind.size > 1) {
    byKind.delete('OBSERVED_USE');
    byKind.values().next().value!.push(...observed);
  }
  const actions = [...byKind.values()];
  return { actions, cost: actions.reduce((sum, a) => sum + cutCost(index.edgeKindOf(a[0]!), fromKind), 0) };
}

/** Dinic's algorithm over an arc list (arc i and i^1 are a pair). */
class FlowNetwork {
  readonly from: number[] = [];
  readonly to: number[] = [];
  private readonly cap: number[] = [];
  private readonly next: number[] = [];
  private readonly head: Int32Array;
  constructor(readonly size: number) {
    this.head = new Int32Array(size).fill(-1);
  }

  add(u: number, v: number, capacity: number): number {
    const arc = this.to.length;
    for (const [a, b, c] of [[u, v, capacity], [v, u, 0]] as const) {
      this.from.push(a);
      this.to.push(b);
      this.cap.push(c);
      this.next.push(this.head[a]!);
      this.head[a] = this.to.length - 1;
    }
    return arc;
  }

  maxFlow(s: number, t: number): number {
    let total = 0;
    const level = new Int32Array(this.size);
    const it = new Int32Array(this.size);
    for (;;) {
      level.fill(-1);
      level[s] = 0;
      const queue = [s];
      for (let h = 0; h < queue.length; h++) {
        const u = queue[h]!;
        for (let a = this.head[u]!; a !== -1; a = this.next[a]!) {
          if (this.cap[a]! > 0 && level[this.to[a]!] === -1) {
            level[this.to[a]!] = level[u]! + 1;
            queue.push(this.to[a]!);
          }
        }
      }
      if (level[t] === -1) return total;
      it.set(this.head);
      for (let f = this.augment(s, t, INF, level, it); f > 0; f = this.augment(s, t, INF, level, it)) total += f;
    }
  }

  /** One blocking-flow augmentation, iterative so a long route cannot overflow the stack. */
  private augment(s: number, t: number, limit: number, level: Int32Array, it: Int32Array): number {
    const arcs: number[] = [];
    let u = s;
    for (;;) {
      if (u === t) {
        let f = limit;
        for (const a of arcs) f = Math.min(f, this.cap[a]!);
        for (const a of arcs) {
          this.cap[a]! -= f;
          this.cap[a ^ 1]! += f;
        }
        return f;
      }
      let a = it[u]!;
      while (a !== -1 && !(this.cap[a]! > 0 && level[this.to[a]!] === level[u]! + 1)) a = this.next[a]!;
      it[u] = a;
      if (a === -1) {
        if (u === s) return 0;
        // Dead end: retreat and skip the arc that led here.
        level[u] = -1;
        const back = arcs.pop()!;
        u = this.from[back]!;
        it[u] = this.next[it[u]!]!;
        continue;
      }
      arcs.push(a);
      u = this.to[a]!;
    }
  }

  residualReach(s: number): Uint8Array {
    const seen = new Uint8Array(this.size);
    seen[s] = 1;
    const stack = [s];
    while (stack.length) {
      const u = stack.pop()!;
      for (let a = this.head[u]!; a !== -1; a = this.next[a]!) {
        if (this.cap[a]! > 0 && !seen[this.to[a]!]) {
          seen[this.to[a]!] = 1;
          stack.push(this.to[a]!);
        }
      }
    }
    return seen;
  }
}
