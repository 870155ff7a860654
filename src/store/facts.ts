import type { GraphFragment, JsonObject, NodeFact } from '../model/fragment.js';
import { isEdgeKind, isNodeKind } from '../model/kinds.js';
import type { AliasIndex } from './aliases.js';
import type { BulkIndexes } from './bulk-indexes.js';
import type { EvidenceTable } from './evidence.js';
import type { ChangeLog } from './change-log.js';
import type { GraphSnapshotTable } from './graph-snapshot.js';
import type { EdgeKinds, NodeIds } from './node-ids.js';
import { FactMirror, sortFacts, type MirroredFact, type RowState } from './fact-mirror.js';
import { mergeFacts, uniqueHandles, type FactRowRaw, type NodeRowRaw } from './rows.js';
import type { SearchIndex } from './search-index.js';
import { jsonExact, type PropsMemo } from './props-memo.js';
import { RowBatch, type Sql } from './sql.js';
import { DERIVED_SOURCE } from './types.js';

/**
 * Writes what sources state (node facts, edges, aliases) and rebuilds the merged `nodes` rows from them.
 *
 * Most nodes are stated once: their first statement is written straight into `nodes` (`solo_source`) and moves to
 * `node_facts` only when a second source states the node, so a re-import can replace exactly its own rows.
 */
export class FactWriter {
  constructor(
    private readonly sql: Sql,
    private readonly aliases: AliasIndex,
    private readonly search: SearchIndex,
    private readonly evidence: EvidenceTable,
    private readonly snapshot: GraphSnapshotTable,
    private readonly nids: NodeIds,
    private readonly kinds: EdgeKinds,
    private readonly changes: ChangeLog,
    private readonly propsMemo: PropsMemo,
    private readonly bulk: BulkIndexes,
  ) {}

  /**
   * Writes one fragment's nodes, edges and aliases for a source. Duplicate node facts within the
   * fragment are merged first. Adds the node ids touched (to materialise) to `touched`.
   */
  writeFragment(sourceId: number, fragment: GraphFragment, touched: Set<string>, derived = false): { nodes: number; edges: number } {
    return this.nids.batched(() => this.write(sourceId, fragment, touched, derived));
  }

