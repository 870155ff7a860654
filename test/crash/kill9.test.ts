// Crash safety: the built CLI importing a large file, and `serve` importing an upload, killed with SIGKILL at random
// moments (while parsing and writing, as the transaction commits, while the WAL is checkpointed at close). After each
// kill the case must open, pass PRAGMA integrity_check, and hold exactly what it held before the import, or all of it.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticOpenGraph } from '../bench/synthetic.js';
import { cli, FIXTURES, ROOT } from '../helpers.js';
import { buildCli } from '../server/build-cli.js';
import { caseState } from './case-state.js';

const PHASES = join(ROOT, 'test', 'crash', 'phases.mjs');
const STORY = join(FIXTURES, 'bloodhound', 'opengraph-story.json');

type Moment = 'anytime' | 'commit' | 'checkpoint';
type ServeMoment = Moment | 'upload' | 'begin';
interface Kill {
  moment: ServeMoment;
  /** The last phase the process announced before it died. */
  phase: string;
  outcome: 'unchanged' | 'committed';
}

let built: Awaited<ReturnType<typeof buildCli>>;
let dir: string;
let baseline: string;
let bigFile: string;
let before: ReturnType<typeof caseState>;
let after: ReturnType<typeof caseState>;
let importMs: number;

beforeAll(async () => {
  built = await buildCli();
  dir = mkdtempSync(join(tmpdir(), 'blastmap-kill9-'));
  bigFile = join(dir, 'estate-opengraph.json');
  writeFileSync(bigFile, JSON.stringify({ graph: syntheticOpenGraph(12_000, 50_000) }));
  baseline = join(dir, 'baseline.blastmap');
  expect((await cli('import', STORY, '--case', baseline)).code).toBe(0);
  before = caseState(baseline);
  // The reference: the same import, uninterrupted.
  const reference = join(dir, 'reference.blastmap');
  copyFileSync(baseline, reference);
  const started = performance.now();
  const run = await runCli(['import', bigFile, '--case', reference]);
  importMs = performance.now() - started;
  expect(run.code, run.stderr).toBe(0);
  after = caseState(reference);
  expect(after.sources).toBe(before.sources + 1);
}, 300_000);
afterAll(() => {
  built?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function runCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', PHASES, built.cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

/** Spawns `args` and kills it with SIGKILL at the moment asked; resolves with the last phase it announced, or null if it finished first. */
function killAt(args: string[], moment: Moment, delayMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', PHASES, built.cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let phase = 'start';
    let exited = false;
    let killed = false;
    const kill = () => {
      if (exited || killed) return;
      killed = true;
      child.kill('SIGKILL');
    };
    child.stderr!.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/PHASE (\w+)/g)) {
        phase = m[1]!;
        if (moment === phase) setTimeout(kill, delayMs);
      }
    });
    if (moment === 'anytime') setTimeout(kill, delayMs);
    child.on('exit', (_code, signal) => {
      exited = true;
      resolve(signal === 'SIGKILL' ? phase : null);
    });
  });
}

/** The case after a kill: it opens (as Blastmap opens it), its integrity holds, and it is as before or as after. */
async function check(path: string, imported = after): Promise<'unchanged' | 'committed'> {
  const opened = await cli('search', 'ci', '--case', path, '--json');
  expect(opened.code, opened.err).toBe(0);
  const state = caseState(path);
  expect(state.integrity).toBe('ok');
  if (state.hash === before.hash) return 'unchanged';
  expect(state, 'neither the case before the import nor the case after it').toEqual(imported);
  return 'committed';
}

describe('kill -9 of the CLI during a large import', () => {
  it('leaves the case as it was or fully imported, every time (22 kills: while importing, at commit, at the checkpoint)', async () => {
    const kills: Kill[] = [];
    const schedule: [Moment, number][] = [
      ...Array.from({ length: 12 }, (_, i): [Moment, number] => ['anytime', Math.round(((i + 0.5) / 12) * importMs * (0.7 + Math.random() * 0.5))]),
      ...Array.from({ length: 5 }, (_, i): [Moment, number] => ['commit', i * 3]),
      ...Array.from({ length: 5 }, (_, i): [Moment, number] => ['checkpoint', i * 2]),
    ];
    let attempt = 0;
    for (const [moment, delay] of schedule) {
      // A kill that comes after the process finished is no kill: try that moment again, a little earlier.
      for (let d = delay; ; d = Math.floor(d * 0.6)) {
        const path = join(dir, `killed-${attempt++}.blastmap`);
        copyFileSync(baseline, path);
        const phase = await killAt(['import', bigFile, '--case', path], moment, d);
        if (phase === null) {
          expect(d, `${moment}: the import always finished before the kill`).toBeGreaterThan(0);
          continue;
        }
        kills.push({ moment, phase, outcome: await check(path) });
        for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
        break;
      }
    }
    expect(kills.length).toBeGreaterThanOrEqual(20);
    // The kills reached the moments they aimed at.
    expect(kills.filter((k) => k.phase === 'commit').length).toBeGreaterThanOrEqual(3);
    expect(kills.filter((k) => k.phase === 'checkpoint').length).toBeGreaterThanOrEqual(3);
    process.stdout.write(`kill -9 of the CLI: ${kills.length} kills, ${summary(kills)}\n`);
  }, 900_000);
});

