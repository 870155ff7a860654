import type { Evidence } from '../model/fragment.js';
import { deepFreeze } from './rows.js';
import { RowBatch, type Sql } from './sql.js';
import { CaseError } from './types.js';

type PiecesWritten = { byObject: Map<object, number>; byJson: Map<string, number> };

/**
 * The `evidence` table (migration 0003): evidence pieces of derived edges, stored once and cited by id from
 * `edges.evidence`. One RoleBinding that allows creating pods reaches every account of its namespace with the same
 * binding and rules.
 */
export class EvidenceTable {
  /**
   * Pieces written in this transaction, per rule and scope (a rule running again deletes its own): by object (rules
   * share them) and by JSON, to their row id. Plain maps, emptied when the transaction ends: the pieces live that
   * long anyway, and a weak map of a hundred thousand costs every garbage collection.
   */
  private written = new Map<string, PiecesWritten>();
  /**
   * The JSON of pieces stringified in this transaction, by object: rules share piece objects (a pod's evidence is
   * cited by every rule that reaches its account), and each rule and scope stores its own row of it.
   */
  private readonly json = new Map<object, string>();
  /** Rows read, parsed and frozen (every edge citing a piece shares it). */
  private readonly read = new Map<number, Evidence>();
  /** Inside bulk(): rows not inserted yet, and the id the next one gets. */
  private pending: { rows: RowBatch; next: number; lastList?: { evidence: readonly Evidence[]; ids: PiecesWritten; refs: string } } | undefined;

  constructor(private readonly sql: Sql, private readonly casePath: string) {}

  /** The row ids of a derived edge's pieces, writing the pieces not stored yet in this transaction (for that rule and scope). */
  refs(evidence: readonly Evidence[], rule: string | null = null, scope: number | null = null): string {
    const ids = this.idsOf(rule, scope);
    // Inside bulk(), where nothing changes the lists written: a list shared by a run of edges (a grant's), cited again.
    const same = this.pending?.lastList;
    if (same && same.evidence === evidence && same.ids === ids) return same.refs;
    let refs = '';
    if (evidence.length === 1) refs = String(this.idOf(evidence[0]!, ids, rule, scope));
    else {
      for (const piece of evidence) {
        const id = this.idOf(piece, ids, rule, scope);
        refs = refs ? `${refs},${id}` : String(id);
      }
    }
    if (this.pending) this.pending.lastList = { evidence, ids, refs };
    return refs;
  }

  /** The pieces written for a rule and scope (the last asked kept at hand: a run asks for the same one edge after edge). */
  private last: { rule: string | null; scope: number | null; ids: PiecesWritten } | undefined;
  private idsOf(rule: string | null, scope: number | null): PiecesWritten {
    const last = this.last;
    if (last && last.rule === rule && last.scope === scope) return last.ids;
    const key = `${rule ?? ''}\n${scope ?? ''}`;
    let ids = this.written.get(key);
    if (!ids) this.written.set(key, (ids = { byObject: new Map(), byJson: new Map() }));
    this.last = { rule, scope, ids };
    return ids;
  }

  private idOf(piece: Evidence, ids: PiecesWritten, rule: string | null, scope: number | null): number {
    let id = ids.byObject.get(piece);
    if (id === undefined) {
      let json = this.json.get(piece);
      if (json === undefined) this.json.set(piece, (json = JSON.stringify(piece)));
      id = ids.byJson.get(json);
      if (id === undefined) ids.byJson.set(json, (id = this.insert(json, rule, scope)));
      ids.byObject.set(piece, id);
    }
    return id;
  }

  /**
   * Runs `write` with the pieces it stores inserted in batches of rows (numbered as SQLite numbers them: one past
   * the largest id), for a run writing tens of thousands. Nothing may read or delete pieces inside it.
   */
  bulk(write: () => void): void {
    if (this.pending) return write();
    const next = ((this.sql.stmt('SELECT max(id) FROM evidence').pluck().get() as number | null) ?? 0) + 1;
    const pending = { rows: new RowBatch(this.sql, 'INSERT INTO evidence (id, json, rule, scope)', '(?, ?, ?, ?)'), next };
    this.pending = pending;
    try {
      write();
      pending.rows.flush();
    } finally {
      this.pending = undefined;
    }
  }

  private insert(json: string, rule: string | null, scope: number | null): number {
    const pending = this.pending;
    if (!pending) return Number(this.sql.stmt('INSERT INTO evidence (json, rule, scope) VALUES (?, ?, ?)').run(json, rule, scope).lastInsertRowid);
    const id = pending.next++;
    pending.rows.push(id, json, rule, scope);
    return id;
  }

  /** The pieces a `edges.evidence` list names, read once per connection and shared frozen. */
  pieces(refs: string): Evidence[] {
    return refs.split(',').map((id) => this.piece(Number(id)));
  }

  /** Deletes every piece (they belong to the derived edges, which are being dropped). */
  clear(): void {
    this.sql.stmt('DELETE FROM evidence').run();
    this.written.clear();
    this.last = undefined;
    this.json.clear();
    this.read.clear();
  }

  /** Forgets what was written in the transaction that ended. */
  endTransaction(): void {
    this.written.clear();
    this.last = undefined;
    this.json.clear();
  }

  /** Forgets everything cached (a rollback, or another connection wrote the case). */
  forget(): void {
    this.written.clear();
    this.last = undefined;
    this.json.clear();
    this.read.clear();
  }

  /** A rule's pieces were deleted: what this transaction wrote for it cannot be cited any more, and their ids may be handed out again. */
  forgetRule(rule: string): void {
    for (const key of this.written.keys()) if (key.startsWith(`${rule}\n`)) this.written.delete(key);
    this.last = undefined;
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
