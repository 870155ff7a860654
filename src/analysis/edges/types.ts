import type { EdgeFact, NodeFact } from '../../model/fragment.js';
import type { EdgeKind, NodeKind } from '../../model/kinds.js';
import type { StoredEdge, StoredNode } from '../../store/case-store.js';

/**
 * What a derivation rule sees: the case's nodes and edges (imported, plus what earlier rules emitted
 * in this run), and where to put what it derives. Rules never query the store themselves.
 */
export interface DeriveContext {
  readonly now: Date;
  node(id: string): StoredNode | undefined;
  nodesOfKind(kind: NodeKind): Iterable<StoredNode>;
  edgesOfKind(kind: EdgeKind): Iterable<DerivedOrStoredEdge>;
  /** The ends of edgesOfKind's edges, in its order, without their props (a rule that wants only who links to whom). */
  edgeEndsOfKind?(kind: EdgeKind): Iterable<[src: string, dst: string]>;
  /** Edges leaving / entering a node, optionally of one kind. */
  out(id: string, kind?: EdgeKind): DerivedOrStoredEdge[];
  in(id: string, kind?: EdgeKind): DerivedOrStoredEdge[];
  emitNode(node: NodeFact): void;
  emitEdge(edge: EdgeFact): void;
  /**
   * A value computed once per derivation run and shared by every rule that asks for the same key
   * (e.g. the evaluated AWS model of a case, which many AWS rules read).
   */
  memo<T>(key: string, compute: () => T): T;
}

export type DerivedOrStoredEdge = Pick<StoredEdge, 'src' | 'dst' | 'kind' | 'props' | 'conditional' | 'derived'>;

/**
 * What a rule reads, declared so that an import re-runs it only when its inputs changed (analysis/derive.ts). A rule
 * that declares nothing is re-run after every import, in full. A declaration must name every kind the rule reads
 * in any way — nodesOfKind, node(id) (the kinds that id may have), out/in/edgesOfKind, and kinds read by shared
 * helpers and memos it uses; the incremental-derivation tests check it against a full run.
 */
export interface RuleReads {
  nodes: readonly NodeKind[];
  edges: readonly EdgeKind[];
  /**
   * For some edge kinds, only the edges between these node kinds matter (the AWS model reads MEMBER_OF edges
   * leaving IAM users, not an Entra tenant's): a change to other edges of that kind does not re-run the rule.
   */
  edgeEnds?: Partial<Record<EdgeKind, { from?: readonly NodeKind[]; to?: readonly NodeKind[] }>>;
  /**
   * For some node kinds, only the nodes inside boundaries whose ids start with one of these prefixes matter (the AWS
   * rules read the admin nodes of AWS accounts, not a cluster's or a tenant's): a change to other nodes of that kind
   * does not re-run the rule.
   */
  nodesWithin?: Partial<Record<NodeKind, readonly string[]>>;
  /** Edges of any kind leaving or entering nodes of these kinds (ctx.out(id) / ctx.in(id) without a kind). */
  edgesAt?: readonly NodeKind[];
  /**
   * The rule compares times with the import's time (ctx.now): it runs again whenever that changes. `mentions`: only
   * when some node's props mention one of these words (the AWS model reads the time only for policy conditions on
   * aws:CurrentTime or aws:TokenIssueTime); a case without them does not re-run the rule for a new time.
   */
  now?: boolean | { mentions: readonly string[] };
  /**
   * The rule works boundary by boundary (an account, a cluster, a project): what it derives for the nodes of one
   * boundary depends only on the nodes of that boundary and the edges touching them, among the kinds above — except
   * the kinds in `across`, which it reads wherever they are (a change to one of those re-runs it everywhere). It is
   * then re-run only for the boundaries whose inputs changed.
   */
  perBoundary?: { across?: readonly (NodeKind | EdgeKind)[] };
}

/** One derived-edge rule per file: src/analysis/edges/<rule>.ts, listed in index.ts. */
export interface EdgeRule {
  id: string;
  description: string;
  /** Edge kinds the rule can emit (checked by the drift test). */
  emits: readonly EdgeKind[];
  /** What it reads (see RuleReads); without it the rule re-runs after every import. */
  reads?: RuleReads;
  derive(ctx: DeriveContext): void;
}
