import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';
import { failedImport, importPaths, newCase } from './aws-helpers.js';

// `aws iam list-access-keys` does not name the account. Without --account, the keys go to the one account whose
// users the names match — in the case, or brought by another file of the same import, in any order — with a
// warning; the import is refused only when the names match no account or several.

const DEMO = join(ROOT, 'assets', 'demo');
const DEV_GAAD = join(DEMO, 'aws-dev-gaad.json');
const KEYS = join(DEMO, 'aws-dev-access-keys-ci-deployer.json');
const REPORT = join(DEMO, 'aws-dev-credential-report.csv');
const KEY = 'aws:key:AKIAQDEMO7CIDEPLOY42';
const CI = 'arn:aws:iam::111111111111:user/ci-deployer';

describe('list-access-keys without --account', () => {
  it('infers the account from a GAAD in the same import, whatever the order, and says so', async () => {
    for (const order of [[KEYS, DEV_GAAD], [DEV_GAAD, KEYS]]) {
      const engine = newCase();
      const result = await importPaths(engine, order);
      expect(result.warnings).toEqual([
        expect.objectContaining({ file: 'aws-dev-access-keys-ci-deployer.json', message: 'no --account given: the keys are filed under account 111111111111, the only account with users named ci-deployer' }),
      ]);
      const key = await engine.node({ id: KEY });
      expect(key.node.boundary).toBe('aws:account:111111111111');
      expect(key.out.find((o) => o.edge.kind === 'AUTHENTICATES_AS')?.other.id).toBe(CI);
      engine.close();
    }
  });

  it('infers it from the case (a credential report imported earlier) and names the users it could not match', async () => {
    const engine = newCase();
    await importPaths(engine, [REPORT]);
    const dir = tempDir();
    const keys = join(dir, 'keys.json');
    writeFileSync(keys, `${JSON.stringify({ AccessKeyMetadata: [{ UserName: 'ci-deployer', AccessKeyId: 'AKIAQDEMO7CIDEPLOY42', Status: 'Active', CreateDate: '2025-09-01T09:41:00+00:00' }] }, null, 4)}\n${JSON.stringify({ AccessKeyMetadata: [{ UserName: 'new-bot', AccessKeyId: 'AKIAQDEMO7NEWBOT0001', Status: 'Active', CreateDate: '2026-11-01T10:00:00+00:00' }] }, null, 4)}\n`);
    const result = await importPaths(engine, [keys]);
    expect(result.warnings.map((w) => w.message)).toEqual(['no --account given: the keys are filed under account 111111111111, the only account with users named ci-deployer (1 other user name is not in the case: new-bot)']);
    expect((await engine.node({ id: 'aws:key:AKIAQDEMO7NEWBOT0001' })).node.boundary).toBe('aws:account:111111111111');
    engine.close();
  });

  it('refuses when no user is known, or when the names fit several accounts', async () => {
    const alone = newCase();
    expect((await failedImport(alone, [KEYS])).message).toMatch(/aws-dev-access-keys-ci-deployer\.json: list-access-keys output does not say which AWS account its users are in, and none of its users \(ci-deployer\) is in the case or this import; pass --account/);
    alone.close();
    // A second account with a user of the same name: ambiguous.
    const dir = tempDir();
    const other = join(dir, 'gaad-other.json');
    writeFileSync(other, JSON.stringify({ UserDetailList: [{ Path: '/', UserName: 'ci-deployer', UserId: 'AIDAEXAMPLEOTHERCI01', Arn: 'arn:aws:iam::333333333333:user/ci-deployer', CreateDate: '2024-01-01T00:00:00Z', GroupList: [], AttachedManagedPolicies: [], Tags: [] }], GroupDetailList: [], RoleDetailList: [], Policies: [] }));
    const two = newCase();
    const err = await failedImport(two, [DEV_GAAD, other, KEYS]);
    expect(err.message).toMatch(/their names fit 2 accounts \(ci-deployer in 111111111111 and 333333333333\); pass --account/);
    // Nothing of the three files was kept.
    expect((await two.caseInfo({})).sources).toEqual([]);
    // --account settles it.
    await importPaths(two, [DEV_GAAD, other, KEYS], { account: '333333333333' });
    expect((await two.node({ id: KEY })).node.boundary).toBe('aws:account:333333333333');
    two.close();
  });
});
