import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/importers/errors.js';
import { createInput } from '../../src/importers/input.js';
import { opengraph } from '../../src/importers/opengraph.js';
import { detectImporter } from '../../src/importers/registry.js';
import type { GraphFragment } from '../../src/model/fragment.js';
import { FIXTURES, parseAll, REAL } from '../helpers.js';

function parseText(name: string, text: string): Promise<GraphFragment> {
  return parseAll(opengraph, createInput(name, Buffer.from(text)));
}
function parseFile(path: string): Promise<GraphFragment> {
  return parseAll(opengraph, createInput(path.split('/').pop()!, readFileSync(path)));
}

describe('BloodHound OpenGraph importer', () => {
  it('reads the minimal document from the BloodHound docs', async () => {
    const f = await parseFile(join(FIXTURES, 'bloodhound/opengraph-minimal.json'));
    expect(f.nodes.map((n) => [n.id, n.name])).toEqual([
      ['og:123', 'BOB'],
      ['og:234', 'ALICE'],
    ]);
    expect(f.edges).toHaveLength(1);
    expect(f.edges[0]).toMatchObject({ from: 'og:123', to: 'og:234', kind: 'OPENGRAPH_EDGE', props: { technique: 'Knows', at: '$.graph.edges[0]' } });
  });

  it('maps kinds, keeps the source kind and marks declared high-value nodes', async () => {
    const f = await parseFile(join(FIXTURES, 'bloodhound/opengraph-ui-test-payload.json'));
    const byId = new Map(f.nodes.map((n) => [n.id, n]));
    expect(byId.get('og:example-domain-1')?.kind).toBe('og_boundary');
    expect(byId.get('og:example-serviceaccount-1')?.kind).toBe('og_identity');
    expect(byId.get('og:example-serviceaccount-1')?.props?.['source_kind']).toBe('Example');
    expect(byId.get('og:example-admin-1')?.props?.['kinds']).toEqual(['Example_AdminAccount', 'Example_HighValue']);
    expect(f.marks).toEqual([expect.objectContaining({ nodeId: 'og:example-admin-1', mark: 'high-value' })]);
    const reset = f.edges.find((e) => e.props?.technique === 'Example_ResetPassword');
    expect(reset).toMatchObject({ from: 'og:example-serviceaccount-1', to: 'og:example-admin-1', props: { at: '$.graph.edges[1]' } });
  });

  it('matches edge ends by name, and warns about names it cannot resolve', async () => {
    const doc = {
      graph: {
        nodes: [
          { id: 'a', kinds: ['X_User'], properties: { name: 'Alpha' } },
          { id: 'b', kinds: ['X_Group'], properties: { name: 'Beta' } },
        ],
        edges: [
          { kind: 'X_MemberOf', start: { match_by: 'name', value: 'alpha' }, end: { match_by: 'name', value: 'BETA' } },
          { kind: 'X_Owns', start: { match_by: 'name', value: 'nobody' }, end: { value: 'b' } },
        ],
      },
    };
    const f = await parseText('named.json', JSON.stringify(doc));
    expect(f.edges).toEqual([expect.objectContaining({ from: 'og:a', to: 'og:b', kind: 'MEMBER_OF' })]);
    expect(f.warnings).toEqual([{ message: 'edge skipped: no node named "nobody"', location: '$.graph.edges[1].start' }]);
  });

  it('keeps id references to nodes of other files as stubs', async () => {
    const f = await parseText('ref.json', JSON.stringify({ graph: { nodes: [{ id: 'a', kinds: ['User'] }], edges: [{ kind: 'AdminTo', start: { value: 'a' }, end: { value: 'elsewhere', kind: 'Computer' } }] } }));
    expect(f.nodes.find((n) => n.id === 'og:elsewhere')).toMatchObject({ stub: true, kind: 'og_identity' });
  });

  it.each([
    ['{"graph": []}', '$.graph'],
    ['{"graph": {"nodes": [{"kinds": ["User"]}]}}', '$.graph.nodes[0].id'],
    ['{"graph": {"nodes": [{"id": "a", "kinds": []}]}}', '$.graph.nodes[0].kinds'],
    ['{"graph": {"nodes": [], "edges": [{"kind": "X", "start": {"value": "a"}}]}}', '$.graph.edges[0].end'],
    ['{"graph": {"nodes": [], "edges": [{"kind": "X", "start": {"value": "a", "match_by": "sid"}, "end": {"value": "b"}}]}}', '$.graph.edges[0].start.match_by'],
  ])('rejects %s naming %s', async (text, where) => {
    const err: unknown = await parseText('bad.json', text).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).location).toBe(where);
    expect((err as ImportError).message).toContain('bad.json');
  });

  it('streams large edge lists in fragments, each node in one fragment only', async () => {
    const nodes = Array.from({ length: 10 }, (_, i) => ({ id: `n${i}`, kinds: ['User'] }));
    const edges = Array.from({ length: 120_000 }, (_, i) => ({ kind: 'X', start: { value: `n${i % 10}` }, end: { value: `far${i}` } }));
    const fragments = [...(opengraph.parse(createInput('big.json', Buffer.from(JSON.stringify({ graph: { nodes, edges } }))), { options: {}, now: new Date() }) as Iterable<GraphFragment>)];
    expect(fragments.map((f) => f.edges.length)).toEqual([50_000, 50_000, 20_000]);
    const ids = fragments.flatMap((f) => f.nodes.map((n) => n.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(10 + 120_000);
  });

  it('is detected from content, whatever the file is called', async () => {
    const input = createInput('export.txt', readFileSync(join(FIXTURES, 'bloodhound/opengraph-ui-test-payload.json')));
    expect(detectImporter(input).format).toBe('bloodhound-opengraph');
  });

  it('imports every OpenGraph file among the shared real exports', async () => {
    const dir = join(REAL, 'bloodhound');
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => /^opengraph-.*\.json$/.test(f)) : [];
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const f = await parseFile(join(dir, file));
      expect(f.nodes.length, file).toBeGreaterThan(0);
      expect(f.edges.length, file).toBeGreaterThan(0);
    }
  });
});
