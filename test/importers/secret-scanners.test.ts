import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitleaks } from '../../src/importers/gitleaks.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import { trufflehog } from '../../src/importers/trufflehog.js';
import type { GraphFragment } from '../../src/model/fragment.js';
import { FIXTURES, parseAll } from '../helpers.js';

const fixture = (name: string) => join(FIXTURES, 'secret-scanners', name);
const input = (name: string) => createInput(name, readFileSync(fixture(name)));
const exposes = (f: GraphFragment) => f.edges.filter((e) => e.kind === 'EXPOSES');
const leaks = (f: GraphFragment) => f.nodes.filter((n) => n.kind === 'leak');

describe('secret-scanner detection', () => {
  it('detects every real report from its content, whatever the file is called', () => {
    const expected: Record<string, string> = {
      'gitleaks-upstream-csv-simple.csv': 'gitleaks',
      'gitleaks-upstream-json-simple.json': 'gitleaks',
      'gitleaks-v7-report-redacted.json': 'gitleaks',
      'gitleaks-v8-report-many.json': 'gitleaks',
      'trufflehog-v3-git-source.jsonl': 'trufflehog',
      'trufflehog-v3-github-source.jsonl': 'trufflehog',
    };
    for (const [name, format] of Object.entries(expected)) {
      expect(detectImporter(createInput('report.txt', readFileSync(fixture(name)))).format, name).toBe(format);
    }
  });
});

