import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runImport } from '../../src/api/import.js';
import type { GraphFragment } from '../../src/model/fragment.js';
import { CaseStore } from '../../src/store/case-store.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { FIXTURES, tempCase } from '../helpers.js';

// Migration 0018: the unique indexes on nodes.id and node_ids.id are named indexes, so a large load into a new case
// drops them and builds them after (CaseStore.suspendIdIndexes). A case written before keeps its rows and numbers;
// a load with the indexes suspended leaves exactly the rows a load with them does.

type Raw = Record<string, unknown>;

/** Every row of the tables the id indexes are on, and the edges view that joins node_ids, in a stable order. */
function rowsOf(path: string): { nodes: Raw[]; nodeIds: Raw[]; facts: Raw[]; edges: Raw[] } {
  const db = new Database(path, { readonly: true });
  try {
    return {
      nodes: db.prepare('SELECT rowid, * FROM nodes ORDER BY rowid').all() as Raw[],
      nodeIds: db.prepare('SELECT * FROM node_ids ORDER BY nid').all() as Raw[],
      facts: db.prepare('SELECT * FROM node_facts ORDER BY node_id, source_id').all() as Raw[],
      edges: db.prepare('SELECT * FROM edges ORDER BY id').all() as Raw[],
    };
  } finally {
    db.close();
  }
}

function indexesOf(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('nodes', 'node_ids') ORDER BY name").pluck().all() as string[];
  } finally {
    db.close();
  }
}

const KUBECTL = join(FIXTURES, 'kubernetes', 'kind-cluster-kube-system-rolebindings-list.json');
const ROLES = join(FIXTURES, 'kubernetes', 'kind-cluster-kube-system-roles-list.json');
const WORKLOADS = join(FIXTURES, 'kubernetes', 'scenario-privileged-workloads-list.json');
const GAAD = join(FIXTURES, 'aws', 'gaad-merged-dev-and-prod-accounts.json');
const AS_OF = { asOf: '2026-12-07T12:00:00Z' };

/** A fragment of `n` nodes (every fourth a stub another fragment describes) and an edge from each to the next. */
function fragment(n: number, from = 0): GraphFragment {
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `test:node/${(i * 7919) % n}-${from}`, kind: 'k8s_pod' as const, name: `node ${i}`, boundary: 'k8s:test', props: { i }, ...(i % 4 === 0 ? { stub: true } : {}) }));
  const edges = nodes.slice(1).map((node, i) => ({ from: nodes[i]!.id, to: node.id, kind: 'RUNS_AS' as const, props: { at: `$[${i}]` } }));
  return { nodes, edges, warnings: [] };
}

/** Writes two fragments of one source, the second describing the first's stubs, into a new case; with the id indexes suspended or not. */
function load(path: string, suspend: boolean): boolean {
  const store = CaseStore.open(path, { create: true });
  try {
    store.begin();
    const source = store.addSource({ label: 'test', fileName: 'test.json', format: 'kubernetes', sha256: 'x', importedAt: AS_OF.asOf, options: {} });
    const suspended = suspend && store.suspendIdIndexes();
    const touched = new Set<string>();
    const first = fragment(2_000);
    store.writeFragment(source, first, touched);
    const stubs = first.nodes.filter((n) => n.stub).map((n) => ({ ...n, stub: false, name: `${n.name} described` }));
    store.writeFragment(source, { nodes: [...stubs, ...fragment(500, 1).nodes], edges: [], warnings: [] }, touched);
    store.finishSource(source, { nodes: 2_500, edges: 1_999 }, []);
    store.restoreIdIndexes();
    store.materialize(touched);
    store.commit();
    return suspended;
  } finally {
    store.close();
  }
}

