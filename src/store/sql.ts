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
  private readonly values: unknown[] = [];
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
  }

  push(...values: unknown[]): void {
    for (const v of values) this.values.push(v);
    if (this.values.length === this.rows * this.perRow) this.flush();
  }

  flush(): void {
    const n = this.values.length / this.perRow;
    if (n === 0) return;
    this.sql.stmt(n === this.rows ? this.full : `${this.insert} VALUES ${Array(n).fill(this.row).join(', ')} ${this.tail}`).run(this.values);
    this.values.length = 0;
  }
}
