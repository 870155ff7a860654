// Two processes on one case: readers answer from the last commit while another process writes, without waiting for
// it; analysis never needs the write lock; a second writer waits with progress and then fails with a `case` error
// that says why; a full disk or a file-size limit is a `case` error naming the file, and the case stays as it was.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, FIXTURES, ROOT, tempDir } from '../helpers.js';

const STORY = join(FIXTURES, 'bloodhound', 'opengraph-story.json');
const holders: ChildProcess[] = [];
afterEach(() => {
  for (const h of holders.splice(0)) h.kill('SIGKILL');
  delete process.env['BLASTMAP_BUSY_TIMEOUT_MS'];
});

/** Another process holding the write lock (with an uncommitted mark on `nodeId`) for `ms`. */
async function holdWrite(casePath: string, nodeId: string, ms: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'test', 'store', 'hold-write.mjs'), casePath, nodeId, String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
  holders.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('holding') && resolve());
    child.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
  return child;
}

const released = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/** The case's rows, table by table, as one hash (what "unchanged" means). */
function contentHash(casePath: string): string {
  const db = new Database(casePath, { readonly: true });
  try {
    const hash = createHash('sha256');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    for (const t of tables) hash.update(`${t}\n${JSON.stringify(db.prepare(`SELECT * FROM "${t}" ORDER BY 1`).raw().all(), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : Buffer.isBuffer(v) ? createHash('sha256').update(v).digest('hex') : v))}\n`);
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

function snapshotSaved(casePath: string): boolean {
  const db = new Database(casePath, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) FROM graph_snapshot').pluck().get() as number) > 0;
  } finally {
    db.close();
  }
}

async function storyCase(): Promise<{ casePath: string; keyId: string }> {
  const casePath = join(tempDir(), 'case.blastmap');
  expect((await cli('import', STORY, '--case', casePath)).code).toBe(0);
  const hits = JSON.parse((await cli('search', 'AKIA', '--case', casePath, '--json')).out) as { node: { id: string; kind: string } }[];
  return { casePath, keyId: hits[0]!.node.id };
}

describe('two processes on one case', () => {
  it('readers answer from the last commit while another process writes, without waiting for it; analysis rebuilds its index in memory', async () => {
    const { casePath, keyId } = await storyCase();
    expect(snapshotSaved(casePath)).toBe(false);
    const holder = await holdWrite(casePath, keyId, 15_000);
    for (const args of [['search', 'ci'], ['node', keyId], ['findings'], ['blast-radius', keyId], ['paths', keyId, '--to', 'admin']]) {
      const { ms, value } = await timed(() => cli(...args, '--case', casePath, '--json'));
      expect(value.code, `${args[0]}: ${value.err}`).toBe(0);
      // Before: every command stalled 5 s at close (a checkpoint waiting for the writer), blast radius 14 s then failed.
      expect(ms, args[0]).toBeLessThan(2_500);
    }
    const node = JSON.parse((await cli('node', keyId, '--case', casePath, '--json')).out) as { marks: { note: string }[] };
    expect(node.marks.map((m) => m.note)).not.toContain('written by another process');
    // The index was built but not saved: saving needs the write lock, and a query never waits for it.
    expect(snapshotSaved(casePath)).toBe(false);
    holder.kill('SIGTERM');
    await released(holder);
    expect((await cli('blast-radius', keyId, '--case', casePath, '--json')).code).toBe(0);
    expect(snapshotSaved(casePath)).toBe(true);
  }, 90_000);

  it('a second writer (import, mark) waits with progress, then fails with a case error saying the case is being written', async () => {
    const { casePath, keyId } = await storyCase();
    const before = contentHash(casePath);
    await holdWrite(casePath, keyId, 20_000);
    process.env['BLASTMAP_BUSY_TIMEOUT_MS'] = '1500';
    for (const args of [['import', join(FIXTURES, 'bloodhound', 'opengraph-minimal.json')], ['mark', keyId, '--as', 'high-value']]) {
      const { ms, value } = await timed(() => cli(...args, '--case', casePath, '--json'));
      expect(value.code, args[0]).toBe(1);
      const error = (JSON.parse(value.out) as { error: { code: string; message: string } }).error;
      expect(error.code, args[0]).toBe('case');
      expect(error.message, args[0]).toMatch(new RegExp(`^${casePath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: the case is being written by another process .*; waited [12] s\\. Try again when it has finished\\.$`));
      expect(value.err, args[0]).toContain('another process is writing the case; waiting for it to finish');
      expect(value.err, args[0]).not.toMatch(/database is locked|internal/);
      expect(ms, args[0]).toBeGreaterThanOrEqual(1_400);
      expect(ms, args[0]).toBeLessThan(5_000);
    }
    expect(contentHash(casePath)).toBe(before);
  }, 90_000);

  it('a writer that waits less than the timeout goes through once the other process has committed', async () => {
    const { casePath, keyId } = await storyCase();
    const holder = await holdWrite(casePath, keyId, 1_500);
    const { ms, value } = await timed(() => cli('mark', keyId, '--as', 'high-value', '--case', casePath));
    expect(value.code, value.err).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(1_000);
    await released(holder);
    const node = JSON.parse((await cli('node', keyId, '--case', casePath, '--json')).out) as { marks: { mark: string; note: string }[] };
    expect(node.marks.map((m) => m.mark).sort()).toEqual(['compromised', 'high-value']);
    expect(node.marks.map((m) => m.note)).toContain('written by another process');
  }, 60_000);
});

describe('a case that cannot be written', () => {
  const big = () => {
    const dir = tempDir();
    const file = join(dir, 'big-opengraph.json');
    const nodes = Array.from({ length: 3000 }, (_, i) => ({ id: `n${i}`, kinds: ['User'], properties: { name: `user ${i}`, description: 'x'.repeat(200) } }));
    const edges = nodes.slice(1).map((n, i) => ({ kind: 'MemberOf', start: { value: n.id }, end: { value: `n${i}` } }));
    writeFileSync(file, JSON.stringify({ graph: { nodes, edges } }));
    return file;
  };

  function cliChild(args: string[], prefix = '', env: Record<string, string> = {}) {
    const cmd = `${prefix}exec "${process.execPath}" ${env['PRELOAD'] ? `--import "${env['PRELOAD']}" ` : ''}--import tsx "${join(ROOT, 'src', 'cli', 'bin.ts')}" ${args.map((a) => `"${a}"`).join(' ')}`;
    const r = spawnSync('bash', ['-c', cmd], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  }

  it('a file-size limit (ulimit -f) is a case error naming the case file, and the case stays as it was', async () => {
    const { casePath } = await storyCase();
    const before = contentHash(casePath);
    const r = cliChild(['import', big(), '--case', casePath, '--json'], 'ulimit -f 400; ');
    expect(r.code).toBe(1);
    const error = (JSON.parse(r.out) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('case');
    expect(error.message).toBe(`${casePath}: the case file could not be written or read (an I/O error: a full disk, a file-size limit such as ulimit -f, or a failing disk); nothing was changed`);
    expect(contentHash(casePath)).toBe(before);
  }, 120_000);

  it('a full disk (SQLite reports SQLITE_FULL) is a case error naming the case file, and the case stays as it was', async () => {
    const { casePath } = await storyCase();
    const before = contentHash(casePath);
    const pages = new Database(casePath, { readonly: true }).pragma('page_count', { simple: true }) as number;
    const r = cliChild(['import', big(), '--case', casePath, '--json'], '', { PRELOAD: join(ROOT, 'test', 'store', 'max-pages.mjs'), BLASTMAP_TEST_MAX_PAGES: String(pages + 20) });
    expect(r.code, r.err).toBe(1);
    const error = (JSON.parse(r.out) as { error: { code: string; message: string } }).error;
    expect(error).toEqual({ code: 'case', message: `${casePath}: the disk is full (or the case reached its size limit): the case could not be written; nothing was changed` });
    expect(contentHash(casePath)).toBe(before);
  }, 120_000);
});
