import { gunzipSync } from 'node:zlib';
import { parse as parseTolerant, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { ImportError, SeveralJsonValuesError } from './errors.js';
import type { ImportInput, Probe } from './types.js';

const PROBE_BYTES = 64 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b];

/** Wraps the bytes of one file: gunzips, rejects empty and binary files, and decodes lazily. */
export function createInput(fileName: string, raw: Buffer): ImportInput {
  if (raw.length === 0) throw new ImportError(fileName, 'the file is empty');
  let bytes = raw;
  if (raw[0] === GZIP_MAGIC[0] && raw[1] === GZIP_MAGIC[1]) {
    try {
      bytes = gunzipSync(raw);
    } catch (err) {
      throw new ImportError(fileName, `the file looks gzip-compressed but cannot be decompressed (${(err as Error).message})`);
    }
    if (bytes.length === 0) throw new ImportError(fileName, 'the file is empty once decompressed');
  }
  const binaryAt = findBinary(bytes.subarray(0, PROBE_BYTES));
  if (binaryAt !== undefined) {
    throw new ImportError(fileName, 'this is a binary file, not a text export (JSON, JSON-lines, CSV or YAML)', `byte ${binaryAt}`);
  }
  let text: string | undefined;
  let parsed: { value: unknown } | undefined;
  const input: ImportInput = {
    fileName,
    bytes,
    text() {
      text ??= stripBom(bytes.toString('utf8'));
      return text;
    },
    json() {
      parsed ??= { value: parseJson(fileName, input.text()) };
      return parsed.value;
    },
    *jsonLines() {
      const all = input.text();
      let line = 0;
      let start = 0;
      while (start <= all.length) {
        let end = all.indexOf('\n', start);
        if (end === -1) end = all.length;
        line++;
        const row = all.slice(start, end).trim();
        start = end + 1;
        if (!row) continue;
        try {
          yield { line, value: JSON.parse(row) as unknown };
        } catch (err) {
          yield { line, error: (err as Error).message };
        }
      }
    },
  };
  return input;
}

export function probeOf(input: ImportInput): Probe {
  const head = stripBom(input.bytes.subarray(0, PROBE_BYTES).toString('utf8'));
  const trimmed = head.trimStart();
  return { fileName: input.fileName, head, looksJson: trimmed.startsWith('{') || trimmed.startsWith('[') };
}

/** Position of the first byte that cannot be text: a NUL or a run of invalid UTF-8. */
function findBinary(sample: Buffer): number | undefined {
  const nul = sample.indexOf(0);
  if (nul !== -1) return nul;
  const decoded = sample.toString('utf8');
  let bad = 0;
  for (let i = 0; i < decoded.length; i++) {
    const c = decoded.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12)) {
      bad++;
      // A truncated multi-byte character at the sample's end is not binary; a run of them is.
      if (bad > 8 && bad > decoded.length / 100) return Buffer.byteLength(decoded.slice(0, i), 'utf8');
    }
  }
  return undefined;
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

const JSON_ERROR_WORDS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  ValueExpected: 'a value was expected',
  ColonExpected: "':' was expected",
  CommaExpected: "',' was expected",
  CloseBraceExpected: "'}' was expected",
  CloseBracketExpected: "']' was expected",
  PropertyNameExpected: 'a property name was expected',
  EndOfFileExpected: 'text after the end of the JSON value',
  UnexpectedEndOfString: 'a string is not closed',
  InvalidCommentToken: 'comments are not JSON',
};

/**
 * JSON.parse, and on failure a second, error-tolerant pass (jsonc-parser) that finds the offset
 * V8's message does not always give, reported as line and column.
 */
export function parseJson(fileName: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const errors: ParseError[] = [];
    parseTolerant(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    const offset = first?.offset ?? text.length;
    const { line, column } = lineColumn(text, offset);
    const code = first ? printParseErrorCode(first.error) : 'InvalidSymbol';
    // A complete value followed by another: JSON-lines or appended documents, which the format is not.
    if (code === 'EndOfFileExpected' && /^\s*[{[]/.test(text.slice(offset))) throw new SeveralJsonValuesError(fileName, `line ${line}, column ${column}`);
    if (offset >= text.trimEnd().length) {
      throw new ImportError(fileName, 'invalid JSON: the file ends in the middle of a value (truncated?)', `line ${line}, column ${column}`);
    }
    throw new ImportError(fileName, `invalid JSON: ${JSON_ERROR_WORDS[code] ?? code}`, `line ${line}, column ${column}`);
  }
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
