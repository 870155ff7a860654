import { describe, expect, it } from 'vitest';
import type { GraphFragment, JsonObject } from '../../../src/model/fragment.js';
import { A, allow, arn, awsCase, B, deny, doc, gaad } from '../../providers/aws/aws-case.js';

const bucket = 'arn:aws:s3:::data';
const secret = `arn:aws:secretsmanager:eu-west-1:${A}:secret:db-AbCdEf`;
const key = `arn:aws:kms:eu-west-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

function resources(opts: { bucketPolicy?: JsonObject; secretPolicy?: JsonObject; keyPolicy?: JsonObject }): GraphFragment {
  return {
    nodes: [
      { id: bucket, kind: 'aws_bucket', name: 'data', boundary: `aws:account:${A}`, props: opts.bucketPolicy ? { resourcePolicy: opts.bucketPolicy } : {} },
      { id: secret, kind: 'aws_secret', name: 'db', boundary: `aws:account:${A}`, props: opts.secretPolicy ? { resourcePolicy: opts.secretPolicy } : {} },
      { id: key, kind: 'aws_kms_key', name: 'key', boundary: `aws:account:${A}`, props: opts.keyPolicy ? { keyPolicy: opts.keyPolicy } : {} },
    ],
    edges: [],
    warnings: [],
  };
}
const grant = (principal: unknown, action: unknown, resource: unknown, effect = 'Allow', condition?: JsonObject): JsonObject => ({ Effect: effect, Principal: principal, Action: action, Resource: resource, ...(condition ? { Condition: condition } : {}) }) as JsonObject;

describe('aws-resource-access', () => {
  it('same account: the identity policy alone grants, with the highest access level and the actions', async () => {
    const c = await awsCase([gaad(A, { users: [{ name: 'reader', policies: [doc(allow(['s3:GetObject', 's3:ListBucket'], [bucket, `${bucket}/*`]))] }, { name: 'writer', policies: [doc(allow('s3:*', '*'))] }] })], [resources({})]);
    const r = c.edge(arn(A, 'user', 'reader'), bucket, 'CAN_ACCESS');
    expect(r?.props.accessLevel).toBe('Read');
    expect((r?.props.actions as string[]).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(c.edge(arn(A, 'user', 'writer'), bucket, 'CAN_ACCESS')?.props.accessLevel).toBe('Permissions management');
  });

  it('same account: a bucket policy naming the principal grants alone; its explicit deny wins over the identity allow', async () => {
    const c = await awsCase(
      [gaad(A, { users: [{ name: 'named' }, { name: 'blocked', policies: [doc(allow('s3:GetObject', `${bucket}/*`))] }] })],
      [resources({ bucketPolicy: doc(grant({ AWS: arn(A, 'user', 'named') }, 's3:GetObject', `${bucket}/*`), grant({ AWS: arn(A, 'user', 'blocked') }, 's3:*', [bucket, `${bucket}/*`], 'Deny')) })],
    );
    expect(c.edge(arn(A, 'user', 'named'), bucket, 'CAN_ACCESS')?.props.actions).toEqual(['s3:GetObject']);
    expect(c.edge(arn(A, 'user', 'blocked'), bucket, 'CAN_ACCESS')).toBeUndefined();
  });

  it('cross-account: both the resource policy and the caller\'s identity policy are needed', async () => {
    const policy = doc(grant({ AWS: `arn:aws:iam::${B}:root` }, 's3:GetObject', `${bucket}/*`));
    const c = await awsCase(
      [gaad(A, { users: [{ name: 'local' }] }), gaad(B, { users: [{ name: 'both', policies: [doc(allow('s3:GetObject', '*'))] }, { name: 'identity-only-put', policies: [doc(allow('s3:PutObject', '*'))] }, { name: 'none' }] })],
      [resources({ bucketPolicy: policy })],
    );
    expect(c.edge(arn(B, 'user', 'both'), bucket, 'CAN_ACCESS')?.props.actions).toEqual(['s3:GetObject']);
    expect(c.edge(arn(B, 'user', 'identity-only-put'), bucket, 'CAN_ACCESS')).toBeUndefined();
    expect(c.edge(arn(B, 'user', 'none'), bucket, 'CAN_ACCESS')).toBeUndefined();
  });

  it('an undecidable resource-policy condition makes the access conditional', async () => {
    const c = await awsCase([gaad(A, { users: [{ name: 'u' }] })], [resources({ secretPolicy: doc(grant({ AWS: arn(A, 'user', 'u') }, 'secretsmanager:GetSecretValue', '*', 'Allow', { StringEquals: { 'aws:SourceVpce': 'vpce-1' } })) })]);
    const e = c.edge(arn(A, 'user', 'u'), secret, 'CAN_ACCESS');
    expect(e?.props).toMatchObject({ accessLevel: 'Read', conditional: 'StringEquals aws:SourceVpce "vpce-1"' });
  });

  it('KMS: the key policy must allow; naming the account root delegates to IAM', async () => {
    const users = [{ name: 'iam-allowed', policies: [doc(allow('kms:Decrypt', '*'))] }, { name: 'key-named' }];
    const rootOnly = await awsCase([gaad(A, { users })], [resources({ keyPolicy: doc(grant({ AWS: `arn:aws:iam::${A}:root` }, 'kms:*', '*')) })]);
    expect(rootOnly.edge(arn(A, 'user', 'iam-allowed'), key, 'CAN_ACCESS')?.props.actions).toEqual(['kms:Decrypt']);
    expect(rootOnly.edge(arn(A, 'user', 'key-named'), key, 'CAN_ACCESS')).toBeUndefined();
    const named = await awsCase([gaad(A, { users })], [resources({ keyPolicy: doc(grant({ AWS: arn(A, 'user', 'key-named') }, 'kms:Decrypt', '*')) })]);
    expect(named.edge(arn(A, 'user', 'key-named'), key, 'CAN_ACCESS')?.props.actions).toEqual(['kms:Decrypt']);
    // The key policy does not delegate to IAM: the identity allow alone is not enough.
    expect(named.edge(arn(A, 'user', 'iam-allowed'), key, 'CAN_ACCESS')).toBeUndefined();
  });

  it('the demo\'s resource policies: a TLS-only deny the caller avoids, a deny for every principal but two roles', async () => {
    const bucketPolicy = doc(
      grant('*', 's3:*', [bucket, `${bucket}/*`], 'Deny', { Bool: { 'aws:SecureTransport': 'false' } }),
      grant({ AWS: arn(A, 'user', 'backup') }, ['s3:GetObject', 's3:ListBucket'], [bucket, `${bucket}/*`]),
    );
    const secretPolicy = doc(grant('*', 'secretsmanager:GetSecretValue', '*', 'Deny', { StringNotEquals: { 'aws:PrincipalArn': [arn(A, 'role', 'payments')] } }));
    const c = await awsCase(
      [gaad(A, { users: [{ name: 'backup' }, { name: 'dev', policies: [doc(allow('secretsmanager:*'))] }], roles: [{ name: 'payments', trust: { Version: '2012-10-17', Statement: [] }, policies: [doc(allow('secretsmanager:GetSecretValue', secret))] }] })],
      [resources({ bucketPolicy, secretPolicy })],
    );
    const backup = c.edge(arn(A, 'user', 'backup'), bucket, 'CAN_ACCESS');
    expect(backup?.conditional).toBe(false);
    expect((backup?.props.actions as string[]).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(c.edge(arn(A, 'role', 'payments'), secret, 'CAN_ACCESS')?.props.actions).toEqual(['secretsmanager:GetSecretValue']);
    // dev keeps the other secret actions but not GetSecretValue.
    const dev = c.edge(arn(A, 'user', 'dev'), secret, 'CAN_ACCESS');
    expect(dev?.props.actions).not.toContain('secretsmanager:GetSecretValue');
    expect(dev?.props.accessLevel).toBe('Permissions management');
  });

  it('an identity deny wins over a resource-policy allow', async () => {
    const c = await awsCase([gaad(A, { users: [{ name: 'u', policies: [doc(deny('secretsmanager:*'))] }] })], [resources({ secretPolicy: doc(grant({ AWS: arn(A, 'user', 'u') }, 'secretsmanager:GetSecretValue', '*')) })]);
    expect(c.edge(arn(A, 'user', 'u'), secret, 'CAN_ACCESS')).toBeUndefined();
  });

  it('a Deny with NotPrincipal denies everyone not listed; a listed role needs a session and its account listed too, and a boundary defeats the exception', async () => {
    const reads = [doc(allow('s3:GetObject', `${bucket}/*`))];
    const roles = ['listed', 'listed-no-account', 'bounded', 'other'].map((name) => ({ name, trust: doc(), policies: reads, ...(name === 'bounded' ? { boundary: `arn:aws:iam::${A}:policy/limit` } : {}) }));
    const notPrincipalDeny = (listed: string[]): JsonObject => ({ Effect: 'Deny', NotPrincipal: { AWS: listed }, Action: 's3:*', Resource: [bucket, `${bucket}/*`] });
    const withAccount = await awsCase(
      [gaad(A, { roles, policies: [{ name: 'limit', document: doc(allow('s3:*')) }] })],
      [resources({ bucketPolicy: doc(notPrincipalDeny([`arn:aws:iam::${A}:root`, arn(A, 'role', 'listed'), `arn:aws:sts::${A}:assumed-role/listed/app`, arn(A, 'role', 'bounded'), `arn:aws:sts::${A}:assumed-role/bounded/app`])) })],
    );
    expect(withAccount.edge(arn(A, 'role', 'listed'), bucket, 'CAN_ACCESS')?.conditional).toBe(false);
    expect(withAccount.edge(arn(A, 'role', 'other'), bucket, 'CAN_ACCESS')).toBeUndefined();
    expect(withAccount.edge(arn(A, 'role', 'bounded'), bucket, 'CAN_ACCESS')).toBeUndefined();
    // Without the account in NotPrincipal, AWS may deny the whole account first: the access is only conditional.
    const noAccount = await awsCase([gaad(A, { roles })], [resources({ bucketPolicy: doc(notPrincipalDeny([arn(A, 'role', 'listed-no-account'), `arn:aws:sts::${A}:assumed-role/listed-no-account/app`])) })]);
    const e = noAccount.edge(arn(A, 'role', 'listed-no-account'), bucket, 'CAN_ACCESS');
    expect(e?.conditional).toBe(true);
    expect(String(e?.props.conditional)).toContain(`not its account ${A}`);
    expect(noAccount.edge(arn(A, 'role', 'other'), bucket, 'CAN_ACCESS')).toBeUndefined();
    // An Allow with NotPrincipal is not supported by AWS and grants nothing.
    const allowNot = await awsCase([gaad(A, { users: [{ name: 'u' }] })], [resources({ bucketPolicy: doc({ Effect: 'Allow', NotPrincipal: { AWS: arn(A, 'user', 'x') }, Action: 's3:GetObject', Resource: `${bucket}/*` }) })]);
    expect(allowNot.edge(arn(A, 'user', 'u'), bucket, 'CAN_ACCESS')).toBeUndefined();
  });

  it('S3 key prefixes: a grant on bucket/prefix/* gives access to those objects, a deny on the whole bucket still wins, a deny on another prefix does not', async () => {
    const users = [
      { name: 'reports', policies: [doc(allow('s3:GetObject', `${bucket}/reports/*`))] },
      { name: 'home', policies: [doc(allow(['s3:GetObject', 's3:PutObject'], `${bucket}/home/\${aws:username}/*`))] },
      { name: 'denied-all', policies: [doc(allow('s3:GetObject', `${bucket}/reports/*`), deny('s3:*', `${bucket}/*`))] },
      { name: 'denied-other', policies: [doc(allow('s3:GetObject', `${bucket}/reports/*`), deny('s3:*', `${bucket}/secret/*`))] },
      { name: 'other-bucket', policies: [doc(allow('s3:GetObject', 'arn:aws:s3:::elsewhere/reports/*'))] },
    ];
    const c = await awsCase([gaad(A, { users })], [resources({})]);
    const reports = c.edge(arn(A, 'user', 'reports'), bucket, 'CAN_ACCESS');
    expect(reports?.props).toMatchObject({ accessLevel: 'Read', actions: ['s3:GetObject'], objectPrefixes: ['reports/*'] });
    expect(reports?.conditional).toBe(false);
    expect(String(reports?.props.reason)).toContain('only on objects under reports/*');
    // Policy variables are filled in with the principal's own values.
    expect(c.edge(arn(A, 'user', 'home'), bucket, 'CAN_ACCESS')?.props).toMatchObject({ accessLevel: 'Write', objectPrefixes: ['home/home/*'] });
    expect(c.edge(arn(A, 'user', 'denied-all'), bucket, 'CAN_ACCESS')).toBeUndefined();
    expect(c.edge(arn(A, 'user', 'denied-other'), bucket, 'CAN_ACCESS')?.props.objectPrefixes).toEqual(['reports/*']);
    expect(c.edge(arn(A, 'user', 'other-bucket'), bucket, 'CAN_ACCESS')).toBeUndefined();
    // A whole-bucket grant is not reported as a prefix.
    const whole = await awsCase([gaad(A, { users: [{ name: 'all', policies: [doc(allow('s3:GetObject', `${bucket}/*`), allow('s3:GetObject', `${bucket}/reports/*`))] }] })], [resources({})]);
    expect(whole.edge(arn(A, 'user', 'all'), bucket, 'CAN_ACCESS')?.props.objectPrefixes).toBeUndefined();
  });

  it('S3 key prefixes named by the bucket policy count for the principal it names', async () => {
    const policy = doc(grant({ AWS: arn(A, 'user', 'partner') }, 's3:GetObject', `${bucket}/shared/*`));
    const c = await awsCase([gaad(A, { users: [{ name: 'partner' }] })], [resources({ bucketPolicy: policy })]);
    expect(c.edge(arn(A, 'user', 'partner'), bucket, 'CAN_ACCESS')?.props).toMatchObject({ actions: ['s3:GetObject'], objectPrefixes: ['shared/*'] });
  });
});
