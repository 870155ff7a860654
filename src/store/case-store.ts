import type { Database as Db } from 'better-sqlite3';
import type { GraphFragment, ImportWarning, JsonObject, MarkKind, ScannerResult } from '../model/fragment.js';
import type { EdgeKind, NodeKind } from '../model/kinds.js';
import { AliasIndex } from './aliases.js';
import { BulkIndexes } from './bulk-indexes.js';
import { ChangeLog, scopeOf, type Journal } from './change-log.js';
import { DerivedTable, type DerivedPart, type DerivedRow, type NodeClaim, type RuleOutputs } from './derived.js';
import { EdgeReader } from './edge-reader.js';
import { EvidenceTable } from './evidence.js';
import { ExportReader } from './export-reader.js';
import { FactWriter } from './facts.js';
import { FindingsTable } from './findings.js';
import { GraphSnapshotTable } from './graph-snapshot.js';
import { MarksTable } from './marks.js';
import { EdgeKinds, NodeIds } from './node-ids.js';
import { WorkspaceTables } from './workspace.js';
import { NodeReader } from './node-reader.js';
import { caseFailure, isBusy, busyError } from './failures.js';
import { openCaseDatabase, type OpenOptions } from './open.js';
import { ScannerResultsTable } from './scanner-results.js';
import { SearchIndex } from './search-index.js';
import { SourcesTable } from './sources.js';
import { StateSnapshotsTable, type StateSnapshotRow } from './state-snapshots.js';
import { Sql } from './sql.js';
import { PropsMemo } from './props-memo.js';
import { toNode } from './rows.js';
import { beginWrite, checkpointIfFree, type WaitOptions } from './write-lock.js';
import { DERIVED_SOURCE, type FindingRow, type MarkRow, type SourceRow, type StoredEdge, type StoredNode } from './types.js';

export { CaseError, DERIVED_SOURCE } from './types.js';
export { caseFailure } from './failures.js';
export type { WaitOptions } from './write-lock.js';
export type { FindingRow, MarkRow, SourceRow, StoredEdge, StoredNode } from './types.js';
export type { StateSnapshotRow } from './state-snapshots.js';

/**
 * One case file. Only src/store talks SQL. Writes happen inside the transaction the caller opens with
 * begin(); everything an import changes is committed or rolled back together.
 *
 * This class is the store's one entry point; each facet lives in a file of its own: sources (sources.ts), facts and
 * the merged view (facts.ts), aliases (aliases.ts), search (search-index.ts), shared evidence (evidence.ts),
 * reads (node-reader.ts, edge-reader.ts), marks, findings, the graph snapshot, and bulk-load indexes.
 */
/** From how many findings a run of all rules writes them with their indexes built after (see BulkIndexes). */
const BULK_FINDINGS = 5_000;

export class CaseStore {
  readonly path: string;
  private readonly db: Db;
  private readonly sql: Sql;
  private readonly aliasIndex: AliasIndex;
  private readonly searchIndex: SearchIndex;
  private readonly evidence: EvidenceTable;
  private readonly snapshot: GraphSnapshotTable;
  private readonly bulk: BulkIndexes;
  private readonly facts: FactWriter;
  private readonly sourceRows: SourcesTable;
  private readonly nodeReader: NodeReader;
  /** Props objects of the open transaction's node rows, for derivation to read back without a parse. */
  private readonly propsMemo = new PropsMemo();
  private readonly edgeReader: EdgeReader;
  private readonly marks: MarksTable;
  private readonly findingRows: FindingsTable;
  private readonly nids: NodeIds;
  private readonly edgeKinds: EdgeKinds;
  private readonly changeLog = new ChangeLog();
  private readonly derivedTable: DerivedTable;
  /** Saved views and containment checks (workspace.ts). */
  readonly workspace: WorkspaceTables;
  private readonly stateSnapshots: StateSnapshotsTable;
  private readonly scannerRows: ScannerResultsTable;
  private readonly exportReader: ExportReader;

