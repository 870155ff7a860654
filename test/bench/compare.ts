// Compare benchmark: `blastmap diff` of two 1M-edge cases (the analysis estate, and a copy with 0.5% of its edges
// removed, as many added, a thousand new keys, five hundred users gone and some new admin rights), next to the raw
// baseline measured in the same run: the set difference of the two edge tables, (src, dst, kind) as strings.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { takeStateSnapshot } from '../../src/analysis/compare/snapshot.js';
import { loadGraphIndex } from '../../src/analysis/index/snapshot.js';
import { diffCaseFiles } from '../../src/api/compare/service.js';
import type { CaseDiff } from '../../src/api/contract.js';
import { CaseStore } from '../../src/store/case-store.js';
import { writeEstate } from './analysis.js';
import type { BenchOptions } from './run.js';
import { rng } from './synthetic.js';

const ACCOUNTS = 50;

/** The "after" case: the estate with edges and users removed, edges, keys and admin rights added. */
export function mutate(path: string, seed: number): void {
  const random = rng(seed);
  const db = new Database(path);
  const nodes = db.prepare("SELECT id, kind FROM nodes WHERE kind IN ('aws_user', 'aws_role', 'aws_bucket')").raw().all() as [string, string][];
  const users = nodes.filter(([, k]) => k === 'aws_user').map(([id]) => id);
  const roles = nodes.filter(([, k]) => k === 'aws_role').map(([id]) => id);
  const buckets = nodes.filter(([, k]) => k === 'aws_bucket').map(([id]) => id);
  const pick = (list: string[]) => list[Math.floor(random() * list.length)]!;
  const edgeCount = (db.prepare('SELECT count(*) FROM edges').pluck().get() as number) ?? 0;
  db.transaction(() => {
    db.prepare('DELETE FROM edges WHERE id % 200 = 7').run();
    const gone = users.filter((_, i) => i % 100 === 3).slice(0, 500);
    const delNode = db.prepare('DELETE FROM nodes WHERE id = ?');
    const delEdges = db.prepare('DELETE FROM edges WHERE src = ? OR dst = ?');
    for (const id of gone) {
      delNode.run(id);
      delEdges.run(id, id);
    }
    const addEdge = db.prepare('INSERT INTO edges (src, dst, kind, source_id, derived, conditional, props) VALUES (?, ?, ?, 1, 0, ?, ?)');
    for (let i = 0; i < edgeCount / 200; i++) {
      if (random() < 0.5) addEdge.run(pick(roles), pick(buckets), 'CAN_ACCESS', 0, JSON.stringify({ accessLevel: 'Write' }));
      else addEdge.run(pick(users), pick(roles), 'CAN_ASSUME', random() < 0.1 ? 1 : 0, random() < 0.1 ? '{"conditional":"aws:SourceIp"}' : '{}');
    }
    for (let i = 0; i < 20; i++) addEdge.run(pick(roles), `admin:aws:account:${100000000000 + Math.floor(random() * ACCOUNTS)}`, 'ADMIN_OF', 0, '{}');
    const addNode = db.prepare("INSERT INTO nodes (id, kind, name, stub, boundary, handles, props, sources, solo_source) VALUES (?, 'aws_access_key', ?, 0, ?, ?, '{}', '[1]', 1)");
    for (let i = 0; i < 1000; i++) {
      const id = `aws:key:AKIANEW${String(i).padStart(9, '0')}`;
      addNode.run(id, id, `aws:account:${100000000000 + (i % ACCOUNTS)}`, id);
      addEdge.run(id, pick(users), 'AUTHENTICATES_AS', 0, '{}');
    }
    db.prepare('DELETE FROM graph_snapshot').run();
  })();
  db.close();
}

/** The baseline: both edge tables read in full, (src, dst, kind) keys, set difference both ways. */
function rawSetDifference(a: string, b: string): { added: number; removed: number } {
  const keys = (path: string) => {
    const db = new Database(path, { readonly: true });
    const set = new Set<string>();
    for (const [src, dst, kind] of db.prepare('SELECT src, dst, kind FROM edges').raw().iterate() as Iterable<[string, string, string]>) set.add(`${src}\u0000${dst}\u0000${kind}`);
    db.close();
    return set;
  };
  const before = keys(a);
  const after = keys(b);
  let added = 0;
  let removed = 0;
  for (const k of after) if (!before.has(k)) added++;
  for (const k of before) if (!after.has(k)) removed++;
  return { added, removed };
}

function timed<T>(fn: () => T): { ms: number; cpuMs: number; value: T } {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = fn();
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, value };
}

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'blastmap.js');

