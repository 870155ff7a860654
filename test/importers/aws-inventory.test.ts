import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsCloudFormationStacks } from '../../src/importers/aws-cloudformation-stacks.js';
import { awsCodebuild } from '../../src/importers/aws-codebuild.js';
import { awsEc2Instances } from '../../src/importers/aws-ec2-instances.js';
import { awsEcs } from '../../src/importers/aws-ecs.js';
import { awsGlue } from '../../src/importers/aws-glue.js';
import { awsLambda } from '../../src/importers/aws-lambda.js';
import { awsResourcePolicy } from '../../src/importers/aws-resource-policy.js';
import { awsSagemaker } from '../../src/importers/aws-sagemaker.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import type { GraphFragment } from '../../src/model/fragment.js';
import { FIXTURES } from '../helpers.js';
import { byId, failedImport, files, importPaths, newCase, nodeByRef, parseFile, parseText } from './aws-helpers.js';

const INV = join(FIXTURES, 'aws', 'inventory');
const fx = (name: string) => join(INV, name);
const usesRole = (f: GraphFragment) => f.edges.filter((e) => e.kind === 'USES_ROLE').map((e) => `${e.from} -> ${e.to}`);
const marker = (f: GraphFragment, account: string) => byId(f).get(`aws:account:${account}`)?.props;

describe('AWS resource inventories: detected from content', () => {
  const cases: [string, string][] = [
    ['lambda-list-functions.json', 'aws-lambda'],
    ['lambda-get-function.json', 'aws-lambda'],
    ['lambda-function-url-configs.json', 'aws-lambda'],
    ['lambda-get-policy.json', 'aws-resource-policy'],
    ['lambda-get-policy-object.json', 'aws-resource-policy'],
    ['cloudformation-describe-stacks.json', 'aws-cloudformation-stacks'],
    ['sagemaker-list-notebook-instances.json', 'aws-sagemaker-notebooks'],
    ['sagemaker-describe-notebook-instance.json', 'aws-sagemaker-notebooks'],
    ['ec2-describe-instances.json', 'aws-ec2-instances'],
    ['ec2-describe-iam-instance-profile-associations.json', 'aws-ec2-instances'],
    ['ecs-describe-task-definition.json', 'aws-ecs-task-definitions'],
    ['codebuild-batch-get-projects.json', 'aws-codebuild-projects'],
    ['glue-get-dev-endpoints.json', 'aws-glue-dev-endpoints'],
  ];
  for (const [name, format] of cases) {
    it(`${name} → ${format}`, () => {
      expect(detectImporter(createInput(name.replace(/^\w+-/, 'export-'), readFileSync(fx(name)))).format).toBe(format);
    });
  }
});

