// One file to import, read as little as its format needs: detection sees only the head; formats that read whole
// (text(), json(), bytes) load it once, up to a limit; formats that stream (chunks(), jsonLinesStream(),
// jsonStream()) never hold it. gzip is decompressed under a size and ratio cap. All limits: limits.ts.
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { ImportError } from './errors.js';
import { checkGzipTrailer, gunzipChunks, gunzipWhole, isGzip } from './gzip.js';
import { jsonLinesOfText, LineSplitter, parseJsonLine, type JsonLine } from './json-lines.js';
import { streamJson, streamJsonBatches, type JsonPathParts, type StreamChoice, type StreamedValue } from './json-stream.js';
import { parseJsonText } from './json-syntax.js';
import { DEFAULT_LIMITS, sizeText, type InputLimits } from './limits.js';
import type { ImportInput, Probe } from './types.js';

export { lineColumn } from './json-syntax.js';

const PROBE_BYTES = 64 * 1024;
const CHUNK_BYTES = 1024 * 1024;

type Source = { kind: 'memory'; data: Buffer } | { kind: 'file'; path: string; size: number };

/** A ZIP archive's local file header. */
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Wraps the bytes of one file held in memory: gunzips (within the limits), rejects empty and binary files. */
export function createInput(fileName: string, raw: Buffer, limits: InputLimits = DEFAULT_LIMITS): ImportInput {
  if (raw.length === 0) throw new ImportError(fileName, 'the file is empty');
  checkFileSize(fileName, raw.length, limits);
  let data = raw;
  if (isGzip(raw)) {
    data = gunzipWhole(fileName, raw, limits);
    if (data.length === 0) throw new ImportError(fileName, 'the file is empty once decompressed');
  }
  const order = utf16Order(data);
  if (order) data = fromUtf16(data, order);
  return new Input(fileName, { kind: 'memory', data }, data.subarray(0, PROBE_BYTES), false, limits);
}

/**
 * A file on disk, opened for import: only its head is read now (decompressed when gzip). The rest is read when the
 * importer asks, whole or streamed.
 */
export async function openInput(fileName: string, path: string, limits: InputLimits = DEFAULT_LIMITS): Promise<ImportInput> {
  const size = statSync(path).size;
  if (size === 0) throw new ImportError(fileName, 'the file is empty');
  checkFileSize(fileName, size, limits);
  const first = readRange(path, 0, Math.min(size, PROBE_BYTES));
  if (utf16Order(first)) return utf16File(fileName, path, size, false, limits);
  if (!isGzip(first)) return new Input(fileName, { kind: 'file', path, size }, first, false, limits);
  checkGzipTrailer(fileName, size, readRange(path, Math.max(0, size - 4), Math.min(4, size)), limits);
  const head: Buffer[] = [];
  let got = 0;
  for await (const chunk of gunzipChunks(fileName, createReadStream(path, { highWaterMark: PROBE_BYTES }), size, limits, PROBE_BYTES)) {
    head.push(chunk);
    got += chunk.length;
  }
  if (got === 0) throw new ImportError(fileName, 'the file is empty once decompressed');
  const inflated = Buffer.concat(head).subarray(0, PROBE_BYTES);
  if (utf16Order(inflated)) return utf16File(fileName, path, size, true, limits);
  return new Input(fileName, { kind: 'file', path, size }, inflated, true, limits);
}

/**
 * Windows PowerShell 5 writes redirected output (`aws iam … > out.json`, `terraform show -json > plan.json`) as
 * UTF-16 with a byte-order mark. Such a file is read whole and held as UTF-8, so every format reads it.
 */
function utf16Order(head: Buffer): 'le' | 'be' | undefined {
  if (head.length < 4) return undefined;
  if (head[0] === 0xff && head[1] === 0xfe) return head[2] === 0 && head[3] === 0 ? undefined : 'le'; // not UTF-32
  if (head[0] === 0xfe && head[1] === 0xff) return 'be';
  return undefined;
}

function fromUtf16(data: Buffer, order: 'le' | 'be'): Buffer {
  const body = Buffer.from(data.subarray(2, 2 + ((data.length - 2) & ~1)));
  if (order === 'be') body.swap16();
  return Buffer.from(body.toString('utf16le'), 'utf8');
}

function utf16File(fileName: string, path: string, size: number, gzip: boolean, limits: InputLimits): Input {
  if (size > limits.maxWholeBytes) {
    throw new ImportError(fileName, `the file is UTF-16 text of ${sizeText(size)}${gzip ? ' compressed' : ''}: Blastmap reads UTF-16 up to ${sizeText(limits.maxWholeBytes)}; save the export as UTF-8 (PowerShell: Out-File -Encoding utf8)`);
  }
  const raw = readFileSync(path);
  const text = gzip ? gunzipWhole(fileName, raw, limits) : raw;
  const data = fromUtf16(text, utf16Order(text) ?? 'le');
  return new Input(fileName, { kind: 'memory', data }, data.subarray(0, PROBE_BYTES), false, limits);
}

function checkFileSize(fileName: string, size: number, limits: InputLimits): void {
  if (size > limits.maxFileBytes) throw new ImportError(fileName, `the file is ${sizeText(size)}; Blastmap reads files up to ${sizeText(limits.maxFileBytes)}`);
}

