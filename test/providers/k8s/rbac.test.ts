import { describe, expect, it } from 'vitest';
import { checkIrsaTrust } from '../../../src/providers/k8s/irsa.js';
import { isWildcardRule, ruleMatches, selectorMatches, type PolicyRule } from '../../../src/providers/k8s/rbac.js';
import { binding, k8sCase, role, sa, saSubject, yaml } from '../../analysis/edges/k8s-case.js';

const rule = (r: Partial<PolicyRule>): PolicyRule => ({ verbs: [], apiGroups: [''], resources: [], resourceNames: [], nonResourceURLs: [], raw: null, ...r });

describe('RBAC rule matching', () => {
  it('matches verbs, groups and resources exactly or by "*"', () => {
    expect(ruleMatches(rule({ verbs: ['get'], resources: ['secrets'] }), { verb: 'get', group: '', resource: 'secrets' })).toBe(true);
    expect(ruleMatches(rule({ verbs: ['*'], resources: ['secrets'] }), { verb: 'list', group: '', resource: 'secrets' })).toBe(true);
    expect(ruleMatches(rule({ verbs: ['get'], resources: ['secrets'] }), { verb: 'list', group: '', resource: 'secrets' })).toBe(false);
    expect(ruleMatches(rule({ verbs: ['get'], apiGroups: ['apps'], resources: ['secrets'] }), { verb: 'get', group: '', resource: 'secrets' })).toBe(false);
    expect(ruleMatches(rule({ verbs: ['get'], apiGroups: ['*'], resources: ['*'] }), { verb: 'get', group: 'apps', resource: 'deployments' })).toBe(true);
  });

  it('matches subresources as "resource/sub" or "*/sub"; "pods" and "pods/*" do not cover pods/exec', () => {
    const exec = { verb: 'create', group: '', resource: 'pods', subresource: 'exec' };
    expect(ruleMatches(rule({ verbs: ['create'], resources: ['pods/exec'] }), exec)).toBe(true);
    expect(ruleMatches(rule({ verbs: ['create'], resources: ['*/exec'] }), exec)).toBe(true);
    expect(ruleMatches(rule({ verbs: ['create'], resources: ['*'] }), exec)).toBe(true);
    expect(ruleMatches(rule({ verbs: ['create'], resources: ['pods'] }), exec)).toBe(false);
    expect(ruleMatches(rule({ verbs: ['create'], resources: ['pods/*'] }), exec)).toBe(false);
    expect(ruleMatches(rule({ verbs: ['create'], resources: ['pods/exec'] }), { verb: 'create', group: '', resource: 'pods' })).toBe(false);
  });

  it('ignores non-resource rules for resource requests, and knows full wildcards', () => {
    expect(ruleMatches(rule({ verbs: ['*'], resources: [], nonResourceURLs: ['*'] }), { verb: 'get', group: '', resource: 'secrets' })).toBe(false);
    expect(isWildcardRule(rule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }))).toBe(true);
    expect(isWildcardRule(rule({ verbs: ['*'], apiGroups: [''], resources: ['*'] }))).toBe(false);
  });

  it('evaluates label selectors', () => {
    const labels = { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true', tier: 'x' };
    expect(selectorMatches({ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['x', 'y'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['x'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'gone', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(selectorMatches({}, labels)).toBe(false);
  });

  it('fills an aggregated ClusterRole with the rules of the roles it selects, and says so in the evidence', async () => {
    const c = await k8sCase({
      'agg.yaml': yaml(
        sa('app', 'api'),
        `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: team-admin\naggregationRule:\n  clusterRoleSelectors:\n    - matchLabels:\n        example.com/aggregate-to-team-admin: "true"\nrules: []`,
        `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: team-admin-pods\n  labels:\n    example.com/aggregate-to-team-admin: "true"\nrules:\n  - apiGroups: [""]\n    resources: ["pods"]\n    verbs: ["create"]`,
        role('ClusterRole', 'unlabelled', undefined, [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]),
        binding('RoleBinding', 'team', 'app', { kind: 'ClusterRole', name: 'team-admin' }, [saSubject('ci', 'bot')]),
      ),
    });
    const [e] = c.edges('CAN_ESCALATE');
    expect(e).toMatchObject({ src: 'k8s:test/ci/serviceaccount/bot', dst: 'k8s:test/app/serviceaccount/api' });
    expect(e!.props.evidence?.[1]?.summary).toContain('ClusterRole team-admin-pods rule 1 (aggregated into ClusterRole team-admin)');
    expect(c.edges('CAN_READ_CREDENTIAL')).toEqual([]);
    c.store.close();
  });
});

describe('IRSA trust evaluation', () => {
  const provider = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC';
  const key = 'oidc.eks.eu-west-1.amazonaws.com/id/ABC';
  const trust = (st: object) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: provider }, Action: 'sts:AssumeRoleWithWebIdentity', ...st }] });
  const sub = 'system:serviceaccount:app:api';

  it('accepts a matching sub and aud, case-insensitively on the condition key', () => {
    expect(checkIrsaTrust(trust({ Condition: { StringEquals: { [`${key.toUpperCase()}:sub`]: sub, [`${key}:aud`]: 'sts.amazonaws.com' } } }), sub, 'sts.amazonaws.com')).toMatchObject({ outcome: 'allowed', wideSub: false, unresolved: [] });
  });

  it('refuses another sub, another audience, a Deny, or StringNotLike excluding it', () => {
    expect(checkIrsaTrust(trust({ Condition: { StringEquals: { [`${key}:sub`]: 'system:serviceaccount:app:other' } } }), sub, 'sts.amazonaws.com').outcome).toBe('refused');
    expect(checkIrsaTrust(trust({ Condition: { StringEquals: { [`${key}:aud`]: 'sts.amazonaws.com' } } }), sub, 'beta-sts.amazonaws.com').outcome).toBe('refused');
    expect(checkIrsaTrust(trust({ Condition: { StringNotLike: { [`${key}:sub`]: 'system:serviceaccount:app:*' } } }), sub, 'sts.amazonaws.com').outcome).toBe('refused');
    const deny = { Statement: [...(trust({}) as { Statement: object[] }).Statement, { Effect: 'Deny', Principal: { Federated: provider }, Action: 'sts:*', Condition: { StringLike: { [`${key}:sub`]: 'system:serviceaccount:app:*' } } }] };
    expect(checkIrsaTrust(deny, sub, 'sts.amazonaws.com').outcome).toBe('refused');
  });

  it('does not take a non-EKS provider without a sub condition (GitHub Actions) as trusting the account', () => {
    const github = { Statement: [{ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' }, Action: 'sts:AssumeRoleWithWebIdentity' }] };
    expect(checkIrsaTrust(github, sub, 'sts.amazonaws.com').outcome).toBe('refused');
  });

  it('flags a trust without a sub condition as wide, and leaves unknown conditions unresolved', () => {
    expect(checkIrsaTrust(trust({}), sub, 'sts.amazonaws.com')).toMatchObject({ outcome: 'allowed', wideSub: true });
    const v = checkIrsaTrust(trust({ Condition: { StringEquals: { [`${key}:sub`]: sub }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }), sub, 'sts.amazonaws.com');
    expect(v).toMatchObject({ outcome: 'allowed', unresolved: ['IpAddress aws:SourceIp "10.0.0.0/8"'] });
  });
});
