import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import type { Finding } from '../../src/api/contract.js';
import { CaseStore } from '../../src/store/case-store.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { openCaseDatabase } from '../../src/store/open.js';
import { FIXTURES, tempCase } from '../helpers.js';

// Credential findings are stored as their form (the few values their text is made from, migration 0015) and their
// title, summary and evidence built when read; rows written before the migration keep and show their text.

const REPORT = join(FIXTURES, 'aws', 'c7n-real-account-credential-report-2017.csv');
const FORMED = new Set(['credential-unused', 'credential-old', 'multiple-active-keys']);

async function imported(path: string): Promise<Finding[]> {
  const engine = openEngine(path, { create: true });
  try {
    await engine.importFiles({ files: [{ path: REPORT }], options: { asOf: '2026-12-07T12:00:00Z' } });
    return await engine.findings({});
  } finally {
    engine.close();
  }
}

describe('finding forms', () => {
  it('store credential findings as their form and read back their text', async () => {
    const path = tempCase();
    const findings = await imported(path);
    const formed = findings.filter((f) => FORMED.has(f.rule));
    expect(new Set(formed.map((f) => f.rule))).toEqual(FORMED);
    const old = formed.find((f) => f.rule === 'credential-old' && f.nodeId === 'aws:keyslot:arn:aws:iam::644160558196:user/scot:1')!;
    expect([old.title, old.summary, old.evidence]).toEqual([
      'Access key scot access key 1 is 3712 days old',
      'Access key scot access key 1 is active and was last rotated 3712 days ago.',
      [{ type: 'node-props', summary: 'Access key scot access key 1 — active: true, createdAt: "2016-10-07T16:41:38.000Z", lastRotatedAt: "2016-10-07T16:41:38.000Z", managedBy: "user"', data: { active: true, createdAt: '2016-10-07T16:41:38.000Z', lastRotatedAt: '2016-10-07T16:41:38.000Z', managedBy: 'user' } }],
    ]);
    const two = formed.find((f) => f.rule === 'multiple-active-keys' && f.nodeId === 'arn:aws:iam::644160558196:user/kit')!;
    expect([two.title, two.summary, two.evidence.map((e) => e.summary)]).toEqual([
      'IAM user kit has 2 active keys',
      'IAM user kit has 2 active keys: kit access key 1, kit access key 2.',
      ['Access key kit access key 1 — active: true, createdAt: "2016-09-07T14:37:53.000Z", lastUsedAt: "2016-11-22T17:07:00.000Z"', 'Access key kit access key 2 — active: true, createdAt: "2016-09-30T12:43:53.000Z", lastUsedAt: "2016-11-23T22:21:00.000Z"'],
    ]);
    const db = new Database(path, { readonly: true });
    try {
      const rows = db.prepare('SELECT rule, title, summary, evidence, form FROM findings').all() as { rule: string; title: string; summary: string; evidence: string; form: string | null }[];
      for (const r of rows) {
        if (FORMED.has(r.rule)) expect([r.title, r.summary, r.evidence, typeof r.form]).toEqual(['', '', '[]', 'string']);
        else expect(r.form).toBeNull();
      }
      expect(rows.filter((r) => r.form !== null)).toHaveLength(formed.length);
    } finally {
      db.close();
    }
  });

  it('show the text of findings written before migration 0015 as it was', async () => {
    // The findings as the rules make them today, written into a case of schema 14 as text rows.
    const expected = await imported(tempCase());
    const path = tempCase();
    const db = openCaseDatabase(path, { create: true, migrations: MIGRATIONS.filter((m) => m.version <= 14) });
    try {
      const ins = db.prepare('INSERT INTO findings (id, rule, severity, node_id, title, summary, evidence, remediation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      for (const f of expected) ins.run(f.id, f.rule, f.severity, f.nodeId, f.title, f.summary, JSON.stringify(f.evidence), f.remediation);
    } finally {
      db.close();
    }
    const store = CaseStore.open(path);
    try {
      const read = store.findings().map(({ id, rule, severity, nodeId, title, summary, evidence, remediation }) => ({ id, rule, severity, nodeId, title, summary, evidence, remediation }));
      const want = expected.map(({ id, rule, severity, nodeId, title, summary, evidence, remediation }) => ({ id, rule, severity, nodeId, title, summary, evidence, remediation }));
      expect(JSON.stringify(read)).toBe(JSON.stringify(want));
      expect(read.filter((f) => FORMED.has(f.rule)).length).toBeGreaterThan(10);
    } finally {
      store.close();
    }
  });
});
