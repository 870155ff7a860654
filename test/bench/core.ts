// Core import benchmark: end-to-end import of a synthetic OpenGraph file through the engine, next to a raw
// better-sqlite3 insert of the same rows measured in the same run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openEngine } from '../../src/api/engine.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { syntheticOpenGraph, type SyntheticGraph } from './synthetic.js';
import type { BenchOptions } from './run.js';

export async function bench(opts: BenchOptions): Promise<Record<string, number>> {
  const nodeCount = opts.nodes ?? (opts.quick ? 20_000 : 200_000);
  const edgeCount = opts.edges ?? (opts.quick ? 100_000 : 1_000_000);
  const graph = syntheticOpenGraph(nodeCount, edgeCount);
  const file = join(opts.dir, 'synthetic-opengraph.json');
  writeFileSync(file, JSON.stringify({ metadata: { source_kind: 'Bench' }, graph }));

  // Raw baselines: the same node and edge rows written with better-sqlite3 prepared statements in one
  // transaction, nothing parsed, merged or derived. "raw" writes them into the case schema itself (the tables,
  // indexes and search index a case needs to be queryable, with the fastest raw strategy: edge indexes and the
  // search index built after the load); "bare" into two tables with no secondary index, for reference.
  const rawMs = rawCaseInsert(graph, join(opts.dir, 'raw-case.sqlite'));
  const bareMs = rawBareInsert(graph, join(opts.dir, 'raw-bare.sqlite'));

  const engine = openEngine(join(opts.dir, 'bench.blastmap'), { create: true });
  const start = performance.now();
  await engine.importFiles({ files: [{ path: file }] });
  const importMs = performance.now() - start;
  engine.close();

  const rows = nodeCount + edgeCount;
  return {
    core_nodes: nodeCount,
    core_edges: edgeCount,
    core_raw_insert_ms: Math.round(rawMs),
    core_raw_rows_per_s: Math.round(rows / (rawMs / 1000)),
    core_raw_bare_insert_ms: Math.round(bareMs),
    core_import_ms: Math.round(importMs),
    core_import_rows_per_s: Math.round(rows / (importMs / 1000)),
    /** End-to-end import (file → detect → parse → validate → merge → store → search index → derive → commit) as a share of the raw write of the same rows into the case schema (target ≥ 0.40). */
    core_import_vs_raw_ratio: Number((rawMs / importMs).toFixed(3)),
    /** The same against two bare tables with no secondary or search index, for reference. */
    core_import_vs_bare_ratio: Number((bareMs / importMs).toFixed(3)),
  };
}

function rawCaseInsert(graph: SyntheticGraph, path: string): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  for (const m of MIGRATIONS) m.up(db);
  const start = performance.now();
  // Node numbers as the case gives them (1, 2, …: the node's rowid), edges by number, one edge kind.
  const insId = db.prepare('INSERT INTO node_ids (nid, id) VALUES (?, ?)');
  const insNode = db.prepare('INSERT INTO nodes (rowid, id, kind, name, stub, boundary, handles, props, sources, solo_source) VALUES (?, ?, ?, ?, 0, NULL, ?, ?, ?, 1)');
  const insEdge = db.prepare('INSERT INTO edge_rows (src, dst, kind, source_id, derived, conditional, first_seen, last_seen, props) VALUES (?, ?, 1, 1, 0, 0, NULL, NULL, ?)');
  const nid = (value: string) => Number(value.slice(1)) + 1;
  db.transaction(() => {
    db.exec("DROP INDEX edge_rows_src; DROP INDEX edge_rows_dst; DROP INDEX edge_rows_kind; INSERT INTO edge_kinds (code, kind) VALUES (1, 'OPENGRAPH_EDGE')");
    for (const n of graph.nodes) {
      const props = { ...n.properties, kinds: n.kinds, source_kind: 'Bench' };
      insId.run(nid(n.id), `og:${n.id}`);
      insNode.run(nid(n.id), `og:${n.id}`, 'og_identity', n.properties.name, [`og:${n.id}`, n.id, n.properties.name, n.properties.objectid].join('\n'), JSON.stringify(props), '[1]');
    }
    for (const [i, e] of graph.edges.entries()) insEdge.run(nid(e.start.value), nid(e.end.value), JSON.stringify({ technique: e.kind, at: `$.graph.edges[${i}]` }));
    db.exec('CREATE INDEX edge_rows_src ON edge_rows(src); CREATE INDEX edge_rows_dst ON edge_rows(dst); CREATE INDEX edge_rows_kind ON edge_rows(kind)');
    db.exec('INSERT INTO node_name_fts (rowid, name) SELECT rowid, name FROM nodes; INSERT INTO node_handle_fts (rowid, handles) SELECT rowid, handles FROM nodes');
  })();
  const ms = performance.now() - start;
  db.close();
  return ms;
}

function rawBareInsert(graph: SyntheticGraph, path: string): number {
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.exec('CREATE TABLE nodes (id TEXT PRIMARY KEY, kind TEXT, name TEXT, props TEXT); CREATE TABLE edges (id INTEGER PRIMARY KEY, src TEXT, dst TEXT, kind TEXT, props TEXT)');
  const start = performance.now();
  const insNode = raw.prepare('INSERT INTO nodes VALUES (?, ?, ?, ?)');
  const insEdge = raw.prepare('INSERT INTO edges (src, dst, kind, props) VALUES (?, ?, ?, ?)');
  raw.transaction(() => {
    for (const n of graph.nodes) insNode.run(`og:${n.id}`, n.kinds[0], n.properties.name, JSON.stringify(n.properties));
    for (const [i, e] of graph.edges.entries()) insEdge.run(`og:${e.start.value}`, `og:${e.end.value}`, e.kind, JSON.stringify({ technique: e.kind, at: `$.graph.edges[${i}]` }));
  })();
  const ms = performance.now() - start;
  raw.close();
  return ms;
}
