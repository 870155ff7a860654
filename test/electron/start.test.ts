import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { ROOT, tempDir } from '../helpers.js';

/**
 * Runs `npm start`'s script with no Electron binary (the electron package pointed at an empty directory, so this
 * holds whether or not one is installed) until browser mode prints its URL, then stops it as Ctrl-C would.
 */
async function startWithoutElectron(env: Record<string, string>, args: string[] = ['--no-open']): Promise<{ out: string; err: string; code: number | null; page: number }> {
  const child = spawn(process.execPath, [join(ROOT, 'electron', 'scripts', 'start.mjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: tempDir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}\n${err}`)), 110_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/)#token=/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`start exited with ${code}: ${err}`)));
  });
  // The product answers there: the explorer's page.
  const page = (await fetch(url)).status;
  const code = await new Promise<number | null>((done) => {
    child.once('exit', (c) => done(c));
    child.kill('SIGTERM');
  });
  return { out, err, code, page };
}

describe('npm start without the Electron binary', () => {
  it('says so in one line and serves the last case the app opened in browser mode', async () => {
    const userData = tempDir();
    const casePath = join(tempDir(), 'last.blastmap');
    openEngine(casePath, { create: true }).close();
    writeFileSync(join(userData, 'recent.json'), JSON.stringify([casePath]));
    const r = await startWithoutElectron({ BLASTMAP_USER_DATA: userData });
    const lines = r.err.split('\n').filter((l) => /Electron/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Electron binary is not installed .*node node_modules\/electron\/install\.js.*opening browser mode instead/);
    expect(r.out).toContain(`Blastmap is serving ${casePath} at http://127.0.0.1:`);
    expect(r.page).toBe(200);
    expect(r.err).not.toMatch(/^\s+at /m);
  }, 120_000);

  it('without a recent case builds the demo case where the app keeps it, and serves that', async () => {
    const userData = tempDir();
    const r = await startWithoutElectron({ BLASTMAP_USER_DATA: userData });
    const demo = join(userData, 'demo.blastmap');
    expect(existsSync(demo)).toBe(true);
    expect(r.out).toContain(`Blastmap is serving ${demo} at`);
  }, 120_000);

  it('opens the case given with --case', async () => {
    const casePath = join(tempDir(), 'given.blastmap');
    openEngine(casePath, { create: true }).close();
    const r = await startWithoutElectron({ BLASTMAP_USER_DATA: tempDir() }, ['--case', casePath, '--no-open']);
    expect(r.out).toContain(`Blastmap is serving ${casePath} at`);
  }, 120_000);
});
