import { describe, expect, it } from 'vitest';
import { deriveContext } from '../../src/analysis/derive.js';
import { adminCredential } from '../../src/analysis/findings/admin-credential.js';
import { computeRoleAdmin } from '../../src/analysis/findings/compute-role-admin.js';
import { credentialOld } from '../../src/analysis/findings/credential-old.js';
import { credentialUnused } from '../../src/analysis/findings/credential-unused.js';
import { gcpKeyNoExpiry } from '../../src/analysis/findings/gcp-key-no-expiry.js';
import { identityNoOwner } from '../../src/analysis/findings/identity-no-owner.js';
import { holders } from '../../src/analysis/findings/common.js';
import { FINDING_RULES } from '../../src/analysis/findings/index.js';
import { k8sAnonymousAccess } from '../../src/analysis/findings/k8s-anonymous-access.js';
import { k8sSaClusterAdmin } from '../../src/analysis/findings/k8s-sa-cluster-admin.js';
import { leakedCredentialActive } from '../../src/analysis/findings/leaked-credential-active.js';
import { multipleActiveKeys } from '../../src/analysis/findings/multiple-active-keys.js';
import { oidcTrustNoSubject } from '../../src/analysis/findings/oidc-trust-no-subject.js';
import { segregationOfDuties } from '../../src/analysis/findings/segregation-of-duties.js';
import { trustBroad } from '../../src/analysis/findings/trust-broad.js';
import type { FindingRule } from '../../src/analysis/findings/types.js';
import type { Json } from '../../src/model/fragment.js';
import { scenario, type E, type N } from './scenario.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const ACCT = 'aws:account:111111111111';
const ADMIN = `admin:${ACCT}`;
const USER = 'arn:aws:iam::111111111111:user/ci';

function run(rule: FindingRule, nodes: N[], edges: E[] = []) {
  const s = scenario(nodes, edges);
  const { ctx } = deriveContext(s.store, NOW);
  const out = rule.run(ctx);
  s.store.close();
  return out;
}

const key = (id: string, props: Record<string, unknown>): N => ({ id: `aws:key:${id}`, kind: 'aws_access_key', name: id, props: props as N['props'] });
const user: N = { id: USER, kind: 'aws_user', name: 'ci', props: { owner: 'platform' } };

