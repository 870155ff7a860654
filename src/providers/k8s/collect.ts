import type { DeriveContext } from '../../analysis/edges/types.js';
import type { EdgeFact, EdgeProps, Evidence } from '../../model/fragment.js';
import type { EdgeKind } from '../../model/kinds.js';

interface Entry {
  edge: EdgeFact;
  // Evidence and actions per edge are few: plain arrays with a linear check allocate far less than a Set each.
  evidence: Evidence[];
  actions: string[];
  seen: Set<Evidence> | undefined;
  /** The list merged last: a grant's list comes again for each request its rule allows, and adds nothing then. */
  last: readonly Evidence[] | undefined;
}

/**
 * Gathers one edge per (kind, from, to, technique) with all its evidence before emitting, so a cluster-wide grant
 * reaching thousands of targets costs one emit each, not a growing evidence array merged on every statement.
 */
export class EdgeCollector {
  // Keyed by kind, family, from, then to: hundreds of thousands of lookups without building a key string each.
  private readonly index = new Map<string, Map<string, Map<string, Map<string, Entry>>>>();
  /** Entries in the order they were first made (the order edges are emitted in). */
  private readonly entries: Entry[] = [];

  /** The targets of the last (kind, family, from) asked: a loop over a grant's pods asks for the same one each time. */
  private last: { kind: EdgeKind; family: string; from: string; byTo: Map<string, Entry> } | undefined;

  private targets(kind: EdgeKind, from: string, family: string): Map<string, Entry> {
    const last = this.last;
    if (last && last.from === from && last.family === family && last.kind === kind) return last.byTo;
    let byFamily = this.index.get(kind);
    if (!byFamily) this.index.set(kind, (byFamily = new Map()));
    let byFrom = byFamily.get(family);
    if (!byFrom) byFamily.set(family, (byFrom = new Map()));
    let byTo = byFrom.get(from);
    if (!byTo) byFrom.set(from, (byTo = new Map()));
    this.last = { kind, family, from, byTo };
    return byTo;
  }

  private entry<A>(kind: EdgeKind, from: string, to: string, family: string, make: (arg: A) => EdgeProps, arg: A): Entry {
    const byTo = this.targets(kind, from, family);
    let found = byTo.get(to);
    if (!found) {
      found = { edge: { kind, from, to, props: make(arg) }, evidence: [], actions: [], seen: undefined, last: undefined };
      byTo.set(to, found);
      this.entries.push(found);
    }
    return found;
  }

  /**
   * `family` merges several techniques into one edge (creating pods, creating workloads, patching workloads all
   * reach the same account the same way): the first-added technique names it, later ones add actions and evidence.
   */
  add(kind: EdgeKind, from: string, to: string, props: EdgeProps & { technique: string; reason: string }, evidence: readonly Evidence[], action?: string, family?: string): void {
    if (from === to) return;
    // A copy: emit() fills the edge's props in place, and a caller may pass one object for several targets.
    const entry = this.entry(kind, from, to, family ?? props.technique, copyProps, props);
    // An unconditional way beats a conditional one for the same step.
    if (entry.edge.props?.conditional && !props.conditional) entry.edge.props = { ...props };
    merge(entry, evidence, undefined, action);
  }

  /**
   * As add, with the props built (by make(arg)) only for the first way to an edge (hot loops over thousands of pods),
   * and one more piece of evidence (the pod) beside the grant's shared ones. `make` is made once per loop and `arg`
   * (the pod, the account) varies: no closure is allocated per call.
   */
  addWith<A>(kind: EdgeKind, from: string, to: string, family: string, make: (arg: A) => EdgeProps & { technique: string; reason: string }, arg: A, evidence: readonly Evidence[], action?: string, more?: Evidence): void {
    if (from === to) return;
    merge(this.entry(kind, from, to, family, make, arg), evidence, more, action);
  }

  emit(ctx: DeriveContext): void {
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) {
      const { edge, evidence, actions } = entries[i]!;
      // Props objects are made for this edge alone (make() runs once per entry): filled in place, not copied.
      const props = (edge.props ??= {});
      props.evidence = evidence;
      // One action is sorted already (sort() allocates even then: tens of thousands of edges have one).
      if (actions.length) props.actions = actions.length > 1 ? actions.sort() : actions;
      ctx.emitEdge(edge);
    }
  }
}

/** Evidence objects are built once per grant and per workload, so identity is enough to drop repeats. */
function merge(entry: Entry, evidence: readonly Evidence[], more: Evidence | undefined, action: string | undefined): void {
  if (action && !entry.actions.includes(action)) entry.actions = append(entry.actions, action);
  // Lists are not changed once handed over: the one merged last has nothing left to add.
  if (entry.last !== evidence) {
    for (let i = 0; i < evidence.length; i++) addEvidence(entry, evidence[i]!);
    entry.last = evidence;
  }
  if (more) addEvidence(entry, more);
}

const copyProps = (props: EdgeProps): EdgeProps => ({ ...props });

/**
 * `list` with `x` added. A short list is copied into one of its exact length: pushed onto, an array of a few
 * items holds room for 17, and tens of thousands of edges keep theirs (evidence, actions) to the end of the run.
 */
function append<T>(list: T[], x: T): T[] {
  const n = list.length;
  if (n >= 8) {
    list.push(x);
    return list;
  }
  const out = new Array<T>(n + 1);
  for (let i = 0; i < n; i++) out[i] = list[i]!;
  out[n] = x;
  return out;
}

function addEvidence(entry: Entry, e: Evidence): void {
  // A service account run by thousands of pods gathers as many pieces: past a few, look them up in a Set.
  if (entry.seen ? entry.seen.has(e) : entry.evidence.includes(e)) return;
  entry.evidence = append(entry.evidence, e);
  if (entry.seen) entry.seen.add(e);
  else if (entry.evidence.length > 16) entry.seen = new Set(entry.evidence);
}
