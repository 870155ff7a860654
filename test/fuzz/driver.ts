// Runs a fuzz campaign in worker processes (child.ts), so that a hang or a fatal error is caught from outside: a
// worker silent for longer than hangMs is killed, its input recorded as a hang, and a new worker goes on after it.
// Crashing inputs are regenerated here (inputs are a function of seed and index) and saved for the regression corpus.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { inputAt } from './generate.js';
import { CLASSES, type MutationClass } from './mutate.js';
import type { Outcome } from './oracle.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');

export interface FuzzOptions {
  seed: number;
  runs: number;
  /** Worker processes run side by side. */
  jobs: number;
  /** Every n-th input is also imported whole (written, derived, committed); 0 = never. */
  fullEvery: number;
  /** A worker silent this long is hung. */
  hangMs: number;
  /** Where crashing inputs are saved (none when undefined). */
  outDir?: string | undefined;
  onProgress?: (done: number) => void;
}

export interface Failure {
  index: number;
  cls: MutationClass | string;
  seed: string;
  format?: string | undefined;
  why: string;
  saved?: string;
}

export interface FuzzReport {
  seed: number;
  runs: number;
  elapsedMs: number;
  cpuMs: number;
  inputsPerSecond: number;
  perClass: Record<string, { inputs: number; ok: number; badInput: number; placed: number; failures: number }>;
  perFormat: Record<string, number>;
  slowestMs: number;
  failures: Failure[];
}

interface Row {
  i: number;
  cls: MutationClass;
  seed: string;
  format?: string;
  size: number;
  outcome: Outcome;
  ms: number;
}

export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const perClass: FuzzReport['perClass'] = Object.fromEntries(CLASSES.map((c) => [c, { inputs: 0, ok: 0, badInput: 0, placed: 0, failures: 0 }]));
  const perFormat: Record<string, number> = {};
  const failures: Failure[] = [];
  let done = 0;
  let cpuMs = 0;
  let slowestMs = 0;

  const fail = (index: number, why: string, cls?: string, seedPath?: string, format?: string) => {
    const input = inputAt(options.seed, index);
    const failure: Failure = { index, cls: cls ?? input.cls, seed: seedPath ?? input.seed, format: format ?? input.format, why };
    if (options.outDir) failure.saved = save(options.outDir, input, failure);
    failures.push(failure);
    perClass[failure.cls]!.failures++;
  };

  const record = (row: Row) => {
    done++;
    options.onProgress?.(done);
    slowestMs = Math.max(slowestMs, row.ms);
    const c = perClass[row.cls]!;
    c.inputs++;
    perFormat[row.format ?? 'detected'] = (perFormat[row.format ?? 'detected'] ?? 0) + 1;
    if (row.outcome.kind === 'ok') c.ok++;
    else if (row.outcome.kind === 'bad-input') {
      c.badInput++;
      if (row.outcome.placed) c.placed++;
    } else fail(row.i, row.outcome.why, row.cls, row.seed, row.format);
  };

  /** Runs [from, to) in workers, one after another as hangs or fatal errors cut a worker short. */
  const lane = async (from: number, to: number) => {
    let next = from;
    while (next < to) {
      const result = await worker(options, next, to, record);
      cpuMs += result.cpuMs;
      if (result.stoppedAt === undefined) break;
      // The input the worker was on when it hung or died.
      done++;
      perClass[inputAt(options.seed, result.stoppedAt).cls]!.inputs++;
      fail(result.stoppedAt, result.why);
      next = result.stoppedAt + 1;
    }
  };

  const jobs = Math.max(1, Math.min(options.jobs, options.runs));
  const per = Math.ceil(options.runs / jobs);
  await Promise.all(Array.from({ length: jobs }, (_, j) => lane(j * per, Math.min(options.runs, (j + 1) * per))));
  const elapsedMs = performance.now() - started;
  return { seed: options.seed, runs: done, elapsedMs: Math.round(elapsedMs), cpuMs, inputsPerSecond: Math.round((done / elapsedMs) * 10_000) / 10, perClass, perFormat, slowestMs, failures };
}

/** One worker process over [from, to): resolves when it finishes, or with the index it hung or died on. */
function worker(options: FuzzOptions, from: number, to: number, record: (row: Row) => void): Promise<{ cpuMs: number; stoppedAt?: number; why: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'child.ts'), String(options.seed), String(from), String(to), String(options.fullEvery)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let at = from;
    let cpuMs = 0;
    let hung = false;
    let stderr = '';
    let heard = performance.now();
    // When this process was busy (saving a large input), the worker's lines may be waiting in the pipe while the
    // timer fires: they are read first (setImmediate runs after pending I/O), and only a worker truly silent is hung.
    const onHang = () =>
      setImmediate(() => {
        const silent = performance.now() - heard;
        if (silent < options.hangMs) {
          timer = setTimeout(onHang, options.hangMs - silent);
          return;
        }
        hung = true;
        child.kill('SIGKILL');
      });
    let timer = setTimeout(onHang, options.hangMs);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line.startsWith('R ')) {
        heard = performance.now();
        const row = JSON.parse(line.slice(2)) as Row;
        at = row.i + 1;
        record(row);
      } else if (line.startsWith('D ')) cpuMs = (JSON.parse(line.slice(2)) as { cpuMs: number }).cpuMs;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (at >= to && code === 0) return resolve({ cpuMs, why: '' });
      const why = hung ? `hang: no answer within ${options.hangMs} ms` : `the worker died (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-8).join(' | ')}`;
      resolve({ cpuMs, stoppedAt: at, why });
    });
  });
}

function save(dir: string, input: ReturnType<typeof inputAt>, failure: Failure): string {
  mkdirSync(dir, { recursive: true });
  const id = `${failure.cls}-${createHash('sha256').update(input.bytes).digest('hex').slice(0, 12)}`;
  writeFileSync(join(dir, `${id}.bin`), input.bytes);
  writeFileSync(join(dir, `${id}.json`), `${JSON.stringify({ name: input.name, format: input.format, cls: failure.cls, seed: failure.seed, why: failure.why.split('\n')[0] }, null, 2)}\n`);
  return id;
}
