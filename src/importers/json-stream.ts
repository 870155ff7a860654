// One JSON document read as a stream: the caller says which containers to walk into (the root, "Records", "items",
// "graph.nodes"…), and every other value is handed over parsed, with its JSON path and its line and column. Memory
// holds one chunk's values, never the file, so a CloudTrail log or a Kubernetes List of any size can be read. The
// structure walked into is checked here; values are parsed by JSON.parse (native, fast), neighbours in one call.
// Nesting depth and value size are capped while scanning, so a hostile file is refused with its place before
// anything recurses.
// (stream-json builds the same thing from per-token objects, reports no positions and says it is not meant for
// untrusted input; this scanner only needs to find where values start and end.)
import { ImportError, jsonPath, SeveralJsonValuesError } from './errors.js';
import { jsonSyntaxError, placeIn } from './json-syntax.js';
import { sizeText, type InputLimits } from './limits.js';

export type JsonPathParts = (string | number)[];

/**
 * What to do with the value at a path: walk into it (objects and arrays), hand it over parsed, pass over it, (a
 * string, of any length) hand its raw content, escapes as written, to the sink chunk by chunk, or stop reading: the
 * caller wants nothing further in the document (the rest is neither read nor checked; another pass must be).
 */
export type StreamChoice = 'descend' | 'emit' | 'skip' | 'sink' | 'stop';

/** Where the content of strings chosen 'sink' goes, in pieces, without ever being held whole. */
export interface StringSink {
  chunk(path: JsonPathParts, raw: Buffer): void;
  end(path: JsonPathParts): void;
}

export interface StreamedValue {
  path: JsonPathParts;
  value: unknown;
  /** Where the value starts in the file. */
  line: number;
  column: number;
}

interface Frame {
  array: boolean;
  /** The key of the member being read (objects) or the index of the element (arrays). */
  at: string | number;
  /** What the next significant character may be. */
  expect: 'first' | 'key' | 'colon' | 'value' | 'next';
}

const WS = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;
const DELIM = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d, 0x2c, 0x5d, 0x7d]) DELIM[c] = 1;

/** Outside strings, what a byte inside a value is: 1 a quote, 2 a newline, 3 an opening bracket, 4 a closing one. */
const VALUE_STOP = new Uint8Array(256);
VALUE_STOP[0x22] = 1;
VALUE_STOP[0x0a] = 2;
VALUE_STOP[0x7b] = VALUE_STOP[0x5b] = 3;
VALUE_STOP[0x7d] = VALUE_STOP[0x5d] = 4;
/** Inside strings, the bytes that end the plain run: a quote or a backslash. */
const STRING_STOP = new Uint8Array(256);
STRING_STOP[0x22] = STRING_STOP[0x5c] = 1;
/** Bytes of a string read one by one before indexOf takes over (a call costs about as much as this many bytes). */
const SHORT_STRING = 48;

/** Whether bytes [from, to) of a chunk hold one comma and whitespace only: two neighbouring elements of an array. */
function onlyComma(chunk: Buffer, from: number, to: number): boolean {
  let commas = 0;
  for (let i = from; i < to; i++) {
    const c = chunk[i]!;
    if (c === 0x2c) commas++;
    else if (!WS[c]) return false;
  }
  return commas === 1;
}

/** Push-style scanner: feed chunks, collect the values each chunk completes. */
export class JsonStreamScanner {
  private readonly frames: Frame[] = [];
  private rootDone = false;
  private rootStarted = false;
  private line = 1;
  private lineStart = 0;
  private base = 0;
  private bomChecked = false;
  // A value (or key) being collected across chunks, or a string being poured into the sink.
  private mode: 'structure' | 'key' | 'value' | 'sink' = 'structure';
  private pieces: Buffer[] = [];
  private size = 0;
  private kind: 'container' | 'string' | 'scalar' = 'scalar';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private emit = true;
  /** Where the key or value being read starts (numbers, not an object: one is read per value). */
  private startLine = 1;
  private startColumn = 1;
  private path: JsonPathParts = [];
  /** Where the next backslash of the chunk being read is (-1: none left; -2: not looked for yet). */
  private backslash = -2;
  /** The caller chose 'stop': nothing more is read. */
  stopped = false;
  /**
   * Values chosen 'emit' that start and end in the chunk being read, not parsed yet: consecutive elements of one
   * array (nothing but a comma and whitespace between them) are parsed by one JSON.parse of the text that holds them,
   * as an array. A million small edges parsed one by one cost a decoded string and a parse call each, about three
   * times a parse of the whole document.
   */
  private batch: { chunk: Buffer; from: number; to: number; values: { path: JsonPathParts; line: number; column: number; from: number; to: number }[] } | undefined;
  /** Where push() collects values, for the batch to be flushed into before an error is thrown. */
  private out: StreamedValue[] | undefined;

