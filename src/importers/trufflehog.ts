import { isObject } from '../model/fragment.js';
import { ImportError, jsonPath } from './errors.js';
import { isZeroDate, leakFacts, num, str, type Finding } from './leaks.js';
import { isV2Record, looksV2, v2Findings } from './trufflehog-v2.js';
import type { Importer } from './types.js';

// trufflehog v3 `--json`: one finding per line (or the same objects saved as a JSON array),
//   {SourceMetadata: {Data: {<Source>: {repository, file, line, commit, email, timestamp, link, …}}}, SourceName,
//    DetectorName, DetectorType, Verified, Raw, RawV2, Redacted, ExtraData: {account, arn, …} | null, …}
// Raw and RawV2 are base64 in older releases (Go []byte) and plain strings in newer ones; both are secret
// material, and so is Redacted for some detectors (a private key is "redacted" whole). None of them is stored.
// trufflehog v2 (trufflehog-v2.ts) has its own JSON-lines shape. A clean run writes nothing (an empty file) or,
// saved as an array, [].

export const trufflehog: Importer = {
  format: 'trufflehog',
  title: 'trufflehog JSON (v3 JSON-lines or array, v2 JSON-lines)',
  provider: 'generic',
  producedBy: 'trufflehog git|github|filesystem|s3|docker|… --json (v3; saved as lines or as a JSON array); trufflehog --json (v2)',
  emits: ['EXPOSES', 'AUTHENTICATES_AS'],
  jsonLines: true,
  detect(probe) {
    const start = probe.head.trimStart()[0];
    if (start !== '{' && start !== '[') return 0;
    if (/"SourceMetadata"\s*:/.test(probe.head) && /"Detector(Name|Type)"\s*:/.test(probe.head)) return 0.95;
    return start === '{' && looksV2(probe.head) ? 0.95 : 0;
  },
  parse(input) {
    const file = input.fileName;
    if (input.text().trimStart().startsWith('[')) return arrayReport(input.json(), file);
    const findings: Finding[] = [];
    const bad: number[] = [];
    let other = 0;
    for (const row of input.jsonLines()) {
      // A parser message can quote the line, and the line holds a secret: only the line number is reported.
      if ('error' in row) {
        bad.push(row.line);
        continue;
      }
      const v = row.value;
      if (isObject(v) && isV2Record(v)) {
        findings.push(...v2Findings(v, `line ${row.line}`, file));
        continue;
      }
      if (!isObject(v) || !('DetectorName' in v || 'DetectorType' in v)) {
        // trufflehog prints its own log lines as JSON too when stderr is redirected into the report.
        other++;
        continue;
      }
      findings.push(readFinding(v, `line ${row.line}`, file));
    }
    if (findings.length === 0 && bad.length > 0) throw new ImportError(file, 'no line is a trufflehog finding (invalid JSON)', `line ${bad[0]}`);
    const fragment = leakFacts(findings);
    if (bad.length) fragment.warnings.push({ message: `${bad.length} line(s) are not valid JSON and were skipped`, location: `line ${bad.slice(0, 20).join(', ')}${bad.length > 20 ? ', …' : ''}` });
    if (other) fragment.warnings.push({ message: `${other} line(s) are not findings (no DetectorName) and were skipped` });
    if (!findings.length && !bad.length) fragment.warnings.push({ message: 'the report lists no findings (a clean scan): nothing to import' });
    return fragment;
  },
};

/** v3 findings saved as one JSON array (jq -s, or a wrapper that collects the lines). */
function arrayReport(root: unknown, file: string): ReturnType<typeof leakFacts> {
  if (!Array.isArray(root)) throw new ImportError(file, 'expected a JSON array of trufflehog findings', '$');
  const findings: Finding[] = [];
  root.forEach((v, i) => {
    const at = jsonPath(i);
    if (!isObject(v)) throw new ImportError(file, 'expected a trufflehog finding object', at);
    if (isV2Record(v)) findings.push(...v2Findings(v, at, file));
    else findings.push(readFinding(v, at, file));
  });
  const fragment = leakFacts(findings);
  if (!findings.length) fragment.warnings.push({ message: 'the report lists no findings (a clean scan): nothing to import' });
  return fragment;
}

function readFinding(v: Record<string, unknown>, at: string, fileName: string): Finding {
  const detector = str(v['DetectorName']) ?? (v['DetectorType'] !== undefined ? `detector ${String(v['DetectorType'])}` : undefined);
  if (!detector) throw new ImportError(fileName, 'a finding needs a DetectorName', at);
  const meta = isObject(v['SourceMetadata']) && isObject(v['SourceMetadata']['Data']) ? v['SourceMetadata']['Data'] : {};
  // Data holds one member named after the source (Git, Github, Filesystem, S3, Docker, …).
  const data = Object.values(meta).find(isObject) ?? {};
  const extra = isObject(v['ExtraData']) ? v['ExtraData'] : {};
  const repository = str(data['repository']) ?? str(data['repo']) ?? (str(data['bucket']) ? `s3://${str(data['bucket'])}` : undefined) ?? str(data['image']);
  const secrets = [raw(v['Raw']), raw(v['RawV2']), str(v['Redacted'])].filter((s): s is string => s !== undefined);
  const account = str(extra['account']);
  const arn = str(extra['arn']);
  const date = timestamp(str(data['timestamp']));
  const line = num(data['line']);
  const finding: Finding = { scanner: 'trufflehog', rule: detector, secrets, hints: [], at, fileName };
  const description = str(v['DetectorDescription']);
  if (description) finding.description = description;
  if (typeof v['Verified'] === 'boolean') finding.verified = v['Verified'];
  if (repository) finding.repository = repository;
  const path = str(data['file']) ?? str(data['filename']) ?? str(data['path']);
  if (path) finding.file = path;
  if (line !== undefined) finding.line = line;
  const commit = str(data['commit']);
  if (commit) finding.commit = commit;
  const email = str(data['email']);
  if (email) {
    const m = /^(.*?)\s*<([^>]+)>$/.exec(email);
    finding.email = m ? m[2]! : email;
    if (m?.[1]) finding.author = m[1];
  }
  if (date) finding.date = date;
  const link = str(data['link']);
  if (link) finding.link = link;
  if (account) finding.awsAccount = account;
  if (arn) finding.awsArn = arn;
  return finding;
}

/** Raw / RawV2: base64 of the secret in older releases, the secret itself in newer ones. */
function raw(v: unknown): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  if (s.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(s)) {
    const decoded = Buffer.from(s, 'base64').toString('utf8');
    // Printable text that encodes back to the same string: it was base64.
    if (isPrintable(decoded) && Buffer.from(decoded, 'utf8').toString('base64') === s) return decoded;
  }
  return s;
}

function isPrintable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) return false;
  }
  return true;
}

/** git's "2022-06-16 10:17:40 -0700 -0700" (Go's time format, zone twice) → ISO-8601 UTC. */
function timestamp(t: string | undefined): string | undefined {
  if (!t || isZeroDate(t)) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})\s*([+-]\d{2}):?(\d{2})/.exec(t);
  if (m) {
    const d = new Date(`${m[1]}T${m[2]}${m[3]}:${m[4]}`);
    if (!Number.isNaN(d.getTime())) return d.toISOString().replace('.000Z', 'Z');
  }
  return t;
}
