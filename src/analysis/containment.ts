// Containment: the cheapest set of cuts that disconnects a compromised node from every target, as a weighted
// minimum s–t cut (Dinic's max-flow) over the part of the graph that lies on some origin → target route.
// Each edge kind has a cut cost: revoking a key is cheap, removing a trust statement or group membership
// costs more, taking admin rights away from a principal the most. Cuts are edges: every traversable edge
// stands for one record a defender can change (a key, a binding, a statement), named in its evidence.
import type { EdgeProps } from '../model/fragment.js';
import type { EdgeKind, NodeKind } from '../model/kinds.js';
import { edgeMask, type TraversalFilter } from './index/filter.js';
import type { GraphIndex } from './index/graph-index.js';
import { FAR, kShortestPaths, type FoundPath } from './paths.js';

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
      if (props.technique === 'EKS aws-auth ConfigMap') return `Remove group ${to.name} from the aws-auth ConfigMap entry that maps ${from.name}`;
      if (props.technique === 'EKS access entry') return `Remove ${to.name} from the Kubernetes groups of the EKS access entry of ${from.name}`;
      return `Remove ${from.name} from group ${to.name}`;
    case 'CAN_ASSUME':
      if (from.kind === 'federated_subject') return `Remove ${from.name} from the trust policy of ${to.name} (or restrict its subject condition)`;
      return `Remove ${from.name} from the trust policy of ${to.name}`;
    case 'FEDERATES_TO':
      // EKS mapping an IAM identity into a cluster: the fix is on the cluster side.
      if (props.technique === 'EKS aws-auth ConfigMap') return `Remove the mapping of ${from.name} (Kubernetes user ${to.name}) from the aws-auth ConfigMap`;
      if (props.technique === 'EKS access entry') return `Delete the EKS access entry of ${from.name} (Kubernetes user ${to.name})`;
      return `Remove the workload-identity link from ${from.name} to ${to.name}`;
    case 'CAN_ESCALATE':
      return `Remove the grants that let ${from.name} take over ${to.name}${props.technique ? ` (${props.technique})` : ''}`;
    case 'CAN_ACCESS':
      return `Remove ${from.name}'s ${props.accessLevel ? `${props.accessLevel} ` : ''}access to ${to.name}`;
    case 'CAN_READ_CREDENTIAL':
      return `Remove ${from.name}'s permission to read ${to.name}`;
    case 'ADMIN_OF':
      if (props.technique === 'EKS access policy') return `Disassociate EKS access policy AmazonEKSClusterAdminPolicy from ${from.name} (${to.name})`;
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
  const { offsets, targets } = index.d;
  const mask = edgeMask(index, opts);

  // 1. Forward: what the origin reaches (paths end at targets, so targets are not expanded). Typed arrays
  // throughout: at 10M edges the part reached can hold a million edges.
  const local = new Int32Array(index.n).fill(-1);
  const nodes: number[] = [origin];
  local[origin] = 0;
  let scanned = 0;
  for (let h = 0; h < nodes.length; h++) {
    const u = nodes[h]!;
    if (u !== origin && isTarget(u)) continue;
    for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
      if (mask !== null && mask[e] === 0) continue;
      scanned++;
      const v = targets[e]!;
      if (local[v] === -1) {
        local[v] = nodes.length;
        nodes.push(v);
      }
    }
  }
  const L = nodes.length;
  // Whether each node of the part is expanded (the origin, and every node that is not a target), asked once.
  const open = new Uint8Array(L);
  for (let i = 0; i < L; i++) open[i] = i === 0 || !isTarget(nodes[i]!) ? 1 : 0;
  const expanded = (i: number) => open[i] === 1;
  // 2. Backward over those edges: keep only nodes from which a target is reachable.
  const revFrom = new Int32Array(scanned);
  const revEdge = new Int32Array(scanned);
  const revNext = new Int32Array(scanned);
  const revHead = new Int32Array(L).fill(-1);
  let r = 0;
  for (let i = 0; i < L; i++) {
    if (!expanded(i)) continue;
    const u = nodes[i]!;
    for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
      if (mask !== null && mask[e] === 0) continue;
      const j = local[targets[e]!]!;
      revFrom[r] = i;
      revEdge[r] = e;
      revNext[r] = revHead[j]!;
      revHead[j] = r++;
    }
  }
  const useful = new Uint8Array(L);
  const stack: number[] = [];
  for (let i = 1; i < L; i++) {
    if (expanded(i)) continue;
    useful[i] = 1;
    stack.push(i);
  }
  while (stack.length) {
    const j = stack.pop()!;
    for (let q = revHead[j]!; q !== -1; q = revNext[q]!) {
      const i = revFrom[q]!;
      if (!useful[i]) {
        useful[i] = 1;
        stack.push(i);
      }
    }
  }

  // Every route from the origin stays in this part, so the paths before and after the cut are searched with
  // distances to the targets worked out over it, not over the whole graph (a second each at 10M edges).
  const distances = (removed: ReadonlySet<number>): Int32Array => {
    const h = new Int32Array(index.n).fill(FAR);
    const queue = new Int32Array(L);
    let tail = 0;
    for (let i = 1; i < L; i++) {
      if (expanded(i)) continue;
      h[nodes[i]!] = 0;
      queue[tail++] = i;
    }
    for (let head = 0; head < tail; head++) {
      const j = queue[head]!;
      const next = h[nodes[j]!]! + 1;
      for (let q = revHead[j]!; q !== -1; q = revNext[q]!) {
        if (removed.size && removed.has(revEdge[q]!)) continue;
        const i = revFrom[q]!;
        if (h[nodes[i]!] !== FAR) continue;
        h[nodes[i]!] = next;
        queue[tail++] = i;
      }
    }
    return h;
  };
  const before = kShortestPaths(index, origin, isTarget, { ...opts, k: limit, distances: distances(new Set()) });
  if (!before.length) return { cuts: [], covers: [], cost: 0, before, after: [] };

  // 3. Flow network: one arc per step (u → v, its parallel edges together) with the cost of the actions that remove
  // every edge of it, every target → sink uncuttable. A node's edges are contiguous, so a step's edges are grouped
  // with a mark per v rather than a map keyed by the pair.
  // Steps hold their first edge; the few with parallel edges keep the rest aside. Costs are worked out for every
  // step, the actions (which edges each removes) only for the steps cut.
  const stepFrom: number[] = [];
  const stepTo: number[] = [];
  const stepFirst: number[] = [];
  const parallel = new Map<number, number[]>();
  const markedBy = new Int32Array(L).fill(-1);
  const stepOf = new Int32Array(L);
  for (let i = 0; i < L; i++) {
    if (!useful[i] || !expanded(i)) continue;
    const u = nodes[i]!;
    for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
      if (mask !== null && mask[e] === 0) continue;
      const j = local[targets[e]!]!;
      if (!useful[j]) continue;
      if (markedBy[j] === i) {
        const k = stepOf[j]!;
        const more = parallel.get(k);
        if (more) more.push(e);
        else parallel.set(k, [stepFirst[k]!, e]);
      } else {
        markedBy[j] = i;
        stepOf[j] = stepFrom.length;
        stepFrom.push(i);
        stepTo.push(j);
        stepFirst.push(e);
      }
    }
  }
  const edgesOfStep = (k: number): number[] => parallel.get(k) ?? [stepFirst[k]!];
  let targetCount = 0;
  for (let i = 1; i < L; i++) if (useful[i] && !expanded(i)) targetCount++;
  const sink = L;
  const flow = new FlowNetwork(L + 1, stepFrom.length + targetCount);
  const arcOf = new Int32Array(stepFrom.length);
  for (let k = 0; k < stepFrom.length; k++) {
    const u = nodes[stepFrom[k]!]!;
    const cost = parallel.has(k) ? stepActions(index, u, edgesOfStep(k)).cost : cutCost(index.edgeKindOf(stepFirst[k]!), index.kindOf(u));
    arcOf[k] = flow.add(stepFrom[k]!, stepTo[k]!, cost);
  }
  for (let i = 1; i < L; i++) if (useful[i] && !expanded(i)) flow.add(i, sink, INF);
  const cost = flow.maxFlow(0, sink);
  const sourceSide = flow.residualReach(0);
  const chosen: number[][] = [];
  for (let k = 0; k < stepFrom.length; k++) {
    const arc = arcOf[k]!;
    if (sourceSide[flow.from[arc]!] && !sourceSide[flow.to[arc]!]) chosen.push(...stepActions(index, nodes[stepFrom[k]!]!, edgesOfStep(k)).actions);
  }
  chosen.sort((a, b) => a[0]! - b[0]!);
  const removed = new Set(chosen.flat());
  const after = kShortestPaths(index, origin, isTarget, { ...opts, k: limit, removed, distances: distances(removed) });
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
  if (edges.length === 1) return { actions: [edges], cost: cutCost(index.edgeKindOf(edges[0]!), fromKind) };
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

/** Dinic's algorithm over an arc list (arc i and i^1 are a pair), in typed arrays sized for the arcs to come. */
class FlowNetwork {
  readonly from: Int32Array;
  readonly to: Int32Array;
  private readonly cap: Float64Array;
  private readonly next: Int32Array;
  private readonly head: Int32Array;
  private arcs = 0;
  constructor(
    readonly size: number,
    pairs: number,
  ) {
    this.head = new Int32Array(size).fill(-1);
    this.from = new Int32Array(2 * pairs);
    this.to = new Int32Array(2 * pairs);
    this.cap = new Float64Array(2 * pairs);
    this.next = new Int32Array(2 * pairs);
  }

  add(u: number, v: number, capacity: number): number {
    const arc = this.arcs;
    this.put(u, v, capacity);
    this.put(v, u, 0);
    return arc;
  }

  private put(a: number, b: number, c: number): void {
    const i = this.arcs++;
    this.from[i] = a;
    this.to[i] = b;
    this.cap[i] = c;
    this.next[i] = this.head[a]!;
    this.head[a] = i;
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