describe('finding rules', () => {
  it('are registered once each, with remediation text', () => {
    expect(new Set(FINDING_RULES.map((r) => r.id)).size).toBe(FINDING_RULES.length);
    for (const r of FINDING_RULES) expect(r.remediation.length, r.id).toBeGreaterThan(40);
  });

  it('credential-unused: never used, or idle 90 days; not recent use, not inactive, not unknown', () => {
    const out = run(credentialUnused, [
      key('NEVER', { active: true, createdAt: '2025-01-01T00:00:00Z', lastUsedAt: null }),
      key('NEWNEVER', { active: true, createdAt: '2026-05-25T00:00:00Z', lastUsedAt: null }),
      key('IDLE', { active: true, createdAt: '2025-01-01T00:00:00Z', lastUsedAt: '2026-01-15T00:00:00Z' }),
      key('RECENT', { active: true, createdAt: '2025-01-01T00:00:00Z', lastUsedAt: '2026-05-20T00:00:00Z' }),
      key('OFF', { active: false, createdAt: '2025-01-01T00:00:00Z', lastUsedAt: null }),
      key('UNKNOWN', { active: true, createdAt: '2025-01-01T00:00:00Z' }),
    ]);
    expect(out.map((f) => [f.nodeId, f.severity ?? credentialUnused.severity])).toEqual([
      ['aws:key:NEVER', 'medium'],
      ['aws:key:NEWNEVER', 'low'],
      ['aws:key:IDLE', 'medium'],
    ]);
    expect(out[2]!.title).toBe('Access key IDLE unused for 137 days');
  });

  it('credential-old: user-managed keys past 90 days since creation or rotation', () => {
    const out = run(credentialOld, [
      key('OLD', { active: true, createdAt: '2026-01-01T00:00:00Z' }),
      key('ROTATED', { active: true, createdAt: '2024-01-01T00:00:00Z', lastRotatedAt: '2026-05-01T00:00:00Z' }),
      key('YOUNG', { active: true, createdAt: '2026-04-01T00:00:00Z' }),
      { id: 'gcp:key:sys', kind: 'gcp_sa_key', name: 'sys', props: { active: true, createdAt: '2020-01-01T00:00:00Z', managedBy: 'system' } },
      key('OFF', { active: false, createdAt: '2020-01-01T00:00:00Z' }),
    ]);
    expect(out.map((f) => f.nodeId)).toEqual(['aws:key:OLD']);
    expect(out[0]!.title).toBe('Access key OLD is 151 days old');
  });

  it('multiple-active-keys: two active keys of one identity; one active and one inactive is fine', () => {
    const other = 'arn:aws:iam::111111111111:user/other';
    const out = run(
      multipleActiveKeys,
      [user, { id: other, kind: 'aws_user', name: 'other' }, key('A1', { active: true }), key('A2', { active: true }), key('B1', { active: true }), key('B2', { active: false })],
      [
        ['aws:key:A1', USER, 'AUTHENTICATES_AS'],
        // The same key stated twice (credential report and list-access-keys) is still one key.
        ['aws:key:A1', USER, 'AUTHENTICATES_AS'],
        ['aws:key:A2', USER, 'AUTHENTICATES_AS'],
        ['aws:key:B1', other, 'AUTHENTICATES_AS'],
        ['aws:key:B2', other, 'AUTHENTICATES_AS'],
      ],
    );
    expect(out.map((f) => [f.nodeId, f.title, f.summary])).toEqual([[USER, 'IAM user ci has 2 active keys', 'IAM user ci has 2 active keys: A1, A2.']]);
  });

  it('holders: the ends the context reads without whole edges are edgesOfKind\'s, in its order (emitted edges too)', () => {
    const other = 'arn:aws:iam::111111111111:user/other';
    const s = scenario(
      [user, { id: other, kind: 'aws_user', name: 'other' }, key('A1', { active: true }), key('A2', { active: true })],
      [
        ['aws:key:A2', other, 'AUTHENTICATES_AS', { reason: 'second' }],
        ['aws:key:A1', USER, 'AUTHENTICATES_AS'],
        ['aws:key:A2', USER, 'AUTHENTICATES_AS'],
        ['aws:key:A1', USER, 'MEMBER_OF'],
      ],
    );
    const { ctx } = deriveContext(s.store, NOW);
    ctx.emitEdge({ from: 'aws:key:A1', to: other, kind: 'AUTHENTICATES_AS', props: { reason: 'emitted' } });
    const whole = [...ctx.edgesOfKind('AUTHENTICATES_AS')].map((e) => [e.src, e.dst]);
    expect(whole).toEqual([
      ['aws:key:A2', other],
      ['aws:key:A1', USER],
      ['aws:key:A2', USER],
      ['aws:key:A1', other],
    ]);
    expect([...ctx.edgeEndsOfKind!('AUTHENTICATES_AS')]).toEqual(whole);
    // Holders read through the ends, or through whole edges where a context has no ends to give: the same lists.
    const { ctx: fresh } = deriveContext(s.store, NOW);
    fresh.emitEdge({ from: 'aws:key:A1', to: other, kind: 'AUTHENTICATES_AS', props: { reason: 'emitted' } });
    const { edgeEndsOfKind: _ends, ...plain } = fresh;
    expect(holders(fresh, 'aws:key:A1')).toEqual([USER, other]);
    expect(holders({ ...plain, memo: (_k, f) => f() }, 'aws:key:A1')).toEqual([USER, other]);
    expect(holders(fresh, 'aws:key:A2')).toEqual([other, USER]);
    s.store.close();
  });

  it('admin-credential: keys of admins, including through a group; not of others', () => {
    const group = 'arn:aws:iam::111111111111:group/admins';
    const plain = 'arn:aws:iam::111111111111:user/plain';
    const out = run(
      adminCredential,
      [user, { id: plain, kind: 'aws_user', name: 'plain' }, { id: group, kind: 'aws_group', name: 'admins' }, { id: ADMIN, kind: 'admin', name: 'Admin of AWS account 111111111111' }, key('ADM', { active: true }), key('PLAIN', { active: true })],
      [
        ['aws:key:ADM', USER, 'AUTHENTICATES_AS'],
        ['aws:key:PLAIN', plain, 'AUTHENTICATES_AS'],
        [USER, group, 'MEMBER_OF'],
        [group, ADMIN, 'ADMIN_OF', { reason: 'AdministratorAccess attached', evidence: [{ type: 'policy', summary: 'AdministratorAccess attached to group admins' }] }],
      ],
    );
    expect(out.map((f) => f.nodeId)).toEqual(['aws:key:ADM']);
    expect(out[0]!.evidence.map((e) => e.summary)).toContain('AdministratorAccess attached to group admins');
  });

  it('leaked-credential-active: exposed and not revoked; a deactivated one is not reported', () => {
    const leak = (id: string): N => ({ id, kind: 'leak', name: id, props: { scanner: 'gitleaks', rule: 'aws-access-token', repository: 'acme/app', file: '.env', line: 3, fingerprint: 'f' } });
    const out = run(leakedCredentialActive, [leak('leak:1'), leak('leak:2'), key('LIVE', { active: true }), key('DEAD', { active: false })], [
      ['leak:1', 'aws:key:LIVE', 'EXPOSES'],
      ['leak:2', 'aws:key:DEAD', 'EXPOSES'],
    ]);
    expect(out.map((f) => f.nodeId)).toEqual(['aws:key:LIVE']);
    expect(out[0]!.summary).toContain('acme/app:.env:3');
  });

  it('identity-no-owner: no owner field or owner-like tag; service-linked roles and default SAs skipped', () => {
    const out = run(identityNoOwner, [
      { id: 'r/tagged', kind: 'aws_role', name: 'tagged', props: { tags: { Team: 'payments' } } },
      { id: 'r/owned', kind: 'aws_role', name: 'owned', props: { owner: 'alice' } },
      { id: 'r/orphan', kind: 'aws_role', name: 'orphan', props: { tags: { env: 'prod' } } },
      { id: 'r/slr', kind: 'aws_role', name: 'AWSServiceRoleForECS', props: { path: '/aws-service-role/ecs.amazonaws.com/' } },
      { id: 'k8s:c/ns/ServiceAccount/default', kind: 'k8s_service_account', name: 'default' },
      { id: 'k8s:c/ns/ServiceAccount/app', kind: 'k8s_service_account', name: 'app' },
      // Bound to nothing and linked to nothing: a workload's account, not worth a finding of its own.
      { id: 'k8s:c/ns/ServiceAccount/idle', kind: 'k8s_service_account', name: 'idle' },
      { id: 'k8s:c/ns/ServiceAccount/irsa', kind: 'k8s_service_account', name: 'irsa', props: { awsRoleArn: 'arn:aws:iam::111111111111:role/x' } },
      { id: 'k8s:c/ns/Role/reader', kind: 'k8s_role', name: 'reader' },
      { id: 'r/stub', kind: 'aws_role', name: 'stub', stub: true },
    ], [['k8s:c/ns/ServiceAccount/app', 'k8s:c/ns/Role/reader', 'HAS_ROLE']]);
    expect(out.map((f) => f.nodeId)).toEqual(['r/orphan', 'k8s:c/ns/ServiceAccount/app', 'k8s:c/ns/ServiceAccount/irsa']);
  });

  it('trust-any-or-external: Principal "*" and accounts outside the case; same-account and in-case trust is fine', () => {
    const trust = (principal: Json, condition?: Json): Json => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }] });
    const out = run(trustBroad, [
      { id: ACCT, kind: 'aws_account', name: '111111111111' },
      { id: 'aws:account:333333333333', kind: 'aws_account', name: '333333333333' },
      { id: 'arn:aws:iam::111111111111:role/open', kind: 'aws_role', name: 'open', props: { trustPolicy: trust('*') } },
      { id: 'arn:aws:iam::111111111111:role/open-cond', kind: 'aws_role', name: 'open-cond', props: { trustPolicy: trust({ AWS: '*' }, { StringEquals: { 'aws:PrincipalOrgID': 'o-123' } }) } },
      { id: 'arn:aws:iam::111111111111:role/vendor', kind: 'aws_role', name: 'vendor', props: { trustPolicy: trust({ AWS: 'arn:aws:iam::999999999999:root' }) } },
      { id: 'arn:aws:iam::111111111111:role/inside', kind: 'aws_role', name: 'inside', props: { trustPolicy: trust({ AWS: ['arn:aws:iam::333333333333:role/ci', 'arn:aws:iam::111111111111:root'] }) } },
      { id: 'arn:aws:iam::111111111111:role/svc', kind: 'aws_role', name: 'svc', props: { trustPolicy: trust({ Service: 'lambda.amazonaws.com' }) } },
    ]);
    expect(out.map((f) => [f.nodeId, f.severity])).toEqual([
      ['arn:aws:iam::111111111111:role/open', 'critical'],
      ['arn:aws:iam::111111111111:role/open-cond', undefined],
      ['arn:aws:iam::111111111111:role/vendor', 'medium'],
    ]);
    expect(out[2]!.summary).toContain('999999999999');
  });

  it('oidc-trust-without-subject: web identity trust with only an audience condition, or a wildcard subject', () => {
    const gh = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';
    const trust = (condition: Json): Json => ({ Statement: [{ Effect: 'Allow', Principal: { Federated: gh }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }] });
    const subject = 'federated:token.actions.githubusercontent.com:repo:acme/*';
    const out = run(
      oidcTrustNoSubject,
      [
        { id: 'r/aud-only', kind: 'aws_role', name: 'aud-only', props: { trustPolicy: trust({ StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } }) } },
        { id: 'r/pinned', kind: 'aws_role', name: 'pinned', props: { trustPolicy: trust({ StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:environment:prod' } }) } },
        { id: 'r/wild', kind: 'aws_role', name: 'wild', props: { trustPolicy: trust({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' } }) } },
        { id: subject, kind: 'federated_subject', name: 'repo:acme/*', props: { issuer: 'token.actions.githubusercontent.com', subject: 'repo:acme/*', wildcard: true } },
      ],
      [[subject, 'r/wild', 'CAN_ASSUME']],
    );
    expect(out.map((f) => [f.nodeId, f.severity])).toEqual([
      ['r/aud-only', undefined],
      ['r/wild', 'medium'],
    ]);
  });

  it('compute-role-admin: admin roles a service can assume; not admin roles people assume, not plain service roles', () => {
    const svc = 'aws:service:ec2.amazonaws.com';
    const out = run(
      computeRoleAdmin,
      [
        { id: svc, kind: 'aws_service', name: 'ec2.amazonaws.com' },
        { id: ADMIN, kind: 'admin', name: 'Admin of AWS account 111111111111' },
        { id: 'r/ec2-admin', kind: 'aws_role', name: 'ec2-admin' },
        { id: 'r/human-admin', kind: 'aws_role', name: 'human-admin', props: { trustPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' }] } } },
        { id: 'r/lambda-admin', kind: 'aws_role', name: 'lambda-admin', props: { trustPolicy: { Statement: { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' } } } },
        { id: 'r/ec2-plain', kind: 'aws_role', name: 'ec2-plain' },
      ],
      [
        [svc, 'r/ec2-admin', 'CAN_ASSUME'],
        [svc, 'r/ec2-plain', 'CAN_ASSUME'],
        ['r/ec2-admin', ADMIN, 'ADMIN_OF'],
        ['r/human-admin', ADMIN, 'ADMIN_OF'],
        ['r/lambda-admin', ADMIN, 'ADMIN_OF'],
      ],
    );
    expect(out.map((f) => f.nodeId)).toEqual(['r/ec2-admin', 'r/lambda-admin']);
  });

  it('segregation-of-duties: IAM change plus production reads, deploy plus approve; separate identities are fine', () => {
    const prodBucket: N = { id: 'arn:aws:s3:::acme-prod-data', kind: 'aws_bucket', name: 'acme-prod-data' };
    const devBucket: N = { id: 'arn:aws:s3:::acme-dev-data', kind: 'aws_bucket', name: 'acme-dev-data', props: { tags: { env: 'dev' } } };
    const taggedProd: N = { id: 'arn:aws:s3:::ledger', kind: 'aws_bucket', name: 'ledger', props: { tags: { Environment: 'Production' } } };
    const pipeline: N = { id: 'arn:aws:codepipeline:eu-west-1:111111111111:release', kind: 'og_object', name: 'release' };
    const group = 'arn:aws:iam::111111111111:group/iam-editors';
    const roles: N[] = ['both', 'iam-only', 'dev-reader', 'releaser', 'tagged'].map((r) => ({ id: `r/${r}`, kind: 'aws_role', name: r }));
    const out = run(
      segregationOfDuties,
      [...roles, prodBucket, devBucket, taggedProd, pipeline, { id: group, kind: 'aws_group', name: 'iam-editors' }],
      [
        ['r/both', group, 'MEMBER_OF'],
        [group, 'r/iam-only', 'CAN_ESCALATE', { technique: 'iam:PutRolePolicy' }],
        ['r/both', prodBucket.id, 'CAN_ACCESS', { accessLevel: 'Read', actions: ['s3:GetObject'] }],
        ['r/iam-only', 'r/dev-reader', 'CAN_ESCALATE', { technique: 'iam:UpdateAssumeRolePolicy' }],
        ['r/dev-reader', 'r/iam-only', 'CAN_ESCALATE', { technique: 'sts:AssumeRole' }],
        ['r/dev-reader', devBucket.id, 'CAN_ACCESS', { accessLevel: 'Read', actions: ['s3:GetObject'] }],
        ['r/releaser', pipeline.id, 'CAN_ACCESS', { accessLevel: 'Write', actions: ['codepipeline:StartPipelineExecution', 'codepipeline:PutApprovalResult'] }],
        ['r/tagged', taggedProd.id, 'CAN_ACCESS', { accessLevel: 'Read', actions: ['s3:Get*'] }],
        ['r/tagged', 'r/dev-reader', 'CAN_ACCESS', { accessLevel: 'Permissions management', actions: ['iam:*'] }],
      ],
    );
    expect(out.map((f) => [f.nodeId, f.title])).toEqual([
      ['r/both', 'IAM role both can both change IAM and read production data'],
      ['r/releaser', 'IAM role releaser can both deploy and approve releases'],
      ['r/tagged', 'IAM role tagged can both change IAM and read production data'],
    ]);
  });

  it('segregation-of-duties: rights held through nested groups count, each once; a group is not itself reported', () => {
    const prod: N = { id: 'arn:aws:s3:::payments-prod', kind: 'aws_bucket', name: 'payments-prod' };
    const outer = 'arn:aws:iam::111111111111:group/outer';
    const inner = 'arn:aws:iam::111111111111:group/inner';
    const out = run(
      segregationOfDuties,
      [{ id: 'u/nested', kind: 'aws_user', name: 'nested' }, { id: outer, kind: 'aws_group', name: 'outer' }, { id: inner, kind: 'aws_group', name: 'inner' }, prod],
      [
        ['u/nested', inner, 'MEMBER_OF'],
        [inner, outer, 'MEMBER_OF'],
        // A membership cycle must not loop or count rights twice.
        [outer, inner, 'MEMBER_OF'],
        [outer, 'u/nested', 'CAN_ESCALATE', { technique: 'iam:CreateAccessKey' }],
        [inner, prod.id, 'CAN_ACCESS', { accessLevel: 'Read', actions: ['s3:GetObject'] }],
      ],
    );
    expect(out.map((f) => f.nodeId)).toEqual(['u/nested']);
    expect(out[0]!.evidence).toHaveLength(2);
  });

  it('k8s-sa-cluster-admin: a service account with ADMIN_OF, not one with namespaced rights', () => {
    const cluster = 'k8s:prod-eks';
    const out = run(
      k8sSaClusterAdmin,
      [
        { id: `admin:${cluster}`, kind: 'admin', name: 'cluster-admin of prod-eks' },
        { id: 'k8s:prod-eks/kube-system/ServiceAccount/ops', kind: 'k8s_service_account', name: 'ops' },
        { id: 'k8s:prod-eks/app/ServiceAccount/web', kind: 'k8s_service_account', name: 'web' },
        { id: 'k8s:prod-eks/app/Secret/db', kind: 'k8s_secret', name: 'db' },
      ],
      [
        ['k8s:prod-eks/kube-system/ServiceAccount/ops', `admin:${cluster}`, 'ADMIN_OF', { evidence: [{ type: 'binding', summary: 'ClusterRoleBinding ops-admin binds cluster-admin to kube-system/ops' }] }],
        ['k8s:prod-eks/app/ServiceAccount/web', 'k8s:prod-eks/app/Secret/db', 'CAN_ACCESS', { accessLevel: 'Read' }],
      ],
    );
    expect(out.map((f) => f.nodeId)).toEqual(['k8s:prod-eks/kube-system/ServiceAccount/ops']);
    expect(out[0]!.evidence[0]!.summary).toContain('ClusterRoleBinding ops-admin');
  });

  it('k8s-anonymous-access: rights of system:anonymous and system:unauthenticated, graded by what they reach', () => {
    const lab = 'k8s:lab';
    const node = (ns: string, kind: string, name: string, k: N['kind']): N => ({ id: `${lab}/${ns}/${kind}/${name}`, kind: k, name, boundary: lab });
    const anonymous = node('_', 'user', 'system:anonymous', 'k8s_user');
    const unauthenticated = node('_', 'group', 'system:unauthenticated', 'k8s_group');
    const authenticated = node('_', 'group', 'system:authenticated', 'k8s_group');
    const bob = node('_', 'user', 'bob', 'k8s_user');
    const token = node('ci', 'secret', 'builder-token', 'k8s_sa_token');
    const out = run(
      k8sAnonymousAccess,
      [{ id: lab, kind: 'k8s_cluster', name: 'lab' }, { id: `admin:${lab}`, kind: 'admin', name: 'cluster-admin of lab' }, anonymous, unauthenticated, authenticated, bob, token],
      [
        [anonymous.id, `admin:${lab}`, 'ADMIN_OF', { evidence: [{ type: 'k8s-binding', summary: 'ClusterRoleBinding anon-admin binds cluster-admin to system:anonymous' }] }],
        [unauthenticated.id, token.id, 'CAN_READ_CREDENTIAL', {}],
        // Everyone authenticated, or a named user: not anonymous.
        [authenticated.id, token.id, 'CAN_READ_CREDENTIAL', {}],
        [bob.id, `admin:${lab}`, 'ADMIN_OF', {}],
      ],
    );
    expect(out.map((f) => [f.nodeId, f.severity])).toEqual([
      [anonymous.id, 'critical'],
      [unauthenticated.id, 'high'],
    ]);
    expect(out[0]!.title).toBe('Anonymous requests to lab reach cluster-admin of lab');
    expect(out[0]!.evidence[0]!.summary).toContain('ClusterRoleBinding anon-admin');
    expect(out[1]!.summary).toContain('builder-token');
  });

  it('gcp-user-key-no-expiry: user-managed keys with expiresAt null only', () => {
    const k = (id: string, props: Record<string, unknown>): N => ({ id: `gcp:key:${id}`, kind: 'gcp_sa_key', name: id, props: props as N['props'] });
    const out = run(gcpKeyNoExpiry, [
      k('forever', { managedBy: 'user', expiresAt: null, active: true }),
      k('expiring', { managedBy: 'user', expiresAt: '2027-01-01T00:00:00Z', active: true }),
      k('system', { managedBy: 'system', expiresAt: null }),
      k('unknown', { managedBy: 'user' }),
      k('disabled', { managedBy: 'user', expiresAt: null, active: false }),
    ]);
    expect(out.map((f) => f.nodeId)).toEqual(['gcp:key:forever']);
  });
});
