import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nestedDeeperThan, parseEmbeddedJson, parseJsonText, tooDeepAt } from '../../src/importers/json-syntax.js';

/** The nesting of a parsed value, walked without the code under test (containers count one level each). */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (value && typeof value === 'object') return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

describe('tooDeepAt: the nesting check before JSON.parse', () => {
  it('agrees with the depth of the parsed value for any JSON text, strings full of brackets, quotes and escapes included', () => {
    const text = fc.oneof(fc.string(), fc.constantFrom('[', '{', '"', '\\', '\\"', '"]', '\\\\'));
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.array(text).map((a) => a.join('')), fc.integer(), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(text.map(String), tie('value'), { maxKeys: 3 })),
    })).value;
    fc.assert(
      fc.property(json, fc.integer({ min: 0, max: 6 }), fc.boolean(), (value, max, pretty) => {
        const source = JSON.stringify(value, null, pretty ? 2 : undefined);
        const at = tooDeepAt(source, max);
        expect(at === -1).toBe(depthOf(value) <= max);
        // When refused, the place named opens a container.
        if (at !== -1) expect('[{').toContain(source[at]);
      }),
      { numRuns: 500 },
    );
  });

  it('names the bracket that passes the limit, and is not fooled by brackets inside strings', () => {
    expect(tooDeepAt('{"a":[[1]]}', 2)).toBe(6);
    expect(tooDeepAt('{"a":"[[[[[\\"[[["}', 1)).toBe(-1);
    expect(tooDeepAt('["\\\\",[[0]]]', 3)).toBe(-1);
    expect(tooDeepAt('["\\\\",[[0]]]', 2)).toBe(7);
  });

  it('ends a string at a line break, as the syntax error pass does: a broken quote cannot hide nesting', () => {
    expect(tooDeepAt('{"a": "open\n[[[[', 3)).toBe(14);
    expect(tooDeepAt('{"a": "open\\\n[[[[', 3)).toBe(15);
  });
});

describe('nestedDeeperThan: the nesting check after JSON.parse', () => {
  it('agrees with the depth of the value for any JSON value', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.string(), tie('value'), { maxKeys: 3 })),
    })).value;
    fc.assert(
      fc.property(json, fc.integer({ min: 0, max: 6 }), (value, max) => {
        expect(nestedDeeperThan(value, max)).toBe(depthOf(value) > max);
      }),
      { numRuns: 500 },
    );
  });

  it('valid JSON too deep is still refused with the place of the bracket that passes the limit', () => {
    const text = `{"a": ${'['.repeat(250)}1${']'.repeat(250)}}`;
    expect(() => parseJsonText('deep.json', text)).toThrow('deep.json (line 1, column 206): invalid JSON: nested deeper than 200 levels');
    expect(parseEmbeddedJson(text)).toEqual({ error: 'nested deeper than 200 levels (character 206)' });
    // A hundred thousand levels, closed: JSON.parse may accept it; it must be refused all the same, not walked recursively.
    const huge = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(parseEmbeddedJson(huge)).toEqual({ error: 'nested deeper than 200 levels (character 201)' });
  });
});

