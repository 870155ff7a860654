// JSON text checks shared by whole-file parsing, JSON-lines and streamed documents: nesting depth without
// recursion, and syntax errors described in words with their line and column (never the engine's message).
import { parse as parseTolerant, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { ImportError, SeveralJsonValuesError, valueKindAt } from './errors.js';
import { DEFAULT_LIMITS, type InputLimits } from './limits.js';

/**
 * The offset of the first '[' or '{' that opens a container nested deeper than `max` (strings skipped), or -1.
 * A parser may be iterative, but the code that walks what it returns (importers, JSON.stringify when a value is
 * stored) recurses: a file of a million '[' must be refused with its place instead of overflowing the stack.
 * One pass of charCodeAt, nothing else: an earlier version skipped strings with indexOf(…, from), which V8's
 * optimised code made cost ~10 µs per character once the function was hot (40 s for a 3 MB export in a long import).
 */
export function tooDeepAt(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      // A backslash escapes the next character; a line break ends the string too (JSON strings hold none; this is
      // where jsonc-parser, which describes syntax errors, ends one), so a broken quote cannot hide nesting.
      if (c === 0x5c) {
        if (text.charCodeAt(i + 1) !== 0x0a) i++;
      } else if (c === 0x22 || c === 0x0a) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

const JSON_ERROR_WORDS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'a number is not written as JSON writes numbers',
  ValueExpected: 'a value was expected',
  ColonExpected: "':' was expected",
  CommaExpected: "',' was expected",
  CloseBraceExpected: "'}' was expected",
  CloseBracketExpected: "']' was expected",
  PropertyNameExpected: 'a property name was expected',
  EndOfFileExpected: 'text after the end of the JSON value',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfComment: 'a comment is not closed',
  UnexpectedEndOfNumber: 'a number is not finished',
  InvalidUnicode: 'an invalid \\u escape',
  InvalidEscapeCharacter: 'an invalid escape in a string',
  InvalidCharacter: 'a control character inside a string',
  InvalidCommentToken: 'comments are not JSON',
};

/**
 * What is wrong with a JSON text JSON.parse refused, in words, and where: a second, error-tolerant pass
 * (jsonc-parser) finds the offset V8's message does not always give. Call it only on text within the depth limit.
 */
export function jsonSyntaxError(text: string): { detail: string; offset: number } {
  const errors: ParseError[] = [];
  try {
    parseTolerant(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    // jsonc-parser recurses: on text nested deeper than a check before it saw, say less rather than overflow.
    return { detail: 'not valid JSON (nested too deep to say where)', offset: errors[0]?.offset ?? 0 };
  }
  const first = errors[0];
  const offset = first?.offset ?? text.length;
  if (offset >= text.trimEnd().length) return { detail: 'the text ends in the middle of a value (truncated?)', offset };
  const code = first ? printParseErrorCode(first.error) : 'InvalidSymbol';
  return { detail: JSON_ERROR_WORDS[code] ?? 'not valid JSON here', offset };
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lastBreak = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lastBreak = i;
  }
  return { line, column: offset - lastBreak };
}

/** Shifts a place inside a value to the file: the value starts at (line, column) of the file. */
export function placeIn(text: string, offset: number, start: { line: number; column: number } = { line: 1, column: 1 }): string {
  const at = lineColumn(text, offset);
  return `line ${start.line + at.line - 1}, column ${at.line === 1 ? start.column + at.column - 1 : at.column}`;
}

/**
 * Whether a parsed value nests containers deeper than `max` (the root container is level 1), without recursion.
 * For text JSON.parse accepted this answers what tooDeepAt would, but walks the values instead of every character:
 * a 20 MB export has a few hundred thousand containers and twenty million characters, most of them inside strings.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: object[] = [value];
  const depths: number[] = [1];
  while (stack.length) {
    const v = stack.pop()!;
    const d = depths.pop()!;
    if (d > max) return true;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const c: unknown = v[i];
        if (c !== null && typeof c === 'object') {
          stack.push(c);
          depths.push(d + 1);
        }
      }
    } else {
      for (const k in v) {
        const c: unknown = (v as Record<string, unknown>)[k];
        if (c !== null && typeof c === 'object') {
          stack.push(c);
          depths.push(d + 1);
        }
      }
    }
  }
  return false;
}

/** JSON.parse refusing nesting deeper than `max`; undefined when the text is not valid JSON (the caller says why). */
function parseWithinDepth(text: string, max: number): { value: unknown } | { deepAt: number } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    // Nesting first, as before: what is wrong is said only of text within the limit (jsonSyntaxError recurses).
    const deep = tooDeepAt(text, max);
    return deep === -1 ? undefined : { deepAt: deep };
  }
  // Parsed: the depth is checked on the value (the character scan runs only to find the place of a refusal).
  if (nestedDeeperThan(value, max)) return { deepAt: Math.max(0, tooDeepAt(text, max)) };
  return { value };
}

