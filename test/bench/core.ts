// Core import benchmark: end-to-end import of a synthetic OpenGraph file through the engine, next to a raw
// better-sqlite3 insert of the same rows measured in the same run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openEngine } from '../../src/api/engine.js';
import { syntheticOpenGraph, type SyntheticGraph } from './synthetic.js';
import type { BenchOptions } from './run.js';

export async function bench(opts: BenchOptions): Promise<Record<string, number>> {
  const nodeCount = opts.nodes ?? (opts.quick ? 20_000 : 200_000);
  const edgeCount = opts.edges ?? (opts.quick ? 100_000 : 1_000_000);
  const graph = syntheticOpenGraph(nodeCount, edgeCount);
  const file = join(opts.dir, 'synthetic-opengraph.json');
  writeFileSync(file, JSON.stringify({ metadata: { source_kind: 'Bench' }, graph }));

  // Raw baselines: the same node and edge rows, prepared statements, one transaction, no parsing. "bare" has
  // no secondary index; "indexed" adds the two lookups any queryable graph store needs (edges by source and by
  // target node), built after the load as the engine does.
  const rawMs = rawInsert(graph, join(opts.dir, 'raw-indexed.sqlite'), true);
  const bareMs = rawInsert(graph, join(opts.dir, 'raw-bare.sqlite'), false);

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
    /** End-to-end import rate (file → parse → facts → merged nodes → search index → edges → derivation → commit) as a share of the raw indexed insert rate (target ≥ 0.40). */
    core_import_vs_raw_ratio: Number((rawMs / importMs).toFixed(3)),
    /** The same against bare tables with no secondary index, for reference. */
    core_import_vs_bare_ratio: Number((bareMs / importMs).toFixed(3)),
  };
}

function rawInsert(graph: SyntheticGraph, path: string, indexed: boolean): number {
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
    if (indexed) raw.exec('CREATE INDEX edges_src ON edges(src); CREATE INDEX edges_dst ON edges(dst)');
  })();
  const ms = performance.now() - start;
  raw.close();
  return ms;
}
