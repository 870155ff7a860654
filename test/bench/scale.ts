// Scale benchmark (not in the default run: `npm run bench -- --only scale [--json] [--edges N] [--quick]`):
// an estate of 10M edges over 2M nodes written to disk file by file (scale-estate.ts), imported in one import
// through the engine, then opened as a user opens it and queried. Every figure comes with its baseline measured
// in the same run: reading and parsing the same files for the import, a plain BFS over the same arrays for the
// blast radius. The estate is deleted as soon as it is imported, the case at the end.
import { loadavg } from 'node:os';
import { readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { blastRadius, summarize } from '../../src/analysis/blast-radius.js';
import type { GraphIndex } from '../../src/analysis/index/graph-index.js';
import { loadGraphIndex } from '../../src/analysis/index/snapshot.js';
import { kShortestPaths } from '../../src/analysis/paths.js';
import { openEngine } from '../../src/api/engine.js';
import { CaseStore } from '../../src/store/case-store.js';
import { percentile, rawBfs } from './analysis.js';
import type { BenchOptions } from './run.js';
import { writeEstate } from './scale-estate.js';
import { rng } from './synthetic.js';

const round = (x: number) => Number(x.toFixed(2));
const cpuMs = (since: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
};
const log = (s: string) => process.stderr.write(`scale: ${s}\n`);

export async function bench(opts: BenchOptions): Promise<Record<string, number>> {
  const target = opts.edges ?? (opts.quick ? 1_000_000 : 10_000_000);
  const out: Record<string, number> = { scale_load_avg_1m_start: round(loadavg()[0]!) };

  let t = performance.now();
  const estate = writeEstate(opts.dir, target);
  out['scale_generate_ms'] = Math.round(performance.now() - t);
  out['scale_input_mb'] = Math.round(estate.bytes / 2 ** 20);
  log(`estate written: ${estate.files.length} files, ${out['scale_input_mb']} MB, ${estate.statedEdges} tenant edges`);

  // Baseline: reading and parsing every file, one at a time (what any importer of these files pays at least).
  t = performance.now();
  let cpu = process.cpuUsage();
  for (const file of estate.files) {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.json')) JSON.parse(text);
    else text.split('\n').forEach((line) => line.split(','));
  }
  out['scale_raw_parse_ms'] = Math.round(performance.now() - t);
  out['scale_raw_parse_cpu_ms'] = Math.round(cpuMs(cpu));

  const casePath = join(opts.dir, 'scale.blastmap');
  let engine = openEngine(casePath, { create: true });
  t = performance.now();
  cpu = process.cpuUsage();
  let lastPhase = '';
  const result = await engine.importWithHooks(
    { files: estate.files.map((path) => ({ path })) },
    {
      onProgress: (p) => {
        const phase = `${p.phase} ${p.file}`;
        if (phase !== lastPhase) log(`${Math.round((performance.now() - t) / 1000)} s: ${phase}`);
        lastPhase = phase;
      },
    },
  );
  out['scale_import_ms'] = Math.round(performance.now() - t);
  out['scale_import_cpu_ms'] = Math.round(cpuMs(cpu));
  out['scale_import_rss_mb'] = Math.round(process.resourceUsage().maxRSS / 1024);
  engine.close();
  for (const file of estate.files) rmSync(file, { force: true });
  out['scale_edges'] = result.counts.edges;
  out['scale_nodes'] = result.counts.nodes;
  out['scale_derived_edges'] = result.counts.derivedEdges;
  out['scale_findings'] = result.counts.findings;
  out['scale_import_vs_raw_parse_ratio'] = round(out['scale_import_ms'] / out['scale_raw_parse_ms']!);
  const caseBytes = ['', '-wal'].reduce((s, suffix) => s + (fileSize(casePath + suffix) ?? 0), 0);
  out['scale_case_mb'] = Math.round(caseBytes / 2 ** 20);
  out['scale_case_bytes_per_edge'] = Math.round(caseBytes / result.counts.edges);
  log(`imported: ${result.counts.nodes} nodes, ${result.counts.edges} edges in ${out['scale_import_ms']} ms; case ${out['scale_case_mb']} MB`);

  // Open as a user does: the case, then its graph index (from the snapshot the import saved).
  t = performance.now();
  const store = CaseStore.open(casePath);
  const opened = loadGraphIndex(store);
  out['scale_open_ms'] = Math.round(performance.now() - t);
  out['scale_open_from_snapshot'] = opened.from === 'snapshot' ? 1 : 0;
  const index = opened.index;
  out['scale_index_edges'] = index.m;
  out['scale_index_rss_mb'] = Math.round(process.memoryUsage().rss / 2 ** 20);
  log(`opened in ${out['scale_open_ms']} ms (${opened.from})`);

  Object.assign(out, walks(index, opts.quick ? 30 : 100));
  const origins = pathOrigins(index, opts.quick ? 10 : 30);
  const isTarget = targets(index, store);
  const paths: number[] = [];
  let found = 0;
  for (const v of origins) {
    const s = performance.now();
    found += kShortestPaths(index, v, isTarget, { k: 10, targetKey: 'scale' }).length;
    paths.push(performance.now() - s);
  }
  out['scale_paths_top10_p50_ms'] = round(percentile(paths, 50));
  out['scale_paths_top10_p95_ms'] = round(percentile(paths, 95));
  out['scale_paths_found_avg'] = round(found / origins.length);
  const originIds = origins.map((v) => index.id(v));
  store.close();
  log('walks and paths done');

  // The engine as the explorer uses it: the first analysis after opening, containment, search, node details, overview.
  engine = openEngine(casePath);
  t = performance.now();
  await engine.blastRadius({ from: originIds[0]!, maxDepth: 1 });
  out['scale_first_analysis_ms'] = Math.round(performance.now() - t);
  const containment: number[] = [];
  for (const from of originIds.slice(0, opts.quick ? 3 : 5)) {
    const s = performance.now();
    await engine.containment({ from });
    containment.push(performance.now() - s);
  }
  out['scale_containment_ms'] = Math.round(Math.max(...containment));
  out['scale_containment_p50_ms'] = Math.round(percentile(containment, 50));
  Object.assign(out, await explorer(engine, originIds));
  engine.close();
  // BLASTMAP_SCALE_KEEP=<dir> keeps the case there (for profiling queries on it) instead of deleting it.
  const keep = process.env['BLASTMAP_SCALE_KEEP'];
  if (keep) renameSync(casePath, join(keep, 'scale.blastmap'));
  rmSync(casePath, { force: true });
  rmSync(`${casePath}-wal`, { force: true });
  rmSync(`${casePath}-shm`, { force: true });
  out['scale_peak_rss_mb'] = Math.round(process.resourceUsage().maxRSS / 1024);
  out['scale_load_avg_1m_end'] = round(loadavg()[0]!);
  return out;
}

function fileSize(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/** Blast radius from credentials and identities picked at random, each next to a plain BFS from the same node. */
function walks(index: GraphIndex, runs: number): Record<string, number> {
  const random = rng(99);
  const origins: number[] = [];
  while (origins.length < runs) {
    const v = Math.floor(random() * index.n);
    const cat = index.categoryOf(v);
    if (cat === 'identity' || cat === 'credential') origins.push(v);
  }
  for (const v of origins.slice(0, 3)) {
    rawBfs(index, v);
    summarize(index, blastRadius(index, v));
  }
  const raw: number[] = [];
  const blast: number[] = [];
  const sizes: number[] = [];
  for (const v of origins) {
    let s = performance.now();
    rawBfs(index, v);
    raw.push(performance.now() - s);
    s = performance.now();
    const r = blastRadius(index, v);
    summarize(index, r);
    blast.push(performance.now() - s);
    sizes.push(r.reached.length);
  }
  return {
    scale_blast_avg_reached: Math.round(sizes.reduce((a, b) => a + b, 0) / runs),
    scale_blast_p95_reached: percentile(sizes, 95),
    scale_raw_bfs_p50_ms: round(percentile(raw, 50)),
    scale_raw_bfs_p95_ms: round(percentile(raw, 95)),
    scale_blast_p50_ms: round(percentile(blast, 50)),
    scale_blast_p95_ms: round(percentile(blast, 95)),
    /** Blast radius (walk + counts) over a plain BFS from the same origins, p95 (target ≤ 3). */
    scale_blast_vs_raw_p95_ratio: round(percentile(blast, 95) / percentile(raw, 95)),
  };
}

/** Origins with somewhere to go: identities and credentials whose walk reaches an admin or high-value node. */
function pathOrigins(index: GraphIndex, count: number): number[] {
  const random = rng(5);
  const out: number[] = [];
  for (let tries = 0; out.length < count && tries < count * 200; tries++) {
    const v = Math.floor(random() * index.n);
    const cat = index.categoryOf(v);
    if ((cat === 'identity' || cat === 'credential') && index.d.offsets[v + 1]! > index.d.offsets[v]!) out.push(v);
  }
  return out;
}

/** Any admin node or node marked high value: where paths and containment aim by default. */
function targets(index: GraphIndex, store: CaseStore): (v: number) => boolean {
  const marked = new Uint8Array(index.n);
  for (const m of store.activeMarks()) {
    const v = index.indexOf(m.nodeId);
    if (v >= 0 && m.mark === 'high-value') marked[v] = 1;
  }
  const admin = index.adminKind;
  return (v) => marked[v] === 1 || index.d.nodeKind[v] === admin;
}

/** What the explorer asks while a user looks around: search as they type, a node's details, the overview. */
async function explorer(engine: ReturnType<typeof openEngine>, originIds: string[]): Promise<Record<string, number>> {
  const time = async (fn: () => Promise<unknown>): Promise<number> => {
    const s = performance.now();
    await fn();
    return performance.now() - s;
  };
  const search: number[] = [];
  for (const text of ['user-3-12', 'svc', 'tenant-1', 'arn:aws:iam::200000000001:role/app-1', 'team-4/sa-1', 'group', 'vault-2-1', 'AKIA', 'admin', 'de']) search.push(await time(() => engine.search({ text, limit: 20 })));
  const node: number[] = [];
  for (const id of [...originIds.slice(0, 8), 'og:t0-70', 'og:t0-1071']) node.push(await time(() => engine.node({ id })));
  const overview: number[] = [];
  for (let i = 0; i < 3; i++) overview.push(await time(() => engine.overview({})));
  const info = await time(() => engine.caseInfo({}));
  return {
    scale_search_p95_ms: round(percentile(search, 95)),
    scale_search_max_ms: round(Math.max(...search)),
    scale_node_p95_ms: round(percentile(node, 95)),
    scale_node_max_ms: round(Math.max(...node)),
    scale_overview_ms: round(Math.max(...overview)),
    scale_case_info_ms: round(info),
  };
}
