import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CaseError, CaseStore } from '../../src/store/case-store.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import type { GraphFragment } from '../../src/model/fragment.js';
import { tempCase } from '../helpers.js';

function write(store: CaseStore, label: string, fragment: GraphFragment): number {
  store.begin();
  const touched = new Set<string>();
  for (const id of store.sourcesToReplace(label, label, 'test')) for (const t of store.deleteSource(id)) touched.add(t);
  const sourceId = store.addSource({ label, fileName: label, format: 'test', sha256: label, importedAt: '2026-01-01T00:00:00Z', options: {} });
  store.writeFragment(sourceId, fragment, touched);
  store.materialize(touched);
  store.commit();
  return sourceId;
}

const roleA = { id: 'arn:aws:iam::111111111111:role/a', kind: 'aws_role' as const, name: 'a', handles: ['a'] };

describe('case store', () => {
  it('creates a WAL case with the latest schema and a Blastmap application id', () => {
    const path = tempCase();
    const store = CaseStore.open(path, { create: true });
    expect(store.schemaVersion).toBe(MIGRATIONS.at(-1)!.version);
    store.close();
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('application_id', { simple: true })).toBe(0x424d4150);
    db.close();
  });

  it('rebuilds the indexes a bulk load suspends exactly as the migrations define them, and a rollback keeps them', () => {
    const path = tempCase();
    const store = CaseStore.open(path, { create: true });
    const schema = () => {
      const db = new Database(path, { readonly: true });
      const rows = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all();
      db.close();
      return rows;
    };
    const fresh = schema();
    expect(fresh.map((r) => (r as { name: string }).name)).toEqual(expect.arrayContaining(['edge_rows_src', 'edge_rows_dst', 'edge_rows_kind', 'nodes_kind', 'nodes_boundary']));
    store.begin();
    store.suspendEdgeIndexes();
    store.suspendNodeIndexes();
    store.writeFragment(store.addSource({ label: 'bulk', fileName: 'bulk', format: 'test', sha256: 'x', importedAt: '2026-01-01T00:00:00Z', options: {} }), { nodes: [roleA], edges: [], warnings: [] }, new Set());
    store.restoreEdgeIndexes();
    store.restoreNodeIndexes();
    store.commit();
    expect(schema()).toEqual(fresh);
    store.begin();
    store.suspendNodeIndexes();
    store.rollback();
    expect(schema()).toEqual(fresh);
    expect([...store.nodesOfKind('aws_role')].map((n) => n.id)).toEqual([roleA.id]);
    store.close();
  });

  it('writes a full run of many derived rows, runs of them sharing props and evidence lists, each row as it was given', () => {
    const store = CaseStore.open(tempCase(), { create: true });
    // One evidence piece and one reason per run of ten edges.
    const pieces = Array.from({ length: 2_500 }, (_, i) => ({ type: 'test', summary: `binding ${i}` }));
    const reasons = Array.from({ length: 2_500 }, (_, i) => `grant ${i}`);
    const lists = pieces.map((p) => [p]);
    const rows = Array.from({ length: 25_000 }, (_, i) => {
      // Half the runs share their evidence list, as a rule's grant does; the others give each edge its own.
      const run = Math.floor(i / 10);
      const props = { reason: reasons[run]!, technique: 't', evidence: run % 2 ? lists[run]! : [pieces[run]!] };
      return { edge: { from: `og:from-${i % 7}`, to: `og:to-${i}`, kind: 'CAN_ACCESS' as const, props }, parts: [{ rule: 'bulk-rule', scope: '', props }] };
    });
    store.begin();
    store.writeDerivedAll(rows);
    store.commit();
    const out = store.edgesOf('og:from-3', 'out', 100_000);
    expect(out).toHaveLength(rows.filter((r) => r.edge.from === 'og:from-3').length);
    const e = out.find((x) => x.dst === 'og:to-12344')!;
    expect(e).toMatchObject({ kind: 'CAN_ACCESS', derived: true, props: { reason: 'grant 1234', technique: 't', evidence: [{ type: 'test', summary: 'binding 1234' }] } });
    // Each row with its own run's props and evidence, though runs share one JSON and one list.
    for (const x of out) {
      const run = Math.floor(Number(x.dst.slice('og:to-'.length)) / 10);
      expect(x.props['reason']).toBe(`grant ${run}`);
      expect(x.props.evidence).toEqual([{ type: 'test', summary: `binding ${run}` }]);
    }
    expect(store.derivedOutputs('bulk-rule', null).edges.size).toBe(25_000);
    store.close();
  });

  it('merges facts about one node from several sources, a full description over a stub', () => {
    const store = CaseStore.open(tempCase(), { create: true });
    write(store, 'trust.json', { nodes: [{ ...roleA, name: 'stub-name', stub: true, props: { seenIn: 'trust' } }], edges: [], warnings: [] });
    write(store, 'gaad.json', { nodes: [{ ...roleA, props: { path: '/' } }], edges: [], warnings: [] });
    const n = store.node(roleA.id)!;
    expect(n).toMatchObject({ name: 'a', stub: false, props: { seenIn: 'trust', path: '/' } });
    expect(n.sources).toHaveLength(2);
    store.close();
  });

  it('re-importing a source replaces exactly its rows', () => {
    const store = CaseStore.open(tempCase(), { create: true });
    const other = { id: 'og:other', kind: 'og_object' as const, name: 'other' };
    write(store, 'keep.json', { nodes: [other, { ...roleA, stub: true }], edges: [{ from: other.id, to: roleA.id, kind: 'OPENGRAPH_EDGE' }], warnings: [] });
    write(store, 'x.json', { nodes: [roleA, { id: 'og:gone', kind: 'og_object', name: 'gone' }], edges: [{ from: roleA.id, to: 'og:gone', kind: 'OPENGRAPH_EDGE' }], warnings: [] });
    expect(store.counts()).toMatchObject({ nodes: 3, edges: 2 });
    write(store, 'x.json', { nodes: [{ ...roleA, name: 'renamed' }], edges: [], warnings: [] });
    expect(store.counts()).toMatchObject({ nodes: 2, edges: 1 });
    expect(store.node('og:gone')).toBeUndefined();
    expect(store.node(roleA.id)?.name).toBe('renamed');
    expect(store.edgesOf(other.id, 'out')).toHaveLength(1);
    store.close();
  });

  it('finds nodes by a whole handle, a handle prefix or a name substring', () => {
    const store = CaseStore.open(tempCase(), { create: true });
    write(store, 'a.json', { nodes: [{ id: 'aws:key:AKIAEXAMPLE123', kind: 'aws_access_key', name: 'key of ci-bot', handles: ['AKIAEXAMPLE123'] }, roleA], edges: [], warnings: [] });
    expect(store.byHandle('akiaexample123').map((n) => n.id)).toEqual(['aws:key:AKIAEXAMPLE123']);
    expect(store.byHandle(roleA.id.toUpperCase()).map((n) => n.id)).toEqual([roleA.id]);
    expect(store.byHandle('AKIAEXAMPLE12')).toEqual([]);
    expect(store.search('AKIAEXAMP', 5).map((h) => h.node.id)).toEqual(['aws:key:AKIAEXAMPLE123']);
    expect(store.search('arn:aws:iam::1111', 5).map((h) => h.node.id)).toEqual([roleA.id]);
    expect(store.search('ci-bo', 5)[0]).toEqual(expect.objectContaining({ matched: 'key of ci-bot' }));
    // The middle of a handle is not indexed (only names are searched by substring).
    expect(store.search('EXAMPLE12', 5)).toEqual([]);
    store.close();
  });

  it('keeps the search index in step with re-imports and merges', () => {
    const store = CaseStore.open(tempCase(), { create: true });
    write(store, 'a.json', { nodes: [{ ...roleA, name: 'alpha-deployer' }], edges: [], warnings: [] });
    write(store, 'b.json', { nodes: [{ ...roleA, name: 'beta-deployer', handles: ['ci/deployer'] }], edges: [], warnings: [] });
    expect(store.search('beta-dep', 5).map((h) => h.node.id)).toEqual([roleA.id]);
    expect(store.search('alpha-dep', 5)).toEqual([]);
    expect(store.byHandle('ci/deployer').map((n) => n.id)).toEqual([roleA.id]);
    write(store, 'b.json', { nodes: [{ id: 'og:other', kind: 'og_object', name: 'gamma' }], edges: [], warnings: [] });
    expect(store.search('alpha-dep', 5).map((h) => h.node.id)).toEqual([roleA.id]);
    expect(store.byHandle('ci/deployer')).toEqual([]);
    expect(store.search('gamma', 5).map((h) => h.node.id)).toEqual(['og:other']);
    store.close();
  });

  it('merges aliased ids into their canonical node, edges included', () => {
    const store = CaseStore.open(tempCase(), { create: true });
    const user = { id: 'arn:aws:iam::111111111111:user/ci', kind: 'aws_user' as const, name: 'ci' };
    write(store, 'report.csv', { nodes: [user, { id: 'slot:ci#1', kind: 'aws_access_key', name: 'key 1', props: { lastUsed: '2026-01-01' } }], edges: [{ from: 'slot:ci#1', to: user.id, kind: 'OPENGRAPH_EDGE' }], warnings: [] });
    write(store, 'keys.json', { nodes: [{ id: 'aws:key:AKIA1', kind: 'aws_access_key', name: 'AKIA1', props: { status: 'Active' } }], edges: [], warnings: [], aliases: [{ from: 'slot:ci#1', to: 'aws:key:AKIA1' }] });
    expect(store.node('slot:ci#1')).toMatchObject({ id: 'aws:key:AKIA1', props: { lastUsed: '2026-01-01', status: 'Active' } });
    expect(store.edgesOf('aws:key:AKIA1', 'out').map((e) => e.dst)).toEqual([user.id]);
    expect(store.counts().nodes).toBe(2);
    store.close();
  });

  it('follows alias chains declared by different sources, in effect only once their end is stated', () => {
    const store = CaseStore.open(tempCase(), { create: true });
    const slot = { id: 'slot:ci#1', kind: 'aws_access_key' as const, name: 'ci key 1', props: { lastUsedAt: null } };
    const key = { id: 'aws:key:AKIA1', kind: 'aws_access_key' as const, name: 'AKIA1', props: { status: 'Active' } };
    write(store, 'report.csv', { nodes: [slot], edges: [], warnings: [], aliases: [{ from: slot.id, to: 'meet:ci:t0' }] });
    // Nothing states the rendezvous id: the slot stays itself.
    expect(store.node(slot.id)).toMatchObject({ id: slot.id, name: 'ci key 1' });
    const keys = write(store, 'keys.json', { nodes: [key], edges: [], warnings: [], aliases: [{ from: 'meet:ci:t0', to: key.id }] });
    expect(store.node(slot.id)).toMatchObject({ id: key.id, props: { lastUsedAt: null, status: 'Active' } });
    expect(store.counts().nodes).toBe(1);
    // Removing the source that closed the chain brings the slot back.
    store.begin();
    const touched = store.deleteSource(keys);
    store.materialize(touched);
    store.commit();
    expect(store.node(slot.id)).toMatchObject({ id: slot.id, props: { lastUsedAt: null } });
    expect(store.node(key.id)).toBeUndefined();
    expect(store.counts().nodes).toBe(1);
    store.close();
  });

  it('refuses a file that is not SQLite without touching it', () => {
    const path = tempCase();
    writeFileSync(path, 'this is not a database\n'.repeat(100));
    expect(() => CaseStore.open(path)).toThrowError(/not a Blastmap case \(the file is not an SQLite database\)/);
  });

  it('refuses an SQLite database of another application', () => {
    const path = tempCase();
    const db = new Database(path);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => CaseStore.open(path)).toThrowError(/not a Blastmap case/);
  });

  it('refuses a damaged case with a clear error', () => {
    const path = tempCase();
    CaseStore.open(path, { create: true }).close();
    const header = Buffer.from('SQLite format 3\0');
    writeFileSync(path, Buffer.concat([header, Buffer.alloc(8192, 0x41)]));
    expect(() => CaseStore.open(path)).toThrowError(CaseError);
    expect(() => CaseStore.open(path)).toThrowError(/damaged or unreadable|not a Blastmap case/);
  });

  it('migrates an older case forward, keeping what it holds, and refuses a newer one', () => {
    const path = tempCase();
    const schema2 = MIGRATIONS.filter((m) => m.version <= 2);
    CaseStore.open(path, { create: true, migrations: schema2 }).close();
    // Rows as a schema-2 Blastmap wrote them: a derived edge carries its evidence inside props.
    const evidence = [{ type: 'binding', summary: 'RoleBinding ns/rb binds Role ns/r' }];
    const old = new Database(path);
    old.prepare("INSERT INTO nodes (id, kind, name, sources, solo_source) VALUES (?, 'aws_role', 'a', '[1]', 1)").run(roleA.id);
    old.prepare("INSERT INTO edges (src, dst, kind, derived, props) VALUES (?, ?, 'CAN_ESCALATE', 1, ?)").run(roleA.id, roleA.id, JSON.stringify({ reason: 'r', evidence }));
    old.close();
    const latest = CaseStore.open(path);
    expect(latest.schemaVersion).toBe(MIGRATIONS.at(-1)!.version);
    expect(latest.node(roleA.id)?.name).toBe('a');
    expect([...latest.edgesOfKind('CAN_ESCALATE')].map((e) => e.props)).toEqual([{ reason: 'r', evidence }]);
    latest.close();
    expect(() => CaseStore.open(path, { migrations: schema2 })).toThrowError(new RegExp(`newer Blastmap \\(schema ${MIGRATIONS.at(-1)!.version}; this version reads up to 2\\)`));
    // A step it does not know yet runs once, in order.
    const next = { version: MIGRATIONS.at(-1)!.version + 1, name: 'test step', up: (db: Database.Database) => db.exec('CREATE TABLE extra (x)') };
    const upgraded = CaseStore.open(path, { migrations: [...MIGRATIONS, next] });
    expect(upgraded.schemaVersion).toBe(next.version);
    expect(upgraded.node(roleA.id)?.name).toBe('a');
    upgraded.close();
  });

  it('stores evidence shared by derived edges once, hands it back frozen, and drops it with them', () => {
    const path = tempCase();
    const store = CaseStore.open(path, { create: true });
    const binding = { type: 'binding', summary: 'RoleBinding team/rb binds Role team/deployer', location: 'k8s.json $.items[3]' };
    const rule = { type: 'rbac-rule', summary: 'allows create pods', data: { verbs: ['create'], resources: ['pods'] } };
    const targets = ['t1', 't2', 't3'].map((t) => `arn:aws:iam::111111111111:role/${t}`);
    store.begin();
    store.writeFragment(
      0,
      {
        nodes: [],
        // The same pieces by object, then an equal copy: both are stored once.
        edges: [
          ...targets.map((to) => ({ from: roleA.id, to, kind: 'CAN_ESCALATE' as const, props: { reason: `runs as ${to}`, evidence: [binding, rule] } })),
          { from: roleA.id, to: targets[0]!, kind: 'CAN_READ_CREDENTIAL' as const, props: { reason: 'copy', evidence: [structuredClone(rule)] } },
        ],
        warnings: [],
      },
      new Set(),
      true,
    );
    store.commit();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM evidence').pluck().get()).toBe(2);
    db.close();
    const edges = store.edgesOf(roleA.id, 'out');
    expect(edges).toHaveLength(4);
    for (const e of edges.filter((x) => x.kind === 'CAN_ESCALATE')) expect(e.props).toEqual({ reason: `runs as ${e.dst}`, evidence: [binding, rule] });
    expect(edges.find((e) => e.kind === 'CAN_READ_CREDENTIAL')!.props.evidence).toEqual([rule]);
    const piece = edges[0]!.props.evidence![1]! as unknown as { data: { verbs: string[] } };
    expect(() => piece.data.verbs.push('delete')).toThrow(TypeError);
    // A rolled-back derivation leaves no evidence behind; clearing derived edges drops theirs.
    store.begin();
    store.clearDerived();
    store.writeFragment(0, { nodes: [], edges: [{ from: roleA.id, to: targets[1]!, kind: 'CAN_ESCALATE', props: { reason: 'x', evidence: [{ type: 'note', summary: 'new' }] } }], warnings: [] }, new Set(), true);
    store.rollback();
    expect(store.edgesOf(roleA.id, 'out').map((e) => e.props.evidence)).toEqual([[binding, rule], [binding, rule], [binding, rule], [rule]]);
    store.begin();
    store.clearDerived();
    store.commit();
    expect(store.edgesOf(roleA.id, 'out')).toEqual([]);
    store.close();
    const after = new Database(path, { readonly: true });
    expect(after.prepare('SELECT count(*) FROM evidence').pluck().get()).toBe(0);
    after.close();
  });

  it('rolls back everything written since begin()', () => {
    const store = CaseStore.open(tempCase(), { create: true });
    write(store, 'a.json', { nodes: [roleA], edges: [], warnings: [] });
    store.begin();
    const sid = store.addSource({ label: 'b', fileName: 'b', format: 'test', sha256: 'b', importedAt: 'now', options: {} });
    store.writeFragment(sid, { nodes: [{ id: 'og:b', kind: 'og_object', name: 'b' }], edges: [], warnings: [] }, new Set());
    store.rollback();
    expect(store.sources()).toHaveLength(1);
    expect(store.counts().nodes).toBe(1);
    store.close();
  });
});
