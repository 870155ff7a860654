import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { CaseStore } from '../../src/store/case-store.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { openCaseDatabase } from '../../src/store/open.js';
import { syntheticCluster } from '../bench/k8s.js';
import { tempCase } from '../helpers.js';
import { evidenceMiscounted } from './evidence-check.js';

// Evidence pieces are stored once whichever rules cite them (migration 0016): each counts the ids naming it in
// edges.evidence lists, and goes with its last citation.

describe('evidence pieces', () => {
  it('written before migration 0016 are read back the same, counted per citation; pieces no edge names go', () => {
    const path = tempCase();
    const db = openCaseDatabase(path, { create: true, migrations: MIGRATIONS.filter((m) => m.version <= 14) });
    try {
      // As the older code wrote them: the same pod piece once per rule (2 and 3), and a piece left behind (4).
      db.exec(`
        INSERT INTO node_ids (nid, id) VALUES (1, 'a'), (2, 'b'), (3, 'c');
        INSERT INTO edge_kinds (code, kind) VALUES (1, 'CAN_ESCALATE');
        INSERT INTO evidence (id, json, rule, scope) VALUES
          (1, '{"type":"binding","summary":"rb"}', 'r1', 0), (2, '{"type":"pod","summary":"p"}', 'r1', 0),
          (3, '{"type":"pod","summary":"p"}', 'r2', 0), (4, '{"type":"left"}', 'r1', 0);
        INSERT INTO edge_rows (id, src, dst, kind, derived, props, evidence, rule, scope) VALUES
          (1, 1, 3, 1, 1, '{"reason":"x","technique":"t1"}', '1,2,2', 'r1', 0),
          (2, 2, 3, 1, 1, '{"reason":"y","technique":"t1"}', '1', 'r1', 0),
          (3, 1, 3, 1, 1, '{"reason":"z","technique":"t2"}', '3', 'r2', 0);
      `);
    } finally {
      db.close();
    }
    const store = CaseStore.open(path);
    try {
      const edges = [...store.edgesOfKind('CAN_ESCALATE')].map((e) => [e.src, e.dst, e.props.reason, e.props.evidence]).sort();
      const rb = { type: 'binding', summary: 'rb' };
      const pod = { type: 'pod', summary: 'p' };
      expect(edges).toEqual([
        ['a', 'c', 'x', [rb, pod, pod]],
        ['a', 'c', 'z', [pod]],
        ['b', 'c', 'y', [rb]],
      ]);
    } finally {
      store.close();
    }
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.prepare('SELECT id, cites FROM evidence ORDER BY id').raw().all()).toEqual([[1, 2], [2, 2], [3, 1]]);
    } finally {
      raw.close();
    }
    expect(evidenceMiscounted(path)).toEqual({ miscounted: [], missing: [] });
  });

  it('are stored once when several rules cite them, and go with the last edge citing them', async () => {
    const path = tempCase();
    const file = join(dirname(path), 'cluster.json');
    writeFileSync(file, JSON.stringify(syntheticCluster({ serviceAccounts: 40, roleBindings: 40, pods: 100 })));
    const engine = openEngine(path, { create: true });
    await engine.importFiles({ files: [{ path: file }] });
    let pieces: number;
    const raw = new Database(path, { readonly: true });
    try {
      // A pod's piece is cited by node escape and by nodes/proxy: one row.
      const rules = raw.prepare(`SELECT count(DISTINCT e.rule) FROM edge_rows e, json_each('[' || e.evidence || ']') j GROUP BY j.value ORDER BY 1 DESC LIMIT 1`).pluck().get();
      expect(rules).toBe(2);
      expect(raw.prepare('SELECT count(*) - count(DISTINCT json) FROM evidence').pluck().get()).toBe(0);
      pieces = raw.prepare('SELECT count(*) FROM evidence').pluck().get() as number;
    } finally {
      raw.close();
    }
    expect(evidenceMiscounted(path)).toEqual({ miscounted: [], missing: [] });
    // The file again with fewer pods: derivation runs again over the cluster, and the pieces of the pods gone go.
    writeFileSync(file, JSON.stringify(syntheticCluster({ serviceAccounts: 40, roleBindings: 40, pods: 30 })));
    await engine.importFiles({ files: [{ path: file }] });
    expect(evidenceMiscounted(path)).toEqual({ miscounted: [], missing: [] });
    const left = new Database(path, { readonly: true });
    try {
      expect(left.prepare('SELECT count(*) FROM evidence').pluck().get()).toBeLessThan(pieces);
    } finally {
      left.close();
    }
    engine.close();
  });
});
