// Interchange exports on a case with hostile names (quotes, commas, line breaks, formulas, HTML/XML/Cypher
// metacharacters, control characters, unicode) and on the demo case: OpenGraph validated against BloodHound's
// published schemas and read back by Blastmap's own importer; the Neo4j CSVs' typed headers and every field read
// back; the Cypher literals unescaped by Cypher's rules; GraphML parsed as XML with every id and name intact.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'csv-parse/sync';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../src/api/engine.js';
import { buildDemoCase } from '../../src/demo.js';
import { cypherString, EDGE_HEADER, LOAD_CYPHER_LIMIT, NODE_HEADER, writeNeo4j } from '../../src/export/interchange/neo4j.js';
import type { GraphSource } from '../../src/export/interchange/graph-source.js';
import { FIXTURES } from '../helpers.js';

const HOSTILE = join(FIXTURES, 'deliver', 'hostile-names.opengraph.json');
const SCHEMAS = join(FIXTURES, 'bloodhound', 'opengraph-schema');

type Json = Record<string, unknown>;
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Json;

/** BloodHound's validators: chow's (the published top-level schema with the strictest node and edge) and CE's upload schemas. */
function validators() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const base = 'https://schemas.test/chow/';
  for (const name of ['node', 'edge']) ajv.addSchema({ ...readJson(join(SCHEMAS, 'chow', `${name}.json`)), $id: `${base}${name}.json` });
  ajv.addSchema({ ...readJson(join(SCHEMAS, 'bloodhound', 'metadata.json')), $id: `${base}metadata.json` });
  const chow = ajv.compile({ ...readJson(join(SCHEMAS, 'chow', 'opengraph.json')), $id: `${base}opengraph.json` });
  const ceNode = ajv.compile({ ...readJson(join(SCHEMAS, 'bloodhound', 'node.json')), $id: 'https://schemas.test/ce/node.json' });
  const ceEdge = ajv.compile({ ...readJson(join(SCHEMAS, 'bloodhound', 'edge.json')), $id: 'https://schemas.test/ce/edge.json' });
  return { chow, ceNode, ceEdge, errors: (v: { errors?: unknown }) => JSON.stringify(v.errors ?? null).slice(0, 2000) };
}

interface OgDoc {
  metadata: { source_kind: string };
  graph: { nodes: { id: string; kinds: string[]; properties: Record<string, unknown> }[]; edges: { kind: string; start: { value: string }; end: { value: string }; properties: Record<string, unknown> }[] };
}

