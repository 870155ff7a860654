import { isObject } from '../model/fragment.js';
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import type { EdgeFact, GraphFragment, JsonObject, NodeFact } from '../model/fragment.js';
import { arnAccount, ids } from '../model/ids.js';
import { accountStubs, awsDate } from './aws-util.js';
import { ImportError, shown } from './errors.js';
import type { Importer } from './types.js';

// The IAM credential report: the CSV (`aws iam get-credential-report --query Content --output text | base64 -d`,
// or the console download) or the get-credential-report JSON {Content, ReportFormat, GeneratedTime}, whose
// Content is base64 as the CLI prints it, or the CSV itself as some tools save it.
//
// Each row is a user (or the root user, `<root_account>`). Passwords and the two access-key slots become
// credential nodes. The report does not give key ids; a slot meets its AKIA id (from list-access-keys) at
// ids.awsKeyRendezvous(account, user, creation time): both sources alias that id, the store follows the chain.

const HEADER_START = 'user,arn,user_creation_time';
const REQUIRED = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed',
  'password_next_rotation', 'mfa_active',
  ...[1, 2].flatMap((n) => ['active', 'last_rotated', 'last_used_date', 'last_used_region', 'last_used_service'].map((c) => `access_key_${n}_${c}`)),
] as const;
/** Values meaning "nothing here" in the report. */
const NOTHING = new Set(['N/A', 'not_supported', 'no_information', '']);
const ROOT = '<root_account>';

export const awsCredentialReport: Importer = {
  format: 'aws-credential-report',
  title: 'AWS IAM credential report (CSV or get-credential-report JSON)',
  provider: 'aws',
  producedBy: 'aws iam generate-credential-report; aws iam get-credential-report (JSON, or its Content base64-decoded); the IAM console download',
  emits: ['AUTHENTICATES_AS'],
  detect(probe) {
    const head = probe.head.trimStart();
    if (probe.looksJson) {
      if (!/"Content"\s*:/.test(head)) return 0;
      if (/"ReportFormat"\s*:\s*"text\/csv"/.test(head) || /"Content"\s*:\s*"(dXNlcixhcm4s|user,arn,)/.test(head)) return 0.95;
      return 0;
    }
    if (head.toLowerCase().startsWith(HEADER_START)) return 0.95;
    // Without its header: still ours, so the error can say what is missing.
    if (/^<root_account>,arn:aws[\w-]*:iam::\d{12}:root,/.test(head) || /^[\w+=,.@-]+,arn:aws[\w-]*:iam::\d{12}:user\//.test(head)) return 0.6;
    return 0;
  },
  parse(input) {
    const file = input.fileName;
    let csv: string;
    let where = '';
    if (input.text().trimStart().startsWith('{')) {
      const doc = input.json();
      if (!isObject(doc) || typeof doc['Content'] !== 'string') throw new ImportError(file, 'expected the get-credential-report output {"Content": …, "ReportFormat": "text/csv"}', '$.Content');
      const format = doc['ReportFormat'];
      if (format !== undefined && format !== 'text/csv') throw new ImportError(file, `the report format is ${shown(format)}; only text/csv reports exist`, '$.ReportFormat');
      csv = reportText(file, doc['Content']);
      where = '$.Content, ';
    } else csv = input.text();
    return readReport(file, csv, where);
  },
};

/** The Content member: the CSV itself, or base64 of it (what the CLI prints). */
function reportText(file: string, content: string): string {
  if (content.trimStart().toLowerCase().startsWith('user,')) return content;
  const compact = content.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new ImportError(file, 'Content is neither the report CSV nor base64 (the CLI prints it base64-encoded)', '$.Content');
  }
  const decoded = Buffer.from(compact, 'base64').toString('utf8');
  if (!decoded.trimStart().toLowerCase().startsWith('user,')) {
    throw new ImportError(file, `Content decodes from base64 but is not a credential report (it should start with "${HEADER_START}")`, '$.Content');
  }
  return decoded;
}

/** One data row, read by column name; values are checked where they are read. */
class Row {
  constructor(
    private readonly file: string,
    private readonly record: string[],
    private readonly index: Map<string, number>,
    readonly line: number,
    readonly at: string,
  ) {}

  get(column: string): string {
    return (this.record[this.index.get(column)!] ?? '').trim();
  }

  text(column: string): string | undefined {
    const v = this.get(column);
    return NOTHING.has(v) ? undefined : v;
  }

  date(column: string): string | undefined {
    const v = this.get(column);
    if (NOTHING.has(v)) return undefined;
    const d = awsDate(v);
    if (!d) throw new ImportError(this.file, `${column} holds ${shown(v)}, not a date`, this.at);
    return d;
  }

  flag(column: string): boolean | undefined {
    const v = this.get(column).toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
    if (NOTHING.has(v)) return undefined;
    throw new ImportError(this.file, `${column} holds ${shown(this.get(column))}; expected true, false or not_supported`, this.at);
  }
}

/** csv-parse's errors in words; its own messages quote the field they stopped at. */
const CSV_WORDS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed',
  CSV_INVALID_CLOSING_QUOTE: 'a quoted field goes on after its closing quote',
  CSV_INVALID_OPENING_QUOTE: 'a quote opens in the middle of a field',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a quoted field goes on after its closing quote',
  CSV_MAX_RECORD_SIZE: 'a record is too large',
};

