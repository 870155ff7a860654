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
