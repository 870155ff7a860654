// What changed since the last derivation, as the rules' declarations speak of it: node kinds and edge kinds, each
// with the scopes (boundaries) it changed in (and for edges, the kinds of nodes at their ends), or everywhere.
// Built from the store's change log, then grown by what each rule that runs again changes in its outputs.
import type { Journal } from '../../store/change-log.js';
import type { CaseStore } from '../../store/case-store.js';
import type { RuleReads } from '../edges/types.js';

/** Changed edges listed one by one up to this many; past it a kind counts as changed everywhere. */
const MAX_LISTED_EDGES = 200_000;
/** A rule per boundary runs over the boundaries changed up to this many; past it, over the whole case. */
const MAX_SCOPES = 1_000;

export type Plan = { mode: 'skip' } | { mode: 'full' } | { mode: 'scoped'; scopes: ReadonlySet<string> };

/** Changed edges of one kind: where (scopes of either end), and between which node kinds. */
interface EdgeChanges {
  scopes: Set<string> | 'all';
  from: Set<string> | 'all';
  to: Set<string> | 'all';
}

/** A node's kind and scope (undefined: no node row, e.g. an id only edges name). */
export type NodeInfo = { kind: string; scope: string } | undefined;

export class ChangeSet {
  readonly nodes = new Map<string, Set<string> | 'all'>();
  readonly edges = new Map<string, EdgeChanges>();
  /** Kinds of nodes at an end of a changed edge (for rules reading every edge of some nodes). */
  readonly ends = new Set<string>();
  endsAll = false;

  addNode(kind: string, scope: string): void {
    const cur = this.nodes.get(kind);
    if (cur === 'all') return;
    if (cur) cur.add(scope);
    else this.nodes.set(kind, new Set([scope]));
  }

  addEdge(kind: string, from: NodeInfo, to: NodeInfo): void {
    let c = this.edges.get(kind);
    if (!c) this.edges.set(kind, (c = { scopes: new Set(), from: new Set(), to: new Set() }));
    for (const [end, info] of [['from', from], ['to', to]] as const) {
      if (c.scopes !== 'all') c.scopes.add(info?.scope ?? '');
      const kinds = c[end];
      if (kinds !== 'all') kinds.add(info?.kind ?? '');
      if (info) this.ends.add(info.kind);
    }
  }

  allEdges(kind: string): void {
    this.edges.set(kind, { scopes: 'all', from: 'all', to: 'all' });
    this.endsAll = true;
  }
}

/** The changes an import made, from the store's change log of its transaction. */
export function changesOf(store: CaseStore, journal: Journal): ChangeSet {
  const changes = new ChangeSet();
  for (const [kind, scopes] of journal.nodeKinds) for (const s of scopes) changes.addNode(kind, s);
  const info = infoCache(store, journal);
  if (journal.edgesOverflow || journal.edgeCount > MAX_LISTED_EDGES) {
    for (const code of journal.edgeKinds) changes.allEdges(store.edgeKindOfCode(code));
  } else {
    for (const e of journal.addedEdges()) changes.addEdge(store.edgeKindOfCode(e.kind), info(e.src), info(e.dst));
    for (const e of journal.removedEdges()) changes.addEdge(store.edgeKindOfCode(e.kind), info(e.src), info(e.dst));
  }
  // Aliases coming into or out of effect move the edges stated about aliased ids to other nodes.
  if (journal.aliasesChanged) for (const [kind, src, dst] of store.edgesAtAliases()) changes.addEdge(kind, store.nodeInfo(src), store.nodeInfo(dst));
  return changes;
}

/** A node's kind and scope by its number: its row's, else (deleted in this transaction) the row it had. */
function infoCache(store: CaseStore, journal: Journal): (nid: number) => NodeInfo {
  const cache = new Map<number, NodeInfo>();
  return (nid) => {
    if (cache.has(nid)) return cache.get(nid);
    const id = store.nodeIdOfNumber(nid);
    const deleted = journal.deleted.get(nid);
    const i = (id !== undefined ? store.nodeInfo(id) : undefined) ?? deleted;
    cache.set(nid, i);
    return i;
  };
}

/** Whether a rule runs again, and over what. */
export function planFor(reads: RuleReads | undefined, changes: ChangeSet, nowChanged: boolean, mentioned: (words: readonly string[]) => boolean = () => true): Plan {
  if (!reads) return { mode: 'full' };
  if (reads.now && nowChanged && (reads.now === true || mentioned(reads.now.mentions))) return { mode: 'full' };
  if (reads.edgesAt && (changes.endsAll || reads.edgesAt.some((k) => changes.ends.has(k)))) return { mode: 'full' };
  const hit: (Set<string> | 'all')[] = [];
  for (const k of reads.nodes) {
    const c = changes.nodes.get(k);
    if (!c) continue;
    const within = reads.nodesWithin?.[k];
    if (!within || c === 'all') {
      hit.push(c);
      continue;
    }
    // '' (a node in no boundary) may be anywhere: it counts.
    const inside = new Set([...c].filter((s) => s === '' || within.some((prefix) => s.startsWith(prefix))));
    if (inside.size) hit.push(inside);
  }
  for (const k of reads.edges) {
    const c = changes.edges.get(k);
    if (!c) continue;
    const ends = reads.edgeEnds?.[k];
    if (ends && !(meets(c.from, ends.from) && meets(c.to, ends.to))) continue;
    hit.push(c.scopes);
  }
  if (!hit.length) return { mode: 'skip' };
  const per = reads.perBoundary;
  if (!per || hit.includes('all')) return { mode: 'full' };
  for (const k of per.across ?? []) if (changes.nodes.has(k) || changes.edges.has(k)) return { mode: 'full' };
  const scopes = new Set<string>();
  for (const h of hit) for (const s of h as Set<string>) scopes.add(s);
  return scopes.size > MAX_SCOPES ? { mode: 'full' } : { mode: 'scoped', scopes };
}

/** Whether changed edges' end kinds meet the kinds a rule reads at that end ('' is an id without a node row). */
function meets(changed: Set<string> | 'all', wanted: readonly string[] | undefined): boolean {
  if (!wanted || changed === 'all') return true;
  for (const k of changed) if (k === '' || wanted.includes(k)) return true;
  return false;
}
