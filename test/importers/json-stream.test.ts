import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/importers/errors.js';
import { JsonStreamScanner, type JsonPathParts, type StreamChoice, type StreamedValue } from '../../src/importers/json-stream.js';

const LIMITS = { maxDepth: 50, maxLineBytes: 1 << 20 };

function scan(text: string | Buffer, choose: (p: JsonPathParts, c: boolean) => StreamChoice, cuts: number[] = [], limits = LIMITS): StreamedValue[] {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const s = new JsonStreamScanner('f.json', choose, limits);
  const out: StreamedValue[] = [];
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b)) {
    s.push(bytes.subarray(at, cut), out);
    at = cut;
  }
  s.push(bytes.subarray(at), out);
  s.end(out);
  return out;
}

const records = (p: JsonPathParts) => (p.length === 0 || (p.length === 1 && p[0] === 'Records') ? 'descend' : 'emit');

function errorOf(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ImportError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('streamed JSON documents', () => {
  it('hands over the records of a Records array one by one, with their paths and lines, and the other members', () => {
    const text = '{"Records": [\n {"a": 1},\n {"b": "x\\"]}"}\n ], "Next": null, "n": -1.5e3}';
    const out = scan(text, records);
    expect(out.map((v) => [v.path, v.value, v.line])).toEqual([
      [['Records', 0], { a: 1 }, 2],
      [['Records', 1], { b: 'x"]}' }, 3],
      [['Next'], null, 4],
      [['n'], -1500, 4],
    ]);
  });

  it('gives the same values however the bytes are cut into chunks', () => {
    const value = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(fc.record({ Records: fc.array(value, { maxLength: 6 }), other: value }), fc.array(fc.nat(400), { maxLength: 8 }), fc.boolean(), (doc, cuts, pretty) => {
        const text = JSON.stringify(doc, null, pretty ? 2 : undefined);
        const out = scan(text, records, cuts);
        const expected = JSON.parse(text) as { Records: unknown[]; other: unknown };
        expect(out.filter((v) => v.path[0] === 'Records').map((v) => v.value)).toEqual(expected.Records);
        expect(out.find((v) => v.path[0] === 'other')?.value).toEqual(expected.other);
      }),
      { numRuns: 300 },
    );
  });

  it('reads strings full of quotes and backslashes, in records before and after them, however the chunks fall', () => {
    const str = fc.string({ unit: fc.constantFrom('a', '"', '\\', '/', '\n'), maxLength: 12 });
    const rec = fc.record({ s: str, t: fc.array(str, { maxLength: 3 }) });
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 8 }), fc.array(fc.nat(300), { maxLength: 10 }), (list, cuts) => {
        const text = JSON.stringify({ Records: list, after: 'x' });
        expect(scan(text, records, cuts).filter((v) => v.path[0] === 'Records').map((v) => v.value)).toEqual(list);
        expect(scan(text, records, cuts).find((v) => v.path[0] === 'after')?.value).toBe('x');
      }),
      { numRuns: 300 },
    );
  });

  it('gives every element its own path, line and column, whether the chunk holds it with its neighbours or alone', () => {
    // Elements read whole from one chunk are parsed together; each must still carry its own place.
    const rec = fc.record({ a: fc.integer(), s: fc.string({ maxLength: 6 }) });
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 10 }), fc.array(fc.nat(300), { maxLength: 6 }), fc.array(fc.constantFrom(' ', '\n', '\t'), { maxLength: 10 }), (list, cuts, gaps) => {
        let text = '{"Records": [';
        const expected = list.map((value, i) => {
          text += `${i ? ',' : ''}${gaps[i] ?? ''}`;
          const line = text.split('\n').length;
          const column = text.length - text.lastIndexOf('\n');
          text += JSON.stringify(value);
          return { path: ['Records', i], value, line, column };
        });
        text += ']}';
        expect(scan(text, records, cuts).map(({ path, value, line, column }) => ({ path, value, line, column }))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('reports a malformed element at its own place, before any fault further on, and keeps the elements around a skipped one apart', () => {
    const text = '{"Records": [{"a": 1}, {"a": 2},\n {"a": tru}, {"a": 4}] x';
    const err = errorOf(() => scan(text, records));
    expect(err.message).toContain('invalid JSON');
    // The bad literal, not the stray text after the document, although both are on line 2.
    expect(err.location).toBe('line 2, column 8');
    // Nor a bad property name after the array.
    expect(errorOf(() => scan('{"Records": [{"a": 1}, {"a": tru}], "b\\q": 1}', records)).location).toBe('line 1, column 30');
    // The second element is passed over: its neighbours are handed over, and nothing of it.
    const skipSecond = (p: JsonPathParts): StreamChoice => (p.length < 2 ? 'descend' : p[1] === 1 ? 'skip' : 'emit');
    expect(scan('{"Records": [{"a": 1}, {"b": 2}, {"c": 3}, 4]}', skipSecond).map((v) => [v.path[1], v.value])).toEqual([[0, { a: 1 }], [2, { c: 3 }], [3, 4]]);
  });

  it('walks into nested arrays it is told to, skips what it is told to, and reads a root array', () => {
    const text = '{"metadata": {"k": 1}, "graph": {"nodes": [{"id": 1}, {"id": 2}], "edges": [{"e": 1}]}}';
    const choose = (p: JsonPathParts): StreamChoice => (p.length === 0 || p[0] === 'graph' && p.length <= 2 ? 'descend' : p[1] === 'edges' ? 'skip' : 'emit');
    expect(scan(text, choose).map((v) => jsonPathOf(v.path))).toEqual(['metadata', 'graph.nodes.0', 'graph.nodes.1']);
    expect(scan(' [1, "two", [3]] ', () => 'descend').map((v) => v.value)).toEqual([1, 'two', 3]);
  });

  it('refuses broken structure with the line and column, and a truncated file as truncated', () => {
    expect(errorOf(() => scan('{"Records": [\n  {"a": 1} {"b": 2}]}', records)).message).toBe("f.json (line 2, column 12): invalid JSON: ']' or ',' was expected");
    expect(errorOf(() => scan('{"Records": [\n  {"a": 1},\n  {"b": tru}]}', records)).message).toMatch(/^f\.json \(line 3, column 9\): invalid JSON: /);
    expect(errorOf(() => scan('{"Records": [{"a": 1}', records)).message).toMatch(/truncated/);
    expect(errorOf(() => scan('{"Records": []} x', records)).message).toMatch(/text after the end/);
    expect(errorOf(() => scan('   ', records)).message).toMatch(/holds no value/);
  });

  it('caps nesting depth and the size of one value while scanning', () => {
    expect(errorOf(() => scan(`{"Records": [${'['.repeat(100_000)}`, records)).message).toMatch(/nested deeper than 50 levels/);
    expect(errorOf(() => scan(`{"Records": ["${'x'.repeat(5000)}"]}`, records, [100, 2000], { maxDepth: 50, maxLineBytes: 1000 })).message).toBe('f.json ($.Records[0], starting at line 1, column 14): a value larger than 1000 bytes, more than one record of an export ever holds');
  });

  it('passes over a skipped value of any size (it is never held), and still caps its nesting', () => {
    const skipBig = (p: JsonPathParts) => (p.length === 0 ? 'descend' : p[0] === 'edges' ? 'skip' : 'emit');
    const big = JSON.stringify({ edges: Array.from({ length: 200 }, (_, i) => ({ kind: 'X', start: { value: `n${i}` } })), nodes: [1] });
    const small = { maxDepth: 50, maxLineBytes: 1000 };
    expect(scan(big, skipBig, [100, 2000, 5000], small).map((v) => [v.path, v.value])).toEqual([[['nodes'], [1]]]);
    expect(errorOf(() => scan(`{"edges": ${'['.repeat(100)}`, skipBig, [], small)).message).toMatch(/nested deeper than 50 levels/);
  });
});

