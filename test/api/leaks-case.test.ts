import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { cli, FIXTURES, ROOT, tempCase, tempDir } from '../helpers.js';

const scanner = (name: string) => ({ path: join(FIXTURES, 'secret-scanners', name) });
const demo = (name: string) => join(ROOT, 'assets', 'demo', name);

// The secret values written into the scenario reports (fake, but shaped like the real thing).
const SECRETS = [
  'ghp_Zx9Qm2Lr7Tb4Vn1Kc8Wd3Hs6Yp0Fj5Ga2UeQ',
  'xoxb-2741193847-5529910228-Rk7TzQw2Lp9XvN4cJm8sHd1B',
  'Q8v3Lk2PzN0rTgY7sWb1XcJmH5dFaE4uKo6iRj9S',
  'S3cr3tPassw0rdXyzQ',
  'MIIEowIBAAKCAQEAx7pQzKnownTestBodyForBlastmapOnly0123456789',
  'MIIEvQIBADANKnownGcpTestBodyForBlastmapOnly9876543210',
  // The real reports' secrets.
  'dfjksdjfs3294dfjlsdaf213',
  'secretAWSsecret',
  'REDACTED-TEST-KEY-BODY',
  'Dm0NorthwindFakeSecretKeyValue0000xYz7Qq',
];
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('leaked secrets never reach the case file', () => {
  it('imports reports full of secrets and finds none of them, nor their base64, in the case file or its WAL', async () => {
    const path = tempCase();
    const engine = openEngine(path, { create: true });
    let result;
    try {
      result = await engine.importWithHooks(
        {
          files: [
            scanner('scenario-gitleaks-known-secrets.json'),
            scanner('scenario-gitleaks-known-secrets.csv'),
            scanner('scenario-trufflehog-known-secrets.jsonl'),
            scanner('gitleaks-v8-report-many.json'),
            scanner('trufflehog-v3-git-source.jsonl'),
            { path: demo('gitleaks-northwind-platform.json') },
          ],
        },
        { by: 'responder@northwind' },
      );
      // Read while the engine holds the case: the WAL has not been checkpointed away.
      expect(existsSync(`${path}-wal`)).toBe(true);
      const blobs = [readFileSync(path), readFileSync(`${path}-wal`)];
      for (const secret of SECRETS) {
        for (const form of [secret, b64(secret)]) {
          for (const blob of blobs) expect(blob.includes(Buffer.from(form)), form).toBe(false);
        }
      }
      const details = await engine.node({ id: 'aws:key:AKIAQSCENARIOKEY0001' });
      expect(JSON.stringify(details)).not.toContain(SECRETS[2]);
    } finally {
      engine.close();
    }
    const after = readFileSync(path);
    for (const secret of SECRETS) expect(after.includes(Buffer.from(secret)), secret).toBe(false);
    // Warnings (the broken trufflehog line holds a Slack token) say where, never what.
    expect(JSON.stringify(result.warnings)).not.toContain('xoxb-');
    expect(result.warnings).toContainEqual({ file: 'scenario-trufflehog-known-secrets.jsonl', message: '1 line(s) are not valid JSON and were skipped', location: 'line 5' });
  });

  it('an import error about a line never prints the line', async () => {
    const dir = tempDir();
    const bad = join(dir, 'report.csv');
    writeFileSync(bad, `RuleID,Commit,File,SymlinkFile,Secret,Match,StartLine\nrule,abc,f.py,,"${SECRETS[0]},x\n`);
    const r = await cli('import', bad, '--case', join(dir, 'c.blastmap'));
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('invalid CSV');
    expect(r.err).not.toContain('ghp_');
  });
});

describe('importing a leak marks what it exposes', () => {
  it('marks the leaked credentials compromised with who, when and why; the mark can be undone', async () => {
    const engine = openEngine(tempCase(), { create: true });
    try {
      await engine.importWithHooks({ files: [scanner('scenario-gitleaks-known-secrets.json')] }, { by: 'responder@northwind', now: new Date('2026-11-22T08:00:00Z') });
      const key = await engine.node({ id: 'aws:key:AKIAQSCENARIOKEY0001' });
      expect(key.node.marks).toEqual(['compromised']);
      expect(key.marks[0]).toMatchObject({ by: 'responder@northwind', at: '2026-11-22T08:00:00.000Z', note: expect.stringContaining('infra/creds:10') });
      // Two leaks (the key id and its secret key on the next line) expose the one key.
      expect(key.in.filter((i) => i.edge.kind === 'EXPOSES').map((i) => i.other.kind)).toEqual(['leak', 'leak']);
      expect(key.in[0]!.edge.evidence[0]).toMatchObject({ type: 'leak', location: 'scenario-gitleaks-known-secrets.json $[2]' });
      const br = await engine.blastRadius({ from: key.in[0]!.other.id });
      expect(br.credentials.map((c) => c.node.id)).toContain('aws:key:AKIAQSCENARIOKEY0001');
      // A responder holding a secret finds whether it leaked by its hash, without typing it into the tool.
      const hash = createHash('sha256').update(SECRETS[0]!).digest('hex');
      const hits = await engine.search({ text: hash });
      expect(hits.map((h) => h.node.kind).sort()).toEqual(['leak', 'secret_credential']);
      expect(hits.find((h) => h.node.kind === 'secret_credential')!.node).toMatchObject({ name: 'GitHub token …2UeQ', marks: ['compromised'] });
      expect(await engine.unmark({ ids: ['aws:key:AKIAQSCENARIOKEY0001'], mark: 'compromised' })).toEqual({ removed: 1 });
      expect((await engine.node({ id: 'aws:key:AKIAQSCENARIOKEY0001' })).marks).toEqual([]);
    } finally {
      engine.close();
    }
  });
});