describe('interchange exports', () => {
  let dir: string;
  let hostile: Engine;
  let demo: Engine;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'blastmap-interchange-'));
    hostile = openEngine(join(dir, 'hostile.blastmap'), { create: true });
    await hostile.importFiles({ files: [{ path: HOSTILE }] });
    await hostile.mark({ ids: ['og:quote:he said "hi", then left'], mark: 'compromised', note: 'test' });
    await buildDemoCase(join(dir, 'demo.blastmap'));
    demo = openEngine(join(dir, 'demo.blastmap'));
  }, 120_000);
  afterAll(() => {
    hostile?.close();
    demo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let files = 0;
  const openGraphFile = async (engine: Engine) => {
    const file = join(dir, `export-${files++}.json`);
    await engine.exportGraph('opengraph', file);
    return file;
  };

  for (const which of ['hostile', 'demo'] as const) {
    it(`OpenGraph of the ${which} case passes BloodHound's schemas`, async () => {
      const engine = which === 'hostile' ? hostile : demo;
      const doc = readJson(await openGraphFile(engine)) as unknown as OgDoc;
      const v = validators();
      expect(v.chow(doc), v.errors(v.chow)).toBe(true);
      for (const n of doc.graph.nodes) expect(v.ceNode(n), v.errors(v.ceNode)).toBe(true);
      for (const e of doc.graph.edges) expect(v.ceEdge(e), v.errors(v.ceEdge)).toBe(true);
      expect(doc.metadata.source_kind).toBe('Blastmap');
      const info = await engine.caseInfo({});
      expect(doc.graph.edges).toHaveLength(info.counts.edges);
    });
  }

  it('the schemas refuse what BloodHound refuses (the validation is not vacuous)', () => {
    const v = validators();
    const ok = { graph: { nodes: [{ id: 'a', kinds: ['BM_AwsUser'], properties: { name: 'a' } }], edges: [{ kind: 'BM_CanAssume', start: { value: 'a' }, end: { value: 'b' }, properties: {} }] } };
    expect(v.chow(ok)).toBe(true);
    const bad = [
      { graph: { nodes: [{ id: 'a', kinds: ['A', 'B', 'C', 'D'] }] } },
      { graph: { nodes: [{ id: 'a', kinds: ['A'], properties: { createdAt: 'x' } }] } },
      { graph: { nodes: [{ id: 'a', kinds: ['A'], properties: { nested: { x: 1 } } }] } },
      { graph: { nodes: [{ id: 'a', kinds: ['A'], properties: { objectid: 'x' } }] } },
      { graph: { edges: [{ kind: 'Can Assume', start: { value: 'a' }, end: { value: 'b' } }] } },
      { graph: { nodes: [{ id: 'a', kinds: ['A'], properties: { mixed: [1, 'x'] } }] } },
    ];
    for (const doc of bad) expect(v.chow(doc), JSON.stringify(doc)).toBe(false);
  });

  it('OpenGraph round trip: Blastmap reads its own export back to the same nodes, names and edges', async () => {
    const file = await openGraphFile(hostile);
    const doc = readJson(file) as unknown as OgDoc;
    const back = openEngine(join(dir, 'roundtrip.blastmap'), { create: true });
    try {
      await back.importFiles({ files: [{ path: file }] });
      const nodes = await listNodes(back);
      const original = await listNodes(hostile);
      expect(nodes.size).toBe(original.size);
      for (const [id, n] of original) {
        const again = nodes.get(`og:${id}`);
        expect(again, id).toBeDefined();
        expect(again!.name).toBe(n.name);
        // The category survives the trip for what OpenGraph can say (identity, group, boundary), the kind as a property.
        if (['identity', 'group', 'boundary'].includes(n.category)) expect(again!.category).toBe(n.category);
        expect(again!.marks.includes('high-value')).toBe(n.marks.includes('high-value'));
      }
      const edgesBack = await listEdges(back);
      const edges = await listEdges(hostile);
      expect(edgesBack.length).toBe(edges.length);
      const sig = (e: { from: string; to: string }) => `${e.from}\u0000${e.to}`;
      expect(edgesBack.map(sig).sort()).toEqual(edges.map((e) => sig({ from: `og:${e.from}`, to: `og:${e.to}` })).sort());
      // Each exported edge kind comes back as the technique of an OpenGraph edge (MemberOf as MEMBER_OF).
      const kindOf = new Map(doc.graph.edges.map((e) => [`og:${e.start.value}\u0000og:${e.end.value}\u0000${e.properties['blastmap_edge_id']}`, e.kind]));
      for (const e of edgesBack) {
        const exported = [...kindOf.entries()].find(([k]) => k.startsWith(`${e.from}\u0000${e.to}\u0000`))![1];
        if (/MemberOf$/.test(exported)) expect(e.kind).toBe('MEMBER_OF');
        else expect(e.technique).toBe(exported);
      }
    } finally {
      back.close();
    }
  });

  it('Neo4j: typed headers, every hostile field read back, labels and types from the kind tables', async () => {
    const out = join(dir, 'neo4j-hostile');
    await hostile.exportGraph('neo4j', out);
    expect(readdirSync(out).sort()).toEqual(['README.txt', 'edges.csv', 'load.cypher', 'nodes.csv', 'queries.cypher', 'schema.cypher']);
    const nodes = parse(readFileSync(join(out, 'nodes.csv'), 'utf8'), { relax_quotes: false }) as string[][];
    expect(nodes[0]).toEqual(NODE_HEADER);
    expect(nodes[0]).toEqual(['id:ID', 'name', 'kind', 'kind_label', 'category', 'provider', 'boundary', 'stub:boolean', 'marks:string[]', 'handles', 'props', ':LABEL']);
    const edges = parse(readFileSync(join(out, 'edges.csv'), 'utf8')) as string[][];
    expect(edges[0]).toEqual(EDGE_HEADER);
    expect(edges[0]!.slice(0, 3)).toEqual([':START_ID', ':END_ID', ':TYPE']);
    const original = await listNodes(hostile);
    const byId = new Map(nodes.slice(1).map((r) => [r[0]!, r]));
    for (const [id, n] of original) {
      const row = byId.get(id);
      expect(row, id).toBeDefined();
      expect(row![1]).toBe(n.name);
      expect(row![11]).toMatch(/^Blastmap;[A-Z][A-Za-z0-9]*;[A-Z][A-Za-z0-9]*$/);
    }
    // Every relationship's ends are nodes of the file (an edge to an undescribed id gets a stub node).
    for (const r of edges.slice(1)) {
      expect(byId.has(r[0]!), r[0]).toBe(true);
      expect(byId.has(r[1]!), r[1]).toBe(true);
      expect(r[2]).toMatch(/^[A-Z_]+$/);
    }
    expect(byId.get('og:never-described "stub"\n<node>')?.[7]).toBe('true');
    // Formulas are data here, not cells for a spreadsheet: no quote prefix.
    expect(byId.get('og:formula:=HYPERLINK("http://example.invalid","click")')![1]).toBe('=HYPERLINK("http://example.invalid","click")');
    const compromised = byId.get('og:quote:he said "hi", then left')!;
    expect(compromised[8]).toBe('compromised');
  });

  it('Cypher string literals: Cypher’s own unescaping gives the text back, and no quote ends one early', () => {
    const samples = ["x'}) MATCH (n) DETACH DELETE n //", 'back\\slash \\\' "dq"', 'line\nbreak\r\ttab', 'bell\u0007 del\u007f', 'Zoë 🚀 \u2028 \u202e', 'lone \ud800 surrogate'];
    for (const s of samples) {
      const lit = cypherString(s);
      expect(lit.startsWith("'") && lit.endsWith("'")).toBe(true);
      // No unescaped single quote inside.
      expect(/(^|[^\\])(\\\\)*'/.test(lit.slice(1, -1))).toBe(false);
      expect(unescapeCypher(lit)).toBe(s.replace('\ud800', '\ufffd'));
    }
  });

  it('load.cypher holds every node and relationship of a small case, in batches with static labels', async () => {
    const out = join(dir, 'neo4j-load');
    await hostile.exportGraph('neo4j', out);
    const text = readFileSync(join(out, 'load.cypher'), 'utf8');
    const original = await listNodes(hostile);
    const literals = [...text.matchAll(/\{id: ('(?:[^'\\]|\\.)*')/g)].map((m) => unescapeCypher(m[1]!));
    expect(new Set(literals)).toEqual(new Set(original.keys()));
    expect(text).toContain('CREATE CONSTRAINT blastmap_id IF NOT EXISTS');
    for (const m of text.matchAll(/SET n \+= row, n:([^;\n]+);/g)) expect(m[1]).toMatch(/^[A-Z][A-Za-z0-9]*:[A-Z][A-Za-z0-9]*$/);
    for (const m of text.matchAll(/CREATE \(a\)-\[r:([^\]]+)\]->\(b\)/g)) expect(m[1]).toMatch(/^[A-Z_]+$/);
  });

  it('load.cypher stays a note pointing at neo4j-admin when the case is too big for UNWIND batches', () => {
    const tiny: GraphSource = {
      *nodes() {
        yield { summary: { id: 'a', kind: 'aws_user', category: 'identity', provider: 'aws', name: 'a', stub: false, marks: [] }, props: {}, handles: ['a'] };
      },
      *edges() {},
    };
    const out = join(dir, 'neo4j-big');
    writeNeo4j(tiny, out, LOAD_CYPHER_LIMIT + 1);
    const text = readFileSync(join(out, 'load.cypher'), 'utf8');
    expect(text).toContain('too many for UNWIND batches');
    expect(text).not.toContain('UNWIND [');
    expect(readFileSync(join(out, 'nodes.csv'), 'utf8').split('\n')[1]).toMatch(/^a,a,aws_user,/);
  });

  it('GraphML parses as XML with every node id, name and edge intact', async () => {
    const file = join(dir, 'hostile.graphml');
    await hostile.exportGraph('graphml', file);
    const text = readFileSync(file, 'utf8');
    const errors: string[] = [];
    const doc = new DOMParser({ errorHandler: (level: string, msg: string) => void errors.push(`${level}: ${msg}`) }).parseFromString(text, 'application/xml');
    expect(errors).toEqual([]);
    // XML 1.0 cannot hold most control characters, not even as references: they become U+FFFD, all else is kept.
    // eslint-disable-next-line no-control-regex -- the characters XML 1.0 refuses are the point
    const xml10 = (t: string) => t.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '\ufffd');
    const original = new Map([...(await listNodes(hostile))].map(([id, n]) => [xml10(id), n]));
    const xmlNodes = Array.from(doc.getElementsByTagName('node'));
    expect(xmlNodes).toHaveLength(original.size);
    for (const el of xmlNodes) {
      const id = el.getAttribute('id')!;
      const n = original.get(id);
      expect(n, id).toBeDefined();
      const name = Array.from(el.getElementsByTagName('data')).find((d) => d.getAttribute('key') === 'n_name')?.textContent;
      expect(name).toBe(xml10(n!.name));
    }
    const ids = new Set(original.keys());
    for (const e of Array.from(doc.getElementsByTagName('edge'))) {
      expect(ids.has(e.getAttribute('source')!)).toBe(true);
      expect(ids.has(e.getAttribute('target')!)).toBe(true);
    }
    expect(doc.getElementsByTagName('edge')).toHaveLength((await listEdges(hostile)).length);
    expect(text).not.toContain('<script>');
  });
});

async function listNodes(engine: Engine): Promise<Map<string, { name: string; category: string; marks: string[] }>> {
  let text = '';
  await engine.writeTable({ table: 'nodes', format: 'json' }, { write: (t) => void (text += t) });
  const rows = JSON.parse(text) as { id: string; name: string; category: string; marks: string[] }[];
  const out = new Map(rows.map((r) => [r.id, r]));
  // Ids edges name without a row of their own are exported as stub nodes too.
  for (const e of await listEdges(engine)) for (const id of [e.from, e.to]) if (!out.has(id)) out.set(id, { id, name: id, category: 'resource', marks: [] });
  return out;
}

async function listEdges(engine: Engine): Promise<{ from: string; to: string; kind: string; technique: string | null }[]> {
  let text = '';
  await engine.writeTable({ table: 'edges', format: 'json' }, { write: (t) => void (text += t) });
  return JSON.parse(text) as { from: string; to: string; kind: string; technique: string | null }[];
}

/** Cypher's string-literal escapes, read independently of the exporter. */
function unescapeCypher(lit: string): string {
  const body = lit.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/gs, (_m, c: string) => {
    if (c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', "'": "'", '"': '"', '\\': '\\' } as Record<string, string>)[c] ?? c;
  });
}
