import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, FIXTURES, REAL, tempDir } from '../helpers.js';

// What a user reads: errors that say what is wrong, one line per fact, no leftovers, names that read once.

describe('JSON-lines files of a kind Blastmap does not read', () => {
  it('say so, and name the JSON-lines formats, instead of "text after the end of the JSON value"', async () => {
    const dir = tempDir();
    // gcloud's service-account list turned into JSON-lines (jq -c '.accounts[]'): a one-document format.
    const accounts = (JSON.parse(readFileSync(join(REAL, 'gcp', 'iam-rest-serviceaccounts-list-c7n.json'), 'utf8')) as { accounts: unknown[] }).accounts;
    const lines = join(dir, 'accounts.jsonl');
    writeFileSync(lines, accounts.map((a) => JSON.stringify(a)).join('\n') + '\n');
    const r = await cli('import', lines, '--case', join(dir, 'a.blastmap'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/accounts\.jsonl \(line 2, column 1\): a second JSON object starts here: the file holds several JSON values, one after another \(JSON-lines, or pages appended to one file\), but its start looks like gcp-service-accounts, which is one JSON document\. Blastmap reads JSON-lines from .*trufflehog.*cloudtrail.*gcp-audit-log/);
    expect(r.err).not.toMatch(/text after the end/);
    // Falco's JSON output: JSON-lines of a kind nothing reads.
    const falco = join(dir, 'falco-events.json');
    writeFileSync(falco, '{"hostname":"node-1","output":"Shell spawned in a container","priority":"Notice","rule":"Terminal shell in container","source":"syscall","time":"2026-11-20T10:00:00.000000000Z","output_fields":{"container.id":"3ad7b26ded6d","proc.name":"bash"}}\n{"hostname":"node-1","output":"Sensitive file opened","priority":"Warning","rule":"Read sensitive file untrusted","source":"syscall","time":"2026-11-20T10:00:05.000000000Z","output_fields":{"fd.name":"/etc/shadow"}}\n');
    const f = await cli('import', falco, '--case', join(dir, 'b.blastmap'));
    expect(f.err).toMatch(/falco-events\.json: not a format Blastmap recognises \(it is a JSON object with none of the members a known format has\); it is JSON-lines \(one JSON value per line\), which Blastmap reads from /);
  });
});

describe('JSON documents appended one after another', () => {
  it('a format that reads JSON-lines but not appended documents says where the second starts, and does not name itself as the answer', async () => {
    const dir = tempDir();
    // Two AzureHound collections written to one file (>>): AzureHound reads one document, or its console JSON-lines.
    const doc = readFileSync(join(FIXTURES, 'azurehound', 'azurehound-contoso.json'), 'utf8');
    const file = join(dir, 'two-collections.json');
    writeFileSync(file, doc.trimEnd() + '\n' + doc);
    const lines = doc.trimEnd().split('\n').length;
    const r = await cli('import', file, '--case', join(dir, 'a.blastmap'));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`two-collections.json (line ${lines + 1}, column 1): a second JSON object starts here: the file holds JSON documents appended one after another (pages appended to one file), but azurehound reads one JSON document or JSON-lines (one value per line); split the file where each document starts`);
    expect(r.err).not.toMatch(/reads JSON-lines from/);
  });
});

describe('node <key>', () => {
  it('prints the key\'s observed use once, merged over the log files that show it', async () => {
    const dir = tempDir();
    const a = join(dir, 'trail-a.json');
    const b = join(dir, 'trail-b.json');
    const log = readFileSync(join(FIXTURES, 'cloudtrail', 'plaso-cloudtrail-s3-records.json'), 'utf8');
    writeFileSync(a, log);
    // The next hours' log files: the same calls later (CloudTrail delivers a file every few minutes per region).
    const later = (hours: number) => log.replace(/"eventTime": ?"([^"]+)"/g, (_, t: string) => `"eventTime": "${new Date(Date.parse(t) + hours * 3_600_000).toISOString()}"`);
    writeFileSync(b, later(1));
    writeFileSync(join(dir, 'trail-c.json'), later(2));
    const c = join(dir, 'c.blastmap');
    expect((await cli('import', a, b, join(dir, 'trail-c.json'), '--case', c)).code).toBe(0);
    const out = (await cli('node', 'arn:aws:iam::123456789012:user/Alice', '--case', c)).out;
    expect(out).not.toContain('OBSERVED_USE');
    expect(out.match(/observed activity:/g)).toHaveLength(1);
    expect(out.match(/^ {4}← EXAMPLE_KEY_ID /gm)?.length).toBe(1);
    expect(out).toMatch(/← EXAMPLE_KEY_ID \[aws_access_key\]: 21 event\(s\)/);
  });
});

describe('a failed import into a new case', () => {
  it('leaves no case file behind; an existing case stays as it was', async () => {
    const dir = tempDir();
    const c = join(dir, 'new.blastmap');
    const r = await cli('import', join(FIXTURES, 'kubernetes', 'helm-testchart-alpine-pod-template.yaml'), '--case', c);
    expect(r.code).toBe(1);
    for (const f of [c, `${c}-wal`, `${c}-shm`]) expect(existsSync(f)).toBe(false);
    expect((await cli('import', join(FIXTURES, 'aws', 'cloudmapper-demo-gaad.json'), '--case', c)).code).toBe(0);
    expect((await cli('import', join(FIXTURES, 'kubernetes', 'helm-testchart-alpine-pod-template.yaml'), '--case', c)).code).toBe(1);
    expect(existsSync(c)).toBe(true);
  });
});

describe('names', () => {
  it('a console password reads once in findings ("Console password of andrew")', async () => {
    const c = join(tempDir(), 'c.blastmap');
    // A fixed reference time: the age is counted from andrew's password_last_used in the report to it.
    const asOf = '2026-12-05T00:00:00Z';
    await cli('import', join(FIXTURES, 'aws', 'c7n-real-account-credential-report-2017.csv'), '--case', c, '--as-of', asOf);
    const findings = JSON.parse((await cli('findings', '--case', c, '--json')).out) as { title: string }[];
    const titles = findings.map((f) => f.title).filter((t) => /password/i.test(t));
    const days = Math.floor((Date.parse(asOf) - Date.parse('2016-11-16T14:10:34+00:00')) / 86_400_000);
    expect(titles).toContain(`Console password of andrew unused for ${days} days`);
    expect(titles.filter((t) => /console password .*console password/i.test(t))).toEqual([]);
  });

  it('the leaked-key finding cites the key id\'s line, and the secret key\'s line beside it', async () => {
    const c = join(tempDir(), 'c.blastmap');
    await cli('import', join(FIXTURES, 'secret-scanners', 'scenario-gitleaks-known-secrets.json'), '--case', c);
    const findings = JSON.parse((await cli('findings', '--case', c, '--json', '--severity', 'critical')).out) as { rule: string; nodeId: string; summary: string }[];
    const key = findings.filter((f) => f.rule === 'leaked-credential-active' && f.nodeId === 'aws:key:AKIAQSCENARIOKEY0001');
    expect(key).toHaveLength(1);
    expect(key[0]!.summary).toMatch(/^Access key AKIAQSCENARIOKEY0001 is exposed by aws-access-token in northwind\/ops infra\/creds:10 .*; also its secret access key by generic-api-key in northwind\/ops infra\/creds:11 /);
  });
});
