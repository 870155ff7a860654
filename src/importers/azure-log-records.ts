// Shared by the Azure log importers (azure-activity-log.ts, entra-sign-in-log.ts): the records of a file in every
// shape Azure hands them out, and field reading that does not care how a column is cased. The same record comes
// camelCased from the REST APIs and Graph (ipAddress), PascalCased from a Log Analytics export (IPAddress) and
// lowercased by some collectors (calleripaddress); the names are otherwise the same.
import { isObject } from '../model/fragment.js';
import { parseEmbeddedJson } from './json-syntax.js';
import { isJsonLines, isoTime } from './activity.js';
import { listOf, recordsOf, type RecordLists } from './log-records.js';
import type { ImportInput } from './types.js';

export const MALFORMED = Symbol('malformed');

/** Where a root object keeps its records: Graph pages {"value": […]}, diagnostic blobs and Event Hubs {"records": […]}. */
const lists = (expected: string): RecordLists => ({ lists: ['value', 'records', 'Records'], notRecords: `expected ${expected}: JSON-lines, an array of records, {"value": […]} or {"records": […]}` });

/**
 * The records of the file, each with its place: JSON-lines (diagnostic-settings blobs since 2018) line by line, a
 * root array (az CLI), a root object's "value" or "records" array, or one record. A large document is streamed.
 */
export async function* azureRecords(input: ImportInput, expected: string): AsyncIterable<{ value: unknown; at: string }> {
  const spec = lists(expected);
  if (await isJsonLines(input)) {
    for await (const row of input.jsonLinesStream()) {
      if ('error' in row) {
        yield { value: MALFORMED, at: `line ${row.line}` };
        continue;
      }
      // An Event Hubs capture or an old (pre-2018) blob written one {"records": […]} per line.
      const v = row.value;
      const list = isObject(v) ? listOf(v, spec) : undefined;
      if (list) for (let i = 0; i < list.items.length; i++) yield { value: list.items[i], at: `line ${row.line} $.${list.key}[${i}]` };
      // A page per line (`jq -c .value` over Graph pages, compressed pages appended to one file): its records.
      else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield { value: v[i], at: `line ${row.line} $[${i}]` };
      else yield { value: v, at: `line ${row.line}` };
    }
    return;
  }
  yield* recordsOf(input, spec);
}

/** A member by any of its names, whatever their case (the exact spelling is tried first). */
export function field(o: Record<string, unknown>, ...names: string[]): unknown {
  for (const n of names) if (o[n] !== undefined && o[n] !== null) return o[n];
  const lower = names.map((n) => n.toLowerCase());
  for (const k of Object.keys(o)) {
    const i = lower.indexOf(k.toLowerCase());
    if (i !== -1 && o[k] !== undefined && o[k] !== null) return o[k];
  }
  return undefined;
}

/** A non-empty string member (numbers as text: Log Analytics gives ResultType as "0", others as 0). */
export function text(o: Record<string, unknown>, ...names: string[]): string | undefined {
  const v = field(o, ...names);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** An object member, or one written as a JSON string (Log Analytics stores dynamic columns as text). */
export function objectField(o: Record<string, unknown>, ...names: string[]): Record<string, unknown> | undefined {
  const v = field(o, ...names);
  if (isObject(v)) return v;
  if (typeof v === 'string' && v.trimStart().startsWith('{')) {
    const parsed = parseEmbeddedJson(v);
    if (!('error' in parsed) && isObject(parsed.value)) return parsed.value;
  }
  return undefined;
}

/** A {value, localizedValue} pair or a plain string. */
export function valueOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  // Azure PowerShell writes the pair as {Value, LocalizedValue}.
  const value = isObject(v) ? field(v, 'value') : undefined;
  if (typeof value === 'string') return value.trim() || undefined;
  return undefined;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A directory object id: a GUID, or the 32 hex digits role-assignment evidence writes it as. */
export function objectId(v: string | undefined): string | undefined {
  if (!v) return undefined;
  if (GUID.test(v)) return v.toLowerCase();
  if (/^[0-9a-f]{32}$/i.test(v)) return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20)}`.toLowerCase();
  return undefined;
}

/**
 * ISO-8601 UTC from Azure's times: 7 (or 9) fractional digits with Z or an offset (REST), no zone at all (some
 * collectors write "2023-07-26 22:58:30.9832019"), or the US form some exports and the portal's CSV use
 * ("1/9/2007 9:41:00 AM", "01/09/2007 09:41:00 +01:00"). Azure logs in UTC, so a time without a zone is UTC.
 */
export function azureTime(v: unknown): string | undefined {
  if (typeof v !== 'string') return isoTime(v);
  const s = v.trim();
  // Windows PowerShell's ConvertTo-Json writes a date as "/Date(1700000000000)/" (milliseconds since 1970, UTC).
  const ms = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(s);
  if (ms) return isoTime(new Date(Number(ms[1])).toISOString());
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2}):(\d{2})(\.\d+)?(?:\s*(AM|PM))?(?:\s*(Z|[+-]\d{2}:?\d{2}))?$/i.exec(s);
  if (us) {
    const [, month, day, year, h, min, sec, frac, half, zone] = us as unknown as string[];
    let hour = Number(h);
    if (half) hour = (hour % 12) + (half.toUpperCase() === 'PM' ? 12 : 0);
    const pad = (n: string | number) => String(n).padStart(2, '0');
    return azureTime(`${year}-${pad(month!)}-${pad(day!)}T${pad(hour)}:${min}:${sec}${frac ?? ''}${zone ?? 'Z'}`);
  }
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(s);
  // Beyond milliseconds the digits say nothing a log needs, and not every Date parser takes them.
  const trimmed = s.replace(/(\.\d{3})\d+/, '$1');
  return isoTime(zoned || !/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(trimmed) ? trimmed : `${trimmed.replace(' ', 'T')}Z`);
}
