// No secret value of any input ever leaves it: every secret-scanner and Kubernetes fixture is imported, every secret
// value in them is found (gitleaks Secret/offender, trufflehog Raw/RawV2 and what they decode to, Kubernetes Secret
// data, stringData, kubectl's last-applied copy, registry passwords), and the case file, its WAL, every temporary file
// and every output of the CLI and of browser mode are searched for each of them, as text and as base64.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join, relative } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import { appendedJsonValues } from '../../src/importers/json-syntax.js';
import { startServer } from '../../src/server/http.js';
import { cli, FIXTURES, tempDir } from '../helpers.js';
import { helmTemplateLine } from '../../src/importers/templates.js';

const KEY_ID = /^(AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|AIPA)[A-Z0-9]{12,}$/;

function* files(dir: string): Iterable<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'fuzz-crashers') yield* files(full);
    } else if (!e.name.endsWith('.md')) yield full;
  }
}

/** The fixtures of the formats that carry secrets: secret scanners and Kubernetes (not unrendered Helm templates, refused). */
const INPUTS = [...files(FIXTURES)].filter((path) => {
  try {
    if (helmTemplateLine(readFileSync(path, 'utf8')) !== undefined) return false;
    return ['gitleaks', 'trufflehog', 'kubernetes'].includes(detectImporter(createInput(path, readFileSync(path))).format);
  } catch {
    return false;
  }
});

const printable = (s: string) => /^[\x20-\x7e\n\r\t]+$/.test(s);
const decoded = (b64: string) => {
  const text = Buffer.from(b64, 'base64').toString('utf8');
  return Buffer.from(text).toString('base64').replace(/=+$/, '') === b64.replace(/=+$/, '') && printable(text) ? text : undefined;
};

/** Every secret value an input file holds, found by reading the formats' own fields. */
function secretsIn(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const out: string[] = [];
  const add = (v: unknown) => {
    if (typeof v !== 'string') return;
    out.push(v);
    const d = decoded(v);
    if (d) out.push(d);
    // A registry's config: its passwords and auth strings are secrets too.
    if (d?.includes('"auths"')) for (const m of d.matchAll(/"(password|auth)"\s*:\s*"([^"]+)"/g)) add(m[2]);
  };
  const finding = (f: Record<string, unknown>) => ['Secret', 'offender', 'Raw', 'RawV2'].forEach((k) => add(f[k]));
  const k8s = (o: unknown) => {
    if (typeof o !== 'object' || o === null) return;
    const obj = o as Record<string, unknown>;
    if (Array.isArray(obj['items'])) obj['items'].forEach(k8s);
    if (obj['kind'] !== 'Secret') return;
    for (const key of ['data', 'stringData']) for (const v of Object.values((obj[key] as Record<string, unknown>) ?? {})) add(v);
    add(((obj['metadata'] as Record<string, unknown>)?.['annotations'] as Record<string, unknown>)?.['kubectl.kubernetes.io/last-applied-configuration']);
  };
  if (path.endsWith('.csv')) (parseCsv(text, { columns: true }) as Record<string, string>[]).forEach(finding);
  else if (path.endsWith('.jsonl')) for (const line of text.split('\n')) { try { finding(JSON.parse(line) as Record<string, unknown>); } catch { /* a broken line keeps its secrets out of reach of this reader, not of the importer */ for (const m of line.matchAll(/"(Raw|RawV2)"\s*:\s*"([^"]+)"/g)) add(m[2]); } }
  else if (/\.ya?ml$/.test(path)) for (const doc of parseAllDocuments(text)) k8s(doc.toJS());
  else {
    // One document, or several appended one after another (kubectl output of a loop, which the importer reads).
    for (const { value: root } of appendedJsonValues(path, text)) {
      if (Array.isArray(root)) root.forEach((f) => (typeof f === 'object' && f && 'kind' in f ? k8s(f) : finding(f as Record<string, unknown>)));
      else k8s(root);
    }
  }
  // Not secrets: access key ids (Blastmap's credential ids), placeholders of redacted reports, short values, and the
  // plain-word placeholders of upstream test data ("a secret"), which any English sentence may hold.
  return out.filter((s) => s.length >= 8 && !KEY_ID.test(s) && !/^REDACTED$/i.test(s) && !/^[a-z0-9-]{1,20}$/.test(s) && !/^[a-z]+( [a-z]+){1,2}$/i.test(s));
}

const SECRETS = [...new Set(INPUTS.flatMap(secretsIn))];
const FORMS = SECRETS.flatMap((s) => [s, Buffer.from(s).toString('base64')]);

/** The secrets found in a blob, as text or base64 (none expected). */
function leaked(blob: Buffer | string): string[] {
  const b = typeof blob === 'string' ? Buffer.from(blob) : blob;
  return FORMS.filter((f) => b.includes(Buffer.from(f)));
}

let tmp: string;
let savedTmp: string | undefined;
beforeAll(() => {
  // Our own temporary directory, so that every file the engine leaves in one is ours to search.
  savedTmp = process.env['TMPDIR'];
  tmp = mkdtempSync(join(tmpdir(), 'blastmap-secrets-tmp-'));
  process.env['TMPDIR'] = tmp;
});
afterAll(() => {
  if (savedTmp === undefined) delete process.env['TMPDIR'];
  else process.env['TMPDIR'] = savedTmp;
  rmSync(tmp, { recursive: true, force: true });
});

function* walk(dir: string): Iterable<string> {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) yield* walk(full);
    else yield full;
  }
}

