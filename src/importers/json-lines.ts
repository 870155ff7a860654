// JSON-lines, in memory or streamed: one line held at a time, each line capped in length and nesting, and a bad
// line described in words (never the engine's message) so importers can skip it and report its number.
import { jsonSyntaxError, tooDeepAt } from './json-syntax.js';
import { sizeText, type InputLimits } from './limits.js';

export type JsonLine = { line: number; value: unknown } | { line: number; error: string };

/** One line of JSON-lines (already trimmed, not empty) parsed within the limits. */
export function parseJsonLine(line: number, text: string, limits: Pick<InputLimits, 'maxDepth'>): JsonLine {
  const deep = tooDeepAt(text, limits.maxDepth);
  if (deep !== -1) return { line, error: `nested deeper than ${limits.maxDepth} levels (column ${deep + 1})` };
  try {
    return { line, value: JSON.parse(text) as unknown };
  } catch {
    const { detail, offset } = jsonSyntaxError(text);
    return { line, error: `${detail} (column ${offset + 1})` };
  }
}

function tooLong(line: number, limits: Pick<InputLimits, 'maxLineBytes'>): JsonLine {
  return { line, error: `the line is longer than ${sizeText(limits.maxLineBytes)}` };
}

/** JSON-lines of a text held in memory. */
export function* jsonLinesOfText(text: string, limits: Pick<InputLimits, 'maxDepth' | 'maxLineBytes'>): Iterable<JsonLine> {
  let line = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    // Characters, not bytes: within a factor of 3 of the byte cap, and never a copy of a huge line.
    if (end - start > limits.maxLineBytes) yield tooLong(line, limits);
    else {
      const row = text.slice(start, end).trim();
      if (row) yield parseJsonLine(line, row, limits);
    }
    start = end + 1;
  }
}

/** Splits chunks of bytes into lines; a line over the cap is dropped (reported by number), not accumulated. */
export class LineSplitter {
  private pieces: Buffer[] = [];
  private size = 0;
  private line = 0;
  private overLong = false;

  /** `parse` reads one trimmed, non-empty line (JSON by default); undefined passes over the line. */
  constructor(
    private readonly limits: Pick<InputLimits, 'maxDepth' | 'maxLineBytes'>,
    private readonly parse: (line: number, text: string) => JsonLine | undefined = (line, text) => parseJsonLine(line, text, limits),
  ) {}

  push(chunk: Buffer, out: JsonLine[]): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) {
        this.add(chunk.subarray(start));
        return;
      }
      this.add(chunk.subarray(start, nl));
      this.flush(out);
      start = nl + 1;
    }
  }

  end(out: JsonLine[]): void {
    if (this.size > 0 || this.overLong) this.flush(out);
  }

  private add(piece: Buffer): void {
    if (!piece.length || this.overLong) return;
    this.size += piece.length;
    if (this.size > this.limits.maxLineBytes) {
      this.overLong = true;
      this.pieces = [];
      return;
    }
    this.pieces.push(piece);
  }

  private flush(out: JsonLine[]): void {
    this.line++;
    if (this.overLong) out.push(tooLong(this.line, this.limits));
    else if (this.pieces.length) {
      const text = (this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces)).toString('utf8').trim();
      const row = text ? this.parse(this.line, text) : undefined;
      if (row) out.push(row);
    }
    this.pieces = [];
    this.size = 0;
    this.overLong = false;
  }
}
