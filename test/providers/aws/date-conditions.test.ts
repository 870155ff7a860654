import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../../src/api/engine.js';
import { evaluateCondition } from '../../../src/providers/aws/policy.js';
import { tempDir } from '../../helpers.js';
import { A, allow, arn, awsCase, deny, doc, gaad, trust } from './aws-case.js';

// Date conditions on aws:CurrentTime and aws:TokenIssueTime are decided against the case's reference time (the
// import time, or --as-of): an attacker acts then, with credentials it obtains then. awsCase derives at 2026-11-22.

const alice = arn(A, 'user', 'alice');
const target = arn(A, 'role', 'target');
const bucketAdmin = { name: 'target', trust: trust({ AWS: alice }) };

describe('date conditions', () => {
  it('evaluates the date operators on ISO-8601 and epoch-second values, both ways', () => {
    const at = (iso: string) => ({ values: new Map(), asOf: Date.parse(iso) });
    const ctx = at('2026-11-22T00:00:00Z');
    const result = (op: string, key: string, value: string, effect: 'Allow' | 'Deny' = 'Allow') => evaluateCondition({ [op]: { [key]: [value] } }, ctx, effect).result;
    expect(result('DateLessThan', 'aws:CurrentTime', '2020-01-01T00:00:00Z')).toBe('false');
    expect(result('DateLessThan', 'aws:CurrentTime', '2030-01-01')).toBe('true');
    expect(result('DateGreaterThan', 'aws:TokenIssueTime', '2020-01-01T00:00:00Z')).toBe('true');
    expect(result('DateGreaterThanEquals', 'aws:TokenIssueTime', '2026-11-22T00:00:00Z')).toBe('true');
    expect(result('DateLessThanEquals', 'aws:CurrentTime', '1577836800')).toBe('false');
    expect(result('DateNotEquals', 'aws:CurrentTime', '2026-11-22T00:00:00Z')).toBe('false');
    expect(result('DateEquals', 'aws:CurrentTime', '2026-11-22T00:00:00Z')).toBe('true');
    expect(result('DateLessThanIfExists', 'aws:TokenIssueTime', '2020-01-01T00:00:00Z', 'Deny')).toBe('false');
    // Without a reference time, and for values that are not dates, they stay undecided.
    expect(evaluateCondition({ DateLessThan: { 'aws:CurrentTime': ['2020-01-01T00:00:00Z'] } }, { values: new Map() }, 'Allow').result).toBe('unknown');
    expect(result('DateLessThan', 'aws:CurrentTime', 'next tuesday')).toBe('unknown');
    // Other date keys are not the request's time.
    expect(result('DateLessThan', 'aws:EpochTime', '2020-01-01T00:00:00Z')).toBe('unknown');
  });

  it('an allow that ended in the past grants nothing; one that runs into the future is not conditional', async () => {
    const c = await awsCase([
      gaad(A, {
        users: [
          { name: 'alice', policies: [doc(allow('s3:*', '*', { DateLessThan: { 'aws:CurrentTime': '2025-12-31T23:59:59Z' } }))] },
          { name: 'bob', policies: [doc(allow('sts:AssumeRole', target, { DateLessThan: { 'aws:CurrentTime': '2027-06-30T00:00:00Z' } }))] },
          { name: 'carol', policies: [doc(allow('sts:AssumeRole', target, { DateLessThan: { 'aws:CurrentTime': '2025-06-30T00:00:00Z' } }))] },
        ],
        roles: [{ name: 'target', trust: trust({ AWS: `arn:aws:iam::${A}:root` }) }],
      }),
    ]);
    expect(c.edge(arn(A, 'user', 'bob'), target, 'CAN_ASSUME')?.conditional).toBe(false);
    expect(c.edge(arn(A, 'user', 'carol'), target, 'CAN_ASSUME')).toBeUndefined();
    c.store.close();
  });

  it('a trust statement limited to tokens issued before a past instant admits no new session; after one it does', async () => {
    const c = await awsCase([
      gaad(A, {
        users: [{ name: 'alice' }, { name: 'bob' }],
        roles: [
          { name: 'target', trust: trust({ AWS: alice }, 'sts:AssumeRole', { DateLessThan: { 'aws:TokenIssueTime': '2024-03-01T00:00:00Z' } }) },
          { name: 'fresh', trust: trust({ AWS: arn(A, 'user', 'bob') }, 'sts:AssumeRole', { DateGreaterThan: { 'aws:TokenIssueTime': '2024-03-01T00:00:00Z' } }) },
        ],
      }),
    ]);
    expect(c.edge(alice, target, 'CAN_ASSUME')).toBeUndefined();
    const fresh = c.edge(arn(A, 'user', 'bob'), arn(A, 'role', 'fresh'), 'CAN_ASSUME');
    expect(fresh).toBeDefined();
    expect(fresh?.conditional).toBe(false);
    c.store.close();
  });

  it("AWS's revoke-older-sessions deny (AWSRevokeOlderSessions) does not stop an attacker's new session", async () => {
    const revoke = doc(deny(['*'], ['*'], { DateLessThan: { 'aws:TokenIssueTime': '2025-05-07T23:47:00Z' } }));
    const c = await awsCase([
      gaad(A, {
        users: [{ name: 'alice', policies: [doc(allow('s3:GetObject'))] }],
        roles: [{ ...bucketAdmin, policies: [revoke, doc(allow('iam:*'))] }],
      }),
    ]);
    const admin = c.edge(target, `admin:aws:account:${A}`, 'ADMIN_OF');
    expect(admin).toBeDefined();
    expect(admin?.conditional).toBe(false);
    // A revocation in the future (relative to the case) still denies.
    const later = await awsCase([gaad(A, { roles: [{ ...bucketAdmin, policies: [doc(deny(['*'], ['*'], { DateLessThan: { 'aws:TokenIssueTime': '2027-01-01T00:00:00Z' } })), doc(allow('iam:*'))] }] })]);
    expect(later.edge(target, `admin:aws:account:${A}`, 'ADMIN_OF')).toBeUndefined();
    c.store.close();
    later.store.close();
  });

  it('GitHub OIDC trust that expired before the reference time gives no workflow the role', async () => {
    const provider = `arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com`;
    const cond = (extra: Record<string, Record<string, string>>) => ({ StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/infra:*' }, ...extra });
    const c = await awsCase([
      gaad(A, {
        roles: [
          { name: 'expired', trust: trust({ Federated: provider }, 'sts:AssumeRoleWithWebIdentity', cond({ DateLessThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } })) },
          { name: 'open', trust: trust({ Federated: provider }, 'sts:AssumeRoleWithWebIdentity', cond({ DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } })) },
        ],
      }),
    ]);
    const into = (role: string) => c.edges('CAN_ASSUME').filter((e) => e.dst === arn(A, 'role', role));
    expect(into('expired')).toEqual([]);
    expect(into('open')).toHaveLength(1);
    expect(into('open')[0]!.conditional).toBe(false);
    c.store.close();
  });

  it('import --as-of sets the case reference time, kept for later imports until --as-of now', async () => {
    const dir = tempDir();
    const file = join(dir, 'gaad.json');
    writeFileSync(file, JSON.stringify(gaad(A, { users: [{ name: 'alice', policies: [doc(allow('sts:AssumeRole', target, { DateLessThan: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' } }))] }], roles: [{ name: 'target', trust: trust({ AWS: `arn:aws:iam::${A}:root` }) }] })));
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify(gaad('999988887777', { users: [{ name: 'zed' }] })));
    const engine = openEngine(join(dir, 'case.blastmap'), { create: true });
    const assumes = async () => (await engine.node({ id: alice })).out.some((o) => o.edge.kind === 'CAN_ASSUME' && o.other.id === target);
    await engine.importFiles({ files: [{ path: file }] });
    expect(await assumes()).toBe(false);
    await engine.importFiles({ files: [{ path: file }], options: { asOf: '2024-06-01' } });
    expect(await assumes()).toBe(true);
    expect((await engine.caseInfo({})).asOf).toBe('2024-06-01T00:00:00.000Z');
    // Another import without --as-of re-derives the whole case against the same reference time.
    await engine.importFiles({ files: [{ path: other }] });
    expect(await assumes()).toBe(true);
    await engine.importFiles({ files: [{ path: other }], options: { asOf: 'now' } });
    expect(await assumes()).toBe(false);
    expect((await engine.caseInfo({})).asOf).toBeUndefined();
    await expect(engine.importFiles({ files: [{ path: other }], options: { asOf: 'last week' } })).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(/--as-of must be an ISO-8601 date/) });
    engine.close();
  });
});
