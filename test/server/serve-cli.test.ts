import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, FIXTURES, ROOT, tempCase } from '../helpers.js';

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
});
