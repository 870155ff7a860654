// The records of an activity-log document, shared by the log importers (CloudTrail, GCP Cloud Audit Logs, the Azure
// logs): a root array's elements, the elements of a root object's list ({"Records": […]}, {"entries": […]},
// {"value": […]}), or a root object as one record. A large document is streamed element by element, and reads as the
// whole reading does, so memory holds what the importer folds, never the file.
import { isObject } from '../model/fragment.js';
import { ImportError, jsonPath } from './errors.js';
import type { JsonPathParts, StreamChoice } from './json-stream.js';
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
  return input.large ? streamed(input, spec) : recordsOfDocument(input.fileName, input.json(), spec);
}

/** The list a root object keeps its records in, if any. */
export function listOf(root: Record<string, unknown>, spec: RecordLists): { key: string; items: unknown[] } | undefined {
  for (const key of spec.lists) if (Array.isArray(root[key])) return { key, items: root[key] as unknown[] };
  return undefined;
}

export function* recordsOfDocument(file: string, root: unknown, spec: RecordLists): Iterable<Located> {
  if (Array.isArray(root)) {
    for (let i = 0; i < root.length; i++) yield { value: root[i], at: jsonPath(i) };
    return;
  }
  if (!isObject(root)) throw new ImportError(file, spec.notRecords, '$');
  const list = listOf(root, spec);
  if (list) for (let i = 0; i < list.items.length; i++) yield { value: list.items[i], at: `$.${list.key}[${i}]` };
  else if (!spec.holdsNone?.(root)) yield { value: root, at: '$' };
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
  for await (const v of input.jsonStream(choose)) {
    // The root was not an object or an array (nothing was walked into): the whole-document reading says so.
    if (v.path.length === 0) return yield* recordsOfDocument(input.fileName, v.value, spec);
    if (rootIsArray) yield { value: v.value, at: jsonPath(v.path[0]!) };
    else if (v.path.length === 2) yield { value: v.value, at: `$.${v.path[0]}[${v.path[1]}]` };
    else if (v.path.length === 1) members[v.path[0] as string] = v.value;
  }
  // A root object without a list of records (a single record, a digest): small, read as the whole document would be.
  if (!rootIsArray && !listed) yield* recordsOfDocument(input.fileName, members, spec);
}
