import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { CaseStore } from '../../src/store/case-store.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { openCaseDatabase } from '../../src/store/open.js';
import type { FindingRow } from '../../src/store/types.js';
import { FIXTURES, tempCase } from '../helpers.js';

// Migration 0017: findings.id is a named unique index instead of the primary key, so a run of all rules can write
// its findings with the indexes built after. A case written before keeps its findings, in the same order, and
// INSERT OR REPLACE still replaces by id, in both write paths.

const REPORT = join(FIXTURES, 'aws', 'c7n-real-account-credential-report-2017.csv');
const GAAD = join(FIXTURES, 'aws', 'gaad-merged-dev-and-prod-accounts.json');

type Raw = Record<string, unknown>;
const rowsOf = (path: string): Raw[] => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT id, rule, severity, node_id, title, summary, evidence, remediation, origin, scope, shared_remediation, form FROM findings ORDER BY rowid').all() as Raw[];
  } finally {
    db.close();
  }
};
const indexesOf = (path: string): string[] => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'findings' ORDER BY name").pluck().all() as string[];
  } finally {
    db.close();
  }
};

function finding(id: string, n: number): FindingRow {
  return { id, rule: n % 2 ? 'rule-odd' : 'rule-even', severity: 'low', nodeId: `node:${n % 7}`, title: `t${n}`, summary: `s${n}`, evidence: [], remediation: 'fix it' };
}

describe('migration 0017 (findings id index)', () => {
  it('upgrades a case at schema 16: every finding kept, read the same and in the same order', async () => {
    // The findings as an import makes them, as rows of a case of schema 16.
    const fresh = tempCase();
    const engine = openEngine(fresh, { create: true });
    try {
      await engine.importFiles({ files: [{ path: REPORT }, { path: GAAD }], options: { asOf: '2026-12-07T12:00:00Z' } });
    } finally {
      engine.close();
    }
    const before = CaseStore.open(fresh);
    const expected = before.findings();
    before.close();
    const rows = rowsOf(fresh);
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.some((r) => r['form'] !== null) && rows.some((r) => r['form'] === null) && rows.some((r) => r['shared_remediation'] === 1)).toBe(true);

    const path = tempCase();
    const db = openCaseDatabase(path, { create: true, migrations: MIGRATIONS.filter((m) => m.version <= 16) });
    try {
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_autoindex_findings_1'").pluck().get()).toBe(1);
      const ins = db.prepare('INSERT INTO findings (id, rule, severity, node_id, title, summary, evidence, remediation, origin, scope, shared_remediation, form) VALUES (@id, @rule, @severity, @node_id, @title, @summary, @evidence, @remediation, @origin, @scope, @shared_remediation, @form)');
      // Written in reverse: the order read back is the rows' order in the table, whatever their ids.
      for (const r of [...rows].reverse()) ins.run(r);
      const copy = db.prepare('INSERT INTO finding_remediations (rule, text) VALUES (?, ?)');
      const src = new Database(fresh, { readonly: true });
      for (const [rule, text] of src.prepare('SELECT rule, text FROM finding_remediations').raw().all() as [string, string][]) copy.run(rule, text);
      src.close();
    } finally {
      db.close();
    }
    const store = CaseStore.open(path);
    try {
      expect(store.schemaVersion).toBe(MIGRATIONS.at(-1)!.version);
      const read = store.findings();
      expect(JSON.stringify(read)).toBe(JSON.stringify([...expected].reverse()));
      expect(store.findings({ nodeId: expected[0]!.nodeId }).map((f) => f.id).sort()).toEqual(expected.filter((f) => f.nodeId === expected[0]!.nodeId).map((f) => f.id).sort());
    } finally {
      store.close();
    }
    expect(rowsOf(path)).toEqual([...rows].reverse());
    expect(indexesOf(path)).toEqual(['findings_id', 'findings_node', 'findings_rule']);
  });

  it('writes a run of all rules the same with its indexes suspended (many rows) or kept (few): the last row of an id wins', () => {
    for (const n of [10, 6_000]) {
      const path = tempCase();
      const store = CaseStore.open(path, { create: true });
      try {
        const rows = Array.from({ length: n }, (_, i) => ({ row: finding(`f${i}`, i), scope: '' }));
        // Two rows that replace earlier ones: each lands where the later one was written.
        rows.push({ row: { ...finding('f3', 3), title: 'again' }, scope: '' }, { row: { ...finding('f1', 1), title: 'again' }, scope: '' });
        store.begin();
        store.replaceAllFindings(rows);
        store.commit();
        const ids = store.findings().map((f) => f.id);
        expect(ids).toHaveLength(n);
        expect(ids.slice(0, 3)).toEqual(['f0', 'f2', 'f4']);
        expect(ids.slice(-2)).toEqual(['f3', 'f1']);
        expect(store.findings({ nodeId: 'node:1' }).find((f) => f.id === 'f1')?.title).toBe('again');
        // The unique index is back: a rule writing one of its findings again replaces it.
        store.begin();
        store.replaceRuleFindings('rule-odd', null, [{ row: { ...finding('f2', 2), rule: 'rule-odd', title: 'moved' }, scope: '' }]);
        store.commit();
        const after = store.findings();
        expect(after.filter((f) => f.id === 'f2').map((f) => f.title)).toEqual(['moved']);
        expect(after.filter((f) => f.rule === 'rule-odd').map((f) => f.id)).toEqual(['f2']);
      } finally {
        store.close();
      }
      expect(indexesOf(path)).toEqual(['findings_id', 'findings_node', 'findings_rule']);
    }
  });
});
