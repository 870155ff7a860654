import type { DeriveContext } from '../../analysis/edges/types.js';
import type { EdgeFact, EdgeProps, Evidence } from '../../model/fragment.js';
import type { EdgeKind } from '../../model/kinds.js';

/**
 * Gathers one edge per (kind, from, to, technique) with all its evidence before emitting, so a cluster-wide grant
 * reaching thousands of targets costs one emit each, not a growing evidence array merged on every statement.
 */
export class EdgeCollector {
  private readonly edges = new Map<string, { edge: EdgeFact; evidence: Evidence[]; actions: Set<string>; seen: Set<Evidence> }>();

  /**
   * `family` merges several techniques into one edge (creating pods, creating workloads, patching workloads all
   * reach the same account the same way): the first-added technique names it, later ones add actions and evidence.
   */
  add(kind: EdgeKind, from: string, to: string, props: EdgeProps & { technique: string; reason: string }, evidence: Evidence[], action?: string, family?: string): void {
    if (from === to) return;
    const key = `${kind}\n${from}\n${to}\n${family ?? props.technique}`;
    let entry = this.edges.get(key);
    if (!entry) {
      entry = { edge: { kind, from, to, props }, evidence: [], actions: new Set(), seen: new Set() };
      this.edges.set(key, entry);
    } else if (entry.edge.props?.conditional && !props.conditional) {
      // An unconditional way beats a conditional one for the same step.
      entry.edge.props = props;
    }
    this.merge(entry, evidence, action);
  }

  /** As add, with the props built only for the first way to an edge (hot loops over thousands of pods). */
  addWith(kind: EdgeKind, from: string, to: string, family: string, make: () => EdgeProps & { technique: string; reason: string }, evidence: Evidence[], action?: string): void {
    if (from === to) return;
    const key = `${kind}\n${from}\n${to}\n${family}`;
    let entry = this.edges.get(key);
    if (!entry) {
      entry = { edge: { kind, from, to, props: make() }, evidence: [], actions: new Set(), seen: new Set() };
      this.edges.set(key, entry);
    }
    this.merge(entry, evidence, action);
  }

  private merge(entry: { evidence: Evidence[]; actions: Set<string>; seen: Set<Evidence> }, evidence: Evidence[], action: string | undefined): void {
    if (action) entry.actions.add(action);
    // Evidence objects are built once per grant and per workload, so identity is enough to drop repeats.
    for (const e of evidence) {
      if (entry.seen.has(e)) continue;
      entry.seen.add(e);
      entry.evidence.push(e);
    }
  }

  emit(ctx: DeriveContext): void {
    for (const { edge, evidence, actions } of this.edges.values()) {
      ctx.emitEdge({ ...edge, props: { ...edge.props, evidence, ...(actions.size ? { actions: [...actions].sort() } : {}) } });
    }
  }
}
