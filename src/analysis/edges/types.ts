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

/** One derived-edge rule per file: src/analysis/edges/<rule>.ts, listed in index.ts. */
export interface EdgeRule {
  id: string;
  description: string;
  /** Edge kinds the rule can emit (checked by the drift test). */
  emits: readonly EdgeKind[];
  derive(ctx: DeriveContext): void;
}
