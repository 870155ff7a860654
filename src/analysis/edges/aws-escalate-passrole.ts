import { isAdmin } from '../../providers/aws/admin.js';
import { reads } from '../reads.js';
import { allOf, awsModel, statementEvidence, type Decision, type Principal, AWS_MODEL_READS } from '../../providers/aws/model.js';
import { edgeProps, kindWord, AWS_EMIT_READS } from '../../providers/aws/emit.js';
import { evaluateCondition, statementCoversAction, type Statement } from '../../providers/aws/policy.js';
import { trustOf, trustsService } from '../../providers/aws/trust.js';
import type { DeriveContext, EdgeRule } from './types.js';

// Escalation by handing a role to a compute service and running code there (iam:PassRole + a service's create
// call), or by changing the code of something that already runs with the role. The techniques of Rhino
// Security's list, PMapper and pathfinding.cloud, as data: what to call, which service the role must trust.

export interface ServiceTechnique {
  technique: string;
  /** The service principal the target role must trust. */
  service: string;
  /** Every action needed besides iam:PassRole. */
  actions: string[];
  /** False for techniques reusing a resource that already has the role (no PassRole). */
  passRole: boolean;
  /** The target role must sit in an instance profile (EC2 launches). */
  instanceProfile?: boolean;
  /** What must exist or happen that the case cannot show; makes the edge conditional. */
  requires?: string;
  /** "<attacker> …, running code as <role>" */
  how: string;
}