describe('node id indexes (migration 0018)', () => {
  it('upgrades a case at schema 17: rows, numbers and search kept, the ids uniquely indexed by name, and imports go on', async () => {
    const path = tempCase();
    const old = CaseStore.open(path, { create: true, migrations: MIGRATIONS.filter((m) => m.version <= 17) });
    try {
      await runImport(old, { files: [{ path: KUBECTL }, { path: ROLES }, { path: GAAD }], options: AS_OF });
    } finally {
      old.close();
    }
    expect(indexesOf(path)).toEqual(['nodes_boundary', 'nodes_kind', 'nodes_solo', 'sqlite_autoindex_node_ids_1', 'sqlite_autoindex_nodes_1']);
    const before = rowsOf(path);
    expect(before.nodes.length).toBeGreaterThan(50);
    expect(before.edges.length).toBeGreaterThan(20);

    const store = CaseStore.open(path);
    try {
      expect(store.schemaVersion).toBe(18);
      expect(rowsOf(path)).toEqual(before);
      const some = before.nodes[before.nodes.length >> 1]!;
      expect(store.node(some['id'] as string)?.name).toBe(some['name']);
      // The search tables cite rows by rowid: still the same rows.
      expect(store.search(some['name'] as string, 5).map((m) => m.node.id)).toContain(some['id']);
      // Another import writes through the named indexes (ON CONFLICT(id), lookups by id).
      await runImport(store, { files: [{ path: WORKLOADS }], options: AS_OF });
      expect(store.counts().nodes).toBeGreaterThan(before.nodes.length);
    } finally {
      store.close();
    }
    expect(indexesOf(path)).toEqual(['node_ids_id', 'nodes_boundary', 'nodes_id', 'nodes_kind', 'nodes_solo']);
  });

  it('a load with the id indexes suspended leaves the rows a load with them leaves, and builds them back', () => {
    const kept = tempCase();
    const suspended = tempCase();
    expect(load(kept, false)).toBe(false);
    expect(load(suspended, true)).toBe(true);
    const rows = rowsOf(kept);
    // The second fragment moved the first's stubs to facts (by rowid while suspended), its own statement replacing
    // each (one source), and materialisation merged them.
    expect(rows.facts.length).toBe(500);
    expect(rows.nodes.filter((n) => n['solo_source'] === null)).toHaveLength(500);
    expect(rows.nodes.filter((n) => String(n['name']).endsWith('described'))).toHaveLength(500);
    expect(rowsOf(suspended)).toEqual(rows);
    expect(indexesOf(suspended)).toEqual(['node_ids_id', 'nodes_boundary', 'nodes_id', 'nodes_kind', 'nodes_solo']);
  });

  it('suspends them only in a case with no nodes, and builds them back when the mirror ends (a source deleted)', () => {
    const path = tempCase();
    load(path, false);
    const store = CaseStore.open(path);
    try {
      store.begin();
      // The case has nodes: reads by id need the indexes.
      expect(store.suspendIdIndexes()).toBe(false);
      store.rollback();

      const fresh = CaseStore.open(tempCase(), { create: true });
      try {
        fresh.begin();
        const source = fresh.addSource({ label: 'a', fileName: 'a.json', format: 'kubernetes', sha256: 'a', importedAt: AS_OF.asOf, options: {} });
        expect(fresh.suspendIdIndexes()).toBe(true);
        fresh.writeFragment(source, fragment(100), new Set());
        fresh.deleteSource(source);
        // Back already: a second suspension is refused (no mirror), and a write by ON CONFLICT(id) works.
        expect(fresh.suspendIdIndexes()).toBe(false);
        const again = fresh.addSource({ label: 'b', fileName: 'b.json', format: 'kubernetes', sha256: 'b', importedAt: AS_OF.asOf, options: {} });
        const touched = new Set<string>();
        fresh.writeFragment(again, fragment(100), touched);
        fresh.materialize(touched);
        fresh.commit();
        expect(fresh.counts().nodes).toBe(100);
      } finally {
        fresh.close();
      }
    } finally {
      store.close();
    }
  });
});
