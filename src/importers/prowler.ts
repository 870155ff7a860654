import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import { isObject } from '../model/fragment.js';
import type { GraphFragment, ScannerResult } from '../model/fragment.js';
import { looksJsonLines } from './activity.js';
import { ImportError, jsonPath } from './errors.js';
import type { Importer } from './types.js';
import { str } from './json-values.js';

// Prowler results (AWS, Azure, GCP, Kubernetes, M365…): the OCSF JSON of Prowler 4 and 5 (`-M json-ocsf`, an array of
// Detection Findings), their semicolon CSV, Prowler 3's JSON and CSV, the ASFF JSON (`-M json-asff`), and the AWS-only
// output of the shell Prowler 2 (`-M json`: JSON-lines of {"Control", "Status", "Resource ID"…}; `-M csv`: comma
// separated, TITLE_ID and CHECK_RESULT; its json-asff is one ASFF finding per line). Failed checks
// become scanner results, matched to the case's nodes after each import (src/analysis/scanner-findings.ts) by the
// resource uid (an ARN, an ARM id, a GCP resource name or email, a Kubernetes uid), its name, and namespace/name.
// Passed, manual and muted results are counted, not kept.

const SEVERITIES: Record<string, ScannerResult['severity']> = { critical: 'critical', high: 'high', medium: 'medium', low: 'low', informational: 'info', info: 'info' };

export const prowler: Importer = {
  format: 'prowler',
  title: 'Prowler results (OCSF JSON, CSV, ASFF; Prowler 3–5, and Prowler 2 JSON-lines and CSV; AWS, Azure, GCP, Kubernetes)',
  provider: 'generic',
  producedBy: 'prowler <provider> -M json-ocsf | csv | json-asff (output/*.ocsf.json, *.csv, *.asff.json)',
  emits: [],
  detect(probe) {
    const h = probe.head;
    if (probe.looksJson) {
      if (/"event_code"\s*:/.test(h) && /"status_code"\s*:/.test(h) && /"(Prowler|prowler)"/.test(h)) return 0.95;
      if (/"CheckID"\s*:/.test(h) && /"StatusExtended"\s*:/.test(h)) return 0.95;
      if (/"ProductArn"\s*:\s*"[^"]*prowler/.test(h) && /"GeneratorId"\s*:/.test(h)) return 0.95;
      // Prowler 2's -M json.
      if (/"Account Number"\s*:/.test(h) && /"Control ID"\s*:/.test(h) && /"Control"\s*:\s*"\[/.test(h)) return 0.95;
      return 0;
    }
    const header = h.slice(0, h.indexOf('\n') === -1 ? h.length : h.indexOf('\n'));
    if (/(^|[,;])TITLE_ID([,;]|$)/.test(header) && /(^|[,;])CHECK_RESULT([,;]|$)/.test(header) && /(^|[,;])TITLE_TEXT([,;]|$)/.test(header)) return 0.95;
    return /(^|;)CHECK_ID(;|$)/.test(header) && /(^|;)STATUS(;|$)/.test(header) ? 0.95 : 0;
  },
  parse(input) {
    const file = input.fileName;
    const counts = new Map<string, number>();
    const results: ScannerResult[] = [];
    const keep = (status: string, muted: boolean, r: Omit<ScannerResult, 'scanner' | 'status'>) => {
      const s = status.toUpperCase();
      if (s !== 'FAIL' || muted) {
        const why = muted ? 'muted' : s.toLowerCase() || 'no status';
        counts.set(why, (counts.get(why) ?? 0) + 1);
        return;
      }
      results.push({ scanner: 'prowler', status: s, ...r });
    };
    const text = input.text();
    let note: string | undefined;
    if (!/^\s*[[{]/.test(text)) note = readCsv(file, text, keep);
    else if (looksJsonLines(text)) {
      // Prowler 2 writes its JSON and ASFF one finding per line.
      for (const row of input.jsonLines()) {
        if ('error' in row) throw new ImportError(file, `invalid JSON: ${row.error}`, `line ${row.line}`);
        readFinding(file, row.value, `line ${row.line}`, keep);
      }
    } else {
      const doc = input.json();
      const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc['findings']) ? doc['findings'] : [doc];
      const base = Array.isArray(doc) ? [] : isObject(doc) && Array.isArray(doc['findings']) ? ['findings'] : undefined;
      list.forEach((raw: unknown, i) => readFinding(file, raw, base ? jsonPath(...base, i) : '$', keep));
    }
    const fragment: GraphFragment = { nodes: [], edges: [], warnings: note ? [{ message: note }] : [], results };
    if (counts.size) fragment.warnings.push({ message: `${[...counts.values()].reduce((a, b) => a + b, 0)} result(s) not kept (only failed checks are findings): ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}` });
    return fragment;
  },
};

type Keep = (status: string, muted: boolean, r: Omit<ScannerResult, 'scanner' | 'status'>) => void;

/** One finding of a JSON output, whichever Prowler wrote it; `place` is its JSON path or line. */
function readFinding(file: string, raw: unknown, place: string, keep: Keep): void {
  const at = `${file} ${place}`;
  if (!isObject(raw)) throw new ImportError(file, 'expected a Prowler finding object', place);
  if (isObject(raw['metadata']) && 'event_code' in raw['metadata']) readOcsf(file, raw, at, keep);
  else if ('CheckID' in raw) readV3(raw, at, keep);
  else if ('GeneratorId' in raw) readAsff(raw, at, keep);
  else if ('Control' in raw && 'Account Number' in raw) readV2(raw, at, keep);
  else throw new ImportError(file, 'not a Prowler finding (no metadata.event_code, CheckID, GeneratorId, or Prowler 2\'s Control)', place);
}

/** "[check114] Ensure hardware MFA…" → check114 and the title; Prowler 2 names its checks so. */
function v2Check(control: string | undefined, fallback: string | undefined): { checkId: string; title: string } {
  const m = /^\s*\[([^\]]+)\]\s*(.*)$/.exec(control ?? '');
  return m ? { checkId: m[1]!, title: m[2]! || m[1]! } : { checkId: fallback ?? control ?? '', title: control ?? fallback ?? '' };
}