/**
 * The records of a report as IAM writes it (no quotes, \n line ends), split directly as csv-parse would with the
 * options readReport gives it; undefined for anything else (csv-parse reads it, and words what is wrong).
 */
function plainRecords(csv: string): { record: string[]; info: { lines: number } }[] | undefined {
  if (csv.includes('"') || csv.includes('\r')) return undefined;
  const lines = (csv.charCodeAt(0) === 0xfeff ? csv.slice(1) : csv).split('\n');
  const out: { record: string[]; info: { lines: number } }[] = [];
  let width = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const record = line.split(',');
    if (width === -1) width = record.length;
    else if (record.length !== width) return undefined;
    out.push({ record, info: { lines: i + 1 } });
  }
  return out;
}

function readReport(file: string, csv: string, where: string): GraphFragment {
  let records: { record: string[]; info: { lines: number } }[] | undefined = plainRecords(csv);
  if (!records) {
    try {
      records = parseCsv(csv, { info: true, skip_empty_lines: true, bom: true }) as unknown as { record: string[]; info: { lines: number } }[];
    } catch (err) {
      if (!(err instanceof CsvError)) throw err;
      const line = Reflect.get(err, 'lines') as number | undefined;
      const fields = (Reflect.get(err, 'record') as unknown[] | undefined)?.length;
      const detail = err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' || err.code === 'CSV_RECORD_INCONSISTENT_COLUMNS'
        ? `this row has ${fields ?? 'a different number of'} fields where the header has ${headerWidth(csv)} (truncated or damaged?)`
        : `not valid CSV: ${CSV_WORDS[err.code] ?? 'the text cannot be read as comma-separated values'}`;
      throw new ImportError(file, detail, `${where}line ${line ?? '?'}`);
    }
  }
  const header = records[0]?.record.map((h) => h.trim().toLowerCase());
  if (!header) throw new ImportError(file, 'the report is empty', `${where}line 1`);
  if (header[0] !== 'user') {
    const looksLikeData = header.some((h) => h.startsWith('arn:'));
    throw new ImportError(
      file,
      looksLikeData ? `the header row is missing: the first line is a user's row; the report starts with "${HEADER_START},…"` : `expected the report's header "${HEADER_START},…"`,
      `${where}line 1`,
    );
  }
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) throw new ImportError(file, `the header lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; is this a credential report?`, `${where}line 1`);
  const index = new Map(header.map((h, i) => [h, i]));

  const fragment: GraphFragment = { nodes: [], edges: [], warnings: [], aliases: [] };
  const accounts = new Set<string>();
  const rows = new Map<string, { row: Row; account: string }>();
  for (const { record, info } of records.slice(1)) {
    const row = new Row(file, record, index, info.lines, `${where}line ${info.lines}`);
    const arn = row.get('arn');
    const account = arnAccount(arn);
    if (!account || !/^arn:[\w-]+:iam::\d{12}:(root|user\/.+)$/.test(arn)) throw new ImportError(file, `the arn column holds ${shown(arn)}, not a user's or root's ARN`, `${where}line ${row.line}`);
    const earlier = rows.get(arn);
    if (earlier) fragment.warnings.push({ message: `${arn} appears twice (lines ${earlier.row.line} and ${row.line}); the later row is used`, location: `${where}line ${row.line}` });
    // Delete first so the user keeps the place of its last row.
    rows.delete(arn);
    rows.set(arn, { row, account });
    accounts.add(account);
  }
  // One boundary id per account, shared by its rows' nodes (the store numbers and compares it for each).
  const boundaries = new Map<string, string>();
  for (const [arn, { row, account }] of rows) {
    let boundary = boundaries.get(account);
    if (boundary === undefined) boundaries.set(account, (boundary = ids.awsAccount(account)));
    readRow(row, arn, account, boundary, fragment);
  }
  for (const account of accounts) fragment.nodes.push(...accountStubs(account));
  return fragment;
}

