// Core import benchmark: end-to-end import of a synthetic OpenGraph file through the engine, next to a raw
// better-sqlite3 insert of the same rows measured in the same run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openEngine } from '../../src/api/engine.js';
import { syntheticOpenGraph } from './synthetic.js';
import type { BenchOptions } from './run.js';

export async function bench(opts: BenchOptions): Promise<Record<string, number>> {
  const nodeCount = opts.nodes ?? (opts.quick ? 20_000 : 200_000);
  const edgeCount = opts.edges ?? (opts.quick ? 100_000 : 1_000_000);
  const graph = syntheticOpenGraph(nodeCount, edgeCount);
  const file = join(opts.dir, 'synthetic-opengraph.json');
  writeFileSync(file, JSON.stringify({ metadata: { source_kind: 'Bench' }, graph }));

  // Raw baseline: the same node and edge rows, prepared statements, one transaction, no parsing.
  const raw = new Database(join(opts.dir, 'raw.sqlite'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.exec('CREATE TABLE nodes (id TEXT PRIMARY KEY, kind TEXT, name TEXT, props TEXT); CREATE TABLE edges (id INTEGER PRIMARY KEY, src TEXT, dst TEXT, kind TEXT, props TEXT)');
  const rawStart = performance.now();
  const insNode = raw.prepare('INSERT INTO nodes VALUES (?, ?, ?, ?)');
  const insEdge = raw.prepare('INSERT INTO edges (src, dst, kind, props) VALUES (?, ?, ?, ?)');
  raw.transaction(() => {
    for (const n of graph.nodes) insNode.run(`og:${n.id}`, n.kinds[0], n.properties.name, JSON.stringify(n.properties));
    for (const e of graph.edges) insEdge.run(`og:${e.start.value}`, `og:${e.end.value}`, e.kind, JSON.stringify({ ogKind: e.kind }));
  })();
  const rawMs = performance.now() - rawStart;
  raw.close();

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
    core_import_ms: Math.round(importMs),
    core_import_rows_per_s: Math.round(rows / (importMs / 1000)),
    /** Import rate as a share of the raw insert rate (target ≥ 0.40). */
    core_import_vs_raw_ratio: Number((rawMs / importMs).toFixed(3)),
  };
}
