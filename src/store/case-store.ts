import type { Database as Db } from 'better-sqlite3';
import type { GraphFragment, ImportWarning, MarkKind } from '../model/fragment.js';
import type { EdgeKind, NodeKind } from '../model/kinds.js';
import { AliasIndex } from './aliases.js';
import { BulkIndexes } from './bulk-indexes.js';
import { EdgeReader } from './edge-reader.js';
import { EvidenceTable } from './evidence.js';
import { FactWriter } from './facts.js';
import { FindingsTable } from './findings.js';
import { GraphSnapshotTable } from './graph-snapshot.js';
import { MarksTable } from './marks.js';
import { WorkspaceTables } from './workspace.js';
import { NodeReader } from './node-reader.js';
import { openCaseDatabase, type OpenOptions } from './open.js';
import { SearchIndex } from './search-index.js';
import { SourcesTable } from './sources.js';
import { Sql } from './sql.js';
import type { FindingRow, MarkRow, SourceRow, StoredEdge, StoredNode } from './types.js';

export { CaseError, DERIVED_SOURCE } from './types.js';
export type { FindingRow, MarkRow, SourceRow, StoredEdge, StoredNode } from './types.js';

/**
 * One case file. Only src/store talks SQL. Writes happen inside the transaction the caller opens with
 * begin(); everything an import changes is committed or rolled back together.
 *
 * This class is the store's one entry point; each facet lives in a file of its own: sources (sources.ts), facts and
 * the merged view (facts.ts), aliases (aliases.ts), search (search-index.ts), shared evidence (evidence.ts),
 * reads (node-reader.ts, edge-reader.ts), marks, findings, the graph snapshot, and bulk-load indexes.
 */
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
  private readonly edgeReader: EdgeReader;
  private readonly marks: MarksTable;
  private readonly findingRows: FindingsTable;
  /** Saved views and containment checks (workspace.ts). */
  readonly workspace: WorkspaceTables;

  private constructor(path: string, db: Db) {
    this.path = path;
    this.db = db;
    this.sql = new Sql(db);
    this.aliasIndex = new AliasIndex(this.sql);
    this.searchIndex = new SearchIndex(this.sql);
    this.evidence = new EvidenceTable(this.sql, path);
    this.snapshot = new GraphSnapshotTable(this.sql);
    this.bulk = new BulkIndexes(this.sql);
    this.facts = new FactWriter(this.sql, this.aliasIndex, this.searchIndex, this.evidence, this.snapshot);
    this.sourceRows = new SourcesTable(this.sql, this.searchIndex, this.aliasIndex);
    this.nodeReader = new NodeReader(this.sql, this.aliasIndex, this.searchIndex);
    this.edgeReader = new EdgeReader(this.sql, this.aliasIndex, this.evidence);
    this.marks = new MarksTable(this.sql);
    this.findingRows = new FindingsTable(this.sql);
    this.workspace = new WorkspaceTables(this.sql);
  }

  /** Opens a case, creating it when `create` is set and the file does not exist. */
  static open(path: string, options: OpenOptions = {}): CaseStore {
    return new CaseStore(path, openCaseDatabase(path, options));
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

  // --- transactions -------------------------------------------------------------------------------

  begin(): void {
    this.db.exec('BEGIN IMMEDIATE');
    this.searchIndex.begin();
    this.evidence.endTransaction();
  }
  commit(): void {
    this.searchIndex.flush();
    this.db.exec('COMMIT');
    this.evidence.endTransaction();
    this.aliasIndex.invalidate();
    this.searchIndex.end();
  }
  rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.searchIndex.end();
    this.evidence.forget();
    this.aliasIndex.invalidate();
    this.bulk.forget();
    this.sql.clear();
  }
  /** Drops what this connection remembers of the case (aliases, prepared statements): another connection wrote it. */
  forget(): void {
    this.aliasIndex.reset();
    this.evidence.forget();
    this.sql.clear();
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  // --- sources ------------------------------------------------------------------------------------

  /** Sources a new import of (label, content) replaces: the same label, or the same content in the same format. */
  sourcesToReplace(label: string, sha256: string, format: string): number[] {
    return this.sourceRows.toReplace(label, sha256, format);
  }
  addSource(row: Omit<SourceRow, 'id' | 'counts' | 'warnings'>): number {
    return this.sourceRows.add(row);
  }
  finishSource(id: number, counts: { nodes: number; edges: number }, warnings: ImportWarning[]): void {
    this.sourceRows.finish(id, counts, warnings);
  }
  /** Removes a source's rows; returns the node ids whose merged view must be rebuilt. */
  deleteSource(id: number): Set<string> {
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
  /** Every edge an attacker can walk, in a compact form for graph indexes (props not parsed). */
  traversableEdges(): ReturnType<EdgeReader['traversableEdges']> {
    return this.edgeReader.traversableEdges();
  }
  /** Every node with what a graph index keeps in memory (no props, no handles). */
  graphNodes(): ReturnType<NodeReader['graphNodes']> {
    return this.nodeReader.graphNodes();
  }
  /** Every traversable edge in the compact form a graph index is built from. */
  graphEdges(): ReturnType<EdgeReader['graphEdges']> {
    return this.edgeReader.graphEdges();
  }

  counts(): { nodes: number; edges: number; derivedEdges: number; findings: number; marks: number } {
    const n = (text: string) => (this.sql.stmt(text).get() as { n: number }).n;
    return {
      nodes: n('SELECT count(*) AS n FROM nodes'),
      edges: n('SELECT count(*) AS n FROM edges'),
      derivedEdges: n('SELECT count(*) AS n FROM edges WHERE derived = 1'),
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

  // --- meta ---------------------------------------------------------------------------------------

  getMeta(key: string): string | undefined {
    return (this.sql.stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }
  setMeta(key: string, value: string): void {
    this.sql.stmt('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }
}
