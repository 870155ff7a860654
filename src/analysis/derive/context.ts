// The context derivation rules read through (DeriveContext): the case's stored facts, what earlier rules derived in
// this run, and where emissions go. One object serves a run over the whole case or over some scopes (boundaries),
// rule after rule; it records what each rule emits, merged by edge key, with the scope each output belongs to.
import type { EdgeFact, EdgeProps, GraphFragment, NodeFact } from '../../model/fragment.js';
import type { EdgeKind, NodeKind } from '../../model/kinds.js';
import { scopeOf } from '../../store/change-log.js';
import { edgeKey, mergeParts, type DerivedPart } from '../../store/derived.js';
import { DERIVED_SOURCE, type CaseStore, type StoredEdge, type StoredNode } from '../../store/case-store.js';
import type { DeriveContext, DerivedOrStoredEdge } from '../edges/types.js';

/** One derived edge of the run: the merge of its parts (one per rule that emitted it, in rule order). */
export interface RunEdge {
  edge: EdgeFact;
  parts: (DerivedPart & { rank: number })[];
}

export interface RunOptions {
  /**
   * 'run': the store holds no derived rows and every rule runs, one after another; what earlier rules emitted is
   * read from memory. 'rule': the store holds what every rule derived (rules that run again replace theirs as they
   * go); a rule sees what rules before it derived, and its own emissions from memory.
   */
  overlay: 'run' | 'rule';
  /** Only nodes of these scopes (and edges touching them) are listed by kind; null: the whole case. */
  scopes: ReadonlySet<string> | null;
  /** Run order of every rule, by id (edge rules, then finding rules). */
  rank: (rule: string) => number;
  /** Per memo key, the rank of the rule that first asked for it in the last full run: it is computed as then. */
  memoRanks: ReadonlyMap<string, number>;
}

/** A stored node as the rule sees it, or what it emitted. */
function asStored(n: NodeFact): StoredNode {
  return { id: n.id, kind: n.kind, name: n.name, stub: Boolean(n.stub), boundary: n.boundary ?? null, handles: n.handles ?? [], props: n.props ?? {}, sources: [DERIVED_SOURCE] };
}

export class RunContext {
  readonly ctx: DeriveContext;
  /** Edges emitted (overlay 'run': by every rule so far; 'rule': by the current rule), by key. */
  readonly edges = new Map<string, RunEdge>();
  /** Node claims emitted, in order: every rule's (the first for an id is the node's fact). */
  readonly claims: { rule: string; rank: number; scope: string; fact: NodeFact }[] = [];
  /** The claims above by rule and node id (a rule emitting 20,000 stubs must not scan every claim for each). */
  private readonly claimKeys = new Set<string>();
  /** Memo keys asked for, with the rank of the rule that asked first. */
  readonly memoFirst = new Map<string, number>();

  private rule = '';
  private ruleRank = 0;
  /** Derived outputs of rules at or after this rank are invisible (the current rule's rank; lower inside a memo). */
  private visibleBelow = 0;
  /** Whether the current rule's own emissions are visible (not inside a memo pinned to an earlier rule). */
  private ownVisible = true;
  private readonly emittedNodes = new Map<string, { fact: NodeFact; rank: number }>();
  private readonly outIndex = new Map<string, DerivedOrStoredEdge[]>();
  private readonly inIndex = new Map<string, DerivedOrStoredEdge[]>();
  private readonly byKind = new Map<EdgeKind, DerivedOrStoredEdge[]>();
  private readonly memos = new Map<string, unknown>();
  // The store does not change while a rule runs: what it holds is read once per rule and kind.
  private storedByKind = new Map<NodeKind, StoredNode[]>();
  private storedEdgesByKind = new Map<EdgeKind, StoredEdge[]>();
  private storedNodes = new Map<string, StoredNode | null>();
  private shared: Set<number> | undefined;
  private claimRanks: Map<string, number> | undefined;

