import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, FIXTURES, ROOT, tempCase } from '../helpers.js';
import { buildCli } from './build-cli.js';

describe('blastmap serve', () => {
  it('prints one line with the tokened URL, serves the case, and stops cleanly on SIGTERM', async () => {
    const casePath = tempCase();
    expect((await cli('import', join(FIXTURES, 'bloodhound/opengraph-ui-test-payload.json'), '--case', casePath)).code).toBe(0);

    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/bin.ts'), 'serve', '--case', casePath, '--no-open'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      const line = await new Promise<string>((done, fail) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('\n')) done(out);
        });
        child.on('exit', () => fail(new Error(`serve exited early: ${err}`)));
      });
      const m = /^Blastmap is serving (.+) at http:\/\/127\.0\.0\.1:(\d+)\/#token=([0-9a-f]{64})\n$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(m![1]).toBe(casePath);
      const [port, token] = [m![2], m![3]];

      const ok = await fetch(`http://127.0.0.1:${port}/api/caseInfo`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Blastmap-Token': token! }, body: '{}' });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { sources: { fileName: string }[] }).sources[0]!.fileName).toBe('opengraph-ui-test-payload.json');
      const refused = await fetch(`http://127.0.0.1:${port}/api/caseInfo`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      expect(refused.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(1);
  });

  it('the built server survives uploads imported by its worker thread, refused and accepted, and stops cleanly', async () => {
    // The upload's file descriptor was closed twice; by the second close the number belonged to the import worker's
    // event loop, and libuv aborted the whole server (exit 134) once the import had answered.
    const built = await buildCli();
    const casePath = tempCase();
    expect((await cli('import', join(FIXTURES, 'bloodhound/opengraph-story.json'), '--case', casePath)).code).toBe(0);
    const child = spawn(process.execPath, [built.cli, 'serve', '--case', casePath, '--port', '0', '--no-open'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      await new Promise<void>((done, fail) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('\n')) done();
        });
        child.on('exit', () => fail(new Error(`serve exited early: ${err}`)));
      });
      const [, port, token] = /http:\/\/127\.0\.0\.1:(\d+)\/#token=([0-9a-f]{64})/.exec(out)!;
      const call = (method: string, arg: unknown) => fetch(`http://127.0.0.1:${port}/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Blastmap-Token': token! }, body: JSON.stringify(arg) });
      const bad = Buffer.from(JSON.stringify({ graph: { nodes: [{ id: 'n1', kinds: [], properties: {} }], edges: [] } }));
      const good = readFileSync(join(FIXTURES, 'bloodhound/opengraph-minimal.json'));
      for (const [name, bytes, status] of [['broken.json', bad, 400], ['minimal.json', good, 200], ['minimal-again.json', good, 200]] as const) {
        const r = await call('importFiles', { files: [{ name, contentBase64: bytes.toString('base64') }] });
        expect(r.status, `${name}: ${await r.clone().text()}`).toBe(status);
        // Give a dying worker's loop the time to take the server down with it.
        await new Promise((wait) => setTimeout(wait, 300));
        const info = await call('caseInfo', {});
        expect(info.status, err).toBe(200);
      }
      const info = (await (await call('caseInfo', {})).json()) as { sources: { fileName: string }[] };
      expect(info.sources.map((x) => x.fileName).sort()).toEqual(['minimal-again.json', 'opengraph-story.json']);
    } finally {
      child.kill('SIGTERM');
      built.dispose();
    }
    expect(await exited, err).toBe(0);
  }, 120_000);
});
