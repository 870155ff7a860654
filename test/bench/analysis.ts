// Analysis benchmark: a synthetic identity estate written straight into a case (250k and 1M traversable edges),
// then open time (graph index from its snapshot), blast radius and top-10 attack paths, each next to a raw BFS
// over the same typed arrays measured in the same run.
import { join } from 'node:path';
import { blastRadius, summarize } from '../../src/analysis/blast-radius.js';
import type { GraphIndex } from '../../src/analysis/index/graph-index.js';
import { loadGraphIndex } from '../../src/analysis/index/snapshot.js';
import { kShortestPaths } from '../../src/analysis/paths.js';
import type { EdgeFact, GraphFragment, NodeFact } from '../../src/model/fragment.js';
import { ACCESS_LEVELS, type EdgeKind, type NodeKind } from '../../src/model/kinds.js';
import { CaseStore } from '../../src/store/case-store.js';
import type { BenchOptions } from './run.js';
import { rng } from './synthetic.js';

const ACCOUNTS = 50;
const CHUNK = 50_000;

/**
 * An estate of `edges` traversable edges over edges/5 nodes: keys → users, users → groups, principals → roles
 * (some conditional), escalation between identities, access to resources, a few admins. Written in chunks so
 * the generator never holds the whole graph.
 */
export function writeEstate(path: string, edgeCount: number, seed = 7): void {
  const random = rng(seed);
  const nodeCount = Math.floor(edgeCount / 5);
  const kindOf = (i: number): NodeKind => (i % 10 === 0 ? 'aws_access_key' : i % 10 < 4 ? 'aws_user' : i % 10 < 6 ? 'aws_role' : i % 10 === 6 ? 'aws_group' : 'aws_bucket');
  const acct = (i: number) => `aws:account:${String(100000000000 + (i % ACCOUNTS))}`;
  const id = (i: number) => `n${i}`;
  const pick = (want: (k: NodeKind) => boolean): number => {
    for (;;) {
      // Half the picks land on "hub" nodes: skewed degree like real estates.
      const i = random() < 0.5 ? Math.floor(random() * (nodeCount / 50)) * 50 + Math.floor(random() * 10) : Math.floor(random() * nodeCount);
      if (i < nodeCount && want(kindOf(i))) return i;
    }
  };
  const isPrincipal = (k: NodeKind) => k === 'aws_user' || k === 'aws_role';
  const store = CaseStore.open(path, { create: true });
  store.begin();
  store.suspendEdgeIndexes();
  const source = store.addSource({ label: 'bench', fileName: 'bench', format: 'bench', sha256: 'bench', importedAt: new Date(0).toISOString(), options: {} });
  const touched = new Set<string>();
  let nodes: NodeFact[] = [];
  for (let a = 0; a < ACCOUNTS; a++) {
    nodes.push({ id: acct(a), kind: 'aws_account', name: acct(a) }, { id: `admin:${acct(a)}`, kind: 'admin', name: `Admin of ${acct(a)}`, boundary: acct(a) });
  }
  for (let i = 0; i < nodeCount; i++) {
    nodes.push({ id: id(i), kind: kindOf(i), name: `${kindOf(i)}-${i}`, boundary: acct(i) });
    if (nodes.length >= CHUNK) {
      store.writeFragment(source, { nodes, edges: [], warnings: [] }, touched);
      nodes = [];
    }
  }
  store.writeFragment(source, { nodes, edges: [], warnings: [] }, touched);
  let edges: EdgeFact[] = [];
  const flush = () => {
    const f: GraphFragment = { nodes: [], edges, warnings: [] };
    store.writeFragment(source, f, touched);
    edges = [];
  };
  const add = (from: number | string, to: number | string, kind: EdgeKind, props: EdgeFact['props'] = {}) => {
    edges.push({ from: typeof from === 'number' ? id(from) : from, to: typeof to === 'number' ? id(to) : to, kind, props });
    if (edges.length >= CHUNK) flush();
  };
  let written = 0;
  for (let i = 0; i < nodeCount; i += 10) {
    add(i, pick((k) => k === 'aws_user'), 'AUTHENTICATES_AS');
    written++;
  }
  while (written < edgeCount) {
    const r = random();
    if (r < 0.2) add(pick((k) => k === 'aws_user'), pick((k) => k === 'aws_group'), 'MEMBER_OF');
    else if (r < 0.45) add(pick((k) => isPrincipal(k) || k === 'aws_group'), pick((k) => k === 'aws_role'), 'CAN_ASSUME', random() < 0.1 ? { conditional: 'aws:SourceIp' } : {});
    else if (r < 0.5) add(pick(isPrincipal), pick(isPrincipal), 'CAN_ESCALATE', { technique: 'iam:CreateAccessKey' });
    else if (r < 0.9995) add(pick(isPrincipal), pick((k) => k === 'aws_bucket'), 'CAN_ACCESS', { accessLevel: ACCESS_LEVELS[Math.floor(random() * ACCESS_LEVELS.length)]! });
    else add(pick((k) => k === 'aws_role'), `admin:${acct(Math.floor(random() * ACCOUNTS))}`, 'ADMIN_OF');
    written++;
  }
  flush();
  store.restoreEdgeIndexes();
  store.commit();
  store.close();
}

/**
 * The baseline: breadth-first reach over the same CSR arrays, nothing recorded but visited; then, as blast radius
 * does, the boundaries whose admin node was reached are taken whole in one pass over the nodes.
 */
