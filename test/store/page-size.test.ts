import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { CASE_PAGE_SIZE } from '../../src/store/open.js';
import { FIXTURES, tempCase } from '../helpers.js';

// A new case gets CASE_PAGE_SIZE pages; SQLite can only set that before the first table, so a case written with
// the old 4 KiB pages keeps them and still imports and reads back.

const REPORT = join(FIXTURES, 'aws', 'c7n-real-account-credential-report-2017.csv');
const pageSize = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('page_size', { simple: true }) as number;
  } finally {
    db.close();
  }
};

describe('case page size', () => {
  it('a new case is written with the case page size', async () => {
    const path = tempCase();
    const engine = openEngine(path, { create: true });
    await engine.importFiles({ files: [{ path: REPORT }], options: { account: '123456789012' } });
    engine.close();
    expect(CASE_PAGE_SIZE).not.toBe(4096);
    expect(pageSize(path)).toBe(CASE_PAGE_SIZE);
  });

  it('a case made with 4 KiB pages keeps them and gives the same answers', async () => {
    const fresh = tempCase();
    const old = tempCase();
    const db = new Database(old);
    db.pragma('page_size = 4096');
    db.pragma('journal_mode = WAL');
    db.transaction(() => {
      for (const m of MIGRATIONS) m.up(db);
      db.pragma('application_id = 0x424d4150');
      db.pragma(`user_version = ${MIGRATIONS[MIGRATIONS.length - 1]!.version}`);
    })();
    db.close();
    const answers: unknown[] = [];
    for (const path of [fresh, old]) {
      const engine = openEngine(path, { create: true });
      await engine.importFiles({ files: [{ path: REPORT }], options: { account: '123456789012' } });
      const hits = await engine.search({ text: 'root' });
      answers.push({ findings: (await engine.findings({})).map((f) => f.id).sort(), hits: hits.map((h) => h.node.id) });
      engine.close();
    }
    expect(pageSize(old)).toBe(4096);
    expect(pageSize(fresh)).toBe(CASE_PAGE_SIZE);
    expect(answers[1]).toEqual(answers[0]);
    expect((answers[0] as { findings: string[] }).findings.length).toBeGreaterThan(0);
  });
});