describe('gitleaks importer', () => {
  it('reads the v8 report: four leaks, identical placeholder secrets share one credential, all marked compromised', async () => {
    const f = await parseAll(gitleaks, input('gitleaks-v8-report-many.json'));
    expect(leaks(f)).toHaveLength(4);
    const aws = leaks(f).filter((n) => n.props?.['rule'] === 'aws-access-token');
    expect(aws.map((n) => n.props?.['commit'])).toEqual(['74d53286c550630f80847d37f68aa3065554ac813544072ccd1278da71fafe31', '9619c91b3fd2998be5d9ce198833d7ac9489d9bc378ad7cd28963d5a967f8699']);
    expect(aws[0]!.props).toMatchObject({ scanner: 'gitleaks', file: '/conf/aws.tf', line: 2, author: 'Firstname Lastname', email: 'first.last@gmail.com', date: '2021-10-14T17:05:15Z' });
    // "secretAWSsecret" is no key id: the credential cannot be tied to an AWS key and stays a secret of its own.
    const targets = new Set(exposes(f).filter((e) => aws.some((l) => l.id === e.from)).map((e) => e.to));
    expect([...targets]).toHaveLength(1);
    expect([...targets][0]).toMatch(/^secret:[0-9a-f]{64}$/);
    const pk = f.nodes.find((n) => n.kind === 'secret_credential' && n.props?.['secretType'] === 'Private key');
    expect(pk).toBeDefined();
    expect(pk!.props?.['last4']).toBeUndefined();
    const generic = f.nodes.find((n) => n.kind === 'secret_credential' && n.props?.['secretType'] === 'generic-api-key');
    expect(generic?.props?.['last4']).toBe('f213');
    expect(f.marks!.map((m) => m.mark)).toEqual(['compromised', 'compromised', 'compromised']);
  });

  it('reads the upstream JSON and CSV goldens alike, with the MM-DD-YYYY date made ISO', async () => {
    const json = await parseAll(gitleaks, input('gitleaks-upstream-json-simple.json'));
    const csv = await parseAll(gitleaks, input('gitleaks-upstream-csv-simple.csv'));
    for (const f of [json, csv]) {
      expect(leaks(f)).toHaveLength(1);
      expect(leaks(f)[0]!.props).toMatchObject({ rule: 'test-rule', file: 'auth.py', line: 1, commit: '0000000000000000', author: 'John Doe', date: '2003-10-19' });
      expect(exposes(f)).toHaveLength(1);
    }
    // Same finding, same secret: the same leak and credential ids from either shape.
    expect(leaks(json)[0]!.id).toBe(leaks(csv)[0]!.id);
    expect(exposes(csv)[0]!.props?.evidence?.[0]?.location).toBe('gitleaks-upstream-csv-simple.csv line 2');
  });

  it('keeps the six redacted v7 findings as leaks without inventing a credential', async () => {
    const f = await parseAll(gitleaks, input('gitleaks-v7-report-redacted.json'));
    expect(leaks(f)).toHaveLength(6);
    expect(leaks(f).every((n) => n.props?.['redacted'] === true)).toBe(true);
    expect(leaks(f)[1]!.props).toMatchObject({ file: 'terraform/terraform.tfstate', line: 2221, commit: '1b21e5f0c99fb71e2c1baa619c8816ee0ef58ed1', author: 'Some User' });
    expect(exposes(f)).toHaveLength(0);
    expect(f.marks).toHaveLength(0);
    expect(f.warnings[0]!.message).toMatch(/6 finding\(s\) carry no secret/);
  });

  it('ties a leaked AWS key id to aws:key:<id> and the secret access key leaked on the next line to the same key', async () => {
    const f = await parseAll(gitleaks, input('scenario-gitleaks-known-secrets.json'));
    const key = 'aws:key:AKIAQSCENARIOKEY0001';
    const toKey = exposes(f).filter((e) => e.to === key);
    expect(toKey.map((e) => f.nodes.find((n) => n.id === e.from)!.props?.['line'])).toEqual([10, 11]);
    expect(f.nodes.find((n) => n.id === key)).toMatchObject({ kind: 'aws_access_key', stub: true });
    const gh = f.nodes.find((n) => n.props?.['secretType'] === 'GitHub token');
    expect(gh).toMatchObject({ kind: 'secret_credential', name: 'GitHub token …2UeQ' });
    expect(f.nodes.find((n) => n.props?.['secretType'] === 'Slack token')).toBeDefined();
    // The service-account key file names its key id and account.
    const gcpKey = 'gcp:key:3f1e8c2a9b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f';
    expect(exposes(f).some((e) => e.to === gcpKey)).toBe(true);
    expect(f.edges).toContainEqual(expect.objectContaining({ from: gcpKey, to: 'gcp:sa:deployer@nw-prod-ops.iam.gserviceaccount.com', kind: 'AUTHENTICATES_AS' }));
    expect(f.marks!.map((m) => m.nodeId)).toEqual(expect.arrayContaining([key, gcpKey, gh!.id]));
    const leak = f.nodes.find((n) => n.kind === 'leak' && n.props?.['line'] === 3)!;
    expect(leak.props).toMatchObject({ repository: 'https://github.com/northwind/ops', link: expect.stringContaining('deploy/config.yml#L3') });
  });

  it('finds the key id of a service-account key file embedded, quotes escaped, in a string', async () => {
    const embedded = String.raw`GOOGLE_CREDENTIALS = "{\"type\": \"service_account\", \"private_key_id\": \"0123456789abcdef0123456789abcdef01234567\", \"client_email\": \"ci@nw-dev-ops.iam.gserviceaccount.com\"}"`;
    const report = [{ RuleID: 'gcp-service-account', Description: 'GCP', StartLine: 4, Match: embedded, Secret: embedded, File: 'ci/env.tf', Commit: 'abc123', Author: '', Email: '', Date: '', Tags: [] }];
    const f = await parseAll(gitleaks, createInput('r.json', Buffer.from(JSON.stringify(report))));
    expect(exposes(f).map((e) => e.to)).toEqual(['gcp:key:0123456789abcdef0123456789abcdef01234567']);
    expect(f.edges).toContainEqual(expect.objectContaining({ from: 'gcp:key:0123456789abcdef0123456789abcdef01234567', to: 'gcp:sa:ci@nw-dev-ops.iam.gserviceaccount.com', kind: 'AUTHENTICATES_AS' }));
  });

  it('rejects a CSV row that breaks the header without quoting the row', async () => {
    const text = 'RuleID,Commit,File,SymlinkFile,Secret,Match,StartLine\nrule,abc,f.py,,"sk_live_ABCDEFGHIJKLMNOP,unterminated\n';
    await expect(parseAll(gitleaks, createInput('bad.csv', Buffer.from(text)))).rejects.toThrow(/^bad\.csv.*invalid CSV/);
    await expect(parseAll(gitleaks, createInput('bad.csv', Buffer.from(text)))).rejects.not.toThrow(/sk_live/);
  });
});