  constructor(
    private readonly store: CaseStore,
    readonly now: Date,
    private readonly opts: RunOptions,
  ) {
    const memo = <T>(key: string, compute: () => T): T => this.memo(key, compute);
    this.ctx = {
      now,
      memo,
      node: (id) => this.node(id),
      nodesOfKind: (kind) => this.nodesOfKind(kind),
      edgesOfKind: (kind) => this.edgesOfKind(kind),
      edgeEndsOfKind: (kind) => this.edgeEndsOfKind(kind),
      out: (id, kind) => this.adjacent(id, 'out', kind),
      in: (id, kind) => this.adjacent(id, 'in', kind),
      emitNode: (node) => this.emitNode(node),
      emitEdge: (edge) => this.emitEdge(edge),
    };
  }

  /** The rule about to run (its rank in the run order). In overlay 'rule', what it emits is kept apart. */
  begin(rule: string, rank: number): void {
    this.rule = rule;
    this.ruleRank = rank;
    this.visibleBelow = rank;
    this.ownVisible = true;
    if (this.opts.overlay === 'rule') {
      this.edges.clear();
      this.claims.length = 0;
      this.claimKeys.clear();
      this.emittedNodes.clear();
      this.outIndex.clear();
      this.inIndex.clear();
      this.byKind.clear();
    }
  }

  rankOf(rule: string): number {
    return this.opts.rank(rule);
  }

  /** The store changed (a rule's outputs were written): what was read from it is read again. */
  storeChanged(): void {
    this.storedByKind = new Map();
    this.storedEdgesByKind = new Map();
    this.storedNodes = new Map();
    this.shared = undefined;
    this.claimRanks = undefined;
  }

  /** The scope an output belongs to: that of the node it leaves (or of the node itself). */
  scopeOfId(id: string): string {
    const n = this.node(id);
    return n ? scopeOf(n.id, n.kind, n.boundary) : '';
  }

  /** The scope of a node as the store holds it (not what rules emitted): '' when it has no row. */
  storedScopeOf(id: string): string {
    const n = this.storedNode(id);
    return n ? scopeOf(n.id, n.kind, n.boundary) : '';
  }

  /** What the current rule emitted, for a fragment (its node claims and merged edges). */
  fragment(): GraphFragment {
    return { nodes: this.claims.map((c) => c.fact), edges: [...this.edges.values()].map((e) => e.edge), warnings: [] };
  }

