import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsCloudFormationIam } from '../../src/importers/aws-cloudformation-iam.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import type { JsonObject } from '../../src/model/fragment.js';
import { FIXTURES, REAL } from '../helpers.js';
import { byId, failedImport, files, importPaths, newCase, nodeByRef, parseFile, parseText } from './aws-helpers.js';

const GHA = join(FIXTURES, 'aws', 'aws-cfn-github-actions-oidc-provider-and-role.yml');
const SCENARIO = join(FIXTURES, 'aws', 'cfn-iam-scenario.yaml');
const ACCT = { account: '222222222222' };
type Doc = { Statement: JsonObject[] };

describe('AWS CloudFormation IAM importer', () => {
  it('reads the official GitHub Actions OIDC template: the provider, and a role trusting it for repo:… subjects', async () => {
    const f = await parseFile(awsCloudFormationIam, GHA, ACCT);
    const nodes = byId(f);
    const provider = nodes.get('arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com');
    expect(provider).toMatchObject({ kind: 'aws_identity_provider', boundary: 'aws:account:222222222222' });
    expect(provider?.props).toMatchObject({ url: 'https://token.actions.githubusercontent.com', thumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'] });
    expect((provider?.props?.['clientIdList'] as string[])[0]).toBe('sts.amazonaws.com');
    const role = f.nodes.find((n) => n.kind === 'aws_role')!;
    // RoleName is a parameter without a default: the ARN keeps it as text, the display name is the logical id.
    expect(role).toMatchObject({ id: 'arn:aws:iam::222222222222:role/${RoleName}', name: 'RoleGithubActions' });
    const trust = role.props?.['trustPolicy'] as Doc;
    expect(trust.Statement).toHaveLength(1);
    // UseExistingProvider defaults to "no": CreateProvider holds, so !If picks !Ref IdpGitHubOidc, the provider's ARN.
    expect(trust.Statement[0]).toEqual({
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: 'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com' },
      Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:${GitHubOrganization}/*:ref:refs/heads/*' } },
    });
    expect(role.props).toMatchObject({ attachedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'], inlinePolicies: [], path: '/', cfnUnresolved: ['GitHubOrganization', 'RoleName'] });
    expect(f.warnings).toEqual([{ message: 'kept as text, unknown offline: ${GitHubOrganization}, ${RoleName}' }]);
  });

  it('keeps AWS::AccountId as text without --account, and says how to fill it', async () => {
    const f = await parseFile(awsCloudFormationIam, GHA);
    expect(f.nodes.map((n) => n.id)).toContain('arn:aws:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com');
    expect(f.warnings[0]?.message).toMatch(/\$\{AWS::AccountId\}.*pass --account/);
    expect(f.nodes.every((n) => n.boundary === undefined)).toBe(true);
  });

  it('resolves parameters, mappings, conditions and intrinsics; attaches policies and groups', async () => {
    const f = await parseFile(awsCloudFormationIam, SCENARIO, ACCT);
    const nodes = byId(f);
    const build = nodes.get('arn:aws:iam::222222222222:role/ci/prod-build')!;
    expect(build.props).toMatchObject({
      roleName: 'prod-build', path: '/ci/', maxSessionDuration: 7200, permissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess',
      tags: { owner: 'platform-team', tier: 'critical' }, owner: 'platform-team',
      trustPolicy: { Statement: [{ Principal: { Service: 'codebuild.amazonaws.com' } }] },
    });
    const inline = build.props?.['inlinePolicies'] as { name: string; document: Doc }[];
    expect(inline.map((p) => p.name)).toEqual(['read-data', 'audit-read']);
    expect(inline[0]!.document.Statement).toEqual([
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::nw-prod-customer-data/*' },
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::222222222222:role/RuntimeRole' },
    ]);
    const runtime = nodes.get('arn:aws:iam::222222222222:role/RuntimeRole')!;
    expect(runtime.props).toMatchObject({ nameGenerated: true, attachedPolicies: ['arn:aws:iam::222222222222:policy/nw-deploy'], instanceProfiles: ['arn:aws:iam::222222222222:instance-profile/RuntimeProfile'] });
    expect(nodes.get('arn:aws:iam::222222222222:instance-profile/RuntimeProfile')?.props?.['roles']).toEqual([runtime.id]);
    expect(nodes.get('arn:aws:iam::222222222222:policy/nw-deploy')).toMatchObject({ kind: 'aws_managed_policy', props: { policyName: 'nw-deploy', awsManaged: false, document: { Statement: [{ Action: 'lambda:*' }] } } });
    expect(nodes.get('arn:aws:iam::222222222222:group/deployers')?.props?.['attachedPolicies']).toEqual(['arn:aws:iam::222222222222:policy/nw-deploy']);
    // The user, its group membership and its console password (never its value).
    expect(nodes.get('arn:aws:iam::222222222222:user/release-bot')?.props).toMatchObject({ userName: 'release-bot', groups: ['deployers'] });
    expect(f.edges).toContainEqual(expect.objectContaining({ from: 'arn:aws:iam::222222222222:user/release-bot', to: 'arn:aws:iam::222222222222:group/deployers', kind: 'MEMBER_OF' }));
    expect(f.edges).toContainEqual(expect.objectContaining({ from: 'aws:password:arn:aws:iam::222222222222:user/release-bot', kind: 'AUTHENTICATES_AS' }));
    expect(JSON.stringify(f)).not.toContain('resolve:secretsmanager');
    // A user the template does not create gets the inline policy as a stub.
    expect(nodes.get('arn:aws:iam::222222222222:user/existing-auditor')).toMatchObject({ stub: true, props: { inlinePolicies: [{ name: 'audit-read' }] } });
    // CreateLegacyUser defaults to "false": the conditional user is not created.
    expect(nodes.has('arn:aws:iam::222222222222:user/legacy')).toBe(false);
    expect(f.nodes.filter((n) => n.kind.startsWith('aws_') && !['aws_account'].includes(n.kind)).map((n) => n.kind).sort()).toEqual([
      'aws_group', 'aws_instance_profile', 'aws_managed_policy', 'aws_password', 'aws_role', 'aws_role', 'aws_user', 'aws_user',
    ]);
  });

  it('reads JSON templates the same as YAML', async () => {
    const yaml = await parseFile(awsCloudFormationIam, GHA, ACCT);
    const json = JSON.stringify({
      AWSTemplateFormatVersion: '2010-09-09',
      Parameters: { RoleName: { Type: 'String' }, GitHubOrganization: { Type: 'String' }, RepositoryName: { Type: 'String', Default: '*' }, BranchName: { Type: 'String', Default: '*' }, UseExistingProvider: { Type: 'String', Default: 'no' } },
      Conditions: { CreateProvider: { 'Fn::Equals': ['no', { Ref: 'UseExistingProvider' }] } },
      Resources: {
        IdpGitHubOidc: { Type: 'AWS::IAM::OIDCProvider', Condition: 'CreateProvider', Properties: { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com', { 'Fn::Sub': 'https://github.com/${GitHubOrganization}/${RepositoryName}' }], ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'], Tags: [{ Key: 'Name', Value: { 'Fn::Sub': '${RoleName}-OIDC-Provider' } }] } },
        RoleGithubActions: { Type: 'AWS::IAM::Role', Properties: { RoleName: { Ref: 'RoleName' }, AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: { 'Fn::If': ['CreateProvider', { Ref: 'IdpGitHubOidc' }, { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com' }] } }, Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': { 'Fn::Sub': 'repo:${GitHubOrganization}/${RepositoryName}:ref:refs/heads/${BranchName}' } } } }] }, ManagedPolicyArns: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess' }] } },
      },
    });
    const fromJson = await parseText(awsCloudFormationIam, 'template.json', json, ACCT);
    expect(fromJson.nodes).toEqual(yaml.nodes);
    expect(detectImporter(createInput('template.json', Buffer.from(json))).format).toBe('aws-cloudformation-iam');
    expect(detectImporter(createInput('t.yml', readFileSync(GHA))).format).toBe('aws-cloudformation-iam');
  });

  it('reads list parameters as lists', async () => {
    const text = 'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Extra:\n    Type: CommaDelimitedList\n    Default: "arn:aws:iam::aws:policy/ReadOnlyAccess, arn:aws:iam::aws:policy/AWSLambda_FullAccess"\n' +
      'Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: r\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}\n      ManagedPolicyArns: !Ref Extra\n';
    const f = await parseText(awsCloudFormationIam, 't.yaml', text, ACCT);
    expect(f.nodes.find((n) => n.kind === 'aws_role')?.props?.['attachedPolicies']).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/AWSLambda_FullAccess']);
  });

  it('accepts policy documents written as JSON strings', async () => {
    const trust = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' }] });
    const json = JSON.stringify({ Resources: { R: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'x', AssumeRolePolicyDocument: trust, Policies: [{ PolicyName: 'p', PolicyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }] } } } });
    const role = (await parseText(awsCloudFormationIam, 't.json', json, ACCT)).nodes.find((n) => n.kind === 'aws_role');
    expect(role?.props).toMatchObject({ trustPolicy: { Statement: [{ Principal: { AWS: 'arn:aws:iam::111111111111:root' } }] }, inlinePolicies: [{ name: 'p', document: { Statement: [{ Action: '*' }] } }] });
  });

  it('does not claim other JSON that mentions IAM resource types', () => {
    const lookupEvents = JSON.stringify({ Events: [{ EventName: 'CreateRole', Resources: [{ ResourceType: 'AWS::IAM::Role', ResourceName: 'x' }] }] });
    expect(awsCloudFormationIam.detect({ fileName: 'e.json', head: lookupEvents, looksJson: true })).toBe(0);
  });

  it('imports the real template through the engine, and finds the role by its logical id', async () => {
    const engine = newCase();
    await importPaths(engine, [join(REAL, 'gha-oidc', 'aws-cfn-github-actions-oidc-provider-and-role.yml'), SCENARIO], ACCT);
    const role = await nodeByRef(engine, 'RoleGithubActions');
    expect(role.node.kind).toBe('aws_role');
    expect(JSON.stringify(role.props['trustPolicy'])).toContain('token.actions.githubusercontent.com:sub');
    const bot = await nodeByRef(engine, 'release-bot');
    expect(bot.out.filter((o) => !o.edge.derived).map((o) => [o.edge.kind, o.other.id])).toEqual([['MEMBER_OF', 'arn:aws:iam::222222222222:group/deployers']]);
    engine.close();
  });

  it.each([
    ['Resources:\n  A:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: [unclosed\n', /not valid YAML/, /^line \d+, column \d+$/],
    ['AWSTemplateFormatVersion: "2010-09-09"\nParameters: {}\n', /no "Resources"/, /^\$\.Resources$/],
    ['AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: r\n', /no AssumeRolePolicyDocument/, /^\$\.Resources\.R\.Properties\.AssumeRolePolicyDocument$/],
    ['AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n      Policies: [{PolicyName: p}]\n', /expected \{PolicyName, PolicyDocument\}/, /^\$\.Resources\.R\.Properties\.Policies\[0\]$/],
  ])('rejects a bad template: %s', async (text, message, location) => {
    const engine = newCase();
    const err = await failedImport(engine, files({ 'template.yaml': text }), { format: 'aws-cloudformation-iam' });
    expect(err.message).toMatch(message);
    expect(err.message).toContain('template.yaml');
    expect(err.location).toMatch(location);
    engine.close();
  });
  it("takes a real JSON template for a template, not for the CLI outputs that share its IAM keys", async () => {
    // AWS's sample Lambda template: a role with RoleName and a function whose Role is a GetAtt; aws-iam-cli
    // matched it too ("PolicyName"/"RoleName"), and the import stopped on the tie.
    const path = join(FIXTURES, 'aws', 'cfn-awslabs-lambda-sample.json');
    expect(detectImporter(createInput('LambdaSample.json', readFileSync(path))).format).toBe('aws-cloudformation-iam');
    const engine = newCase();
    await importPaths(engine, [path], ACCT);
    const role = await nodeByRef(engine, 'arn:aws:iam::222222222222:role/lambda-role');
    expect(role.props).toMatchObject({ attachedPolicies: expect.arrayContaining(['arn:aws:iam::aws:policy/AmazonS3FullAccess']), trustPolicy: { Statement: [{ Principal: { Service: ['lambda.amazonaws.com'] } }] } });
    engine.close();
    // A Greengrass function definition lists "Functions" with "FunctionArn", as list-functions does.
    const greengrass = JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: { Def: { Type: 'AWS::Greengrass::FunctionDefinition', Properties: { InitialVersion: { Functions: [{ FunctionArn: 'arn:aws:lambda:us-east-1:222222222222:function:f:1', Id: 'f' }] } } }, R: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [] } } } } });
    expect(detectImporter(createInput('gg.json', Buffer.from(greengrass))).format).toBe('aws-cloudformation-iam');
  });

  it('reads get-template output: TemplateBody as an object (JSON template) or as YAML text', async () => {
    const template = JSON.parse(readFileSync(join(FIXTURES, 'aws', 'cfn-awslabs-lambda-sample.json'), 'utf8')) as JsonObject;
    const direct = await parseText(awsCloudFormationIam, 't.json', JSON.stringify(template), ACCT);
    const wrapped = JSON.stringify({ TemplateBody: template, StagesAvailable: ['Original', 'Processed'] }, null, 4);
    expect(detectImporter(createInput('get-template.json', Buffer.from(wrapped))).format).toBe('aws-cloudformation-iam');
    expect((await parseText(awsCloudFormationIam, 'get-template.json', wrapped, ACCT)).nodes).toEqual(direct.nodes);
    const yaml = JSON.stringify({ TemplateBody: readFileSync(GHA, 'utf8'), StagesAvailable: ['Original', 'Processed'] });
    expect(detectImporter(createInput('get-template.json', Buffer.from(yaml))).format).toBe('aws-cloudformation-iam');
    expect((await parseText(awsCloudFormationIam, 'get-template.json', yaml, ACCT)).nodes).toEqual((await parseFile(awsCloudFormationIam, GHA, ACCT)).nodes);
    // A bad body is reported inside TemplateBody, with its line there.
    const bad = JSON.stringify({ TemplateBody: 'Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties: [a, b\n' });
    await expect(parseText(awsCloudFormationIam, 'gt.json', bad)).rejects.toMatchObject({ location: expect.stringMatching(/^\$\.TemplateBody \(line \d+, column \d+\)$/) });
  });

  it("skips a Rain module (a tag in place of the type) with a warning, and reads the template's other resources", async () => {
    const text = 'Resources:\n  Network:\n    Type: !Rain::Module ../modules/vpc.yml\n    Properties:\n      Name: x\n' +
      '  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: r\n      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}\n';
    const f = await parseText(awsCloudFormationIam, 'rain.yml', text, ACCT);
    expect(f.nodes.filter((n) => n.kind === 'aws_role').map((n) => n.id)).toEqual(['arn:aws:iam::222222222222:role/r']);
    expect(f.warnings).toContainEqual({ message: expect.stringContaining('Network has the type !Rain::Module'), location: '$.Resources.Network.Type' });
  });
  it("gives a SAM function without a Role the role SAM's transform writes (checked against SAM's own translator output)", async () => {
    const input = join(FIXTURES, 'aws', 'sam-translator-function-managed-inline-policy.yaml');
    // No AWSTemplateFormatVersion and no AWS::IAM resource: the transform says it is a template.
    expect(detectImporter(createInput('template.yaml', readFileSync(input))).format).toBe('aws-cloudformation-iam');
    const mine = (await parseFile(awsCloudFormationIam, input, ACCT)).nodes.find((n) => n.name === 'FunctionRole')!;
    const sam = (await parseFile(awsCloudFormationIam, join(FIXTURES, 'aws', 'sam-translator-function-managed-inline-policy.output.json'), ACCT)).nodes.find((n) => n.name === 'FunctionRole')!;
    expect(mine.id).toBe(sam.id);
    expect(mine.props?.['trustPolicy']).toEqual(sam.props?.['trustPolicy']);
    // Managed policy names become AWS managed policy ARNs (service-role/ where AWS keeps them), duplicates once.
    expect([...(mine.props?.['attachedPolicies'] as string[])].sort()).toEqual([...(sam.props?.['attachedPolicies'] as string[])].sort());
    expect(mine.props?.['inlinePolicies']).toEqual(sam.props?.['inlinePolicies']);
  });

  it("names SAM's policy templates it cannot expand, and still gives the function its role", async () => {
    const f = await parseFile(awsCloudFormationIam, join(FIXTURES, 'aws', 'sam-translator-function-with-policy-templates.yaml'), ACCT);
    expect(f.nodes.find((n) => n.name === 'OnePolicyTemplateRole')?.props).toMatchObject({ attachedPolicies: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'], inlinePolicies: [] });
    expect(f.warnings).toContainEqual({ message: expect.stringContaining('MultiplePolicyTemplates: SAM policy templates SQSPollerPolicy, LambdaInvokePolicy are not expanded'), location: '$.Resources.MultiplePolicyTemplates.Properties.Policies' });
    // A function with its own Role gets none from the transform.
    const own = 'Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Role: arn:aws:iam::222222222222:role/existing\n';
    expect((await parseText(awsCloudFormationIam, 't.yaml', own, ACCT)).nodes.filter((n) => n.kind === 'aws_role')).toEqual([]);
  });
});
