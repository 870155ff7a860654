// blastmap pack / unpack through the CLI, and serve on an encrypted case: the passphrase from a file or the
// variable (never the command line), exit codes per the CLI contract, and the decrypted copy wiped when serve stops.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { cli, FIXTURES, ROOT } from '../helpers.js';

const PASS = 'a long enough passphrase';

describe('pack, unpack and serve an encrypted case', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-cli-pack-'));
  const casePath = join(dir, 'case.blastmap');
  const passFile = join(dir, 'pass.txt');
  beforeAll(async () => {
    expect((await cli('import', join(FIXTURES, 'bloodhound', 'opengraph-ui-test-payload.json'), '--case', casePath)).code).toBe(0);
    writeFileSync(passFile, `${PASS}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('packs with --passphrase-file and unpacks with BLASTMAP_PASSPHRASE', async () => {
    const enc = join(dir, 'a.blastmap.enc');
    const packed = await cli('pack', '--case', casePath, '--out', enc, '--passphrase-file', passFile, '--json');
    expect(packed.code, packed.err).toBe(0);
    expect(JSON.parse(packed.out)).toMatchObject({ file: enc });
    process.env['BLASTMAP_PASSPHRASE'] = PASS;
    try {
      const out = join(dir, 'a.blastmap');
      const r = await cli('unpack', enc, '--out', out);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse((await cli('search', 'svc-backup', '--case', out, '--json')).out)).toHaveLength(1);
    } finally {
      delete process.env['BLASTMAP_PASSPHRASE'];
    }
    const wrong = join(dir, 'wrong.txt');
    writeFileSync(wrong, 'not the right one\n');
    const bad = await cli('unpack', enc, '--out', join(dir, 'b.blastmap'), '--passphrase-file', wrong);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('wrong passphrase');
    expect(existsSync(join(dir, 'b.blastmap'))).toBe(false);
  });

  it('asks on the terminal (twice when packing), and without a terminal or a source exits 2', async () => {
    let asked = 0;
    const io: CliIo = { out: () => undefined, err: () => undefined, errIsTty: true, readSecret: async () => (asked++, PASS) };
    const enc = join(dir, 'prompted.enc');
    expect(await runCli(['pack', '--case', casePath, '--out', enc], io)).toBe(0);
    expect(asked).toBe(2);
    let typed = 0;
    const mismatch: CliIo = { ...io, readSecret: async () => (typed++ === 0 ? PASS : 'something else entirely') };
    expect(await runCli(['pack', '--case', casePath, '--out', join(dir, 'mismatch.enc')], mismatch)).toBe(2);
    expect(existsSync(join(dir, 'mismatch.enc'))).toBe(false);
    const none = await cli('pack', '--case', casePath, '--out', join(dir, 'none.enc'));
    expect(none.code).toBe(2);
    expect(none.err).toContain('--passphrase-file');
  });

  it('serve opens an encrypted case from a private copy, shows the encrypted file, and wipes the copy on stop', async () => {
    const enc = join(dir, 'served.blastmap.enc');
    expect((await cli('pack', '--case', casePath, '--out', enc, '--passphrase-file', passFile)).code).toBe(0);
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/bin.ts'), 'serve', '--case', enc, '--no-open'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp, BLASTMAP_PASSPHRASE: PASS } });
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
      expect(m![1]).toBe(enc);
      expect(readdirSync(tmp).filter((d) => d.startsWith('blastmap-case-'))).toHaveLength(1);
      const info = await fetch(`http://127.0.0.1:${m![2]}/api/caseInfo`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Blastmap-Token': m![3]! }, body: '{}' });
      // The page learns the encrypted file's name (never where it is, nor the decrypted copy).
      expect(((await info.json()) as { path: string }).path).toBe(basename(enc));
      expect(err).toContain('wiped when the server stops');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(readdirSync(tmp).filter((d) => d.startsWith('blastmap-case-'))).toEqual([]);
  });
});
