import { describe, expect, it } from 'vitest';
import type { GraphFragment } from '../../../src/model/fragment.js';
import type { NodeKind } from '../../../src/model/kinds.js';
import { ALL_SERVICE_TECHNIQUES } from './aws-techniques.js';
import type { JsonObject } from '../../../src/model/fragment.js';
import { A, allow, arn, awsCase, B, deny, doc, gaad, inventory, trust } from '../../providers/aws/aws-case.js';

const attacker = arn(A, 'user', 'attacker');

describe('aws-escalate-iam', () => {
  const techniques = [
    { action: 'iam:CreateAccessKey', id: 'iam-002', target: arn(A, 'user', 'victim') },
    { action: 'iam:CreateLoginProfile', id: 'iam-004', target: arn(A, 'user', 'victim') },
    { action: 'iam:UpdateLoginProfile', id: 'iam-006', target: arn(A, 'user', 'victim') },
    { action: 'iam:UpdateAssumeRolePolicy', id: 'iam-012', target: arn(A, 'role', 'victim-role') },
  ];
  const world = (policies: JsonObject[]) =>
    gaad(A, {
      users: [{ name: 'attacker', policies }, { name: 'victim' }, { name: 'bystander' }],
      roles: [{ name: 'victim-role', trust: trust({ Service: 'ec2.amazonaws.com' }) }, { name: 'AWSServiceRoleForX', path: '/aws-service-role/x.amazonaws.com/', trust: trust({ Service: 'x.amazonaws.com' }) }],
    });

  for (const t of techniques) {
    it(`${t.id} (${t.action}): granted, denied, excluded by resource, by NotAction, by a failing condition; conditional on MFA`, async () => {
      const yes = await awsCase([world([doc(allow(t.action, t.target))])]);
      const e = yes.edge(attacker, t.target, 'CAN_ESCALATE', t.id);
      expect(e?.props.actions).toEqual([t.action]);
      expect(e?.props.evidence?.[0]?.summary).toContain(`allows ${t.action} on ${t.target}`);
      // Resource names only the victim: the bystander is not reachable.
      expect(yes.edges('CAN_ESCALATE').filter((x) => x.src === attacker).map((x) => x.dst)).toEqual([t.target]);

      const denied = await awsCase([world([doc(allow('iam:*'), deny(t.action, t.target))])]);
      expect(denied.edge(attacker, t.target, 'CAN_ESCALATE', t.id)).toBeUndefined();
      const otherResource = await awsCase([world([doc(allow(t.action, arn(A, 'user', 'bystander')))])]);
      expect(otherResource.edge(attacker, t.target, 'CAN_ESCALATE', t.id)).toBeUndefined();
      const notAction = await awsCase([world([doc({ Effect: 'Allow', NotAction: [t.action, 'iam:Put*', 'iam:Attach*', 'iam:Create*Version', 'iam:SetDefault*'], Resource: '*' })])]);
      expect(notAction.edge(attacker, t.target, 'CAN_ESCALATE', t.id)).toBeUndefined();
      const wrongAccount = await awsCase([world([doc(allow(t.action, t.target, { StringEquals: { 'aws:PrincipalAccount': B } }))])]);
      expect(wrongAccount.edge(attacker, t.target, 'CAN_ESCALATE', t.id)).toBeUndefined();
      const mfa = await awsCase([world([doc(allow(t.action, t.target, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }))])]);
      expect(mfa.edge(attacker, t.target, 'CAN_ESCALATE', t.id)?.props.conditional).toContain('Bool aws:MultiFactorAuthPresent "true"');
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

  it('iam-003: iam:CreateAccessKey onto a user that already has two keys also needs iam:DeleteAccessKey', async () => {
    const victim = arn(A, 'user', 'victim');
    const keys = { nodes: ['AKIAEXAMPLEKEY000001', 'AKIAEXAMPLEKEY000002'].map((k) => ({ id: `aws:key:${k}`, kind: 'aws_access_key' as const, name: k, props: { ownerId: victim, userName: 'victim', status: 'Active' } })), edges: [], warnings: [] };
    const without = await awsCase([world([doc(allow('iam:CreateAccessKey', victim))])], [keys]);
    expect(without.edges('CAN_ESCALATE').filter((e) => e.src === attacker && e.dst === victim)).toEqual([]);
    const withDelete = await awsCase([world([doc(allow(['iam:CreateAccessKey', 'iam:DeleteAccessKey'], victim))])], [keys]);
    expect(withDelete.edge(attacker, victim, 'CAN_ESCALATE', 'iam-003')?.props.actions).toEqual(['iam:DeleteAccessKey', 'iam:CreateAccessKey']);
    expect(withDelete.edge(attacker, victim, 'CAN_ESCALATE', 'iam-002')).toBeUndefined();
    // One key: a new one needs no deletion.
    const oneKey = await awsCase([world([doc(allow(['iam:CreateAccessKey', 'iam:DeleteAccessKey'], victim))])], [{ ...keys, nodes: keys.nodes.slice(0, 1) }]);
    expect(oneKey.edge(attacker, victim, 'CAN_ESCALATE', 'iam-002')).toBeDefined();
    expect(oneKey.edge(attacker, victim, 'CAN_ESCALATE', 'iam-003')).toBeUndefined();
  });

  it('iam:AddUserToGroup onto a group that is not admin: an edge to the group; not into groups of another account', async () => {
    const c = await awsCase([
      gaad(A, { users: [{ name: 'attacker', policies: [doc(allow('iam:AddUserToGroup', 'arn:aws:iam::*:group/*'))], groups: ['mine'] }], groups: [{ name: 'ops', policies: [doc(allow('ssm:*'))] }, { name: 'mine' }] }),
      gaad(B, { groups: [{ name: 'far' }], users: [{ name: 'someone' }] }),
    ]);
    expect(c.edges('CAN_ESCALATE').filter((e) => e.src === attacker).map((e) => `${e.dst} ${String(e.props.technique)}`)).toEqual([`${arn(A, 'group', 'ops')} iam-013`]);
  });

  it('a known console password rules out CreateLoginProfile; an unknown one keeps UpdateLoginProfile conditional', async () => {
    const c = await awsCase([world([doc(allow(['iam:CreateLoginProfile', 'iam:UpdateLoginProfile'], arn(A, 'user', 'victim')))])], [
      { nodes: [{ id: `aws:password:${arn(A, 'user', 'victim')}`, kind: 'aws_password', name: 'victim console password', props: { active: true } }], edges: [], warnings: [] },
    ]);
    expect(c.edge(attacker, arn(A, 'user', 'victim'), 'CAN_ESCALATE', 'iam-004')).toBeUndefined();
    expect(c.edge(attacker, arn(A, 'user', 'victim'), 'CAN_ESCALATE', 'iam-006')?.conditional).toBe(false);
    const d = await awsCase([world([doc(allow(['iam:UpdateLoginProfile'], arn(A, 'user', 'victim')))])]);
    expect(d.edge(attacker, arn(A, 'user', 'victim'), 'CAN_ESCALATE', 'iam-006')?.props.conditional).toMatch(/has a console password/);
  });
});

const RESOURCE_ARN: Partial<Record<NodeKind, string>> = {
  aws_lambda: `arn:aws:lambda:eu-west-1:${A}:function:victim-fn`,
  aws_instance: `arn:aws:ec2:eu-west-1:${A}:instance/i-0123456789abcdef0`,
  aws_cfn_stack: `arn:aws:cloudformation:eu-west-1:${A}:stack/victim-stack/4a1b2c3d-0000-0000-0000-000000000000`,
  aws_codebuild_project: `arn:aws:codebuild:eu-west-1:${A}:project/victim-project`,
  aws_sagemaker_notebook: `arn:aws:sagemaker:eu-west-1:${A}:notebook-instance/victim-notebook`,
  aws_ecs_task_definition: `arn:aws:ecs:eu-west-1:${A}:task-definition/victim-task:3`,
  aws_glue_dev_endpoint: `arn:aws:glue:eu-west-1:${A}:devEndpoint/victim-endpoint`,
};

describe('AWS service techniques (one rule file per family)', () => {
  const target = arn(A, 'role', 'target');
  const other = arn(A, 'role', 'other');
  for (const t of ALL_SERVICE_TECHNIQUES) {
    it(`${t.id}: positive and negatives`, async () => {
      const serviceRole = (name: string, service: string, profile: boolean) => ({ name, trust: trust({ Service: service }), profile, attached: ['arn:aws:iam::aws:policy/AdministratorAccess'] });
      const pass = (cond?: JsonObject) => (t.passRole ? [allow('iam:PassRole', target, cond ?? { StringEquals: { 'iam:PassedToService': t.service } })] : []);
      const run = (statements: JsonObject[], role = serviceRole('target', t.service, true), extra: GraphFragment[] = []) =>
        awsCase([gaad(A, { users: [{ name: 'attacker', policies: [doc(...statements)] }], roles: [role, serviceRole('other', t.service, true)] })], extra);

      const yes = await run([...pass(), allow(t.actions)]);
      const e = yes.edge(attacker, target, 'CAN_ESCALATE', t.id);
      expect(e, t.id).toBeDefined();
      expect(e?.props.reason).toContain(`trusts ${t.service}`);
      expect(e?.props.actions).toEqual([...(t.passRole ? ['iam:PassRole'] : []), ...t.actions]);
      const conditional = Boolean(t.requires || t.existing);
      expect(Boolean(e?.props.conditional), t.id).toBe(conditional);
      if (t.requires) expect(e?.props.conditional).toContain(t.requires);
      if (t.existing) expect(e?.props.conditional).toContain(`requires an existing ${t.existing.what}`);

      // One action missing.
      const missing = await run([...pass(), ...(t.actions.length > 1 ? [allow(t.actions.slice(1))] : [])]);
      expect(missing.edge(attacker, target, 'CAN_ESCALATE', t.id)).toBeUndefined();
      // Explicit deny of the service call.
      const denied = await run([...pass(), allow(t.actions), deny(t.actions[0]!)]);
      expect(denied.edge(attacker, target, 'CAN_ESCALATE', t.id)).toBeUndefined();
      // The role does not trust the service.
      const wrongTrust = await run([...pass(), allow(t.actions)], serviceRole('target', 'nothing.amazonaws.com', true));
      expect(wrongTrust.edge(attacker, target, 'CAN_ESCALATE', t.id)).toBeUndefined();
      if (t.passRole) {
        // PassRole limited to another service, or to other roles, or excluded by NotAction.
        const otherService = await run([...pass({ StringEquals: { 'iam:PassedToService': 'other.amazonaws.com' } }), allow(t.actions)]);
        expect(otherService.edge(attacker, target, 'CAN_ESCALATE', t.id)).toBeUndefined();
        const otherRole = await run([allow('iam:PassRole', other), allow(t.actions)]);
        expect(otherRole.edge(attacker, target, 'CAN_ESCALATE', t.id)).toBeUndefined();
        expect(otherRole.edge(attacker, other, 'CAN_ESCALATE', t.id)).toBeDefined();
        const notAction = await run([{ Effect: 'Allow', NotAction: 'iam:PassRole', Resource: '*' }, deny(['iam:Put*', 'iam:Attach*', 'iam:Create*', 'iam:Update*', 'iam:Add*', 'iam:Set*', 'sts:*'])]);
        expect(notAction.edge(attacker, target, 'CAN_ESCALATE', t.id)).toBeUndefined();
      }
      if (t.instanceProfile) {
        const noProfile = await run([...pass(), allow(t.actions)], serviceRole('target', t.service, false));
        expect(noProfile.edge(attacker, target, 'CAN_ESCALATE', t.id)).toBeUndefined();
      }
      const kind = t.existing?.kind;
      if (t.existing && kind) {
        const resource = RESOURCE_ARN[kind]!;
        const runsWith = kind === 'aws_instance' ? arn(A, 'instance-profile', t.existing.tied ? 'target' : 'other') : t.existing.tied ? target : other;
        // With the inventory: definite for the resource that exists (only the requirement no export shows remains) …
        const inv = await run([...pass(), allow(t.actions)], undefined, [inventory(kind, resource, runsWith)]);
        const definite = inv.edge(attacker, target, 'CAN_ESCALATE', t.id);
        expect(definite, `${t.id} with inventory`).toBeDefined();
        expect(definite?.props.conditional ?? undefined).toBe(t.requires ? `requires ${t.requires}` : undefined);
        expect(definite?.props.evidence?.some((x) => x.type === 'inventory-record' && x.location === resource)).toBe(true);
        // … and, for a resource running with its role, none to a role no resource uses.
        if (t.existing.tied) expect(inv.edge(attacker, other, 'CAN_ESCALATE', t.id)).toBeUndefined();
        // An inventory with no such resource at all: no edge.
        const empty = await run([...pass(), allow(t.actions)], undefined, [{ ...inventory(kind, resource, undefined), nodes: inventory(kind, resource, undefined).nodes.slice(1) }]);
        expect(empty.edge(attacker, target, 'CAN_ESCALATE', t.id)).toBeUndefined();
        // A grant naming another resource of the kind does not cover the inventoried one.
        if (t.existing.onResource.length) {
          const elsewhere = resource.replace(/victim/, 'elsewhere').replace('i-0123456789abcdef0', 'i-0fedcba9876543210');
          const narrow = await run([...pass(), allow(t.actions.filter((a) => !t.existing!.onResource.includes(a))), allow(t.existing.onResource, elsewhere)].filter((s) => (s['Action'] as string[]).length > 0), undefined, [inventory(kind, resource, runsWith)]);
          expect(narrow.edge(attacker, target, 'CAN_ESCALATE', t.id)).toBeUndefined();
        }
      }
    });
  }

  it('a grant naming one resource (no inventory) keeps a conditional edge that names it; no grant on such resources, no edge', async () => {
    const fn = `arn:aws:lambda:eu-west-1:${A}:function:billing`;
    const roles = [{ name: 'target', trust: trust({ Service: 'lambda.amazonaws.com' }) }];
    const named = await awsCase([gaad(A, { users: [{ name: 'attacker', policies: [doc(allow(['lambda:UpdateFunctionCode', 'lambda:InvokeFunction'], fn))] }], roles })]);
    const e = named.edge(attacker, arn(A, 'role', 'target'), 'CAN_ESCALATE', 'lambda-004');
    expect(e?.props.conditional).toBe(`requires an existing Lambda function ${fn} running with role target (no Lambda function inventory of account ${A} in the case)`);
    expect(e?.props.resource).toBe(fn);
    const none = await awsCase([gaad(A, { users: [{ name: 'attacker', policies: [doc(allow(['lambda:UpdateFunctionCode', 'lambda:InvokeFunction'], `arn:aws:s3:::not-a-function`))] }], roles })]);
    expect(none.edges('CAN_ESCALATE').filter((x) => x.src === attacker)).toEqual([]);
  });

  it('an undecidable PassRole condition keeps the edge, conditional with its text', async () => {
    const target = arn(A, 'role', 'target');
    const c = await awsCase([gaad(A, { users: [{ name: 'attacker', policies: [doc(allow('iam:PassRole', target, { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }), allow(['lambda:CreateFunction', 'lambda:InvokeFunction']))] }], roles: [{ name: 'target', trust: trust({ Service: 'lambda.amazonaws.com' }) }] })]);
    const e = c.edge(attacker, target, 'CAN_ESCALATE', 'lambda-001');
    expect(e?.props.conditional).toBe('IpAddress aws:SourceIp "203.0.113.0/24"');
  });

  it('cross-account code update: allowed by the function policy of the other account, conditional without it', async () => {
    const fn = `arn:aws:lambda:eu-west-1:${B}:function:prod-fn`;
    const caller = arn(A, 'role', 'dev-updater');
    const prodRole = arn(B, 'role', 'prod-exec');
    const docs = [
      gaad(A, { roles: [{ name: 'dev-updater', trust: trust({ AWS: A }), policies: [doc(allow(['lambda:UpdateFunctionCode', 'lambda:InvokeFunction'], `arn:aws:lambda:*:${B}:function:*`))] }] }),
      gaad(B, { roles: [{ name: 'prod-exec', trust: trust({ Service: 'lambda.amazonaws.com' }), attached: ['arn:aws:iam::aws:policy/AdministratorAccess'] }] }),
    ];
    const without = await awsCase(docs);
    expect(without.edge(caller, prodRole, 'CAN_ESCALATE', 'lambda-004')?.props.conditional).toMatch(/requires an existing Lambda function running with role prod-exec/);
    const policy = { Version: '2012-10-17', Statement: [{ Sid: 'AllowDevAccountUpdate', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: ['lambda:UpdateFunctionCode', 'lambda:InvokeFunction'], Resource: fn }] };
    const inv = inventory('aws_lambda', fn, prodRole, B);
    inv.nodes[0]!.props = { role: prodRole, resourcePolicy: policy };
    const allowed = await awsCase(docs, [inv]);
    const e = allowed.edge(caller, prodRole, 'CAN_ESCALATE', 'lambda-004');
    expect(e?.conditional).toBe(false);
    expect(e?.props.evidence?.map((x) => x.summary).join('\n')).toContain('Statement AllowDevAccountUpdate of the resource policy of prod-fn');
    inv.nodes[0]!.props = { role: prodRole, resourcePolicy: { ...policy, Statement: [{ ...policy.Statement[0]!, Principal: { AWS: `arn:aws:iam::${C}:root` } }] } };
    const refused = await awsCase(docs, [inv]);
    expect(refused.edge(caller, prodRole, 'CAN_ESCALATE', 'lambda-004')).toBeUndefined();
  });
});

const C = '777788889999';

describe('aws-escalate-iam-combo: make a principal admin, then become it (iam-014 … iam-021)', () => {
  const admin = `admin:aws:account:${A}`;
  const role = arn(A, 'role', 'target');
  const user = arn(A, 'user', 'target-user');
  const policy = arn(A, 'policy', 'target-policy');
  const cases = [
    { id: 'iam-014', modify: 'iam:AttachRolePolicy', on: role, become: 'sts:AssumeRole', trusted: true },
    { id: 'iam-015', modify: 'iam:AttachUserPolicy', on: user, become: 'iam:CreateAccessKey', trusted: false },
    { id: 'iam-016', modify: 'iam:CreatePolicyVersion', on: policy, become: 'sts:AssumeRole', trusted: true },
    { id: 'iam-017', modify: 'iam:PutRolePolicy', on: role, become: 'sts:AssumeRole', trusted: true },
    { id: 'iam-018', modify: 'iam:PutUserPolicy', on: user, become: 'iam:CreateAccessKey', trusted: false },
    { id: 'iam-019', modify: 'iam:AttachRolePolicy', on: role, become: 'iam:UpdateAssumeRolePolicy', trusted: false },
    { id: 'iam-020', modify: 'iam:CreatePolicyVersion', on: policy, become: 'iam:UpdateAssumeRolePolicy', trusted: false },
    { id: 'iam-021', modify: 'iam:PutRolePolicy', on: role, become: 'iam:UpdateAssumeRolePolicy', trusted: false },
  ];
  for (const t of cases) {
    it(`${t.id}: ${t.modify} + ${t.become}; neither alone; not past a boundary; not onto the wrong principal`, async () => {
      const becomeOn = t.become === 'iam:CreateAccessKey' ? user : role;
      const world = (statements: JsonObject[], boundary?: string) =>
        awsCase([
          gaad(A, {
            users: [{ name: 'attacker', policies: statements.length ? [doc(...statements)] : [] }, { name: 'target-user', policies: [doc(allow('s3:ListAllMyBuckets'))], attached: [policy], ...(boundary ? { boundary } : {}) }],
            roles: [{ name: 'target', trust: t.trusted ? trust({ AWS: `arn:aws:iam::${A}:root` }) : trust({ Service: 'ec2.amazonaws.com' }), attached: [policy], ...(boundary ? { boundary } : {}) }],
            policies: [{ name: 'target-policy', document: doc(allow('s3:ListAllMyBuckets')) }, { name: 'narrow', document: doc(allow('s3:*')) }],
          }),
        ]);
      const both = await world([allow(t.modify, t.on), allow(t.become, becomeOn)]);
      const e = both.edge(attacker, admin, 'ADMIN_OF', t.id);
      expect(e, t.id).toBeDefined();
      expect(e?.props.actions).toEqual([t.modify, t.become]);
      expect(e?.conditional).toBe(false);
      expect(e?.props.evidence?.map((x) => x.summary).join('\n')).toContain(`allows ${t.modify} on ${t.on}`);
      expect((await world([allow(t.modify, t.on)])).edges('ADMIN_OF').filter((x) => x.src === attacker)).toEqual([]);
      expect((await world([allow(t.become, becomeOn)])).edges('ADMIN_OF').filter((x) => x.src === attacker)).toEqual([]);
      // A boundary that does not allow everything keeps the target from becoming admin.
      expect((await world([allow(t.modify, t.on), allow(t.become, becomeOn)], arn(A, 'policy', 'narrow'))).edges('ADMIN_OF').filter((x) => x.src === attacker)).toEqual([]);
      // Modifying one principal and becoming another is nothing.
      const elsewhere = t.on === policy ? arn(A, 'policy', 'narrow') : t.on.replace('target', 'someone-else');
      expect((await world([allow(t.modify, elsewhere), allow(t.become, becomeOn)])).edges('ADMIN_OF').filter((x) => x.src === attacker)).toEqual([]);
    });
  }

  it('attaching only a read-only policy (iam:PolicyARN condition) is not admin', async () => {
    const c = await awsCase([
      gaad(A, {
        users: [{ name: 'attacker', policies: [doc(allow('iam:AttachRolePolicy', role, { ArnEquals: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess' } }), allow('sts:AssumeRole', role))] }],
        roles: [{ name: 'target', trust: trust({ AWS: `arn:aws:iam::${A}:root` }) }],
      }),
    ]);
    expect(c.edges('ADMIN_OF').filter((x) => x.src === attacker)).toEqual([]);
  });
});
