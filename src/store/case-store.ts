import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import type { EdgeProps, Evidence, GraphFragment, ImportWarning, JsonObject, MarkKind, NodeFact } from '../model/fragment.js';
import { EDGE_KINDS, isEdgeKind, isNodeKind, type EdgeKind, type NodeKind } from '../model/kinds.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Migration } from './migrations/types.js';

/** 'BMAP' — marks a SQLite file as a Blastmap case. */
const APPLICATION_ID = 0x424d4150;
const SQLITE_MAGIC = 'SQLite format 3\0';
/** node_facts.source_id of nodes made by derivation rules. */
export const DERIVED_SOURCE = 0;

export class CaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaseError';
  }
}

export interface StoredNode {
  id: string;
  kind: NodeKind;
  name: string;
  stub: boolean;
  boundary: string | null;
  handles: string[];
  props: JsonObject;
  sources: number[];
}

export interface StoredEdge {
  id: number;
  src: string;
  dst: string;
  kind: EdgeKind;
  sourceId: number | null;
  derived: boolean;
  conditional: boolean;
  firstSeen: string | null;
  lastSeen: string | null;
  props: EdgeProps;
}

export interface SourceRow {
  id: number;
  label: string;
  fileName: string;
  format: string;
  sha256: string;
  importedAt: string;
  options: JsonObject;
  counts: { nodes: number; edges: number };
  warnings: ImportWarning[];
}

export interface MarkRow {
  id: number;
  nodeId: string;
  mark: MarkKind;
  note: string;
  by: string;
  at: string;
  sourceId: number | null;
}

export interface FindingRow {
  id: string;
  rule: string;
  severity: string;
  nodeId: string;
  title: string;
  summary: string;
  evidence: Evidence[];
  remediation: string;
}

interface NodeRowRaw { id: string; kind: string; name: string; stub: number; boundary: string | null; handles: string; props: string; sources: string }
interface EdgeRowRaw { id: number; src: string; dst: string; kind: string; source_id: number | null; derived: number; conditional: number; first_seen: string | null; last_seen: string | null; props: string; evidence: string | null }
interface FactRowRaw { node_id: string; source_id: number; kind: string; name: string; stub: number; boundary: string | null; handles: string; props: string }

/**
 * One case file. Only this module talks SQL. Writes happen inside the transaction the caller opens with
 * begin(); everything an import changes is committed or rolled back together.
 */
export class CaseStore {
  readonly path: string;
  private readonly db: Db;
  private readonly stmts = new Map<string, Statement>();
  private aliasMap: Map<string, string> | undefined;
  private rawAliasMap: Map<string, string> | undefined;
  /** canonical id → the alias ids that resolve to it, built from (and valid for) one aliasMap. */
  private aliasReverse: { from: Map<string, string>; names: Map<string, string[]> } | undefined;
  private readonly suspended = new Set<keyof typeof BULK_INDEXES>();
  /** Search-index upkeep for the open write transaction: rows above `newFrom` are indexed at commit, `stale` rows re-indexed. */
  private search_: { newFrom: number; stale: Set<number> } | undefined;
  /** Derived evidence pieces written in this transaction: by object (rules share them) and by JSON, to their row id. */
  private evidenceIds: { byObject: WeakMap<object, number>; byJson: Map<string, number> } | undefined;
  /** Evidence rows read, parsed and frozen (every edge citing a piece shares it). */
  private readonly evidenceRead = new Map<number, Evidence>();

  private constructor(path: string, db: Db) {
    this.path = path;
    this.db = db;
  }

