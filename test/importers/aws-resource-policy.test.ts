import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsResourcePolicy } from '../../src/importers/aws-resource-policy.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import { FIXTURES, ROOT } from '../helpers.js';
import { byId, failedImport, files, importPaths, newCase, nodeByRef, parseFile, parseText } from './aws-helpers.js';

const DEMO = join(ROOT, 'assets', 'demo');
const BUCKET = join(DEMO, 's3-bucket-policy-nw-prod-customer-data.json');
const SECRET = join(DEMO, 'secretsmanager-policy-prod-payments-db.json');
const KMS = join(FIXTURES, 'aws', 'kms-describe-key-and-policy.json');
const KEY_ARN = 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const [describeKey, keyPolicy] = readFileSync(KMS, 'utf8').split(/\n(?=\{)/) as [string, string];

describe('AWS resource policy importer', () => {
  it('names a bucket from its policy, and takes its account from --account', async () => {
    const f = await parseFile(awsResourcePolicy, BUCKET, { account: '222222222222' });
    const bucket = byId(f).get('arn:aws:s3:::nw-prod-customer-data');
    expect(bucket).toMatchObject({ kind: 'aws_bucket', name: 'nw-prod-customer-data', boundary: 'aws:account:222222222222' });
    const policy = bucket?.props?.['resourcePolicy'] as { Statement: { Sid: string; Principal: unknown }[] };
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['DenyInsecureTransport', 'BackupAgentRead']);
    expect(policy.Statement[1]?.Principal).toEqual({ AWS: 'arn:aws:iam::222222222222:user/backup-agent' });
    const noAccount = await parseFile(awsResourcePolicy, BUCKET);
    expect(byId(noAccount).get('arn:aws:s3:::nw-prod-customer-data')).not.toHaveProperty('boundary');
  });

  it("reads the policy document alone, as AWS's docs save a bucket policy (get-bucket-policy --query Policy --output text)", async () => {
    const path = join(FIXTURES, 'aws', 's3api-get-bucket-policy-output-text.json');
    expect(detectImporter(createInput('policy.json', readFileSync(path))).format).toBe('aws-resource-policy');
    const bucket = byId(await parseFile(awsResourcePolicy, path, { account: '222222222222' })).get('arn:aws:s3:::amzn-s3-demo-bucket');
    expect(bucket).toMatchObject({ kind: 'aws_bucket', boundary: 'aws:account:222222222222' });
    expect((bucket?.props?.['resourcePolicy'] as { Statement: { Effect: string }[] }).Statement.map((s) => s.Effect)).toEqual(['Allow', 'Deny']);
    // An identity policy names no principal: not taken for a resource policy.
    expect(awsResourcePolicy.detect({ fileName: 'p.json', head: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}', looksJson: true })).toBe(0);
  });

  it('reads a secret with its policy, and a secret without one as null', async () => {
    const f = await parseFile(awsResourcePolicy, SECRET);
    const secret = byId(f).get('arn:aws:secretsmanager:eu-west-1:222222222222:secret:prod/payments/db-AbCdEf');
    expect(secret).toMatchObject({ kind: 'aws_secret', name: 'prod/payments/db', boundary: 'aws:account:222222222222' });
    expect(secret?.props?.['resourcePolicy']).toMatchObject({ Statement: [{ Sid: 'OnlyPaymentsRole', Effect: 'Deny' }] });
    const none = await parseText(awsResourcePolicy, 's.json', '{"ARN": "arn:aws:secretsmanager:eu-west-1:222222222222:secret:other-Xy12Zz", "Name": "other"}');
    expect(none.nodes[0]?.props?.['resourcePolicy']).toBeNull();
  });

  it('pairs a key policy with describe-key: concatenated, as an array, or in one object', async () => {
    const meta = JSON.parse(describeKey) as Record<string, unknown>;
    const pol = JSON.parse(keyPolicy) as Record<string, unknown>;
    for (const text of [readFileSync(KMS, 'utf8'), JSON.stringify([pol, meta]), JSON.stringify({ ...meta, ...pol })]) {
      const f = await parseText(awsResourcePolicy, 'key.json', text);
      const key = byId(f).get(KEY_ARN);
      expect(key).toMatchObject({ kind: 'aws_kms_key', name: 'payments-db secrets (1234abcd-12ab-34cd-56ef-1234567890ab)', boundary: 'aws:account:222222222222' });
      expect(key?.props).toMatchObject({ keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', keyManager: 'CUSTOMER', keyState: 'Enabled', keyPolicyName: 'default' });
      expect((key?.props?.['keyPolicy'] as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid)).toEqual(['Enable IAM User Permissions', 'PaymentsDecrypt']);
    }
    expect(detectImporter(createInput('key.json', readFileSync(KMS))).format).toBe('aws-resource-policy');
  });

  it('refuses a key policy without its key and says how to save it; the case is unchanged', async () => {
    const engine = newCase();
    await importPaths(engine, [BUCKET, SECRET]);
    const err = await failedImport(engine, files({ 'key-policy.json': keyPolicy }));
    expect(err.message).toMatch(/key-policy\.json \(\$\.Policy\): get-key-policy output does not name its key; save it with describe-key/);
    engine.close();
  });

  it('uses a key ARN the policy names when describe-key is absent', async () => {
    const text = JSON.stringify({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'kms:*', Resource: KEY_ARN }] }) });
    const f = await parseText(awsResourcePolicy, 'k.json', text);
    expect(f.nodes.map((n) => n.id)).toContain(KEY_ARN);
  });

  it.each([
    ['{"Policy": "{\\"Statement\\": [}"}', '$.Policy', /not valid JSON/],
    ['{"Policy": "{\\"Version\\": \\"2012-10-17\\"}"}', '$.Policy', /no "Statement"/],
    ['{"Policy": "{\\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"s3:GetObject\\", \\"Resource\\": [\\"arn:aws:s3:::a/*\\", \\"arn:aws:s3:::b/*\\"]}]}"}', '$.Policy', /names several buckets \(a, b\)/],
    ['{"ARN": "arn:aws:iam::222222222222:role/x", "Name": "x", "ResourcePolicy": "{}"}', '$.ARN', /not a Secrets Manager secret ARN/],
    ['[{"Policy": "{\\"Statement\\": []}"}]', '$[0].Policy', /cannot tell which resource/],
    ['[{"Bucket": "b", "Policy": "{\\"Statement\\": []}"}, 3]', '$[1]', /expected a get-bucket-policy/],
  ])('rejects %s at %s', async (text, location, message) => {
    const engine = newCase();
    const err = await failedImport(engine, files({ 'policy.json': text }), { format: 'aws-resource-policy' });
    expect(err.location).toBe(location);
    expect(err.message).toMatch(message);
    engine.close();
  });

  it('imports the demo resource policies through the engine', async () => {
    const engine = newCase();
    await importPaths(engine, [BUCKET, SECRET, KMS], { account: '222222222222' });
    expect((await nodeByRef(engine, 's3://nw-prod-customer-data')).node.boundary).toBe('aws:account:222222222222');
    expect((await nodeByRef(engine, 'prod/payments/db')).node.kind).toBe('aws_secret');
    expect((await nodeByRef(engine, '1234abcd-12ab-34cd-56ef-1234567890ab')).node.id).toBe(KEY_ARN);
    engine.close();
  });
});
