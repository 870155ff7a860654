import type { EdgeKind } from '../model/kinds.js';
import { RowBatch, type Sql } from './sql.js';

/**
 * The case's numbering of ids (`node_ids`, migration 0012): every id a node or an edge names gets a number once,
 * never reused. Edges store numbers, a node's row has its number as rowid, and the graph index is addressed by it.
 *
 * Inside a write transaction numbers are handed out here (the next one is known from the table), so a million-edge
 * load asks SQLite only about ids it has not seen in this transaction; a load large against what the case holds
 * reads every known id once instead of one query each.
 */
export class NodeIds {
  /** Numbers read or given out in the open write transaction (dropped by a rollback). */
  private tx: { known: Map<string, number>; next: number; complete: boolean; misses: number } | undefined;
  /** Numbers of committed ids, for reads outside transactions: a few thousand at most. */
  private readonly cache = new Map<string, number>();

  /** Rows of new numbers not yet written, inside `batched`. */
  private pending: RowBatch | undefined;

  constructor(private readonly sql: Sql) {}

  /**
   * Runs `fn` with the rows of the numbers it hands out written several per statement, at the latest when it returns
   * (a fragment's nodes and edges number tens of thousands of ids). `fn` must not read node_ids in SQL itself.
   */
  batched<T>(fn: () => T): T {
    if (this.pending) return fn();
    const pending = (this.pending = new RowBatch(this.sql, 'INSERT INTO node_ids (nid, id)', '(?, ?)', 256));
    let result: T;
    try {
      result = fn();
    } finally {
      // After a failure nothing more is written: SQLite may have rolled the transaction back already (a full disk).
      this.pending = undefined;
    }
    pending.flush();
    return result;
  }

  begin(): void {
    const max = (this.sql.stmt('SELECT max(nid) FROM node_ids').pluck().get() as number | null) ?? 0;
    // An empty case: every id is new, nothing to ask.
    this.tx = { known: new Map(), next: max + 1, complete: max === 0, misses: 0 };
  }

  /** The transaction ended: what it numbered is committed (or rolled back, and then forgotten). */
  end(): void {
    this.tx = undefined;
  }

  /** Forgets everything cached (a rollback, or another connection wrote the case). */
  forget(): void {
    this.tx = undefined;
    this.cache.clear();
  }

  /** The largest number handed out so far (0 for an empty case). */
  max(): number {
    if (this.tx) return this.tx.next - 1;
    return (this.sql.stmt('SELECT max(nid) FROM node_ids').pluck().get() as number | null) ?? 0;
  }

  /** The number of an id, given out now if the case has never named it. Only inside a write transaction. */
  nid(id: string): number {
    const tx = this.tx;
    if (!tx) throw new Error('node numbers are handed out inside a write transaction');
    let nid = tx.known.get(id);
    if (nid !== undefined) return nid;
    if (!tx.complete) {
      nid = this.select(id);
      if (++tx.misses === BULK_MISSES) this.loadAll();
    }
    if (nid === undefined) {
      nid = tx.next++;
      if (this.pending) this.pending.push(nid, id);
      else this.sql.stmt('INSERT INTO node_ids (nid, id) VALUES (?, ?)').run(nid, id);
    }
    tx.known.set(id, nid);
    return nid;
  }

  /**
   * Whether an id is surely unnumbered, known without asking SQLite (the case was empty when the transaction began,
   * or every id was read): then no row has it either. False when it would take a query to tell.
   */
  isNew(id: string): boolean {
    const tx = this.tx;
    return tx !== undefined && tx.complete && !tx.known.has(id);
  }

  /**
   * Whether every id the case numbers is known here without asking SQLite (a case with none when the transaction
   * began): then nothing reads node_ids by id until the transaction ends.
   */
  allKnown(): boolean {
    return this.tx?.complete === true;
  }

  /** The number of an id the case names, or undefined. */
  lookup(id: string): number | undefined {
    const tx = this.tx;
    const known = tx?.known.get(id) ?? this.cache.get(id);
    if (known !== undefined) return known;
    if (tx?.complete) return undefined;
    const nid = this.select(id);
    if (nid !== undefined && !tx) {
      if (this.cache.size >= CACHE_SIZE) this.cache.clear();
      this.cache.set(id, nid);
    }
    return nid;
  }

  /** The id a number stands for. */
  idOf(nid: number): string | undefined {
    this.pending?.flush();
    return this.sql.stmt('SELECT id FROM node_ids WHERE nid = ?').pluck().get(nid) as string | undefined;
  }

  private select(id: string): number | undefined {
    this.pending?.flush();
    return this.sql.stmt('SELECT nid FROM node_ids WHERE id = ?').pluck().get(id) as number | undefined;
  }

  /** A large load: one pass over every known id beats a query for each of the rest. */
  private loadAll(): void {
    this.pending?.flush();
    const tx = this.tx!;
    for (const [nid, id] of this.sql.stmt('SELECT nid, id FROM node_ids').raw().iterate() as Iterable<[number, string]>) tx.known.set(id, nid);
    tx.complete = true;
  }
}

/** After this many ids looked up one by one in a transaction, the rest are read in one pass. */
const BULK_MISSES = 20_000;
const CACHE_SIZE = 10_000;

/** Edge kinds by number (`edge_kinds`): a handful, read once per connection, new ones numbered on first write. */
export class EdgeKinds {
  private byKind: Map<string, number> | undefined;
  private byCode: string[] | undefined;

  constructor(private readonly sql: Sql) {}

  private load(): void {
    this.byKind = new Map();
    this.byCode = [];
    for (const [code, kind] of this.sql.stmt('SELECT code, kind FROM edge_kinds').raw().all() as [number, string][]) {
      this.byKind.set(kind, code);
      this.byCode[code] = kind;
    }
  }

  /** The code of a kind, numbered now if the case has none (only inside a write transaction). */
  code(kind: EdgeKind): number {
    if (!this.byKind) this.load();
    let code = this.byKind!.get(kind);
    if (code === undefined) {
      code = Number(this.sql.stmt('INSERT INTO edge_kinds (kind) VALUES (?)').run(kind).lastInsertRowid);
      this.byKind!.set(kind, code);
      this.byCode![code] = kind;
    }
    return code;
  }

  /** The code of a kind the case holds edges of, or undefined. */
  find(kind: EdgeKind): number | undefined {
    if (!this.byKind) this.load();
    return this.byKind!.get(kind);
  }

  kindOf(code: number): EdgeKind {
    if (!this.byCode || this.byCode[code] === undefined) this.load();
    return this.byCode![code] as EdgeKind;
  }

  /** Forgets the numbering (a rollback may have dropped codes given out in it). */
  forget(): void {
    this.byKind = undefined;
    this.byCode = undefined;
  }
}