  /** How long a writer waits for another process writing the case (OpenOptions.busyTimeoutMs). */
  private readonly busyTimeoutMs: number;

  private constructor(path: string, db: Db, busyTimeoutMs: number) {
    this.path = path;
    this.db = db;
    this.busyTimeoutMs = busyTimeoutMs;
    this.sql = new Sql(db);
    this.nids = new NodeIds(this.sql);
    this.edgeKinds = new EdgeKinds(this.sql);
    this.aliasIndex = new AliasIndex(this.sql);
    this.searchIndex = new SearchIndex(this.sql);
    this.evidence = new EvidenceTable(this.sql, path);
    this.snapshot = new GraphSnapshotTable(this.sql);
    this.bulk = new BulkIndexes(this.sql);
    this.facts = new FactWriter(this.sql, this.aliasIndex, this.searchIndex, this.evidence, this.snapshot, this.nids, this.edgeKinds, this.changeLog, this.propsMemo, this.bulk);
    this.sourceRows = new SourcesTable(this.sql, this.searchIndex, this.aliasIndex, this.changeLog);
    this.nodeReader = new NodeReader(this.sql, this.aliasIndex, this.searchIndex, this.propsMemo);
    this.edgeReader = new EdgeReader(this.sql, this.aliasIndex, this.evidence, this.nids, this.edgeKinds);
    this.marks = new MarksTable(this.sql);
    this.findingRows = new FindingsTable(this.sql);
    this.derivedTable = new DerivedTable(this.sql, this.nids, this.edgeKinds, this.evidence, this.facts, this.searchIndex, this.changeLog);
    this.workspace = new WorkspaceTables(this.sql);
    this.stateSnapshots = new StateSnapshotsTable(this.sql);
    this.scannerRows = new ScannerResultsTable(this.sql);
    this.exportReader = new ExportReader(this.sql, this.aliasIndex);
  }

