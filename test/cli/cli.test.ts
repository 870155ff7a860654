import { randomBytes } from 'node:crypto';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { cli, FIXTURES, sha256File, tempDir } from '../helpers.js';

const MINIMAL = join(FIXTURES, 'bloodhound/opengraph-minimal.json');
const PAYLOAD = join(FIXTURES, 'bloodhound/opengraph-ui-test-payload.json');

async function seededCase(): Promise<{ dir: string; path: string }> {
  const dir = tempDir();
  const path = join(dir, 'case.blastmap');
  const r = await cli('import', MINIMAL, PAYLOAD, '--case', path);
  expect(r.code, r.err).toBe(0);
  return { dir, path };
}

describe('blastmap CLI', () => {
  it('imports, searches, shows a node and finds a path', async () => {
    const { path } = await seededCase();
    const search = await cli('search', 'backup', '--case', path, '--json');
    expect(search.code).toBe(0);
    expect(JSON.parse(search.out)[0].node).toMatchObject({ id: 'og:example-serviceaccount-1', name: 'svc-backup', kind: 'og_identity' });

    const node = await cli('node', 'svc-backup', '--case', path, '--json');
    expect(node.code).toBe(0);
    const details = JSON.parse(node.out);
    expect(details.node.id).toBe('og:example-serviceaccount-1');
    expect(details.out[0].other.id).toBe('og:example-admin-1');
    expect(details.sources[0]).toMatchObject({ fileName: 'opengraph-ui-test-payload.json', format: 'bloodhound-opengraph' });

    const paths = await cli('paths', 'example-serviceaccount-1', '--to', 'high-value', '--case', path, '--json');
    expect(paths.code).toBe(0);
    const [first] = JSON.parse(paths.out);
    expect(first.steps.map((s: { from: { id: string }; to: { id: string } }) => [s.from.id, s.to.id])).toEqual([['og:example-serviceaccount-1', 'og:example-admin-1']]);
    expect(first.steps[0].edge.technique).toBe('Example_ResetPassword');
    expect(first.steps[0].edge.evidence[0].location).toBe('opengraph-ui-test-payload.json $.graph.edges[1]');

    const text = await cli('paths', 'og:123', '--to', 'og:234', '--case', path);
    expect(text.out).toContain('—OPENGRAPH_EDGE (Knows)→ ALICE');
    expect(text.out).toContain('evidence: Knows edge stated by opengraph-minimal.json (bloodhound-opengraph) (opengraph-minimal.json $.graph.edges[0])');
  });

  it('exits 2 with candidates for an ambiguous or unknown ref', async () => {
    const { path } = await seededCase();
    const ambiguous = await cli('node', 'alice', '--case', path);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.err).toContain('og:234');
    expect(ambiguous.err).toContain('og:example-user-1');
    const unknown = await cli('node', 'nobody-at-all', '--case', path, '--json');
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.out).error.code).toBe('not-found');
  });

  it('shows import progress on stderr only when stderr is a terminal', async () => {
    const dir = tempDir();
    let err = '';
    const code = await runCli(['import', MINIMAL, '--case', join(dir, 'c.blastmap')], { out: () => undefined, err: (t) => (err += t), errIsTty: true });
    expect(code).toBe(0);
    expect(err).toContain('[1/1] opengraph-minimal.json');
    expect(err).toContain('deriving edges and findings');
    const quiet = await cli('import', MINIMAL, '--case', join(dir, 'd.blastmap'));
    expect(quiet.err).toBe('');
  });

  it('exits 2 on usage errors', async () => {
    expect((await cli('search', 'x')).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('mark', 'x', '--case', 'c', '--as', 'pwned')).code).toBe(2);
  });

  it('marks and unmarks nodes in bulk from a file', async () => {
    const { dir, path } = await seededCase();
    const list = join(dir, 'refs.txt');
    writeFileSync(list, '# leaked in the incident\nog:123\nsvc-backup\n');
    const r = await cli('mark', '--from-file', list, '--as', 'compromised', '--note', 'IR-42', '--case', path, '--json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).map((m: { nodeId: string }) => m.nodeId)).toEqual(['og:123', 'og:example-serviceaccount-1']);
    const node = JSON.parse((await cli('node', 'og:123', '--case', path, '--json')).out);
    expect(node.node.marks).toEqual(['compromised']);
    expect(node.marks[0]).toMatchObject({ note: 'IR-42', by: 'cli' });
    const undo = await cli('mark', 'og:123', '--as', 'compromised', '--undo', '--case', path, '--json');
    expect(JSON.parse(undo.out)).toEqual({ removed: 1 });
  });

  it('re-importing the same file replaces its rows instead of doubling them', async () => {
    const { path } = await seededCase();
    const r = await cli('import', MINIMAL, '--case', path, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).counts).toMatchObject({ nodes: 6, edges: 3 });
  });

  describe('bad input gives a clear error and leaves the case byte-for-byte usable', () => {
    const cases: [string, (dir: string) => string, RegExp][] = [
      ['truncated JSON', (dir) => write(dir, 'trunc.json', '{"graph": {"nodes": [{"id": "a", "kinds": ["User"]}, {"id": "b",'), /trunc\.json \(line 1, column \d+\): invalid JSON: the file ends in the middle/],
      ['JSON with a syntax error', (dir) => write(dir, 'syntax.json', '{\n  "graph": {\n    "nodes": [,]\n  }\n}'), /syntax\.json \(line 3, column 15\): invalid JSON/],
      ['a format it does not read', (dir) => write(dir, 'other.json', '{"data": [{"ObjectIdentifier": "S-1-5"}], "meta": {"type": "users"}}'), /other\.json: not a format Blastmap recognises/],
      ['an OpenGraph file with a bad record', (dir) => write(dir, 'badnode.json', '{"graph": {"nodes": [{"id": "a", "kinds": ["User"]}, {"id": 7, "kinds": "User"}], "edges": []}}'), /badnode\.json \(\$\.graph\.nodes\[1\]\.kinds\)/],
      ['an empty file', (dir) => write(dir, 'empty.json', ''), /empty\.json: the file is empty/],
      ['a binary file', (dir) => write(dir, 'photo.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), randomBytes(4096)])), /photo\.png \(byte \d+\): this is a binary file/],
      ['50 MB of random junk', (dir) => write(dir, 'junk.bin', randomBytes(50 * 1024 * 1024)), /junk\.bin \(byte \d+\): this is a binary file/],
      ['50 MB of text junk', (dir) => write(dir, 'junk.txt', Buffer.alloc(50 * 1024 * 1024, 'lorem ipsum dolor sit amet ')), /junk\.txt: not a format Blastmap recognises/],
    ];
    it.each(cases)('%s', async (_name, make, message) => {
      const { dir, path } = await seededCase();
      const before = sha256File(path);
      const bad = make(dir);
      const started = Date.now();
      const r = await cli('import', MINIMAL, bad, '--case', path);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(sha256File(path)).toBe(before);
      const search = await cli('search', 'svc-backup', '--case', path, '--json');
      expect(JSON.parse(search.out)).toHaveLength(1);
    });

    it('a file that fails halfway through writing rolls back the files before it', async () => {
      const { dir, path } = await seededCase();
      const good = write(dir, 'new.json', JSON.stringify({ graph: { nodes: [{ id: 'fresh', kinds: ['User'] }], edges: [] } }));
      const bad = write(dir, 'bad-edge.json', JSON.stringify({ graph: { nodes: [], edges: [{ kind: 'X', start: { value: 'a' }, end: {} }] } }));
      const r = await cli('import', good, bad, '--case', path);
      expect(r.code).toBe(1);
      expect(r.err).toContain('bad-edge.json ($.graph.edges[0].end.value)');
      expect(JSON.parse((await cli('search', 'fresh', '--case', path, '--json')).out)).toEqual([]);
    });

    it('a case file that is not SQLite', async () => {
      const dir = tempDir();
      const path = join(dir, 'notes.blastmap');
      copyFileSync(MINIMAL, path);
      const before = sha256File(path);
      const r = await cli('import', PAYLOAD, '--case', path);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/notes\.blastmap: not a Blastmap case \(the file is not an SQLite database\)/);
      expect(sha256File(path)).toBe(before);
    });
  });
});

function write(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
