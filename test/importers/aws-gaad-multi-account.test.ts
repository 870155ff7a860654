import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { FIXTURES, tempCase } from '../helpers.js';
import { A, arn, awsCase, B, gaad } from '../providers/aws/aws-case.js';

// A GAAD file holding two accounts (two exports merged with jq, as teams do): every principal, policy and group
// belongs to the account its own ARN names, each account has its boundary and admin node, and the mix is said.

const MERGED = join(FIXTURES, 'aws', 'gaad-merged-dev-and-prod-accounts.json');
const DEV = 'aws:account:111111111111';
const PROD = 'aws:account:222222222222';

describe('a merged GAAD of two accounts', () => {
  it('files each entity under the account its ARN names, with a boundary and admin node per account, and warns', async () => {
    const engine = openEngine(tempCase(), { create: true });
    const result = await engine.importFiles({ files: [{ path: MERGED }] });
    expect(result.warnings).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^the export mixes 2 AWS accounts: 111111111111 \(3 users, 1 group, 1 role, 1 customer managed policy\); 222222222222 \(1 user, 6 roles\)\. Each user, group, role and policy is filed under the account its own ARN names$/),
        location: '$',
      }),
    ]);
    const ops = await engine.node({ id: 'arn:aws:iam::222222222222:role/ops-automation' });
    expect(ops.node.boundary).toBe(PROD);
    expect(ops.props['accountId']).toBe('222222222222');
    expect((await engine.node({ id: 'arn:aws:iam::111111111111:user/dana.ops' })).node.boundary).toBe(DEV);
    expect((await engine.node({ id: 'arn:aws:iam::111111111111:policy/ci-deploy-to-prod' })).node.boundary).toBe(DEV);
    for (const b of [DEV, PROD]) {
      expect((await engine.node({ id: b })).node).toMatchObject({ kind: 'aws_account', stub: false });
      expect((await engine.node({ id: `admin:${b}` })).node).toMatchObject({ kind: 'admin', boundary: b });
    }
    // A role of the second account with AdministratorAccess reaches that account's admin node, which exists.
    const [path] = await engine.paths({ from: 'arn:aws:iam::222222222222:role/ops-automation', to: 'admin' });
    expect(path?.steps.map((s) => s.to.id)).toEqual([`admin:${PROD}`]);
    const br = await engine.blastRadius({ from: 'arn:aws:iam::222222222222:role/ops-automation' });
    // …and the dev account, through its OrganizationAccountAccessRole (which trusts prod).
    expect(br.admins.map((a) => [a.node.id, a.depth])).toEqual([[`admin:${PROD}`, 1], [`admin:${DEV}`, 2]]);
    expect(br.admins.every((a) => a.node.kind === 'admin')).toBe(true);
    engine.close();
  });

  it('resolves group names in the member\'s own account when both accounts have a group of that name', async () => {
    const merge = (...docs: ReturnType<typeof gaad>[]) => ({
      UserDetailList: docs.flatMap((d) => d['UserDetailList'] as never[]),
      GroupDetailList: docs.flatMap((d) => d['GroupDetailList'] as never[]),
      RoleDetailList: docs.flatMap((d) => d['RoleDetailList'] as never[]),
      Policies: docs.flatMap((d) => d['Policies'] as never[]),
    });
    const c = await awsCase([
      merge(
        gaad(A, { users: [{ name: 'alice', groups: ['ops'] }], groups: [{ name: 'ops' }] }),
        gaad(B, { users: [{ name: 'bob', groups: ['ops'], attached: ['arn:aws:iam::aws:policy/AdministratorAccess'] }], groups: [{ name: 'ops', attached: ['arn:aws:iam::aws:policy/AdministratorAccess'] }] }),
      ),
    ]);
    expect(c.edge(arn(A, 'user', 'alice'), arn(A, 'group', 'ops'), 'MEMBER_OF')).toBeDefined();
    expect(c.edge(arn(B, 'user', 'bob'), arn(B, 'group', 'ops'), 'MEMBER_OF')).toBeDefined();
    expect(c.edge(arn(B, 'user', 'bob'), arn(A, 'group', 'ops'), 'MEMBER_OF')).toBeUndefined();
    // bob is admin of B (not of A); alice, in A's powerless group, of nothing.
    expect(c.edge(arn(B, 'user', 'bob'), `admin:aws:account:${B}`, 'ADMIN_OF')).toBeDefined();
    expect(c.edges('ADMIN_OF').map((e) => e.src)).not.toContain(arn(A, 'user', 'alice'));
    expect(c.store.node(`admin:aws:account:${B}`)?.stub).toBe(false);
    c.store.close();
  });
});
