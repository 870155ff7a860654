// Tables out: CSV and JSON of the case's rows with hostile names read back intact, spreadsheet formulas defused,
// Markdown escaped, files written whole or not at all.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainmentPlan, NodeSummary } from '../../src/api/contract.js';
import { openEngine, type Engine } from '../../src/api/engine.js';
import { containmentMarkdown, mdEscape } from '../../src/export/markdown.js';
import { StringSink, withFile } from '../../src/export/sink.js';
import { col, csvCell, csvField, csvLines, writeCsv, writeJson, type TableDef } from '../../src/export/table.js';
import { FIXTURES } from '../helpers.js';

const HOSTILE = join(FIXTURES, 'deliver', 'hostile-names.opengraph.json');

describe('tables', () => {
  let dir: string;
  let engine: Engine;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'blastmap-tables-'));
    engine = openEngine(join(dir, 'hostile.blastmap'), { create: true });
    await engine.importFiles({ files: [{ path: HOSTILE }] });
  });
  afterAll(() => {
    engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const text = async (req: Parameters<Engine['writeTable']>[0]) => {
    let out = '';
    await engine.writeTable(req, { write: (t) => void (out += t) });
    return out;
  };

  it('CSV of nodes reads back to the same names, one record per node, line breaks and quotes included', async () => {
    const rows = JSON.parse(await text({ table: 'nodes', format: 'json' })) as { id: string; name: string }[];
    const csv = parse(await text({ table: 'nodes', format: 'csv' }), { columns: true }) as Record<string, string>[];
    expect(csv).toHaveLength(rows.length);
    expect(rows.length).toBeGreaterThan(10);
    for (const [i, r] of rows.entries()) {
      expect(csv[i]!['id']).toBe(r.id.startsWith('=') ? `'${r.id}` : r.id);
      // A cell a spreadsheet would run as a formula starts with a quote; every other cell is the text itself.
      expect(csv[i]!['name']).toBe(/^[=+\-@\t\r]/.test(r.name) ? `'${r.name}` : r.name);
    }
    const names = csv.map((r) => r['name']);
    expect(names).toContain('line one\nline two\r\nline three\rend');
    expect(names).toContain('he said "hi", then left');
    expect(names).toContain(`'=HYPERLINK("http://example.invalid","click")`);
    expect(names).toContain("'+1-555-0100");
  });

  it('CSV records end in CRLF and the header is the column keys', async () => {
    const csv = await text({ table: 'edges', format: 'csv' });
    expect(csv.split('\r\n')[0]).toBe('id,from,to,kind,traversable,derived,observed,conditional,technique,access_level,reason,first_seen,last_seen,count,source,evidence');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('JSON keeps lists and objects structured where CSV flattens them', async () => {
    const json = JSON.parse(await text({ table: 'nodes', format: 'json' })) as { props: Record<string, unknown>; handles: string[] }[];
    const quoted = json.find((r) => r.props['name'] === 'he said "hi", then left')!;
    expect(quoted.props['nested']).toEqual({ deep: { value: 'he said "hi", then left' } });
    expect(Array.isArray(quoted.handles)).toBe(true);
    expect(csvCell(['a', 'b'])).toBe('a; b');
    expect(csvCell({ a: [1] })).toBe('{"a":[1]}');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
  });

  it('CSV fields: quoted only when needed, quotes doubled, formulas defused on request; csv-parse reads them back', () => {
    expect(csvField('plain', true)).toBe('plain');
    expect(csvField('a,b', true)).toBe('"a,b"');
    expect(csvField('say "hi"', true)).toBe('"say ""hi"""');
    expect(csvField('=SUM(A1),x', true)).toBe(`"'=SUM(A1),x"`);
    expect(csvField('=SUM(A1)', false)).toBe('=SUM(A1)');
    expect(csvField('-1', true)).toBe("'-1");
    const rows = [['a', 'b,c', 'd"e', 'f\ng', 'h\r\ni', '\r', ''], ['', ' spaced ', 'ü🚀', '\t tab', '@x', '+y', '-z']];
    const text = csvLines(rows, { escapeFormulas: false, eol: '\n' });
    expect(parse(text)).toEqual(rows);
  });

  it('an empty table is a header (CSV) or an empty array (JSON)', () => {
    const def: TableDef<{ a: string }> = { name: 't', columns: [col('a', (r) => r.a)] };
    let csv = '';
    writeCsv(def, [], { write: (t) => void (csv += t) });
    expect(csv).toBe('a\r\n');
    let json = '';
    writeJson(def, [], { write: (t) => void (json += t) });
    expect(JSON.parse(json)).toEqual([]);
  });

  it('a file is written whole or not at all', () => {
    const out = join(dir, 'partial.csv');
    expect(() =>
      withFile(out, (sink) => {
        sink.write('id\r\n');
        throw new Error('boom halfway');
      }),
    ).toThrow('boom halfway');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('partial'))).toEqual([]);
    withFile(out, (sink) => sink.write('ok\r\n'));
    expect(readFileSync(out, 'utf8')).toBe('ok\r\n');
  });

  it('the API refuses a text answer too large to hand to a window, naming the command line instead', () => {
    const sink = new StringSink(10, 'the edges table');
    sink.write('12345');
    expect(() => sink.write('123456')).toThrow(/larger than .*blastmap export/);
  });

  it('exportTable names the file after the table and the origin, and says what it holds', async () => {
    const file = await engine.exportTable({ table: 'blast-radius', format: 'csv', from: 'og:quote:he said "hi", then left' });
    expect(file.fileName).toMatch(/^blastmap-blast-radius-he-said-hi-then-left-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.csv$/);
    expect(file.mediaType).toBe('text/csv;charset=utf-8');
    const rows = parse(file.text, { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(file.rows);
    expect(new Set(rows.map((r) => r['list']))).toEqual(new Set(['identity', 'resource']));
    expect(rows.find((r) => r['name'] === 'crown, "jewels"\nbucket')).toMatchObject({ list: 'resource', depth: '12' });
    await expect(engine.exportTable({ table: 'blast-radius', format: 'csv' })).rejects.toMatchObject({ code: 'bad-input' });
    await expect(engine.exportTable({ table: 'findings', format: 'markdown' })).rejects.toMatchObject({ code: 'bad-input' });
  });

  it('Markdown escapes case strings: no link, image, heading, HTML or extra line from a name', () => {
    const node = (name: string): NodeSummary => ({ id: name, kind: 'aws_user', category: 'identity', provider: 'aws', name, stub: false, marks: [] });
    const hostile = node('[x](javascript:alert(1)) <img src=x> # h\n- [ ] fake');
    const plan: ContainmentPlan = {
      origin: hostile,
      targets: [node('admin')],
      cuts: [{ action: `Deactivate ${hostile.name}`, cost: 1, edge: { id: 1, from: 'a', to: 'b', kind: 'AUTHENTICATES_AS', derived: false, observed: false, reason: 'r | x', evidence: [{ type: 't', summary: '**bold**', location: 'f.json $[0]' }], props: {} }, from: hostile, to: node('b'), pathsCut: 1 }],
      pathsBefore: 1,
      pathsAfter: 0,
      cost: 1,
      pathLimit: 50,
    };
    const md = containmentMarkdown(plan, [0]);
    expect(md).toContain('- [x] **1\\.** Deactivate \\[x\\]\\(javascript:alert\\(1\\)\\) &lt;img src=x&gt; \\# h \\- \\[ \\] fake');
    expect(md).not.toMatch(/[^\\]\[x\]\(/);
    expect(md).not.toContain('<img');
    // One checklist item: the name's line break did not start another.
    expect(md.split('\n').filter((l) => l.startsWith('- ['))).toHaveLength(1);
    expect(mdEscape('a_b*c')).toBe('a\\_b\\*c');
  });
});
