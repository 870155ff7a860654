import { describe, expect, it } from 'vitest';
import { PASSROLE_TECHNIQUES } from '../../../src/analysis/edges/aws-escalate-passrole.js';
import type { JsonObject } from '../../../src/model/fragment.js';
import { A, allow, arn, awsCase, B, deny, doc, gaad, trust } from '../../providers/aws/aws-case.js';

const attacker = arn(A, 'user', 'attacker');

describe('aws-escalate-iam', () => {
  const techniques = [
    { action: 'iam:CreateAccessKey', target: arn(A, 'user', 'victim') },
    { action: 'iam:CreateLoginProfile', target: arn(A, 'user', 'victim') },
    { action: 'iam:UpdateLoginProfile', target: arn(A, 'user', 'victim') },
    { action: 'iam:UpdateAssumeRolePolicy', target: arn(A, 'role', 'victim-role') },
  ];
  const world = (policies: JsonObject[]) =>
    gaad(A, {
      users: [{ name: 'attacker', policies }, { name: 'victim' }, { name: 'bystander' }],
      roles: [{ name: 'victim-role', trust: trust({ Service: 'ec2.amazonaws.com' }) }, { name: 'AWSServiceRoleForX', path: '/aws-service-role/x.amazonaws.com/', trust: trust({ Service: 'x.amazonaws.com' }) }],
    });

  for (const t of techniques) {
    it(`${t.action}: granted, denied, excluded by resource, by NotAction, by a failing condition; conditional on MFA`, async () => {
      const yes = await awsCase([world([doc(allow(t.action, t.target))])]);
      const e = yes.edge(attacker, t.target, 'CAN_ESCALATE', t.action);
      expect(e?.props.evidence?.[0]?.summary).toContain(`allows ${t.action} on ${t.target}`);
      // Resource names only the victim: the bystander is not reachable.
      expect(yes.edges('CAN_ESCALATE').filter((x) => x.src === attacker).map((x) => x.dst)).toEqual([t.target]);

      const denied = await awsCase([world([doc(allow('iam:*'), deny(t.action, t.target))])]);
      expect(denied.edge(attacker, t.target, 'CAN_ESCALATE', t.action)).toBeUndefined();
      const otherResource = await awsCase([world([doc(allow(t.action, arn(A, 'user', 'bystander')))])]);
      expect(otherResource.edge(attacker, t.target, 'CAN_ESCALATE', t.action)).toBeUndefined();
      const notAction = await awsCase([world([doc({ Effect: 'Allow', NotAction: [t.action, 'iam:Put*', 'iam:Attach*', 'iam:Create*Version', 'iam:SetDefault*'], Resource: '*' })])]);
      expect(notAction.edge(attacker, t.target, 'CAN_ESCALATE', t.action)).toBeUndefined();
      const wrongAccount = await awsCase([world([doc(allow(t.action, t.target, { StringEquals: { 'aws:PrincipalAccount': B } }))])]);
      expect(wrongAccount.edge(attacker, t.target, 'CAN_ESCALATE', t.action)).toBeUndefined();
      const mfa = await awsCase([world([doc(allow(t.action, t.target, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }))])]);
      expect(mfa.edge(attacker, t.target, 'CAN_ESCALATE', t.action)?.props.conditional).toContain('Bool aws:MultiFactorAuthPresent "true"');
    });
  }

  it('never rewrites service-linked roles, never crosses accounts, and skips principals already admin', async () => {
    const c = await awsCase([world([doc(allow(['iam:UpdateAssumeRolePolicy', 'iam:CreateAccessKey'], 'arn:aws:iam::*:*'))]), gaad(B, { users: [{ name: 'far' }] })]);
    expect(c.edge(attacker, arn(A, 'role', 'AWSServiceRoleForX'), 'CAN_ESCALATE')).toBeUndefined();
    expect(c.edge(attacker, arn(B, 'user', 'far'), 'CAN_ESCALATE')).toBeUndefined();
    const admin = await awsCase([world([doc(allow('*'))])]);
    expect(admin.edges('CAN_ESCALATE').filter((x) => x.src === attacker)).toEqual([]);
    expect(admin.edge(attacker, `admin:aws:account:${A}`, 'ADMIN_OF')).toBeDefined();
  });

  it('iam:CreateAccessKey onto a user that already has two keys also needs iam:DeleteAccessKey', async () => {
    const victim = arn(A, 'user', 'victim');
    const keys = { nodes: ['AKIAEXAMPLEKEY000001', 'AKIAEXAMPLEKEY000002'].map((k) => ({ id: `aws:key:${k}`, kind: 'aws_access_key' as const, name: k, props: { ownerId: victim, userName: 'victim', status: 'Active' } })), edges: [], warnings: [] };
    const without = await awsCase([world([doc(allow('iam:CreateAccessKey', victim))])], [keys]);
    expect(without.edge(attacker, victim, 'CAN_ESCALATE', 'iam:CreateAccessKey')).toBeUndefined();
    const withDelete = await awsCase([world([doc(allow(['iam:CreateAccessKey', 'iam:DeleteAccessKey'], victim))])], [keys]);
    expect(withDelete.edge(attacker, victim, 'CAN_ESCALATE', 'iam:CreateAccessKey')).toBeDefined();
  });

  it('iam:AddUserToGroup onto a group that is not admin: an edge to the group; not into groups of another account', async () => {
    const c = await awsCase([
      gaad(A, { users: [{ name: 'attacker', policies: [doc(allow('iam:AddUserToGroup', 'arn:aws:iam::*:group/*'))], groups: ['mine'] }], groups: [{ name: 'ops', policies: [doc(allow('ssm:*'))] }, { name: 'mine' }] }),
      gaad(B, { groups: [{ name: 'far' }], users: [{ name: 'someone' }] }),
    ]);
    expect(c.edges('CAN_ESCALATE').filter((e) => e.src === attacker).map((e) => `${e.dst} ${String(e.props.technique)}`)).toEqual([`${arn(A, 'group', 'ops')} iam:AddUserToGroup`]);
  });

  it('a known console password rules out CreateLoginProfile; an unknown one keeps UpdateLoginProfile conditional', async () => {
    const c = await awsCase([world([doc(allow(['iam:CreateLoginProfile', 'iam:UpdateLoginProfile'], arn(A, 'user', 'victim')))])], [
      { nodes: [{ id: `aws:password:${arn(A, 'user', 'victim')}`, kind: 'aws_password', name: 'victim console password', props: { active: true } }], edges: [], warnings: [] },
    ]);
    expect(c.edge(attacker, arn(A, 'user', 'victim'), 'CAN_ESCALATE', 'iam:CreateLoginProfile')).toBeUndefined();
    expect(c.edge(attacker, arn(A, 'user', 'victim'), 'CAN_ESCALATE', 'iam:UpdateLoginProfile')?.conditional).toBe(false);
    const d = await awsCase([world([doc(allow(['iam:UpdateLoginProfile'], arn(A, 'user', 'victim')))])]);
    expect(d.edge(attacker, arn(A, 'user', 'victim'), 'CAN_ESCALATE', 'iam:UpdateLoginProfile')?.props.conditional).toMatch(/has a console password/);
  });
});