  private write(sourceId: number, fragment: GraphFragment, touched: Set<string>, derived: boolean): { nodes: number; edges: number } {
    const merged = new Map<string, NodeFact>();
    for (const n of fragment.nodes) {
      if (!isNodeKind(n.kind)) throw new Error(`unknown node kind '${String(n.kind)}' for ${n.id}`);
      const prev = merged.get(n.id);
      merged.set(n.id, prev ? mergeFacts(prev, n) : n);
    }
    const aliased = this.aliasedIds(fragment);
    // Prepared only without the mirror: with it, the id indexes may be suspended, and ON CONFLICT(id) needs them.
    const insertSolo = () =>
      this.sql.stmt(
        `INSERT INTO nodes (rowid, id, kind, name, stub, boundary, handles, props, sources, solo_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO NOTHING`,
      );
    // Ids the case has never numbered cannot conflict: their rows go in several per statement.
    const newSolos = new RowBatch(this.sql, 'INSERT INTO nodes (rowid, id, kind, name, stub, boundary, handles, props, sources, solo_source)', '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    // Each source's facts, several per statement: ids are unique within the fragment, so no two rows of one
    // statement meet. Solo rows becoming facts are moved after them (see moveSolos), which keeps a source's newer
    // statement of its own node.
    const facts = new RowBatch(
      this.sql,
      'INSERT INTO node_facts (node_id, source_id, kind, name, stub, boundary, handles, props)',
      '(?, ?, ?, ?, ?, ?, ?, ?)',
      64,
      `ON CONFLICT(node_id, source_id) DO UPDATE SET kind = excluded.kind, name = excluded.name, stub = excluded.stub,
         boundary = excluded.boundary, handles = excluded.handles, props = excluded.props`,
    );
    const moves: string[] = [];
    const mirror = this.mirrorFor(sourceId);
    this.snapshot.touch();
    const journal = this.changes.journal;
    const nids = this.nids;
    const sources = `[${sourceId}]`;
    // The boundary last numbered: a fragment's nodes come in runs of one boundary (an account's, a cluster's).
    let numbered: string | undefined;
    for (const n of merged.values()) {
      const handles = handleText(n);
      const props = JSON.stringify(n.props ?? {});
      const stub = n.stub ? 1 : 0;
      const boundary = n.boundary ?? null;
      // First statement of a node: it is its own merged view. Otherwise keep each source's fact and merge.
      // A boundary is numbered with the node that names it, so the graph index can point at it from then on.
      if (boundary && boundary !== numbered) {
        nids.nid(boundary);
        numbered = boundary;
      }
      const isAliased = aliased.has(n.id);
      if (!isAliased) {
        // With the mirror, whether the id has a row is known (and then the insert would do nothing).
        const fresh = mirror ? !mirror.hasRow(n.id) : nids.isNew(n.id);
        const nid = nids.nid(n.id);
        if (fresh) {
          newSolos.push(nid, n.id, n.kind, n.name, stub, boundary, handles, props, sources, sourceId);
          mirror?.solo({ node_id: n.id, source_id: sourceId, kind: n.kind, name: n.name, stub, boundary, handles, props });
        }
        if (fresh || (!mirror && insertSolo().run(nid, n.id, n.kind, n.name, stub, boundary, handles, props, sources, sourceId).changes === 1)) {
          this.noSolo.delete(n.id);
          // Derivation reads this node back: it may take the object rather than parse the text again.
          // (Not rules' own nodes: what a rule emitted stays its own.)
          if (n.props && sourceId !== DERIVED_SOURCE) this.propsMemo.wrote(n.id, n.kind, props, n.props);
          // A row under a number the case had before (an id edges named) is not covered by the bulk search upkeep.
          this.search.written(nid);
          journal.nodeWritten(nid, n.id, { kind: n.kind, name: n.name, boundary, stub }, null);
          continue;
        }
      }
      this.factsFromSolo(n.id, moves);
      facts.push(n.id, sourceId, n.kind, n.name, stub, boundary, handles, props);
      mirror?.upsert({ node_id: n.id, source_id: sourceId, kind: n.kind, name: n.name, stub, boundary, handles, props, object: exactProps(n.props) });
      touched.add(n.id);
      // A newly stated alias target can bring aliases into effect.
      if (isAliased) {
        this.aliases.invalidateEffective();
        journal.aliasesChanged = true;
      }
    }
    newSolos.flush();
    facts.flush();
    // Several rows per statement, numbered here as SQLite would (one past the largest id) for the change log.
    const insertEdges = new RowBatch(this.sql, 'INSERT INTO edge_rows (id, src, dst, kind, source_id, derived, conditional, first_seen, last_seen, props, evidence)', '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    // A source's plain edges (no condition, no times: nearly all of a large file) bind only the columns that vary, the
    // rest taking their defaults (derived 0, conditional 0, NULL times and evidence): half the values to bind.
    const plainEdges = derived ? undefined : new RowBatch(this.sql, 'INSERT INTO edge_rows (id, src, dst, kind, source_id, props)', '(?, ?, ?, ?, ?, ?)', 128);
    let nextEdge = fragment.edges.length ? ((this.sql.stmt('SELECT max(id) FROM edge_rows').pluck().get() as number | null) ?? 0) + 1 : 0;
    // Kinds repeat: checked and numbered once per fragment (and runs of one kind look up nothing).
    const codes = new Map<string, number>();
    let lastKind = '';
    let code = 0;
    for (const e of fragment.edges) {
      if (e.kind !== lastKind) {
        let c = codes.get(e.kind);
        if (c === undefined) {
          if (!isEdgeKind(e.kind)) throw new Error(`unknown edge kind '${String(e.kind)}' from ${e.from}`);
          codes.set(e.kind, (c = this.kinds.code(e.kind)));
        }
        code = c;
        lastKind = e.kind;
      }
      const p = e.props ?? {};
      const shared = derived && Array.isArray(p.evidence) && p.evidence.length > 0;
      const props = shared ? JSON.stringify({ ...p, evidence: undefined }) : JSON.stringify(p);
      const refs = shared ? this.evidence.refs(p.evidence!) : null;
      const src = nids.nid(e.from);
      const dst = nids.nid(e.to);
      const firstSeen = p.firstSeen ?? null;
      const lastSeen = p.lastSeen ?? null;
      const id = nextEdge++;
      if (plainEdges && !p.conditional && firstSeen === null && lastSeen === null) plainEdges.push(id, src, dst, code, sourceId, props);
      else insertEdges.push(id, src, dst, code, derived ? null : sourceId, derived ? 1 : 0, p.conditional ? 1 : 0, firstSeen, lastSeen, props, refs);
      journal.edgeAdded(id, src, dst, code, Boolean(p.conditional), firstSeen, lastSeen, typeof p.accessLevel === 'string' ? p.accessLevel : null);
    }
    plainEdges?.flush();
    insertEdges.flush();
    if (fragment.aliases?.length) {
      // Several per statement; a later row of one statement replaces an earlier one with the same key, as one by one.
      const insertAlias = new RowBatch(this.sql, 'INSERT OR REPLACE INTO node_aliases (alias, canonical, source_id)', '(?, ?, ?)');
      for (const a of fragment.aliases) {
        this.factsFromSolo(a.from, moves);
        this.factsFromSolo(a.to, moves);
        insertAlias.push(a.from, a.to, sourceId);
        touched.add(a.from);
        touched.add(a.to);
      }
      insertAlias.flush();
      journal.aliasesChanged = true;
      this.aliases.invalidate();
    }
    this.moveSolos(moves);
    return { nodes: merged.size, edges: fragment.edges.length };
  }

  /** Drops every derived edge and node, returning the derived node ids (to materialise). */
  clearDerived(): Set<string> {
    this.dropMirror();
    const touched = new Set<string>();
    const journal = this.changes.journal;
    for (const [nid, kind, boundary, id] of this.search.deleteNodes('solo_source = ?', DERIVED_SOURCE)) journal.nodeDeleted(nid, { kind, boundary, id });
    for (const r of this.sql.stmt('SELECT node_id FROM node_facts WHERE source_id = ?').iterate(DERIVED_SOURCE) as Iterable<{ node_id: string }>) touched.add(r.node_id);
    this.sql.stmt('DELETE FROM node_facts WHERE source_id = ?').run(DERIVED_SOURCE);
    journal.edgesRemoved(this.sql.stmt('DELETE FROM edge_rows WHERE derived = 1 RETURNING id, src, dst, kind').raw().iterate() as Iterable<[number, number, number, number]>);
    this.sql.stmt('DELETE FROM derived_nodes').run();
    this.sql.stmt('DELETE FROM derived_parts').run();
    this.evidence.clear();
    this.snapshot.touch();
    return touched;
  }

  /**
   * Rebuilds the merged `nodes` rows for the given ids from their facts. A node stated by one source
   * is copied in SQL; nodes stated by several, or aliased, are merged here.
   */
  materialize(touched: Iterable<string>): void {
    this.snapshot.touch();
    const all = new Set(touched);
    if (all.size) this.nids.batched(() => this.merge(all));
  }

  /** materialize, for the ids touched (not empty). */
  private merge(all: Set<string>): void {
    const mirror = this.mirror;
    // The mirror serves this materialisation only (it is not kept up with the merged rows).
    this.dropMirror();
    const counts = () => ({ facts: this.sql.stmt('SELECT count(*) FROM node_facts').pluck().get() as number, nodes: this.sql.stmt('SELECT count(*) FROM nodes').pluck().get() as number });
    const mirrored = mirror && mirror.holds(counts()) ? mirror : undefined;
    // The mirror knows which ids have facts (which aliases are in effect) without asking the table.
    const aliases = this.aliases.map(mirrored && ((id) => mirrored.hasFacts(id)));
    // An alias that comes into or out of effect changes the merged rows of every id along its chain.
    this.aliases.close(all);
    const canonicalIds = new Set<string>();
    for (const id of all) canonicalIds.add(aliases.get(id) ?? id);
    let factsOf: (id: string) => FactRowRaw[] | undefined;
    let rowOf: (id: string) => RowState | undefined;
    if (mirrored) {
      const mirror = mirrored;
      // Asked of the mirror as they are needed.
      factsOf = (id) => mirror.factsOf(id);
      rowOf = (id) => mirror.row(id);
    } else {
      // The facts and rows of every id concerned, read in one statement each (not a query per id).
      const wanted = new Set(all);
      for (const id of canonicalIds) {
        wanted.add(id);
        for (const alias of this.aliases.aliasesOf(id)) wanted.add(alias);
      }
      const factsById = new Map<string, FactRowRaw[]>();
      const stored = new Map<string, RowState>();
      const list = JSON.stringify([...wanted]);
      for (const f of this.sql.stmt('SELECT * FROM node_facts WHERE node_id IN (SELECT value FROM json_each(?)) ORDER BY stub DESC, source_id ASC').iterate(list) as Iterable<FactRowRaw>) {
        const group = factsById.get(f.node_id);
        if (group) group.push(f);
        else factsById.set(f.node_id, [f]);
      }
      for (const r of this.sql.stmt('SELECT id, solo_source, kind, boundary FROM nodes WHERE id IN (SELECT value FROM json_each(?))').iterate(list) as Iterable<RowState & { id: string }>) {
        stored.set(r.id, { solo_source: r.solo_source, kind: r.kind, boundary: r.boundary });
      }
      factsOf = (id) => factsById.get(id);
      rowOf = (id) => stored.get(id);
    }
    // Rows written (their state) or deleted (null) here, over those read.
    const changed = new Map<string, RowState | null>();
    const rowState = (id: string): RowState | undefined => {
      const row = changed.get(id);
      return row === undefined ? rowOf(id) : row ?? undefined;
    };
    const journal = this.changes.journal;
    // Deleting a row also deletes its search entries: skip ids that have no row (rendezvous ids never do).
    const del = (id: string) => {
      if (!rowState(id)) return;
      changed.set(id, null);
      for (const [nid, kind, boundary, nodeId] of this.search.deleteNodes('id = ?', id)) journal.nodeDeleted(nid, { kind, boundary, id: nodeId });
    };
    // Aliases are merged into their canonical node; their own rows must go. An alias row can only exist if its
    // alias came into effect in this change, so only the ids touched (with their alias chains) are looked at.
    for (const id of all) if (aliases.has(id)) del(id);
    // Several rows per statement (each id once). A row's rowid is its id's number, whether inserted or updated:
    // every row of nodes is written here or in writeFragment, always under that number.
    const upserts = new RowBatch(
      this.sql,
      'INSERT INTO nodes (rowid, id, kind, name, stub, boundary, handles, props, sources, solo_source)',
      '(?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)',
      64,
      `ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, name = excluded.name, stub = excluded.stub, boundary = excluded.boundary,
         handles = excluded.handles, props = excluded.props, sources = excluded.sources, solo_source = NULL`,
    );
    // The boundary last numbered (rows come in runs of one boundary): numbered again only when it changes.
    let numbered: string | undefined;
    // `exact`: propsObject is known to pass jsonExact (a mirrored fact's object, kept only then, or a merge of such).
    const write = (id: string, kind: string, name: string, stub: number, boundary: string | null, handles: string, props: string, sources: string, propsObject?: JsonObject, exact = false) => {
      const before = rowState(id);
      if (propsObject) this.propsMemo.wrote(id, kind, props, propsObject, exact);
      else this.propsMemo.forget(id);
      const nid = this.nids.nid(id);
      if (boundary && boundary !== numbered) {
        this.nids.nid(boundary);
        numbered = boundary;
      }
      upserts.push(nid, id, kind, name, stub, boundary, handles, props, sources);
      this.search.written(nid);
      changed.set(id, { solo_source: null, kind, boundary });
      journal.nodeWritten(nid, id, { kind, name, boundary, stub }, before ? { kind: before.kind, boundary: before.boundary } : null);
    };
    const none: FactRowRaw[] = [];
    for (const id of canonicalIds) {
      const own = factsOf(id) ?? none;
      const aliasIds = this.aliases.aliasesOf(id);
      let facts = own;
      if (aliasIds.length) {
        facts = [...own];
        for (const alias of aliasIds) for (const f of factsOf(alias) ?? none) facts.push(f);
      }
      if (facts.length === 0) {
        if (rowState(id)?.solo_source == null) del(id);
        continue;
      }
      if (facts.length === 1) {
        const f = facts[0]!;
        write(id, f.kind, f.name, f.stub, f.boundary, f.handles, f.props, `[${f.source_id}]`, (f as MirroredFact).object, true);
        continue;
      }
      const m = mergeFactRows(id, facts);
      write(id, m.kind, m.name, m.stub, m.boundary, m.handles, m.props, m.sources, m.propsObject, m.exact);
    }
    upserts.flush();
  }

  /** The merged view of a node from its facts other than those of one source (a derived node's, say), if any. */
  mergedWithout(id: string, sourceId: number): NodeRowRaw | undefined {
    const facts = (this.sql.stmt('SELECT * FROM node_facts WHERE node_id = ? ORDER BY stub DESC, source_id ASC').all(id) as FactRowRaw[]).filter((f) => f.source_id !== sourceId);
    for (const alias of this.aliases.aliasesOf(id)) facts.push(...(this.sql.stmt('SELECT * FROM node_facts WHERE node_id = ?').all(alias) as FactRowRaw[]).filter((f) => f.source_id !== sourceId));
    if (!facts.length) return undefined;
    const m = mergeFactRows(id, facts);
    return { id, kind: m.kind, name: m.name, stub: m.stub, boundary: m.boundary, handles: m.handles, props: m.props, sources: m.sources };
  }

  /** Ids named by any alias, known or declared by this fragment: their facts must be kept to be merged. */
  private aliasedIds(fragment: GraphFragment): { has(id: string): boolean } {
    const known = this.aliases.named();
    if (!fragment.aliases?.length) return known;
    const own = new Set<string>();
    for (const a of fragment.aliases) own.add(a.from).add(a.to);
    return { has: (id) => known.has(id) || own.has(id) };
  }

  /**
   * Ids known, in the open write transaction, to have no solo row (moved to node_facts, or never written): the
   * check is not asked again. A credential report and its keys ask it about every key, slot and rendezvous id two
   * or three times (as a node, as an alias's end), and nearly always of an id that has no row at all.
   */
  private readonly noSolo = new Set<string>();

  /** A write transaction begins (or ended): what was known of solo rows is forgotten. */
  begin(): void {
    this.noSolo.clear();
    this.propsMemo.clear();
    this.mirror = undefined;
  }

  /** The mirror of this transaction's writes (undefined until its first fragment, null when not kept). */
  private mirror: FactMirror | null | undefined;

  /**
   * Rows or facts are deleted behind the mirror (a source dropped): it is not kept for the rest of the transaction.
   * (Derived facts and rows, deleted by rule in derived.ts, exist only after a derived write, which ends it too.)
   */
  endMirror(): void {
    this.dropMirror();
  }

  /**
   * Whether this transaction's writes are mirrored (deciding it now, before the first fragment of a source): only
   * then may a large load suspend the unique indexes on ids (CaseStore.suspendIdIndexes), which the mirror answers
   * for, and only until the mirror ends.
   */
  mirrored(): boolean {
    return this.mirrorFor(DERIVED_SOURCE + 1) !== undefined;
  }

  /** The mirror is given up: writes and reads by id from now on need the id indexes back. */
  private dropMirror(): void {
    this.mirror = null;
    this.bulk.restore('ids');
  }

  /** The mirror for a fragment's writes: kept from the first fragment of a transaction into a case with no nodes and no facts. */
  private mirrorFor(sourceId: number): FactMirror | undefined {
    // Derived facts are deleted by rule elsewhere (derived.ts): their writes end the mirror.
    if (sourceId === DERIVED_SOURCE) this.dropMirror();
    if (this.mirror === undefined) {
      const empty = this.sql.stmt('SELECT NOT EXISTS (SELECT 1 FROM nodes) AND NOT EXISTS (SELECT 1 FROM node_facts)').pluck().get() === 1;
      this.mirror = empty ? new FactMirror() : null;
    }
    return this.mirror ?? undefined;
  }

  /**
   * A node about to gain a second statement: its solo row is to become the fact of the source that stated it
   * (`moves`, done by moveSolos). An id never numbered has no row to move.
   */
  private factsFromSolo(id: string, moves: string[]): void {
    // The mirror knows without a cache (an id it has moved is no longer solo; one listed twice is moved once).
    if (this.mirror) {
      if (this.mirror.isSolo(id)) moves.push(id);
      return;
    }
    if (this.noSolo.has(id)) return;
    this.noSolo.add(id);
    if (!this.nids.isNew(id)) moves.push(id);
  }

  /**
   * Solo rows become their source's facts, in one statement for the fragment. A fact the same source wrote in this
   * fragment is kept (it is the newer statement); the ids are all materialised after, from their facts.
   */
  private moveSolos(ids: string[]): void {
    if (!ids.length) return;
    if (this.mirror) {
      // The mirror holds the solo rows as written: their facts go in as values, without reading the rows back.
      const facts = new RowBatch(this.sql, 'INSERT OR IGNORE INTO node_facts (node_id, source_id, kind, name, stub, boundary, handles, props)', '(?, ?, ?, ?, ?, ?, ?, ?)');
      for (const id of ids) {
        const f = this.mirror.move(id);
        if (f) facts.push(f.node_id, f.source_id, f.kind, f.name, f.stub, f.boundary, f.handles, f.props);
      }
      facts.flush();
      // By number (a node row's rowid is its id's; this transaction numbered every row): the id indexes may be
      // suspended while the mirror is kept.
      const rowids = JSON.stringify(ids.map((id) => this.nids.lookup(id) ?? null));
      this.sql.stmt('UPDATE nodes SET solo_source = NULL WHERE rowid IN (SELECT value FROM json_each(?)) AND solo_source IS NOT NULL').run(rowids);
      return;
    }
    const list = JSON.stringify(ids);
    this.sql
      .stmt(
        `INSERT OR IGNORE INTO node_facts (node_id, source_id, kind, name, stub, boundary, handles, props)
           SELECT id, solo_source, kind, name, stub, boundary, handles, props FROM nodes WHERE id IN (SELECT value FROM json_each(?)) AND solo_source IS NOT NULL`,
      )
      .run(list);
    this.sql.stmt('UPDATE nodes SET solo_source = NULL WHERE id IN (SELECT value FROM json_each(?)) AND solo_source IS NOT NULL').run(list);
  }
}

/** A mirrored fact's props object, when its JSON text gives it back exactly. */
function exactProps(props: JsonObject | undefined): JsonObject | undefined {
  return props && jsonExact(props) ? props : undefined;
}

/** uniqueHandles(n).join('\n') without the set and the array for the few handles a node has. */
function handleText(n: NodeFact): string {
  const list = n.handles;
  if (!list?.length) return n.id;
  if (list.length > 8) return uniqueHandles(n).join('\n');
  let text = n.id;
  outer: for (let i = 0; i < list.length; i++) {
    const h = list[i]!;
    if (!h || h === n.id) continue;
    for (let j = 0; j < i; j++) if (list[j] === h) continue outer;
    text += `\n${h}`;
  }
  return text;
}

/**
 * Merges several sources' facts about one node: stubs first, then sources in import order, so a full description
 * overrides a stub and a later import an earlier one; handles are the union.
 */
function mergeFactRows(id: string, facts: FactRowRaw[]): { kind: string; name: string; stub: number; boundary: string | null; handles: string; props: string; propsObject: JsonObject; exact: boolean; sources: string } {
  sortFacts(facts);
  let kind = facts[0]!.kind;
  let name = facts[0]!.name;
  let boundary = facts[0]!.boundary;
  const props: JsonObject = {};
  const handles = new Set<string>([id]);
  const allStubs = facts.every((g) => g.stub === 1);
  // The sources, ascending and each once (a few: kept sorted as they come rather than sorted after).
  const sources: number[] = [];
  // Whether every fact brought its object (each JSON-exact, so their merge is too).
  let exact = true;
  for (const f of facts) {
    if (!f.stub || allStubs) {
      kind = f.kind;
      name = f.name;
      boundary = f.boundary ?? boundary;
    } else if (!boundary) boundary = f.boundary;
    // A fact this transaction wrote brings the object its text was made of (the same keys and values a parse gives).
    const object = (f as MirroredFact).object;
    if (object === undefined) exact = false;
    Object.assign(props, object ?? (JSON.parse(f.props) as JsonObject));
    for (const h of f.handles.split('\n')) if (h) handles.add(h);
    handles.add(f.node_id);
    let at = sources.length;
    while (at > 0 && sources[at - 1]! > f.source_id) at--;
    if (sources[at - 1] !== f.source_id) sources.splice(at, 0, f.source_id);
  }
  // (A "__proto__" key of a fact would have been assigned as the prototype: then the walk decides.)
  if (Object.getPrototypeOf(props) !== Object.prototype) exact = false;
  return { kind, name, stub: allStubs ? 1 : 0, boundary, handles: [...handles].join('\n'), props: JSON.stringify(props), propsObject: props, exact, sources: `[${sources.join(',')}]` };
}