/** Prowler 2 names no resource on account-wide checks (root, MFA) or leaves it empty. */
const V2_NO_RESOURCE = /^(root|MFA)$/;

function readV2(f: Record<string, unknown>, at: string, keep: Keep): void {
  const { checkId, title } = v2Check(str(f['Control']), str(f['Control ID']));
  const account = str(f['Account Number']);
  const id = str(f['Resource ID']);
  const named = id && !V2_NO_RESOURCE.test(id) ? id : undefined;
  const rem = str(f['Remediation']);
  keep(str(f['Status']) ?? '', false, {
    checkId,
    severity: SEVERITIES[(str(f['Severity']) ?? '').toLowerCase()] ?? 'medium',
    title,
    resource: named ?? account ?? '',
    refs: refsOf(named),
    summary: str(f['Message']) ?? '',
    ...(rem ? { remediation: rem } : {}),
    provider: 'aws',
    ...(account ? { account } : {}),
    ...(str(f['Region']) ? { region: str(f['Region'])! } : {}),
    at,
  });
}

function readOcsf(file: string, f: Record<string, unknown>, at: string, keep: Keep): void {
  const meta = f['metadata'] as Record<string, unknown>;
  const checkId = str(meta['event_code']);
  if (!checkId) throw new ImportError(file, 'an OCSF finding needs metadata.event_code', at.slice(file.length + 1));
  const info = isObject(f['finding_info']) ? f['finding_info'] : {};
  const cloud = isObject(f['cloud']) ? f['cloud'] : {};
  const account = isObject(cloud['account']) ? str(cloud['account']['uid']) : undefined;
  const remediation = isObject(f['remediation']) ? str(f['remediation']['desc']) : undefined;
  const resources = (Array.isArray(f['resources']) ? f['resources'] : []).filter(isObject);
  const profiles = Array.isArray(meta['profiles']) ? meta['profiles'] : [];
  const provider = str(cloud['provider']) ?? (profiles.includes('container') ? 'kubernetes' : undefined);
  for (const [j, r] of (resources.length ? resources : [{}]).entries()) {
    const data = isObject(r['data']) && isObject(r['data']['metadata']) ? r['data']['metadata'] : {};
    const namespace = str(r['namespace']) ?? str(data['namespace']);
    const name = str(r['name']);
    const uid = str(r['uid']);
    keep(str(f['status_code']) ?? '', f['status'] === 'Suppressed', {
      checkId,
      severity: SEVERITIES[(str(f['severity']) ?? '').toLowerCase()] ?? 'medium',
      title: str(info['title']) ?? checkId,
      resource: uid ?? name ?? account ?? '',
      refs: refsOf(uid, str(data['arn']), namespace && name ? `${namespace}/${name}` : undefined, str(data['email']), name),
      summary: str(f['status_detail']) ?? str(f['message']) ?? '',
      ...(remediation ? { remediation } : {}),
      ...(provider ? { provider } : {}),
      ...(account ? { account } : {}),
      ...(str(r['region']) ?? str(cloud['region']) ? { region: (str(r['region']) ?? str(cloud['region']))! } : {}),
      at: resources.length > 1 ? `${at}.resources[${j}]` : at,
    });
  }
}

