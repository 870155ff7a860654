import type { Database as Db, Statement } from 'better-sqlite3';

/** A connection with its prepared statements cached by SQL text; every facet of the store shares one. */
export class Sql {
  private readonly stmts = new Map<string, Statement>();

  constructor(readonly db: Db) {}

  stmt(sql: string): Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** Forgets prepared statements (after a rollback, or when the schema changed under them). */
  clear(): void {
    this.stmts.clear();
  }
}

/**
 * Rows inserted several per statement (one statement step for many rows, a third less work than one each): `push`
 * one row's values, `flush` what is left at the end. `row` is one row's VALUES tuple, e.g. `(?, ?, NULL, ?)`;
 * `tail` follows the VALUES (an ON CONFLICT clause).
 */
export class RowBatch {
  /** One statement's values, filled in place (`count` of them so far): a statement's worth is bound as it stands. */
  private readonly values: unknown[];
  private count = 0;
  private readonly perRow: number;
  private readonly full: string;

  constructor(
    private readonly sql: Sql,
    private readonly insert: string,
    private readonly row: string,
    private readonly rows = 64,
    private readonly tail = '',
  ) {
    this.perRow = row.split('?').length - 1;
    this.full = `${insert} VALUES ${Array(rows).fill(row).join(', ')} ${tail}`;
    this.values = new Array<unknown>(rows * this.perRow);
  }

  push(...values: unknown[]): void {
    // Indexed, into an array kept for the batch's life (growing one from empty for every statement cost ~50 MB of
    // garbage in a credential import).
    for (let i = 0; i < values.length; i++) this.values[this.count++] = values[i];
    if (this.count === this.values.length) this.flush();
  }

  flush(): void {
    const n = this.count / this.perRow;
    if (n === 0) return;
    if (n === this.rows) this.sql.stmt(this.full).run(this.values);
    else this.sql.stmt(`${this.insert} VALUES ${Array(n).fill(this.row).join(', ')} ${this.tail}`).run(this.values.slice(0, this.count));
    this.count = 0;
  }
}
