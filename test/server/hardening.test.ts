// Browser mode facing other processes and hostile clients: it notices changes other processes make to the case,
// streams uploads to disk (memory like the CLI's), cuts off slow bodies, sends its security headers on every
// response, tells the page no absolute path, serves no source maps and compares the token in constant time.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CaseInfo } from '../../src/api/contract.js';
import { openEngine, type Engine } from '../../src/api/engine.js';
import { API_METHODS } from '../../src/api/contract.js';
import { startServer, tokenMatcher, type RunningServer } from '../../src/server/http.js';
import { syntheticOpenGraph } from '../bench/synthetic.js';
import { cli, FIXTURES, ROOT, tempCase, tempDir } from '../helpers.js';
import { buildCli } from './build-cli.js';
import { send, type Reply } from './send.js';

const STORY = join(FIXTURES, 'bloodhound', 'opengraph-story.json');
const MINIMAL = join(FIXTURES, 'bloodhound', 'opengraph-minimal.json');

let server: RunningServer | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await server?.close();
  engine?.close();
  server = undefined;
  engine = undefined;
});

async function serveInProcess(casePath: string, extra: Partial<Parameters<typeof startServer>[0]> = {}) {
  engine = openEngine(casePath, { create: true });
  const e = engine;
  server = await startServer({ api: e, rendererDir: tempDir(), uploads: (r) => e.importWithHooks(r, {}), ...extra });
  const s = server;
  const call = async (method: string, arg: unknown = {}) => {
    const r = await send(s.port, { method: 'POST', path: `/api/${method}`, headers: { 'Content-Type': 'application/json', 'X-Blastmap-Token': s.token }, body: JSON.stringify(arg) });
    return { ...r, json: JSON.parse(r.body) as Record<string, unknown> & { error?: { code: string; message: string } } };
  };
  return { s, call };
}