function readV3(f: Record<string, unknown>, at: string, keep: Keep): void {
  const rem = isObject(f['Remediation']) && isObject(f['Remediation']['Recommendation']) ? str(f['Remediation']['Recommendation']['Text']) : undefined;
  const arn = str(f['ResourceArn']);
  const id = str(f['ResourceId']);
  keep(str(f['Status']) ?? '', f['Muted'] === true, {
    checkId: str(f['CheckID']) ?? '',
    severity: SEVERITIES[(str(f['Severity']) ?? '').toLowerCase()] ?? 'medium',
    title: str(f['CheckTitle']) ?? String(f['CheckID']),
    resource: arn ?? id ?? str(f['AccountId']) ?? '',
    refs: refsOf(arn, id),
    summary: str(f['StatusExtended']) ?? '',
    ...(rem ? { remediation: rem } : {}),
    ...(str(f['Provider']) ? { provider: str(f['Provider'])! } : {}),
    ...(str(f['AccountId']) ? { account: str(f['AccountId'])! } : {}),
    ...(str(f['Region']) ? { region: str(f['Region'])! } : {}),
    at,
  });
}

function readAsff(f: Record<string, unknown>, at: string, keep: Keep): void {
  const compliance = isObject(f['Compliance']) ? str(f['Compliance']['Status']) : undefined;
  const status = compliance === 'FAILED' ? 'FAIL' : compliance === 'PASSED' ? 'PASS' : (compliance ?? '');
  const sev = isObject(f['Severity']) ? str(f['Severity']['Label']) : undefined;
  const rem = isObject(f['Remediation']) && isObject(f['Remediation']['Recommendation']) ? str(f['Remediation']['Recommendation']['Text']) : undefined;
  const checkId = (str(f['GeneratorId']) ?? '').replace(/^prowler-/, '');
  for (const r of (Array.isArray(f['Resources']) ? f['Resources'] : []).filter(isObject)) {
    const id = str(r['Id']);
    keep(status, isObject(f['Workflow']) && f['Workflow']['Status'] === 'SUPPRESSED', {
      checkId,
      severity: SEVERITIES[(sev ?? '').toLowerCase()] ?? 'medium',
      title: str(f['Title']) ?? checkId,
      resource: id ?? '',
      refs: refsOf(id),
      summary: str(f['Description']) ?? '',
      ...(rem ? { remediation: rem } : {}),
      provider: 'aws',
      ...(str(f['AwsAccountId']) ? { account: str(f['AwsAccountId'])! } : {}),
      ...(str(r['Region']) ? { region: str(r['Region'])! } : {}),
      at,
    });
  }
}

