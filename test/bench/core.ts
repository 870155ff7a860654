// Core import benchmark: end-to-end import of a synthetic OpenGraph file through the engine, next to a raw
// better-sqlite3 insert of the same rows measured in the same run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openEngine } from '../../src/api/engine.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { CASE_PAGE_SIZE } from '../../src/store/open.js';
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
  // indexes and search index a case needs to be queryable, with the fastest raw strategy: the unique id indexes, the
  // edge indexes and the search index built after the load, as the import builds them); "bare" into two tables with
  // no secondary index, for reference.
  // Three rounds, each raw write next to an import, so a busy spell of the machine weighs on both; medians.
  const runs = opts.quick ? 1 : 3;
  const rounds: { raw: Timed; bare: Timed; imp: Timed }[] = [];
  for (let run = 0; run < runs; run++) {
    const raw = rawCaseInsert(graph, join(opts.dir, `raw-case-${run}.sqlite`));
    const bare = rawBareInsert(graph, join(opts.dir, `raw-bare-${run}.sqlite`));
    const engine = openEngine(join(opts.dir, `bench-${run}.blastmap`), { create: true });
    const imp = await timedAsync(() => engine.importFiles({ files: [{ path: file }] }));
    engine.close();
    rounds.push({ raw, bare, imp });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rawMs = median(rounds.map((r) => r.raw.ms));
  const importMs = median(rounds.map((r) => r.imp.ms));
  const rows = nodeCount + edgeCount;
  return {
    core_nodes: nodeCount,
    core_edges: edgeCount,
    core_runs: runs,
    core_raw_insert_ms: Math.round(rawMs),
    core_raw_insert_cpu_ms: Math.round(median(rounds.map((r) => r.raw.cpuMs))),
    core_raw_rows_per_s: Math.round(rows / (rawMs / 1000)),
    core_raw_bare_insert_ms: Math.round(median(rounds.map((r) => r.bare.ms))),
    core_import_ms: Math.round(importMs),
    core_import_cpu_ms: Math.round(median(rounds.map((r) => r.imp.cpuMs))),
    core_import_rows_per_s: Math.round(rows / (importMs / 1000)),
    /**
     * End-to-end import (file → detect → parse → validate → merge → store → search index → derive → graph index →
     * commit) as a share of the raw write of the same rows into the case schema, median of the rounds' ratios
     * (target ≥ 0.5).
     */
    core_import_vs_raw_ratio: Number(median(rounds.map((r) => r.raw.ms / r.imp.ms)).toFixed(3)),
    /** The same in CPU time: what the two cost, whatever else the machine runs. */
    core_import_vs_raw_cpu_ratio: Number(median(rounds.map((r) => r.raw.cpuMs / r.imp.cpuMs)).toFixed(3)),
    /** The same against two bare tables with no secondary or search index, for reference. */
    core_import_vs_bare_ratio: Number(median(rounds.map((r) => r.bare.ms / r.imp.ms)).toFixed(3)),
  };
}

interface Timed {
  ms: number;
  cpuMs: number;
}

/** Starts a clock (wall and CPU); call the result to read both. */
function clock(): () => Timed {
  const cpu = process.cpuUsage();
  const start = performance.now();
  return () => {
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
  };
}

async function timedAsync(fn: () => Promise<unknown>): Promise<Timed> {
  const stop = clock();
  await fn();
  return stop();
}

function rawCaseInsert(graph: SyntheticGraph, path: string): Timed {
  const db = new Database(path);
  db.pragma(`page_size = ${CASE_PAGE_SIZE}`); // as a new case has it
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  for (const m of MIGRATIONS) m.up(db);
  const stop = clock();
  // Node numbers as the case gives them (1, 2, …: the node's rowid), edges by number, one edge kind.
  const insId = db.prepare('INSERT INTO node_ids (nid, id) VALUES (?, ?)');
  const insNode = db.prepare('INSERT INTO nodes (rowid, id, kind, name, stub, boundary, handles, props, sources, solo_source) VALUES (?, ?, ?, ?, 0, NULL, ?, ?, ?, 1)');
  const insEdge = db.prepare('INSERT INTO edge_rows (src, dst, kind, source_id, derived, conditional, first_seen, last_seen, props) VALUES (?, ?, 1, 1, 0, 0, NULL, NULL, ?)');
  const nid = (value: string) => Number(value.slice(1)) + 1;
  db.transaction(() => {
    db.exec("DROP INDEX node_ids_id; DROP INDEX nodes_id; DROP INDEX edge_rows_src; DROP INDEX edge_rows_dst; DROP INDEX edge_rows_kind; INSERT INTO edge_kinds (code, kind) VALUES (1, 'OPENGRAPH_EDGE')");
    for (const n of graph.nodes) {
      const props = { ...n.properties, kinds: n.kinds, source_kind: 'Bench' };
      insId.run(nid(n.id), `og:${n.id}`);
      insNode.run(nid(n.id), `og:${n.id}`, 'og_identity', n.properties.name, [`og:${n.id}`, n.id, n.properties.name, n.properties.objectid].join('\n'), JSON.stringify(props), '[1]');
    }
    for (const [i, e] of graph.edges.entries()) insEdge.run(nid(e.start.value), nid(e.end.value), JSON.stringify({ technique: e.kind, at: `$.graph.edges[${i}]` }));
    db.exec('CREATE UNIQUE INDEX node_ids_id ON node_ids(id); CREATE UNIQUE INDEX nodes_id ON nodes(id)');
    db.exec('CREATE INDEX edge_rows_src ON edge_rows(src); CREATE INDEX edge_rows_dst ON edge_rows(dst); CREATE INDEX edge_rows_kind ON edge_rows(kind)');
    db.exec('INSERT INTO node_name_fts (rowid, name) SELECT rowid, name FROM nodes; INSERT INTO node_handle_fts (rowid, handles) SELECT rowid, handles FROM nodes');
  })();
  const t = stop();
  db.close();
  return t;
}

function rawBareInsert(graph: SyntheticGraph, path: string): Timed {
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.exec('CREATE TABLE nodes (id TEXT PRIMARY KEY, kind TEXT, name TEXT, props TEXT); CREATE TABLE edges (id INTEGER PRIMARY KEY, src TEXT, dst TEXT, kind TEXT, props TEXT)');
  const stop = clock();
  const insNode = raw.prepare('INSERT INTO nodes VALUES (?, ?, ?, ?)');
  const insEdge = raw.prepare('INSERT INTO edges (src, dst, kind, props) VALUES (?, ?, ?, ?)');
  raw.transaction(() => {
    for (const n of graph.nodes) insNode.run(`og:${n.id}`, n.kinds[0], n.properties.name, JSON.stringify(n.properties));
    for (const [i, e] of graph.edges.entries()) insEdge.run(`og:${e.start.value}`, `og:${e.end.value}`, e.kind, JSON.stringify({ technique: e.kind, at: `$.graph.edges[${i}]` }));
  })();
  const t = stop();
  raw.close();
  return t;
}