describe('browser mode notices what other processes change', () => {
  it('after a CLI import and mark while serving, every API method answers from the new state', async () => {
    const casePath = tempCase();
    expect((await cli('import', STORY, '--case', casePath)).code).toBe(0);
    // The same first state in a case of its own, to compare the served case with.
    const earlier = tempCase();
    expect((await cli('import', STORY, '--case', earlier)).code).toBe(0);
    const { call } = await serveInProcess(casePath);
    const key = ((await call('search', { text: 'AKIAEXAMPLELEAKED001' })).json as unknown as { node: { id: string } }[])[0]!.node.id;
    // Warm every cache the engine keeps: the graph index, views, aliases.
    for (const [m, a] of [['blastRadius', { from: key }], ['paths', { from: key, to: 'admin' }], ['node', { id: key }], ['overview', {}], ['findings', {}], ['caseInfo', {}], ['containment', { from: key }]] as const) {
      expect((await call(m, a)).status, m).toBe(200);
    }

    // Another process: an import of a second file, and a mark.
    expect((await cli('import', MINIMAL, '--case', casePath)).code).toBe(0);
    expect((await cli('mark', key, '--as', 'compromised', '--note', 'from the terminal', '--case', casePath)).code).toBe(0);
    const info = (await call('caseInfo')).json as unknown as CaseInfo;
    expect(info.sources.map((s) => s.fileName).sort()).toEqual(['opengraph-minimal.json', 'opengraph-story.json']);
    expect(info.counts.marks).toBeGreaterThanOrEqual(1);
    // BOB, of the second file.
    const newId = 'og:123';

    const answers: Record<string, Awaited<ReturnType<typeof call>>> = {
      caseInfo: await call('caseInfo'),
      formats: await call('formats'),
      importProgress: await call('importProgress'),
      cancelImport: await call('cancelImport'),
      search: await call('search', { text: 'BOB' }),
      resolve: await call('resolve', { ref: newId }),
      node: await call('node', { id: key }),
      neighbors: await call('neighbors', { ids: [newId] }),
      overview: await call('overview', {}),
      blastRadius: await call('blastRadius', { from: newId }),
      paths: await call('paths', { from: newId, to: 'admin' }),
      findings: await call('findings', {}),
      containment: await call('containment', { from: newId }),
      reachers: await call('reachers', { id: newId }),
      inventory: await call('inventory', {}),
      triage: await call('triage', {}),
      exportTable: await call('exportTable', { table: 'nodes', format: 'csv' }),
      report: await call('report', {}),
      takeSnapshot: await call('takeSnapshot', { label: 'after the terminal' }),
      snapshots: await call('snapshots', {}),
      compareSnapshots: await call('compareSnapshots', { before: 'latest' }),
      compareCase: await call('compareCase', { other: { name: 'earlier.blastmap', contentBase64: readFileSync(earlier).toString('base64') }, otherIs: 'before' }),
      planImpact: await call('planImpact', { files: [{ name: 'again.json', contentBase64: readFileSync(MINIMAL).toString('base64') }] }),
      mark: await call('mark', { ids: [newId], mark: 'high-value' }),
      unmark: await call('unmark', { ids: [newId], mark: 'high-value' }),
      importFiles: await call('importFiles', { files: [{ name: 'again.json', contentBase64: readFileSync(MINIMAL).toString('base64') }] }),
      // The explorer's workspace: saved views and containment checks, kept in the case.
      estate: await call('estate', {}),
      saveView: await call('saveView', { name: 'from the browser', state: { v: 1 } }),
      savedViews: await call('savedViews', {}),
      deleteView: await call('deleteView', { name: 'no such view' }),
      setContainmentCheck: await call('setContainmentCheck', { origin: newId, cut: `${newId} CAN_ASSUME x`, checked: true }),
      containmentChecks: await call('containmentChecks', { origin: newId }),
    };
    expect(Object.keys(answers).sort()).toEqual([...API_METHODS].sort());
    for (const [m, r] of Object.entries(answers)) expect(r.status, `${m}: ${r.body}`).toBe(200);
    // Before: "no node with id" for nodes search found, and a summary without the mark its own marks list showed.
    expect((answers['search']!.json as unknown as { node: { id: string } }[]).map((h) => h.node.id)).toContain(newId);
    expect(answers['resolve']!.json).toMatchObject({ status: 'found', node: { id: newId } });
    const node = answers['node']!.json as unknown as { node: { marks: string[] }; marks: { mark: string; note: string }[] };
    expect(node.marks).toEqual([expect.objectContaining({ mark: 'compromised', note: 'from the terminal' })]);
    expect(node.node.marks).toEqual(['compromised']);
    expect((answers['overview']!.json as unknown as { nodes: { id: string }[] }).nodes.map((n) => n.id)).toContain(key);
    expect((answers['blastRadius']!.json as unknown as { origin: { id: string } }).origin.id).toBe(newId);
    // The compromised mark made in the terminal puts the key in triage; the new node is in the tables and the comparison.
    expect((answers['triage']!.json as unknown as { node: { id: string } }[]).map((r) => r.node.id)).toContain(key);
    expect(answers['exportTable']!.body).toContain('BOB');
    expect(answers['compareCase']!.body).toContain(newId);
    expect((answers['snapshots']!.json as unknown as { label?: string }[]).map((x) => x.label)).toContain('after the terminal');
    expect(answers['findings']!.json).toEqual(JSON.parse((await cli('findings', '--case', casePath, '--json')).out));
    expect((answers['savedViews']!.json as unknown as { name: string }[]).map((v) => v.name)).toContain('from the browser');
    expect(answers['containmentChecks']!.json).toEqual([expect.objectContaining({ origin: newId, checked: true })]);
    // The estate counts what the terminal's import added, as a fresh CLI reads it.
    const fresh = JSON.parse((await cli('estate', '--case', casePath, '--json')).out) as { boundaries: unknown; outside: unknown; trust: unknown };
    expect(answers['estate']!.json).toMatchObject({ boundaries: fresh.boundaries, outside: fresh.outside, trust: fresh.trust });
  }, 60_000);
});

