import { connect } from 'node:net';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BlastmapApi } from '../../src/api/contract.js';
import { openEngine, type Engine } from '../../src/api/engine.js';
import { ApiError } from '../../src/api/errors.js';
import { CSP, startServer, staticFile, type RunningServer } from '../../src/server/http.js';
import { syntheticOpenGraph } from '../bench/synthetic.js';
import { FIXTURES, tempCase, tempDir } from '../helpers.js';
import { send, type Reply } from './send.js';

const MINIMAL = join(FIXTURES, 'bloodhound/opengraph-minimal.json');
const PAYLOAD = join(FIXTURES, 'bloodhound/opengraph-ui-test-payload.json');

let server: RunningServer | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await server?.close();
  engine?.close();
  server = undefined;
  engine = undefined;
});

async function setup(opts: { rendererDir?: string; maxBodyBytes?: number; seed?: boolean } = {}): Promise<{ s: RunningServer; call: (method: string, arg: unknown, headers?: Record<string, string>) => Promise<Reply> }> {
  engine = openEngine(tempCase(), { create: true });
  if (opts.seed !== false) await engine.importFiles({ files: [{ path: MINIMAL }, { path: PAYLOAD }] });
  const rendererDir = opts.rendererDir ?? tempDir();
  server = await startServer({ api: engine, rendererDir, ...(opts.maxBodyBytes ? { maxBodyBytes: opts.maxBodyBytes } : {}) });
  const s = server;
  const call = (method: string, arg: unknown, headers: Record<string, string> = {}) =>
    send(s.port, {
      method: 'POST',
      path: `/api/${method}`,
      headers: { 'Content-Type': 'application/json', 'X-Blastmap-Token': s.token, ...headers },
      body: JSON.stringify(arg),
    });
  return { s, call };
}

