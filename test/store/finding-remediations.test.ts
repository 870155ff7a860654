import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityNoOwner } from '../../src/analysis/findings/identity-no-owner.js';
import { openEngine } from '../../src/api/engine.js';
import { CaseStore } from '../../src/store/case-store.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { openCaseDatabase } from '../../src/store/open.js';
import { FIXTURES, tempCase } from '../helpers.js';

// A posture rule's remediation is one text for all its findings: stored once per rule (migration 0014), read back
// on every finding; findings of scanners and rows written before the migration keep their own text.

describe('finding remediations', () => {
  it('are stored once per rule and read back on every finding of it', async () => {
    const path = tempCase();
    const engine = openEngine(path, { create: true });
    await engine.importFiles({ files: [{ path: join(FIXTURES, 'aws', 'cloudmapper-demo-gaad.json') }] });
    const findings = (await engine.findings({})).filter((f) => f.rule === identityNoOwner.id);
    engine.close();
    expect(findings.length).toBeGreaterThan(1);
    for (const f of findings) expect(f.remediation).toBe(identityNoOwner.remediation);
    const db = new Database(path, { readonly: true });
    try {
      const rows = db.prepare('SELECT remediation, shared_remediation FROM findings WHERE rule = ?').all(identityNoOwner.id) as { remediation: string; shared_remediation: number }[];
      expect(rows.length).toBe(findings.length);
      expect(rows.every((r) => r.remediation === '' && r.shared_remediation === 1)).toBe(true);
      expect(db.prepare('SELECT text FROM finding_remediations WHERE rule = ?').pluck().get(identityNoOwner.id)).toBe(identityNoOwner.remediation);
    } finally {
      db.close();
    }
  });

  it('keeps the text of findings written before migration 0014', () => {
    const path = tempCase();
    const db = openCaseDatabase(path, { create: true, migrations: MIGRATIONS.filter((m) => m.version <= 13) });
    try {
      db.prepare("INSERT INTO findings (id, rule, severity, node_id, title, summary, evidence, remediation) VALUES ('r:1', 'some-rule', 'low', 'n1', 't', 's', '[]', 'Do this.')").run();
    } finally {
      db.close();
    }
    const store = CaseStore.open(path);
    try {
      expect(store.findings().map((f) => [f.id, f.remediation])).toEqual([['r:1', 'Do this.']]);
    } finally {
      store.close();
    }
  });
});
