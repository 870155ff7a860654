import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cloudtrail } from '../../src/importers/cloudtrail.js';
import { gcpAuditLog } from '../../src/importers/gcp-audit-log.js';
import { gcpIamPolicy } from '../../src/importers/gcp-iam.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import type { EdgeFact, GraphFragment } from '../../src/model/fragment.js';
import { FIXTURES, parseAll, ROOT } from '../helpers.js';

const ct = (name: string) => join(FIXTURES, 'cloudtrail', name);
const parseCt = (path: string, bytes = readFileSync(path)) => parseAll(cloudtrail, createInput(path.split('/').pop()!, bytes));
const edge = (f: GraphFragment, from: string, to: string): EdgeFact => {
  const e = f.edges.find((x) => x.from === from && x.to === to);
  if (!e) throw new Error(`no edge ${from} → ${to}; have ${f.edges.map((x) => `${x.from} → ${x.to}`).join(', ')}`);
  return e;
};

describe('CloudTrail importer', () => {
  it('detects every real shape from its content', () => {
    for (const name of ['plaso-cloudtrail-s3-records.json', 'plaso-cloudtrail-lookup-events.jsonl', 'c7n-single-record-runinstances-assumedrole.json', 'c7n-single-record-runinstances-iamuser.json', 'c7n-eventbridge-wrapped-createbucket-root.json']) {
      expect(detectImporter(createInput('log', readFileSync(ct(name)))).format, name).toBe('cloudtrail');
    }
  });

  it('reads an S3 log file: the key acted as Alice seven times, the two Insights records are counted with their place', async () => {
    const f = await parseCt(ct('plaso-cloudtrail-s3-records.json'));
    const e = edge(f, 'aws:key:EXAMPLE_KEY_ID', 'arn:aws:iam::123456789012:user/Alice');
    expect(e.kind).toBe('OBSERVED_USE');
    expect(e.props).toMatchObject({ firstSeen: '2014-03-06T17:10:34Z', lastSeen: '2016-07-14T19:15:45Z', count: 7, failed: 1 });
    expect(e.props?.actions).toEqual(expect.arrayContaining(['ec2:StartInstances', 'iam:CreateUser', 'iam:CreateRole', 'iam:AddUserToGroup']));
    expect(e.props?.['failedActions']).toEqual([{ value: 'cloudtrail:UpdateTrail', count: 1 }]);
    expect(e.props?.['sourceIps']).toEqual([
      { value: '127.0.0.1', count: 3 },
      { value: '205.251.233.176', count: 2 },
      { value: '205.251.233.182', count: 1 },
      { value: '72.21.198.64', count: 1 },
    ]);
    const instance = edge(f, 'arn:aws:iam::123456789012:user/Alice', 'arn:aws:ec2:us-east-2:123456789012:instance/i-ebeaf9e2');
    expect(instance.props).toMatchObject({ count: 2, actions: ['ec2:StartInstances', 'ec2:StopInstances'] });
    expect(instance.props?.evidence?.[0]?.location).toBe('plaso-cloudtrail-s3-records.json $.Records[1]');
    expect(f.nodes.find((n) => n.id === 'arn:aws:iam::123456789012:user/Alice')).toMatchObject({ kind: 'aws_user', stub: true, boundary: 'aws:account:123456789012' });
    expect(f.warnings).toEqual([{ message: '2 record(s) skipped: CloudTrail Insights events record no caller', location: '$.Records[7]; $.Records[8]' }]);
  });

  it('reads lookup-events output, whose records are escaped JSON strings, converting the local EventTime', async () => {
    const f = await parseCt(ct('plaso-cloudtrail-lookup-events.jsonl'));
    const e = edge(f, 'aws:key:0123456789ABCDEFGHIJ', 'arn:aws:iam::012345678901:user/fakeusername');
    expect(e.props).toMatchObject({ count: 5, regions: ['ap-southeast-2'], lastSeen: '2022-02-07T22:23:37Z' });
    expect(edge(f, 'arn:aws:iam::012345678901:user/fakeusername', 'arn:aws:ec2:ap-southeast-2:012345678901:instance/i-01234567890123456').props?.actions).toEqual(['ec2:DescribeInstances', 'ec2:StopInstances', 'ec2:TerminateInstances']);
    // The AWS service event has no caller type: counted and placed, not fatal.
    expect(f.warnings).toHaveLength(1);
    expect(f.warnings[0]!.location).toBe('line 4.CloudTrailEvent');
  });

  it('reads the same events as the aws CLI prints them, {"Events": […], "NextToken"}', async () => {
    const lines = readFileSync(ct('plaso-cloudtrail-lookup-events.jsonl'), 'utf8').trim().split('\n');
    const wrapped = `{"Events": [${lines.join(',\n')}], "NextToken": "eyJ0"}`;
    const f = await parseCt('/x/lookup-events.json', Buffer.from(wrapped));
    expect(detectImporter(createInput('lookup-events.json', Buffer.from(wrapped))).format).toBe('cloudtrail');
    expect(edge(f, 'aws:key:0123456789ABCDEFGHIJ', 'arn:aws:iam::012345678901:user/fakeusername').props?.count).toBe(5);
    expect(f.warnings[0]!.location).toBe('$.Events[3].CloudTrailEvent');
  });

  it('links a session key to the role that issued the session, with the session name', async () => {
    const f = await parseCt(ct('c7n-single-record-runinstances-assumedrole.json'));
    const e = edge(f, 'aws:key:ASIAJ355WZAOWYJXJIEA', 'arn:aws:iam::03412312600:role/GR_Dev_Developer');
    expect(e.props).toMatchObject({ count: 1, sessions: ['Radiant'], actions: ['ec2:RunInstances'] });
    expect(f.nodes.find((n) => n.id === 'aws:key:ASIAJ355WZAOWYJXJIEA')?.props).toMatchObject({ temporary: true });
    const user = await parseCt(ct('c7n-single-record-runinstances-iamuser.json'));
    expect(edge(user, 'aws:key:ASIAIBYSIDIWJHEJYUIQ', 'arn:aws:iam::644160558196:user/c7nbot').props?.['userAgents']).toEqual([{ value: 'signin.amazonaws.com', count: 1 }]);
  });

  it('unwraps an EventBridge envelope: root created the bucket', async () => {
    const f = await parseCt(ct('c7n-eventbridge-wrapped-createbucket-root.json'));
    expect(f.nodes.find((n) => n.id === 'arn:aws:iam::619193117841:root')).toMatchObject({ kind: 'aws_root', boundary: 'aws:account:619193117841' });
    expect(edge(f, 'arn:aws:iam::619193117841:root', 'arn:aws:s3:::custodian-create-bucket-v4').props).toMatchObject({ actions: ['s3:CreateBucket'], at: '$.detail' });
  });

  it('follows the demo intrusion: leaked key → ci-deployer → AssumeRole deploy-prod → session key → bucket read', async () => {
    const path = join(ROOT, 'assets', 'demo', 'cloudtrail-2026-11-21.json');
    // As CloudTrail delivers it: gzip-compressed.
    const f = await parseCt(path, gzipSync(readFileSync(path)));
    const user = 'arn:aws:iam::111111111111:user/ci-deployer';
    const role = 'arn:aws:iam::222222222222:role/deploy-prod';
    expect(edge(f, 'aws:key:AKIAQDEMO7CIDEPLOY42', user).props).toMatchObject({ count: 3, sourceIps: [{ value: '185.220.101.37', count: 3 }] });
    expect(edge(f, user, role).props).toMatchObject({ technique: 'sts:AssumeRole', sessions: ['recon'], count: 1 });
    expect(edge(f, 'aws:key:ASIAQDEMO5SESSION001', role).props).toMatchObject({ sessions: ['recon'] });
    expect(edge(f, role, 'arn:aws:s3:::nw-build-artifacts').props).toMatchObject({ actions: ['s3:GetObject'], firstSeen: '2026-11-21T02:12:55Z' });
    expect(f.nodes.find((n) => n.id === role)).toMatchObject({ kind: 'aws_role', stub: true, boundary: 'aws:account:222222222222' });
  });

  it('counts malformed records with their place and keeps the rest; failed calls reach nothing', async () => {
    const good = (name: string, extra: object = {}) => ({
      eventVersion: '1.09',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/bot', accountId: '111111111111', accessKeyId: 'AKIAQBOTKEY000000001' },
      eventTime: '2026-01-02T03:04:05Z',
      eventSource: 'sts.amazonaws.com',
      eventName: name,
      awsRegion: 'eu-west-1',
      sourceIPAddress: '10.0.0.1',
      ...extra,
    });
    const records = [
      good('AssumeRole', { errorCode: 'AccessDenied', requestParameters: { roleArn: 'arn:aws:iam::222222222222:role/admin', roleSessionName: 'x' } }),
      'not a record',
      { eventName: 'GetObject' },
      good('AssumeRoleWithWebIdentity', {
        userIdentity: { type: 'WebIdentityUser', principalId: 'x', userName: 'repo:northwind/platform:ref:refs/heads/main', identityProvider: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com' },
        requestParameters: { roleArn: 'arn:aws:iam::111111111111:role/gha-deploy', roleSessionName: 'gha' },
        responseElements: { credentials: { accessKeyId: 'ASIAQGHASESSION00001' } },
      }),
    ];
    const f = await parseCt('/x/records.json', Buffer.from(JSON.stringify({ Records: records })));
    expect(f.edges.some((e) => e.to === 'arn:aws:iam::222222222222:role/admin')).toBe(false);
    expect(edge(f, 'aws:key:AKIAQBOTKEY000000001', 'arn:aws:iam::111111111111:user/bot').props).toMatchObject({ failed: 1, actions: [] });
    const subject = 'federated:token.actions.githubusercontent.com:repo:northwind/platform:ref:refs/heads/main';
    expect(edge(f, subject, 'arn:aws:iam::111111111111:role/gha-deploy').props?.technique).toBe('sts:AssumeRoleWithWebIdentity');
    expect(edge(f, 'aws:key:ASIAQGHASESSION00001', 'arn:aws:iam::111111111111:role/gha-deploy').props?.['sessions']).toEqual(['gha']);
    expect(f.warnings).toEqual(
      expect.arrayContaining([
        { message: '1 record(s) skipped: not a JSON object', location: '$.Records[1]' },
        { message: '1 record(s) skipped: missing eventName, eventSource or eventTime', location: '$.Records[2]' },
      ]),
    );
  });

  it('reaches an identity only by assuming it: an API call naming a role does not lead to the role', async () => {
    const caller = { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/auditor', accountId: '111111111111', accessKeyId: 'AKIAQAUDITOR00000001' };
    const rec = (eventName: string, extra: object) => ({ eventVersion: '1.08', userIdentity: caller, eventTime: '2026-01-01T00:00:00Z', eventSource: 'iam.amazonaws.com', eventName, awsRegion: 'us-east-1', ...extra });
    const records = [
      rec('GetRole', { resources: [{ ARN: 'arn:aws:iam::111111111111:role/admin', type: 'AWS::IAM::Role' }] }),
      rec('GetSecretValue', { eventSource: 'secretsmanager.amazonaws.com', requestParameters: { secretId: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:db-AbCdEf' } }),
    ];
    const f = await parseCt('/x/r.json', Buffer.from(JSON.stringify({ Records: records })));
    expect(f.edges.some((e) => e.to === 'arn:aws:iam::111111111111:role/admin')).toBe(false);
    expect(edge(f, caller.arn, 'arn:aws:secretsmanager:us-east-1:111111111111:secret:db-AbCdEf').props?.actions).toEqual(['secretsmanager:GetSecretValue']);
  });

  it('follows an identity takeover: a key created for another user acts as that user', async () => {
    const attacker = { type: 'AssumedRole', arn: 'arn:aws:sts::222222222222:assumed-role/deploy-prod/recon', accountId: '222222222222', accessKeyId: 'ASIAQDEMO5SESSION001', sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::222222222222:role/deploy-prod', accountId: '222222222222' } } };
    const records = [
      {
        eventVersion: '1.09', userIdentity: attacker, eventTime: '2026-11-21T02:20:00Z', eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', awsRegion: 'us-east-1', sourceIPAddress: '185.220.101.37',
        requestParameters: { userName: 'backup-bot' }, responseElements: { accessKey: { userName: 'backup-bot', accessKeyId: 'AKIAQNEWKEY000000001', status: 'Active', createDate: 'Nov 21, 2026 2:20:00 AM' } }, recipientAccountId: '222222222222',
      },
      { eventVersion: '1.09', userIdentity: attacker, eventTime: '2026-11-21T02:21:00Z', eventSource: 'iam.amazonaws.com', eventName: 'GetUser', awsRegion: 'us-east-1', requestParameters: { userName: 'backup-bot' }, recipientAccountId: '222222222222' },
    ];
    const f = await parseCt('/x/r.json', Buffer.from(JSON.stringify({ Records: records })));
    const role = 'arn:aws:iam::222222222222:role/deploy-prod';
    const bot = 'arn:aws:iam::222222222222:user/backup-bot';
    expect(edge(f, role, bot).props).toMatchObject({ technique: 'iam:CreateAccessKey', count: 1, actions: ['iam:CreateAccessKey'] });
    const minted = edge(f, 'aws:key:AKIAQNEWKEY000000001', bot);
    expect(minted.kind).toBe('AUTHENTICATES_AS');
    expect(minted.props?.evidence?.[0]?.location).toBe('r.json $.Records[0]');
    expect(f.nodes.find((n) => n.id === 'aws:key:AKIAQNEWKEY000000001')).toMatchObject({ kind: 'aws_access_key', boundary: 'aws:account:222222222222' });
  });

  it("draws a rewritten trust policy as the caller's way in only when it admits the caller (Stratus Red Team's backdoor admits an outside account)", async () => {
    const f = await parseCt(ct('stratus-iam-backdoor-role.json'));
    const role = 'arn:aws:iam::751203476945:role/stratus-red-team-backdoor-r-role';
    expect(f.edges.some((e) => e.to === role)).toBe(false);
    expect(f.warnings).toContainEqual({ message: expect.stringContaining("1 record(s): a role's trust policy rewritten to admit others, not the caller"), location: '$[0]' });
    // The same call writing a trust policy that names the caller's account (or the caller) is its way in.
    const record = (JSON.parse(readFileSync(ct('stratus-iam-backdoor-role.json'), 'utf8')) as Record<string, Record<string, unknown>>[])[0]!;
    for (const principal of ['arn:aws:iam::751203476945:root', 'arn:aws:iam::751203476945:user/christophe', '*']) {
      const mine = { ...record, requestParameters: { roleName: 'stratus-red-team-backdoor-r-role', policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [principal] }, Action: 'sts:AssumeRole' }] }) } };
      const g = await parseCt('/x/r.json', Buffer.from(JSON.stringify([mine])));
      expect(edge(g, 'arn:aws:iam::751203476945:user/christophe', role).props, principal).toMatchObject({ technique: 'iam:UpdateAssumeRolePolicy' });
    }
    // Without the document (CloudTrail omits large parameters) the rewrite is still drawn.
    const blind = await parseCt('/x/r.json', Buffer.from(JSON.stringify([{ ...record, requestParameters: { roleName: 'stratus-red-team-backdoor-r-role' } }])));
    expect(edge(blind, 'arn:aws:iam::751203476945:user/christophe', role).props).toMatchObject({ technique: 'iam:UpdateAssumeRolePolicy' });
  });

  it('names a Lambda call by its IAM action, without the API version its event name carries (Stratus Red Team)', async () => {
    const f = await parseCt(ct('stratus-lambda-overwrite-code.json'));
    const fn = 'arn:aws:lambda:ap-westeast-2r:266106314375:function:stratus-red-team-olc-func-vayhjqkdav';
    expect(edge(f, 'arn:aws:iam::266106314375:user/christophe', fn).props).toMatchObject({ actions: ['lambda:UpdateFunctionCode'] });
  });

  it('sees a console sign-in as the user\'s password at work', async () => {
    const login = (result: string, time: string) => ({
      eventVersion: '1.08',
      userIdentity: { type: 'IAMUser', principalId: 'AIDAQ', arn: 'arn:aws:iam::111111111111:user/sam', accountId: '111111111111', userName: 'sam' },
      eventTime: time,
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      awsRegion: 'us-east-1',
      sourceIPAddress: '198.51.100.7',
      responseElements: { ConsoleLogin: result },
      additionalEventData: { MFAUsed: 'No' },
    });
    const f = await parseCt('/x/r.json', Buffer.from(JSON.stringify({ Records: [login('Failure', '2026-01-01T00:00:00Z'), login('Success', '2026-01-01T00:01:00Z')] })));
    expect(edge(f, 'aws:password:arn:aws:iam::111111111111:user/sam', 'arn:aws:iam::111111111111:user/sam').props).toMatchObject({ count: 2, failed: 1, actions: ['signin:ConsoleLogin'] });
    expect(f.nodes.find((n) => n.id === 'aws:password:arn:aws:iam::111111111111:user/sam')).toMatchObject({ kind: 'aws_password', stub: true, boundary: 'aws:account:111111111111' });
  });

  it('accepts the digest files and empty logs found beside the logs in a trail bucket, with a warning', async () => {
    const digest = JSON.stringify({
      awsAccountId: '111111111111',
      digestStartTime: '2026-11-21T01:00:00Z',
      digestEndTime: '2026-11-21T02:00:00Z',
      digestS3Bucket: 'nw-trail',
      digestS3Object: 'AWSLogs/111111111111/CloudTrail-Digest/eu-west-1/2026/11/21/111111111111_CloudTrail-Digest_eu-west-1_nw_eu-west-1_20261121T020000Z.json.gz',
      digestSignatureAlgorithm: 'SHA256withRSA',
      logFiles: [{ s3Bucket: 'nw-trail', s3Object: 'AWSLogs/111111111111/CloudTrail/eu-west-1/2026/11/21/x.json.gz', hashValue: 'ab', hashAlgorithm: 'SHA-256' }],
    });
    for (const text of [digest, '{"Records":[]}']) {
      const input = createInput('f.json.gz', gzipSync(Buffer.from(text)));
      expect(detectImporter(input).format).toBe('cloudtrail');
      const f = await parseAll(cloudtrail, input);
      expect(f.edges).toEqual([]);
      expect(f.warnings[0]!.message).toMatch(/holds no CloudTrail record/);
    }
  });

  it('skips a broken JSON line without failing the file', async () => {
    const rec = JSON.stringify({ eventVersion: '1.08', userIdentity: { type: 'Root', accountId: '111111111111', arn: 'arn:aws:iam::111111111111:root' }, eventTime: '2026-01-01T00:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'ListBuckets' });
    const f = await parseCt('/x/events.jsonl', Buffer.from(`${rec}\n{"eventVersion": "1.08", "userIdent\n${rec}\n`));
    expect(f.nodes.map((n) => n.id)).toEqual(['arn:aws:iam::111111111111:root']);
    expect(f.warnings).toEqual([{ message: '1 record(s) skipped: not valid JSON', location: 'line 2' }]);
  });
});

describe('GCP Cloud Audit Logs importer', () => {
  const path = join(FIXTURES, 'gcp', 'plaso-gcp-cloud-audit-logs.jsonl');
  it('leads to a service account only when the call mints its credentials', async () => {
    const entry = (method: string) => ({
      logName: 'projects/nw-prod/logs/cloudaudit.googleapis.com%2Factivity',
      timestamp: '2026-01-01T00:00:00Z',
      protoPayload: { '@type': 'type.googleapis.com/google.cloud.audit.AuditLog', authenticationInfo: { principalEmail: 'dev@northwind.example' }, methodName: method, serviceName: 'iamcredentials.googleapis.com', resourceName: 'projects/-/serviceAccounts/deployer@nw-prod.iam.gserviceaccount.com' },
    });
    const text = [entry('GenerateAccessToken'), entry('google.iam.admin.v1.GetIamPolicy')].map((e) => JSON.stringify(e)).join('\n');
    const f = await parseAll(gcpAuditLog, createInput('a.jsonl', Buffer.from(text)));
    expect(f.edges).toHaveLength(1);
    expect(edge(f, 'gcp:member:user:dev@northwind.example', 'gcp:sa:deployer@nw-prod.iam.gserviceaccount.com').props).toMatchObject({ count: 1, actions: ['GenerateAccessToken'] });
  });

  it('sees which service-account key signed a call', async () => {
    const entry = {
      logName: 'projects/nw-prod/logs/cloudaudit.googleapis.com%2Fdata_access',
      timestamp: '2026-11-21T02:20:00.123456Z',
      protoPayload: {
        '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
        authenticationInfo: { principalEmail: 'deployer@nw-prod.iam.gserviceaccount.com', serviceAccountKeyName: '//iam.googleapis.com/projects/nw-prod/serviceAccounts/deployer@nw-prod.iam.gserviceaccount.com/keys/3f1e8c2a9b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f' },
        methodName: 'storage.objects.get',
        serviceName: 'storage.googleapis.com',
        resourceName: 'projects/_/buckets/nw-prod-exports/objects/customers.csv',
        requestMetadata: { callerIp: '185.220.101.37' },
      },
    };
    const f = await parseAll(gcpAuditLog, createInput('a.jsonl', Buffer.from(JSON.stringify(entry))));
    const sa = 'gcp:sa:deployer@nw-prod.iam.gserviceaccount.com';
    expect(edge(f, 'gcp:key:3f1e8c2a9b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f', sa).props).toMatchObject({ count: 1, firstSeen: '2026-11-21T02:20:00.123Z', sourceIps: [{ value: '185.220.101.37', count: 1 }] });
    // The object folds into its bucket.
    expect(edge(f, sa, 'gcp:resource://storage.googleapis.com/projects/_/buckets/nw-prod-exports').props?.actions).toEqual(['storage.objects.get']);
  });

  it('detects the Cloud Logging export', () => {
    expect(detectImporter(createInput('logs.json', readFileSync(path))).format).toBe('gcp-audit-log');
  });

  it('a key created for a service account named by its unique id leads to the account by its email (Panther export)', async () => {
    // Key creation and signing name the account by unique id (projects/-/serviceAccounts/1234…); the entry's
    // service_account resource labels pair it with the email. Panther writes the payload's @type as at_sign_type.
    const panther = join(FIXTURES, 'gcp', 'panther-audit-sa-key-create-and-setiampolicy-by-unique-id.jsonl');
    expect(detectImporter(createInput('p.jsonl', readFileSync(panther))).format).toBe('gcp-audit-log');
    const f = await parseAll(gcpAuditLog, createInput('p.jsonl', readFileSync(panther)));
    const sa = 'gcp:sa:created-service-account@gcp-project1.iam.gserviceaccount.com';
    expect(edge(f, 'gcp:member:user:staging@company.io', sa).props).toMatchObject({ count: 1, actions: ['google.iam.admin.v1.CreateServiceAccountKey'], sourceIps: [{ value: '1.2.3.4', count: 1 }] });
    expect(f.nodes.find((n) => n.id === sa)).toMatchObject({ kind: 'gcp_service_account', boundary: 'gcp:project:gcp-project1', handles: expect.arrayContaining(['123456789098765434567']) });
    expect(f.aliases).toContainEqual({ from: 'gcp:sa:123456789098765434567', to: sa });
    // Setting the account's policy mints nothing: no edge, and no resource node for the unique-id name.
    expect(f.edges).toHaveLength(1);
    expect(f.nodes.some((n) => n.id.startsWith('gcp:resource:'))).toBe(false);
    expect(f.warnings).toEqual([]);
  });

  it('rows of a BigQuery sink (protopayload_auditlog, "… UTC" times, INT64 as text): a user who impersonated the account is a user, a denied call reaches nothing', async () => {
    const bq = join(FIXTURES, 'gcp', 'bigquery-sink-cloudaudit-activity-rows.jsonl');
    expect(detectImporter(createInput('rows.json', readFileSync(bq))).format).toBe('gcp-audit-log');
    const f = await parseAll(gcpAuditLog, createInput('rows.json', readFileSync(bq)));
    const alice = 'gcp:member:user:alice@northwind.example';
    const sa = 'gcp:sa:deployer@nw-prod.iam.gserviceaccount.com';
    // The token she minted and the call the delegation history shows her making through the account: one edge.
    expect(edge(f, alice, sa).props).toMatchObject({ count: 2, firstSeen: '2025-11-03T14:22:31.482Z', actions: expect.arrayContaining(['GenerateAccessToken', 'storage.objects.get']) });
    expect(edge(f, sa, 'gcp:resource://storage.googleapis.com/projects/_/buckets/nw-prod-exports').props?.actions).toEqual(['storage.objects.get']);
    expect(f.nodes.some((n) => n.id === 'gcp:sa:alice@northwind.example')).toBe(false);
    // status.code "7" (PERMISSION_DENIED) is a failure: no edge to the project.
    expect(f.edges.some((e) => e.to === 'gcp:project:nw-prod')).toBe(false);
    expect(f.warnings).toEqual([{ message: '1 record(s) skipped: the call failed or was denied (status code ≠ 0): no resource reached', location: 'line 3' }]);
  });

  it('a workload-identity-federation caller (no email, a principal:// subject) is the member its bindings name', async () => {
    const subject = 'principal://iam.googleapis.com/projects/559012384417/locations/global/workloadIdentityPools/github/subject/repo:northwind/infra:ref:refs/heads/main';
    const entry = {
      logName: 'projects/nw-prod/logs/cloudaudit.googleapis.com%2Fdata_access',
      timestamp: '2026-01-01T00:00:00Z',
      protoPayload: { '@type': 'type.googleapis.com/google.cloud.audit.AuditLog', authenticationInfo: { principalSubject: subject }, methodName: 'GenerateAccessToken', serviceName: 'iamcredentials.googleapis.com', resourceName: 'projects/-/serviceAccounts/deployer@nw-prod.iam.gserviceaccount.com' },
    };
    const f = await parseAll(gcpAuditLog, createInput('a.jsonl', Buffer.from(JSON.stringify(entry))));
    const member = `gcp:member:${subject}`;
    expect(edge(f, member, 'gcp:sa:deployer@nw-prod.iam.gserviceaccount.com').props?.actions).toEqual(['GenerateAccessToken']);
    // The same node a binding of that member states (roles/iam.workloadIdentityUser on the account).
    const policy = await parseAll(gcpIamPolicy, createInput('p.json', Buffer.from(JSON.stringify({ bindings: [{ role: 'roles/iam.workloadIdentityUser', members: [subject] }] }))), { project: 'nw-prod' });
    expect(policy.nodes.find((n) => n.id === member)?.kind).toBe(f.nodes.find((n) => n.id === member)?.kind);
    // No subject and no email: nobody.
    const anonymous = await parseAll(gcpAuditLog, createInput('a.jsonl', Buffer.from(JSON.stringify({ ...entry, protoPayload: { ...entry.protoPayload, authenticationInfo: {} } }))));
    expect(anonymous.edges).toEqual([]);
  });

  it('a zoneless Cloud Logging time is UTC, not the local time of the machine that imports it', async () => {
    const entry = { timestamp: '2024-08-29 19:30:36.339983306', protoPayload: { '@type': 'type.googleapis.com/google.cloud.audit.AuditLog', authenticationInfo: { principalEmail: 'dev@northwind.example' }, methodName: 'storage.buckets.get', serviceName: 'storage.googleapis.com', resourceName: 'projects/_/buckets/b1' } };
    const tz = process.env['TZ'];
    process.env['TZ'] = 'America/New_York';
    try {
      const f = await parseAll(gcpAuditLog, createInput('a.jsonl', Buffer.from(JSON.stringify(entry))));
      expect(f.edges[0]?.props?.firstSeen).toBe('2024-08-29T19:30:36.339Z');
    } finally {
      if (tz === undefined) delete process.env['TZ'];
      else process.env['TZ'] = tz;
    }
  });

  it('a service account named by unique id without labels: by the request\'s email, else by the unique id', async () => {
    const entry = (request: Record<string, unknown>) => ({
      logName: 'projects/nw-prod/logs/cloudaudit.googleapis.com%2Fdata_access',
      timestamp: '2026-01-01T00:00:00Z',
      protoPayload: { '@type': 'type.googleapis.com/google.cloud.audit.AuditLog', authenticationInfo: { principalEmail: 'dev@northwind.example' }, methodName: 'GenerateAccessToken', serviceName: 'iamcredentials.googleapis.com', resourceName: 'projects/-/serviceAccounts/114885146936855121342', request },
    });
    const named = await parseAll(gcpAuditLog, createInput('a.jsonl', Buffer.from(JSON.stringify(entry({ name: 'projects/-/serviceAccounts/deployer@nw-prod.iam.gserviceaccount.com' })))));
    expect(edge(named, 'gcp:member:user:dev@northwind.example', 'gcp:sa:deployer@nw-prod.iam.gserviceaccount.com').props?.actions).toEqual(['GenerateAccessToken']);
    const bare = await parseAll(gcpAuditLog, createInput('a.jsonl', Buffer.from(JSON.stringify(entry({})))));
    expect(edge(bare, 'gcp:member:user:dev@northwind.example', 'gcp:sa:114885146936855121342').props?.actions).toEqual(['GenerateAccessToken']);
    expect(bare.nodes.find((n) => n.id === 'gcp:sa:114885146936855121342')?.kind).toBe('gcp_service_account');
  });

  it('reads who touched which resource, the delegation chain, and skips non-audit and denied entries by line', async () => {
    const f = await parseAll(gcpAuditLog, createInput('plaso-gcp-cloud-audit-logs.jsonl', readFileSync(path)));
    const user = 'gcp:member:user:fakeemailxyz@gmail.com';
    expect(edge(f, user, 'gcp:resource://compute.googleapis.com/projects/fake-project/global/firewalls/test').props).toMatchObject({ count: 2, actions: ['v1.compute.firewalls.insert'], sourceIps: [{ value: '1.1.1.1', count: 2 }] });
    expect(edge(f, user, 'gcp:project:fake-project').props?.actions).toEqual(['google.iam.admin.v1.CreateServiceAccount']);
    // Delegation runs from the first listed account through the next to the caller.
    const one = 'gcp:sa:service-account-one@fake-project.com';
    const two = 'gcp:sa:service-account-two@fake-project.com';
    expect(edge(f, one, two).props?.technique).toBe('service account impersonation');
    expect(edge(f, two, 'gcp:member:user:fake-account@fake-project.com').kind).toBe('OBSERVED_USE');
    // The denied CreateServiceAccount still shows the compute agent acting through the VM's account.
    const dvwa = 'gcp:sa:dvwa-service-account@ketchup.iam.gserviceaccount.com';
    expect(edge(f, 'gcp:sa:service-1234567890@compute-system.iam.gserviceaccount.com', dvwa).props).toMatchObject({ failed: 1 });
    expect(f.edges.some((e) => e.from === dvwa)).toBe(false);
    expect(f.nodes.find((n) => n.id === dvwa)).toMatchObject({ kind: 'gcp_service_account', boundary: 'gcp:project:ketchup' });
    expect(f.warnings).toEqual(
      expect.arrayContaining([
        { message: '2 record(s) skipped: not a Cloud Audit Log entry (no AuditLog protoPayload)', location: 'line 8; line 9' },
        { message: '1 record(s) skipped: the call failed or was denied (status code ≠ 0): no resource reached', location: 'line 11' },
      ]),
    );
  });
});
