// CloudTrail import benchmark: 1,000 S3 log files of 1,000 records each (as CloudTrail delivers them, one line
// per file) imported through the engine in one import, next to a raw baseline measured in the same run:
// reading and JSON.parse of the same files, nothing else.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEngine } from '../../src/api/engine.js';
import type { BenchOptions } from './run.js';

const EVENTS: [string, string][] = [
  ['s3.amazonaws.com', 'GetObject'],
  ['s3.amazonaws.com', 'PutObject'],
  ['s3.amazonaws.com', 'ListObjects'],
  ['sts.amazonaws.com', 'GetCallerIdentity'],
  ['sts.amazonaws.com', 'AssumeRole'],
  ['secretsmanager.amazonaws.com', 'GetSecretValue'],
  ['kms.amazonaws.com', 'Decrypt'],
  ['ec2.amazonaws.com', 'DescribeInstances'],
  ['lambda.amazonaws.com', 'Invoke'],
  ['iam.amazonaws.com', 'ListRoles'],
];

/**
 * Record i of a trail. Each file is one account and region over a few minutes, as CloudTrail delivers: 25 callers
 * out of 500 (IAM users with long-term keys, and role sessions with their own temporary keys), a few dozen of the
 * account's 2,000 buckets and 200 secrets.
 */
export function record(i: number): Record<string, unknown> {
  const file = Math.floor(i / 1000);
  const acct = String(100000000000 + (file % 5));
  const [source, name] = EVENTS[i % EVENTS.length]!;
  const who = (file * 7 + (i % 25)) % 500;
  const asRole = who % 3 === 0;
  const time = new Date(Date.UTC(2026, 10, 1) + i * 2000).toISOString().replace('.000Z', 'Z');
  const userIdentity = asRole
    ? {
        type: 'AssumedRole',
        principalId: `AROAQBENCH${String(who % 20).padStart(10, '0')}:s${who}`,
        arn: `arn:aws:sts::${acct}:assumed-role/role-${who % 20}/s${who}`,
        accountId: acct,
        accessKeyId: `ASIAQBENCH${String(who * 1000 + (file % 1000)).padStart(10, '0')}`,
        sessionContext: { sessionIssuer: { type: 'Role', principalId: `AROAQBENCH${who % 20}`, arn: `arn:aws:iam::${acct}:role/role-${who % 20}`, accountId: acct, userName: `role-${who % 20}` }, attributes: { creationDate: time, mfaAuthenticated: 'false' } },
      }
    : { type: 'IAMUser', principalId: `AIDAQBENCH${who}`, arn: `arn:aws:iam::${acct}:user/user-${who}`, accountId: acct, accessKeyId: `AKIAQBENCH${String(who).padStart(10, '0')}`, userName: `user-${who}` };
  const requestParameters =
    source === 's3.amazonaws.com'
      ? { bucketName: `bucket-${(file * 13 + (i % 40)) % 2000}`, key: `data/${i % 1000}.parquet` }
      : name === 'AssumeRole'
        ? { roleArn: `arn:aws:iam::${acct}:role/role-${(who + 1) % 20}`, roleSessionName: `s${who}` }
        : name === 'GetSecretValue'
          ? { secretId: `arn:aws:secretsmanager:eu-west-1:${acct}:secret:app-${(file + (i % 10)) % 200}-AbCdEf` }
          : null;
  return {
    eventVersion: '1.09',
    userIdentity,
    eventTime: time,
    eventSource: source,
    eventName: name,
    awsRegion: i % 7 === 0 ? 'us-east-1' : 'eu-west-1',
    sourceIPAddress: `203.0.113.${i % 50}`,
    userAgent: i % 2 ? 'aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0' : 'Boto3/1.34.0 Python/3.12.1',
    requestParameters,
    responseElements: null,
    requestID: `req-${i}`,
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    readOnly: name.startsWith('Get') || name.startsWith('List') || name.startsWith('Describe'),
    eventType: 'AwsApiCall',
    managementEvent: source !== 's3.amazonaws.com',
    recipientAccountId: acct,
    eventCategory: source === 's3.amazonaws.com' ? 'Data' : 'Management',
    ...(i % 211 === 0 ? { errorCode: 'AccessDenied', errorMessage: 'denied' } : {}),
  };
}

export async function bench(opts: BenchOptions): Promise<Record<string, number>> {
  const fileCount = opts.quick ? 100 : 1000;
  const perFile = 1000;
  const files: string[] = [];
  let bytes = 0;
  for (let f = 0; f < fileCount; f++) {
    const records = [];
    for (let r = 0; r < perFile; r++) records.push(record(f * perFile + r));
    const text = JSON.stringify({ Records: records });
    bytes += text.length;
    const path = join(opts.dir, `111111111111_CloudTrail_eu-west-1_20261101T${String(f).padStart(4, '0')}Z_bench.json`);
    writeFileSync(path, text);
    files.push(path);
  }

  // Raw baseline: read and parse every file, the least any importer must do.
  let start = performance.now();
  let parsed = 0;
  for (const path of files) parsed += (JSON.parse(readFileSync(path, 'utf8')) as { Records: unknown[] }).Records.length;
  const rawMs = performance.now() - start;

  const engine = openEngine(join(opts.dir, 'cloudtrail-bench.blastmap'), { create: true });
  let peakRss = process.memoryUsage().rss;
  start = performance.now();
  const result = await engine.importWithHooks({ files: files.map((path) => ({ path })) }, { onProgress: () => (peakRss = Math.max(peakRss, process.memoryUsage().rss)) });
  const importMs = performance.now() - start;
  engine.close();

  return {
    cloudtrail_files: fileCount,
    cloudtrail_records: parsed,
    cloudtrail_mb: Math.round(bytes / 1e6),
    cloudtrail_raw_parse_ms: Math.round(rawMs),
    cloudtrail_import_ms: Math.round(importMs),
    cloudtrail_records_per_s: Math.round(parsed / (importMs / 1000)),
    /** Raw read + JSON.parse time as a share of the end-to-end import (1 = as fast as parsing alone). */
    cloudtrail_import_vs_raw_ratio: Number((rawMs / importMs).toFixed(3)),
    cloudtrail_observed_edges: result.counts.edges,
    cloudtrail_peak_rss_mb: Math.round(peakRss / 1e6),
  };
}