describe('aws-lambda', () => {
  it('list-functions: each function uses its execution role; the account is inventoried; environment values are dropped', async () => {
    const f = await parseFile(awsLambda, fx('lambda-list-functions.json'));
    expect(usesRole(f)).toEqual([
      'arn:aws:lambda:us-west-2:123456789012:function:helloworld -> arn:aws:iam::123456789012:role/service-role/MyTestFunction-role-zgur6bf4',
      'arn:aws:lambda:us-west-2:123456789012:function:my-function -> arn:aws:iam::123456789012:role/service-role/helloWorldPython-role-uy3l9qyq',
      'arn:aws:lambda:us-west-2:123456789012:function:my-python-function -> arn:aws:iam::123456789012:role/service-role/my-python-function-role-z5g7dr6n',
    ]);
    expect(byId(f).get('arn:aws:lambda:us-west-2:123456789012:function:helloworld')).toMatchObject({ kind: 'aws_lambda', name: 'helloworld', props: { runtime: 'nodejs22.x', region: 'us-west-2' } });
    expect(byId(f).get('arn:aws:iam::123456789012:role/service-role/MyTestFunction-role-zgur6bf4')).toMatchObject({ kind: 'aws_role', stub: true });
    expect(marker(f, '123456789012')).toMatchObject({ 'inventory.aws_lambda': true });

    const env = JSON.stringify({ Functions: [{ FunctionName: 'f', FunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:f:7', Role: 'arn:aws:iam::111122223333:role/r', Environment: { Variables: { DB_PASSWORD: 'hunter2-secret-value' } } }], NextMarker: 'abc' });
    const g = await parseText(awsLambda, 'fns.json', env);
    // The qualifier (:7) is dropped: one node per function.
    expect(byId(g).get('arn:aws:lambda:eu-west-1:111122223333:function:f')?.props).toMatchObject({ environmentVariableNames: ['DB_PASSWORD'] });
    expect(JSON.stringify(g)).not.toContain('hunter2-secret-value');
    expect(g.warnings.map((w) => w.message).join()).toContain('NextMarker');
  });

  it('get-function describes one function (not an inventory); an empty list needs --account to count', async () => {
    const f = await parseFile(awsLambda, fx('lambda-get-function.json'));
    expect(usesRole(f)).toEqual(['arn:aws:lambda:us-west-2:123456789012:function:my-function -> arn:aws:iam::123456789012:role/service-role/helloWorldPython-role-uy3l9qyq']);
    expect(marker(f, '123456789012')?.['inventory.aws_lambda']).toBeUndefined();
    const empty = await parseText(awsLambda, 'fns.json', '{"Functions": []}');
    expect(empty.warnings[0]?.message).toContain('pass --account');
    const withAccount = await parseText(awsLambda, 'fns.json', '{"Functions": []}', { account: '111122223333' });
    expect(marker(withAccount, '111122223333')).toMatchObject({ 'inventory.aws_lambda': true });
  });

  it('function URL configs record the auth type on the function', async () => {
    const f = await parseFile(awsLambda, fx('lambda-function-url-configs.json'));
    expect(byId(f).get('arn:aws:lambda:us-west-2:123456789012:function:my-function')?.props?.['functionUrl']).toMatchObject({ authType: 'NONE', url: 'https://a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6.lambda-url.us-west-2.on.aws/' });
  });

  it('refuses records that are not functions, naming the place', async () => {
    const e = await failedImport(newCase(), files({ 'fns.json': '{"Functions": [{"FunctionName": "x", "FunctionArn": "arn:aws:s3:::bucket"}]}' }));
    expect(e).toMatchObject({ code: 'bad-input', location: '$.Functions[0].FunctionArn' });
    const auth = await failedImport(newCase(), files({ 'url.json': '{"FunctionUrl": "https://x", "FunctionArn": "arn:aws:lambda:us-west-2:123456789012:function:f", "AuthType": "OPEN"}' }));
    expect(auth.message).toContain('AuthType');
  });

  it('get-policy names its function (string or object policy)', async () => {
    for (const name of ['lambda-get-policy.json', 'lambda-get-policy-object.json']) {
      const f = await parseFile(awsResourcePolicy, fx(name));
      const fn = byId(f).get(name === 'lambda-get-policy.json' ? 'arn:aws:lambda:us-west-2:123456789012:function:my-function' : 'arn:aws:lambda:us-west-2:123456789012:function:my-function');
      expect(fn).toMatchObject({ kind: 'aws_lambda', stub: true });
      expect((fn?.props?.['resourcePolicy'] as { Statement: unknown[] }).Statement).toHaveLength(1);
    }
  });
});

describe('aws-cloudformation-stacks, aws-sagemaker-notebooks, aws-codebuild-projects, aws-ecs-task-definitions, aws-glue-dev-endpoints', () => {
  it('describe-stacks: stacks with a service role use it; deleted stacks are skipped', async () => {
    const f = await parseFile(awsCloudFormationStacks, fx('cloudformation-describe-stacks.json'));
    expect(byId(f).get('arn:aws:cloudformation:us-east-1:123456789012:stack/myteststack/466df9e0-0dff-08e3-8e2f-5088487c4896')).toMatchObject({ kind: 'aws_cfn_stack', name: 'myteststack', props: { status: 'CREATE_COMPLETE', outputKeys: ['BucketName'] } });
    expect(usesRole(f)).toEqual([]);
    expect(marker(f, '123456789012')).toMatchObject({ 'inventory.aws_cfn_stack': true });
    const g = await parseText(awsCloudFormationStacks, 's.json', JSON.stringify({ Stacks: [
      { StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/app/1', StackName: 'app', StackStatus: 'UPDATE_COMPLETE', RoleARN: 'arn:aws:iam::111122223333:role/cfn-deployer', Parameters: [{ ParameterKey: 'DbPassword', ParameterValue: 'not-kept-value' }] },
      { StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/old/2', StackName: 'old', StackStatus: 'DELETE_COMPLETE', RoleARN: 'arn:aws:iam::111122223333:role/old' },
    ] }));
    expect(usesRole(g)).toEqual(['arn:aws:cloudformation:eu-west-1:111122223333:stack/app/1 -> arn:aws:iam::111122223333:role/cfn-deployer']);
    expect(JSON.stringify(g)).not.toContain('not-kept-value');
  });

  it('SageMaker: the list is the inventory (no roles); describe-notebook-instance gives the role', async () => {
    const list = await parseFile(awsSagemaker, fx('sagemaker-list-notebook-instances.json'));
    expect(list.nodes.filter((n) => n.kind === 'aws_sagemaker_notebook').map((n) => n.name)).toEqual(['data-science-lab', 'scratch']);
    expect(usesRole(list)).toEqual([]);
    expect(marker(list, '123456789012')).toMatchObject({ 'inventory.aws_sagemaker_notebook': true });
    const one = await parseFile(awsSagemaker, fx('sagemaker-describe-notebook-instance.json'));
    expect(usesRole(one)).toEqual(['arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/data-science-lab -> arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20250304T091200']);
    expect(byId(one).get('arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/data-science-lab')?.props).toMatchObject({ rootAccess: 'Enabled', lifecycleConfig: 'install-libs' });
    expect(marker(one, '123456789012')?.['inventory.aws_sagemaker_notebook']).toBeUndefined();
  });

  it('CodeBuild: projects use their service role; buildspecs and variable values are not kept; epoch dates read', async () => {
    const f = await parseFile(awsCodebuild, fx('codebuild-batch-get-projects.json'));
    expect(usesRole(f)).toEqual([
      'arn:aws:codebuild:us-west-2:123456789012:project/test-for-sample -> arn:aws:iam::123456789012:role/service-role/my-test-role',
      'arn:aws:codebuild:us-west-2:123456789012:project/Project2 -> arn:aws:iam::123456789012:role/service-role/codebuild-Project2-service-role',
    ]);
    const p = byId(f).get('arn:aws:codebuild:us-west-2:123456789012:project/test-for-sample');
    expect(p?.props).toMatchObject({ privilegedMode: true, createdAt: '2018-10-26T21:08:11.108Z' });
    expect(JSON.stringify(f)).not.toContain('phases:');
  });

  it('ECS: a task definition uses its task role (not the execution role); container environment values are dropped', async () => {
    const f = await parseFile(awsEcs, fx('ecs-describe-task-definition.json'));
    const td = byId(f).get('arn:aws:ecs:us-east-1:012345678910:task-definition/hello_world:8');
    expect(td).toMatchObject({ kind: 'aws_ecs_task_definition', name: 'hello_world:8' });
    expect(JSON.stringify(td?.props)).toContain('MYSQL_ROOT_PASSWORD');
    expect(JSON.stringify(f)).not.toContain('"password"');
    expect(usesRole(f)).toEqual([]);
    const g = await parseText(awsEcs, 'td.json', JSON.stringify([
      { taskDefinition: { taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/api:3', family: 'api', revision: 3, taskRoleArn: 'arn:aws:iam::111122223333:role/api-task', executionRoleArn: 'arn:aws:iam::111122223333:role/ecsTaskExecutionRole' } },
      { taskDefinition: { taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/worker:1', family: 'worker', revision: 1 } },
    ]));
    expect(usesRole(g)).toEqual(['arn:aws:ecs:eu-west-1:111122223333:task-definition/api:3 -> arn:aws:iam::111122223333:role/api-task']);
    expect(marker(g, '111122223333')).toMatchObject({ 'inventory.aws_ecs_task_definition': true });
  });

  it('Glue: endpoints get an ARN from the role\'s account and the zone\'s region; without a zone, region "*" and a warning; keys not kept', async () => {
    const f = await parseFile(awsGlue, fx('glue-get-dev-endpoints.json'));
    expect(usesRole(f)).toEqual([
      'arn:aws:glue:eu-west-1:123456789012:devEndpoint/etl-dev -> arn:aws:iam::123456789012:role/GlueDevEndpointRole',
      'arn:aws:glue:*:123456789012:devEndpoint/legacy-endpoint -> arn:aws:iam::123456789012:role/GlueLegacyRole',
    ]);
    expect(f.warnings.map((w) => w.location)).toEqual(['$.DevEndpoints[1].AvailabilityZone']);
    expect(JSON.stringify(f)).not.toContain('ssh-rsa');
    expect(byId(f).get('arn:aws:glue:*:123456789012:devEndpoint/legacy-endpoint')?.props).toMatchObject({ publicKeyCount: 1, createdAt: '2019-09-27T10:40:00.000Z' });
  });
});

describe('aws-ec2-instances', () => {
  it('describe-instances: the instance ARN from owner and zone, its profile used; terminated instances skipped', async () => {
    const f = await parseFile(awsEc2Instances, fx('ec2-describe-instances.json'));
    expect(usesRole(f)).toEqual(['arn:aws:ec2:us-east-2:111111111111:instance/i-1234567890abcdef0 -> arn:aws:iam::111111111111:instance-profile/AmazonSSMRoleForInstancesQuickSetup']);
    expect(byId(f).get('arn:aws:ec2:us-east-2:111111111111:instance/i-1234567890abcdef0')).toMatchObject({ name: 'my-instance (i-1234567890abcdef0)', props: { state: 'running', imdsTokens: 'optional' } });
    expect(f.aliases).toEqual([{ from: 'aws:ec2-instance:i-1234567890abcdef0', to: 'arn:aws:ec2:us-east-2:111111111111:instance/i-1234567890abcdef0' }]);
    const gone = await parseText(awsEc2Instances, 'i.json', JSON.stringify({ Reservations: [{ OwnerId: '111122223333', Instances: [{ InstanceId: 'i-0aaaaaaaaaaaaaaaa', State: { Name: 'terminated' }, IamInstanceProfile: { Arn: 'arn:aws:iam::111122223333:instance-profile/x' } }] }] }));
    expect(gone.nodes.filter((n) => n.kind === 'aws_instance')).toEqual([]);
    expect(marker(gone, '111122223333')).toMatchObject({ 'inventory.aws_instance': true });
  });

  it('associations and describe-instances merge into one instance, whichever comes first', async () => {
    const engine = newCase();
    const assoc = JSON.stringify({ IamInstanceProfileAssociations: [{ InstanceId: 'i-09eb09efa73ec1dee', State: 'associated', AssociationId: 'iip-assoc-1', IamInstanceProfile: { Id: 'AIPA1', Arn: 'arn:aws:iam::123456789012:instance-profile/admin-role' } }] });
    const desc = JSON.stringify({ Reservations: [{ OwnerId: '123456789012', Instances: [{ InstanceId: 'i-09eb09efa73ec1dee', Placement: { AvailabilityZone: 'eu-west-1a' }, State: { Name: 'running' } }] }] });
    await importPaths(engine, files({ 'assoc.json': assoc }));
    const before = await nodeByRef(engine, 'i-09eb09efa73ec1dee');
    expect(before.node.id).toBe('aws:ec2-instance:i-09eb09efa73ec1dee');
    await importPaths(engine, files({ 'instances.json': desc }));
    const after = await nodeByRef(engine, 'i-09eb09efa73ec1dee');
    expect(after.node.id).toBe('arn:aws:ec2:eu-west-1:123456789012:instance/i-09eb09efa73ec1dee');
    expect(after.out.map((o) => `${o.edge.kind} ${o.other.id}`)).toContain('USES_ROLE arn:aws:iam::123456789012:instance-profile/admin-role');
  });

  it('bad input names the place', async () => {
    const e = await failedImport(newCase(), files({ 'i.json': JSON.stringify({ Reservations: [{ OwnerId: 'nope', Instances: [] }] }) }));
    expect(e).toMatchObject({ code: 'bad-input', location: '$.Reservations[0].OwnerId' });
  });
});
