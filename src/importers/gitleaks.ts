import { isObject } from '../model/fragment.js';
import { parse as parseCsv } from 'csv-parse/sync';
import { ImportError, jsonPath } from './errors.js';
import { sarifFindings, sarifOfGitleaks } from './gitleaks-sarif.js';
import { isZeroDate, leakFacts, num, str, type Finding } from './leaks.js';
import type { ImportInput, Importer } from './types.js';

// gitleaks reports, four shapes (and a clean scan: [] in JSON, null from older releases, a header-only CSV, a SARIF
// log with no result):
//  v8 JSON: an array of {RuleID, Description, StartLine, Match, Secret, File, SymlinkFile, Commit, Author, Email,
//           Date, Message, Tags[], Fingerprint, Link?}
//  v7 JSON: an array of {line, lineNumber, offender, commit, repo, repoURL, leakURL, rule, commitMessage, author,
//           email, file, date, tags: "a, b"} (v4–v6: the same without lineNumber, repoURL and leakURL)
//  CSV:     header RuleID,Commit,File,SymlinkFile,Secret,Match,StartLine,EndLine,StartColumn,EndColumn,Author,Message,
//           Date,Email,Fingerprint,Tags
//  SARIF:   --report-format sarif (gitleaks-sarif.ts)
// Secret, Match, offender and line hold the secret: they are read to fingerprint and identify it, never stored.
// Dates: Go's zero time (0001-01-01T00:00:00Z, a finding outside git) means unknown.

export const gitleaks: Importer = {
  format: 'gitleaks',
  title: 'gitleaks report (v8 JSON, v7 JSON, CSV, SARIF)',
  provider: 'generic',
  producedBy: 'gitleaks detect/git/dir --report-format json|csv|sarif (v8), gitleaks --report (v7)',
  emits: ['EXPOSES', 'AUTHENTICATES_AS'],
  detect(probe) {
    const head = probe.head;
    if (probe.looksJson) {
      const sarif = sarifOfGitleaks(head);
      if (sarif) return sarif === 'gitleaks' ? 0.95 : 0.5;
      if (!head.trimStart().startsWith('[')) return 0;
      if (/"RuleID"\s*:/.test(head) && /"(Secret|Match|StartLine)"\s*:/.test(head)) return 0.95;
      // v7 writes lineNumber; releases before it (v4–v6) only the commit and file.
      if (/"offender"\s*:/.test(head) && /"rule"\s*:/.test(head) && /"(lineNumber|commit|file)"\s*:/.test(head)) return 0.95;
      return 0;
    }
    const header = head.slice(0, head.indexOf('\n') === -1 ? head.length : head.indexOf('\n')).trim();
    const cols = header.split(',');
    return cols.includes('RuleID') && cols.includes('Secret') && cols.includes('File') && cols.includes('StartLine') ? 0.95 : 0;
  },
  parse(input) {
    const findings = probeIsJson(input) ? jsonFindings(input) : csvFindings(input);
    const fragment = leakFacts(findings);
    if (!findings.length) fragment.warnings.push({ message: 'the report lists no findings (a clean scan): nothing to import' });
    return fragment;
  },
};

function probeIsJson(input: ImportInput): boolean {
  const t = input.text().trimStart();
  return t.startsWith('[') || t.startsWith('{') || t.trimEnd() === 'null';
}