  /** Opens a case, creating it when `create` is set and the file does not exist. */
  static open(path: string, options: OpenOptions = {}): CaseStore {
    return new CaseStore(path, openCaseDatabase(path, options), options.busyTimeoutMs ?? defaultBusyTimeoutMs());
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  close(): void {
    if (!this.db.open) return;
    // Never waits: a reader closing while another process writes must not stall (the writer checkpoints later).
    checkpointIfFree(this.db);
    this.db.close();
    this.propsMemo.clear();
  }

  /**
   * PRAGMA data_version: changes when another connection (another process, an import worker) commits to the case.
   * A long-lived reader compares it to know when what it caches is stale.
   */
  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  /** Runs reads that must agree with each other (a graph index and its stamp) on one committed state of the case. */
  consistentRead<T>(read: () => T): T {
    if (this.db.inTransaction) return read();
    this.db.exec('BEGIN');
    try {
      return read();
    } finally {
      if (this.db.inTransaction) this.db.exec('COMMIT');
    }
  }

  // --- transactions -------------------------------------------------------------------------------

  begin(): void {
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (err) {
      throw isBusy(err) ? busyError(this.path, 0) : (caseFailure(err, this.path) ?? err);
    }
    this.began();
  }
  /**
   * Begins a write transaction, waiting (asynchronously, with `onWait` progress) while another process writes the
   * case, up to the busy timeout; then a CaseError says the case is being written by another process.
   */
  async beginWhenFree(options: WaitOptions = {}): Promise<void> {
    await beginWrite(this.db, this.path, this.busyTimeoutMs, options);
    this.began();
  }
  private began(): void {
    this.facts.begin();
    this.searchIndex.begin();
    this.evidence.endTransaction();
    this.nids.begin();
    this.snapshot.end();
    this.changeLog.begin();
  }
  commit(): void {
    this.bulk.restore('ids');
    this.searchIndex.flush();
    this.db.exec('COMMIT');
    this.facts.begin();
    this.evidence.endTransaction();
    this.aliasIndex.invalidate();
    this.searchIndex.end();
    this.nids.end();
    this.snapshot.end();
    this.changeLog.end();
  }
  rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.facts.begin();
    this.searchIndex.end();
    this.evidence.forget();
    this.aliasIndex.invalidate();
    this.bulk.forget();
    this.nids.forget();
    this.edgeKinds.forget();
    this.snapshot.end();
    this.changeLog.end();
    this.sql.clear();
  }
  /** Drops what this connection remembers of the case (aliases, prepared statements): another connection wrote it. */
  forget(): void {
    this.aliasIndex.reset();
    this.evidence.forget();
    this.nids.forget();
    this.edgeKinds.forget();
    this.sql.clear();
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  /** What the open write transaction has changed so far (edge and node rows, aliases): see ChangeLog. */
  changes(): Journal {
    return this.changeLog.journal;
  }

  // --- sources ------------------------------------------------------------------------------------

  /** Sources a new import of (label, content) replaces: the same label, or the same content in the same format. */
  sourcesToReplace(label: string, sha256: string, format: string): number[] {
    return this.sourceRows.toReplace(label, sha256, format);
  }
  /** Node kinds whose props objects the open transaction keeps for derivation to read back (undefined: all). */
  keepPropsOf(kinds: ReadonlySet<string> | undefined): void {
    this.propsMemo.kinds = kinds;
  }
  addSource(row: Omit<SourceRow, 'id' | 'counts' | 'warnings' | 'meta'>): number {
    return this.sourceRows.add(row);
  }
  finishSource(id: number, counts: { nodes: number; edges: number }, warnings: ImportWarning[], meta?: JsonObject): void {
    this.sourceRows.finish(id, counts, warnings, meta);
  }
  /** Removes a source's rows; returns the node ids whose merged view must be rebuilt. */
  deleteSource(id: number): Set<string> {
    this.snapshot.touch();
    this.facts.endMirror();
    return this.sourceRows.delete(id);
  }
  sources(): SourceRow[] {
    return this.sourceRows.list();
  }

  // --- writing facts ------------------------------------------------------------------------------

  /** Writes one fragment's nodes, edges and aliases for a source; adds the node ids to materialise to `touched`. */
  writeFragment(sourceId: number, fragment: GraphFragment, touched: Set<string>, derived = false): { nodes: number; edges: number } {
    return this.facts.writeFragment(sourceId, fragment, touched, derived);
  }
  /** Drops every derived edge and node, returning the derived node ids (to materialise). */
  clearDerived(): Set<string> {
    return this.facts.clearDerived();
  }
  /** Rebuilds the merged `nodes` rows for the given ids from their facts. */
  materialize(touched: Iterable<string>): void {
    this.facts.materialize(touched);
  }

  suspendEdgeIndexes(): void {
    this.bulk.suspend('edges');
  }
  restoreEdgeIndexes(): void {
    this.bulk.restore('edges');
  }
  /** As suspendEdgeIndexes, for the secondary indexes of nodes (the unique id index stays: writes rely on it). */
  suspendNodeIndexes(): void {
    this.bulk.suspend('nodes');
  }
  restoreNodeIndexes(): void {
    this.bulk.restore('nodes');
  }
  /**
   * For a large load into a case with no nodes: the unique indexes on nodes.id and node_ids.id are dropped and
   * built after (restoreIdIndexes), each at least twice as fast from sorted data as row by row at random places. Only
   * while every id's number and row are known in memory (NodeIds.allKnown, the fact mirror), so that nothing
   * reads by id; the mirror's end (a source deleted, materialisation, a derived write) and the commit build them
   * back. Returns whether they are suspended.
   */
  suspendIdIndexes(): boolean {
    if (!this.bulk.isSuspended('ids') && this.nids.allKnown() && this.facts.mirrored()) this.bulk.suspend('ids');
    return this.bulk.isSuspended('ids');
  }
  restoreIdIndexes(): void {
    this.bulk.restore('ids');
  }

  // --- reading ------------------------------------------------------------------------------------

  /** alias id → canonical id, as in effect (see AliasIndex). */
  aliases(): Map<string, string> {
    return this.aliasIndex.map();
  }
  canonical(id: string): string {
    return this.aliasIndex.canonical(id);
  }
  node(id: string): StoredNode | undefined {
    return this.nodeReader.node(id);
  }
  /** node() and nodesOfKind() for derivation rules: props parsed when read (see RuleNode). */
  ruleNode(id: string): StoredNode | undefined {
    return this.nodeReader.ruleNode(id);
  }
  ruleNodesOfKind(kind: NodeKind): StoredNode[] {
    return this.nodeReader.ruleNodesOfKind(kind);
  }
  nodes(idList: readonly string[]): Map<string, StoredNode> {
    return this.nodeReader.nodes(idList);
  }
  nodesOfKind(kind: NodeKind): IterableIterator<StoredNode> {
    return this.nodeReader.nodesOfKind(kind);
  }
  /** Every node id with its kind, for building in-memory indexes. */
  nodeKinds(): IterableIterator<{ id: string; kind: NodeKind; boundary: string | null }> {
    return this.nodeReader.nodeKinds();
  }
  /** Exact handle or name match (case-insensitive). */
  byHandle(handle: string): StoredNode[] {
    return this.nodeReader.byHandle(handle);
  }
  /** Search by name substring (3+ characters) or handle prefix; exact and shorter matches first. */
  search(text: string, limit: number): { node: StoredNode; matched: string }[] {
    return this.nodeReader.search(text, limit);
  }
  /** Edges leaving (or entering) a node, optionally of one kind, with aliases resolved. */
  edgesOf(id: string, direction: 'out' | 'in', limit = 10_000, kind?: EdgeKind): StoredEdge[] {
    return this.edgeReader.edgesOf(id, direction, limit, kind);
  }
  edge(id: number): StoredEdge | undefined {
    return this.edgeReader.edge(id);
  }
  edgesOfKind(kind: EdgeKind): IterableIterator<StoredEdge> {
    return this.edgeReader.edgesOfKind(kind);
  }
  /** Edges of several kinds, in one scan. */
  /** The ends of a kind's edges (see EdgeReader.edgeEndsOfKind). */
  edgeEndsOfKind(kind: EdgeKind): IterableIterator<[src: string, dst: string] | StoredEdge> {
    return this.edgeReader.edgeEndsOfKind(kind);
  }
  edgesOfKinds(kinds: readonly EdgeKind[]): IterableIterator<StoredEdge> {
    return this.edgeReader.edgesOfKinds(kinds);
  }
  /** Every edge an attacker can walk, in a compact form for graph indexes (props not parsed). */
  traversableEdges(): ReturnType<EdgeReader['traversableEdges']> {
    return this.edgeReader.traversableEdges();
  }
  /** Every node with what a graph index keeps in memory (no props, no handles), by its number. */
  graphNodes(): ReturnType<NodeReader['graphNodes']> {
    return this.nodeReader.graphNodes();
  }
  /** Every traversable edge in the compact form a graph index is built from (numbers; see EdgeReader.graphEdges). */
  graphEdges(): ReturnType<EdgeReader['graphEdges']> {
    return this.edgeReader.graphEdges();
  }

  // --- node numbers (node_ids): every id the case names has one, and a node's row has it as rowid ----------

  /** The number of an id the case names (as stated: aliases are not resolved), or undefined. */
  nodeNumber(id: string): number | undefined {
    return this.nids.lookup(id);
  }
  /** The largest node number given out (0 for an empty case). */
  maxNodeNumber(): number {
    return this.nids.max();
  }
  /** Every [number, id], from a number on. */
  nodeNumbers(from = 0): IterableIterator<[nid: number, id: string]> {
    return this.sql.db.prepare('SELECT nid, id FROM node_ids WHERE nid >= ?').raw().iterate(from) as IterableIterator<[number, string]>;
  }
  /** [number, id] of the numbers from `from` up to (not including) `to`, in one call. */
  nodeNumbersBetween(from: number, to: number): [nid: number, id: string][] {
    return this.sql.stmt('SELECT nid, id FROM node_ids WHERE nid >= ? AND nid < ?').raw(true).all(from, to) as [number, string][];
  }
  /** The id a node number stands for. */
  nodeIdOfNumber(nid: number): string | undefined {
    return this.nids.idOf(nid);
  }
  /** Every edge stated about an id some alias names, as [kind, src, dst] (aliases resolved): what aliases move. */
  *edgesAtAliases(): IterableIterator<[EdgeKind, string, string]> {
    const named = new Set<string>();
    for (const [alias, canonical] of this.aliasIndex.raw()) named.add(alias).add(canonical);
    const seen = new Set<number>();
    for (const id of named) {
      for (const dir of ['out', 'in'] as const) {
        for (const e of this.edgeReader.edgesOf(id, dir, Number.MAX_SAFE_INTEGER)) {
          if (seen.has(e.id)) continue;
          seen.add(e.id);
          yield [e.kind, e.src, e.dst];
        }
      }
    }
  }
  /** The edge kind a code in edge_rows stands for. */
  edgeKindOfCode(code: number): EdgeKind {
    return this.edgeKinds.kindOf(code);
  }
  /** How many edge rows the case holds. */
  edgeCount(): number {
    return (this.sql.stmt('SELECT count(*) FROM edge_rows').pluck().get() as number) ?? 0;
  }

  /** Nodes of a kind in some scopes (see NodeReader.nodesOfKindIn). */
  nodesOfKindIn(kind: NodeKind, scopes: readonly string[]): IterableIterator<StoredNode> {
    return this.nodeReader.nodesOfKindIn(kind, scopes);
  }
  /** Edges of a kind with an end in some scopes (see EdgeReader.edgesOfKindIn). */
  edgesOfKindIn(kind: EdgeKind, scopes: readonly string[]): IterableIterator<StoredEdge> {
    return this.edgeReader.edgesOfKindIn(kind, scopes, (id) => this.scopeOfNode(id));
  }
  /** A node's kind and scope, without parsing its props (undefined: no row). */
  nodeInfo(id: string): { kind: string; scope: string } | undefined {
    const n = this.nodeReader.scopeInfo(id);
    return n ? { kind: n.kind, scope: scopeOf(this.canonical(id), n.kind, n.boundary) } : undefined;
  }
  /** The scope of a node (see change-log scopeOf): its boundary, itself for a boundary node, '' otherwise. */
  scopeOfNode(id: string): string {
    const n = this.nodeReader.scopeInfo(id);
    return n ? scopeOf(this.canonical(id), n.kind, n.boundary) : '';
  }
  /** A node's merged view without the facts of derivation rules (undefined when it has no other). */
  nodeWithoutDerived(id: string): StoredNode | undefined {
    const row = this.facts.mergedWithout(this.canonical(id), DERIVED_SOURCE);
    return row ? toNode(row) : undefined;
  }

  // --- what derivation rules made, by rule and scope (see DerivedTable) ----------------------------------------

  writeDerivedAll(rows: Iterable<DerivedRow>): void {
    this.derivedTable.writeAll(rows);
  }
  writeDerivedClaims(claims: Iterable<NodeClaim>, touched: Set<string>): void {
    this.derivedTable.writeAllClaims(claims, touched);
  }
  derivedOutputs(rule: string, scopes: readonly string[] | null): RuleOutputs {
    return this.derivedTable.outputs(rule, scopes);
  }
  replaceDerivedRule(...args: Parameters<DerivedTable['replaceRule']>): void {
    this.derivedTable.replaceRule(...args);
  }
  replaceRuleFindings(rule: string, scopes: readonly string[] | null, rows: readonly { row: FindingRow; scope: string }[]): void {
    this.derivedTable.replaceFindings(rule, scopes, rows);
  }
  replaceAllFindings(rows: readonly { row: FindingRow; scope: string }[]): void {
    // Every row is new (the table is emptied first): many are written faster with the indexes built after.
    const bulk = rows.length >= BULK_FINDINGS;
    if (bulk) this.bulk.suspend('findings');
    this.derivedTable.replaceAllFindings(rows);
    if (bulk) this.bulk.restore('findings');
  }
  /** The findings made from posture-scanner results replaced (they are matched to nodes again after every import). */
  replaceScannerFindings(rows: readonly FindingRow[]): void {
    this.derivedTable.replaceScannerFindings(rows);
  }
  derivedSharedIds(): Set<number> {
    return this.derivedTable.sharedIds();
  }
  derivedParts(edgeId: number): DerivedPart[] {
    return this.derivedTable.parts(edgeId);
  }
  derivedClaims(): Map<string, string[]> {
    return this.derivedTable.claims();
  }

  counts(): { nodes: number; edges: number; derivedEdges: number; findings: number; marks: number } {
    const n = (text: string) => (this.sql.stmt(text).get() as { n: number }).n;
    return {
      nodes: n('SELECT count(*) AS n FROM nodes'),
      edges: n('SELECT count(*) AS n FROM edge_rows'),
      derivedEdges: n('SELECT count(*) AS n FROM edge_rows WHERE derived = 1'),
      findings: n('SELECT count(*) AS n FROM findings'),
      marks: n('SELECT count(*) AS n FROM marks WHERE undone_at IS NULL'),
    };
  }

  // --- graph snapshot -----------------------------------------------------------------------------

  /** What a graph index was built from: changes whenever nodes, edges or aliases do. */
  graphStamp(): string {
    return this.snapshot.stamp();
  }
  loadGraphSnapshot(): { stamp: string; data: Buffer } | undefined {
    return this.snapshot.load();
  }
  /** Saves the serialised graph index; a read-only case keeps it in memory only. */
  saveGraphSnapshot(stamp: string, data: Uint8Array): boolean {
    return this.snapshot.save(stamp, data);
  }
  dropGraphSnapshot(): void {
    this.snapshot.drop();
  }

  // --- marks and findings -------------------------------------------------------------------------

  /** Adds a mark unless the node already carries an active one of the same kind. */
  addMark(nodeId: string, mark: MarkKind, note: string, by: string, at: string, sourceId: number | null = null): MarkRow {
    return this.marks.add(nodeId, mark, note, by, at, sourceId);
  }
  /** Undoes active marks; they stay in the table with who and when. */
  undoMark(nodeId: string, mark: MarkKind, by: string, at: string): number {
    return this.marks.undo(nodeId, mark, by, at);
  }
  activeMarks(nodeId?: string): MarkRow[] {
    return this.marks.active(nodeId);
  }
  replaceFindings(findings: FindingRow[]): void {
    this.findingRows.replace(findings);
  }
  findings(filter: { nodeId?: string } = {}): FindingRow[] {
    return this.findingRows.list(filter);
  }
  /** Posture-scanner results a source brought (removed with it). */
  addScannerResults(sourceId: number, results: readonly ScannerResult[]): void {
    this.scannerRows.add(sourceId, results);
  }
  scannerResults(): IterableIterator<ScannerResult & { sourceId: number }> {
    return this.scannerRows.all();
  }
  hasScannerResults(): boolean {
    return this.scannerRows.count() > 0;
  }
  /** Every node's id and handles, props unread (for matching what outside reports name). */
  nodeHandles(): IterableIterator<{ id: string; kind: string; stub: boolean; handles: string[] }> {
    return this.scannerRows.handleRows();
  }

  // --- state snapshots and copies (blastmap diff, plan-impact) ------------------------------------

  addStateSnapshot(row: Omit<StateSnapshotRow, 'id' | 'bytes'>, data: Uint8Array): number {
    return this.stateSnapshots.add(row, data);
  }
  stateSnapshotList(): StateSnapshotRow[] {
    return this.stateSnapshots.list();
  }
  stateSnapshotData(id: number): Buffer | undefined {
    return this.stateSnapshots.data(id);
  }
  setSnapshotReplaced(id: number, replaced: StateSnapshotRow['replaced']): void {
    this.stateSnapshots.setReplaced(id, replaced);
  }
  deleteStateSnapshot(id: number): void {
    this.stateSnapshots.delete(id);
  }
  pruneAutoSnapshots(keep: number): number {
    return this.stateSnapshots.pruneAuto(keep);
  }
  /** Credentials a source says are not active (`active: false` or AWS's `status: Inactive`), among nodes of the kinds. */
  inactiveNodes(kinds: readonly NodeKind[]): string[] {
    if (!kinds.length) return [];
    return this.sql
      .stmt(`SELECT id FROM nodes WHERE kind IN (${kinds.map(() => '?').join(',')}) AND (json_extract(props, '$.active') = 0 OR json_extract(props, '$.status') = 'Inactive')`)
      .pluck()
      .all(...kinds) as string[];
  }
  /** The boundaries a source describes: those of the nodes it states in full (not as references). */
  sourceScope(sourceId: number): string[] {
    const rows = this.sql
      .stmt(
        `SELECT boundary FROM nodes WHERE solo_source = ? AND stub = 0 AND boundary IS NOT NULL
         UNION SELECT boundary FROM node_facts WHERE source_id = ? AND stub = 0 AND boundary IS NOT NULL`,
      )
      .pluck()
      .all(sourceId, sourceId) as string[];
    return rows.sort();
  }
  /** Whether any node's props mention a word (ASCII case-insensitive): one scan, stopped at the first hit. */
  propsMention(word: string): boolean {
    return this.sql.stmt("SELECT 1 FROM nodes WHERE props LIKE ? ESCAPE '\\' LIMIT 1").get(`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) !== undefined;
  }
  /** The technique of every edge that states one (by edge row id): what a state snapshot keeps of edge props. */
  edgeTechniques(): Map<number, string> {
    const out = new Map<number, string>();
    const q = this.sql.stmt(`SELECT id, json_extract(props, '$.technique') FROM edge_rows WHERE props LIKE '%"technique"%'`).raw(true);
    for (const [id, t] of q.iterate() as Iterable<[number, unknown]>) if (typeof t === 'string') out.set(id, t);
    return out;
  }
  /** A consistent copy of the case in another file (SQLite's online backup; the case stays usable meanwhile). */
  async backupTo(path: string): Promise<void> {
    await this.db.backup(path);
  }

  // --- whole-case reads for exports ----------------------------------------------------------------

  /** Every node row in insertion order, one at a time. */
  allNodes(): IterableIterator<StoredNode> {
    return this.nodeReader.all();
  }
  /** Every edge in id order (aliases resolved, evidence filled in), one at a time. */
  allEdges(): IterableIterator<StoredEdge> {
    return this.edgeReader.all();
  }
  /** Ids edges name that no node row describes. */
  danglingEndpoints(): string[] {
    return this.exportReader.danglingEndpoints();
  }
  /** Counts for a report's limits: conditional and derived edges, stub nodes, external boundaries. */
  exportStats(): ReturnType<ExportReader['stats']> {
    return this.exportReader.stats();
  }
  /** A consistent, compact single-file copy of the case (VACUUM INTO); the target must not exist. */
  copyTo(path: string): void {
    this.exportReader.copyTo(path);
  }

  // --- meta ---------------------------------------------------------------------------------------

  getMeta(key: string): string | undefined {
    return (this.sql.stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }
  setMeta(key: string, value: string): void {
    this.sql.stmt('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }
  deleteMeta(key: string): void {
    this.sql.stmt('DELETE FROM meta WHERE key = ?').run(key);
  }
}

/** BLASTMAP_BUSY_TIMEOUT_MS, else 30 s: how long a writer waits for another process writing the same case. */
function defaultBusyTimeoutMs(): number {
  const fromEnv = Number(process.env['BLASTMAP_BUSY_TIMEOUT_MS']);
  return Number.isFinite(fromEnv) && fromEnv >= 0 ? fromEnv : 30_000;
}
