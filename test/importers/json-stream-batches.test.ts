import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/importers/errors.js';
import { streamJson, streamJsonBatches, type JsonPathParts, type StreamedValue } from '../../src/importers/json-stream.js';

const LIMITS = { maxDepth: 50, maxLineBytes: 1 << 20 };
const items = (p: JsonPathParts) => (p.length === 0 || (p.length === 1 && p[0] === 'items') ? 'descend' : 'emit');

async function* chunksOf(bytes: Buffer, cuts: number[]): AsyncIterable<Buffer> {
  let at = 0;
  for (const cut of [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b)) {
    yield bytes.subarray(at, cut);
    at = cut;
  }
  yield bytes.subarray(at);
}

async function batches(text: string, cuts: number[]): Promise<StreamedValue[][]> {
  const out: StreamedValue[][] = [];
  for await (const b of streamJsonBatches('f.json', chunksOf(Buffer.from(text), cuts), items, LIMITS)) out.push(b);
  return out;
}

async function oneByOne(text: string, cuts: number[]): Promise<StreamedValue[]> {
  const out: StreamedValue[] = [];
  for await (const v of streamJson('f.json', chunksOf(Buffer.from(text), cuts), items, LIMITS)) out.push(v);
  return out;
}

describe('streamed JSON values an array at a time', () => {
  it('hands over, chunk by chunk, exactly the values a one-by-one stream hands over, never an empty array', async () => {
    const doc = fc.record({ items: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 20 }), kind: fc.string(), n: fc.integer() });
    await fc.assert(
      fc.asyncProperty(doc, fc.array(fc.nat(400), { maxLength: 6 }), async (d, cuts) => {
        const text = JSON.stringify(d, null, 1);
        const got = await batches(text, cuts);
        expect(got.every((b) => b.length > 0)).toBe(true);
        expect(got.flat()).toEqual(await oneByOne(text, cuts));
        expect(got.flat().filter((v) => v.path[0] === 'items').map((v) => v.value)).toEqual(JSON.parse(JSON.stringify(d.items)));
      }),
      { numRuns: 200 },
    );
  });

  it('throws a bad chunk before handing over any of its values, with the place of the error', async () => {
    const text = '{"items": [{"a": 1}, {"b": 2}, {"c": 3} {"d": 4}]}';
    const seen: StreamedValue[] = [];
    const err = await (async () => {
      try {
        for await (const b of streamJsonBatches('f.json', chunksOf(Buffer.from(text), [20]), items, LIMITS)) seen.push(...b);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).message).toMatch(/invalid JSON/);
    // The first chunk (up to byte 20) completed {"a": 1} only; the second holds the error.
    expect(seen.map((v) => v.value)).toEqual([{ a: 1 }]);
  });
});
