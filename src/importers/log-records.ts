// The records of an activity-log document, shared by the log importers (CloudTrail, GCP Cloud Audit Logs, the Azure
// logs): a root array's elements, the elements of a root object's list ({"Records": […]}, {"entries": […]},
// {"value": […]}), or a root object as one record. A large document is streamed element by element, and reads as the
// whole reading does, so memory holds what the importer folds, never the file.
import { isObject } from '../model/fragment.js';
import { ImportError, jsonPath, SeveralJsonValuesError } from './errors.js';
import type { JsonPathParts, StreamChoice } from './json-stream.js';
import { appendedJsonValues } from './json-syntax.js';
import { DEFAULT_LIMITS, sizeText } from './limits.js';
import type { ImportInput } from './types.js';

export interface RecordLists {
  /** The members of a root object that hold its records, in the order they are looked for. */
  lists: readonly string[];
  /** The error when the root is neither an object nor an array. */
  notRecords: string;
  /** A root object that holds no record at all (a CloudTrail digest file): nothing is read from it. */
  holdsNone?: (root: Record<string, unknown>) => boolean;
}

export type Located = { value: unknown; at: string };

/** The records of a JSON document (not JSON-lines), streamed when the input is large. */
export function recordsOf(input: ImportInput, spec: RecordLists): AsyncIterable<Located> | Iterable<Located> {
  return input.large ? streamed(input, spec) : wholeRecords(input, spec);
}

function* wholeRecords(input: ImportInput, spec: RecordLists): Iterable<Located> {
  let root: unknown;
  try {
    root = input.json();
  } catch (err) {
    if (!(err instanceof SeveralJsonValuesError)) throw err;
    return yield* appendedRecords(input, spec, input.text(), 0);
  }
  yield* recordsOfDocument(input.fileName, root, spec);
}

/**
 * Documents appended one after another, read whole: paged exports that append each page to one file (Microsoft-
 * Extractor-Suite's sign-in and audit logs, `[…]` then `[…]`, or `{…}` for a page of one record; CLI pages appended
 * with >>). Each record is placed in its document. The first `skip` records were already read (by the stream).
 */
function* appendedRecords(input: ImportInput, spec: RecordLists, text: string, skip: number): Iterable<Located> {
  let n = 0;
  let seen = 0;
  for (const { value, start } of appendedJsonValues(input.fileName, text, input.file?.limits ?? DEFAULT_LIMITS)) {
    for (const r of recordsOfDocument(input.fileName, value, spec, `document ${++n} (line ${start.line}, column ${start.column})`)) {
      if (seen++ >= skip) yield r;
    }
  }
}

/** The list a root object keeps its records in, if any. */
export function listOf(root: Record<string, unknown>, spec: RecordLists): { key: string; items: unknown[] } | undefined {
  for (const key of spec.lists) if (Array.isArray(root[key])) return { key, items: root[key] as unknown[] };
  return undefined;
}

/** `within` names the document when the file holds several. */
export function* recordsOfDocument(file: string, root: unknown, spec: RecordLists, within?: string): Iterable<Located> {
  const where = (path: string) => (within ? `${within}: ${path}` : path);
  if (Array.isArray(root)) {
    for (let i = 0; i < root.length; i++) yield { value: root[i], at: where(jsonPath(i)) };
    return;
  }
  if (!isObject(root)) throw new ImportError(file, spec.notRecords, where('$'));
  const list = listOf(root, spec);
  if (list) for (let i = 0; i < list.items.length; i++) yield { value: list.items[i], at: where(`$.${list.key}[${i}]`) };
  else if (!spec.holdsNone?.(root)) yield { value: root, at: where('$') };
}

async function* streamed(input: ImportInput, spec: RecordLists): AsyncIterable<Located> {
  let rootIsArray = false;
  let listed = false;
  const members: Record<string, unknown> = {};
  const choose = (path: JsonPathParts, container: boolean, array: boolean): StreamChoice => {
    if (path.length === 0) {
      rootIsArray = container && array;
      return container ? 'descend' : 'emit';
    }
    if (rootIsArray) return 'emit';
    if (path.length === 1 && array && spec.lists.includes(String(path[0]))) {
      listed = true;
      return 'descend';
    }
    return 'emit';
  };
  let yielded = 0;
  try {
    for await (const v of input.jsonStream(choose)) {
      // The root was not an object or an array (nothing was walked into): the whole-document reading says so.
      if (v.path.length === 0) return yield* recordsOfDocument(input.fileName, v.value, spec);
      if (rootIsArray || v.path.length === 2) yielded++;
      if (rootIsArray) yield { value: v.value, at: jsonPath(v.path[0]!) };
      else if (v.path.length === 2) yield { value: v.value, at: `$.${v.path[0]}[${v.path[1]}]` };
      else if (v.path.length === 1) members[v.path[0] as string] = v.value;
    }
  } catch (err) {
    if (!(err instanceof SeveralJsonValuesError)) throw err;
    // The stream reads one document: appended ones are read whole (within the whole-read limit; past it, the error
    // names the line and column where the second document starts), after the records the stream already gave.
    let text: string;
    try {
      text = input.text();
    } catch (refused) {
      if (!(refused instanceof ImportError)) throw refused;
      const limit = sizeText((input.file?.limits ?? DEFAULT_LIMITS).maxWholeBytes);
      throw new ImportError(input.fileName, `a second JSON ${err.second ?? 'value'} starts here: the file holds JSON documents appended one after another (pages appended to one file), which are read whole, up to ${limit}, and this file is larger; split it where each document starts, or import each page as a file of its own`, err.location);
    }
    return yield* appendedRecords(input, spec, text, yielded);
  }
  // A root object without a list of records (a single record, a digest): small, read as the whole document would be.
  if (!rootIsArray && !listed) yield* recordsOfDocument(input.fileName, members, spec);
}
