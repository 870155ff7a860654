// The deliverable commands through the CLI: export (tables and interchange), inventory, triage, and --format/--out
// on blast-radius, paths, containment and findings. Exit codes per the CLI contract.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoCase } from '../../src/demo.js';
import { cli } from '../helpers.js';

const KEY = 'AKIAQDEMO7CIDEPLOY42';

describe('deliverable commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-cli-deliver-'));
  const demo = join(dir, 'demo.blastmap');
  beforeAll(() => buildDemoCase(demo), 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('export --what findings --format csv --out FILE writes the table and says so on stderr', async () => {
    const out = join(dir, 'findings.csv');
    const r = await cli('export', '--case', demo, '--what', 'findings', '--format', 'csv', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('');
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    const json = JSON.parse((await cli('findings', '--case', demo, '--json')).out) as { id: string }[];
    expect(rows.map((x) => x['id']).sort()).toEqual(json.map((f) => f.id).sort());
    expect(r.err).toContain(`wrote ${rows.length} findings rows to ${out}`);
  });

  it('--out - writes to standard output; nodes and edges as JSON', async () => {
    for (const what of ['nodes', 'edges'] as const) {
      const r = await cli('export', '--case', demo, '--what', what, '--format', 'json', '--out', '-');
      expect(r.code, r.err).toBe(0);
      const rows = JSON.parse(r.out) as { id: string | number }[];
      const csv = parse((await cli('export', '--case', demo, '--what', what, '--format', 'csv', '--out', '-')).out, { columns: true }) as Record<string, string>[];
      expect(csv.map((x) => x['id'])).toEqual(rows.map((x) => String(x.id)));
      expect(rows.length).toBeGreaterThan(50);
    }
  });

  it('inventory --csv and triage --format csv print tables; triage text ranks the leaked key first', async () => {
    const inv = await cli('inventory', '--case', demo, '--csv');
    expect(inv.code, inv.err).toBe(0);
    const rows = parse(inv.out, { columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r['name'] === 'ci-deployer')).toMatchObject({ owner: 'platform', tier: 'reaches-high-value', credentials_compromised: '1' });
    const tri = await cli('triage', '--case', demo, '--format', 'csv');
    const ranked = parse(tri.out, { columns: true }) as Record<string, string>[];
    expect(ranked[0]).toMatchObject({ rank: '1', name: 'ci-deployer access key 1', status: 'active' });
    expect(ranked[0]!['score_explained']).toContain('seen in use after it was exposed');
    const text = await cli('triage', '--case', demo);
    expect(text.out.split('\n')[0]).toMatch(/^#1 {2}ci-deployer access key 1 \[aws_access_key\] \{compromised\} {2}score \d+$/);
    expect(text.out).toContain('USED AFTER EXPOSURE');
    const json = JSON.parse((await cli('triage', '--case', demo, '--json')).out) as { rank: number }[];
    expect(json[0]!.rank).toBe(1);
  });

  it('blast-radius, paths and containment take --format and --out', async () => {
    const br = join(dir, 'br.csv');
    expect((await cli('blast-radius', KEY, '--case', demo, '--format', 'csv', '--out', br)).code).toBe(0);
    const brRows = parse(readFileSync(br, 'utf8'), { columns: true }) as Record<string, string>[];
    const api = JSON.parse((await cli('blast-radius', KEY, '--case', demo, '--json')).out) as { identities: unknown[]; credentials: unknown[]; resources: unknown[]; admins: unknown[] };
    expect(brRows).toHaveLength(api.identities.length + api.credentials.length + api.resources.length + api.admins.length);
    const boundaries = parse((await cli('blast-radius', KEY, '--case', demo, '--format', 'csv', '--list', 'boundaries')).out, { columns: true }) as Record<string, string>[];
    expect(boundaries.find((b) => b['boundary_name'] === '222222222222')?.['admin']).toBe('true');

    const paths = parse((await cli('paths', KEY, '--to', 'admin', '--case', demo, '--format', 'csv', '--k', '3')).out, { columns: true }) as Record<string, string>[];
    expect(paths[0]).toMatchObject({ path: '1', step: '1', from_name: 'ci-deployer access key 1' });
    expect(new Set(paths.map((p) => p['path'])).size).toBeLessThanOrEqual(3);

    const md = await cli('containment', KEY, '--case', demo, '--format', 'markdown');
    expect(md.code).toBe(0);
    expect(md.out).toMatch(/^# Containment of ci\\-deployer access key 1 \(aws_access_key\)/);
    expect(md.out).toMatch(/\n- \[ \] \*\*1\\\.\*\* Deactivate access key/);
    const cuts = parse((await cli('containment', KEY, '--case', demo, '--format', 'csv')).out, { columns: true }) as Record<string, string>[];
    expect(cuts[0]).toMatchObject({ step: '1', done: 'false', edge_kind: 'AUTHENTICATES_AS' });
  });

  it('export --format opengraph|graphml|neo4j writes the graph', async () => {
    const og = await cli('export', '--case', demo, '--format', 'opengraph', '--out', '-');
    expect(og.code, og.err).toBe(0);
    expect(JSON.parse(og.out).metadata.source_kind).toBe('Blastmap');
    const folder = join(dir, 'neo4j');
    const neo = await cli('export', '--case', demo, '--format', 'neo4j', '--out', folder);
    expect(neo.code, neo.err).toBe(0);
    expect(readdirSync(folder)).toContain('nodes.csv');
    const again = await cli('export', '--case', demo, '--format', 'neo4j', '--out', folder);
    expect(again.code).toBe(1);
    expect(again.err).toContain('not empty');
    const gml = join(dir, 'demo.graphml');
    expect((await cli('export', '--case', demo, '--format', 'graphml', '--out', gml)).code).toBe(0);
    expect(readFileSync(gml, 'utf8')).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<graphml /);
  });

  it('usage errors exit 2, bad input 1, and leave no file behind', async () => {
    expect((await cli('export', '--case', demo, '--format', 'csv', '--out', '-')).code).toBe(2);
    expect((await cli('export', '--case', demo, '--what', 'nodes', '--format', 'opengraph', '--out', '-')).code).toBe(2);
    expect((await cli('export', '--case', demo, '--format', 'neo4j', '--out', '-')).code).toBe(2);
    expect((await cli('export', '--case', demo, '--what', 'paths', '--format', 'csv', '--out', '-')).code).toBe(2);
    expect((await cli('export', '--case', demo, '--what', 'nodes', '--format', 'xml', '--out', '-')).code).toBe(2);
    expect((await cli('blast-radius', 'nobody-at-all', '--case', demo, '--format', 'csv')).code).toBe(2);
    expect((await cli('inventory', '--case', demo, '--csv', '--format', 'json')).code).toBe(2);
    const missing = join(dir, 'no-such-dir', 'x.csv');
    const r = await cli('export', '--case', demo, '--what', 'nodes', '--format', 'csv', '--out', missing);
    expect(r.code).toBe(1);
    expect(r.err).toContain('cannot write the file');
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
    const blocked = join(dir, 'blocked');
    mkdirSync(blocked);
    writeFileSync(join(blocked, 'keep.txt'), 'x');
    expect((await cli('export', '--case', demo, '--format', 'neo4j', '--out', blocked)).code).toBe(1);
    expect(readdirSync(blocked)).toEqual(['keep.txt']);
  });
});