describe('observed activity across log files', () => {
  it('merges each file\'s edge for the same pair into one entry of the node\'s activity', async () => {
    const dir = tempDir();
    const rec = (time: string, ip: string) => ({
      eventVersion: '1.09',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/ci-deployer', accountId: '111111111111', accessKeyId: 'AKIAQDEMO7CIDEPLOY42' },
      eventTime: time,
      eventSource: 's3.amazonaws.com',
      eventName: 'ListBuckets',
      awsRegion: 'eu-west-1',
      sourceIPAddress: ip,
    });
    const a = join(dir, '111111111111_CloudTrail_eu-west-1_20261120T0000Z_a.json');
    const b = join(dir, '111111111111_CloudTrail_eu-west-1_20261122T0000Z_b.json');
    writeFileSync(a, JSON.stringify({ Records: [rec('2026-11-20T10:00:00Z', '10.0.0.1'), rec('2026-11-20T11:00:00Z', '10.0.0.1')] }));
    writeFileSync(b, JSON.stringify({ Records: [rec('2026-11-22T09:00:00Z', '185.220.101.37')] }));
    const engine = openEngine(tempCase(), { create: true });
    try {
      await engine.importFiles({ files: [{ path: a }, { path: b }] });
      const all = await engine.node({ id: 'aws:key:AKIAQDEMO7CIDEPLOY42' });
      expect(all.activity).toHaveLength(1);
      expect(all.activity![0]).toMatchObject({ direction: 'out', count: 3, firstSeen: '2026-11-20T10:00:00Z', lastSeen: '2026-11-22T09:00:00Z', actions: ['s3:ListBuckets'] });
      expect(all.activity![0]!.edgeIds).toHaveLength(2);
      const late = await engine.node({ id: 'aws:key:AKIAQDEMO7CIDEPLOY42', since: '2026-11-21T00:00:00Z' });
      expect(late.activity![0]).toMatchObject({ count: 1, firstSeen: '2026-11-22T09:00:00Z' });
    } finally {
      engine.close();
    }
  });
});

describe('CLI: the demo leak and its activity', () => {
  it('imports the demo report and CloudTrail log; node lists observed activity within a window; mark --from-file marks in bulk', async () => {
    const dir = tempDir();
    const path = join(dir, 'case.blastmap');
    const imp = await cli('import', demo('gitleaks-northwind-platform.json'), demo('cloudtrail-2026-11-21.json'), '--case', path);
    expect(imp.code, imp.err).toBe(0);

    const key = JSON.parse((await cli('node', 'AKIAQDEMO7CIDEPLOY42', '--case', path, '--json')).out);
    expect(key.node).toMatchObject({ id: 'aws:key:AKIAQDEMO7CIDEPLOY42', marks: ['compromised'] });
    expect(key.in.map((i: { edge: { kind: string } }) => i.edge.kind)).toEqual(['EXPOSES', 'EXPOSES']);
    expect(key.activity).toEqual([
      expect.objectContaining({ direction: 'out', count: 3, firstSeen: '2026-11-21T02:10:02Z', lastSeen: '2026-11-21T02:13:00Z', actions: ['sts:GetCallerIdentity', 'sts:AssumeRole'] }),
    ]);
    expect(key.activity[0].other.id).toBe('arn:aws:iam::111111111111:user/ci-deployer');

    const text = await cli('node', 'arn:aws:iam::222222222222:role/deploy-prod', '--case', path);
    expect(text.out).toContain('observed activity:');
    expect(text.out).toMatch(/→ nw-build-artifacts \[aws_bucket\]: 1 event\(s\), 2026-11-21T02:12:55Z\n\s+s3:GetObject/);
    expect(text.out).toMatch(/← ci-deployer \[aws_user\]: 1 event\(s\), 2026-11-21T02:11:30Z/);

    const before = JSON.parse((await cli('node', 'arn:aws:iam::222222222222:role/deploy-prod', '--until', '2026-11-21T02:12:00Z', '--case', path, '--json')).out);
    expect(before.activity.map((a: { other: { id: string } }) => a.other.id).sort()).toEqual(['arn:aws:iam::111111111111:user/ci-deployer', 'aws:key:ASIAQDEMO5SESSION001']);
    const after = JSON.parse((await cli('node', 'ci-deployer', '--since', '2026-11-22T00:00:00Z', '--case', path, '--json')).out);
    expect(after.activity).toBeUndefined();
    expect((await cli('node', 'ci-deployer', '--since', 'yesterday', '--case', path)).code).toBe(2);

    const list = join(dir, 'suspects.txt');
    writeFileSync(list, '# from the incident ticket\nASIAQDEMO5SESSION001\narn:aws:iam::222222222222:role/deploy-prod  # assumed with the leaked key\n\n');
    const mark = await cli('mark', '--from-file', list, '--as', 'compromised', '--note', 'INC-4711', '--case', path);
    expect(mark.code, mark.err).toBe(0);
    expect(mark.out).toBe('marked aws:key:ASIAQDEMO5SESSION001 compromised\nmarked arn:aws:iam::222222222222:role/deploy-prod compromised\n');
    const role = JSON.parse((await cli('node', 'deploy-prod', '--case', path, '--json')).out);
    expect(role.marks[0]).toMatchObject({ mark: 'compromised', note: 'INC-4711', by: 'cli' });
    const undo = await cli('mark', '--from-file', list, '--as', 'compromised', '--undo', '--case', path);
    expect(undo.out).toBe('removed 2 compromised mark(s)\n');
    expect(JSON.parse((await cli('node', 'deploy-prod', '--case', path, '--json')).out).marks).toEqual([]);
  });
});
