/** A problem with one input file: names the file and the place so a user can find it. */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly location?: string,
  ) {
    super(`${file}${location ? ` (${location})` : ''}: ${detail}`);
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
  constructor(file: string, location: string) {
    super(file, 'the file holds more than one JSON value (JSON-lines, or documents appended one after another)', location);
    this.name = 'SeveralJsonValuesError';
  }
}