describe('browser-mode server: who may call', () => {
  it('makes a 64-hex-digit token per launch and puts it in the URL fragment', async () => {
    const { s } = await setup({ seed: false });
    expect(s.token).toMatch(/^[0-9a-f]{64}$/);
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/#token=${s.token}`);
    const other = await startServer({ api: engine!, rendererDir: tempDir() });
    try {
      expect(other.token).not.toBe(s.token);
    } finally {
      await other.close();
    }
  });

  it('refuses an API call without the token, or with a wrong one, with 401 and no case data', async () => {
    const { s, call } = await setup();
    const missing = await send(s.port, { method: 'POST', path: '/api/search', headers: { 'Content-Type': 'application/json' }, body: '{"text":"bob"}' });
    expect(missing.status).toBe(401);
    expect(missing.body).not.toContain('BOB');
    expect(JSON.parse(missing.body).error.message).toMatch(/token/i);

    const wrong = await call('search', { text: 'bob' }, { 'X-Blastmap-Token': s.token.slice(0, -1) + (s.token.endsWith('0') ? '1' : '0') });
    expect(wrong.status).toBe(401);
    const short = await call('search', { text: 'bob' }, { 'X-Blastmap-Token': 'x' });
    expect(short.status).toBe(401);
    // The token in the query string or a cookie is not the token header.
    const query = await send(s.port, { method: 'POST', path: `/api/search?token=${s.token}`, headers: { 'Content-Type': 'application/json' }, body: '{"text":"bob"}' });
    expect(query.status).toBe(401);
    // Even the method list is not probed without the token.
    const unknown = await send(s.port, { method: 'POST', path: '/api/nope', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(unknown.status).toBe(401);
  });

  it('refuses requests from another origin with 403, even with the token', async () => {
    const { s, call } = await setup();
    for (const origin of ['http://evil.example', `http://127.0.0.1:${s.port + 1}`, `https://127.0.0.1:${s.port}`, 'null', `http://127.0.0.1:${s.port}.evil.example`]) {
      const r = await call('search', { text: 'bob' }, { Origin: origin });
      expect(r.status, origin).toBe(403);
      expect(r.body).not.toContain('BOB');
    }
    const ok = await call('search', { text: 'bob' }, { Origin: `http://127.0.0.1:${s.port}` });
    expect(ok.status).toBe(200);
    const okLocalhost = await call('search', { text: 'bob' }, { Origin: `http://localhost:${s.port}`, Host: `localhost:${s.port}` });
    expect(okLocalhost.status).toBe(200);
  });

  it('refuses a foreign Host header with 403 (DNS rebinding), for the API and for static files', async () => {
    const { s, call } = await setup();
    for (const host of ['evil.example', `evil.example:${s.port}`, `127.0.0.1:${s.port + 1}`, `127.0.0.1`, `0.0.0.0:${s.port}`]) {
      const api = await call('search', { text: 'bob' }, { Host: host });
      expect(api.status, host).toBe(403);
      const page = await send(s.port, { path: '/', headers: { Host: host } });
      expect(page.status, host).toBe(403);
    }
    const ok = await call('caseInfo', {}, { Host: `LOCALHOST:${s.port}` });
    expect(ok.status).toBe(200);
  });

  it('listens on 127.0.0.1 only', async () => {
    const { s } = await setup({ seed: false });
    expect(s.server.address()).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal)
      .map((a) => a!.address);
    for (const address of ['::1', ...others]) {
      const reached = await new Promise<boolean>((done) => {
        const socket = connect({ host: address, port: s.port, timeout: 2000 });
        socket.on('connect', () => {
          socket.destroy();
          done(true);
        });
        socket.on('error', () => done(false));
        socket.on('timeout', () => {
          socket.destroy();
          done(false);
        });
      });
      expect(reached, address).toBe(false);
    }
  });
});

describe('browser-mode server: the API', () => {
  it('answers several methods with the engine results', async () => {
    const { call } = await setup();
    const info = await call('caseInfo', {});
    expect(info.status).toBe(200);
    expect(info.headers['content-type']).toMatch(/^application\/json/);
    expect(info.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(info.body).sources.map((x: { fileName: string }) => x.fileName).sort()).toEqual(['opengraph-minimal.json', 'opengraph-ui-test-payload.json']);

    const search = JSON.parse((await call('search', { text: 'backup' })).body);
    expect(search[0].node).toMatchObject({ id: 'og:example-serviceaccount-1', name: 'svc-backup' });

    const node = JSON.parse((await call('node', { id: 'og:example-serviceaccount-1' })).body);
    expect(node.out[0].other.id).toBe('og:example-admin-1');

    const paths = JSON.parse((await call('paths', { from: 'og:example-serviceaccount-1', to: 'high-value' })).body);
    expect(paths[0].steps[0].edge.technique).toBe('Example_ResetPassword');

    const marked = await call('mark', { ids: ['og:123'], mark: 'compromised', note: 'phished' });
    expect(marked.status).toBe(200);
    expect(JSON.parse(marked.body)[0]).toMatchObject({ nodeId: 'og:123', mark: 'compromised', note: 'phished' });

    const progress = await call('importProgress', {});
    expect(JSON.parse(progress.body)).toBeNull();
  });

  it('answers invalid arguments with 400 and a message naming the field, before the engine sees them', async () => {
    const { s, call } = await setup();
    const bad = await call('search', { text: 42 });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatchObject({ code: 'bad-input', message: expect.stringMatching(/search at text/) });

    const extra = await call('caseInfo', { sql: 'DROP TABLE nodes' });
    expect(extra.status).toBe(400);

    const notJson = await send(s.port, { method: 'POST', path: '/api/search', headers: { 'Content-Type': 'application/json', 'X-Blastmap-Token': s.token }, body: '{"text":' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.message).toMatch(/not JSON/);

    const form = await send(s.port, { method: 'POST', path: '/api/search', headers: { 'Content-Type': 'text/plain', 'X-Blastmap-Token': s.token }, body: '{"text":"bob"}' });
    expect(form.status).toBe(415);
  });

  it('maps engine errors to their status: unknown node 404, unknown method 404, GET on the API 405', async () => {
    const { s, call } = await setup();
    const missing = await call('node', { id: 'og:does-not-exist' });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error.code).toBe('not-found');

    const unknown = await call('dropCase', {});
    expect(unknown.status).toBe(404);
    const proto = await call('__proto__', {});
    expect(proto.status).toBe(404);

    const get = await send(s.port, { path: '/api/caseInfo', headers: { 'X-Blastmap-Token': s.token } });
    expect(get.status).toBe(405);
  });

  it('imports uploaded contents (contentBase64) and refuses paths', async () => {
    const { call } = await setup({ seed: false });
    const content = readFileSync(PAYLOAD).toString('base64');
    const imported = await call('importFiles', { files: [{ name: 'payload.json', contentBase64: content }] });
    expect(imported.status, imported.body).toBe(200);
    const result = JSON.parse(imported.body);
    expect(result.sources[0]).toMatchObject({ fileName: 'payload.json', format: 'bloodhound-opengraph', label: 'upload:payload.json' });
    const search = JSON.parse((await call('search', { text: 'backup' })).body);
    expect(search[0].node.id).toBe('og:example-serviceaccount-1');

    const byPath = await call('importFiles', { files: [{ path: '/etc/passwd' }] });
    expect(byPath.status).toBe(400);
    expect(JSON.parse(byPath.body).error.message).toMatch(/not paths/);

    const garbage = await call('importFiles', { files: [{ name: 'x.json', contentBase64: Buffer.from('{"hello": 1}').toString('base64') }] });
    expect(garbage.status).toBe(400);
    expect(JSON.parse(garbage.body).error.code).toBe('bad-input');
  });

  it('answers importProgress and cancelImport while an import is still running', async () => {
    // The server must not serialise calls itself: the engine answers these two outside its queue.
    let finish: (() => void) | undefined;
    const running = new Promise<void>((r) => (finish = r));
    let cancelled = false;
    const api = {
      importFiles: async () => {
        await running;
        throw new ApiError({ code: 'cancelled', message: 'import cancelled; nothing was changed' });
      },
      importProgress: async () => ({ file: 'estate.json', index: 0, total: 1, phase: 'writing', nodes: 10, edges: 0 }),
      cancelImport: async () => {
        cancelled = true;
        finish!();
        return { cancelled: true };
      },
    } as unknown as BlastmapApi;
    server = await startServer({ api, rendererDir: tempDir() });
    const s = server;
    const call = (method: string, arg: unknown) =>
      send(s.port, { method: 'POST', path: `/api/${method}`, headers: { 'Content-Type': 'application/json', 'X-Blastmap-Token': s.token }, body: JSON.stringify(arg) });
    const importing = call('importFiles', { files: [{ name: 'estate.json', contentBase64: 'e30=' }] });
    const progress = await call('importProgress', {});
    expect(JSON.parse(progress.body)).toMatchObject({ file: 'estate.json', phase: 'writing' });
    expect(cancelled).toBe(false);
    expect(JSON.parse((await call('cancelImport', {})).body)).toEqual({ cancelled: true });
    const result = await importing;
    expect(result.status).toBe(409);
    expect(JSON.parse(result.body).error).toEqual({ code: 'cancelled', message: 'import cancelled; nothing was changed' });
  });

  it('with the real engine, reports progress during a long upload import and cancels it, leaving the case unchanged', async () => {
    const { call } = await setup({ seed: false });
    // Eight chunks of the OpenGraph importer (50k edges each): the import pauses between them, so a cancel sent once
    // the progress shows lands mid-import. (With three, a faster import was done before the cancel arrived.)
    const estate = Buffer.from(JSON.stringify({ graph: syntheticOpenGraph(40_000, 400_000) })).toString('base64');
    const importing = call('importFiles', { files: [{ name: 'estate.json', contentBase64: estate }] });
    let progress: { file: string; phase: string } | null = null;
    while (!progress) {
      const r = await call('importProgress', {});
      expect(r.status).toBe(200);
      progress = JSON.parse(r.body);
      if (!progress) await new Promise((r) => setTimeout(r, 5));
    }
    expect(progress.file).toBe('estate.json');
    expect(JSON.parse((await call('cancelImport', {})).body)).toEqual({ cancelled: true });
    const result = await importing;
    expect(result.status, result.body).toBe(409);
    expect(JSON.parse(result.body).error.code).toBe('cancelled');
    const info = JSON.parse((await call('caseInfo', {})).body);
    expect(info.sources).toEqual([]);
    expect(info.counts.nodes).toBe(0);
  });

  it('refuses a body over the limit with 413', async () => {
    const { call } = await setup({ seed: false, maxBodyBytes: 1000 });
    const big = await call('search', { text: 'x'.repeat(2000) });
    expect(big.status).toBe(413);
    const small = await call('search', { text: 'x' });
    expect(small.status).toBe(200);
  });
});

describe('browser-mode server: static renderer', () => {
  function renderer(): string {
    const dir = tempDir();
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Blastmap</title><script type="module" src="/assets/app.js"></script>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("app")');
    writeFileSync(join(dir, '.env'), 'SECRET=1');
    return dir;
  }

  it('serves index.html and assets with a strict CSP, no token needed', async () => {
    const { s } = await setup({ rendererDir: renderer(), seed: false });
    const page = await send(s.port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<title>Blastmap</title>');
    expect(page.headers['content-security-policy']).toBe(CSP);
    expect(CSP).toContain("default-src 'self'");
    expect(CSP).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const js = await send(s.port, { path: '/assets/app.js' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await send(s.port, { path: '/assets/none.js' })).status).toBe(404);
    expect((await send(s.port, { path: '/.env' })).status).toBe(404);
    expect((await send(s.port, { method: 'POST', path: '/' })).status).toBe(405);
  });

  it('refuses path traversal out of the renderer directory', async () => {
    const dir = renderer();
    symlinkSync('/etc', join(dir, 'assets', 'etc'));
    const { s } = await setup({ rendererDir: dir, seed: false });
    for (const path of ['/../../../../etc/passwd', '/assets/../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/assets/..%5c..%5cetc%5cpasswd', '/assets/etc/passwd', '/%00index.html', '/%E0%A4%A']) {
      const r = await send(s.port, { path });
      expect([403, 404], path).toContain(r.status);
      expect(r.body, path).not.toContain('root:');
    }
    expect(staticFile('/srv/r', '/assets/../../x')).toBe('refused');
    expect(staticFile('/srv/r', '/assets/%2e%2e/%2e%2e/x')).toBe('refused');
    expect(staticFile('/srv/r', '/assets/a.js')).toBe('/srv/r/assets/a.js');
  });

  it('says how to build the renderer when it is not built', async () => {
    const { s } = await setup({ rendererDir: join(tempDir(), 'missing'), seed: false });
    const page = await send(s.port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('npm run build:renderer');
  });
});