  constructor(
    private readonly fileName: string,
    private readonly choose: (path: JsonPathParts, container: boolean, array: boolean) => StreamChoice,
    private readonly limits: Pick<InputLimits, 'maxDepth' | 'maxLineBytes'>,
    private readonly sink?: StringSink,
  ) {}

  push(chunk: Buffer, out: StreamedValue[]): void {
    this.out = out;
    try {
      this.read(chunk, out);
    } finally {
      this.out = undefined;
    }
    this.flushBatch(out);
  }

  private read(chunk: Buffer, out: StreamedValue[]): void {
    this.backslash = -2;
    let i = 0;
    if (!this.bomChecked) {
      this.bomChecked = true;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    const n = chunk.length;
    let from = i;
    while (i < n) {
      if (this.mode === 'structure') {
        i = this.structure(chunk, i);
        from = i;
        continue;
      }
      if (this.mode === 'sink') {
        // Past the opening quote on the first call; the content goes out as it comes, up to the closing quote.
        const first = this.size === 0;
        const begin = first ? i + 1 : i;
        const end = this.stringEnd(chunk, begin, true);
        const stop = end === -1 ? n : end - 1;
        if (stop > begin) this.sink!.chunk(this.path, chunk.subarray(begin, stop));
        this.size += stop - begin + (first ? 1 : 0);
        if (end === -1) break;
        i = end;
        this.mode = 'structure';
        this.sink!.end(this.path);
        from = i;
        continue;
      }
      // Collecting a key or a value: find where it ends in this chunk.
      const end = this.mode === 'key' ? this.stringEnd(chunk, i) : this.valueEnd(chunk, i);
      const stop = end === -1 ? n : end;
      // A value passed over is never held: only what is kept counts against the cap (an OpenGraph node pass skips
      // the whole edge list).
      let whole: string | undefined;
      if (this.mode === 'key' || this.emit) {
        this.size += stop - from;
        if (this.size > this.limits.maxLineBytes) {
          this.flushBatch(out);
          throw new ImportError(this.fileName, `${this.mode === 'key' ? 'a property name' : 'a value'} larger than ${sizeText(this.limits.maxLineBytes)}, more than one record of an export ever holds`, `${jsonPath(...this.path)}, starting at line ${this.startLine}, column ${this.startColumn}`);
        }
        // A value that starts and ends in this chunk (nearly all) is read straight from it: no Buffer view made
        // per value, which a million small edges would pay for in allocation and garbage collection.
        if (end !== -1 && this.pieces.length === 0) {
          if (this.mode === 'value') {
            this.mode = 'structure';
            this.defer(chunk, from, stop, out);
            i = end;
            from = i;
            continue;
          }
          whole = chunk.toString('utf8', from, stop);
        } else this.pieces.push(chunk.subarray(from, stop));
      }
      if (end === -1) break;
      i = end;
      this.finish(out, whole);
      from = i;
    }
    this.base += n;
  }

  end(out: StreamedValue[]): void {
    this.flushBatch(out);
    if (this.mode === 'value' && this.kind === 'scalar') this.finish(out);
    if (this.rootDone && this.mode === 'structure' && this.frames.length === 0) return;
    if (!this.rootStarted) throw new ImportError(this.fileName, 'invalid JSON: the file holds no value', this.where());
    throw new ImportError(this.fileName, 'invalid JSON: the file ends in the middle of a value (truncated?)', this.where());
  }

  private where(offset = this.base): string {
    return `line ${this.line}, column ${offset - this.lineStart + 1}`;
  }

  /** Throws what is wrong at `chunkOffset`; `null`: a second document starts there. */
  private fail(detail: string | null, chunkOffset: number, second?: 'array' | 'object'): never {
    // Values read before the fault are parsed first: one of them may be the first error in the file.
    if (this.out) this.flushBatch(this.out);
    const where = this.where(this.base + chunkOffset);
    if (detail === null) throw new SeveralJsonValuesError(this.fileName, where, second);
    throw new ImportError(this.fileName, `invalid JSON: ${detail}`, where);
  }

  private newline(chunkOffset: number): void {
    this.line++;
    this.lineStart = this.base + chunkOffset + 1;
  }

  /** Reads structure (whitespace, punctuation) up to the start of a key or of a value not walked into. */
  private structure(chunk: Buffer, i: number): number {
    const n = chunk.length;
    for (; i < n; i++) {
      const c = chunk[i]!;
      if (WS[c]) {
        if (c === 0x0a) this.newline(i);
        continue;
      }
      const top = this.frames[this.frames.length - 1];
      if (!top) {
        if (this.rootDone) {
          // Another document after the first (appended outputs, JSON-lines): the error a whole read gives, so an
          // importer that reads appended documents, and the import's message for one-document formats, know it.
          if (c === 0x7b || c === 0x5b) this.fail(null, i, c === 0x5b ? 'array' : 'object');
          this.fail('text after the end of the JSON value', i);
        }
        this.rootStarted = true;
        return this.beginValue(chunk, i);
      }
      if (top.expect === 'first' || top.expect === 'next') {
        if (c === (top.array ? 0x5d : 0x7d)) {
          this.frames.pop();
          continue;
        }
        if (top.expect === 'next') {
          if (c !== 0x2c) this.fail(`'${top.array ? ']' : '}'}' or ',' was expected`, i);
          if (top.array) (top.at as number)++;
          top.expect = top.array ? 'value' : 'key';
          continue;
        }
        top.expect = top.array ? 'value' : 'key';
      }
      if (top.expect === 'key') {
        if (c !== 0x22) this.fail('a property name was expected', i);
        this.mode = 'key';
        this.path = this.pathHere();
        this.pieces = [];
        this.size = 0;
        this.escaped = false;
        this.startLine = this.line;
        this.startColumn = this.base + i - this.lineStart + 1;
        return i;
      }
      if (top.expect === 'colon') {
        if (c !== 0x3a) this.fail("':' was expected", i);
        top.expect = 'value';
        continue;
      }
      return this.beginValue(chunk, i);
    }
    return i;
  }

  private pathHere(): JsonPathParts {
    return this.frames.map((f) => f.at);
  }

  private beginValue(chunk: Buffer, i: number): number {
    const c = chunk[i]!;
    const path = this.pathHere();
    const container = c === 0x7b || c === 0x5b;
    const choice = this.choose(path, container, c === 0x5b);
    if (choice === 'stop') {
      this.stopped = true;
      return chunk.length;
    }
    const top = this.frames[this.frames.length - 1];
    if (top) top.expect = 'next';
    else this.rootDone = true;
    if (container && choice === 'descend') {
      if (this.frames.length + 1 > this.limits.maxDepth) this.fail(`nested deeper than ${this.limits.maxDepth} levels`, i);
      this.frames.push({ array: c === 0x5b, at: c === 0x5b ? 0 : '', expect: 'first' });
      return i + 1;
    }
    if (c === 0x5d || c === 0x7d || c === 0x2c || c === 0x3a) this.fail('a value was expected', i);
    if (choice === 'sink' && c === 0x22 && this.sink) {
      this.mode = 'sink';
      this.path = path;
      this.pieces = [];
      this.size = 0;
      this.escaped = false;
      return i;
    }
    this.mode = 'value';
    this.kind = container ? 'container' : c === 0x22 ? 'string' : 'scalar';
    this.emit = choice !== 'skip';
    this.path = path;
    this.pieces = [];
    this.size = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.startLine = this.line;
    this.startColumn = this.base + i - this.lineStart + 1;
    return i;
  }

  /** Index just past the closing quote of the key (or sink string) being read, or -1 when the chunk ends first. */
  private stringEnd(chunk: Buffer, i: number, started = false): number {
    // The opening quote is at i on the first call.
    if (!started && this.size === 0 && this.pieces.length === 0) i++;
    const n = chunk.length;
    for (; i < n; i++) {
      const c = chunk[i]!;
      if (this.escaped) this.escaped = false;
      else if (c === 0x5c) this.escaped = true;
      else if (c === 0x22) return i + 1;
      else if (c === 0x0a) this.newline(i);
    }
    return -1;
  }

  /** Index just past the end of the value being collected, or -1 when the chunk ends first. */
  private valueEnd(chunk: Buffer, i: number): number {
    const n = chunk.length;
    if (this.kind === 'scalar') {
      for (; i < n; i++) if (DELIM[chunk[i]!]) return i;
      return -1;
    }
    // Every byte of the file passes here: the state lives in locals (written back when the value or the chunk
    // ends), and one table look-up tells the few bytes that matter outside strings from the rest.
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    const deepest = this.limits.maxDepth - this.frames.length;
    const stringOnly = this.kind === 'string';
    let end = -1;
    while (i < n) {
      if (inString) {
        if (escaped) {
          escaped = false;
          i++;
          continue;
        }
        // Most strings (keys, names) are short: read here up to a quote or backslash. A longer one is jumped
        // through by indexOf; the next backslash is remembered for the chunk: most exports have none, and looking
        // for it afresh at every string would read the rest of the chunk each time.
        const limit = i + SHORT_STRING < n ? i + SHORT_STRING : n;
        let j = i;
        while (j < limit && !STRING_STOP[chunk[j]!]) j++;
        // The chunk ends inside the string: the next one goes on with it.
        if (j === n) break;
        if (j === limit) {
          const q = chunk.indexOf(0x22, j);
          if (this.backslash !== -1 && this.backslash < j) this.backslash = chunk.indexOf(0x5c, j);
          const b = this.backslash;
          j = q === -1 ? b : b === -1 ? q : Math.min(q, b);
          if (j === -1) break;
        }
        i = j + 1;
        if (chunk[j] === 0x5c) escaped = true;
        else {
          inString = false;
          if (stringOnly) {
            end = i;
            break;
          }
        }
        continue;
      }
      const k = VALUE_STOP[chunk[i]!]!;
      i++;
      if (k === 0) continue;
      if (k === 1) inString = true;
      else if (k === 2) this.newline(i - 1);
      else if (k === 3) {
        if (++depth > deepest) this.fail(`nested deeper than ${this.limits.maxDepth} levels`, i - 1);
      } else if (--depth === 0) {
        end = i;
        break;
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    return end;
  }

  /** A key or value is complete: parse it and hand it over (or note the key). */
  private finish(out: StreamedValue[], whole?: string): void {
    const mode = this.mode;
    this.mode = 'structure';
    if (mode === 'value' && !this.emit) return;
    const text = whole ?? (this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces)).toString('utf8');
    this.pieces = [];
    // Values read before this key or value are parsed first: one of them may be the first error in the file.
    this.flushBatch(out);
    if (mode === 'key') {
      const top = this.frames[this.frames.length - 1]!;
      top.at = this.parse(text, this.startLine, this.startColumn) as string;
      top.expect = 'colon';
      return;
    }
    out.push({ path: this.path, value: this.parse(text, this.startLine, this.startColumn), line: this.startLine, column: this.startColumn });
  }

  /** A value read whole from the chunk: joins the batch when it is the next element of the batch's array. */
  private defer(chunk: Buffer, from: number, to: number, out: StreamedValue[]): void {
    if (!this.emit) return;
    const value = { path: this.path, line: this.startLine, column: this.startColumn, from, to };
    const b = this.batch;
    if (b && b.chunk === chunk && onlyComma(chunk, b.to, from)) {
      b.values.push(value);
      b.to = to;
      return;
    }
    this.flushBatch(out);
    this.batch = { chunk, from, to, values: [value] };
  }

  /** Parses the batch (one JSON.parse of its array) and hands its values over. */
  private flushBatch(out: StreamedValue[]): void {
    const b = this.batch;
    if (!b) return;
    this.batch = undefined;
    const { chunk, values } = b;
    let parsed: unknown;
    if (values.length > 1) {
      try {
        parsed = JSON.parse(arrayText(chunk, b.from, b.to)) as unknown;
      } catch {
        // One of them is malformed: parsed one by one below, the first bad one is reported at its own place.
      }
    }
    if (Array.isArray(parsed) && parsed.length === values.length) {
      for (let k = 0; k < values.length; k++) {
        const v = values[k]!;
        out.push({ path: v.path, value: parsed[k], line: v.line, column: v.column });
      }
      return;
    }
    for (const v of values) out.push({ path: v.path, value: this.parse(chunk.toString('utf8', v.from, v.to), v.line, v.column), line: v.line, column: v.column });
  }

  private parse(text: string, line: number, column: number): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      const { detail, offset } = jsonSyntaxError(text);
      throw new ImportError(this.fileName, `invalid JSON: ${detail}`, placeIn(text, offset, { line, column }));
    }
  }
}

