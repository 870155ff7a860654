import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsAccessKeys } from '../../src/importers/aws-access-keys.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import { ROOT } from '../helpers.js';
import { byId, failedImport, files, importPaths, newCase, nodeByRef, parseText } from './aws-helpers.js';

const DEMO = join(ROOT, 'assets', 'demo');
const REPORT = join(DEMO, 'aws-dev-credential-report.csv');
const KEYS = [join(DEMO, 'aws-dev-access-keys-ci-deployer.json'), join(DEMO, 'aws-dev-access-keys-metrics-exporter.json')];
const ACCT = { account: '111111111111' };
const EXPORTER = 'arn:aws:iam::111111111111:user/metrics-exporter';

const listOutput = (user: string, keys: [string, string, string][]) =>
  JSON.stringify({ AccessKeyMetadata: keys.map(([id, status, created]) => ({ UserName: user, AccessKeyId: id, Status: status, CreateDate: created })) }, null, 4);

describe('AWS list-access-keys importer', () => {
  it('needs --account, and says so', async () => {
    const engine = newCase();
    const err = await failedImport(engine, [KEYS[0]!]);
    expect(err.message).toMatch(/aws-dev-access-keys-ci-deployer\.json: .*pass --account/);
    const bad = await failedImport(engine, [KEYS[0]!], { account: '1111' });
    expect(bad.message).toMatch(/--account must be a 12-digit AWS account id/);
    engine.close();
  });

  it('reads keys, several outputs per file (concatenated and as an array), and users without their path', async () => {
    const concatenated = listOutput('ci-bot', [['AKIAEXAMPLECIBOT0001', 'Active', '2025-01-02T03:04:05+00:00']]) + '\n' +
      listOutput('old-bot', [['AKIAEXAMPLEOLDBOT001', 'Inactive', '2019-07-24T13:31:34Z'], ['AKIAEXAMPLEOLDBOT002', 'Active', '2020-01-01T00:00:00Z']]);
    const f = await parseText(awsAccessKeys, 'keys.json', concatenated, ACCT);
    const nodes = byId(f);
    expect(f.nodes.filter((n) => n.kind === 'aws_access_key').map((n) => n.name)).toEqual(['AKIAEXAMPLECIBOT0001', 'AKIAEXAMPLEOLDBOT001', 'AKIAEXAMPLEOLDBOT002']);
    expect(nodes.get('aws:key:AKIAEXAMPLEOLDBOT001')?.props).toMatchObject({ status: 'Inactive', active: false, createdAt: '2019-07-24T13:31:34.000Z', userName: 'old-bot' });
    expect(nodes.get('arn:aws:iam::111111111111:user/old-bot')).toMatchObject({ stub: true, handles: ['arn:aws:iam::111111111111:user/old-bot', 'old-bot'] });
    expect(f.edges.find((e) => e.from === 'aws:key:AKIAEXAMPLEOLDBOT002')).toMatchObject({ kind: 'AUTHENTICATES_AS', to: 'arn:aws:iam::111111111111:user/old-bot', props: { at: 'output #2, $.AccessKeyMetadata[1]' } });
    expect(f.aliases).toContainEqual({ from: 'aws:keycreated:111111111111:old-bot:2019-07-24T13:31:34.000Z', to: 'aws:key:AKIAEXAMPLEOLDBOT001' });

    const asArray = `[${listOutput('ci-bot', [['AKIAEXAMPLECIBOT0001', 'Active', '2025-01-02T03:04:05+00:00']])}, ${listOutput('x', [])}]`;
    const g = await parseText(awsAccessKeys, 'keys.json', asArray, ACCT);
    expect(g.nodes.filter((n) => n.kind === 'aws_access_key')).toHaveLength(1);
    expect(detectImporter(createInput('whatever.txt', Buffer.from(asArray))).format).toBe('aws-access-keys');
  });

  it('adds get-access-key-last-used output when it names its key, and warns when it does not', async () => {
    const text = listOutput('ci-bot', [['AKIAEXAMPLECIBOT0001', 'Active', '2025-01-02T03:04:05+00:00'], ['AKIAEXAMPLECIBOT0002', 'Active', '2025-02-02T03:04:05+00:00']]) +
      JSON.stringify({ UserName: 'ci-bot', AccessKeyId: 'AKIAEXAMPLECIBOT0001', AccessKeyLastUsed: { LastUsedDate: '2026-11-20T10:11:00+00:00', ServiceName: 'sts', Region: 'eu-west-1' } }) +
      JSON.stringify({ UserName: 'ci-bot', AccessKeyId: 'AKIAEXAMPLECIBOT0002', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } }) +
      JSON.stringify({ UserName: 'ci-bot', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
    const f = await parseText(awsAccessKeys, 'keys.json', text, ACCT);
    const nodes = byId(f);
    expect(nodes.get('aws:key:AKIAEXAMPLECIBOT0001')?.props).toMatchObject({ lastUsedAt: '2026-11-20T10:11:00.000Z', lastUsedService: 'sts', lastUsedRegion: 'eu-west-1' });
    expect(nodes.get('aws:key:AKIAEXAMPLECIBOT0002')?.props).toMatchObject({ lastUsedAt: null });
    expect(nodes.get('aws:key:AKIAEXAMPLECIBOT0002')?.props).not.toHaveProperty('lastUsedService');
    expect(f.warnings).toEqual([{ message: expect.stringMatching(/does not name the access key/), location: 'output #4, $' }]);
  });

  it('warns when an output is one page of several', async () => {
    const text = JSON.stringify({ AccessKeyMetadata: [{ UserName: 'a', AccessKeyId: 'AKIAEXAMPLEAAAA00001', Status: 'Active', CreateDate: '2025-01-01T00:00:00Z' }], IsTruncated: true, Marker: 'abc' });
    const f = await parseText(awsAccessKeys, 'keys.json', text, ACCT);
    expect(f.warnings).toEqual([{ message: expect.stringMatching(/one page of several/), location: '$' }]);
  });

  it.each([
    ['{"AccessKeyMetadata": [{"UserName": "a", "AccessKeyId": "nope", "Status": "Active"}]}', '$.AccessKeyMetadata[0].AccessKeyId'],
    ['{"AccessKeyMetadata": [{"UserName": "a", "AccessKeyId": "AKIAEXAMPLEAAAA00001", "Status": "Gone"}]}', '$.AccessKeyMetadata[0].Status'],
    ['{"AccessKeyMetadata": [{"AccessKeyId": "AKIAEXAMPLEAAAA00001", "Status": "Active"}]}', '$.AccessKeyMetadata[0].UserName'],
    ['{"AccessKeyMetadata": [{"UserName": "a", "AccessKeyId": "AKIAEXAMPLEAAAA00001", "Status": "Active", "CreateDate": "yesterday"}]}', '$.AccessKeyMetadata[0].CreateDate'],
    ['{"AccessKeyMetadata": []}\n{"AccessKeyMetadata": [', 'line 2, column 24'],
  ])('rejects %s at %s', async (text, location) => {
    const engine = newCase();
    const err = await failedImport(engine, files({ 'keys.json': text }), ACCT);
    expect(err.location).toBe(location);
    expect(err.message).toContain('keys.json');
    engine.close();
  });

  describe('merging credential-report key slots with their AKIA ids (same user, same creation time)', () => {
    const check = async (engine: ReturnType<typeof newCase>) => {
      const key = await nodeByRef(engine, 'AKIAQDEMO3METRICS777');
      expect(key.node.id).toBe('aws:key:AKIAQDEMO3METRICS777');
      // Report facts (last use, slot) and list-access-keys facts (id, status) on one node.
      expect(key.props).toMatchObject({ slot: 1, lastUsedAt: null, status: 'Active', createdAt: '2024-11-02T16:50:00.000Z' });
      expect(key.handles).toEqual(expect.arrayContaining(['AKIAQDEMO3METRICS777', `aws:keyslot:${EXPORTER}:1`]));
      expect(new Set(key.out.map((o) => o.other.id))).toEqual(new Set([EXPORTER]));
      const second = await nodeByRef(engine, `aws:keyslot:${EXPORTER}:2`);
      expect(second.node.id).toBe('aws:key:AKIAQDEMO9METRICS2ND');
      expect(second.props).toMatchObject({ lastUsedService: 'cloudwatch', lastUsedAt: '2026-11-19T06:00:00.000Z' });
      const user = await nodeByRef(engine, EXPORTER);
      expect(new Set(user.in.map((i) => i.other.id))).toEqual(new Set(['aws:key:AKIAQDEMO3METRICS777', 'aws:key:AKIAQDEMO9METRICS2ND']));
      const info = await engine.caseInfo({});
      // No third node for the slot: the case holds the keys once.
      const hits = (await engine.search({ text: 'METRICS', limit: 20 })).filter((h) => h.node.kind === 'aws_access_key');
      expect(hits.map((h) => h.node.id).sort()).toEqual(['aws:key:AKIAQDEMO3METRICS777', 'aws:key:AKIAQDEMO9METRICS2ND']);
      return info.counts.nodes;
    };

    it('report, then keys', async () => {
      const engine = newCase();
      await importPaths(engine, [REPORT]);
      await importPaths(engine, KEYS, ACCT);
      await check(engine);
      engine.close();
    });

    it('keys, then report', async () => {
      const engine = newCase();
      await importPaths(engine, KEYS, ACCT);
      await importPaths(engine, [REPORT]);
      await check(engine);
      engine.close();
    });

    it('both in one import, and the same node count whatever the order', async () => {
      const a = newCase();
      await importPaths(a, [...KEYS, REPORT], ACCT);
      const b = newCase();
      await importPaths(b, [REPORT]);
      await importPaths(b, KEYS, ACCT);
      expect(await check(a)).toBe(await check(b));
      a.close();
      b.close();
    });

    it('a slot whose creation time differs stays its own node; removing the keys source restores the slots', async () => {
      const engine = newCase();
      await importPaths(engine, [REPORT]);
      const [other] = files({ 'keys.json': listOutput('metrics-exporter', [['AKIAEXAMPLEMETRICS99', 'Active', '2024-11-02T16:50:01+00:00']]) });
      await importPaths(engine, [other!], ACCT);
      expect((await nodeByRef(engine, `aws:keyslot:${EXPORTER}:1`)).node.id).toBe(`aws:keyslot:${EXPORTER}:1`);
      expect((await nodeByRef(engine, 'AKIAEXAMPLEMETRICS99')).node.id).toBe('aws:key:AKIAEXAMPLEMETRICS99');
      // Re-importing the keys file with the matching time (same path replaces it) merges; then the old slot is gone.
      const { writeFileSync } = await import('node:fs');
      writeFileSync(other!, listOutput('metrics-exporter', [['AKIAEXAMPLEMETRICS99', 'Active', '2024-11-02T16:50:00+00:00']]));
      await importPaths(engine, [other!], ACCT);
      expect((await nodeByRef(engine, `aws:keyslot:${EXPORTER}:1`)).node.id).toBe('aws:key:AKIAEXAMPLEMETRICS99');
      writeFileSync(other!, listOutput('someone-else', []));
      await importPaths(engine, [other!], ACCT);
      const slot = await nodeByRef(engine, `aws:keyslot:${EXPORTER}:1`);
      expect(slot.node.id).toBe(`aws:keyslot:${EXPORTER}:1`);
      expect(slot.out.map((o) => o.other.id)).toEqual([EXPORTER]);
      engine.close();
    });
  });

  it('a user with a path: the report aliases the path-less ARN the keys name to the real user', async () => {
    const header = 'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
    const [report, keys] = files({
      'report.csv': `${header}\nbuild,arn:aws:iam::111111111111:user/ci/build,2025-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2025-01-01T00:05:00+00:00,2026-01-01T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n`,
      'keys.json': listOutput('build', [['AKIAEXAMPLEBUILD0001', 'Active', '2025-01-01T00:05:00Z']]),
    });
    const engine = newCase();
    await importPaths(engine, [keys!], ACCT);
    await importPaths(engine, [report!]);
    const key = await nodeByRef(engine, 'AKIAEXAMPLEBUILD0001');
    expect(new Set(key.out.map((o) => o.other.id))).toEqual(new Set(['arn:aws:iam::111111111111:user/ci/build']));
    expect((await nodeByRef(engine, 'arn:aws:iam::111111111111:user/build')).node.id).toBe('arn:aws:iam::111111111111:user/ci/build');
    engine.close();
  });
});