function rawBfs(index: GraphIndex, origin: number): number {
  const { offsets, targets, nodeKind } = index.d;
  const seen = new Uint8Array(index.n);
  const queue = new Int32Array(index.n);
  let head = 0;
  let tail = 0;
  seen[origin] = 1;
  queue[tail++] = origin;
  const taken = new Uint8Array(index.boundaries.length);
  let any = false;
  while (head < tail) {
    const u = queue[head++]!;
    if (nodeKind[u] === index.adminKind && index.boundarySlot[u]! >= 0) {
      taken[index.boundarySlot[u]!] = 1;
      any = true;
    }
    for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
      const v = targets[e]!;
      if (seen[v] === 0) {
        seen[v] = 1;
        queue[tail++] = v;
      }
    }
  }
  if (any) {
    for (let v = 0; v < index.n; v++) {
      const slot = index.boundarySlot[v]!;
      if (slot >= 0 && taken[slot] === 1 && seen[v] === 0) {
        seen[v] = 1;
        queue[tail++] = v;
      }
    }
  }
  return tail;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

const round = (x: number) => Number(x.toFixed(2));

async function measure(dir: string, edgeCount: number, label: string, runs: number): Promise<Record<string, number>> {
  const path = join(dir, `analysis-${label}.blastmap`);
  writeEstate(path, edgeCount);
  // First open builds the index and saves the snapshot; the second open is what a user waits for.
  let store = CaseStore.open(path);
  const buildMs = time(() => loadGraphIndex(store));
  store.close();
  store = CaseStore.open(path);
  const openStart = performance.now();
  const opened = loadGraphIndex(store);
  const index = opened.index;
  const openMs = performance.now() - openStart;
  if (opened.from !== 'snapshot') throw new Error('the snapshot was not reused');
  const rssMb = process.memoryUsage().rss / 2 ** 20;

  const random = rng(99);
  const origins: number[] = [];
  while (origins.length < runs) {
    const v = Math.floor(random() * index.n);
    if (index.kindOf(v) === 'aws_access_key' || index.kindOf(v) === 'aws_user') origins.push(v);
  }
  // Warm up both so the JIT has compiled them before timing.
  for (const v of origins.slice(0, 3)) {
    rawBfs(index, v);
    summarize(index, blastRadius(index, v));
  }
  const raw: number[] = [];
  const blast: number[] = [];
  let reached = 0;
  // CPU time as well: wall time on a shared machine swings with the other jobs, CPU time much less.
  let rawCpu = 0;
  let blastCpu = 0;
  const cpu = (fn: () => unknown) => {
    const c = process.cpuUsage();
    const ms = time(fn);
    const d = process.cpuUsage(c);
    return { ms, cpu: (d.user + d.system) / 1000 };
  };
  for (const v of origins) {
    const r0 = cpu(() => rawBfs(index, v));
    raw.push(r0.ms);
    rawCpu += r0.cpu;
    const b0 = cpu(() => {
      const r = blastRadius(index, v);
      summarize(index, r);
      reached += r.reached.length;
    });
    blast.push(b0.ms);
    blastCpu += b0.cpu;
  }
  const admin = index.adminKind;
  const isAdmin = (v: number) => index.d.nodeKind[v] === admin;
  const paths: number[] = [];
  let found = 0;
  for (const v of origins.slice(0, Math.max(10, runs / 2))) paths.push(time(() => (found += kShortestPaths(index, v, isAdmin, { k: 10, targetKey: 'admin' }).length)));
  store.close();
  return {
    [`analysis_${label}_edges`]: index.m,
    [`analysis_${label}_nodes`]: index.n,
    [`analysis_${label}_index_build_ms`]: Math.round(buildMs),
    [`analysis_${label}_open_ms`]: Math.round(openMs),
    [`analysis_${label}_rss_mb`]: Math.round(rssMb),
    [`analysis_${label}_blast_avg_reached`]: Math.round(reached / runs),
    [`analysis_${label}_raw_bfs_p50_ms`]: round(percentile(raw, 50)),
    [`analysis_${label}_raw_bfs_p95_ms`]: round(percentile(raw, 95)),
    [`analysis_${label}_blast_p50_ms`]: round(percentile(blast, 50)),
    [`analysis_${label}_blast_p95_ms`]: round(percentile(blast, 95)),
    /** Blast radius (BFS with depth, route, conditional flag, access level, then counts) over raw BFS, p95 (target ≤ 3). */
    [`analysis_${label}_blast_vs_raw_p95_ratio`]: round(percentile(blast, 95) / percentile(raw, 95)),
    [`analysis_${label}_blast_vs_raw_p50_ratio`]: round(percentile(blast, 50) / percentile(raw, 50)),
    [`analysis_${label}_blast_cpu_ms_total`]: Math.round(blastCpu),
    [`analysis_${label}_raw_bfs_cpu_ms_total`]: Math.round(rawCpu),
    [`analysis_${label}_blast_vs_raw_cpu_ratio`]: round(blastCpu / Math.max(rawCpu, 0.001)),
    [`analysis_${label}_paths_top10_p50_ms`]: round(percentile(paths, 50)),
    [`analysis_${label}_paths_top10_p95_ms`]: round(percentile(paths, 95)),
    [`analysis_${label}_paths_found_avg`]: round(found / paths.length),
  };
}

export async function bench(opts: BenchOptions): Promise<Record<string, number>> {
  const sizes: [number, string][] = opts.edges ? [[opts.edges, 'custom']] : opts.quick ? [[25_000, '25k'], [100_000, '100k']] : [[250_000, '250k'], [1_000_000, '1m']];
  const out: Record<string, number> = {};
  for (const [edges, label] of sizes) Object.assign(out, await measure(opts.dir, edges, label, opts.quick ? 20 : 200));
  out['analysis_peak_rss_mb'] = Math.round(process.resourceUsage().maxRSS / 1024);
  return out;
}
