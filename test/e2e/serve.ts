// `blastmap serve` for the e2e suite: the global setup's servers, and a spec's own (an empty case, a real export).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from '@playwright/test';

const ROOT = join(import.meta.dirname, '..', '..');

/** Starts `blastmap serve` on a free port and waits for the URL it prints. */
export async function serve(casePath: string): Promise<{ server: ChildProcess; url: string }> {
  const server = spawn(process.execPath, ['dist/blastmap.js', 'serve', '--case', casePath, '--port', '0', '--no-open'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`blastmap serve printed no URL within 20 s: ${out}`)), 20_000);
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    server.on('exit', (code) => reject(new Error(`blastmap serve exited with ${code}: ${out}`)));
  });
  return { server, url };
}

/**
 * A spec's own case: `blastmap import` of these files (with `args`) into a temporary folder, served for the spec's
 * tests (registered as beforeAll/afterAll hooks). Returns the URL's getter. The folder is made in beforeAll: at the
 * top level every process that loads the spec (the runner lists it too) would make one.
 */
export function servedImport(name: string, files: () => string[], args: string[] = []): () => string {
  let server: ChildProcess | undefined;
  let url = '';
  let dir = '';
  test.beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `blastmap-e2e-${name}-`));
    const casePath = join(dir, `${name}.blastmap`);
    const r = spawnSync(process.execPath, ['dist/blastmap.js', 'import', '--case', casePath, ...args, ...files()], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    ({ server, url } = await serve(casePath));
  });
  test.afterAll(async () => {
    server?.kill('SIGTERM');
    if (server) await new Promise((done) => server!.once('exit', done));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => url;
}
