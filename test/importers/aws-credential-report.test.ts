import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsCredentialReport } from '../../src/importers/aws-credential-report.js';
import { ImportError } from '../../src/importers/errors.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import { FIXTURES, REAL, ROOT } from '../helpers.js';
import { byId, failedImport, files, importPaths, newCase, parseFile, parseText } from './aws-helpers.js';

const C7N = join(FIXTURES, 'aws', 'c7n-real-account-credential-report-2017.csv');
const CLOUDMAPPER = join(FIXTURES, 'aws', 'cloudmapper-demo-credential-report.json');
const DEMO = join(ROOT, 'assets', 'demo', 'aws-dev-credential-report.csv');
const HEADER = readFileSync(C7N, 'utf8').split('\n')[0]!;
const C7N_ACCT = '644160558196';
const slot = (user: string, n: 1 | 2, acct = C7N_ACCT) => `aws:keyslot:arn:aws:iam::${acct}:user/${user}:${n}`;

describe('AWS credential report importer', () => {
  it('reads the real c7n report: users as stubs, the root user, passwords and key slots', async () => {
    const f = await parseFile(awsCredentialReport, C7N);
    const nodes = byId(f);
    const kinds = (k: string) => f.nodes.filter((n) => n.kind === k);
    // 21 data rows, christopher twice: 19 users and the root user.
    expect(kinds('aws_user')).toHaveLength(19);
    expect(kinds('aws_user').every((u) => u.stub)).toBe(true);
    expect(kinds('aws_root').map((n) => n.id)).toEqual([`arn:aws:iam::${C7N_ACCT}:root`]);
    // 14 active first keys, 2 active second keys (andrew, kit).
    expect(kinds('aws_access_key')).toHaveLength(16);
    expect(kinds('aws_access_key').filter((k) => k.id.endsWith(':2')).map((k) => k.props?.['userName']).sort()).toEqual(['andrew', 'kit']);
    // 17 users with passwords, plus root's (not_supported: it cannot be disabled).
    expect(kinds('aws_password')).toHaveLength(18);
    expect(f.warnings).toEqual([{ message: `arn:aws:iam::${C7N_ACCT}:user/christopher appears twice (lines 9 and 10); the later row is used`, location: 'line 10' }]);

    // Never used: active key with last_used_date N/A.
    const neverUsed = kinds('aws_access_key').filter((k) => k.props?.['lastUsedAt'] === null).map((k) => k.id).sort();
    expect(neverUsed).toEqual([slot('andrew', 1), slot('c7n-iam-test', 1), slot('ryanwolfe', 1)]);
    expect(nodes.get(slot('calvin', 1))?.props).toMatchObject({
      active: true, status: 'Active', createdAt: '2016-11-15T18:46:51.000Z', lastRotatedAt: '2016-11-15T18:46:51.000Z',
      lastUsedAt: '2016-11-15T21:36:00.000Z', lastUsedService: 's3', managedBy: 'user', userName: 'calvin',
    });
    // Region N/A while the service is known: the region stays unknown.
    expect(nodes.get(slot('calvin', 1))?.props).not.toHaveProperty('lastUsedRegion');
    expect(nodes.get(slot('andrew', 2))?.props).toMatchObject({ lastUsedRegion: 'us-east-1', lastUsedService: 'ec2' });
    // The later christopher row wins: its key and its password use.
    expect(nodes.get(slot('christopher', 1))?.props?.['lastUsedAt']).toBe('2016-11-21T18:44:00.000Z');
    expect(nodes.get(`aws:password:arn:aws:iam::${C7N_ACCT}:user/christopher`)?.props?.['lastUsedAt']).toBe('2016-11-21T14:42:22.000Z');
    expect(nodes.get(`arn:aws:iam::${C7N_ACCT}:user/anthony`)?.props).toMatchObject({ mfa_active: true, password_enabled: true, createdAt: '2016-10-06T16:11:27.000Z' });
    expect(nodes.get(`arn:aws:iam::${C7N_ACCT}:root`)?.props).toMatchObject({ mfa_active: true });
    expect(nodes.get(`aws:password:arn:aws:iam::${C7N_ACCT}:user/andrew`)?.props).toMatchObject({ lastRotatedAt: '2016-08-30T18:24:44.000Z', expiresAt: '2016-11-28T18:24:44.000Z', mfaActive: false });
    // Every credential authenticates as its owner, and the edge says where it came from.
    expect(f.edges.filter((e) => e.kind === 'AUTHENTICATES_AS')).toHaveLength(16 + 18);
    expect(f.edges.find((e) => e.from === slot('calvin', 1))).toMatchObject({ to: `arn:aws:iam::${C7N_ACCT}:user/calvin`, props: { at: 'line 7' } });
    expect(nodes.get(`aws:account:${C7N_ACCT}`)).toMatchObject({ kind: 'aws_account', stub: true });
    expect(nodes.get(`admin:aws:account:${C7N_ACCT}`)).toMatchObject({ kind: 'admin' });
  });

  it('reads the get-credential-report JSON whose Content is plain CSV (CloudMapper) and whose root has an access key', async () => {
    const f = await parseFile(awsCredentialReport, CLOUDMAPPER);
    const nodes = byId(f);
    const rootKey = nodes.get('aws:keyslot:arn:aws:iam::123456789012:root:1');
    expect(rootKey?.props).toMatchObject({ active: true, lastUsedAt: '2018-11-27T00:02:00.000Z', lastUsedService: 'ecr', lastUsedRegion: 'us-east-1' });
    expect(f.edges.find((e) => e.from === rootKey?.id)?.to).toBe('arn:aws:iam::123456789012:root');
    expect(f.edges.find((e) => e.from === rootKey?.id)?.props?.at).toBe('$.Content, line 2');
    expect(nodes.get('aws:keyslot:arn:aws:iam::123456789012:user/auditor_tmp:1')?.props?.['lastUsedAt']).toBeNull();
    // "user" has a password that was never changed (N/A) but used.
    expect(nodes.get('aws:password:arn:aws:iam::123456789012:user/user')?.props).toMatchObject({ lastUsedAt: '2018-05-07T15:35:54.000Z', expiresAt: null });
    expect(nodes.get('aws:password:arn:aws:iam::123456789012:user/user')?.props).not.toHaveProperty('lastRotatedAt');
  });

  it('reads the CLI output with base64 Content, and the same report as CSV gives the same graph', async () => {
    const csv = readFileSync(C7N, 'utf8');
    const json = JSON.stringify({ Content: Buffer.from(csv).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: '2017-02-01T00:00:00+00:00' }, null, 4);
    const fromJson = await parseText(awsCredentialReport, 'report.json', json);
    const fromCsv = await parseFile(awsCredentialReport, C7N);
    expect(fromJson.nodes).toEqual(fromCsv.nodes);
    expect(fromJson.edges.map((e) => [e.from, e.to])).toEqual(fromCsv.edges.map((e) => [e.from, e.to]));
    expect(detectImporter(createInput('report.json', Buffer.from(json))).format).toBe('aws-credential-report');
  });

  it('reads 2025 reports: Z dates, root password_enabled true, no_information', async () => {
    const csv = `${HEADER}\n<root_account>,arn:aws:iam::210987654321:root,2024-03-01T10:00:00Z,true,no_information,not_supported,not_supported,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n` +
      'svc/path-user,arn:aws:iam::210987654321:user/automation/svc-path-user,2025-01-28T17:25:12Z,false,N/A,N/A,N/A,false,false,2025-01-28T17:30:00Z,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n';
    const f = await parseText(awsCredentialReport, 'r.csv', csv.replace('svc/path-user,', 'svc-path-user,'));
    const nodes = byId(f);
    expect(nodes.get('aws:password:arn:aws:iam::210987654321:root')?.props).toMatchObject({ lastUsedAt: null, mfaActive: false });
    // A deactivated key keeps its slot: it exists, can be re-activated, and was never used.
    expect(nodes.get('aws:keyslot:arn:aws:iam::210987654321:user/automation/svc-path-user:1')?.props).toMatchObject({ active: false, status: 'Inactive', createdAt: '2025-01-28T17:30:00.000Z', lastUsedAt: null });
    // A user with a path: outputs naming only the user write the ARN without it; alias it to the real one.
    expect(f.aliases).toContainEqual({ from: 'arn:aws:iam::210987654321:user/svc-path-user', to: 'arn:aws:iam::210987654321:user/automation/svc-path-user' });
  });

  it('imports the demo report and every real report through the engine', async () => {
    const engine = newCase();
    const result = await importPaths(engine, [DEMO, join(REAL, 'aws-credential-report', 'c7n-real-account-credential-report-2017.csv'), join(REAL, 'aws-credential-report', 'cloudmapper-demo-credential-report.json')]);
    expect(result.sources.map((s) => s.format)).toEqual(['aws-credential-report', 'aws-credential-report', 'aws-credential-report']);
    const exporter = await engine.node({ id: 'aws:keyslot:arn:aws:iam::111111111111:user/metrics-exporter:1' });
    expect(exporter.props).toMatchObject({ active: true, lastUsedAt: null });
    expect(exporter.out.map((o) => [o.edge.kind, o.other.id])).toEqual([['AUTHENTICATES_AS', 'arn:aws:iam::111111111111:user/metrics-exporter']]);
    const dana = await engine.node({ id: 'arn:aws:iam::111111111111:user/dana.ops' });
    expect(dana.node.stub).toBe(true);
    expect(dana.in.map((i) => i.other.id)).toEqual(['aws:password:arn:aws:iam::111111111111:user/dana.ops']);
    engine.close();
  });

  describe('bad input: a clear error naming the file and the line, the case unchanged', () => {
    const good = readFileSync(C7N, 'utf8');
    it.each([
      ['truncated in a row', good.slice(0, good.indexOf('\ncalvin,') + 40), /this row has 2 fields where the header has 22 \(truncated or damaged\?\)/, 'line 7'],
      ['missing header', good.slice(good.indexOf('\n') + 1), /the header row is missing/, 'line 1'],
      ['wrong columns', good.replace('mfa_active,', 'mfa,'), /lacks column mfa_active/, 'line 1'],
      ['a bad date', good.replace('2016-11-15T21:36:00+00:00', '15/11/2016'), /access_key_1_last_used_date holds "15\/11\/2016", not a date/, 'line 7'],
      ['a bad flag', good.replace('c7n-test,arn:aws:iam::644160558196:user/c7n-test,2016-10-19T17:39:08+00:00,false', 'c7n-test,arn:aws:iam::644160558196:user/c7n-test,2016-10-19T17:39:08+00:00,maybe'), /password_enabled holds "maybe"/, 'line 6'],
      ['an unclosed quote', good.replace('\nanthony,', '\n"anthony,'), /not valid CSV/, undefined],
    ])('%s', async (_, text, message, location) => {
      const engine = newCase();
      await importPaths(engine, [DEMO]);
      const err = await failedImport(engine, files({ 'report.csv': text }));
      expect(err.message).toMatch(message);
      expect(err.message).toContain('report.csv');
      if (location) expect(err.location).toBe(location);
      else expect(err.location).toMatch(/^line \d+$/);
      engine.close();
    });

    it('base64 garbage in Content', async () => {
      const engine = newCase();
      const err = await failedImport(engine, files({ 'report.json': '{"Content": "dXNlcixhcm4s!!!not base64", "ReportFormat": "text/csv"}' }));
      expect(err.message).toMatch(/report\.json.*neither the report CSV nor base64/);
      expect(err.location).toBe('$.Content');
      const err2 = await failedImport(engine, files({ 'report2.json': JSON.stringify({ Content: Buffer.from('hello,world\n1,2').toString('base64'), ReportFormat: 'text/csv' }) }));
      expect(err2.message).toMatch(/decodes from base64 but is not a credential report/);
      engine.close();
    });

    it('names the line inside Content for the JSON form', async () => {
      const truncated = good.slice(0, good.indexOf('\nchrissy,') + 30);
      const err: unknown = await parseText(awsCredentialReport, 'r.json', JSON.stringify({ Content: Buffer.from(truncated).toString('base64') })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportError);
      expect((err as ImportError).location).toBe('$.Content, line 8');
    });
  });
});
