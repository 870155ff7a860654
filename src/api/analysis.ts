// The engine's analysis answers: graph-index results turned into the contract's shapes. Node summaries come
// from the index (no query per node); edge props and evidence are read from the case only for the steps and
// cuts shown.
import { accessOf, blastRadius, conditionalOf, depthOf, parentOf, routeTo, summarize, viaAdminOf } from '../analysis/blast-radius.js';
import { cutAction, cutCost, planContainment } from '../analysis/containment.js';
import type { GraphIndex } from '../analysis/index/graph-index.js';
import { edgeMask } from '../analysis/index/filter.js';
import { kShortestPaths, parallelSteps, type FoundPath } from '../analysis/paths.js';
import { ACCESS_LEVELS, NODE_KINDS } from '../model/kinds.js';
import type { CaseStore } from '../store/case-store.js';
import type { AttackPath, BlastRadius, BoundaryCount, ContainmentPlan, NodeSummary, ReachedNode, ReachedResource, TraversalOptions } from './contract.js';
import { ApiError } from './errors.js';
import type { Views } from './views.js';

export class AnalysisViews {
  constructor(
    private readonly store: CaseStore,
    private readonly views: Views,
    readonly index: GraphIndex,
  ) {}

  summary(v: number): NodeSummary {
    const ix = this.index;
    const kind = ix.kindOf(v);
    const id = ix.id(v);
    if (!kind) return this.views.summaryOf(id);
    const spec = NODE_KINDS[kind];
    const b = ix.d.boundary[v]!;
    return { id, kind, category: spec.category, provider: spec.provider, name: ix.name(v), ...(b >= 0 ? { boundary: ix.id(b) } : {}), stub: ix.d.stub[v] === 1, marks: this.views.marksOf(id) };
  }

  /** Node index of an id; a node the index does not hold (no traversable edge, no row) is not-found. */
  nodeIndex(id: string): number {
    const v = this.index.indexOf(this.store.canonical(id));
    if (v < 0) throw new ApiError({ code: 'not-found', message: `no node with id ${JSON.stringify(id)} in this case` });
    return v;
  }

  blastRadius(from: string, opts: TraversalOptions): BlastRadius {
    const started = performance.now();
    const ix = this.index;
    const origin = this.nodeIndex(from);
    const r = blastRadius(ix, origin, opts);
    const s = summarize(ix, r);
    const identities: ReachedNode[] = [];
    const credentials: ReachedNode[] = [];
    const resources: ReachedResource[] = [];
    const admins: ReachedNode[] = [];
    for (const v of r.reached) {
      const admin = viaAdminOf(ix, r, v);
      const route = routeTo(ix, r, v);
      const reached: ReachedNode = { node: this.summary(v), depth: route.length - 1, path: route.map((x) => ix.id(x)), conditional: conditionalOf(r, v), ...(admin >= 0 ? { viaAdmin: ix.id(admin) } : {}) };
      const cat = reached.node.category;
      if (cat === 'identity' || cat === 'group') identities.push(reached);
      else if (cat === 'credential') credentials.push(reached);
      else if (cat === 'admin') admins.push(reached);
      else if (cat === 'resource') {
        const level = accessOf(r, v);
        // Without a CAN_ACCESS edge, the identity that reached it is the step before it.
        const via = level >= 0 ? r.accessVia[v]! : parentOf(ix, r, v);
        resources.push({ ...reached, ...(level >= 0 ? { accessLevel: level === ACCESS_LEVELS.length ? 'admin' : ACCESS_LEVELS[level]! } : {}), ...(via >= 0 ? { via: ix.id(via) } : {}) });
      }
    }
    const highValue = this.highValueReached(r, origin);
    const hvPerBoundary = new Map<string, number>();
    for (const h of highValue) if (h.node.boundary) hvPerBoundary.set(h.node.boundary, (hvPerBoundary.get(h.node.boundary) ?? 0) + 1);
    const byBoundary: BoundaryCount[] = s.byBoundary.map((b) => {
      const boundary = this.summary(b.boundary);
      const hv = hvPerBoundary.get(boundary.id) ?? 0;
      return { boundary, identities: b.identities, resources: b.resources, credentials: b.credentials, admin: b.admin, ...(b.admin ? { viaAdmin: b.viaAdmin } : {}), ...(hv ? { highValue: hv } : {}) };
    });
    return { origin: this.summary(origin), identities: highValueFirst(identities), credentials: highValueFirst(credentials), resources: highValueFirst(resources), admins, highValue, byBoundary, byAccessLevel: s.byAccessLevel, elapsedMs: performance.now() - started };
  }

