import { describe, expect, it } from 'vitest';
import { recomputeDerived } from '../../../src/analysis/derive.js';
import { awsLambda } from '../../../src/importers/aws-lambda.js';
import { awsResourcePolicy } from '../../../src/importers/aws-resource-policy.js';
import type { GraphFragment, JsonObject } from '../../../src/model/fragment.js';
import { A, allow, arn, awsCase, doc, gaad, inventory, trust } from '../../providers/aws/aws-case.js';
import { parseText } from '../../importers/aws-helpers.js';

const bucket = 'arn:aws:s3:::shared-reports';
const bucketPolicy = (...statements: JsonObject[]) => parseText(awsResourcePolicy, 'policy.json', JSON.stringify({ Policy: JSON.stringify(doc(...statements)) }), { account: A });
const world = gaad(A, { users: [{ name: 'reader', policies: [doc(allow('s3:GetObject', `${bucket}/*`))] }], roles: [{ name: 'only-role', trust: trust({ AWS: A }) }] });
const findingsOf = (c: Awaited<ReturnType<typeof awsCase>>, rule: string) => c.store.findings().filter((f) => f.rule === rule);

describe('anyone: resource policies with Principal "*"', () => {
  it('world-readable bucket: anyone has Read, a high finding; world-writable and s3:* are critical', async () => {
    const read = await awsCase([world], [await bucketPolicy({ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${bucket}/*` })]);
    const e = read.edge('anyone', bucket, 'CAN_ACCESS');
    expect(e?.props).toMatchObject({ accessLevel: 'Read', technique: 'public-resource-policy' });
    expect(e?.conditional).toBe(false);
    expect(read.store.node('anyone')).toMatchObject({ kind: 'anyone', name: 'Anyone (no credentials)' });
    expect(findingsOf(read, 'aws-public-resource').map((f) => [f.nodeId, f.severity])).toEqual([[bucket, 'high']]);
    for (const action of ['s3:PutObject', 's3:*']) {
      const write = await awsCase([world], [await bucketPolicy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: action, Resource: [bucket, `${bucket}/*`] })]);
      expect(findingsOf(write, 'aws-public-resource').map((f) => f.severity)).toEqual(['critical']);
    }
  });

  it('conditions on who the caller is make it not public; conditions on where from keep it, conditional; a deny to everyone not listed stops it', async () => {
    const org = await awsCase([world], [await bucketPolicy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${bucket}/*`, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } })]);
    expect(org.edge('anyone', bucket, 'CAN_ACCESS')).toBeUndefined();
    expect(findingsOf(org, 'aws-public-resource')).toEqual([]);
    const ip = await awsCase([world], [await bucketPolicy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${bucket}/*`, Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } } })]);
    expect(ip.edge('anyone', bucket, 'CAN_ACCESS')?.props.conditional).toBe('IpAddress aws:SourceIp "198.51.100.0/24"');
    const exclusive = await awsCase([world], [
      await bucketPolicy(
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${bucket}/*` },
        { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [bucket, `${bucket}/*`], Condition: { StringNotEquals: { 'aws:PrincipalArn': arn(A, 'role', 'only-role') } } },
      ),
    ]);
    expect(exclusive.edge('anyone', bucket, 'CAN_ACCESS')).toBeUndefined();
    // The same deny stops the reader of the account, whose identity policy allows the read.
    expect(exclusive.edge(arn(A, 'user', 'reader'), bucket, 'CAN_ACCESS')).toBeUndefined();
  });
});

describe('anyone: public Lambda functions', () => {
  const fnArn = `arn:aws:lambda:eu-west-1:${A}:function:chatbot`;
  const adminRole = arn(A, 'role', 'chatbot-role');
  const iam = gaad(A, { roles: [{ name: 'chatbot-role', trust: trust({ Service: 'lambda.amazonaws.com' }), attached: ['arn:aws:iam::aws:policy/AdministratorAccess'] }, { name: 'small-role', trust: trust({ Service: 'lambda.amazonaws.com' }), policies: [doc(allow('logs:PutLogEvents'))] }] });
  const fns = async (role: string, authType: string): Promise<GraphFragment[]> => [
    await parseText(awsLambda, 'functions.json', JSON.stringify({ Functions: [{ FunctionName: 'chatbot', FunctionArn: fnArn, Role: role, Runtime: 'nodejs22.x' }] })),
    await parseText(awsLambda, 'urls.json', JSON.stringify({ FunctionUrlConfigs: [{ FunctionUrl: 'https://abc.lambda-url.eu-west-1.on.aws/', FunctionArn: fnArn, AuthType: authType }] })),
  ];

  it('a function URL with AuthType NONE running an admin role: anyone reaches admin (conditional on the code), a critical finding', async () => {
    const c = await awsCase([iam], await fns(adminRole, 'NONE'));
    expect(c.edge('anyone', fnArn, 'CAN_ACCESS')?.props).toMatchObject({ technique: 'public-function-url', accessLevel: 'Write' });
    const esc = c.edge('anyone', adminRole, 'CAN_ESCALATE', 'public-lambda');
    expect(esc?.props.conditional).toContain("the code of chatbot can be made to act on the caller's input");
    expect(esc?.props.conditional).toContain('as AWS adds for a URL with AuthType NONE');
    expect(c.edge(adminRole, `admin:aws:account:${A}`, 'ADMIN_OF')).toBeDefined();
    expect(findingsOf(c, 'aws-public-resource').find((f) => f.nodeId === fnArn)?.severity).toBe('critical');
    expect(findingsOf(c, 'aws-resource-admin-role').map((f) => f.nodeId)).toEqual([fnArn]);
  });

  it('AuthType AWS_IAM is not public; a public function with a small role is a high finding', async () => {
    const iamAuth = await awsCase([iam], await fns(adminRole, 'AWS_IAM'));
    expect(iamAuth.edges('CAN_ACCESS').filter((e) => e.src === 'anyone')).toEqual([]);
    expect(iamAuth.store.node('anyone')).toBeUndefined();
    const small = await awsCase([iam], await fns(arn(A, 'role', 'small-role'), 'NONE'));
    expect(findingsOf(small, 'aws-public-resource').find((f) => f.nodeId === fnArn)?.severity).toBe('high');
  });
});

describe('resources named by a policy are nodes', () => {
  it('a bucket, a table and a parameter named only by identity policies: nodes in the account, with access edges and paths to them', async () => {
    const table = `arn:aws:dynamodb:eu-west-1:${A}:table/orders`;
    const param = `arn:aws:ssm:eu-west-1:${A}:parameter/prod/db/url`;
    const c = await awsCase([
      gaad(A, {
        users: [{ name: 'app', policies: [doc(allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::named-only/*'), allow(['dynamodb:GetItem', 'dynamodb:PutItem'], table), allow('ssm:GetParameter', param), allow('dynamodb:Query', `arn:aws:dynamodb:eu-west-1:${A}:table/orders-*`))] }],
      }),
    ]);
    expect(c.store.node('arn:aws:s3:::named-only')).toMatchObject({ kind: 'aws_bucket', stub: true, boundary: `aws:account:${A}` });
    expect(c.store.node(table)).toMatchObject({ kind: 'aws_resource', name: 'orders' });
    expect(c.store.node(param)).toMatchObject({ kind: 'aws_resource', name: 'url' });
    // A pattern names no one resource.
    expect(c.store.node(`arn:aws:dynamodb:eu-west-1:${A}:table/orders-*`)).toBeUndefined();
    const user = arn(A, 'user', 'app');
    expect(c.edge(user, 'arn:aws:s3:::named-only', 'CAN_ACCESS')?.props.accessLevel).toBe('Write');
    expect(c.edge(user, table, 'CAN_ACCESS')?.props).toMatchObject({ accessLevel: 'Write', technique: 'dynamodb:Write' });
    expect(c.edge(user, param, 'CAN_ACCESS')?.props.accessLevel).toBe('Read');
  });

  it('a grant denied for that resource draws no edge to it', async () => {
    const table = `arn:aws:dynamodb:eu-west-1:${A}:table/payments`;
    const c = await awsCase([gaad(A, { users: [{ name: 'app', policies: [doc(allow('dynamodb:GetItem', table), { Effect: 'Deny', Action: 'dynamodb:*', Resource: table })] }] })]);
    expect(c.store.node(table)).toBeDefined();
    expect(c.edges('CAN_ACCESS').filter((e) => e.dst === table)).toEqual([]);
  });

  it('re-deriving does not pile up nodes', async () => {
    const c = await awsCase([world]);
    const before = [...c.store.nodesOfKind('aws_bucket')].length;
    c.store.begin();
    recomputeDerived(c.store, new Date('2026-11-22T00:00:00Z'));
    c.store.commit();
    expect([...c.store.nodesOfKind('aws_bucket')].length).toBe(before);
  });
});

describe('compute resources running with an admin role', () => {
  it('an inventoried instance whose profile holds an admin role is a high finding; an instance with a small role is not', async () => {
    const c = await awsCase(
      [gaad(A, { roles: [{ name: 'ec2-admin', trust: trust({ Service: 'ec2.amazonaws.com' }), profile: true, attached: ['arn:aws:iam::aws:policy/AdministratorAccess'] }, { name: 'ec2-small', trust: trust({ Service: 'ec2.amazonaws.com' }), profile: true }] })],
      [inventory('aws_instance', `arn:aws:ec2:eu-west-1:${A}:instance/i-0aaaaaaaaaaaaaaa1`, arn(A, 'instance-profile', 'ec2-admin')), inventory('aws_instance', `arn:aws:ec2:eu-west-1:${A}:instance/i-0aaaaaaaaaaaaaaa2`, arn(A, 'instance-profile', 'ec2-small'))],
    );
    expect(findingsOf(c, 'aws-resource-admin-role').map((f) => [f.nodeId, f.severity])).toEqual([[`arn:aws:ec2:eu-west-1:${A}:instance/i-0aaaaaaaaaaaaaaa1`, 'high']]);
  });
});
