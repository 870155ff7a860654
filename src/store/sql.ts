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
