// `npm run fuzz -- [--runs N] [--seed S] [--jobs J] [--full-every N] [--hang-ms MS] [--out DIR] [--json]`: a long fuzz
// campaign over every importer, seeded from test/fixtures. Prints the inputs run, the outcome per mutation class and
// the inputs per second; saves failing inputs to --out (default test-results/fuzz) for the regression corpus.
import { join } from 'node:path';
import { fuzz, type FuzzReport } from './driver.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
}

const runs = Number(arg('runs', '5000'));
const seed = Number(arg('seed', String(Date.now() % 1_000_000)));
const jobs = Number(arg('jobs', '2'));
const fullEvery = Number(arg('full-every', '10'));
const hangMs = Number(arg('hang-ms', '30000'));
const outDir = arg('out', join('test-results', 'fuzz'));
const asJson = process.argv.includes('--json');

let last = 0;
const cpuStart = process.cpuUsage();
const report = await fuzz({
  seed,
  runs,
  jobs,
  fullEvery,
  hangMs,
  outDir,
  onProgress: (done) => {
    if (process.stderr.isTTY && performance.now() - last > 500) {
      last = performance.now();
      process.stderr.write(`\r${done}/${runs}`);
    }
  },
});
if (process.stderr.isTTY) process.stderr.write('\r');
const own = process.cpuUsage(cpuStart);
print(report, Math.round((own.user + own.system) / 1000));
process.exitCode = report.failures.length ? 1 : 0;

function print(r: FuzzReport, driverCpuMs: number): void {
  if (asJson) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const out: string[] = [];
  out.push(`fuzz: ${r.runs} inputs, seed ${r.seed}, ${jobs} workers, every ${fullEvery}th imported whole`);
  out.push(`time: ${(r.elapsedMs / 1000).toFixed(1)} s wall, ${(r.cpuMs / 1000).toFixed(1)} s CPU in the workers (+${(driverCpuMs / 1000).toFixed(1)} s driver): ${r.inputsPerSecond} inputs/s`);
  out.push('class               inputs      ok  bad-input (placed)  failures');
  for (const [cls, c] of Object.entries(r.perClass)) {
    out.push(`${cls.padEnd(18)} ${String(c.inputs).padStart(7)} ${String(c.ok).padStart(7)} ${String(c.badInput).padStart(10)} ${`(${c.placed})`.padStart(9)} ${String(c.failures).padStart(9)}`);
  }
  out.push(`formats forced: ${Object.entries(r.perFormat).filter(([f]) => f !== 'detected').length}, inputs detected: ${r.perFormat['detected'] ?? 0}; slowest input ${Math.round(r.slowestMs)} ms`);
  for (const f of r.failures) out.push(`FAILED #${f.index} ${f.cls} of ${f.seed}${f.format ? ` as ${f.format}` : ''}: ${f.why.split('\n')[0]}${f.saved ? ` (saved as ${f.saved})` : ''}`);
  out.push(`${r.failures.length} failures`);
  process.stdout.write(`${out.join('\n')}\n`);
}