function jsonFindings(input: ImportInput): Finding[] {
  const file = input.fileName;
  const root = input.json();
  // Older gitleaks releases print a clean scan as null (Go's nil slice).
  if (root === null) return [];
  if (isObject(root) && 'runs' in root) return sarifFindings(file, root, date);
  if (!Array.isArray(root)) throw new ImportError(file, 'expected a JSON array of gitleaks findings', '$');
  return root.map((raw: unknown, i) => {
    if (!isObject(raw)) throw new ImportError(file, 'expected a finding object', jsonPath(i));
    const at = jsonPath(i);
    if ('RuleID' in raw) {
      const rule = str(raw['RuleID']);
      if (!rule) throw new ImportError(file, 'a finding needs a "RuleID"', `${at}.RuleID`);
      return {
        scanner: 'gitleaks',
        rule,
        ...opt('description', str(raw['Description'])),
        secrets: [str(raw['Secret']), str(raw['Match'])].filter((s): s is string => s !== undefined),
        hints: [],
        ...opt('file', str(raw['File'])),
        ...opt('line', num(raw['StartLine'])),
        ...opt('commit', str(raw['Commit'])),
        ...opt('author', str(raw['Author'])),
        ...opt('email', str(raw['Email'])),
        ...opt('date', date(str(raw['Date']))),
        ...opt('link', str(raw['Link'])),
        ...opt('repository', repoOfLink(str(raw['Link']))),
        at,
        fileName: file,
      } satisfies Finding;
    }
    const rule = str(raw['rule']);
    if (!rule) throw new ImportError(file, 'a finding needs a "RuleID" (gitleaks v8) or a "rule" (v7)', at);
    const repo = str(raw['repoURL']) ?? (str(raw['repo']) !== '.' ? str(raw['repo']) : undefined);
    return {
      scanner: 'gitleaks',
      rule,
      secrets: [str(raw['offender']), str(raw['line'])].filter((s): s is string => s !== undefined),
      hints: [],
      ...opt('repository', repo),
      ...opt('file', str(raw['file'])),
      ...opt('line', num(raw['lineNumber'])),
      ...opt('commit', str(raw['commit'])),
      ...opt('author', str(raw['author'])),
      ...opt('email', str(raw['email'])),
      ...opt('date', date(str(raw['date']))),
      ...opt('link', str(raw['leakURL'])),
      at,
      fileName: file,
    } satisfies Finding;
  });
}

function csvFindings(input: ImportInput): Finding[] {
  const file = input.fileName;
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(input.text(), { columns: true, skip_empty_lines: true, relax_column_count: false }) as Record<string, string>[];
  } catch (err) {
    // csv-parse quotes the offending record in its message: report only the line, never the text.
    const line = (err as { lines?: number }).lines;
    throw new ImportError(file, 'invalid CSV: a row does not have the header\'s columns or a quote is not closed', line ? `line ${line}` : undefined);
  }
  return rows.map((r, i) => {
    const rule = r['RuleID'];
    if (!rule) throw new ImportError(file, 'a row needs a RuleID', `line ${i + 2}`);
    return {
      scanner: 'gitleaks',
      rule,
      secrets: [r['Secret'], r['Match']].filter((s): s is string => !!s),
      hints: [],
      ...opt('file', str(r['File'])),
      ...opt('line', num(r['StartLine'])),
      ...opt('commit', str(r['Commit'])),
      ...opt('author', str(r['Author'])),
      ...opt('email', str(r['Email'])),
      ...opt('date', date(str(r['Date']))),
      ...opt('link', str(r['Link'])),
      ...opt('repository', repoOfLink(str(r['Link']))),
      at: `line ${i + 2}`,
      fileName: file,
    } satisfies Finding;
  });
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** ISO dates as given; gitleaks also writes the commit date as MM-DD-YYYY, and Go's zero time when there is none. */
function date(d: string | undefined): string | undefined {
  if (!d || isZeroDate(d)) return undefined;
  const us = /^(\d{2})-(\d{2})-(\d{4})$/.exec(d);
  return us ? `${us[3]}-${us[1]}-${us[2]}` : d;
}

/** The repository named by a GitHub/GitLab link (…/owner/repo/blob/<commit>/…). */
function repoOfLink(link: string | undefined): string | undefined {
  const m = link ? /^(https?:\/\/[^/]+\/.+?)\/(?:-\/)?blob\//.exec(link) : null;
  return m?.[1];
}