/**
 * JSON.parse with the limits: nesting deeper than allowed is refused with its place, and a syntax error becomes an
 * ImportError naming line and column. `start` is where the text begins in its file (a line of JSON-lines, a record).
 */
export function parseJsonText(fileName: string, text: string, limits: Pick<InputLimits, 'maxDepth'> = DEFAULT_LIMITS, start?: { line: number; column: number }): unknown {
  const parsed = parseWithinDepth(text, limits.maxDepth);
  if (parsed && 'value' in parsed) return parsed.value;
  if (parsed) throw new ImportError(fileName, `invalid JSON: nested deeper than ${limits.maxDepth} levels`, placeIn(text, parsed.deepAt, start));
  const { detail, offset } = jsonSyntaxError(text);
  // A complete value followed by another: JSON-lines or appended documents, which a one-document format is not.
  // A byte-order mark between them (files written by Windows PowerShell 5.1, then concatenated) is one too, once the
  // text before it is a whole value.
  const afterBom = !start && text.charCodeAt(offset) === 0xfeff && parseWithinDepth(text.slice(0, offset), limits.maxDepth) !== undefined;
  const next = (!start && detail === JSON_ERROR_WORDS['EndOfFileExpected']) || afterBom ? /^\s*([{[])/.exec(text.slice(offset)) : null;
  if (next) {
    throw new SeveralJsonValuesError(fileName, placeIn(text, offset + next[0].length - 1), valueKindAt(next[1]));
  }
  const whole = !start && detail.startsWith('the text ends') ? 'the file ends in the middle of a value (truncated?)' : detail;
  throw new ImportError(fileName, `invalid JSON: ${whole}`, placeIn(text, offset, start));
}

/**
 * JSON held inside a value (a policy document as a string, a CloudTrailEvent): parsed within the depth limit, or
 * what is wrong with it in words and where (a character offset into the value), never the engine's message.
 */
export function parseEmbeddedJson(text: string, maxDepth: number = DEFAULT_LIMITS.maxDepth): { value: unknown } | { error: string } {
  const parsed = parseWithinDepth(text, maxDepth);
  if (parsed && 'value' in parsed) return parsed;
  if (parsed) return { error: `nested deeper than ${maxDepth} levels (character ${parsed.deepAt + 1})` };
  const { detail, offset } = jsonSyntaxError(text);
  return { error: `${detail} (character ${offset + 1})` };
}

/**
 * JSON documents written one after another in one text (appended command output, records written back to back):
 * each parsed within the limits, with the line and column it starts at. A document cut short is a syntax error
 * at its place. Brackets are counted outside strings to find where each ends, in one pass over the text.
 */
export function* appendedJsonValues(fileName: string, text: string, limits: Pick<InputLimits, 'maxDepth'> = DEFAULT_LIMITS): Iterable<{ value: unknown; start: { line: number; column: number } }> {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  for (;;) {
    for (; i < text.length && /\s/.test(text[i]!); i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    if (i >= text.length) return;
    const start = { line, column: i - lineStart + 1 };
    const from = i;
    let depth = 0;
    let inString = false;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        line++;
        lineStart = i + 1;
      }
      if (inString) {
        if (c === 92) i++;
        else if (c === 34) inString = false;
      } else if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if ((c === 125 || c === 93) && --depth <= 0) {
        i++;
        break;
      }
    }
    yield { value: parseJsonText(fileName, text.slice(from, i), limits, start), start };
  }
}