describe('trufflehog importer', () => {
  it('reads the git source: the verified AWS key authenticates as the canary user, URIs and the private key are secrets', async () => {
    const f = await parseAll(trufflehog, input('trufflehog-v3-git-source.jsonl'));
    // Lines 2 and 4 are the same URI finding: one leak.
    expect(leaks(f)).toHaveLength(3);
    const awsLeak = leaks(f).find((n) => n.props?.['rule'] === 'AWS')!;
    expect(awsLeak.props).toMatchObject({
      scanner: 'trufflehog',
      verified: true,
      repository: 'https://github.com/trufflesecurity/test_keys',
      file: 'keys',
      line: 4,
      commit: 'fbc14303ffbf8fb1c2c1914e8dda7d0121633aca',
      author: 'counter',
      email: 'counter@counters-MacBook-Air.local',
      date: '2022-06-16T17:17:40Z',
    });
    const user = 'arn:aws:iam::595918472158:user/canarytokens.com@@mirux23ppyky6hx3l6vclmhnj';
    expect(exposes(f)).toContainEqual(expect.objectContaining({ from: awsLeak.id, to: 'aws:key:AKIAYVP4CIPPERUVIFXG' }));
    expect(f.edges).toContainEqual(expect.objectContaining({ from: 'aws:key:AKIAYVP4CIPPERUVIFXG', to: user, kind: 'AUTHENTICATES_AS' }));
    expect(f.nodes.find((n) => n.id === 'aws:key:AKIAYVP4CIPPERUVIFXG')?.boundary).toBe('aws:account:595918472158');
    const uri = f.nodes.find((n) => n.props?.['secretType'] === 'URI password')!;
    expect(uri.props).toMatchObject({ uriScheme: 'https', uriUser: 'admin', uriHost: 'the-internet.herokuapp.com' });
    expect(f.nodes.some((n) => n.props?.['secretType'] === 'Private key')).toBe(true);
    expect(f.marks!.every((m) => m.mark === 'compromised' && m.note.includes('verified'))).toBe(true);
  });

  it('reads the GitHub source the same way, with the commit link', async () => {
    const f = await parseAll(trufflehog, input('trufflehog-v3-github-source.jsonl'));
    const awsLeak = leaks(f).find((n) => n.props?.['rule'] === 'AWS')!;
    expect(awsLeak.props).toMatchObject({ repository: 'https://github.com/trufflesecurity/test_keys.git', link: 'https://github.com/trufflesecurity/test_keys/blob/fbc14303ffbf8fb1c2c1914e8dda7d0121633aca/keys', line: 4 });
    expect(exposes(f).map((e) => e.to)).toContain('aws:key:AKIAYVP4CIPPERUVIFXG');
  });

  it('reads plain and base64 Raw values alike, and reports a broken line by number only', async () => {
    const f = await parseAll(trufflehog, input('scenario-trufflehog-known-secrets.jsonl'));
    expect(leaks(f)).toHaveLength(4);
    expect(f.nodes.find((n) => n.props?.['secretType'] === 'URI password')?.props).toMatchObject({ uriUser: 'app', uriHost: 'db.internal.northwind.example:5432' });
    expect(f.edges).toContainEqual(expect.objectContaining({ from: 'aws:key:AKIAQSCENARIOKEY0002', to: 'arn:aws:iam::111111111111:user/ci-deployer', kind: 'AUTHENTICATES_AS' }));
    expect(exposes(f).map((e) => e.to)).toContain('gcp:key:3f1e8c2a9b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f');
    expect(f.warnings).toEqual([{ message: '1 line(s) are not valid JSON and were skipped', location: 'line 5' }]);
  });
});
