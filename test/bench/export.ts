// Export benchmark: a synthetic case of 200k nodes and 1M edges (half imported with their record's place, half
// derived with a reason and shared evidence, as rules write them) exported by the built CLI, in a fresh process per
// run, as OpenGraph JSON, a Neo4j folder, GraphML and the edges table as CSV. Next to each: a raw scan of the same
// rows from SQLite (every node and edge row read, nothing parsed or written) in the same run, and the peak RSS of
// the CLI process against the CLI writing a tiny table from the same case (memory flat: the export does not grow
// with the case). Target: ≤ 30 s per format at 1M edges. Medians of 3.
import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EdgeFact, NodeFact } from '../../src/model/fragment.js';
import { ACCESS_LEVELS, type NodeKind } from '../../src/model/kinds.js';
import { CaseStore } from '../../src/store/case-store.js';
import type { BenchOptions } from './run.js';
import { rng } from './synthetic.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CHUNK = 50_000;
const RUNS = 3;

/** A case of `edgeCount` edges over edgeCount/5 nodes, written straight into the store in chunks. */
export function writeCase(path: string, edgeCount: number): void {
  const random = rng(11);
  const nodeCount = Math.floor(edgeCount / 5);
  const kindOf = (i: number): NodeKind => (['aws_access_key', 'aws_user', 'aws_user', 'aws_role', 'aws_role', 'aws_group', 'aws_bucket', 'aws_bucket', 'aws_secret', 'aws_kms_key'] as const)[i % 10]!;
  const acct = (i: number) => `aws:account:${100000000000 + (i % 50)}`;
  const store = CaseStore.open(path, { create: true });
  store.begin();
  store.suspendEdgeIndexes();
  const source = store.addSource({ label: 'bench', fileName: 'bench-gaad.json', format: 'aws-gaad', sha256: 'bench', importedAt: new Date(0).toISOString(), options: {} });
  const touched = new Set<string>();
  let nodes: NodeFact[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const kind = kindOf(i);
    nodes.push({ id: `arn:aws:iam::${acct(i).slice(12)}:${kind}/n${i}`, kind, name: `${kind.replace('aws_', '')}-${i} "quoted", <tag>`, boundary: acct(i), props: { createdAt: '2025-01-01T00:00:00Z', path: '/', tags: { team: `t${i % 7}` } } });
    if (nodes.length >= CHUNK) {
      store.writeFragment(source, { nodes, edges: [], warnings: [] }, touched);
      nodes = [];
    }
  }
  store.writeFragment(source, { nodes, edges: [], warnings: [] }, touched);
  const idOf = (i: number) => `arn:aws:iam::${acct(i).slice(12)}:${kindOf(i)}/n${i}`;
  const shared = Array.from({ length: 200 }, (_, k) => ({ type: 'policy-statement', summary: `Statement S${k} of policy p${k} allows sts:AssumeRole on *`, location: `bench-gaad.json $.Policies[${k}].Statement[0]`, data: { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' } }));
  let imported: EdgeFact[] = [];
  let derived: EdgeFact[] = [];
  for (let e = 0; e < edgeCount; e++) {
    const from = idOf(Math.floor(random() * nodeCount));
    const to = idOf(Math.floor(random() * nodeCount));
    if (e % 2 === 0) imported.push({ from, to, kind: 'MEMBER_OF', props: { at: `$.UserDetailList[${e}].GroupList[0]` } });
    else derived.push({ from, to, kind: 'CAN_ACCESS', props: { reason: 'can act on the resource through an identity policy', technique: 's3:GetObject', accessLevel: ACCESS_LEVELS[e % 5]!, evidence: [shared[e % shared.length]!], ...(e % 10 === 1 ? { conditional: 'aws:SourceIp 10.0.0.0/8' } : {}) } });
    if (imported.length >= CHUNK) {
      store.writeFragment(source, { nodes: [], edges: imported, warnings: [] }, touched);
      imported = [];
    }
    if (derived.length >= CHUNK) {
      store.writeFragment(source, { nodes: [], edges: derived, warnings: [] }, touched, true);
      derived = [];
    }
  }
  store.writeFragment(source, { nodes: [], edges: imported, warnings: [] }, touched);
  store.writeFragment(source, { nodes: [], edges: derived, warnings: [] }, touched, true);
  store.restoreEdgeIndexes();
  store.commit();
  store.close();
}

/** Every node and edge row read from SQLite, nothing parsed: the floor any export stands on. */
function rawScan(path: string): { ms: number; cpuMs: number } {
  const db = new Database(path, { readonly: true });
  const cpu = process.cpuUsage();
  const start = performance.now();
  let n = 0;
  for (const row of db.prepare('SELECT * FROM nodes ORDER BY rowid').raw().iterate() as Iterable<unknown[]>) n += row.length;
  for (const row of db.prepare('SELECT * FROM edges ORDER BY id').raw().iterate() as Iterable<unknown[]>) n += row.length;
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  db.close();
  if (n === 0) throw new Error('empty case');
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

// Prints the CLI process's CPU time and peak RSS on exit (the figure a user's machine would see).
const PROBE = `data:text/javascript,${encodeURIComponent("process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('\\nBENCH '+JSON.stringify({cpuMs:(u.userCPUTime+u.systemCPUTime)/1000,maxRssMb:Math.round(u.maxRSS/1024)})+'\\n')})")}`;

function cli(args: string[]): { ms: number; cpuMs: number; maxRssMb: number } {
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--import', PROBE, join(ROOT, 'dist', 'blastmap.js'), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`blastmap ${args.join(' ')} failed: ${r.stderr}`);
  const line = r.stderr.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line) throw new Error('the CLI probe printed nothing');
  return { ms, ...(JSON.parse(line.slice(6)) as { cpuMs: number; maxRssMb: number }) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function bench(opts: BenchOptions): Promise<Record<string, number>> {
  const edges = opts.edges ?? (opts.quick ? 100_000 : 1_000_000);
  const casePath = join(opts.dir, 'export.blastmap');
  writeCase(casePath, edges);
  const out: Record<string, number> = { export_edges: edges, export_nodes: Math.floor(edges / 5) };

  const raw = [0, 1, 2].map(() => rawScan(casePath));
  out['export_raw_scan_ms'] = Math.round(median(raw.map((r) => r.ms)));
  out['export_raw_scan_cpu_ms'] = Math.round(median(raw.map((r) => r.cpuMs)));
  // The same CLI process writing a tiny table of the same case: its RSS is the floor an export's is compared with.
  const small = [0, 1, 2].map(() => cli(['export', '--case', casePath, '--what', 'findings', '--format', 'csv', '--out', join(opts.dir, 'findings.csv')]));
  out['export_baseline_rss_mb'] = median(small.map((r) => r.maxRssMb));

  const formats: [name: string, args: (run: number) => string[], path: (run: number) => string][] = [
    ['opengraph', (i) => ['--format', 'opengraph', '--out', join(opts.dir, `og-${i}.json`)], (i) => join(opts.dir, `og-${i}.json`)],
    ['neo4j', (i) => ['--format', 'neo4j', '--out', join(opts.dir, `neo4j-${i}`)], (i) => join(opts.dir, `neo4j-${i}`, 'edges.csv')],
    ['graphml', (i) => ['--format', 'graphml', '--out', join(opts.dir, `g-${i}.graphml`)], (i) => join(opts.dir, `g-${i}.graphml`)],
    ['edges_csv', (i) => ['--what', 'edges', '--format', 'csv', '--out', join(opts.dir, `edges-${i}.csv`)], (i) => join(opts.dir, `edges-${i}.csv`)],
  ];
  for (const [name, args, path] of formats) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      runs.push(cli(['export', '--case', casePath, ...args(i)]));
      if (i === 0) out[`export_${name}_mb`] = Math.round(statSync(path(i)).size / 1024 / 1024);
      rmSync(path(i).endsWith('edges.csv') ? join(path(i), '..') : path(i), { recursive: true, force: true });
    }
    const ms = median(runs.map((r) => r.ms));
    out[`export_${name}_ms`] = Math.round(ms);
    out[`export_${name}_cpu_ms`] = Math.round(median(runs.map((r) => r.cpuMs)));
    out[`export_${name}_peak_rss_mb`] = median(runs.map((r) => r.maxRssMb));
    /** The export's time over the raw scan of the same rows (how much the writing and formatting cost). */
    out[`export_${name}_vs_raw_scan`] = Number((ms / out['export_raw_scan_ms']!).toFixed(1));
    /** The same in CPU time, which a machine shared with other work disturbs less. */
    out[`export_${name}_cpu_vs_raw_scan_cpu`] = Number((out[`export_${name}_cpu_ms`]! / out['export_raw_scan_cpu_ms']!).toFixed(1));
  }
  return out;
}