/** The number of fields in the header line. */
function headerWidth(csv: string): number {
  return (csv.slice(0, csv.indexOf('\n') === -1 ? undefined : csv.indexOf('\n')).match(/,/g)?.length ?? 0) + 1;
}

function readRow(row: Row, arn: string, account: string, boundary: string, fragment: GraphFragment): void {
  const at = row.at;

  const isRoot = row.get('user') === ROOT;
  const userName = isRoot ? ROOT : row.get('user');
  const mfa = row.flag('mfa_active');
  const passwordEnabled = row.flag('password_enabled');
  // Set one by one, in this order (no object per optional member: a report has tens of thousands of rows).
  const identityProps: JsonObject = {};
  if (mfa !== undefined) identityProps['mfa_active'] = mfa;
  if (passwordEnabled !== undefined) identityProps['password_enabled'] = passwordEnabled;
  identityProps['accountId'] = account;
  const created = row.date('user_creation_time');
  if (created) identityProps['createdAt'] = created;
  if (isRoot) {
    // Only this report describes the root user.
    fragment.nodes.push({ id: ids.awsArn(arn), kind: 'aws_root', name: `root (${account})`, handles: [arn], boundary, props: identityProps });
  } else {
    fragment.nodes.push({ id: ids.awsArn(arn), kind: 'aws_user', name: userName, handles: [arn, userName], boundary, stub: true, props: { userName, ...identityProps } });
    // Outputs that name only the user (list-access-keys) write the ARN without its path; both mean this user.
    const plain = ids.awsUserArnWithoutPath(account, userName, arn.split(':')[1]);
    if (plain !== arn) fragment.aliases!.push({ from: plain, to: ids.awsArn(arn) });
  }

  // The root user's password cannot be disabled in older reports (not_supported): it exists.
  const hasPassword = passwordEnabled === true || (isRoot && row.get('password_enabled') === 'not_supported');
  if (hasPassword) {
    const lastUsed = row.get('password_last_used');
    const props: JsonObject = { active: true, managedBy: 'user', ownerId: arn, userName };
    const changed = row.date('password_last_changed');
    if (changed) props['lastRotatedAt'] = changed;
    // no_information: never used (or not since tracking began in October 2014).
    if (lastUsed === 'no_information') props['lastUsedAt'] = null;
    else if (!NOTHING.has(lastUsed)) props['lastUsedAt'] = row.date('password_last_used')!;
    const next = row.get('password_next_rotation');
    if (next === 'N/A') props['expiresAt'] = null;
    else if (!NOTHING.has(next)) props['expiresAt'] = row.date('password_next_rotation')!;
    if (mfa !== undefined) props['mfaActive'] = mfa;
    const id = ids.awsPassword(arn);
    fragment.nodes.push({ id, kind: 'aws_password', name: `console password of ${isRoot ? `root (${account})` : userName}`, handles: [id], boundary, props });
    fragment.edges.push(authenticates(id, arn, at, 'console password'));
  }

  for (const slot of [1, 2] as const) {
    const p = `access_key_${slot}_`;
    const active = row.flag(`${p}active`);
    const rotated = row.date(`${p}last_rotated`);
    // An empty slot reads false with N/A dates; a deactivated key keeps its creation date.
    if (!active && !rotated) continue;
    const id = ids.awsKeySlot(arn, slot);
    const props: JsonObject = { active: active === true, status: active ? 'Active' : 'Inactive', managedBy: 'user', ownerId: arn, userName, slot };
    if (rotated) {
      // An access key cannot be changed, only replaced: last_rotated is the key's creation time.
      props['createdAt'] = rotated;
      props['lastRotatedAt'] = rotated;
    }
    const lastUsed = row.date(`${p}last_used_date`);
    props['lastUsedAt'] = lastUsed ?? null;
    const region = row.text(`${p}last_used_region`);
    const service = row.text(`${p}last_used_service`);
    if (region) props['lastUsedRegion'] = region;
    if (service) props['lastUsedService'] = service;
    const node: NodeFact = { id, kind: 'aws_access_key', name: `${isRoot ? 'root' : userName} access key ${slot}`, handles: [id], boundary, props };
    fragment.nodes.push(node);
    fragment.edges.push(authenticates(id, arn, at, `access key ${slot}`));
    if (rotated && !isRoot) fragment.aliases!.push({ from: id, to: ids.awsKeyRendezvous(account, userName, rotated) });
  }
}

function authenticates(from: string, arn: string, at: string, what: string): EdgeFact {
  return { from, to: ids.awsArn(arn), kind: 'AUTHENTICATES_AS', props: { reason: `authenticates as the identity it belongs to (credential report: ${what})`, at } };
}
