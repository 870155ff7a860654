// `npm run bench [-- --quick] [-- --only core,aws] [-- --nodes N --edges M] [-- --json]`
// Runs every test/bench/<area>.ts that exports `bench(opts)`, each in a process of its own (so one area's heap,
// JIT state and peak RSS do not leak into the next one's figures), prints each figure, and with --json ends with
// one line holding a JSON object of all figures.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Smaller sizes, for a quick look. */
  quick: boolean;
  nodes?: number;
  edges?: number;
  /** A scratch directory, removed afterwards. */
  dir: string;
}

type BenchModule = { bench?: (opts: BenchOptions) => Promise<Record<string, number>> };

const here = dirname(fileURLToPath(import.meta.url));
/** Modules that are not areas (helpers), and areas that take minutes and run only when named with --only. */
const HELPERS = ['run.ts', 'synthetic.ts', 'measure.ts', 'scale-estate.ts', 'raw-output.ts'];
const OPT_IN = ['scale'];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      only: { type: 'string' },
      nodes: { type: 'string' },
      edges: { type: 'string' },
      /** Internal: run this one area here and print its figures as JSON. */
      area: { type: 'string' },
    },
  });
  if (values.area) {
    process.stdout.write(`${JSON.stringify(await runArea(values.area, values))}\n`);
    return;
  }
  const only = values.only?.split(',').map((s) => s.trim());
  const areas = readdirSync(here)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !HELPERS.includes(f))
    .map((f) => basename(f, '.ts'))
    .sort((a, b) => (a === 'core' ? -1 : b === 'core' ? 1 : a.localeCompare(b)))
    .filter((a) => (only ? only.includes(a) : !OPT_IN.includes(a)));
  const shared = [...(values.quick ? ['--quick'] : []), ...(values.nodes ? ['--nodes', values.nodes] : []), ...(values.edges ? ['--edges', values.edges] : [])];
  const figures: Record<string, number> = {};
  let peak = 0;
  for (const area of areas) {
    // The same runtime and loader (tsx) as this process, one area at a time; figures come back as one JSON line.
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--area', area, ...shared], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 });
    const last = child.stdout.trim().split('\n').at(-1) ?? '';
    if (child.status !== 0 || !last.startsWith('{')) throw new Error(`bench ${area} failed (exit ${child.status ?? child.signal})`);
    const { peak_rss_mb: areaPeak = 0, ...result } = JSON.parse(last) as Record<string, number>;
    peak = Math.max(peak, areaPeak);
    for (const [k, v] of Object.entries(result)) {
      figures[k] = v;
      process.stdout.write(`${k.padEnd(40)} ${v}\n`);
    }
  }
  figures['peak_rss_mb'] = peak;
  process.stdout.write(`${'peak_rss_mb'.padEnd(40)} ${peak}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** One area in this process: its figures, and this process's peak RSS. */
async function runArea(area: string, values: { quick?: boolean; nodes?: string; edges?: string }): Promise<Record<string, number>> {
  const mod = (await import(pathToFileURL(join(here, `${area}.ts`)).href)) as BenchModule;
  if (typeof mod.bench !== 'function') return {};
  const dir = mkdtempSync(join(tmpdir(), `blastmap-bench-${area}-`));
  try {
    process.stderr.write(`bench ${area}…\n`);
    const result = await mod.bench({
      quick: values.quick ?? false,
      dir,
      ...(values.nodes ? { nodes: Number(values.nodes) } : {}),
      ...(values.edges ? { edges: Number(values.edges) } : {}),
    });
    return { ...result, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