describe('uploads', () => {
  it('stream to a private temporary file that is gone after the import', async () => {
    const { call } = await serveInProcess(tempCase());
    const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('blastmap-upload-')));
    const content = Buffer.from(JSON.stringify(JSON.parse(readFileSync(STORY, 'utf8'))));
    // JSON may escape '/' as '\/': still base64.
    const body = `{"options": {}, "files": [{"contentBase64": "${content.toString('base64').replace(/\//g, '\\/')}", "name": "story.json"}]}`;
    const r = await send(server!.port, { method: 'POST', path: '/api/importFiles', headers: { 'Content-Type': 'application/json', 'X-Blastmap-Token': server!.token }, body });
    expect(r.status, r.body).toBe(200);
    expect(JSON.parse(r.body).sources[0]).toMatchObject({ fileName: 'story.json', label: 'upload:story.json', counts: { nodes: 13, edges: 9 } });
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('blastmap-upload-') && !before.has(n))).toEqual([]);
    // Not JSON, or a path instead of contents: refused, nothing left behind.
    expect((await send(server!.port, { method: 'POST', path: '/api/importFiles', headers: { 'Content-Type': 'application/json', 'X-Blastmap-Token': server!.token }, body: '{"files": [{"name": "x", "contentBase64": "QUJD"}' })).status).toBe(400);
    expect((await call('importFiles', { files: [{ path: '/etc/passwd' }] })).status).toBe(400);
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('blastmap-upload-') && !before.has(n))).toEqual([]);
  });

  describe('memory: the server imports an upload in the memory the CLI needs for the same file', () => {
    let built: Awaited<ReturnType<typeof buildCli>>;
    beforeAll(async () => {
      built = await buildCli();
    }, 120_000);
    afterAll(() => built?.dispose());
    const children: ChildProcess[] = [];
    afterEach(() => {
      for (const c of children.splice(0)) c.kill('SIGKILL');
    });

    it('peak RSS of `serve` for an upload is within 1.2× of `import` for the file', async () => {
      const dir = tempDir();
      const file = join(dir, 'estate.json');
      writeFileSync(file, JSON.stringify({ graph: syntheticOpenGraph(40_000, 160_000) }));
      const preload = join(ROOT, 'test', 'server', 'peak-rss.mjs');
      const peak = (stderr: string) => Number(/PEAK_RSS_KB (\d+)/.exec(stderr)?.[1]) / 1024;

      const cliRun = spawnSync(process.execPath, ['--import', preload, built.cli, 'import', file, '--case', join(dir, 'cli.blastmap')], { encoding: 'utf8', timeout: 300_000 });
      expect(cliRun.status, cliRun.stderr).toBe(0);
      const cliMb = peak(cliRun.stderr);

      const child = spawn(process.execPath, ['--import', preload, built.cli, 'serve', '--case', join(dir, 'serve.blastmap'), '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const url = await new Promise<URL>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /at (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/.exec(out);
          if (m) resolve(new URL(m[1]!));
        });
        child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
      });
      const token = url.hash.slice('#token='.length);
      const body = Buffer.concat([Buffer.from('{"files": [{"name": "estate.json", "contentBase64": "'), Buffer.from(readFileSync(file).toString('base64')), Buffer.from('"}]}')]);
      const r = await send(Number(url.port), { method: 'POST', path: '/api/importFiles', headers: { 'Content-Type': 'application/json', 'X-Blastmap-Token': token }, body });
      expect(r.status, r.body.slice(0, 300)).toBe(200);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
      const serveMb = peak(stderr);
      process.stdout.write(`upload peak RSS: serve ${serveMb.toFixed(0)} MB, CLI ${cliMb.toFixed(0)} MB\n`);
      // Before: the body, its text, the parsed JSON and the decoded bytes were all in memory (2.9 GB against 1.6 GB).
      expect(serveMb / cliMb, `serve ${serveMb.toFixed(0)} MB, CLI ${cliMb.toFixed(0)} MB`).toBeLessThanOrEqual(1.2);
    }, 300_000);
  });
});

