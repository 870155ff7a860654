// Incremental derivation benchmark (issue #19 item 3): small imports into a case of a million edges should cost in
// proportion to what they touch, not to the case. A base case (a 1M-edge OpenGraph tenant, an AWS account of a few
// thousand identities, a Kubernetes cluster) receives three small files — another AWS account, another cluster, a
// few OpenGraph edges — each timed three ways: into the base case as a user does it (incremental derivation, graph
// index patched and saved), into the same base case with every rule re-run over the whole case (what every import
// cost before), and into an empty case (the small file's own cost: the baseline).
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEngine } from '../../src/api/engine.js';
import type { DeriveResult } from '../../src/analysis/derive.js';
import { syntheticGaad } from './aws.js';
import { syntheticCluster } from './k8s.js';
import { syntheticOpenGraph } from './synthetic.js';
import type { BenchOptions } from './run.js';

interface Timed {
  ms: number;
  cpuMs: number;
  rulesRan: number;
}

export async function bench(opts: BenchOptions): Promise<Record<string, number>> {
  const edges = opts.edges ?? (opts.quick ? 100_000 : 1_000_000);
  const nodes = opts.nodes ?? Math.round(edges / 5);
  const base = {
    opengraph: write(opts.dir, 'tenant.json', { metadata: { source_kind: 'Bench' }, graph: syntheticOpenGraph(nodes, edges) }),
    gaad: write(opts.dir, 'gaad-base.json', syntheticGaad(opts.quick ? 300 : 2_000, opts.quick ? 300 : 2_000, opts.quick ? 150 : 1_000)),
    cluster: write(opts.dir, 'cluster-base.json', syntheticCluster({ serviceAccounts: opts.quick ? 500 : 5_000, roleBindings: opts.quick ? 200 : 2_000, pods: opts.quick ? 1_000 : 10_000 })),
  };
  const small = {
    aws: write(opts.dir, 'gaad-small.json', syntheticGaad(20, 20, 10, '999988887777', ['111100002222'], 3)),
    // A second cluster: the importer names it after the file.
    k8s: write(opts.dir, 'cluster-small.json', syntheticCluster({ serviceAccounts: 50, roleBindings: 20, pods: 100 }, 11)),
    opengraph: write(opts.dir, 'tenant-small.json', { metadata: { source_kind: 'BenchSmall' }, graph: syntheticOpenGraph(100, 300, 5) }),
  };

  const basePath = join(opts.dir, 'base.blastmap');
  const engine = openEngine(basePath, { create: true });
  const t0 = performance.now();
  for (const path of Object.values(base)) await engine.importFiles({ files: [{ path }] });
  const baseMs = performance.now() - t0;
  const counts = await engine.caseInfo({});
  engine.close();

  const out: Record<string, number> = { incremental_base_edges: counts.counts.edges, incremental_base_import_ms: Math.round(baseMs) };
  const rows: { into: Timed; full: Timed; empty: Timed }[] = [];
  for (const [name, path] of Object.entries(small)) {
    const into = await importInto(basePath, join(opts.dir, `into-${name}.blastmap`), path, false);
    const full = await importInto(basePath, join(opts.dir, `full-${name}.blastmap`), path, true);
    const empty = await importInto(undefined, join(opts.dir, `empty-${name}.blastmap`), path, false);
    rows.push({ into, full, empty });
    out[`incremental_${name}_into_case_ms`] = Math.round(into.ms);
    out[`incremental_${name}_into_case_cpu_ms`] = Math.round(into.cpuMs);
    out[`incremental_${name}_rules_ran`] = into.rulesRan;
    out[`incremental_${name}_full_derive_ms`] = Math.round(full.ms);
    out[`incremental_${name}_into_empty_ms`] = Math.round(empty.ms);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  /** A small import into the 1M-edge case over the same import into an empty case (median of the three files). */
  out['incremental_into_case_vs_empty_ratio'] = round(median(rows.map((r) => r.into.ms / r.empty.ms)));
  /** The same over a full re-derivation of the case (median): what incremental derivation saves. */
  out['incremental_into_case_vs_full_ratio'] = round(median(rows.map((r) => r.into.ms / r.full.ms)));
  return out;
}

/** One small import into a copy of the base case (or a new case), timed wall and CPU, with the rules that ran. */
async function importInto(base: string | undefined, path: string, file: string, full: boolean): Promise<Timed> {
  if (base) copyFileSync(base, path);
  const engine = openEngine(path, { create: !base });
  // Opening the case and reading its graph index are not the import's: done before the clock starts.
  await engine.overview({});
  let derived: DeriveResult | undefined;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await engine.importWithHooks({ files: [{ path: file }] }, { fullDerive: full, onDerive: (r) => (derived = r) });
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  engine.close();
  return { ms, cpuMs: (used.user + used.system) / 1000, rulesRan: derived?.ran.length ?? 0 };
}

function write(dir: string, name: string, value: object): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
