// `npm run bench [-- --quick] [-- --only core,aws] [-- --nodes N --edges M] [-- --json]`
// Runs every test/bench/<area>.ts that exports `bench(opts)`, prints each figure, and with --json ends with
// one line holding a JSON object of all figures.
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      only: { type: 'string' },
      nodes: { type: 'string' },
      edges: { type: 'string' },
    },
  });
  const only = values.only?.split(',').map((s) => s.trim());
  const areas = readdirSync(here)
    .filter((f) => f.endsWith('.ts') && !['run.ts', 'synthetic.ts'].includes(f))
    .map((f) => basename(f, '.ts'))
    .sort((a, b) => (a === 'core' ? -1 : b === 'core' ? 1 : a.localeCompare(b)))
    .filter((a) => !only || only.includes(a));
  const figures: Record<string, number> = {};
  for (const area of areas) {
    const mod = (await import(pathToFileURL(join(here, `${area}.ts`)).href)) as BenchModule;
    if (typeof mod.bench !== 'function') continue;
    const dir = mkdtempSync(join(tmpdir(), `blastmap-bench-${area}-`));
    try {
      process.stderr.write(`bench ${area}…\n`);
      const result = await mod.bench({
        quick: values.quick ?? false,
        dir,
        ...(values.nodes ? { nodes: Number(values.nodes) } : {}),
        ...(values.edges ? { edges: Number(values.edges) } : {}),
      });
      for (const [k, v] of Object.entries(result)) {
        figures[k] = v;
        process.stdout.write(`${k.padEnd(40)} ${v}\n`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  figures['peak_rss_mb'] = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${'peak_rss_mb'.padEnd(40)} ${figures['peak_rss_mb']}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
}

await main();