function readRange(path: string, position: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = readSync(fd, buf, 0, length, position);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

class Input implements ImportInput {
  private whole: Buffer | undefined;
  private decoded: string | undefined;
  private parsed: { value: unknown } | undefined;
  readonly large: boolean;
  readonly file?: { path: string; limits: InputLimits };

  constructor(
    readonly fileName: string,
    private readonly source: Source,
    readonly head: Buffer,
    private readonly gzip: boolean,
    private readonly limits: InputLimits,
  ) {
    const binaryAt = findBinary(head);
    if (binaryAt !== undefined) {
      // SharpHound and AzureHound hand their collections over as a ZIP of JSON files: say what to do with it.
      if (head.subarray(0, 4).equals(ZIP_MAGIC)) throw new ImportError(fileName, 'this is a ZIP archive (SharpHound and AzureHound save their collections so): extract it and import the JSON files it holds', `byte ${binaryAt}`);
      throw new ImportError(fileName, 'this is a binary file, not a text export (JSON, JSON-lines, CSV or YAML)', `byte ${binaryAt}`);
    }
    if (source.kind === 'memory') this.whole = source.data;
    else this.file = { path: source.path, limits: this.limits };
    // A gzip file inflates: counted at ten times its size.
    const size = source.kind === 'memory' ? source.data.length : source.size * (gzip ? 10 : 1);
    this.large = size > limits.streamAboveBytes;
  }

  /** The whole (decompressed) content, read once; refused above maxWholeBytes. */
  get bytes(): Buffer {
    if (this.whole) return this.whole;
    const { path, size } = this.source as Extract<Source, { kind: 'file' }>;
    if (!this.gzip && size > this.limits.maxWholeBytes) throw this.tooBigToReadWhole(size);
    if (this.gzip && size > this.limits.maxWholeBytes) throw this.tooBigToReadWhole(size, true);
    const raw = readFileSync(path);
    this.whole = this.gzip ? gunzipWhole(this.fileName, raw, this.limits) : raw;
    return this.whole;
  }

  private tooBigToReadWhole(size: number, compressed = false): ImportError {
    return new ImportError(
      this.fileName,
      `the file is ${sizeText(size)}${compressed ? ' compressed' : ''}: this format is read whole, up to ${sizeText(this.limits.maxWholeBytes)} (CloudTrail, OpenGraph, Kubernetes List, AzureHound, Kubernetes, GCP and Azure log files stream and may be larger); split the export into smaller files`,
    );
  }

  text(): string {
    this.decoded ??= stripBom(this.bytes.toString('utf8'));
    return this.decoded;
  }

  json(): unknown {
    this.parsed ??= { value: parseJsonText(this.fileName, this.text(), this.limits) };
    return this.parsed.value;
  }

  jsonLines(): Iterable<JsonLine> {
    // A plain file not yet loaded is read line by line from the disk; anything else from its text.
    if (!this.whole && !this.gzip) return this.fileLines();
    return jsonLinesOfText(this.text(), this.limits);
  }

  private *fileLines(): Iterable<JsonLine> {
    const { path } = this.source as Extract<Source, { kind: 'file' }>;
    const splitter = new LineSplitter(this.limits);
    const out: JsonLine[] = [];
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(CHUNK_BYTES);
      for (;;) {
        const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
        if (n === 0) break;
        // The splitter may keep pieces of a line across reads: give it a copy of this read.
        splitter.push(Buffer.from(buf.subarray(0, n)), out);
        yield* out;
        out.length = 0;
      }
    } finally {
      closeSync(fd);
    }
    splitter.end(out);
    yield* out;
  }

  async *chunks(): AsyncIterable<Buffer> {
    if (this.whole) {
      for (let at = 0; at < this.whole.length; at += CHUNK_BYTES) yield this.whole.subarray(at, at + CHUNK_BYTES);
      return;
    }
    const { path, size } = this.source as Extract<Source, { kind: 'file' }>;
    if (this.gzip) yield* gunzipChunks(this.fileName, createReadStream(path, { highWaterMark: CHUNK_BYTES }), size, this.limits);
    else yield* Readable.from(createReadStream(path, { highWaterMark: CHUNK_BYTES })) as AsyncIterable<Buffer>;
  }

  async *jsonLinesStream(jsonStart?: (line: string) => number): AsyncIterable<JsonLine> {
    const parse = jsonStart && ((line: number, text: string) => {
      const at = jsonStart(text);
      return at === -1 ? undefined : parseJsonLine(line, text.slice(at), this.limits);
    });
    const splitter = new LineSplitter(this.limits, parse);
    const out: JsonLine[] = [];
    for await (const chunk of this.chunks()) {
      splitter.push(chunk, out);
      yield* out;
      out.length = 0;
    }
    splitter.end(out);
    yield* out;
  }

  jsonStream(choose: (path: JsonPathParts, container: boolean, array: boolean) => StreamChoice): AsyncIterable<StreamedValue> {
    return streamJson(this.fileName, this.chunks(), choose, this.limits);
  }

  jsonStreamBatches(choose: (path: JsonPathParts, container: boolean, array: boolean) => StreamChoice): AsyncIterable<StreamedValue[]> {
    return streamJsonBatches(this.fileName, this.chunks(), choose, this.limits);
  }
}

export function probeOf(input: ImportInput): Probe {
  const head = stripBom(input.head.toString('utf8'));
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

/** JSON.parse within the default limits, a syntax error naming line and column (kept for importers that parse parts). */
export function parseJson(fileName: string, text: string, limits: InputLimits = DEFAULT_LIMITS): unknown {
  return parseJsonText(fileName, text, limits);
}
