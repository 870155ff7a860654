import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CaseStore } from '../../src/store/case-store.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { openCaseDatabase } from '../../src/store/open.js';
import { tempCase } from '../helpers.js';

// A case written by a Blastmap at schema 11 (edges as a table of strings, 0010's scanner results, 0011's state
// snapshots and its partial index on edges) opens at 12 with every edge, node and scanner result where it was.

function caseAtVersion11(path: string): void {
  const db = openCaseDatabase(path, { create: true, migrations: MIGRATIONS.filter((m) => m.version <= 11) });
  try {
    expect(db.pragma('user_version', { simple: true })).toBe(11);
    db.prepare("INSERT INTO sources (id, label, file_name, format, sha256, imported_at) VALUES (1, 'gaad.json', 'gaad.json', 'aws-gaad', 'x', '2026-01-01T00:00:00Z')").run();
    const node = db.prepare("INSERT INTO nodes (id, kind, name, sources, solo_source) VALUES (?, ?, ?, '[1]', 1)");
    node.run('arn:aws:iam::111122223333:role/app', 'aws_role', 'app');
    node.run('arn:aws:iam::111122223333:user/ci', 'aws_user', 'ci');
    const edge = db.prepare('INSERT INTO edges (src, dst, kind, source_id, derived, props) VALUES (?, ?, ?, ?, ?, ?)');
    edge.run('arn:aws:iam::111122223333:role/app', 'arn:aws:iam::111122223333:user/ci', 'TRUSTS', 1, 0, '{"reason":"trust policy"}');
    // An end no node row describes (a principal from another account) still gets a number.
    edge.run('arn:aws:iam::999988887777:root', 'arn:aws:iam::111122223333:role/app', 'CAN_ASSUME', null, 1, '{"technique":"sts:AssumeRole"}');
    db.prepare("INSERT INTO scanner_results (source_id, scanner, check_id, severity, status, title) VALUES (1, 'prowler', 'iam_root_mfa', 'high', 'FAIL', 'Root MFA')").run();
    db.prepare("INSERT INTO state_snapshots (taken_at, label, data) VALUES ('2026-01-01T00:00:00Z', 'before', x'00')").run();
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'edges'").pluck().all();
    expect(indexes).toContain('edges_statements');
  } finally {
    db.close();
  }
}

describe('migration 0012 (edges as numbers)', () => {
  it('upgrades a case at schema 11: edges, ends without node rows, scanner results and state snapshots kept', () => {
    const path = tempCase();
    caseAtVersion11(path);
    const store = CaseStore.open(path);
    try {
      expect(store.counts().edges).toBe(2);
      const trusts = [...store.edgesOfKind('TRUSTS')];
      expect(trusts.map((e) => [e.src, e.dst, e.props.reason])).toEqual([['arn:aws:iam::111122223333:role/app', 'arn:aws:iam::111122223333:user/ci', 'trust policy']]);
      expect([...store.edgesOfKinds(['TRUSTS', 'CAN_ASSUME'])].map((e) => e.kind).sort()).toEqual(['CAN_ASSUME', 'TRUSTS']);
      expect(store.edgesOf('arn:aws:iam::111122223333:role/app', 'in').map((e) => e.src)).toEqual(['arn:aws:iam::999988887777:root']);
      expect(store.danglingEndpoints()).toEqual(['arn:aws:iam::999988887777:root']);
      expect(store.edgeTechniques().size).toBe(1);
      expect([...store.scannerResults()].map((r) => r.checkId)).toEqual(['iam_root_mfa']);
    } finally {
      store.close();
    }
    const db = new Database(path, { readonly: true });
    try {
      // Upgraded through 0012 to the newest schema.
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
      expect(db.prepare("SELECT type FROM sqlite_master WHERE name = 'edges'").pluck().get()).toBe('view');
      // 0011's partial index went with the table; reads by kind use edge_rows' kind index.
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'edges_statements'").pluck().get()).toBe(0);
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'edge_rows_kind'").pluck().get()).toBe(1);
      expect(db.prepare('SELECT count(*) FROM state_snapshots').pluck().get()).toBe(1);
      // A node row's rowid is its number.
      expect(db.prepare('SELECT count(*) FROM nodes n JOIN node_ids i ON i.nid = n.rowid AND i.id = n.id').pluck().get()).toBe(2);
    } finally {
      db.close();
    }
  });
});
