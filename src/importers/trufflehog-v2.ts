import { str, type Finding } from './leaks.js';

// trufflehog v2 (the Python release) `--json`: one object per line,
//   {branch, commit (the commit message), commitHash, date ("2021-01-30 19:50:09", the scanner's local time),
//    diff, path, printDiff, reason (the rule: "AWS API Key", "High Entropy"), stringsFound: [...]}
// stringsFound, diff and printDiff hold secrets: only stringsFound is read, to fingerprint and identify each.

/** Whether a JSON-lines head is trufflehog v2 output. */
export function looksV2(head: string): boolean {
  return /"stringsFound"\s*:/.test(head) && /"reason"\s*:/.test(head) && /"commitHash"\s*:/.test(head);
}

export function isV2Record(v: Record<string, unknown>): boolean {
  return Array.isArray(v['stringsFound']) && typeof v['reason'] === 'string';
}

/** One finding per string found: each is a secret of its own. */
export function v2Findings(v: Record<string, unknown>, at: string, fileName: string): Finding[] {
  const strings = (v['stringsFound'] as unknown[]).filter((s): s is string => typeof s === 'string' && s !== '');
  const rule = str(v['reason'])!;
  const date = str(v['date']);
  return strings.map((secret, i) => {
    const f: Finding = { scanner: 'trufflehog', rule, secrets: [secret], hints: [], at: strings.length > 1 ? `${at}, stringsFound[${i}]` : at, fileName };
    const path = str(v['path']);
    if (path) f.file = path;
    const commit = str(v['commitHash']);
    if (commit) f.commit = commit;
    // No zone is given: the time is kept as written.
    if (date && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(date)) f.date = date.replace(' ', 'T');
    return f;
  });
}