function jsonPathOf(p: JsonPathParts): string {
  return p.join('.');
}

describe('strings poured into a sink', () => {
  it('hands a long string over in pieces, however the chunks fall, and the rest as values', () => {
    const content = 'QUJD'.repeat(5000) + 'a\\/b';
    const text = `{"files": [{"name": "a.json", "contentBase64": "${content}"}, {"contentBase64": "", "name": "b"}], "options": {"x": 1}}`;
    fc.assert(
      fc.property(fc.array(fc.nat(text.length), { maxLength: 10 }), (cuts) => {
        const got = new Map<string, string>();
        const ends: string[] = [];
        const sink = { chunk: (p: JsonPathParts, raw: Buffer) => got.set(String(p[1]), (got.get(String(p[1])) ?? '') + raw.toString()), end: (p: JsonPathParts) => ends.push(String(p[1])) };
        const s = new JsonStreamScanner('body', (p) => (p.length < 3 && p[0] !== 'options' ? 'descend' : p[2] === 'contentBase64' ? 'sink' : 'emit'), LIMITS, sink);
        const out: StreamedValue[] = [];
        const bytes = Buffer.from(text);
        let at = 0;
        for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
          s.push(bytes.subarray(at, cut), out);
          at = cut;
        }
        s.push(bytes.subarray(at), out);
        s.end(out);
        expect(got.get('0')).toBe(content);
        expect(got.get('1') ?? '').toBe('');
        expect(ends).toEqual(['0', '1']);
        expect(out.map((v) => [v.path.join('.'), v.value])).toEqual([['files.0.name', 'a.json'], ['files.1.name', 'b'], ['options', { x: 1 }]]);
      }),
      { numRuns: 200 },
    );
  });
  it("stops where the caller says 'stop': nothing after is read, not even a syntax error", async () => {
    const { streamJsonBatches } = await import('../../src/importers/json-stream.js');
    const text = '{"meta": {"k": 1}, "list": [1, 2], "rest": [3, 4 oops';
    const choose = (p: JsonPathParts): StreamChoice => (p.length === 0 ? 'descend' : p[0] === 'rest' ? 'stop' : 'emit');
    const chunks = async function* () {
      for (let i = 0; i < text.length; i += 7) yield Buffer.from(text.slice(i, i + 7));
    };
    const seen: unknown[] = [];
    for await (const batch of streamJsonBatches('f.json', chunks(), choose, LIMITS)) for (const v of batch) seen.push(v.value);
    expect(seen).toEqual([{ k: 1 }, [1, 2]]);
    // Without the stop the same text is refused.
    expect(() => scan(text, (p) => (p.length === 0 ? 'descend' : 'emit'))).toThrow(/invalid JSON/);
  });
});