describe('hostile clients', () => {
  /** Sends headers and part of a body over a raw socket, then falls silent; resolves with what the server answered. */
  function stall(port: number, path: string, token: string): Promise<{ reply: string; ms: number }> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nX-Blastmap-Token: ${token}\r\nContent-Length: 100000\r\n\r\n{"files": [{"name": "a", "contentBase64": "QUJD`);
      });
      let reply = '';
      socket.on('data', (d) => (reply += d.toString()));
      socket.on('close', () => resolve({ reply, ms: performance.now() - started }));
      socket.on('error', reject);
      setTimeout(() => socket.destroy(), 20_000);
    });
  }

  it('a body that stalls is answered 408 and the connection closed, uploads and other calls alike', async () => {
    const { s } = await serveInProcess(tempCase(), { bodyIdleTimeoutMs: 400 });
    for (const path of ['/api/importFiles', '/api/search']) {
      const { reply, ms } = await stall(s.port, path, s.token);
      expect(reply, path).toMatch(/^HTTP\/1\.1 408/);
      expect(reply, path).toContain('the request body stalled');
      expect(ms, path).toBeLessThan(5_000);
    }
  });

  it('sends its security headers on every response, and no-store on every API answer', async () => {
    const rendererDir = tempDir();
    mkdirSync(join(rendererDir, 'assets'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Blastmap</title>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    const { s, call } = await serveInProcess(tempCase(), { rendererDir, maxBodyBytes: 5000 });
    const api = { 'Content-Type': 'application/json', 'X-Blastmap-Token': s.token };
    const replies: [string, Reply, boolean][] = [
      ['static 200', await send(s.port, { path: '/' }), false],
      ['asset 200', await send(s.port, { path: '/assets/app.js' }), false],
      ['static 404', await send(s.port, { path: '/nope.js' }), false],
      ['static 403', await send(s.port, { path: '/a/../../etc/passwd' }), false],
      ['api 200', await call('caseInfo'), true],
      ['api 400', await call('search', { text: 1 }), true],
      ['api 401', await send(s.port, { method: 'POST', path: '/api/caseInfo', headers: { 'Content-Type': 'application/json' }, body: '{}' }), true],
      ['api 403 origin', await send(s.port, { method: 'POST', path: '/api/caseInfo', headers: { ...api, Origin: 'http://evil.example' }, body: '{}' }), true],
      ['api 404', await call('node', { id: 'nope' }), true],
      ['api 413', await call('search', { text: 'x'.repeat(6000) }), true],
    ];
    for (const [what, r, isApi] of replies) {
      expect(r.headers['referrer-policy'], what).toBe('no-referrer');
      expect(r.headers['content-security-policy'], what).toContain("frame-ancestors 'none'");
      expect(r.headers['x-content-type-options'], what).toBe('nosniff');
      expect(r.headers['x-frame-options'], what).toBe('DENY');
      if (isApi) expect(r.headers['cache-control'], what).toBe('no-store');
    }
  });

  it('tells the page file names, never absolute paths', async () => {
    const casePath = tempCase();
    expect((await cli('import', STORY, '--case', casePath)).code).toBe(0);
    const { call } = await serveInProcess(casePath);
    const info = await call('caseInfo');
    expect(info.json).toMatchObject({ path: basename(casePath), sources: [{ label: 'opengraph-story.json', fileName: 'opengraph-story.json' }] });
    expect(info.body).not.toContain(tmpdir());
    expect(info.body).not.toContain(ROOT);
    const uploaded = await call('importFiles', { files: [{ name: 'm.json', contentBase64: readFileSync(MINIMAL).toString('base64') }] });
    expect(uploaded.body).not.toContain(tmpdir());
  });

  it('serves no source maps', async () => {
    const rendererDir = tempDir();
    mkdirSync(join(rendererDir, 'assets'));
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)\n//# sourceMappingURL=app.js.map');
    writeFileSync(join(rendererDir, 'assets', 'app.js.map'), '{"version":3,"sources":["../src/secret-sauce.ts"]}');
    const { s } = await serveInProcess(tempCase(), { rendererDir });
    const map = await send(s.port, { path: '/assets/app.js.map' });
    expect(map.status).toBe(404);
    expect(map.body).not.toContain('secret-sauce');
    expect((await send(s.port, { path: '/assets/APP.JS.MAP' })).status).toBe(404);
  });

  it('compares the token on digests of equal length: any other length, a prefix, an array or nothing is refused', () => {
    const token = 'a'.repeat(64);
    const matches = tokenMatcher(token);
    expect(matches(token)).toBe(true);
    for (const sent of [token.slice(0, -1), `${token}a`, 'a', '', token.toUpperCase(), [token], undefined, `${token}\u0000`]) expect(matches(sent), String(sent)).toBe(false);
  });
});
