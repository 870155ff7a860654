import type { Evidence } from '../model/fragment.js';
import { deepFreeze } from './rows.js';
import type { Sql } from './sql.js';
import { CaseError } from './types.js';

/**
 * The `evidence` table (migration 0003): evidence pieces of derived edges, stored once and cited by id from
 * `edges.evidence`. One RoleBinding that allows creating pods reaches every account of its namespace with the same
 * binding and rules.
 */
export class EvidenceTable {
  /**
   * Pieces written in this transaction, per rule and scope (a rule running again deletes its own): by object (rules
   * share them) and by JSON, to their row id.
   */
  private written = new Map<string, { byObject: WeakMap<object, number>; byJson: Map<string, number> }>();
  /** Rows read, parsed and frozen (every edge citing a piece shares it). */
  private readonly read = new Map<number, Evidence>();

  constructor(private readonly sql: Sql, private readonly casePath: string) {}

  /** The row ids of a derived edge's pieces, writing the pieces not stored yet in this transaction (for that rule and scope). */
  refs(evidence: readonly Evidence[], rule: string | null = null, scope: number | null = null): string {
    const key = `${rule ?? ''}\n${scope ?? ''}`;
    let ids = this.written.get(key);
    if (!ids) this.written.set(key, (ids = { byObject: new WeakMap(), byJson: new Map() }));
    const insert = this.sql.stmt('INSERT INTO evidence (json, rule, scope) VALUES (?, ?, ?)');
    let refs = '';
    for (const piece of evidence) {
      let id = ids.byObject.get(piece);
      if (id === undefined) {
        const json = JSON.stringify(piece);
        id = ids.byJson.get(json);
        if (id === undefined) ids.byJson.set(json, (id = Number(insert.run(json, rule, scope).lastInsertRowid)));
        ids.byObject.set(piece, id);
      }
      refs = refs ? `${refs},${id}` : String(id);
    }
    return refs;
  }

  /** The pieces a `edges.evidence` list names, read once per connection and shared frozen. */
  pieces(refs: string): Evidence[] {
    return refs.split(',').map((id) => this.piece(Number(id)));
  }

  /** Deletes every piece (they belong to the derived edges, which are being dropped). */
  clear(): void {
    this.sql.stmt('DELETE FROM evidence').run();
    this.written.clear();
    this.read.clear();
  }

  /** Forgets what was written in the transaction that ended. */
  endTransaction(): void {
    this.written.clear();
  }

  /** Forgets everything cached (a rollback, or another connection wrote the case). */
  forget(): void {
    this.written.clear();
    this.read.clear();
  }

  /** A rule's pieces were deleted: what this transaction wrote for it cannot be cited any more, and their ids may be handed out again. */
  forgetRule(rule: string): void {
    for (const key of this.written.keys()) if (key.startsWith(`${rule}\n`)) this.written.delete(key);
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