  private memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    if (!this.memoFirst.has(key)) this.memoFirst.set(key, this.ruleRank);
    // Rules running again one by one: computed as in the last full run, with what the rule that first asked for it
    // saw then.
    const pinned = this.opts.overlay === 'rule' ? Math.min(this.ruleRank, this.opts.memoRanks.get(key) ?? this.ruleRank) : this.ruleRank;
    const saved = [this.visibleBelow, this.ownVisible] as const;
    if (pinned < this.visibleBelow) {
      this.visibleBelow = pinned;
      this.ownVisible = false;
      this.storeChanged();
    }
    try {
      const value = compute();
      this.memos.set(key, value);
      return value;
    } finally {
      if (saved[0] !== this.visibleBelow) {
        [this.visibleBelow, this.ownVisible] = saved;
        this.storeChanged();
      }
    }
  }

  // --- reading --------------------------------------------------------------------------------------------------

  private storedNode(id: string): StoredNode | undefined {
    let stored = this.storedNodes.get(id);
    if (stored === undefined) this.storedNodes.set(id, (stored = this.visibleNode(this.store.ruleNode(id)) ?? null));
    return stored ?? undefined;
  }

  private node(id: string): StoredNode | undefined {
    const stored = this.storedNode(id);
    if (stored) return stored;
    const own = this.emittedNodes.get(id);
    return own && this.canSee(own.rank) ? asStored(own.fact) : undefined;
  }

  private *nodesOfKind(kind: NodeKind): Iterable<StoredNode> {
    let stored = this.storedByKind.get(kind);
    if (!stored) {
      const rows = this.opts.scopes ? this.store.nodesOfKindIn(kind, [...this.opts.scopes]) : this.store.ruleNodesOfKind(kind);
      stored = [];
      for (const n of rows) {
        const v = this.visibleNode(n);
        if (v) stored.push(v);
        // By id too: rules look up the nodes they listed (a holder's kind, a finding's scope) without a query.
        if (!this.storedNodes.has(n.id)) this.storedNodes.set(n.id, v ?? null);
      }
      this.storedByKind.set(kind, stored);
    }
    yield* stored;
    for (const { fact, rank } of this.emittedNodes.values()) if (fact.kind === kind && this.canSee(rank) && !this.storedNode(fact.id)) yield asStored(fact);
  }

  private *edgesOfKind(kind: EdgeKind): Iterable<DerivedOrStoredEdge> {
    let stored = this.storedEdgesByKind.get(kind);
    if (!stored) {
      const rows = this.opts.scopes ? this.store.edgesOfKindIn(kind, [...this.opts.scopes]) : this.store.edgesOfKind(kind);
      stored = [];
      for (const e of rows) {
        const v = this.visibleEdge(e);
        if (v) stored.push(v);
      }
      this.storedEdgesByKind.set(kind, stored);
    }
    yield* stored;
    for (const e of this.byKind.get(kind) ?? []) if (this.ownVisible || this.opts.overlay === 'run') yield e;
  }

  /** edgesOfKind's ends; stated edges not read in full unless they already were (or the run is scoped). */
  private *edgeEndsOfKind(kind: EdgeKind): Iterable<[string, string]> {
    if (this.opts.scopes || this.storedEdgesByKind.has(kind)) {
      for (const e of this.edgesOfKind(kind)) yield [e.src, e.dst];
      return;
    }
    for (const r of this.store.edgeEndsOfKind(kind)) {
      if (Array.isArray(r)) yield r;
      else {
        const v = this.visibleEdge(r);
        if (v) yield [v.src, v.dst];
      }
    }
    for (const e of this.byKind.get(kind) ?? []) if (this.ownVisible || this.opts.overlay === 'run') yield [e.src, e.dst];
  }

  private adjacent(id: string, dir: 'out' | 'in', kind?: EdgeKind): DerivedOrStoredEdge[] {
    const out: DerivedOrStoredEdge[] = [];
    for (const e of this.store.edgesOf(id, dir, undefined, kind)) {
      const v = this.visibleEdge(e);
      if (v) out.push(v);
    }
    if (this.ownVisible || this.opts.overlay === 'run') for (const e of (dir === 'out' ? this.outIndex : this.inIndex).get(id) ?? []) if (!kind || e.kind === kind) out.push(e);
    return out;
  }

  /** In overlay 'run', emissions of rules before the visibility rank; in 'rule', the current rule's own. */
  private canSee(rank: number): boolean {
    return this.opts.overlay === 'run' ? rank < this.visibleBelow || (rank === this.visibleBelow && this.ownVisible) : this.ownVisible;
  }

  /** A stored edge as the current rule may see it: derived ones only from rules before it (a shared one as their merge). */
  private visibleEdge(e: StoredEdge): StoredEdge | undefined {
    if (!e.derived || e.rule === undefined) return e;
    this.shared ??= this.store.derivedSharedIds();
    if (!this.shared.has(e.id)) return this.opts.rank(e.rule) < this.visibleBelow ? e : undefined;
    const parts = this.store.derivedParts(e.id).filter((p) => this.opts.rank(p.rule) < this.visibleBelow).sort((a, b) => this.opts.rank(a.rule) - this.opts.rank(b.rule));
    if (!parts.length) return undefined;
    const props = mergeParts(parts);
    return { ...e, props, conditional: Boolean(props.conditional) };
  }

  /** A stored node as the current rule may see it: a derived fact only if a rule before it claims the node. */
  private visibleNode(n: StoredNode | undefined): StoredNode | undefined {
    if (!n) return n;
    // The claims first: a node no rule claims has no derived fact, and its sources need not be parsed.
    this.claimRanks ??= this.firstClaimRanks();
    const first = this.claimRanks.get(n.id);
    if (first === undefined || first < this.visibleBelow || !n.sources.includes(DERIVED_SOURCE)) return n;
    return n.sources.length > 1 ? this.store.nodeWithoutDerived(n.id) : undefined;
  }

  private firstClaimRanks(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [id, rules] of this.store.derivedClaims()) out.set(id, Math.min(...rules.map((r) => this.opts.rank(r))));
    return out;
  }

  // --- emitting -------------------------------------------------------------------------------------------------

  private emitNode(node: NodeFact): void {
    // Every rule's claim is kept; the first one is the node's fact (later emissions of the same id change nothing).
    const key = `${this.rule}\n${node.id}`;
    if (this.claimKeys.has(key)) return;
    this.claimKeys.add(key);
    this.claims.push({ rule: this.rule, rank: this.ruleRank, scope: scopeOf(node.id, node.kind, node.boundary ?? null), fact: node });
    if (!this.emittedNodes.has(node.id)) this.emittedNodes.set(node.id, { fact: node, rank: this.ruleRank });
  }

  private emitEdge(edge: EdgeFact): void {
    // One edge per (kind, from, to, technique): a second statement adds evidence, not a row.
    const key = edgeKey(edge.kind, edge.from, edge.to, edge.props?.technique);
    const prev = this.edges.get(key);
    if (prev) {
      // The first part shares the edge's props (below), and a rule may share one props object between edges (a
      // grant's, for every resource it reaches): both are copied before they change, never the object emitted.
      const first = prev.parts[0]!;
      if (first.props === prev.edge.props) {
        first.props = { ...first.props };
        prev.edge.props = { ...prev.edge.props };
      }
      const props = (prev.edge.props ??= {});
      props.evidence = [...(props.evidence ?? []), ...(edge.props?.evidence ?? [])];
      // An unconditional grant beats a conditional one for the same step.
      if (!edge.props?.conditional) delete props.conditional;
      const mine = prev.parts.find((p) => p.rule === this.rule);
      if (mine) {
        mine.props.evidence = [...(mine.props.evidence ?? []), ...(edge.props?.evidence ?? [])];
        if (!edge.props?.conditional) delete mine.props.conditional;
      } else prev.parts.push({ rule: this.rule, rank: this.ruleRank, scope: '', props: { ...(edge.props ?? {}) } });
      return;
    }
    // Most edges are emitted once: the part shares the edge's props, copied only if a later emission merges in.
    this.edges.set(key, { edge, parts: [{ rule: this.rule, rank: this.ruleRank, scope: '', props: edge.props ?? {} }] });
    const view = new EmittedView(edge);
    push(this.outIndex, edge.from, view);
    push(this.inIndex, edge.to, view);
    push(this.byKind, edge.kind, view);
  }
}

function push<K>(index: Map<K, DerivedOrStoredEdge[]>, key: K, view: DerivedOrStoredEdge): void {
  const list = index.get(key);
  if (list) list.push(view);
  else index.set(key, [view]);
}

/**
 * An emitted edge as later rules read it: through to the edge, so evidence merged later is seen. Getters on the
 * class, not on each object: a run emits tens of thousands.
 */
class EmittedView implements DerivedOrStoredEdge {
  readonly derived = true;
  readonly src: string;
  readonly dst: string;
  readonly kind: EdgeKind;
  constructor(private readonly edge: EdgeFact) {
    this.src = edge.from;
    this.dst = edge.to;
    this.kind = edge.kind;
  }
  get props(): EdgeProps {
    return this.edge.props ?? {};
  }
  get conditional(): boolean {
    return Boolean(this.edge.props?.conditional);
  }
}