describe('kill -9 of `serve` during an upload', () => {
  it('leaves the case as it was or fully imported, and the next server sweeps the upload it left', async () => {
    const content = readFileSync(bigFile).toString('base64');
    const body = Buffer.from(`{"files": [{"name": "estate-opengraph.json", "contentBase64": "${content}"}]}`);
    const kills: Kill[] = [];
    // While the body arrives (after its first MiB, halfway), at random times after, while writing, at commit, at the
    // checkpoint when the import worker closes its connection.
    const moments: [ServeMoment, number][] = [['upload', 0], ['upload', 1], ['anytime', 0.4], ['anytime', 0.8], ['anytime', 1.2], ['begin', 100], ['commit', 0], ['commit', 4], ['checkpoint', 0], ['checkpoint', 2]];
    // The reference: the same upload, uninterrupted (an upload is labelled by its name, not by a path).
    const reference = join(dir, 'served-reference.blastmap');
    copyFileSync(baseline, reference);
    const ref = await serveAndUpload(reference, body, 'upload', Number.POSITIVE_INFINITY, false);
    expect(ref.killedAt).toBeUndefined();
    const imported = caseState(reference);
    expect(imported.sources).toBe(before.sources + 1);
    for (const [i, [moment, at]] of moments.entries()) {
      const path = join(dir, `served-${i}.blastmap`);
      copyFileSync(baseline, path);
      const round = await serveAndUpload(path, body, moment, at, true);
      kills.push({ moment, phase: round.killedAt ?? round.phase, outcome: await check(path, imported) });
    }
    expect(kills.length).toBe(moments.length);
    expect(kills.filter((k) => k.phase === 'upload').length).toBeGreaterThanOrEqual(2);
    // The next server sweeps upload files left by killed ones.
    const path = join(dir, 'sweeper.blastmap');
    copyFileSync(baseline, path);
    const sweeper = spawn(process.execPath, [built.cli, 'serve', '--case', path, '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise<void>((resolve) => sweeper.stdout!.once('data', () => resolve()));
    const left = readdirSync(tmpdir()).filter((n) => /^blastmap-upload-\d+-/.test(n) && !alive(Number(/^blastmap-upload-(\d+)-/.exec(n)![1])));
    sweeper.kill('SIGTERM');
    expect(left).toEqual([]);
    process.stdout.write(`kill -9 of serve: ${kills.length} kills, ${summary(kills)}\n`);
  }, 900_000);
});

/** Starts `serve` on a case, uploads the body, and kills the server at the moment asked (or stops it when `kill` is false). */
async function serveAndUpload(path: string, body: Buffer, moment: ServeMoment, at: number, killIt: boolean): Promise<{ killedAt?: string; phase: string }> {
  const server = spawn(process.execPath, ['--import', PHASES, built.cli, 'serve', '--case', path, '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let phase = 'start';
  let uploading = false;
  let killedAt: string | undefined;
  const kill = () => {
    if (killIt && killedAt === undefined && server.exitCode === null) {
      killedAt = phase;
      server.kill('SIGKILL');
    }
  };
  server.stderr!.on('data', (d: Buffer) => {
    for (const m of d.toString().matchAll(/PHASE (\w+)/g)) {
      phase = m[1]!;
      if (uploading && moment === phase) setTimeout(kill, at);
    }
  });
  const url = await new Promise<URL>((resolve) => {
    let out = '';
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/.exec(out);
      if (m) resolve(new URL(m[1]!));
    });
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  uploading = true;
  phase = 'upload';
  if (moment === 'anytime') setTimeout(kill, at * importMs);
  await upload(url, body, moment === 'upload' ? kill : undefined, at).catch(() => undefined);
  // A kill aimed at a moment the server got past (it finished) still ends this round; without a kill, a clean stop.
  if (killIt) kill();
  else server.kill('SIGTERM');
  await exited;
  return { ...(killedAt !== undefined ? { killedAt } : {}), phase };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Uploads the body in pieces; `midway` runs when the first (at 0) or half (at 1) of it has gone. */
function upload(url: URL, body: Buffer, midway: (() => void) | undefined, at: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: url.port, method: 'POST', path: '/api/importFiles', agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': body.length, 'X-Blastmap-Token': url.hash.slice('#token='.length) } }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    const piece = 1024 * 1024;
    let sent = 0;
    const next = () => {
      while (sent < body.length) {
        const chunk = body.subarray(sent, sent + piece);
        sent += chunk.length;
        if (midway && ((at === 0 && sent >= piece) || (at === 1 && sent >= body.length / 2))) {
          const fire = midway;
          midway = undefined;
          setTimeout(fire, 20);
        }
        if (!req.write(chunk)) return void req.once('drain', next);
      }
      req.end();
    };
    next();
  });
}

function summary(kills: Kill[]): string {
  const by = new Map<string, number>();
  for (const k of kills) by.set(`${k.phase}→${k.outcome}`, (by.get(`${k.phase}→${k.outcome}`) ?? 0) + 1);
  return [...by].map(([k, n]) => `${n}× ${k}`).join(', ');
}
