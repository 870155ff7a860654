import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsGaad, isoDate } from '../../src/importers/aws-gaad.js';
import { ImportError } from '../../src/importers/errors.js';
import { createInput, probeOf } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import type { GraphFragment, NodeFact } from '../../src/model/fragment.js';
import { FIXTURES, parseAll, REAL, ROOT } from '../helpers.js';

function parseFile(path: string, options = {}): Promise<GraphFragment> {
  return parseAll(awsGaad, createInput(path.split('/').pop()!, readFileSync(path)), options);
}
function parseText(text: string): Promise<GraphFragment> {
  return parseAll(awsGaad, createInput('gaad.json', Buffer.from(text)));
}
const byId = (f: GraphFragment) => new Map<string, NodeFact>(f.nodes.map((n) => [n.id, n]));

describe('aws-gaad importer', () => {
  it('is detected from the content of real exports', () => {
    for (const path of [join(FIXTURES, 'aws/cloudmapper-demo-gaad.json'), join(REAL, 'aws-gaad/cloudsplaining-test-authz-details.json'), join(ROOT, 'assets/demo/aws-prod-gaad.json')]) {
      expect(detectImporter(createInput('export.json', readFileSync(path))).format).toBe('aws-gaad');
    }
    expect(awsGaad.detect(probeOf(createInput('x.json', Buffer.from('{"graph": {"nodes": []}}'))))).toBe(0);
  });

  it('reads the CloudMapper demo account: its four roles, trust policies and the hand-edited "aws" ARNs', async () => {
    const f = await parseFile(join(FIXTURES, 'aws/cloudmapper-demo-gaad.json'));
    const nodes = byId(f);
    expect(nodes.get('aws:account:123456789012')?.kind).toBe('aws_account');
    expect(nodes.get('admin:aws:account:123456789012')?.name).toBe('Admin of AWS account 123456789012');
    const roles = f.nodes.filter((n) => n.kind === 'aws_role').map((n) => n.name).sort();
    expect(roles).toEqual(['bad_role', 'exfiller', 'level1', 'level3']);
    const level1 = nodes.get('arn:aws:iam::123456789012:role/service-role/level1')!;
    expect(level1.props?.['path']).toBe('/service-role/');
    expect(level1.props?.['trustPolicy']).toMatchObject({ Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] });
    // Users exported with account "aws" belong to the file's account.
    expect(nodes.get('arn:aws:iam::123456789012:user/USER')?.kind).toBe('aws_user');
    const managed = nodes.get('arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM')!;
    expect(managed.kind).toBe('aws_managed_policy');
    expect(managed.props?.['awsManaged']).toBe(true);
    expect(nodes.get('arn:aws:iam::123456789012:role/bad_role')?.props?.['attachedPolicies']).toEqual(['arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM']);
  });

  it('reads the cloudsplaining export: users, groups, instance profiles, managed policies with versions, MEMBER_OF', async () => {
    const f = await parseFile(join(REAL, 'aws-gaad/cloudsplaining-test-authz-details.json'));
    const nodes = byId(f);
    expect(f.nodes.filter((n) => n.kind === 'aws_user').map((n) => n.name).sort()).toEqual(['biden', 'obama', 'userwithlotsofpermissions']);
    expect(f.nodes.filter((n) => n.kind === 'aws_group')).toHaveLength(2);
    expect(f.nodes.filter((n) => n.kind === 'aws_managed_policy')).toHaveLength(32);
    expect(f.edges).toContainEqual(expect.objectContaining({ from: 'arn:aws:iam::012345678901:user/obama', to: 'arn:aws:iam::012345678901:group/admin', kind: 'MEMBER_OF' }));
    const ip = nodes.get('arn:aws:iam::012345678901:instance-profile/OverprivilegedEC2')!;
    expect(ip.kind).toBe('aws_instance_profile');
    expect(ip.props?.['roles']).toEqual(['arn:aws:iam::012345678901:role/OverprivilegedEC2']);
    expect(nodes.get('arn:aws:iam::012345678901:role/OverprivilegedEC2')?.props?.['instanceProfiles']).toEqual(['arn:aws:iam::012345678901:instance-profile/OverprivilegedEC2']);
    const insecure = nodes.get('arn:aws:iam::012345678901:policy/InsecurePolicy')!;
    expect(insecure.props).toMatchObject({ awsManaged: false, defaultVersionId: 'v9', document: { Statement: [{ Action: ['s3:PutObject', 's3:PutObjectAcl'] }] } });
    // 'YYYY-MM-DD HH:MM:SS+00:00' dates become ISO.
    expect((insecure.props?.['versions'] as { createdAt: string }[])[0]!.createdAt).toBe('2020-01-29T23:23:12Z');
  });

  it('reads the demo accounts: owner tags, RoleLastUsed, GitHub OIDC trust', async () => {
    const prod = byId(await parseFile(join(ROOT, 'assets/demo/aws-prod-gaad.json')));
    const deploy = prod.get('arn:aws:iam::222222222222:role/deploy-prod')!;
    expect(deploy.props).toMatchObject({ owner: 'platform-team', lastUsedAt: '2026-11-20T22:41:07Z', lastUsedRegion: 'eu-west-1', accountId: '222222222222' });
    expect(prod.get('arn:aws:iam::222222222222:role/gha-terraform')?.props?.['lastUsedAt']).toBeNull();
    const dev = await parseFile(join(ROOT, 'assets/demo/aws-dev-gaad.json'));
    const ci = byId(dev).get('arn:aws:iam::111111111111:user/ci-deployer')!;
    expect(ci.props).toMatchObject({ owner: 'platform', groups: ['ci-bots'], userId: 'AIDAQDEMOCIDEPLOYER01' });
    expect(ci.handles).toEqual(expect.arrayContaining(['ci-deployer', 'AIDAQDEMOCIDEPLOYER01']));
    const policy = byId(dev).get('arn:aws:iam::111111111111:policy/ci-deploy-to-prod')!;
    expect((policy.props?.['versions'] as unknown[]).length).toBe(2);
    expect(policy.props?.['document']).toMatchObject({ Statement: [{ Sid: 'AssumeProdDeploy' }, { Sid: 'ArtifactBucket' }] });
  });

  it('decodes URL-encoded policy documents (the Query API form) and tolerates missing lists', async () => {
    const trust = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }));
    const inline = encodeURIComponent(JSON.stringify({ Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*' } }));
    const f = await parseText(JSON.stringify({
      RoleDetailList: [{ RoleName: 'r', Arn: 'arn:aws:iam::123456789012:role/r', AssumeRolePolicyDocument: trust, RolePolicyList: [{ PolicyName: 'p', PolicyDocument: inline }], CreateDate: '2019-01-01T00:00:00.123Z' }],
    }));
    const role = byId(f).get('arn:aws:iam::123456789012:role/r')!;
    expect(role.props?.['trustPolicy']).toMatchObject({ Statement: [{ Principal: { Service: 'ec2.amazonaws.com' } }] });
    expect(role.props?.['inlinePolicies']).toEqual([{ name: 'p', document: { Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*' } } }]);
    expect(role.props?.['createdAt']).toBe('2019-01-01T00:00:00.123Z');
    expect(role.props?.['attachedPolicies']).toEqual([]);
  });

  it('warns about trust policies naming a deleted principal by its unique id', async () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ['AROAJ2EXAMPLE4DELETED', 'arn:aws:iam::123456789012:root'] }, Action: 'sts:AssumeRole' }] };
    const f = await parseText(JSON.stringify({ RoleDetailList: [{ RoleName: 'r', Arn: 'arn:aws:iam::123456789012:role/r', AssumeRolePolicyDocument: trust }] }));
    expect(f.warnings).toEqual([{ message: 'the trust policy of role r names AROAJ2EXAMPLE4DELETED, the unique id of a deleted principal: it matches nobody until rewritten', location: '$.RoleDetailList[0].AssumeRolePolicyDocument' }]);
  });

  it('an export cut to one kind (--filter Role): one warning for the attached policies it lacks, with the count, the first names and why', async () => {
    // A real account's roles attach dozens of AWS managed policies; --filter Role leaves out the Policies list, and
    // each one was a line of its own.
    const full = JSON.parse(readFileSync(join(FIXTURES, 'aws/gaad-tools-and-prod-admin-routes.json'), 'utf8')) as { RoleDetailList: Record<string, unknown>[] };
    const services = Array.from({ length: 58 }, (_, i) => ({ PolicyName: `Service${i}ReadOnly`, PolicyArn: `arn:aws:iam::aws:policy/Service${i}ReadOnly` }));
    // The tools account's two roles (the file holds two accounts).
    const roles = full.RoleDetailList.slice(0, 2).map((r, i) => (i === 1 ? { ...r, AttachedManagedPolicies: [...(r['AttachedManagedPolicies'] as unknown[]), ...services] } : r));
    const f = await parseText(JSON.stringify({ RoleDetailList: roles, IsTruncated: false }, null, 4));
    expect(f.warnings).toEqual([
      {
        message:
          '60 attached managed policies are not in the file (AdministratorAccess, ReadOnlyAccess, Service0ReadOnly, Service1ReadOnly, Service2ReadOnly and 55 more): the file has no Policies list: it was exported with --filter without LocalManagedPolicy and AWSManagedPolicy (aws iam get-account-authorization-details --filter Role, for one); their permissions are not evaluated (AdministratorAccess is known by name and counted as * on *). Export again without --filter (or with LocalManagedPolicy and AWSManagedPolicy in it) to have them',
        location: '$.RoleDetailList[0].AttachedManagedPolicies[0]',
      },
    ]);
    // --filter Role LocalManagedPolicy: the customer managed policies are there, the AWS managed ones are not.
    const local = { Arn: 'arn:aws:iam::333333333333:policy/ci-extra', PolicyName: 'ci-extra', DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: { Version: '2012-10-17', Statement: [] } }] };
    const g = await parseText(JSON.stringify({ RoleDetailList: roles, Policies: [local] }));
    expect(g.warnings).toHaveLength(1);
    expect(g.warnings[0]!.message).toMatch(/^60 attached managed policies are not in the file \(.*\): its Policies list holds no AWS managed policy: it was exported with --filter LocalManagedPolicy, without AWSManagedPolicy; /);
  });

  it('warns once about an attached policy the export does not describe', async () => {
    const user = (n: string) => ({ UserName: n, Arn: `arn:aws:iam::123456789012:user/${n}`, AttachedManagedPolicies: [{ PolicyName: 'Gone', PolicyArn: 'arn:aws:iam::123456789012:policy/Gone' }] });
    const f = await parseText(JSON.stringify({ UserDetailList: [user('a'), user('b')], Policies: [] }));
    expect(f.warnings).toEqual([{ message: "policy arn:aws:iam::123456789012:policy/Gone is attached but not in the export's Policies list: its permissions are not evaluated", location: '$.UserDetailList[0].AttachedManagedPolicies[0]' }]);
  });

  it('places the warnings of roles, groups and policies', async () => {
    const f = await parseText(
      JSON.stringify({
        GroupDetailList: [{ GroupName: 'g', Arn: 'arn:aws:iam::123456789012:group/g', AttachedManagedPolicies: [{ PolicyName: 'GoneG', PolicyArn: 'arn:aws:iam::123456789012:policy/GoneG' }] }],
        RoleDetailList: [{ RoleName: 'r', Arn: 'arn:aws:iam::123456789012:role/r', AttachedManagedPolicies: [{ PolicyName: 'GoneR', PolicyArn: 'arn:aws:iam::123456789012:policy/GoneR' }] }],
        Policies: [{ PolicyName: 'p', Arn: 'arn:aws:iam::123456789012:policy/p', PolicyVersionList: [{ Document: { Statement: [] }, VersionId: 'v1', IsDefaultVersion: false }] }],
      }),
    );
    expect(f.warnings.map((w) => w.location)).toEqual(['$.Policies[0]', '$.GroupDetailList[0].AttachedManagedPolicies[0]', '$.RoleDetailList[0].AttachedManagedPolicies[0]']);
  });

  it('parses dates in the shapes exports use', () => {
    expect(isoDate('2019-01-01T00:00:00Z')).toBe('2019-01-01T00:00:00Z');
    expect(isoDate('2018-10-19T21:45:27+00:00')).toBe('2018-10-19T21:45:27Z');
    expect(isoDate('2020-01-29 23:23:12+00:00')).toBe('2020-01-29T23:23:12Z');
    expect(isoDate('2020-01-29T23:23:12')).toBe('2020-01-29T23:23:12Z');
    expect(isoDate('2020-01-29T23:23:12+02:00')).toBe('2020-01-29T21:23:12Z');
    expect(isoDate('yesterday')).toBeUndefined();
  });

  it('reads several pages concatenated in one file and warns when the last page is truncated', async () => {
    const page1 = { UserDetailList: [{ UserName: 'a', Arn: 'arn:aws:iam::123456789012:user/a', GroupList: ['g'] }], IsTruncated: true, Marker: 'abc' };
    const page2 = { GroupDetailList: [{ GroupName: 'g', Arn: 'arn:aws:iam::123456789012:group/ops/g' }], IsTruncated: true, Marker: 'def' };
    const f = await parseText(`${JSON.stringify(page1, null, 2)}\n${JSON.stringify(page2, null, 2)}\n`);
    expect(f.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(['arn:aws:iam::123456789012:user/a', 'arn:aws:iam::123456789012:group/ops/g']));
    // The group's ARN (with its path) comes from the other page.
    expect(f.edges).toEqual([expect.objectContaining({ from: 'arn:aws:iam::123456789012:user/a', to: 'arn:aws:iam::123456789012:group/ops/g' })]);
    expect(f.warnings).toEqual([expect.objectContaining({ location: 'page 2 $.IsTruncated' })]);
  });

  it('reports bad input with its JSON path', async () => {
    const bad = async (text: string) => {
      try {
        await parseText(text);
      } catch (err) {
        return err as ImportError;
      }
      throw new Error('no error');
    };
    expect((await bad('{"RoleDetailList": [], "UserDetailList": {}, "Policies": [{"Arn": "arn:aws:iam::123456789012:policy/p", "PolicyName": "p"}]}')).location).toBe('$.UserDetailList');
    expect((await bad('{"UserDetailList": [{"Arn": "arn:aws:iam::123456789012:user/a"}]}')).location).toBe('$.UserDetailList[0].UserName');
    const e = await bad('{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::123456789012:role/r", "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": "%7Bnot"}]}]}');
    expect(e.location).toBe('$.RoleDetailList[0].RolePolicyList[0].PolicyDocument');
    // Places spelled out only on error still name the entity, its list and the item.
    expect((await bad('{"GroupDetailList": [{"Arn": "arn:aws:iam::123456789012:group/g"}]}')).location).toBe('$.GroupDetailList[0].GroupName');
    expect((await bad('{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::123456789012:role/r", "AttachedManagedPolicies": [{"PolicyName": "p"}]}]}')).location).toBe('$.RoleDetailList[0].AttachedManagedPolicies[0].PolicyArn');
    expect((await bad('{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::123456789012:role/r", "InstanceProfileList": [{"Roles": []}]}]}')).location).toBe('$.RoleDetailList[0].InstanceProfileList[0].Arn');
    expect((await bad('{"Policies": [{"PolicyName": "p", "Arn": "arn:aws:iam::123456789012:policy/p", "PolicyVersionList": [{"Document": "%7Bnot", "IsDefaultVersion": true}]}]}')).location).toBe('$.Policies[0].PolicyVersionList[0].Document');
    expect((await bad('{"Policies": [{"PolicyName": "p", "Arn": "arn:aws:iam::123456789012:policy/p", "PolicyVersionList": {}}]}')).location).toBe('$.Policies[0].PolicyVersionList');
    expect((await bad('[1, 2]')).location).toBe('$');
    expect((await bad('{"UserDetailList": []}')).detail).toMatch(/--account/);
  });
});