/** `blastmap diff a b --json` as a user runs it: the built CLI in a fresh process; its own figure and the process's. */
function cliDiff(a: string, b: string): { elapsedMs: number; processMs: number } | undefined {
  if (!existsSync(CLI)) {
    process.stderr.write(`compare: ${CLI} is not built (npm run build:cli); the CLI figures are left out\n`);
    return undefined;
  }
  const start = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'diff', a, b, '--json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const processMs = performance.now() - start;
  if (r.status !== 0) throw new Error(`CLI diff failed (${r.status}): ${r.stderr}`);
  return { elapsedMs: (JSON.parse(r.stdout) as CaseDiff).elapsedMs, processMs };
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Number(x.toFixed(2));

export async function bench(opts: BenchOptions): Promise<Record<string, number>> {
  const edges = opts.edges ?? (opts.quick ? 100_000 : 1_000_000);
  const label = opts.edges ? 'custom' : opts.quick ? '100k' : '1m';
  const a = join(opts.dir, 'before.blastmap');
  const b = join(opts.dir, 'after.blastmap');
  writeEstate(a, edges);
  // Fifty compromised keys, so the blast-radius budget has its priority order to follow.
  let store = CaseStore.open(a);
  store.begin();
  const keys = [...store.nodesOfKind('aws_access_key')].map((n) => n.id);
  for (let i = 0; i < keys.length && i < 20_000; i += 400) store.addMark(keys[i]!, 'compromised', 'bench', 'bench', new Date(0).toISOString());
  store.commit();
  store.close();
  copyFileSync(a, b);
  mutate(b, 11);
  // Both cases as a user has them after a first query: the graph index saved in the case.
  for (const p of [a, b]) {
    const s = CaseStore.open(p);
    loadGraphIndex(s);
    s.close();
  }

  const runs = 3;
  const diff: number[] = [];
  const diffCpu: number[] = [];
  const noBlast: number[] = [];
  const raw: number[] = [];
  const rawCpu: number[] = [];
  let result: CaseDiff | undefined;
  let rawResult: { added: number; removed: number } | undefined;
  for (let i = 0; i < runs; i++) {
    const r = timed(() => rawSetDifference(a, b));
    raw.push(r.ms);
    rawCpu.push(r.cpuMs);
    rawResult = r.value;
    const d = timed(() => diffCaseFiles(a, b));
    diff.push(d.ms);
    diffCpu.push(d.cpuMs);
    result = d.value;
    noBlast.push(timed(() => diffCaseFiles(a, b, { maxOrigins: 0 })).ms);
  }
  const cli = cliDiff(a, b);
  // What a re-import pays to keep the state it replaces.
  store = CaseStore.open(b);
  store.begin();
  const snap = timed(() => takeStateSnapshot(store, { label: 'bench', auto: false }));
  store.rollback();
  store.close();

  const s = result!.summary;
  const edgeAddedRemoved = Object.values(s.edges).reduce((n, c) => n + c.added + c.removed, 0);
  const edgeChanged = Object.values(s.edges).reduce((n, c) => n + c.changed, 0);
  const p = `compare_${label}`;
  return {
    [`${p}_edges`]: edges,
    [`${p}_diff_ms`]: Math.round(median(diff)),
    [`${p}_diff_cpu_ms`]: Math.round(median(diffCpu)),
    [`${p}_diff_no_blast_ms`]: Math.round(median(noBlast)),
    [`${p}_raw_set_difference_ms`]: Math.round(median(raw)),
    [`${p}_raw_set_difference_cpu_ms`]: Math.round(median(rawCpu)),
    /** The whole diff (edges, paths to every admin for every origin, 100 credentials' blast radius, findings) over the raw set difference. */
    [`${p}_diff_vs_raw_ratio`]: round(median(diff) / median(raw)),
    [`${p}_diff_vs_raw_cpu_ratio`]: round(median(diffCpu) / median(rawCpu)),
    /** Edges added or removed by the diff, and by the raw set difference (they must agree). */
    [`${p}_edges_added_removed`]: edgeAddedRemoved,
    [`${p}_raw_edges_added_removed`]: rawResult!.added + rawResult!.removed,
    /** Edges on both sides whose access level or condition changed (the raw set difference cannot see these). */
    [`${p}_edges_changed`]: edgeChanged,
    [`${p}_paths_changed`]: s.paths.appeared + s.paths.disappeared + s.paths.nowConditional + s.paths.nowUnconditional,
    [`${p}_new_admin_origins`]: s.paths.newAdminOrigins,
    [`${p}_blast_affected`]: s.blastRadius.affected,
    [`${p}_blast_compared`]: s.blastRadius.compared,
    ...(cli ? { [`${p}_cli_diff_ms`]: Math.round(cli.elapsedMs), [`${p}_cli_process_ms`]: Math.round(cli.processMs) } : {}),
    [`${p}_snapshot_ms`]: Math.round(snap.ms),
    [`${p}_snapshot_cpu_ms`]: Math.round(snap.cpuMs),
    [`${p}_snapshot_mb`]: round(snap.value.bytes / 2 ** 20),
    compare_peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
