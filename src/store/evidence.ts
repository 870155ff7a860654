import type { Evidence } from '../model/fragment.js';
import { deepFreeze } from './rows.js';
import { RowBatch, type Sql } from './sql.js';
import { CaseError } from './types.js';

/** Inside bulk(): pieces not inserted yet (ids from `first` on, their JSON and citations), citations of pieces written earlier in the transaction, and the last list cited. */
type Pending = { first: number; json: string[]; cites: number[]; earlier: Map<number, number>; lastList?: { evidence: readonly Evidence[]; ids: number[]; refs: string } };

/**
 * The `evidence` table (migrations 0003, 0016): evidence pieces of derived edges, stored once and cited by id from
 * `edges.evidence`. One RoleBinding that allows creating pods reaches every account of its namespace with the same
 * binding and rules; one pod's piece is cited by every rule that reaches its account. Each piece counts its
 * citations (`cites`: every id in every row's list, repeats included) and goes when the last row citing it does,
 * whichever rule wrote it.
 */
export class EvidenceTable {
  /**
   * Pieces written in this transaction (and not deleted since): by object (rules share them) and by JSON, to their
   * row id. Plain maps, emptied when the transaction ends: the pieces live that long anyway, and a weak map of a
   * hundred thousand costs every garbage collection.
   */
  private readonly byObject = new Map<object, number>();
  private readonly byJson = new Map<string, number>();
  /** Rows read, parsed and frozen (every edge citing a piece shares it). */
  private readonly read = new Map<number, Evidence>();
  /** Inside bulk(): what it wrote, inserted when the run ends, once the citations are counted. */
  private pending: Pending | undefined;

  constructor(private readonly sql: Sql, private readonly casePath: string) {}

  /** The row ids of a derived edge's pieces, counted as cited once more (each), writing the pieces not stored yet in this transaction. */
  refs(evidence: readonly Evidence[]): string {
    const pending = this.pending;
    if (pending) {
      // Inside bulk(), where nothing changes the lists written: a list shared by a run of edges (a grant's), cited again.
      const same = pending.lastList;
      if (same && same.evidence === evidence) {
        for (const id of same.ids) this.cite(pending, id);
        return same.refs;
      }
      const ids: number[] = [];
      for (const piece of evidence) {
        const id = this.idOf(piece);
        this.cite(pending, id);
        ids.push(id);
      }
      const refs = ids.length === 1 ? String(ids[0]) : ids.join(',');
      pending.lastList = { evidence, ids, refs };
      return refs;
    }
    const cite = this.sql.stmt('UPDATE evidence SET cites = cites + 1 WHERE id = ?');
    const add = this.sql.stmt('INSERT INTO evidence (json, cites) VALUES (?, 1)');
    let refs = '';
    for (const piece of evidence) {
      let id = this.byObject.get(piece);
      if (id === undefined) {
        const json = JSON.stringify(piece);
        id = this.byJson.get(json);
        if (id === undefined) this.byJson.set(json, (id = Number(add.run(json).lastInsertRowid)));
        else cite.run(id);
        this.byObject.set(piece, id);
      } else cite.run(id);
      refs = refs ? `${refs},${id}` : String(id);
    }
    return refs;
  }

  /** Inside bulk(): counts a citation (of a piece of this run, or of one this transaction wrote before it). */
  private cite(pending: Pending, id: number): void {
    if (id >= pending.first) pending.cites[id - pending.first]!++;
    else pending.earlier.set(id, (pending.earlier.get(id) ?? 0) + 1);
  }

  /** Inside bulk(): the id of a piece written in this run, added (not cited yet) if new. */
  private idOf(piece: Evidence): number {
    let id = this.byObject.get(piece);
    if (id === undefined) {
      const json = JSON.stringify(piece);
      id = this.byJson.get(json);
      if (id === undefined) {
        const pending = this.pending!;
        pending.json.push(json);
        pending.cites.push(0);
        this.byJson.set(json, (id = pending.first + pending.json.length - 1));
      }
      this.byObject.set(piece, id);
    }
    return id;
  }

  /**
   * Runs `write` with the pieces it stores inserted in batches of rows when it ends (numbered as SQLite numbers them:
   * one past the largest id), for a run writing tens of thousands. Nothing may read or delete pieces inside it.
   */
  bulk(write: () => void): void {
    if (this.pending) return write();
    const first = ((this.sql.stmt('SELECT max(id) FROM evidence').pluck().get() as number | null) ?? 0) + 1;
    const pending: Pending = { first, json: [], cites: [], earlier: new Map() };
    this.pending = pending;
    try {
      write();
      const rows = new RowBatch(this.sql, 'INSERT INTO evidence (id, json, cites)', '(?, ?, ?)');
      for (let i = 0; i < pending.json.length; i++) rows.push(first + i, pending.json[i], pending.cites[i]);
      rows.flush();
      const cite = this.sql.stmt('UPDATE evidence SET cites = cites + ? WHERE id = ?');
      for (const [id, n] of pending.earlier) cite.run(n, id);
    } finally {
      this.pending = undefined;
    }
  }

  /** Rows citing these lists (`edges.evidence`, null for none) were deleted: their pieces are cited once less each, and go when no row cites them. */
  release(lists: Iterable<string | null>): void {
    const counts = new Map<number, number>();
    for (const refs of lists) {
      if (refs === null) continue;
      for (const id of refs.split(',')) counts.set(Number(id), (counts.get(Number(id)) ?? 0) + 1);
    }
    if (!counts.size) return;
    const less = this.sql.stmt('UPDATE evidence SET cites = cites - ? WHERE id = ? RETURNING cites').pluck();
    const del = this.sql.stmt('DELETE FROM evidence WHERE id = ?');
    let deleted = false;
    for (const [id, n] of counts) {
      const left = less.get(n, id) as number | undefined;
      if (left !== undefined && left <= 0) {
        del.run(id);
        deleted = true;
      }
    }
    // What this transaction wrote may be gone (and its ids handed out again): nothing of it is cited any more.
    if (deleted) {
      this.byObject.clear();
      this.byJson.clear();
      this.read.clear();
    }
  }

  /** The pieces a `edges.evidence` list names, read once per connection and shared frozen. */
  pieces(refs: string): Evidence[] {
    return refs.split(',').map((id) => this.piece(Number(id)));
  }

  /** Deletes every piece (they belong to the derived edges, which are being dropped). */
  clear(): void {
    this.sql.stmt('DELETE FROM evidence').run();
    this.forget();
  }

  /** Forgets what was written in the transaction that ended. */
  endTransaction(): void {
    this.byObject.clear();
    this.byJson.clear();
  }

  /** Forgets everything cached (a rollback, or another connection wrote the case). */
  forget(): void {
    this.byObject.clear();
    this.byJson.clear();
    this.read.clear();
  }

  private piece(id: number): Evidence {
    let piece = this.read.get(id);
    if (!piece) {
      const json = this.sql.stmt('SELECT json FROM evidence WHERE id = ?').pluck().get(id) as string | undefined;
      if (json === undefined) throw new CaseError(`${this.casePath}: an edge names evidence ${id}, which the case does not hold`);
      this.read.set(id, (piece = deepFreeze(JSON.parse(json) as Evidence)));
    }
    return piece;
  }
}