describe('aws-escalate-passrole', () => {
  const serviceRole = (service: string, profile: boolean) => ({ name: 'target', trust: trust({ Service: service }), profile, attached: ['arn:aws:iam::aws:policy/AdministratorAccess'] });
  for (const t of PASSROLE_TECHNIQUES) {
    it(`${t.technique}: positive and negatives`, async () => {
      const target = arn(A, 'role', 'target');
      const pass = (cond?: JsonObject) => (t.passRole ? [allow('iam:PassRole', target, cond ?? { StringEquals: { 'iam:PassedToService': t.service } })] : []);
      const run = (statements: JsonObject[], role = serviceRole(t.service, true)) => awsCase([gaad(A, { users: [{ name: 'attacker', policies: [doc(...statements)] }], roles: [role] })]);

      const yes = await run([...pass(), allow(t.actions)]);
      const e = yes.edge(attacker, target, 'CAN_ESCALATE', t.technique);
      expect(e, t.technique).toBeDefined();
      expect(e?.props.reason).toContain(`trusts ${t.service}`);
      expect(Boolean(e?.props.conditional)).toBe(Boolean(t.requires));
      if (t.requires) expect(e?.props.conditional).toContain(t.requires);

      // One action missing.
      const missing = await run([...pass(), ...(t.actions.length > 1 ? [allow(t.actions.slice(1))] : [])]);
      expect(missing.edge(attacker, target, 'CAN_ESCALATE', t.technique)).toBeUndefined();
      // Explicit deny of the service call.
      const denied = await run([...pass(), allow(t.actions), deny(t.actions[0]!)]);
      expect(denied.edge(attacker, target, 'CAN_ESCALATE', t.technique)).toBeUndefined();
      // The role does not trust the service.
      const wrongTrust = await run([...pass(), allow(t.actions)], { ...serviceRole('nothing.amazonaws.com', true) });
      expect(wrongTrust.edge(attacker, target, 'CAN_ESCALATE', t.technique)).toBeUndefined();
      if (t.passRole) {
        // PassRole limited to another service, or to other roles, or excluded by NotAction.
        const otherService = await run([...pass({ StringEquals: { 'iam:PassedToService': 'other.amazonaws.com' } }), allow(t.actions)]);
        expect(otherService.edge(attacker, target, 'CAN_ESCALATE', t.technique)).toBeUndefined();
        const otherRole = await run([allow('iam:PassRole', arn(A, 'role', 'other')), allow(t.actions)]);
        expect(otherRole.edge(attacker, target, 'CAN_ESCALATE', t.technique)).toBeUndefined();
        const notAction = await run([{ Effect: 'Allow', NotAction: 'iam:PassRole', Resource: '*' }, deny(['iam:Put*', 'iam:Attach*', 'iam:Create*', 'iam:Update*', 'iam:Add*', 'iam:Set*', 'sts:*'])]);
        expect(notAction.edge(attacker, target, 'CAN_ESCALATE', t.technique)).toBeUndefined();
      }
      if (t.instanceProfile) {
        const noProfile = await run([...pass(), allow(t.actions)], serviceRole(t.service, false));
        expect(noProfile.edge(attacker, target, 'CAN_ESCALATE', t.technique)).toBeUndefined();
      }
    });
  }

  it('an undecidable PassRole condition keeps the edge, conditional with its text', async () => {
    const target = arn(A, 'role', 'target');
    const c = await awsCase([gaad(A, { users: [{ name: 'attacker', policies: [doc(allow('iam:PassRole', target, { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }), allow(['lambda:CreateFunction', 'lambda:InvokeFunction']))] }], roles: [{ name: 'target', trust: trust({ Service: 'lambda.amazonaws.com' }) }] })]);
    const e = c.edge(attacker, target, 'CAN_ESCALATE', 'iam:PassRole+lambda:CreateFunction+lambda:InvokeFunction');
    expect(e?.props.conditional).toBe('IpAddress aws:SourceIp "203.0.113.0/24"');
  });
});

