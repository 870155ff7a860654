const MAX_DETAIL = 600;

/** A problem with one input file: names the file and the place so a user can find it. */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly location?: string,
  ) {
    // A message never carries a whole record: what a value is, at most a few words of it (see shown()).
    super(`${file}${location ? ` (${location})` : ''}: ${detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL)}…` : detail}`);
    this.name = 'ImportError';
  }
}

/** Renders a JSON path like $.graph.edges[3].start for error messages. */
export function jsonPath(...parts: (string | number)[]): string {
  let out = '$';
  for (const part of parts) out += typeof part === 'number' ? `[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`;
  return out;
}

/**
 * The file holds more JSON after its first value: JSON-lines, or documents appended one after another. Raised by the
 * JSON reader; the import names the format it was detected as and the formats that are JSON-lines.
 */
export class SeveralJsonValuesError extends ImportError {
  /** What starts at `location`: a second array or object (the error message names it). */
  readonly second: 'array' | 'object' | undefined;
  constructor(file: string, location: string, second?: 'array' | 'object') {
    super(file, `the file holds more than one JSON value (JSON-lines, or documents appended one after another)${second ? `: a second JSON ${second} starts here` : ''}`, location);
    this.name = 'SeveralJsonValuesError';
    this.second = second;
  }
}

/** The kind of JSON value a text starting with `c` (its first non-blank character) is. */
export function valueKindAt(c: string | undefined): 'array' | 'object' | undefined {
  return c === '[' ? 'array' : c === '{' ? 'object' : undefined;
}

/**
 * A value as an error message may show it: short strings quoted, numbers and booleans as they are, anything else
 * described ("missing", "an object"). Never a long text (it may be a whole record, or a secret).
 */
export function shown(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 80 ? `a ${value.length}-character text` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
