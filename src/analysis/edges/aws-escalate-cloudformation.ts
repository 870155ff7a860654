import { deriveServiceTechniques, type ExistingResource, type ServiceTechnique } from '../../providers/aws/service-escalation.js';
import type { EdgeRule } from './types.js';

// CloudFormation: stacks and stack sets deployed by a passed role, or a template change on an existing stack,
// which deploys with the stack's own service role.

const SERVICE = 'cloudformation.amazonaws.com';
const STACK = /^arn:aws[\w-]*:cloudformation:[\w-]*:\d{12}:stack\//;
const stack = (onResource: string[], tied: boolean): ExistingResource => ({ what: 'CloudFormation stack', kind: 'aws_cfn_stack', arn: STACK, onResource, tied });

export const CLOUDFORMATION_TECHNIQUES: readonly ServiceTechnique[] = [
  { id: 'cloudformation-001', service: SERVICE, actions: ['cloudformation:CreateStack'], passRole: true, how: 'can create a CloudFormation stack whose resources are made by' },
  { id: 'cloudformation-002', service: SERVICE, actions: ['cloudformation:UpdateStack'], passRole: false, existing: stack(['cloudformation:UpdateStack'], true), how: 'can update the template of an existing CloudFormation stack deployed by' },
  { id: 'cloudformation-003', service: SERVICE, actions: ['cloudformation:CreateStackSet', 'cloudformation:CreateStackInstances'], passRole: true, how: 'can create a self-managed stack set (and its instances) administered by' },
  {
    id: 'cloudformation-004',
    service: SERVICE,
    actions: ['cloudformation:UpdateStackSet'],
    passRole: true,
    existing: { what: 'CloudFormation stack set', arn: /^arn:aws[\w-]*:cloudformation:[\w-]*:\d{12}:stackset\//, onResource: ['cloudformation:UpdateStackSet'], tied: false },
    how: 'can update an existing stack set with its own template and administration role',
  },
  { id: 'cloudformation-005', service: SERVICE, actions: ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'], passRole: false, existing: stack(['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'], true), how: 'can create and execute a change set on an existing CloudFormation stack deployed by' },
  { id: 'iam:PassRole+cloudformation:UpdateStack', service: SERVICE, actions: ['cloudformation:UpdateStack'], passRole: true, existing: stack(['cloudformation:UpdateStack'], false), how: 'can update an existing CloudFormation stack to deploy with' },
  { id: 'iam:PassRole+cloudformation:CreateChangeSet+cloudformation:ExecuteChangeSet', service: SERVICE, actions: ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'], passRole: true, how: 'can create and execute a change set (a new stack) deployed by' },
];

export const awsEscalateCloudformation: EdgeRule = {
  id: 'aws-escalate-cloudformation',
  description: 'CloudFormation privilege escalation: stacks, stack sets and change sets deployed by a passed role, or template changes on stacks that deploy with a service role (pathfinding.cloud cloudformation-001 … cloudformation-005).',
  emits: ['CAN_ESCALATE'],
  derive: (ctx) => deriveServiceTechniques(ctx, CLOUDFORMATION_TECHNIQUES),
};
