import { isObject } from '../model/fragment.js';
import type { GraphFragment, ScannerResult } from '../model/fragment.js';
import { ImportError } from './errors.js';
import { parseJson } from './input.js';
import type { Importer } from './types.js';
import { str, unique } from './json-values.js';

// ScoutSuite (NCC Group) results: scoutsuite-report/scoutsuite-results/scoutsuite_results_<provider>-<id>.js, a
// JavaScript assignment (`scoutsuite_results = {…}`) around the JSON of the run, or that JSON alone. Each flagged item
// of a finding (services.<service>.findings.<rule>.items: dotted paths into the service's data) becomes a scanner
// result for the object the path leads to — its ARN, id, name or email are the handles it is matched by; a
// path that names no object (a region with no trail) is the account's. Levels: danger → high, warning → medium.

const LEVELS: Record<string, ScannerResult['severity']> = { danger: 'high', warning: 'medium', info: 'low' };

export const scoutSuite: Importer = {
  format: 'scoutsuite',
  title: 'ScoutSuite results (scoutsuite_results_*.js or .json; AWS, Azure, GCP, …)',
  provider: 'generic',
  producedBy: 'scout <provider> (scoutsuite-report/scoutsuite-results/scoutsuite_results_<provider>-<id>.js)',
  emits: [],
  detect(probe) {
    if (/^\s*scoutsuite_results\s*=/.test(probe.head)) return 0.97;
    return probe.looksJson && /"provider_code"\s*:/.test(probe.head) && /"services"\s*:/.test(probe.head) && /"last_run"\s*:/.test(probe.head) ? 0.9 : 0;
  },
  parse(input) {
    const file = input.fileName;
    const text = input.text();
    // The assignment is blanked out, not cut, so JSON errors keep their line and column.
    const m = /^\s*scoutsuite_results\s*=\s*/.exec(text);
    const json = m ? ' '.repeat(m[0].length) + text.slice(m[0].length).replace(/;\s*$/, '') : text;
    const doc = parseJson(file, json);
    if (!isObject(doc) || !isObject(doc['services'])) throw new ImportError(file, 'expected the ScoutSuite results object with "services"', '$.services');
    const services = doc['services'];
    const provider = str(doc['provider_code']);
    const account = str(doc['account_id']) ?? str(doc['project_id']) ?? str(doc['subscription_id']);
    const results: ScannerResult[] = [];
    for (const [service, data] of Object.entries(services)) {
      if (!isObject(data) || !isObject(data['findings'])) continue;
      for (const [rule, f] of Object.entries(data['findings'])) {
        if (!isObject(f) || !Array.isArray(f['items']) || !f['items'].length) continue;
        const severity = LEVELS[str(f['level']) ?? ''] ?? 'medium';
        f['items'].forEach((item: unknown, i) => {
          if (typeof item !== 'string') return;
          const target = resolve(services, item);
          const refs = target ? unique([str(target['arn']), str(target['email']), str(target['id']), str(target['resource_id']), str(target['name'])]) : [];
          results.push({
            scanner: 'scoutsuite',
            checkId: rule,
            severity,
            status: str(f['level']) ?? 'flagged',
            title: str(f['description']) ?? rule,
            resource: refs[0] ?? item,
            refs: refs.length ? refs : account ? [account] : [],
            summary: `${str(f['description']) ?? rule}: ${item}`,
            ...(str(f['remediation']) ? { remediation: str(f['remediation'])! } : str(f['rationale']) ? { remediation: str(f['rationale'])! } : {}),
            ...(provider ? { provider } : {}),
            ...(account ? { account } : {}),
            ...(/\.regions\.([^.]+)\./.exec(item)?.[1] ? { region: /\.regions\.([^.]+)\./.exec(item)![1]! } : {}),
            at: `${file} $.services.${service}.findings[${JSON.stringify(rule)}].items[${i}]`,
          });
        });
      }
    }
    const fragment: GraphFragment = { nodes: [], edges: [], warnings: [], results };
    return fragment;
  },
};

/**
 * The deepest object with an identity (arn, id, name, email) on an item's path. Keys may contain dots (bucket names,
 * CIDRs, port ranges): at each level the shortest run of segments that is a key is taken.
 */
function resolve(services: Record<string, unknown>, item: string): Record<string, unknown> | undefined {
  const segs = item.split('.');
  let obj: unknown = services;
  let found: Record<string, unknown> | undefined;
  for (let i = 0; i < segs.length && isObject(obj); ) {
    let next: unknown;
    let j = i + 1;
    for (; j <= segs.length; j++) {
      const key = segs.slice(i, j).join('.');
      if (Object.hasOwn(obj, key)) {
        next = obj[key];
        break;
      }
    }
    if (next === undefined) break;
    if (isObject(next) && (typeof next['arn'] === 'string' || typeof next['id'] === 'string' || typeof next['email'] === 'string')) found = next;
    obj = next;
    i = j;
  }
  return found;
}
