// Small readers of values in parsed JSON that importers share: a file's fields may be missing, null, empty or of
// another type, and each of these treats all of those as absent.

/** A non-empty string, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

/** The non-empty strings of an array (nothing when `v` is not one). */
export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.length > 0) : [];
}

/** The non-empty strings given, each once, in their first order (a node's handles). */
export function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0))];
}
