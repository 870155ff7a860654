import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES, tempDir } from '../helpers.js';
import { importPaths, newCase } from './aws-helpers.js';

// Console sign-in records as AWS documents them (awsdocs/aws-cloudtrail-user-guide): CheckMfa and a failed
// ConsoleLogin name the IAM user by userName and accountId only, with no ARN. They are that user's activity.

const SIGN_IN = join(FIXTURES, 'cloudtrail', 'awsdocs-console-sign-in-events.json');
const ANAYA = 'arn:aws:iam::111122223333:user/anaya';

describe('CloudTrail sign-in events without an ARN', () => {
  it('are the user named by userName and accountId: none is skipped', async () => {
    const engine = newCase();
    const result = await importPaths(engine, [SIGN_IN]);
    expect(result.warnings.filter((w) => /names no principal/.test(w.message))).toEqual([]);
    const anaya = await engine.node({ id: ANAYA });
    const password = anaya.activity?.find((a) => a.other.kind === 'aws_password');
    // Two successful sign-ins and the failed one: three uses of her console password.
    expect(password).toMatchObject({ direction: 'in', count: 3, firstSeen: '2018-07-24T18:32:11Z', lastSeen: '2018-08-29T16:24:34Z' });
    engine.close();
  });

  it('meet the user of a GAAD with a path, and skip a hidden user name with its own reason', async () => {
    const dir = tempDir();
    const gaad = join(dir, 'gaad.json');
    writeFileSync(gaad, JSON.stringify({ UserDetailList: [{ Path: '/humans/', UserName: 'anaya', UserId: 'AIDACKCEVSQ6C2EXAMPLE', Arn: 'arn:aws:iam::111122223333:user/humans/anaya', CreateDate: '2018-01-01T00:00:00Z', GroupList: [], AttachedManagedPolicies: [], Tags: [] }], GroupDetailList: [], RoleDetailList: [], Policies: [] }));
    const hidden = join(dir, 'hidden.json');
    writeFileSync(hidden, JSON.stringify({ Records: [{ eventVersion: '1.08', userIdentity: { type: 'IAMUser', accountId: '111122223333', accessKeyId: '', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' }, eventTime: '2024-02-01T10:00:00Z', eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.7', errorMessage: 'No username found in supplied account', responseElements: { ConsoleLogin: 'Failure' }, eventID: 'a8b6c2d4-0000-4000-8000-000000000001', eventType: 'AwsConsoleSignIn', recipientAccountId: '111122223333' }] }));
    const engine = newCase();
    const result = await importPaths(engine, [gaad, SIGN_IN, hidden]);
    const real = await engine.node({ id: 'arn:aws:iam::111122223333:user/humans/anaya' });
    // The sign-ins with and without an ARN land on the one user: the CheckMfa/failed login ARN has no path, and
    // the GAAD aliases it; the ones with an ARN name the user without a path too (as the docs' sample does).
    expect((await engine.resolve({ ref: ANAYA })).status).toBe('found');
    expect(real.activity?.find((a) => a.other.kind === 'aws_password')?.count).toBe(3);
    expect(result.warnings.map((w) => w.message).join('\n')).toMatch(/a failed sign-in with a user name that is no user of the account \(AWS hides it\)/);
    engine.close();
  });
});
