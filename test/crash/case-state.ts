// What a case holds, as one hash: every table's rows in order, without the columns that record when (an import done
// twice at different times holds the same facts) and without the graph snapshot (a cache). And its integrity.
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

export function caseState(path: string): { integrity: string; hash: string; sources: number; nodes: number; edges: number } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.prepare('PRAGMA integrity_check').pluck().all() as string[]).join('; ');
    const hash = createHash('sha256');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'graph_snapshot' ORDER BY name").pluck().all() as string[];
    for (const t of tables) {
      const cols = (db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string }[]).map((c) => c.name).filter((c) => !/(^|_)at$/.test(c));
      if (!cols.length) continue;
      const list = cols.map((c) => `"${c}"`).join(', ');
      hash.update(`${t}(${list})\n`);
      for (const row of db.prepare(`SELECT ${list} FROM "${t}" ORDER BY ${list}`).raw().iterate()) {
        hash.update(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : Buffer.isBuffer(v) ? v.toString('base64') : v)));
        hash.update('\n');
      }
    }
    const n = (sql: string) => db.prepare(sql).pluck().get() as number;
    return { integrity, hash: hash.digest('hex'), sources: n('SELECT count(*) FROM sources'), nodes: n('SELECT count(*) FROM nodes'), edges: n('SELECT count(*) FROM edges') };
  } finally {
    db.close();
  }
}