  /** Nodes marked high value that the walk reached (any category: a tier-zero group, a bucket, a role), nearest first. */
  private highValueReached(r: ReturnType<typeof blastRadius>, origin: number): ReachedNode[] {
    const ix = this.index;
    const out: ReachedNode[] = [];
    for (const id of this.views.markedIds('high-value')) {
      const v = ix.indexOf(id);
      if (v < 0 || v === origin || depthOf(ix, r, v) < 0) continue;
      const admin = viaAdminOf(ix, r, v);
      const route = routeTo(ix, r, v);
      out.push({ node: this.summary(v), depth: route.length - 1, path: route.map((x) => ix.id(x)), conditional: conditionalOf(r, v), ...(admin >= 0 ? { viaAdmin: ix.id(admin) } : {}) });
    }
    return out.sort((a, b) => a.depth - b.depth || a.node.name.localeCompare(b.node.name));
  }

  /** A predicate over node indexes for 'admin', 'high-value' or one node id. */
  targetPredicate(to: string): (v: number) => boolean {
    const ix = this.index;
    if (to === 'admin') {
      const admin = ix.adminKind;
      return (v) => ix.d.nodeKind[v] === admin;
    }
    if (to === 'high-value') {
      const set = new Set(this.views.markedIds('high-value').map((id) => ix.indexOf(id)));
      return (v) => set.has(v);
    }
    const t = this.nodeIndex(to);
    return (v) => v === t;
  }

  paths(from: string, to: string, opts: TraversalOptions & { k?: number }): AttackPath[] {
    const origin = this.nodeIndex(from);
    const targetKey = to === 'high-value' ? `high-value:${this.views.markedIds('high-value').sort().join('\n')}` : to;
    // Routes, not edge sequences: a step joined by several edges is listed once, with the others as alternatives.
    const mask = edgeMask(this.index, opts);
    return kShortestPaths(this.index, origin, this.targetPredicate(to), { ...opts, targetKey, routes: true }).map((p) => this.attackPath(p, mask));
  }

  /** A found path in the contract's shape; with `alternatives`, each step lists the other edges joining its pair. */
  attackPath(p: FoundPath, alternatives?: Uint8Array | null): AttackPath {
    const steps = p.edges.map((e, i) => {
      const others = alternatives === undefined ? [] : parallelSteps(this.index, p.nodes[i]!, e, alternatives);
      return { edge: this.edgeView(e), from: this.summary(p.nodes[i]!), to: this.summary(p.nodes[i + 1]!), ...(others.length ? { alternatives: others.map((k) => this.edgeView(k)) } : {}) };
    });
    return { steps, conditional: p.conditionalSteps > 0, cost: steps.length };
  }

  private edgeView(e: number) {
    const row = this.store.edge(this.index.d.edgeId[e]!);
    if (!row) throw new ApiError({ code: 'internal', message: 'the graph index is out of date with the case; reopen it' });
    return this.views.edge(row);
  }

  containment(from: string, targets: string[] | undefined, opts: TraversalOptions = {}): ContainmentPlan {
    const ix = this.index;
    const origin = this.nodeIndex(from);
    let isTarget: (v: number) => boolean;
    if (targets?.length) {
      const set = new Set(targets.map((t) => this.nodeIndex(t)));
      isTarget = (v) => set.has(v);
    } else {
      const admin = this.targetPredicate('admin');
      const hv = this.targetPredicate('high-value');
      isTarget = (v) => admin(v) || hv(v);
    }
    const pathLimit = 50;
    const plan = planContainment(ix, origin, isTarget, { ...opts, pathLimit });
    const targetIds = new Set<number>(plan.before.map((p) => p.nodes[p.nodes.length - 1]!));
    if (targets?.length) for (const t of targets) targetIds.add(this.nodeIndex(t));
    const cuts = plan.cuts.map((e, i) => {
      const covered = plan.covers[i]!;
      const edge = this.edgeView(e);
      const fromNode = this.summary(ix.sourceOf(e));
      const toNode = this.summary(ix.d.targets[e]!);
      return {
        action: cutAction(edge.kind, fromNode, toNode, edge.props),
        cost: cutCost(edge.kind, ix.kindOf(ix.sourceOf(e))),
        edge,
        from: fromNode,
        to: toNode,
        pathsCut: plan.before.filter((p) => p.edges.some((x) => covered.includes(x))).length,
        ...(covered.length > 1 ? { alsoRemoves: covered.slice(1).map((x) => this.edgeView(x)) } : {}),
      };
    });
    return {
      origin: this.summary(origin),
      targets: [...targetIds].map((v) => this.summary(v)),
      cuts,
      cost: plan.cost,
      pathsBefore: plan.before.length,
      pathsAfter: plan.after.length,
      pathLimit,
      ...(plan.after.length ? { remaining: plan.after.slice(0, 5).map((p) => this.attackPath(p)) } : {}),
    };
  }
}

/**
 * The walk's order (nearest first), with what is reached only through a boundary's admin node after the rest and,
 * among those, the nodes marked high-value first: a responder reads what is exposed before the long tail.
 */
function highValueFirst<T extends ReachedNode>(list: T[]): T[] {
  const rank = (r: T) => (r.viaAdmin === undefined ? 0 : r.node.marks.includes('high-value') ? 1 : 2);
  return list.map((r, i) => ({ r, i })).sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i).map((x) => x.r);
}
