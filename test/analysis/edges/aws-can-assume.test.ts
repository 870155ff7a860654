import { describe, expect, it } from 'vitest';
import type { GraphFragment } from '../../../src/model/fragment.js';
import { A, allow, arn, awsCase, B, deny, doc, gaad, trust } from '../../providers/aws/aws-case.js';

const target = arn(A, 'role', 'target');

describe('aws-can-assume', () => {
  it('a trust policy naming a same-account principal grants without an identity-policy allow', async () => {
    const c = await awsCase([gaad(A, { users: [{ name: 'alice' }], roles: [{ name: 'target', trust: trust({ AWS: arn(A, 'user', 'alice') }) }] })]);
    const e = c.edge(arn(A, 'user', 'alice'), target, 'CAN_ASSUME');
    expect(e?.conditional).toBe(false);
    expect(e?.props.reason).toMatch(/names user alice of the same account/);
    expect(e?.props.evidence?.[0]).toMatchObject({ type: 'trust-statement', location: `${target} AssumeRolePolicyDocument, Statement[0]` });
    expect(c.edge(target, arn(A, 'user', 'alice'), 'TRUSTS')).toBeDefined();
  });

  it('an explicit identity deny still wins over a same-account trust', async () => {
    const c = await awsCase([gaad(A, { users: [{ name: 'alice', policies: [doc(deny('sts:AssumeRole'))] }], roles: [{ name: 'target', trust: trust({ AWS: arn(A, 'user', 'alice') }) }] })]);
    expect(c.edge(arn(A, 'user', 'alice'), target, 'CAN_ASSUME')).toBeUndefined();
  });

  it('a same-account trust naming a user passes by its boundary; naming a role does not', async () => {
    const boundary = arn(A, 'policy', 's3-only');
    const c = await awsCase([
      gaad(A, {
        users: [{ name: 'bounded-user', boundary }],
        roles: [
          { name: 'bounded-role', boundary, trust: trust({ Service: 'ec2.amazonaws.com' }) },
          { name: 'target', trust: trust({ AWS: [arn(A, 'user', 'bounded-user'), arn(A, 'role', 'bounded-role')] }) },
        ],
        policies: [{ name: 's3-only', document: doc(allow('s3:*')) }],
      }),
    ]);
    expect(c.edge(arn(A, 'user', 'bounded-user'), target, 'CAN_ASSUME')).toBeDefined();
    expect(c.edge(arn(A, 'role', 'bounded-role'), target, 'CAN_ASSUME')).toBeUndefined();
  });

  it('trusting the account root requires an identity-policy allow on the role', async () => {
    const c = await awsCase([
      gaad(A, {
        users: [{ name: 'with-allow', policies: [doc(allow('sts:AssumeRole', target))] }, { name: 'other-role-only', policies: [doc(allow('sts:AssumeRole', arn(A, 'role', 'elsewhere')))] }, { name: 'none' }],
        roles: [{ name: 'target', trust: trust({ AWS: `arn:aws:iam::${A}:root` }) }],
      }),
    ]);
    expect(c.edge(arn(A, 'user', 'with-allow'), target, 'CAN_ASSUME')?.props.reason).toMatch(/trusts account 111122223333, and user with-allow's policies allow/);
    expect(c.edge(arn(A, 'user', 'other-role-only'), target, 'CAN_ASSUME')).toBeUndefined();
    expect(c.edge(arn(A, 'user', 'none'), target, 'CAN_ASSUME')).toBeUndefined();
    // The account's own admin holds the role already: no edge from it.
    expect(c.edge(`admin:aws:account:${A}`, target, 'CAN_ASSUME')).toBeUndefined();
  });

  it('cross-account needs both the trust and the caller\'s own allow; a bare account id counts as the root', async () => {
    const roles = [{ name: 'target', trust: trust({ AWS: [arn(B, 'user', 'named'), B] }) }];
    const c = await awsCase([
      gaad(A, { roles }),
      gaad(B, { users: [{ name: 'named' }, { name: 'allowed', policies: [doc(allow('sts:AssumeRole', 'arn:aws:iam::*:role/*'))] }, { name: 'named-allowed', policies: [doc(allow('sts:AssumeRole', target))] }] }),
    ]);
    expect(c.edge(arn(B, 'user', 'named'), target, 'CAN_ASSUME')).toBeUndefined();
    expect(c.edge(arn(B, 'user', 'allowed'), target, 'CAN_ASSUME')?.props.reason).toMatch(/^Cross-account/);
    expect(c.edge(arn(B, 'user', 'named-allowed'), target, 'CAN_ASSUME')).toBeDefined();
  });

  it('trusted accounts outside the case become external accounts whose admin can assume', async () => {
    const c = await awsCase([gaad(A, { roles: [{ name: 'target', trust: trust({ AWS: 'arn:aws:iam::999988887777:root' }, 'sts:AssumeRole', { StringEquals: { 'sts:ExternalId': 'vendor-123' } }) }] })]);
    const ext = c.store.node('aws:account:999988887777');
    expect(ext?.kind).toBe('aws_external_account');
    expect(c.store.node('admin:aws:account:999988887777')?.kind).toBe('admin');
    const e = c.edge('admin:aws:account:999988887777', target, 'CAN_ASSUME');
    expect(e?.props.reason).toMatch(/not in the case/);
    expect(c.edge(target, 'aws:account:999988887777', 'TRUSTS')).toBeDefined();
  });

  it('a trust condition that cannot be decided offline makes the edge conditional; one that fails removes it', async () => {
    const c = await awsCase([
      gaad(A, {
        users: [{ name: 'alice' }, { name: 'bob' }],
        roles: [
          { name: 'mfa', trust: trust({ AWS: [arn(A, 'user', 'alice')] }, 'sts:AssumeRole', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }) },
          { name: 'only-bob', trust: trust({ AWS: `arn:aws:iam::${A}:root` }, 'sts:AssumeRole', { ArnEquals: { 'aws:PrincipalArn': arn(A, 'user', 'bob') } }) },
        ],
      }),
    ]);
    const mfa = c.edge(arn(A, 'user', 'alice'), arn(A, 'role', 'mfa'), 'CAN_ASSUME');
    expect(mfa?.conditional).toBe(true);
    expect(mfa?.props.conditional).toBe('Bool aws:MultiFactorAuthPresent "true"');
    // bob has no identity allow, alice fails the PrincipalArn condition: no edge from either.
    expect(c.edges('CAN_ASSUME').filter((e) => e.dst === arn(A, 'role', 'only-bob') && e.src.startsWith('arn:'))).toEqual([]);
  });

  it('a Deny with NotPrincipal in the trust policy stops everyone it does not list, and is undecided for a principal listed without its account', async () => {
    const everyone = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' };
    const denyOthers = (listed: string[]) => ({ Effect: 'Deny', NotPrincipal: { AWS: listed }, Action: 'sts:AssumeRole' });
    const users = ['ops', 'dev', 'contractor'].map((name) => ({ name, policies: [doc(allow('sts:AssumeRole'))] }));
    const c = await awsCase([
      gaad(A, {
        users,
        roles: [
          { name: 'break-glass', trust: doc(everyone, denyOthers([arn(A, 'user', 'ops'), `arn:aws:iam::${A}:root`])) },
          { name: 'no-account', trust: doc(everyone, denyOthers([arn(A, 'user', 'ops')])) },
          { name: 'deny-dev', trust: doc(everyone, { Effect: 'Deny', Principal: { AWS: arn(A, 'user', 'dev') }, Action: 'sts:AssumeRole' }) },
        ],
      }),
    ]);
    const into = (role: string) => c.edges('CAN_ASSUME').filter((e) => e.dst === arn(A, 'role', role) && e.src.startsWith(`arn:aws:iam::${A}:user/`));
    // Listed with its account: only ops, unconditionally.
    expect(into('break-glass').map((e) => [e.src, e.conditional])).toEqual([[arn(A, 'user', 'ops'), false]]);
    // Listed without its account: AWS may deny ops too, so the edge stays with that condition; the rest are denied.
    const noAccount = into('no-account');
    expect(noAccount.map((e) => e.src)).toEqual([arn(A, 'user', 'ops')]);
    expect(noAccount[0]?.conditional).toBe(true);
    expect(String(noAccount[0]?.props.conditional)).toMatch(/NotPrincipal lists ops but not its account/);
    // A plain Deny naming dev stops dev only.
    expect(into('deny-dev').map((e) => e.src).sort()).toEqual([arn(A, 'user', 'contractor'), arn(A, 'user', 'ops')]);
  });

  it('service principals and "*" trust', async () => {
    const c = await awsCase([
      gaad(A, {
        users: [{ name: 'alice' }],
        roles: [{ name: 'lambda-role', trust: trust({ Service: 'lambda.amazonaws.com' }) }, { name: 'open', trust: trust({ AWS: '*' }) }],
      }),
      gaad(B, { users: [{ name: 'outsider', policies: [doc(allow('sts:AssumeRole'))] }, { name: 'outsider-no-allow' }] }),
    ]);
    expect(c.edge('aws:service:lambda.amazonaws.com', arn(A, 'role', 'lambda-role'), 'CAN_ASSUME')).toBeDefined();
    expect(c.edge(arn(A, 'user', 'alice'), arn(A, 'role', 'open'), 'CAN_ASSUME')).toBeDefined();
    expect(c.edge(arn(B, 'user', 'outsider'), arn(A, 'role', 'open'), 'CAN_ASSUME')).toBeDefined();
    expect(c.edge(arn(B, 'user', 'outsider-no-allow'), arn(A, 'role', 'open'), 'CAN_ASSUME')).toBeUndefined();
    expect(c.store.node('aws:account:*')?.name).toBe('any AWS account');
    expect(c.edge('admin:aws:account:*', arn(A, 'role', 'open'), 'CAN_ASSUME')?.props.reason).toMatch(/any AWS account can assume it/);
  });

  it('a permissions boundary limits cross-account assumption; an SCP applies to every principal of the account', async () => {
    const target2 = arn(B, 'role', 'target');
    const scp: GraphFragment = {
      nodes: [{ id: 'arn:aws:organizations::999999999999:policy/o-x/service_control_policy/p-deny-sts', kind: 'aws_scp', name: 'deny-sts', props: { policyName: 'deny-sts', document: doc(allow('*'), deny('sts:AssumeRole')), targets: [{ targetId: A, type: 'ACCOUNT' }], awsManaged: false } }],
      edges: [],
      warnings: [],
    };
    const c = await awsCase(
      [
        gaad(A, {
          users: [{ name: 'bounded', boundary: arn(A, 'policy', 'boundary'), policies: [doc(allow('sts:AssumeRole'))] }],
          policies: [{ name: 'boundary', document: doc(allow('s3:*')) }],
        }),
        gaad(B, { roles: [{ name: 'target', trust: trust({ AWS: A }) }] }),
      ],
      [],
    );
    expect(c.edge(arn(A, 'user', 'bounded'), target2, 'CAN_ASSUME')).toBeUndefined();

    const d = await awsCase([gaad(A, { users: [{ name: 'free', policies: [doc(allow('sts:AssumeRole'))] }] }), gaad(B, { roles: [{ name: 'target', trust: trust({ AWS: A }) }] })], [scp]);
    expect(d.edge(arn(A, 'user', 'free'), target2, 'CAN_ASSUME')).toBeUndefined();
    const e = await awsCase([gaad(A, { users: [{ name: 'free', policies: [doc(allow('sts:AssumeRole'))] }] }), gaad(B, { roles: [{ name: 'target', trust: trust({ AWS: A }) }] })]);
    expect(e.edge(arn(A, 'user', 'free'), target2, 'CAN_ASSUME')).toBeDefined();
  });

  it('an SCP on an OU of unknown membership is not applied, and says so', async () => {
    const scp: GraphFragment = {
      nodes: [{ id: 'arn:aws:organizations::999999999999:policy/o-x/service_control_policy/p-ou', kind: 'aws_scp', name: 'ou-deny', props: { policyName: 'ou-deny', document: doc(deny('*')), targets: [{ targetId: 'ou-abcd-12345678', type: 'ORGANIZATIONAL_UNIT' }] } }],
      edges: [],
      warnings: [],
    };
    const c = await awsCase([gaad(A, { users: [{ name: 'admin', attached: ['arn:aws:iam::aws:policy/AdministratorAccess'] }] })], [scp]);
    const e = c.edge(arn(A, 'user', 'admin'), `admin:aws:account:${A}`, 'ADMIN_OF');
    expect(e).toBeDefined();
    expect(e?.props.evidence?.map((x) => x.summary)).toContain(`SCP ou-deny targets OU ou-abcd-12345678; the OU of account ${A} is not in the case, so it is not applied`);
  });
});