describe('aws-escalate-ssm', () => {
  for (const action of ['ssm:SendCommand', 'ssm:StartSession', 'ec2-instance-connect:SendSSHPublicKey']) {
    it(`${action} onto a role with an instance profile, conditional on a running instance`, async () => {
      const roles = [{ name: 'ec2-role', trust: trust({ Service: 'ec2.amazonaws.com' }), profile: true }, { name: 'no-profile', trust: trust({ Service: 'ec2.amazonaws.com' }) }];
      const c = await awsCase([gaad(A, { users: [{ name: 'attacker', policies: [doc(allow(action))] }], roles })]);
      const e = c.edge(attacker, arn(A, 'role', 'ec2-role'), 'CAN_ESCALATE', action);
      expect(e?.props.reason).toContain('any running instance using instance profile ec2-role');
      expect(e?.props.conditional).toContain('requires a running instance with instance profile ec2-role');
      expect(c.edge(attacker, arn(A, 'role', 'no-profile'), 'CAN_ESCALATE', action)).toBeUndefined();
      const denied = await awsCase([gaad(A, { users: [{ name: 'attacker', policies: [doc(allow(action), deny(action))] }], roles })]);
      expect(denied.edge(attacker, arn(A, 'role', 'ec2-role'), 'CAN_ESCALATE', action)).toBeUndefined();
    });
  }
});
