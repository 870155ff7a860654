// Pieces the AWS importers share: the account boundary nodes, policy documents as the CLI prints them,
// dates, and outputs saved several to a file.
import { isObject } from '../model/fragment.js';
import type { JsonObject, NodeFact } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import { ImportError, jsonPath } from './errors.js';
import { appendedJsonValues, parseEmbeddedJson } from './json-syntax.js';
import type { ImportInput } from './types.js';

export const ACCOUNT_ID = /^\d{12}$/;


/**
 * The account a node lives in, as stubs: the account and its admin node (the importer naming a boundary
 * emits both). A full import of the account (GAAD) describes them.
 */
export function accountStubs(accountId: string): NodeFact[] {
  const boundary = ids.awsAccount(accountId);
  return [
    { id: boundary, kind: 'aws_account', name: accountId, handles: [accountId], stub: true, props: { accountId } },
    { id: ids.admin(boundary), kind: 'admin', name: `Admin of AWS account ${accountId}`, boundary, stub: true },
  ];
}

/** `--account` checked: 12 digits, or undefined when not given. */
export function accountOption(file: string, account: string | undefined): string | undefined {
  if (account === undefined || account === '') return undefined;
  const trimmed = account.trim();
  if (!ACCOUNT_ID.test(trimmed)) throw new ImportError(file, `--account must be a 12-digit AWS account id, not ${JSON.stringify(account)}`);
  return trimmed;
}

/**
 * A policy document as the CLI prints it: a JSON string (GAAD and some tools URL-encode it) or already an
 * object. Stored parsed, exactly as written otherwise.
 */
export function policyDocument(file: string, value: unknown, where: string): JsonObject {
  if (isObject(value)) return value as JsonObject;
  if (typeof value !== 'string') throw new ImportError(file, 'expected a policy document (a JSON string or object)', where);
  let text = value.trim();
  if (text.startsWith('%7B') || text.startsWith('%7b')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      throw new ImportError(file, 'the policy document is URL-encoded but cannot be decoded', where);
    }
  }
  const parsed = parseEmbeddedJson(text);
  if ('error' in parsed) throw new ImportError(file, `the policy document is not valid JSON: ${parsed.error}`, where);
  const doc = parsed.value;
  if (!isObject(doc)) throw new ImportError(file, 'the policy document is not a JSON object', where);
  if (doc['Statement'] === undefined) throw new ImportError(file, 'the policy document has no "Statement"', where);
  return doc as JsonObject;
}

/** An AWS timestamp (ISO-8601 with Z or an offset) as ISO UTC, or undefined for N/A-like values. */
export function awsDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // The form the CLI and the credential report print (UTC, whole seconds), tens of thousands of times in a large
  // report: rewritten as it stands when every field is in range; anything else goes through Date.
  const m = PLAIN_UTC.exec(value);
  if (m && inRange(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`;
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value)) return undefined;
  const t = Date.parse(value.replace(' ', 'T'));
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

const PLAIN_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\+00:00|Z)$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether a UTC time's fields name it as they stand (Date would roll 30 February over into March). */
function inRange(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= MONTH_DAYS[month - 1]! + (leap ? 1 : 0);
}

/**
 * Every JSON value in a file: one document, or several printed one after the other (`aws … >> file` once per
 * user), each with the line it starts on. Syntax errors name the line and column in the whole file.
 */
export function jsonValues(input: ImportInput): { value: unknown; line: number; column: number }[] {
  return Array.from(appendedJsonValues(input.fileName, input.text()), ({ value, start }) => ({ value, line: start.line, column: start.column }));
}

/** One record of a file of CLI outputs, with its place: "output #2, $[3].Policy" when the file holds several. */
export interface OutputItem {
  value: unknown;
  at: (...more: (string | number)[]) => string;
}

/** The records of a file of one or more CLI outputs: each output, or each element of an output that is an array. */
export function outputItems(input: ImportInput): OutputItem[] {
  const values = jsonValues(input);
  if (values.length === 0) throw new ImportError(input.fileName, 'the file holds no JSON value', 'line 1');
  const items: OutputItem[] = [];
  for (const [i, { value }] of values.entries()) {
    const prefix = values.length > 1 ? `output #${i + 1}, ` : '';
    const add = (v: unknown, base: (string | number)[]) => items.push({ value: v, at: (...more) => prefix + jsonPath(...base, ...more) });
    if (Array.isArray(value)) value.forEach((v, j) => add(v, [j]));
    else add(value, []);
  }
  return items;
}