describe('no secret value leaves its input', () => {
  it('finds the secrets of every scanner and Kubernetes fixture (the test reads what it must not find)', () => {
    expect(INPUTS.length).toBeGreaterThanOrEqual(20);
    expect(SECRETS.length).toBeGreaterThanOrEqual(15);
    process.stdout.write(`secrets searched for: ${SECRETS.length} values from ${INPUTS.length} files\n`);
    // Each kind of secret is in the list.
    expect(SECRETS).toEqual(expect.arrayContaining(['ghp_Zx9Qm2Lr7Tb4Vn1Kc8Wd3Hs6Yp0Fj5Ga2UeQ', 'Pr0dDbPassw0rd-Blastmap-Fake-7781', 'sk_live_blastmapFakeStripeKey4242424242', 'RegistryPassw0rd-Fake-9931']));
  });

  it('not in the case file, its WAL, a temporary file, nor any output of the CLI', async () => {
    const dir = tempDir();
    const path = join(dir, 'case.blastmap');
    const engine = openEngine(path, { create: true });
    const outputs: string[] = [];
    try {
      const result = await engine.importWithHooks({ files: INPUTS.map((p) => ({ path: p })), options: { cluster: 'prod' } }, {});
      outputs.push(JSON.stringify(result));
      // The WAL before the engine closes and checkpoints it away.
      expect(existsSync(`${path}-wal`)).toBe(true);
      expect(leaked(readFileSync(`${path}-wal`)), 'WAL').toEqual([]);
      expect(leaked(readFileSync(path)), 'case file').toEqual([]);
    } finally {
      engine.close();
    }
    expect(leaked(readFileSync(path)), 'case file after close').toEqual([]);

    // Every command of the CLI, in both outputs, on a case made by the CLI.
    const casePath = join(dir, 'cli.blastmap');
    const run = async (...args: string[]) => {
      const r = await cli(...args, '--case', casePath);
      outputs.push(r.out, r.err);
      return r;
    };
    await run('import', ...INPUTS, '--cluster', 'prod');
    await run('import', ...INPUTS, '--cluster', 'prod', '--json');
    await run('findings');
    await run('findings', '--json');
    const reader = openEngine(casePath);
    const interesting = [...reader.store.nodeKinds()].filter((n) => /leak|secret|credential|key|token|service_account|password/.test(n.kind));
    reader.close();
    expect(interesting.length).toBeGreaterThan(10);
    for (const node of interesting) {
      await run('node', node.id, '--json');
      await run('node', node.id);
      await run('blast-radius', node.id, '--json');
      await run('paths', node.id, '--to', 'admin', '--json');
    }
    // A responder holding a secret looks for its hash, as the README says: found, and still not printed.
    for (const secret of SECRETS.slice(0, 10)) await run('search', createHash('sha256').update(secret).digest('hex'), '--json');
    // Broken reports: errors say where, never what (a headerless CSV starts with a secret).
    const broken = join(dir, 'headerless.csv');
    writeFileSync(broken, `${SECRETS[0]},line,1\n${SECRETS[1]},line,2\n`);
    await run('import', broken);
    const cut = join(dir, 'cut.json');
    writeFileSync(cut, readFileSync(INPUTS.find((p) => p.endsWith('scenario-gitleaks-known-secrets.json'))!, 'utf8').slice(0, 900));
    await run('import', cut, '--json');

    for (const [i, text] of outputs.entries()) expect(leaked(text), `output ${i}: ${text.slice(0, 200)}`).toEqual([]);
    // Every file under the temporary directory but the two broken reports this test wrote itself.
    for (const file of walk(tmp)) if (file !== broken && file !== cut) expect(leaked(readFileSync(file)), relative(tmp, file)).toEqual([]);
  }, 180_000);

  it('not in what browser mode answers, nor in the files an upload passes through', async () => {
    const dir = tempDir();
    const engine = openEngine(join(dir, 'served.blastmap'), { create: true });
    const server = await startServer({ api: engine, rendererDir: dir, uploads: (r) => engine.importWithHooks(r, {}) });
    const call = (method: string, arg: unknown) =>
      new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path: `/api/${method}`, agent: false, headers: { 'Content-Type': 'application/json', 'X-Blastmap-Token': server.token } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve(body));
        });
        req.on('error', reject);
        req.end(JSON.stringify(arg));
      });
    try {
      const answers = [await call('importFiles', { files: INPUTS.map((p) => ({ name: p.split('/').pop(), contentBase64: readFileSync(p).toString('base64') })), options: { cluster: 'prod' } })];
      answers.push(await call('findings', {}), await call('overview', {}), await call('caseInfo', {}));
      const hits = JSON.parse(await call('search', { text: 'leak', limit: 200 })) as { node: { id: string } }[];
      for (const { node } of hits) answers.push(await call('node', { id: node.id }), await call('blastRadius', { from: node.id }));
      for (const [i, a] of answers.entries()) expect(leaked(a), `answer ${i}`).toEqual([]);
      // The uploads were decoded into temporary files during the call; none is left, and nothing left holds a secret.
      const left = [...walk(tmp)].filter((f) => relative(tmp, f).startsWith('blastmap-upload-'));
      expect(left).toEqual([]);
      for (const file of walk(tmp)) expect(leaked(readFileSync(file)), relative(tmp, file)).toEqual([]);
      expect(statSync(tmp).isDirectory()).toBe(true);
    } finally {
      await server.close();
      engine.close();
    }
  }, 120_000);
});