  /** Opens a case, creating it when `create` is set and the file does not exist. */
  /** `nativeBinding`: the better-sqlite3 addon to load instead of the default (Electron needs its own ABI build). */
  static open(path: string, options: { create?: boolean; readonly?: boolean; migrations?: readonly Migration[]; nativeBinding?: string } = {}): CaseStore {
    const migrations = options.migrations ?? MIGRATIONS;
    const latest = migrations[migrations.length - 1]?.version ?? 0;
    const exists = existsSync(path);
    if (!exists && !options.create) throw new CaseError(`${path}: no such case file (use import to create one)`);
    if (exists) checkHeader(path);
    let db: Db;
    try {
      db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: !options.create, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
    } catch (err) {
      throw new CaseError(`${path}: cannot open the case: ${(err as Error).message}`);
    }
    try {
      const appId = db.pragma('application_id', { simple: true }) as number;
      const version = db.pragma('user_version', { simple: true }) as number;
      const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
      if (appId !== APPLICATION_ID && tables > 0) {
        throw new CaseError(`${path}: this SQLite database is not a Blastmap case`);
      }
      if (version > latest) {
        throw new CaseError(`${path}: the case was written by a newer Blastmap (schema ${version}; this version reads up to ${latest}). Upgrade Blastmap to open it.`);
      }
      if (!options.readonly) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
      }
      db.pragma('cache_size = -65536');
      db.pragma('temp_store = MEMORY');
      const store = new CaseStore(path, db);
      if (!options.readonly) store.migrate(version, migrations);
      else if (version < latest) throw new CaseError(`${path}: the case needs an upgrade; open it once read-write`);
      return store;
    } catch (err) {
      db.close();
      if (err instanceof CaseError) throw err;
      throw new CaseError(`${path}: the case file is damaged or unreadable: ${(err as Error).message}`);
    }
  }

  private migrate(from: number, migrations: readonly Migration[]): void {
    for (const m of migrations) {
      if (m.version <= from) continue;
      this.db.transaction(() => {
        m.up(this.db);
        this.db.pragma(`application_id = ${APPLICATION_ID}`);
        this.db.pragma(`user_version = ${m.version}`);
      })();
    }
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  close(): void {
    if (!this.db.open) return;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // A read-only handle cannot checkpoint; nothing to do.
    }
    this.db.close();
  }

  private stmt(sql: string): Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  // --- transactions -------------------------------------------------------------------------------

  begin(): void {
    this.db.exec('BEGIN IMMEDIATE');
    this.search_ = { newFrom: (this.stmt('SELECT coalesce(max(rowid), 0) FROM nodes').pluck().get() as number), stale: new Set() };
    this.evidenceIds = undefined;
  }
  commit(): void {
    this.flushSearchIndex();
    this.db.exec('COMMIT');
    this.evidenceIds = undefined;
    this.aliasMap = undefined;
    this.rawAliasMap = undefined;
    this.search_ = undefined;
  }
  rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.search_ = undefined;
    this.evidenceIds = undefined;
    this.evidenceRead.clear();
    this.aliasMap = undefined;
    this.rawAliasMap = undefined;
    this.suspended.clear();
    this.stmts.clear();
  }
  /** Drops what this connection remembers of the case (aliases, prepared statements): another connection wrote it. */
  forget(): void {
    this.aliasMap = undefined;
    this.rawAliasMap = undefined;
    this.aliasReverse = undefined;
    this.evidenceRead.clear();
    this.stmts.clear();
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  /** Indexes the rows added in this transaction in one statement, and re-indexes the rows changed. */
  private flushSearchIndex(): void {
    const upkeep = this.search_;
    if (!upkeep) return;
    for (const rowid of upkeep.stale) {
      this.stmt('DELETE FROM node_name_fts WHERE rowid = ?').run(rowid);
      this.stmt('DELETE FROM node_handle_fts WHERE rowid = ?').run(rowid);
      this.stmt('INSERT INTO node_name_fts (rowid, name) SELECT rowid, name FROM nodes WHERE rowid = ?').run(rowid);
      this.stmt('INSERT INTO node_handle_fts (rowid, handles) SELECT rowid, handles FROM nodes WHERE rowid = ?').run(rowid);
    }
    this.stmt('INSERT INTO node_name_fts (rowid, name) SELECT rowid, name FROM nodes WHERE rowid > ?').run(upkeep.newFrom);
    this.stmt('INSERT INTO node_handle_fts (rowid, handles) SELECT rowid, handles FROM nodes WHERE rowid > ?').run(upkeep.newFrom);
  }

  /** Deletes node rows matching a condition, with their search entries. */
  private deleteNodes(where: string, ...params: (string | number)[]): void {
    // Rows added in this transaction are not in the search index yet (it is filled at commit): nothing to remove.
    const indexedUpTo = this.search_?.newFrom ?? Number.MAX_SAFE_INTEGER;
    this.stmt(`DELETE FROM node_name_fts WHERE rowid IN (SELECT rowid FROM nodes WHERE ${where} AND rowid <= ?)`).run(...params, indexedUpTo);
    this.stmt(`DELETE FROM node_handle_fts WHERE rowid IN (SELECT rowid FROM nodes WHERE ${where} AND rowid <= ?)`).run(...params, indexedUpTo);
    this.stmt(`DELETE FROM nodes WHERE ${where}`).run(...params);
  }

  // --- sources ------------------------------------------------------------------------------------

  /** Sources a new import of (label, content) replaces: the same label, or the same content in the same format. */
  sourcesToReplace(label: string, sha256: string, format: string): number[] {
    return (this.stmt('SELECT id FROM sources WHERE label = ? OR (sha256 = ? AND format = ?)').all(label, sha256, format) as { id: number }[]).map((r) => r.id);
  }

  addSource(row: Omit<SourceRow, 'id' | 'counts' | 'warnings'>): number {
    const info = this.stmt('INSERT INTO sources (label, file_name, format, sha256, imported_at, options) VALUES (?, ?, ?, ?, ?, ?)').run(
      row.label,
      row.fileName,
      row.format,
      row.sha256,
      row.importedAt,
      JSON.stringify(row.options),
    );
    return Number(info.lastInsertRowid);
  }

  finishSource(id: number, counts: { nodes: number; edges: number }, warnings: ImportWarning[]): void {
    this.stmt('UPDATE sources SET counts = ?, warnings = ? WHERE id = ?').run(JSON.stringify(counts), JSON.stringify(warnings), id);
  }

  /** Removes a source's rows; returns the node ids whose merged view must be rebuilt. */
  deleteSource(id: number): Set<string> {
    const touched = new Set<string>();
    for (const r of this.stmt('SELECT node_id FROM node_facts WHERE source_id = ?').iterate(id) as Iterable<{ node_id: string }>) touched.add(r.node_id);
    for (const r of this.stmt('SELECT alias, canonical FROM node_aliases WHERE source_id = ?').all(id) as { alias: string; canonical: string }[]) {
      touched.add(r.alias);
      touched.add(r.canonical);
    }
    this.deleteNodes('solo_source = ?', id);
    this.stmt('DELETE FROM node_facts WHERE source_id = ?').run(id);
    this.stmt('DELETE FROM node_aliases WHERE source_id = ?').run(id);
    this.stmt('DELETE FROM edges WHERE source_id = ?').run(id);
    this.stmt('DELETE FROM sources WHERE id = ?').run(id);
    this.aliasMap = undefined;
    this.rawAliasMap = undefined;
    return touched;
  }

  sources(): SourceRow[] {
    return (this.stmt('SELECT * FROM sources ORDER BY id').all() as Record<string, unknown>[]).map((r) => ({
      id: r['id'] as number,
      label: r['label'] as string,
      fileName: r['file_name'] as string,
      format: r['format'] as string,
      sha256: r['sha256'] as string,
      importedAt: r['imported_at'] as string,
      options: JSON.parse(r['options'] as string) as JsonObject,
      counts: JSON.parse(r['counts'] as string) as { nodes: number; edges: number },
      warnings: JSON.parse(r['warnings'] as string) as ImportWarning[],
    }));
  }

  // --- writing facts ------------------------------------------------------------------------------

  /**
   * Writes one fragment's nodes, edges and aliases for a source. Duplicate node facts within the
   * fragment are merged first. Returns the node ids touched (to materialise).
   */
  writeFragment(sourceId: number, fragment: GraphFragment, touched: Set<string>, derived = false): { nodes: number; edges: number } {
    const merged = new Map<string, NodeFact>();
    for (const n of fragment.nodes) {
      if (!isNodeKind(n.kind)) throw new Error(`unknown node kind '${String(n.kind)}' for ${n.id}`);
      const prev = merged.get(n.id);
      merged.set(n.id, prev ? mergeFacts(prev, n) : n);
    }
    const aliased = this.aliasedIds(fragment);
    const insertSolo = this.stmt(
      `INSERT INTO nodes (id, kind, name, stub, boundary, handles, props, sources, solo_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO NOTHING`,
    );
    for (const n of merged.values()) {
      const handles = uniqueHandles(n).join('\n');
      const props = JSON.stringify(n.props ?? {});
      // First statement of a node: it is its own merged view. Otherwise keep each source's fact and merge.
      if (!aliased.has(n.id) && insertSolo.run(n.id, n.kind, n.name, n.stub ? 1 : 0, n.boundary ?? null, handles, props, `[${sourceId}]`, sourceId).changes === 1) continue;
      this.factsFromSolo(n.id);
      this.upsertFact(sourceId, n, handles, props);
      touched.add(n.id);
      // A newly stated alias target can bring aliases into effect.
      if (aliased.has(n.id)) this.aliasMap = undefined;
    }
    const insertEdge = this.stmt(
      'INSERT INTO edges (src, dst, kind, source_id, derived, conditional, first_seen, last_seen, props, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const e of fragment.edges) {
      if (!isEdgeKind(e.kind)) throw new Error(`unknown edge kind '${String(e.kind)}' from ${e.from}`);
      const p = e.props ?? {};
      const shared = derived && Array.isArray(p.evidence) && p.evidence.length > 0;
      const props = shared ? JSON.stringify({ ...p, evidence: undefined }) : JSON.stringify(p);
      const refs = shared ? this.evidenceRefs(p.evidence!) : null;
      insertEdge.run(e.from, e.to, e.kind, derived ? null : sourceId, derived ? 1 : 0, p.conditional ? 1 : 0, p.firstSeen ?? null, p.lastSeen ?? null, props, refs);
    }
    if (fragment.aliases?.length) {
      const insertAlias = this.stmt('INSERT OR REPLACE INTO node_aliases (alias, canonical, source_id) VALUES (?, ?, ?)');
      for (const a of fragment.aliases) {
        this.factsFromSolo(a.from);
        this.factsFromSolo(a.to);
        insertAlias.run(a.from, a.to, sourceId);
        touched.add(a.from);
        touched.add(a.to);
      }
      this.aliasMap = undefined;
    this.rawAliasMap = undefined;
    }
    return { nodes: merged.size, edges: fragment.edges.length };
  }

  /** The evidence row ids of a derived edge's pieces, writing the pieces not stored yet in this transaction. */
  private evidenceRefs(evidence: readonly Evidence[]): string {
    const ids = (this.evidenceIds ??= { byObject: new WeakMap(), byJson: new Map() });
    const insert = this.stmt('INSERT INTO evidence (json) VALUES (?)');
    let refs = '';
    for (const piece of evidence) {
      let id = ids.byObject.get(piece);
      if (id === undefined) {
        const json = JSON.stringify(piece);
        id = ids.byJson.get(json);
        if (id === undefined) ids.byJson.set(json, (id = Number(insert.run(json).lastInsertRowid)));
        ids.byObject.set(piece, id);
      }
      refs = refs ? `${refs},${id}` : String(id);
    }
    return refs;
  }

  /**
   * For a large load, SQLite builds an index several times faster from sorted data at the end than row by row.
   * Inside the import transaction, so a rollback restores the indexes too.
   */
  suspendEdgeIndexes(): void {
    this.suspend('edges');
  }

  restoreEdgeIndexes(): void {
    this.restore('edges');
  }

  /** As suspendEdgeIndexes, for the secondary indexes of nodes (the unique id index stays: writes rely on it). */
  suspendNodeIndexes(): void {
    this.suspend('nodes');
  }

  restoreNodeIndexes(): void {
    this.restore('nodes');
  }

  private suspend(table: keyof typeof BULK_INDEXES): void {
    if (this.suspended.has(table)) return;
    for (const name of Object.keys(BULK_INDEXES[table])) this.db.exec(`DROP INDEX IF EXISTS ${name}`);
    this.suspended.add(table);
  }

  private restore(table: keyof typeof BULK_INDEXES): void {
    if (!this.suspended.delete(table)) return;
    for (const ddl of Object.values(BULK_INDEXES[table])) this.db.exec(ddl);
    this.stmts.clear();
  }

  /** Ids named by any alias, known or declared by this fragment: their facts must be kept to be merged. */
  private aliasedIds(fragment: GraphFragment): Set<string> {
    const out = new Set<string>();
    for (const [alias, canonical] of this.rawAliases()) out.add(alias).add(canonical);
    for (const a of fragment.aliases ?? []) out.add(a.from).add(a.to);
    return out;
  }

  /** A node about to gain a second statement: its solo row becomes the fact of the source that stated it. */
  private factsFromSolo(id: string): void {
    const moved = this.stmt(
      `INSERT OR IGNORE INTO node_facts (node_id, source_id, kind, name, stub, boundary, handles, props)
       SELECT id, solo_source, kind, name, stub, boundary, handles, props FROM nodes WHERE id = ? AND solo_source IS NOT NULL`,
    ).run(id);
    if (moved.changes) this.stmt('UPDATE nodes SET solo_source = NULL WHERE id = ?').run(id);
  }

  private upsertFact(sourceId: number, n: NodeFact, handles: string, props: string): void {
    this.stmt(
      `INSERT INTO node_facts (node_id, source_id, kind, name, stub, boundary, handles, props) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(node_id, source_id) DO UPDATE SET kind = excluded.kind, name = excluded.name, stub = excluded.stub,
         boundary = excluded.boundary, handles = excluded.handles, props = excluded.props`,
    ).run(n.id, sourceId, n.kind, n.name, n.stub ? 1 : 0, n.boundary ?? null, handles, props);
  }

  /** Drops every derived edge and node, returning the derived node ids (to materialise). */
  clearDerived(): Set<string> {
    const touched = new Set<string>();
    this.deleteNodes('solo_source = ?', DERIVED_SOURCE);
    for (const r of this.stmt('SELECT node_id FROM node_facts WHERE source_id = ?').iterate(DERIVED_SOURCE) as Iterable<{ node_id: string }>) touched.add(r.node_id);
    this.stmt('DELETE FROM node_facts WHERE source_id = ?').run(DERIVED_SOURCE);
    this.stmt('DELETE FROM edges WHERE derived = 1').run();
    this.stmt('DELETE FROM evidence').run();
    this.evidenceIds = undefined;
    this.evidenceRead.clear();
    // Every import re-derives, so this is where the saved graph index goes stale.
    this.dropGraphSnapshot();
    return touched;
  }

  /**
   * Rebuilds the merged `nodes` rows for the given ids from their facts. A node stated by one source
   * is copied in SQL; nodes stated by several, or aliased, are merged here.
   */
  materialize(touched: Iterable<string>): void {
    const aliases = this.aliases();
    const canonicalIds = new Set<string>();
    // An alias that comes into or out of effect changes the merged rows of every id along its chain.
    const all = new Set(touched);
    for (const id of this.aliasComponents(all)) all.add(id);
    for (const id of all) canonicalIds.add(aliases.get(id) ?? id);
    const aliasesOf = new Map<string, string[]>();
    for (const [alias, canonical] of aliases) {
      const list = aliasesOf.get(canonical) ?? [];
      list.push(alias);
      aliasesOf.set(canonical, list);
    }
    const factsOf = this.stmt('SELECT * FROM node_facts WHERE node_id = ? ORDER BY stub DESC, source_id ASC');
    // Deleting a row also deletes its search entries: skip ids that have no row (rendezvous ids never do).
    const rowOf = this.stmt('SELECT solo_source FROM nodes WHERE id = ?');
    const del = (id: string) => {
      if (rowOf.get(id) !== undefined) this.deleteNodes('id = ?', id);
    };
    const isSolo = (id: string) => (rowOf.get(id) as { solo_source: number | null } | undefined)?.solo_source != null;
    // Aliases are merged into their canonical node; their own rows must go. An alias row can only exist if its
    // alias came into effect in this change, so only the ids touched (with their alias chains) are looked at.
    for (const id of all) if (aliases.has(id)) del(id);
    const upsert = this.stmt(
      `INSERT INTO nodes (id, kind, name, stub, boundary, handles, props, sources, solo_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)
       ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, name = excluded.name, stub = excluded.stub, boundary = excluded.boundary,
         handles = excluded.handles, props = excluded.props, sources = excluded.sources, solo_source = NULL
       RETURNING rowid`,
    );
    const written = (rowid: number) => {
      if (this.search_ && rowid <= this.search_.newFrom) this.search_.stale.add(rowid);
    };
    for (const id of canonicalIds) {
      const facts = factsOf.all(id) as FactRowRaw[];
      for (const alias of aliasesOf.get(id) ?? []) facts.push(...(factsOf.all(alias) as FactRowRaw[]));
      if (facts.length === 0) {
        if (!isSolo(id)) del(id);
        continue;
      }
      if (facts.length === 1) {
        const f = facts[0]!;
        written(upsert.pluck().get(id, f.kind, f.name, f.stub, f.boundary, f.handles, f.props, `[${f.source_id}]`) as number);
        continue;
      }
      // Stubs first, then sources in import order: a full description overrides a stub, a later import an earlier one.
      facts.sort((a, b) => b.stub - a.stub || a.source_id - b.source_id);
      let kind = facts[0]!.kind;
      let name = facts[0]!.name;
      let boundary = facts[0]!.boundary;
      const props: JsonObject = {};
      const handles = new Set<string>([id]);
      for (const f of facts) {
        if (!f.stub || facts.every((g) => g.stub)) {
          kind = f.kind;
          name = f.name;
          boundary = f.boundary ?? boundary;
        } else if (!boundary) boundary = f.boundary;
        Object.assign(props, JSON.parse(f.props) as JsonObject);
        for (const h of f.handles.split('\n')) if (h) handles.add(h);
        handles.add(f.node_id);
      }
      const stub = facts.every((f) => f.stub === 1) ? 1 : 0;
      const sources = [...new Set(facts.map((f) => f.source_id))].sort((a, b) => a - b);
      written(upsert.pluck().get(id, kind, name, stub, boundary, [...handles].join('\n'), JSON.stringify(props), JSON.stringify(sources)) as number);
    }
  }

  // --- reading ------------------------------------------------------------------------------------

  /**
   * alias id → canonical id, as in effect: chains are followed (a key slot → its user-and-creation-time
   * rendezvous id → the AKIA id, each link stated by a different source), and an alias takes effect only when
   * the id it ends at is stated by some source. Two sources can then meet at a rendezvous id without either
   * knowing the other's id, and an id stays itself while nothing it aliases to is known.
   */
  aliases(): Map<string, string> {
    if (!this.aliasMap) {
      const raw = this.rawAliases();
      const stated = this.stmt('SELECT 1 FROM node_facts WHERE node_id = ? LIMIT 1').pluck();
      const map = new Map<string, string>();
      for (const alias of raw.keys()) {
        let end = alias;
        const seen = new Set<string>([alias]);
        for (let next = raw.get(end); next !== undefined && !seen.has(next); next = raw.get(end)) {
          end = next;
          seen.add(end);
        }
        if (end !== alias && stated.get(end) !== undefined) map.set(alias, end);
      }
      this.aliasMap = map;
    }
    return this.aliasMap;
  }

  /** alias id → canonical id, as declared by sources (one link each). */
  private rawAliases(): Map<string, string> {
    this.rawAliasMap ??= new Map((this.stmt('SELECT alias, canonical FROM node_aliases').all() as { alias: string; canonical: string }[]).map((r) => [r.alias, r.canonical]));
    return this.rawAliasMap;
  }

  /** Every id linked by declared aliases to one of `ids`, whether or not the link is in effect now. */
  private aliasComponents(ids: Iterable<string>): Set<string> {
    const links = new Map<string, string[]>();
    const link = (a: string, b: string) => {
      const list = links.get(a);
      if (list) list.push(b);
      else links.set(a, [b]);
    };
    for (const [a, b] of this.rawAliases()) {
      link(a, b);
      link(b, a);
    }
    const out = new Set<string>();
    const queue = [...ids].filter((id) => links.has(id));
    while (queue.length) {
      const id = queue.pop()!;
      if (out.has(id)) continue;
      out.add(id);
      for (const next of links.get(id) ?? []) if (!out.has(next)) queue.push(next);
    }
    return out;
  }

  canonical(id: string): string {
    return this.aliases().get(id) ?? id;
  }

  node(id: string): StoredNode | undefined {
    const row = this.stmt('SELECT * FROM nodes WHERE id = ?').get(this.canonical(id)) as NodeRowRaw | undefined;
    return row ? toNode(row) : undefined;
  }

  nodes(idList: readonly string[]): Map<string, StoredNode> {
    const out = new Map<string, StoredNode>();
    const get = this.stmt('SELECT * FROM nodes WHERE id = ?');
    for (const id of idList) {
      const row = get.get(this.canonical(id)) as NodeRowRaw | undefined;
      if (row) out.set(id, toNode(row));
    }
    return out;
  }

  *nodesOfKind(kind: NodeKind): IterableIterator<StoredNode> {
    // Rows as arrays: a derivation reads every pod of a cluster, and a column object per row costs a third of it.
    const q = this.stmt('SELECT id, kind, name, stub, boundary, handles, props, sources FROM nodes WHERE kind = ?').raw(true);
    for (const [id, k, name, stub, boundary, handles, props, sources] of q.iterate(kind) as Iterable<[string, string, string, number, string | null, string, string, string]>) {
      yield toNode({ id, kind: k, name, stub, boundary, handles, props, sources });
    }
  }

  /** Every node id with its kind, for building in-memory indexes. */
  *nodeKinds(): IterableIterator<{ id: string; kind: NodeKind; boundary: string | null }> {
    yield* this.stmt('SELECT id, kind, boundary FROM nodes').iterate() as Iterable<{ id: string; kind: NodeKind; boundary: string | null }>;
  }

  /** Exact handle or name match (case-insensitive). */
  byHandle(handle: string): StoredNode[] {
    const exact = this.node(handle);
    if (exact) return [exact];
    const lower = handle.toLowerCase();
    const rows = [...this.matchHandles(ftsQuote(handle), 200), ...(handle.length >= 3 ? this.matchNames(handle, 200) : [])];
    const unique = new Map(rows.map((r) => [r.id, r]));
    return [...unique.values()].filter((r) => r.handles.toLowerCase().split('\n').includes(lower) || r.name.toLowerCase() === lower).map(toNode);
  }

  /** Search by name substring (3+ characters) or handle prefix; exact and shorter matches first. */
  search(text: string, limit: number): { node: StoredNode; matched: string }[] {
    const q = text.trim();
    if (!q) return [];
    const lower = q.toLowerCase();
    const want = Math.max(limit * 5, 50);
    let rows: NodeRowRaw[];
    if (q.length >= 3) {
      rows = [...this.matchHandles(`${ftsQuote(q)}*`, want), ...this.matchNames(q, want)];
    } else {
      rows = this.stmt("SELECT * FROM nodes WHERE name LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\' LIMIT ?").all(`%${likeEscape(q)}%`, `%${likeEscape(q)}%`, want) as NodeRowRaw[];
    }
    const unique = new Map(rows.map((r) => [r.id, r]));
    const scored = [...unique.values()].map((r) => {
      const candidates = [r.name, ...r.handles.split('\n')].filter(Boolean);
      const hits = candidates.filter((c) => c.toLowerCase().includes(lower));
      const best = hits.sort((a, b) => a.length - b.length)[0] ?? r.name;
      const exact = best.toLowerCase() === lower ? 0 : 1;
      return { node: toNode(r), matched: best, score: exact * 1e6 + best.length + (r.stub ? 1e5 : 0) };
    });
    scored.sort((a, b) => a.score - b.score || a.node.name.localeCompare(b.node.name));
    return scored.slice(0, limit).map(({ node, matched }) => ({ node, matched }));
  }

  private matchHandles(query: string, limit: number): NodeRowRaw[] {
    return this.stmt('SELECT nodes.* FROM node_handle_fts f JOIN nodes ON nodes.rowid = f.rowid WHERE node_handle_fts MATCH ? LIMIT ?').all(query, limit) as NodeRowRaw[];
  }

  private matchNames(text: string, limit: number): NodeRowRaw[] {
    return this.stmt('SELECT nodes.* FROM node_name_fts f JOIN nodes ON nodes.rowid = f.rowid WHERE node_name_fts MATCH ? ORDER BY rank LIMIT ?').all(ftsQuote(text), limit) as NodeRowRaw[];
  }

  /** Edges leaving (or entering) a node, optionally of one kind, with aliases resolved. */
  edgesOf(id: string, direction: 'out' | 'in', limit = 10_000, kind?: EdgeKind): StoredEdge[] {
    const col = direction === 'out' ? 'src' : 'dst';
    const canonical = this.canonical(id);
    const names = [canonical, ...this.aliasesOf(canonical)];
    const rows: EdgeRowRaw[] = [];
    const q = kind ? this.stmt(`SELECT * FROM edges WHERE ${col} = ? AND kind = ? LIMIT ?`) : this.stmt(`SELECT * FROM edges WHERE ${col} = ? LIMIT ?`);
    for (const name of names) rows.push(...((kind ? q.all(name, kind, limit + 1) : q.all(name, limit + 1)) as EdgeRowRaw[]));
    return rows.slice(0, limit + 1).map((r) => this.toEdge(r));
  }

  /** The alias ids in effect for a canonical id. */
  private aliasesOf(canonical: string): string[] {
    const map = this.aliases();
    if (this.aliasReverse?.from !== map) {
      const names = new Map<string, string[]>();
      for (const [alias, c] of map) {
        const list = names.get(c);
        if (list) list.push(alias);
        else names.set(c, [alias]);
      }
      this.aliasReverse = { from: map, names };
    }
    return this.aliasReverse.names.get(canonical) ?? [];
  }

  edge(id: number): StoredEdge | undefined {
    const row = this.stmt('SELECT * FROM edges WHERE id = ?').get(id) as EdgeRowRaw | undefined;
    return row ? this.toEdge(row) : undefined;
  }

  *edgesOfKind(kind: EdgeKind): IterableIterator<StoredEdge> {
    for (const row of this.stmt('SELECT * FROM edges WHERE kind = ?').iterate(kind) as Iterable<EdgeRowRaw>) yield this.toEdge(row);
  }

  /** Every edge an attacker can walk, in a compact form for graph indexes (props not parsed). */
  *traversableEdges(): IterableIterator<{ id: number; src: string; dst: string; kind: EdgeKind; conditional: boolean; derived: boolean }> {
    const kinds = Object.entries(EDGE_KINDS).filter(([, spec]) => spec.traversable).map(([k]) => k);
    const aliases = this.aliases();
    const q = this.db.prepare(`SELECT id, src, dst, kind, conditional, derived FROM edges WHERE kind IN (${kinds.map(() => '?').join(',')})`);
    for (const r of q.iterate(...kinds) as Iterable<{ id: number; src: string; dst: string; kind: EdgeKind; conditional: number; derived: number }>) {
      yield { id: r.id, src: aliases.get(r.src) ?? r.src, dst: aliases.get(r.dst) ?? r.dst, kind: r.kind, conditional: r.conditional === 1, derived: r.derived === 1 };
    }
  }

  /** Every node with what a graph index keeps in memory (no props, no handles). */
  *graphNodes(): IterableIterator<[id: string, kind: string, name: string, boundary: string | null, stub: number]> {
    yield* this.db.prepare('SELECT id, kind, name, boundary, stub FROM nodes').raw().iterate() as Iterable<[string, string, string, string | null, number]>;
  }

  /**
   * Every traversable edge in the compact form a graph index is built from: aliases resolved, props not parsed
   * except a CAN_ACCESS edge's access level.
   */
  *graphEdges(): IterableIterator<{ id: number; src: string; dst: string; kind: EdgeKind; conditional: boolean; firstSeen: string | null; lastSeen: string | null; accessLevel: string | null }> {
    const kinds = Object.entries(EDGE_KINDS).filter(([, spec]) => spec.traversable).map(([k]) => k);
    const aliases = this.aliases();
    const q = this.db
      .prepare(
        `SELECT id, src, dst, kind, conditional, first_seen, last_seen,
                CASE WHEN kind = 'CAN_ACCESS' THEN json_extract(props, '$.accessLevel') END
         FROM edges WHERE kind IN (${kinds.map(() => '?').join(',')}) ORDER BY id`,
      )
      .raw();
    for (const r of q.iterate(...kinds) as Iterable<[number, string, string, EdgeKind, number, string | null, string | null, string | null]>) {
      yield { id: r[0], src: aliases.get(r[1]) ?? r[1], dst: aliases.get(r[2]) ?? r[2], kind: r[3], conditional: r[4] === 1, firstSeen: r[5], lastSeen: r[6], accessLevel: r[7] };
    }
  }

  /** What a graph index was built from: changes whenever nodes, edges or aliases do. */
  graphStamp(): string {
    const one = (sql: string) => this.stmt(sql).pluck().get() as number | null;
    return [one('SELECT max(id) FROM edges') ?? 0, one('SELECT count(*) FROM edges'), one('SELECT max(rowid) FROM nodes') ?? 0, one('SELECT count(*) FROM nodes'), one('SELECT count(*) FROM node_aliases')].join(':');
  }

  loadGraphSnapshot(): { stamp: string; data: Buffer } | undefined {
    return this.stmt('SELECT stamp, data FROM graph_snapshot WHERE id = 1').get() as { stamp: string; data: Buffer } | undefined;
  }

  /** Saves the serialised graph index; a read-only case keeps it in memory only. */
  saveGraphSnapshot(stamp: string, data: Uint8Array): boolean {
    if (this.db.readonly) return false;
    this.stmt('INSERT OR REPLACE INTO graph_snapshot (id, stamp, data) VALUES (1, ?, ?)').run(stamp, data);
    return true;
  }

  dropGraphSnapshot(): void {
    this.stmt('DELETE FROM graph_snapshot').run();
  }

  counts(): { nodes: number; edges: number; derivedEdges: number; findings: number; marks: number } {
    const n = (sql: string) => (this.stmt(sql).get() as { n: number }).n;
    return {
      nodes: n('SELECT count(*) AS n FROM nodes'),
      edges: n('SELECT count(*) AS n FROM edges'),
      derivedEdges: n('SELECT count(*) AS n FROM edges WHERE derived = 1'),
      findings: n('SELECT count(*) AS n FROM findings'),
      marks: n('SELECT count(*) AS n FROM marks WHERE undone_at IS NULL'),
    };
  }

  private toEdge(r: EdgeRowRaw): StoredEdge {
    const aliases = this.aliases();
    return {
      id: r.id,
      src: aliases.get(r.src) ?? r.src,
      dst: aliases.get(r.dst) ?? r.dst,
      kind: r.kind as EdgeKind,
      sourceId: r.source_id,
      derived: r.derived === 1,
      conditional: r.conditional === 1,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      props: r.evidence === null ? (JSON.parse(r.props) as EdgeProps) : { ...(JSON.parse(r.props) as EdgeProps), evidence: r.evidence.split(',').map((id) => this.evidencePiece(Number(id))) },
    };
  }

  private evidencePiece(id: number): Evidence {
    let piece = this.evidenceRead.get(id);
    if (!piece) {
      const json = this.stmt('SELECT json FROM evidence WHERE id = ?').pluck().get(id) as string | undefined;
      if (json === undefined) throw new CaseError(`${this.path}: an edge names evidence ${id}, which the case does not hold`);
      this.evidenceRead.set(id, (piece = deepFreeze(JSON.parse(json) as Evidence)));
    }
    return piece;
  }

  // --- marks --------------------------------------------------------------------------------------

  /** Adds a mark unless the node already carries an active one of the same kind. */
  addMark(nodeId: string, mark: MarkKind, note: string, by: string, at: string, sourceId: number | null = null): MarkRow {
    const existing = this.stmt('SELECT * FROM marks WHERE node_id = ? AND mark = ? AND undone_at IS NULL').get(nodeId, mark) as Record<string, unknown> | undefined;
    if (existing) return toMark(existing);
    const info = this.stmt('INSERT INTO marks (node_id, mark, note, by, at, source_id) VALUES (?, ?, ?, ?, ?, ?)').run(nodeId, mark, note, by, at, sourceId);
    return { id: Number(info.lastInsertRowid), nodeId, mark, note, by, at, sourceId };
  }

  /** Undoes active marks; they stay in the table with who and when. */
  undoMark(nodeId: string, mark: MarkKind, by: string, at: string): number {
    return this.stmt('UPDATE marks SET undone_at = ?, undone_by = ? WHERE node_id = ? AND mark = ? AND undone_at IS NULL').run(at, by, nodeId, mark).changes;
  }

  activeMarks(nodeId?: string): MarkRow[] {
    const rows = nodeId
      ? this.stmt('SELECT * FROM marks WHERE node_id = ? AND undone_at IS NULL ORDER BY id').all(nodeId)
      : this.stmt('SELECT * FROM marks WHERE undone_at IS NULL ORDER BY id').all();
    return (rows as Record<string, unknown>[]).map(toMark);
  }

  // --- findings -----------------------------------------------------------------------------------

  replaceFindings(findings: FindingRow[]): void {
    this.stmt('DELETE FROM findings').run();
    const ins = this.stmt('INSERT OR REPLACE INTO findings (id, rule, severity, node_id, title, summary, evidence, remediation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const f of findings) ins.run(f.id, f.rule, f.severity, f.nodeId, f.title, f.summary, JSON.stringify(f.evidence), f.remediation);
  }

  findings(filter: { nodeId?: string } = {}): FindingRow[] {
    const rows = filter.nodeId ? this.stmt('SELECT * FROM findings WHERE node_id = ?').all(filter.nodeId) : this.stmt('SELECT * FROM findings').all();
    return (rows as Record<string, unknown>[]).map((r) => ({
      id: r['id'] as string,
      rule: r['rule'] as string,
      severity: r['severity'] as string,
      nodeId: r['node_id'] as string,
      title: r['title'] as string,
      summary: r['summary'] as string,
      evidence: JSON.parse(r['evidence'] as string) as Evidence[],
      remediation: r['remediation'] as string,
    }));
  }

  // --- meta ---------------------------------------------------------------------------------------

  getMeta(key: string): string | undefined {
    return (this.stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }
  setMeta(key: string, value: string): void {
    this.stmt('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }
}

/** Refuses files that are not SQLite before SQLite touches them, so a wrong file is never modified. */
function checkHeader(path: string): void {
  const size = statSync(path).size;
  if (size === 0) return; // An empty file becomes a new case.
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    if (buf.toString('latin1') !== SQLITE_MAGIC) {
      throw new CaseError(`${path}: not a Blastmap case (the file is not an SQLite database)`);
    }
  } finally {
    closeSync(fd);
  }
}

/** Indexes dropped during a bulk load and rebuilt after it (as the migrations define them). */
const BULK_INDEXES = {
  edges: {
    edges_src: 'CREATE INDEX edges_src ON edges(src)',
    edges_dst: 'CREATE INDEX edges_dst ON edges(dst)',
  },
  nodes: {
    nodes_kind: 'CREATE INDEX nodes_kind ON nodes(kind)',
    nodes_boundary: 'CREATE INDEX nodes_boundary ON nodes(boundary)',
  },
} as const;

function toNode(r: NodeRowRaw): StoredNode {
  return {
    id: r.id,
    kind: r.kind as NodeKind,
    name: r.name,
    stub: r.stub === 1,
    boundary: r.boundary,
    handles: r.handles ? r.handles.split('\n') : [],
    props: JSON.parse(r.props) as JsonObject,
    sources: JSON.parse(r.sources) as number[],
  };
}

function toMark(r: Record<string, unknown>): MarkRow {
  return {
    id: r['id'] as number,
    nodeId: r['node_id'] as string,
    mark: r['mark'] as MarkKind,
    note: r['note'] as string,
    by: r['by'] as string,
    at: r['at'] as string,
    sourceId: (r['source_id'] as number | null) ?? null,
  };
}

function mergeFacts(a: NodeFact, b: NodeFact): NodeFact {
  const full = a.stub && !b.stub ? b : !a.stub && b.stub ? a : b;
  return {
    ...full,
    stub: Boolean(a.stub && b.stub),
    boundary: full.boundary ?? a.boundary ?? b.boundary,
    handles: [...new Set([...(a.handles ?? []), ...(b.handles ?? [])])],
    props: a.stub && !b.stub ? { ...(a.props ?? {}), ...(b.props ?? {}) } : !a.stub && b.stub ? { ...(b.props ?? {}), ...(a.props ?? {}) } : { ...(a.props ?? {}), ...(b.props ?? {}) },
  };
}

/** Shared evidence pieces are handed to every edge that cites them: nobody may change one under the others. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function uniqueHandles(n: NodeFact): string[] {
  const set = new Set<string>([n.id]);
  for (const h of n.handles ?? []) if (h) set.add(h);
  return [...set];
}

function ftsQuote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