function readCsv(file: string, text: string, keep: Keep): string | undefined {
  // Prowler 2 separates with commas (its SEP, which a user could change); 3 and later with semicolons.
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  const v2 = /(^|[,;])TITLE_ID([,;]|$)/.test(firstLine) && /(^|[,;])CHECK_RESULT([,;]|$)/.test(firstLine);
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parseCsv(text, { delimiter: v2 && !firstLine.includes(';') ? ',' : ';', info: true, skip_empty_lines: true, bom: true, relax_quotes: true, relax_column_count: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const line = err instanceof CsvError ? (err as CsvError & { lines?: number }).lines : undefined;
    throw new ImportError(file, `invalid CSV: ${(err as Error).message.split('\n')[0]}`, line ? `line ${line}` : undefined);
  }
  const header = rows.shift()?.record.map((h) => h.trim().toUpperCase()) ?? [];
  const col = (name: string) => header.indexOf(name);
  for (const need of v2 ? ['TITLE_TEXT', 'CHECK_RESULT'] : ['CHECK_ID', 'STATUS']) if (col(need) === -1) throw new ImportError(file, `the CSV header has no ${need} column`, 'line 1');
  const get = (rec: string[], ...names: string[]) => {
    for (const n of names) {
      const i = col(n);
      const v = i >= 0 ? rec[i]?.trim() : undefined;
      if (v) return v;
    }
    return undefined;
  };
  // Failed rows of Prowler 2 by check, account and region: one finding each (its CSV names no resource).
  const v2Failed = new Map<string, number>();
  for (const { record, info } of rows) {
    if (v2) {
      // The last 2.x versions add CHECK_RESOURCE_ID; before, the account is what a row names (CHECK_RESULT_EXTENDED
      // says which user, bucket…).
      const { checkId, title } = v2Check(get(record, 'TITLE_TEXT'), get(record, 'TITLE_ID'));
      const account = get(record, 'ACCOUNT_NUM');
      const id = get(record, 'CHECK_RESOURCE_ID');
      const named = id && !V2_NO_RESOURCE.test(id) ? id : undefined;
      const rem = get(record, 'CHECK_REMEDIATION');
      if (!named && (get(record, 'CHECK_RESULT') ?? '').toUpperCase() === 'FAIL') {
        const key = `${checkId}\n${account ?? ''}\n${get(record, 'REGION') ?? ''}`;
        v2Failed.set(key, (v2Failed.get(key) ?? 0) + 1);
      }
      keep(get(record, 'CHECK_RESULT') ?? '', false, {
        checkId,
        severity: SEVERITIES[(get(record, 'CHECK_SEVERITY') ?? '').toLowerCase()] ?? 'medium',
        title,
        resource: named ?? account ?? '',
        refs: refsOf(named),
        summary: get(record, 'CHECK_RESULT_EXTENDED') ?? '',
        ...(rem ? { remediation: rem } : {}),
        provider: 'aws',
        ...(account ? { account } : {}),
        ...(get(record, 'REGION') ? { region: get(record, 'REGION')! } : {}),
        at: `${file} line ${info.lines}`,
      });
      continue;
    }
    const uid = get(record, 'RESOURCE_UID', 'RESOURCE_ARN');
    const id = get(record, 'RESOURCE_NAME', 'RESOURCE_ID');
    // Kubernetes rows put the namespace in REGION ("namespace: kube-system").
    const ns = /^namespace:\s*(.+)$/.exec(get(record, 'REGION') ?? '')?.[1];
    const checkId = get(record, 'CHECK_ID') ?? '';
    const rem = get(record, 'REMEDIATION_RECOMMENDATION_TEXT');
    keep(get(record, 'STATUS') ?? '', /^true$/i.test(get(record, 'MUTED') ?? ''), {
      checkId,
      severity: SEVERITIES[(get(record, 'SEVERITY') ?? '').toLowerCase()] ?? 'medium',
      title: get(record, 'CHECK_TITLE') ?? checkId,
      resource: uid ?? id ?? get(record, 'ACCOUNT_UID', 'ACCOUNT_ID') ?? '',
      refs: refsOf(uid, ns && id ? `${ns}/${id}` : undefined, id),
      summary: get(record, 'STATUS_EXTENDED') ?? '',
      ...(rem ? { remediation: rem } : {}),
      ...(get(record, 'PROVIDER') ? { provider: get(record, 'PROVIDER')! } : {}),
      ...(get(record, 'ACCOUNT_UID', 'ACCOUNT_ID') ? { account: get(record, 'ACCOUNT_UID', 'ACCOUNT_ID')! } : {}),
      ...(get(record, 'REGION') && !ns ? { region: get(record, 'REGION')! } : {}),
      at: `${file} line ${info.lines}`,
    });
  }
  const merged = [...v2Failed.values()].filter((n) => n > 1);
  if (merged.length) {
    const rowsMerged = merged.reduce((a, b) => a + b, 0);
    return `this Prowler 2 CSV names no resource (no CHECK_RESOURCE_ID column, which later 2.x versions add): ${rowsMerged} failed rows are ${merged.length} finding(s), one per check, account and region, each with its first row's message`;
  }
  return undefined;
}

/** Handles to match, best first, without blanks or Prowler's placeholders for "no resource". */
function refsOf(...values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0 && !/^(<[^>]+>|unknown|NOT_AVAILABLE)$/i.test(v)))];
}
