import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../src/api/engine.js';
import { startServer, type RunningServer } from '../../src/server/http.js';
import { FIXTURES, tempCase, tempDir } from '../helpers.js';

const MINIMAL = join(FIXTURES, 'bloodhound/opengraph-minimal.json');
const PAYLOAD = join(FIXTURES, 'bloodhound/opengraph-ui-test-payload.json');

let server: RunningServer | undefined;
const engines: Engine[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const e of engines.splice(0)) e.close();
});

async function setup() {
  const engine = openEngine(tempCase(), { create: true });
  engines.push(engine);
  await engine.importFiles({ files: [{ path: MINIMAL }] });
  server = await startServer({ api: engine, rendererDir: tempDir() });
  const s = server;
  return async (method: string, arg: unknown) => {
    const res = await fetch(`http://127.0.0.1:${s.port}/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Blastmap-Token': s.token }, body: JSON.stringify(arg) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
}

describe('browser mode: comparisons take uploaded contents, never paths', () => {
  it('refuses a path for compareCase and planImpact, and compares an uploaded case and a tested file', async () => {
    const call = await setup();
    const other = tempCase();
    const e = openEngine(other, { create: true });
    engines.push(e);
    await e.importFiles({ files: [{ path: MINIMAL }, { path: PAYLOAD }] });
    e.close();
    for (const [method, arg] of [
      ['compareCase', { other: { path: other } }],
      ['planImpact', { files: [{ path: PAYLOAD }] }],
    ] as const) {
      const r = await call(method, arg);
      expect(r.status, method).toBe(400);
      expect(JSON.stringify(r.body)).toMatch(/not paths/);
    }
    const upload = await call('compareCase', { other: { name: 'other.blastmap', contentBase64: readFileSync(other).toString('base64') }, otherIs: 'after' });
    expect(upload.status).toBe(200);
    expect(upload.body).toMatchObject({ after: { label: 'other.blastmap', kind: 'case' } });
    const plan = await call('planImpact', { files: [{ name: 'payload.json', contentBase64: readFileSync(PAYLOAD).toString('base64') }] });
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({ imported: [{ fileName: 'payload.json' }], replaced: [] });
    // Both describe the same nodes the upload added: the comparisons agree.
    expect((plan.body['diff'] as { summary: unknown }).summary).toEqual((upload.body as { summary: unknown }).summary);
    const bad = await call('compareSnapshots', { before: '' });
    expect(bad.status).toBe(400);
  });
});