/**
 * Bytes [from, to) of a chunk (neighbouring elements of an array) as the text of one array. The separators on either
 * side (whitespace, a comma or the array's own bracket) are turned into brackets while the text is decoded, and put
 * back: "[" + text + "]" would be a string made of pieces, which JSON.parse copies whole again (a megabyte per chunk).
 */
function arrayText(chunk: Buffer, from: number, to: number): string {
  const before = from - 1;
  if (before < 0 || to >= chunk.length || !OPENS[chunk[before]!] || !CLOSES[chunk[to]!]) return `[${chunk.toString('utf8', from, to)}]`;
  const open = chunk[before]!;
  const close = chunk[to]!;
  chunk[before] = 0x5b;
  chunk[to] = 0x5d;
  try {
    return chunk.toString('utf8', before, to + 1);
  } finally {
    chunk[before] = open;
    chunk[to] = close;
  }
}

/** What may stand just before and just after a run of array elements: whitespace, a comma, or the array's bracket. */
const OPENS = new Uint8Array(256);
const CLOSES = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d, 0x2c]) OPENS[c] = CLOSES[c] = 1;
OPENS[0x5b] = 1;
CLOSES[0x5d] = 1;

/** Streams a JSON document's values as `choose` selects them (see JsonStreamScanner). */
export async function* streamJson(
  fileName: string,
  chunks: AsyncIterable<Buffer>,
  choose: (path: JsonPathParts, container: boolean, array: boolean) => StreamChoice,
  limits: Pick<InputLimits, 'maxDepth' | 'maxLineBytes'>,
): AsyncIterable<StreamedValue> {
  for await (const batch of streamJsonBatches(fileName, chunks, choose, limits)) for (const v of batch) yield v;
}

/**
 * The same values, handed over as each chunk read completes them (an array per chunk, never empty). A value handed
 * over one at a time costs a turn of the promise machinery (a million-edge OpenGraph file: about a third of its
 * scan's CPU time); formats with many small values iterate the arrays instead.
 */
export async function* streamJsonBatches(
  fileName: string,
  chunks: AsyncIterable<Buffer>,
  choose: (path: JsonPathParts, container: boolean, array: boolean) => StreamChoice,
  limits: Pick<InputLimits, 'maxDepth' | 'maxLineBytes'>,
): AsyncIterable<StreamedValue[]> {
  const scanner = new JsonStreamScanner(fileName, choose, limits);
  for await (const chunk of chunks) {
    const out: StreamedValue[] = [];
    scanner.push(chunk, out);
    if (out.length) yield out;
    // Leaving the loop closes the file.
    if (scanner.stopped) return;
  }
  const out: StreamedValue[] = [];
  scanner.end(out);
  if (out.length) yield out;
}
