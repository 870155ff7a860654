import { describe, expect, it } from 'vitest';
import { ids } from '../../../src/model/ids.js';
import { A, allow, arn, awsCase, deny, doc, gaad, trust } from '../../providers/aws/aws-case.js';

const GH = 'token.actions.githubusercontent.com';
const provider = `arn:aws:iam::${A}:oidc-provider/${GH}`;
const ghTrust = (condition?: object) => trust({ Federated: provider }, 'sts:AssumeRoleWithWebIdentity', condition as never);

describe('aws-federated-trust', () => {
  it('GitHub Actions subjects: exact branch, environment, org-wide wildcard, missing sub condition', async () => {
    const c = await awsCase([
      gaad(A, {
        roles: [
          { name: 'main', trust: ghTrust({ StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com', [`${GH}:sub`]: 'repo:acme/app:ref:refs/heads/main' } }) },
          { name: 'env', trust: ghTrust({ StringEquals: { [`${GH}:sub`]: 'repo:acme/app:environment:prod' } }) },
          { name: 'org', trust: ghTrust({ StringLike: { [`${GH}:sub`]: 'repo:acme/*' } }) },
          { name: 'nosub', trust: ghTrust({ StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' } }) },
        ],
      }),
    ]);
    const main = ids.federatedSubject(GH, 'repo:acme/app:ref:refs/heads/main');
    expect(c.store.node(main)?.props).toMatchObject({ issuer: GH, wildcard: false, repository: 'acme/app', ref: 'refs/heads/main' });
    const e = c.edge(main, arn(A, 'role', 'main'), 'CAN_ASSUME');
    expect(e?.props).toMatchObject({ technique: 'sts:AssumeRoleWithWebIdentity', wildcard: false });
    expect(e?.conditional).toBe(false);
    expect(c.store.node(ids.federatedSubject(GH, 'repo:acme/app:environment:prod'))?.props).toMatchObject({ environment: 'prod' });

    const org = c.edge(ids.federatedSubject(GH, 'repo:acme/*'), arn(A, 'role', 'org'), 'CAN_ASSUME');
    expect(org?.props.wildcard).toBe(true);
    expect(org?.props.reason).toContain('every repository matching acme/*');
    const nosub = c.edge(ids.federatedSubject(GH, '*'), arn(A, 'role', 'nosub'), 'CAN_ASSUME');
    expect(nosub?.props.reason).toContain('any workflow of any GitHub repository (there is no sub condition)');
    expect(c.store.node(provider)?.kind).toBe('aws_identity_provider');
    expect(c.edge(arn(A, 'role', 'main'), provider, 'TRUSTS')).toBeDefined();
  });

  it('denies in the trust policy: an exact subject is decided, a pattern is narrowed, other conditions make the edge conditional', async () => {
    const allowSub = (op: string, sub: string) => ({ Effect: 'Allow', Principal: { Federated: provider }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { [op]: { [`${GH}:sub`]: sub } } });
    const denyLegacy = { Effect: 'Deny', Principal: { Federated: provider }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { [`${GH}:sub`]: 'repo:acme/legacy:*' } } };
    const c = await awsCase([
      gaad(A, {
        roles: [
          { name: 'org', trust: doc(allowSub('StringLike', 'repo:acme/*'), denyLegacy) },
          { name: 'legacy', trust: doc(allowSub('StringEquals', 'repo:acme/legacy:ref:refs/heads/main'), denyLegacy) },
          { name: 'app', trust: doc(allowSub('StringEquals', 'repo:acme/app:ref:refs/heads/main'), denyLegacy) },
          // NotPrincipal naming only an IAM role: every federated token is denied.
          { name: 'closed', trust: doc(allowSub('StringEquals', 'repo:acme/app:ref:refs/heads/main'), { Effect: 'Deny', NotPrincipal: { AWS: arn(A, 'role', 'admin') }, Action: 'sts:*' }) },
          { name: 'from-office', trust: doc(allowSub('StringEquals', 'repo:acme/app:ref:refs/heads/main'), { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRoleWithWebIdentity', Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }) },
        ],
      }),
    ]);
    const subject = (s: string) => ids.federatedSubject(GH, s);
    const org = c.edge(subject('repo:acme/*'), arn(A, 'role', 'org'), 'CAN_ASSUME');
    expect(org?.conditional).toBe(false);
    expect(org?.props.reason).toContain('The trust policy denies some of them: StringLike token.actions.githubusercontent.com:sub "repo:acme/legacy:*"');
    expect(org?.props.evidence?.map((e) => e.location)).toEqual([`${arn(A, 'role', 'org')} AssumeRolePolicyDocument, Statement[0]`, `${arn(A, 'role', 'org')} AssumeRolePolicyDocument, Statement[1]`]);
    expect(c.edge(subject('repo:acme/legacy:ref:refs/heads/main'), arn(A, 'role', 'legacy'), 'CAN_ASSUME')).toBeUndefined();
    const app = c.edge(subject('repo:acme/app:ref:refs/heads/main'), arn(A, 'role', 'app'), 'CAN_ASSUME');
    expect(app?.conditional).toBe(false);
    expect(app?.props.evidence).toHaveLength(1);
    expect(c.edge(subject('repo:acme/app:ref:refs/heads/main'), arn(A, 'role', 'closed'), 'CAN_ASSUME')).toBeUndefined();
    const office = c.edge(subject('repo:acme/app:ref:refs/heads/main'), arn(A, 'role', 'from-office'), 'CAN_ASSUME');
    expect(office?.conditional).toBe(true);
    expect(String(office?.props.conditional)).toContain('not denied by the trust policy (NotIpAddress aws:SourceIp "203.0.113.0/24")');
  });

  it('SAML providers and EKS service-account subjects', async () => {
    const saml = `arn:aws:iam::${A}:saml-provider/okta`;
    const eks = 'oidc.eks.eu-west-1.amazonaws.com/id/ABC';
    const c = await awsCase([
      gaad(A, {
        roles: [
          { name: 'sso', trust: trust({ Federated: saml }, 'sts:AssumeRoleWithSAML', { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } }) },
          { name: 'irsa', trust: trust({ Federated: `arn:aws:iam::${A}:oidc-provider/${eks}` }, 'sts:AssumeRoleWithWebIdentity', { StringEquals: { [`${eks}:sub`]: 'system:serviceaccount:pay:api' } }) },
        ],
      }),
    ]);
    expect(c.edge(ids.federatedSubject(saml, '*'), arn(A, 'role', 'sso'), 'CAN_ASSUME', 'sts:AssumeRoleWithSAML')?.props.wildcard).toBe(true);
    expect(c.edge(ids.federatedSubject(eks, 'system:serviceaccount:pay:api'), arn(A, 'role', 'irsa'), 'CAN_ASSUME')?.props.wildcard).toBe(false);
    expect(c.store.node(ids.federatedSubject(eks, 'system:serviceaccount:pay:api'))?.props).toMatchObject({ issuer: eks, namespace: 'pay', serviceAccount: 'api' });
  });
});

describe('aws-admin', () => {
  const admin = `admin:aws:account:${A}`;
  it('* on *, and the self-escalations that amount to it', async () => {
    const c = await awsCase([
      gaad(A, {
        users: [
          { name: 'star', attached: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
          { name: 'put-self', policies: [doc(allow('iam:PutUserPolicy', 'arn:aws:iam::*:user/${aws:username}'))] },
          { name: 'put-other', policies: [doc(allow('iam:PutUserPolicy', arn(A, 'user', 'star')))] },
          { name: 'attach-admin-only', policies: [doc(allow('iam:AttachUserPolicy', '*', { ArnEquals: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } }))] },
          { name: 'attach-readonly-only', policies: [doc(allow('iam:AttachUserPolicy', '*', { ArnEquals: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess' } }))] },
          { name: 'joiner', policies: [doc(allow('iam:AddUserToGroup', arn(A, 'group', 'admins')))] },
          { name: 'versioner', attached: [arn(A, 'policy', 'mine')] },
          { name: 'bounded', boundary: arn(A, 'policy', 'boundary'), policies: [doc(allow('iam:PutUserPolicy'))] },
          { name: 'mfa-admin', policies: [doc(allow('*', '*', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }))] },
          { name: 'denied-admin', attached: ['arn:aws:iam::aws:policy/AdministratorAccess'], policies: [doc(deny('iam:*'))] },
        ],
        groups: [{ name: 'admins', attached: ['arn:aws:iam::aws:policy/AdministratorAccess'] }],
        roles: [{ name: 'put-role-self', trust: trust({ Service: 'ec2.amazonaws.com' }), policies: [doc(allow('iam:PutRolePolicy', arn(A, 'role', 'put-role-self')))] }],
        policies: [
          { name: 'mine', document: doc(allow('iam:CreatePolicyVersion', arn(A, 'policy', 'mine'))) },
          { name: 'boundary', document: doc(allow('iam:*'), allow('s3:*')) },
        ],
      }),
    ]);
    const tech = (name: string, kind: 'user' | 'role' = 'user') => c.edges('ADMIN_OF').filter((e) => e.src === arn(A, kind, name) && e.dst === admin).map((e) => e.props.technique);
    expect(tech('star')).toEqual(['*:*']);
    expect(tech('put-self')).toEqual(['iam-007']);
    expect(tech('put-other')).toEqual([]);
    expect(tech('attach-admin-only')).toEqual(['iam-008']);
    expect(tech('attach-readonly-only')).toEqual([]);
    expect(tech('joiner')).toEqual(['iam-013']);
    expect(tech('versioner')).toEqual(['iam-001']);
    // The boundary does not allow everything and the user cannot remove it.
    expect(tech('bounded')).toEqual([]);
    expect(tech('put-role-self', 'role')).toEqual(['iam-005']);
    expect(tech('denied-admin')).toEqual([]);
    const mfa = c.edge(arn(A, 'user', 'mfa-admin'), admin, 'ADMIN_OF');
    expect(mfa?.props.conditional).toContain('aws:MultiFactorAuthPresent');
    expect(c.edge(arn(A, 'user', 'star'), admin, 'ADMIN_OF')?.props.evidence?.[0]?.location).toBe('arn:aws:iam::aws:policy/AdministratorAccess, Statement[0]');
  });

  it('SetDefaultPolicyVersion onto an older version that allows everything', async () => {
    const c = await awsCase([gaad(A, { users: [{ name: 'u', attached: [arn(A, 'policy', 'p')] }], policies: [{ name: 'p', document: doc(allow('iam:SetDefaultPolicyVersion', arn(A, 'policy', 'p'))), older: [doc(allow('*'))] }] })]);
    expect(c.edge(arn(A, 'user', 'u'), `admin:aws:account:${A}`, 'ADMIN_OF', 'iam:SetDefaultPolicyVersion')?.props.reason).toContain('version v1 of policy p');
  });
});
