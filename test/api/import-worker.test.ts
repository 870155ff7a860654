import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { nodeBundle } from '../../esbuild.config.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importInWorker, openEngine } from '../../src/api/engine.js';
import type { ImportProgress } from '../../src/api/import.js';
import type { ImportJob, WorkerMessage } from '../../src/api/import-worker.js';
import { FIXTURES, ROOT, tempCase } from '../helpers.js';

// The import worker as `blastmap serve` and Electron run it: bundled with esbuild.config.mjs's own options, inside the
// repository so that its dependencies resolve from node_modules.
describe('imports in a worker thread', () => {
  let dir: string;
  let worker: URL;
  beforeAll(async () => {
    mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
    dir = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'import-worker-'));
    const out = join(dir, 'import-worker.js');
    await build({ ...nodeBundle, entryPoints: [join(ROOT, 'src', 'api', 'import-worker.ts')], outfile: out, target: 'node20', sourcemap: false, logLevel: 'error' });
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    worker = pathToFileURL(out);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const files = [join(FIXTURES, 'kubernetes', 'kind-cluster-kube-system-roles-list.json'), join(FIXTURES, 'kubernetes', 'kind-cluster-kube-system-rolebindings-list.json')];

  it('speaks its protocol: progress messages, then the result, from its own thread', async () => {
    const path = tempCase();
    openEngine(path, { create: true }).close();
    const messages: WorkerMessage[] = [];
    const w = new Worker(worker, { workerData: { path, request: { files: [{ path: files[0]! }], options: { cluster: 'kind' } }, now: '2026-11-23T00:00:00Z' } satisfies ImportJob });
    await new Promise<void>((done, fail) => {
      w.on('message', (m: WorkerMessage) => messages.push(m));
      w.on('error', fail);
      w.on('exit', () => done());
    });
    expect(messages.filter((m) => m.type === 'progress').length).toBeGreaterThan(0);
    const last = messages.at(-1)!;
    expect(last.type).toBe('done');
    if (last.type === 'done') expect(last.result.counts.nodes).toBeGreaterThan(0);
  });

  it('lands the same case as an import on the calling thread, reporting progress, and the engine reads it at once', async () => {
    const here = openEngine(tempCase(), { create: true });
    const there = openEngine(tempCase(), { create: true, importWorker: worker });
    try {
      const expected = await here.importFiles({ files: files.map((path) => ({ path })), options: { cluster: 'kind' } });
      const phases: ImportProgress['phase'][] = [];
      const got = await there.importWithHooks({ files: files.map((path) => ({ path })), options: { cluster: 'kind' } }, { onProgress: (p) => phases.push(p.phase) });
      expect(got.counts).toEqual(expected.counts);
      expect(got.sources.map((s) => s.format)).toEqual(expected.sources.map((s) => s.format));
      expect(phases).toContain('deriving');
      // The engine's own connection sees what the worker committed.
      expect((await there.caseInfo({})).counts).toEqual(expected.counts);
      expect((await there.search({ text: 'cluster-admin' })).length).toBeGreaterThan(0);
    } finally {
      here.close();
      there.close();
    }
  });

  it('passes a bad file\'s error through with its place, and changes nothing', async () => {
    const bad = join(dir, 'broken.json');
    writeFileSync(bad, '{"kind": "List", "items": [ {"kind": "Role", ');
    const engine = openEngine(tempCase(), { create: true, importWorker: worker });
    try {
      await expect(engine.importFiles({ files: [{ path: bad }] })).rejects.toMatchObject({ code: 'bad-input', file: 'broken.json' });
      expect((await engine.caseInfo({})).counts.nodes).toBe(0);
    } finally {
      engine.close();
    }
  });

  it('cancels: the worker stops and the case is unchanged', async () => {
    const engine = openEngine(tempCase(), { create: true, importWorker: worker });
    try {
      const controller = new AbortController();
      const run = engine.importWithHooks({ files: files.map((path) => ({ path })), options: { cluster: 'kind' } }, { signal: controller.signal, onProgress: () => controller.abort() });
      await expect(run).rejects.toMatchObject({ code: 'cancelled' });
      expect((await engine.caseInfo({})).counts.nodes).toBe(0);
    } finally {
      engine.close();
    }
  });

  it('falls back to the calling thread when the worker cannot start', async () => {
    const engine = openEngine(tempCase(), { create: true, importWorker: pathToFileURL(join(dir, 'missing.js')) });
    try {
      const r = await engine.importFiles({ files: [{ path: files[0]! }], options: { cluster: 'kind' } });
      expect(r.counts.nodes).toBeGreaterThan(0);
    } finally {
      engine.close();
    }
  });

  it('stops a cancelled worker that does not answer in time: cancelled, and the case unchanged', async () => {
    const path = tempCase();
    openEngine(path, { create: true }).close();
    const controller = new AbortController();
    const job: ImportJob = { path, request: { files: files.map((f) => ({ path: f })), options: { cluster: 'kind' } }, now: '2026-11-23T00:00:00Z' };
    // No grace at all: the worker is stopped the moment the cancel is asked, wherever it is.
    const run = importInWorker(worker, job, { signal: controller.signal, onProgress: () => controller.abort() }, () => Promise.reject(new Error('must not run in place')), 0);
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    const engine = openEngine(path);
    try {
      expect((await engine.caseInfo({})).counts.nodes).toBe(0);
      // The case is not left locked or broken: an import after it lands.
      expect((await engine.importFiles({ files: [{ path: files[0]! }], options: { cluster: 'kind' } })).counts.nodes).toBeGreaterThan(0);
    } finally {
      engine.close();
    }
  });
});