export const PASSROLE_TECHNIQUES: readonly ServiceTechnique[] = [
  { technique: 'iam:PassRole+ec2:RunInstances', service: 'ec2.amazonaws.com', actions: ['ec2:RunInstances'], passRole: true, instanceProfile: true, how: 'can launch an EC2 instance with the instance profile of' },
  { technique: 'iam:PassRole+ec2:AssociateIamInstanceProfile', service: 'ec2.amazonaws.com', actions: ['ec2:AssociateIamInstanceProfile'], passRole: true, instanceProfile: true, requires: 'an EC2 instance the attacker can already run code on', how: 'can attach to an instance it controls the instance profile of' },
  { technique: 'iam:PassRole+lambda:CreateFunction+lambda:InvokeFunction', service: 'lambda.amazonaws.com', actions: ['lambda:CreateFunction', 'lambda:InvokeFunction'], passRole: true, how: 'can create and invoke a Lambda function running as' },
  { technique: 'iam:PassRole+lambda:CreateFunction+lambda:CreateEventSourceMapping', service: 'lambda.amazonaws.com', actions: ['lambda:CreateFunction', 'lambda:CreateEventSourceMapping'], passRole: true, requires: 'an event source (DynamoDB or Kinesis stream, SQS queue) that triggers the new function', how: 'can create a Lambda function triggered by an event source, running as' },
  { technique: 'lambda:UpdateFunctionCode', service: 'lambda.amazonaws.com', actions: ['lambda:UpdateFunctionCode'], passRole: false, requires: 'an existing Lambda function whose execution role is the target (no function inventory in the case), invoked after the change', how: 'can replace the code of a Lambda function running as' },
  { technique: 'iam:PassRole+cloudformation:CreateStack', service: 'cloudformation.amazonaws.com', actions: ['cloudformation:CreateStack'], passRole: true, how: 'can create a CloudFormation stack whose resources are made by' },
  { technique: 'iam:PassRole+cloudformation:UpdateStack', service: 'cloudformation.amazonaws.com', actions: ['cloudformation:UpdateStack'], passRole: true, requires: 'an existing stack to update', how: 'can update a CloudFormation stack to run with' },
  { technique: 'iam:PassRole+cloudformation:CreateChangeSet+cloudformation:ExecuteChangeSet', service: 'cloudformation.amazonaws.com', actions: ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'], passRole: true, how: 'can create and execute a CloudFormation change set with' },
  { technique: 'iam:PassRole+codebuild:CreateProject+codebuild:StartBuild', service: 'codebuild.amazonaws.com', actions: ['codebuild:CreateProject', 'codebuild:StartBuild'], passRole: true, how: 'can create and start a CodeBuild project running as' },
  { technique: 'iam:PassRole+codebuild:CreateProject+codebuild:StartBuildBatch', service: 'codebuild.amazonaws.com', actions: ['codebuild:CreateProject', 'codebuild:StartBuildBatch'], passRole: true, how: 'can create and start a CodeBuild batch build running as' },
  { technique: 'iam:PassRole+glue:CreateDevEndpoint', service: 'glue.amazonaws.com', actions: ['glue:CreateDevEndpoint'], passRole: true, how: 'can create a Glue development endpoint (SSH access) running as' },
  { technique: 'glue:UpdateDevEndpoint', service: 'glue.amazonaws.com', actions: ['glue:UpdateDevEndpoint'], passRole: false, requires: 'an existing Glue development endpoint whose role is the target', how: 'can add its SSH key to a Glue development endpoint running as' },
  { technique: 'iam:PassRole+glue:CreateJob+glue:StartJobRun', service: 'glue.amazonaws.com', actions: ['glue:CreateJob', 'glue:StartJobRun'], passRole: true, how: 'can create and run a Glue job running as' },
  { technique: 'iam:PassRole+sagemaker:CreateNotebookInstance+sagemaker:CreatePresignedNotebookInstanceUrl', service: 'sagemaker.amazonaws.com', actions: ['sagemaker:CreateNotebookInstance', 'sagemaker:CreatePresignedNotebookInstanceUrl'], passRole: true, how: 'can create and open a SageMaker notebook running as' },
  { technique: 'iam:PassRole+sagemaker:CreateTrainingJob', service: 'sagemaker.amazonaws.com', actions: ['sagemaker:CreateTrainingJob'], passRole: true, how: 'can run a SageMaker training job (its own container) as' },
  { technique: 'iam:PassRole+sagemaker:CreateProcessingJob', service: 'sagemaker.amazonaws.com', actions: ['sagemaker:CreateProcessingJob'], passRole: true, how: 'can run a SageMaker processing job (its own container) as' },
  { technique: 'iam:PassRole+datapipeline:CreatePipeline+datapipeline:PutPipelineDefinition+datapipeline:ActivatePipeline', service: 'datapipeline.amazonaws.com', actions: ['datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition', 'datapipeline:ActivatePipeline'], passRole: true, how: 'can define and activate a Data Pipeline (shell commands) running as' },
  { technique: 'iam:PassRole+autoscaling:CreateLaunchConfiguration+autoscaling:CreateAutoScalingGroup', service: 'ec2.amazonaws.com', actions: ['autoscaling:CreateLaunchConfiguration', 'autoscaling:CreateAutoScalingGroup'], passRole: true, instanceProfile: true, how: 'can start Auto Scaling instances (launch configuration) with the instance profile of' },
  { technique: 'iam:PassRole+ec2:CreateLaunchTemplate+autoscaling:CreateAutoScalingGroup', service: 'ec2.amazonaws.com', actions: ['ec2:CreateLaunchTemplate', 'autoscaling:CreateAutoScalingGroup'], passRole: true, instanceProfile: true, how: 'can start Auto Scaling instances (launch template) with the instance profile of' },
  { technique: 'iam:PassRole+ecs:RegisterTaskDefinition+ecs:RunTask', service: 'ecs-tasks.amazonaws.com', actions: ['ecs:RegisterTaskDefinition', 'ecs:RunTask'], passRole: true, requires: 'an ECS cluster with capacity to run the task', how: 'can register and run an ECS task running as' },
];

export const awsEscalatePassRole: EdgeRule = {
  id: 'aws-escalate-passrole',
  description: 'Privilege escalation by passing a role to a compute service (Lambda, EC2, CloudFormation, CodeBuild, Glue, SageMaker, …) or by changing code that runs with it.',
  emits: ['CAN_ESCALATE'],
  reads: reads(AWS_MODEL_READS, AWS_EMIT_READS, { nodes: ['aws_lambda'], edgesAt: ['aws_lambda'] }),
  derive(ctx) {
    const model = awsModel(ctx);
    const roles = model.principals.filter((p) => p.kind === 'aws_role');
    const trusting = new Map<string, { role: Principal; trust: Statement }[]>();
    for (const t of PASSROLE_TECHNIQUES) {
      if (!trusting.has(t.service)) {
        trusting.set(t.service, roles.flatMap((role) => {
          const trust = trustsService(trustOf(ctx, role), t.service);
          return trust ? [{ role, trust }] : [];
        }));
      }
      const targets = trusting.get(t.service)!.filter((x) => !t.instanceProfile || profilesOf(x.role).length > 0);
      if (!targets.length) continue;
      const byId = new Map(targets.map((x) => [x.role.id, x]));
      const pool = targets.map((x) => ({ id: x.role.id }));
      const candidates = t.actions.reduce<Principal[]>((acc, a) => {
        const set = new Set(model.principalsFor(a));
        return acc.filter((p) => set.has(p));
      }, t.passRole ? model.principalsFor('iam:PassRole') : model.principalsFor(t.actions[0]!));
      for (const p of candidates) {
        if (isAdmin(ctx, p.id)) continue;
        // Reusing an existing function or endpoint: with no inventory, only a grant on any such resource says
        // that one running as the role is within reach.
        if (!t.passRole && !(t.technique === 'lambda:UpdateFunctionCode' && lambdaRoles(ctx).size) && !grantsAnyResource(p, t.actions[0]!)) continue;
        const steps = t.actions.map((a) => model.evaluate(p, a, undefined));
        if (steps.some((d) => d.verdict === 'denied')) continue;
        const reachable = t.passRole ? model.candidateTargets(p, 'iam:PassRole', pool, new Map(pool.map((x) => [x.id, x]))) : pool;
        for (const { id } of reachable) {
          const { role, trust } = byId.get(id)!;
          // PassRole and the service call happen in the caller's account.
          if (role.id === p.id || role.account !== p.account) continue;
          const pass = t.passRole ? model.evaluate(p, 'iam:PassRole', role.arn, { 'iam:passedtoservice': [t.service] }) : undefined;
          if (pass?.verdict === 'denied') continue;
          emit(ctx, p, role, t, trust, allOf([...(pass ? [pass] : []), ...steps]));
        }
      }
    }
  },
};

/** Roles some Lambda function of the case runs as (its edges to the role, or its props.role). */
function lambdaRoles(ctx: DeriveContext): Set<string> {
  return ctx.memo('aws:lambda-roles', () => {
    const out = new Set<string>();
    for (const fn of ctx.nodesOfKind('aws_lambda')) {
      if (typeof fn.props['role'] === 'string') out.add(fn.props['role']);
      for (const e of ctx.out(fn.id)) out.add(e.dst);
    }
    return out;
  });
}

function grantsAnyResource(p: Principal, action: string): boolean {
  return p.identity.some((s) => s.effect === 'Allow' && statementCoversAction(s, action) && (!s.resources || s.notResource || s.resources.some((r) => r === '*' || /[*?][^:/]*$/.test(r))));
}

function profilesOf(role: Principal): string[] {
  return Array.isArray(role.node.props['instanceProfiles']) ? (role.node.props['instanceProfiles'] as string[]) : [];
}

function emit(ctx: DeriveContext, p: Principal, role: Principal, t: ServiceTechnique, trust: Statement, d: Decision): void {
  const conditions = [...d.conditions];
  // Trust conditions on the service side (aws:SourceAccount, aws:SourceArn) are met by the attacker's own
  // resources in the same account; anything else is left to the reader.
  const tc = evaluateCondition(trust.condition, { values: new Map([['aws:sourceaccount', [role.account]]]) }, 'Allow');
  const unknownTrust = tc.unknown.filter((c) => !/aws:SourceArn/i.test(c));
  if (tc.result === 'false') return;
  conditions.push(...unknownTrust);
  // A function inventory (aws_lambda nodes with their role) settles whether one runs as the role.
  const knownFunction = t.technique === 'lambda:UpdateFunctionCode' && lambdaRoles(ctx).has(role.id);
  if (t.requires && !knownFunction) conditions.push(`requires ${t.requires}`);
  const profiles = profilesOf(role);
  const profileNote = t.instanceProfile ? ` (instance profile ${profiles.map((x) => x.split('/').pop()).join(', ')})` : '';
  const reason = `${kindWord(p.kind)} ${p.name} ${t.how} role ${role.name}${profileNote}; the role trusts ${t.service}${t.passRole ? ' and the caller may pass it to that service' : ''}.`;
  ctx.emitEdge({ from: p.id, to: role.id, kind: 'CAN_ESCALATE', props: edgeProps(reason, t.technique, [...d.evidence, statementEvidence(trust)], conditions) });
}
