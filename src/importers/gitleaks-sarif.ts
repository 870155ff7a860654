import { isObject } from '../model/fragment.js';
import { ImportError, jsonPath } from './errors.js';
import { num, str, type Finding } from './leaks.js';

// gitleaks `--report-format sarif` (SARIF 2.1.0): runs[].tool.driver {name: "gitleaks", rules: [{id,
// shortDescription}]}, runs[].results[] {ruleId, message.text, locations[0].physicalLocation {artifactLocation.uri,
// region {startLine, …, snippet.text}}, partialFingerprints {commitSha, email, author, date, commitMessage}}.
// The snippet holds the secret: read to fingerprint it, never stored. A report without findings has
// "results": [] (or no runs at all).

/** Whether a probe's head is a SARIF log written by gitleaks (or a SARIF log with no run, which says nothing). */
export function sarifOfGitleaks(head: string): 'gitleaks' | 'empty' | undefined {
  if (!/"version"\s*:\s*"2\.1\.0"/.test(head) || !/"runs"\s*:/.test(head)) return undefined;
  if (/"driver"\s*:\s*\{\s*"name"\s*:\s*"gitleaks"/.test(head)) return 'gitleaks';
  return /"runs"\s*:\s*\[\s*\]/.test(head) ? 'empty' : undefined;
}

export function sarifFindings(file: string, root: Record<string, unknown>, date: (d: string | undefined) => string | undefined): Finding[] {
  const runs = root['runs'];
  if (!Array.isArray(runs)) throw new ImportError(file, 'expected "runs": [...] in a SARIF log', '$.runs');
  const findings: Finding[] = [];
  runs.forEach((run, r) => {
    if (!isObject(run)) throw new ImportError(file, 'expected a SARIF run object', jsonPath('runs', r));
    const driver = isObject(run['tool']) && isObject(run['tool']['driver']) ? run['tool']['driver'] : {};
    const tool = str(driver['name']);
    if (tool && tool.toLowerCase() !== 'gitleaks') throw new ImportError(file, `a SARIF log of ${tool}: Blastmap reads gitleaks' SARIF only`, jsonPath('runs', r, 'tool', 'driver', 'name'));
    const descriptions = new Map<string, string>();
    for (const rule of Array.isArray(driver['rules']) ? driver['rules'] : []) {
      if (!isObject(rule)) continue;
      const text = isObject(rule['shortDescription']) ? str(rule['shortDescription']['text']) : undefined;
      const id = str(rule['id']);
      if (id && text) descriptions.set(id, text);
    }
    const results = run['results'] ?? [];
    if (!Array.isArray(results)) throw new ImportError(file, 'expected "results": [...]', jsonPath('runs', r, 'results'));
    results.forEach((res, i) => {
      const at = jsonPath('runs', r, 'results', i);
      if (!isObject(res)) throw new ImportError(file, 'expected a SARIF result object', at);
      const rule = str(res['ruleId']);
      if (!rule) throw new ImportError(file, 'a result needs a "ruleId"', `${at}.ruleId`);
      const loc = Array.isArray(res['locations']) && isObject(res['locations'][0]) && isObject(res['locations'][0]['physicalLocation']) ? res['locations'][0]['physicalLocation'] : {};
      const region = isObject(loc['region']) ? loc['region'] : {};
      const snippet = isObject(region['snippet']) ? str(region['snippet']['text']) : undefined;
      const uri = isObject(loc['artifactLocation']) ? str(loc['artifactLocation']['uri']) : undefined;
      const fp = isObject(res['partialFingerprints']) ? res['partialFingerprints'] : {};
      const finding: Finding = { scanner: 'gitleaks', rule, secrets: snippet ? [snippet] : [], hints: [], at, fileName: file };
      const description = descriptions.get(rule);
      if (description) finding.description = description;
      if (uri) finding.file = uri;
      const line = num(region['startLine']);
      if (line !== undefined) finding.line = line;
      const commit = str(fp['commitSha']);
      if (commit) finding.commit = commit;
      const author = str(fp['author']);
      if (author) finding.author = author;
      const email = str(fp['email']);
      if (email) finding.email = email;
      const when = date(str(fp['date']));
      if (when) finding.date = when;
      findings.push(finding);
    });
  });
  return findings;
}
