import { deriveServiceTechniques, type ExistingResource, type ServiceTechnique } from '../../providers/aws/service-escalation.js';
import type { EdgeRule } from './types.js';

// Lambda: a new function running as a passed role, or new code in a function that already runs with one.

const FUNCTION = /^arn:aws[\w-]*:lambda:[\w-]*:\d{12}:function[:/]/;
const fn = (onResource: string[]): ExistingResource => ({ what: 'Lambda function', kind: 'aws_lambda', arn: FUNCTION, onResource, tied: true, policyProp: 'resourcePolicy' });
const SERVICE = 'lambda.amazonaws.com';

export const LAMBDA_TECHNIQUES: readonly ServiceTechnique[] = [
  { id: 'lambda-001', service: SERVICE, actions: ['lambda:CreateFunction', 'lambda:InvokeFunction'], passRole: true, how: 'can create and invoke a Lambda function running as' },
  { id: 'lambda-002', service: SERVICE, actions: ['lambda:CreateFunction', 'lambda:CreateEventSourceMapping'], passRole: true, requires: 'an event source (DynamoDB or Kinesis stream, SQS queue) that triggers the new function', how: 'can create a Lambda function triggered by an event source, running as' },
  { id: 'lambda-003', service: SERVICE, actions: ['lambda:UpdateFunctionCode'], passRole: false, existing: fn(['lambda:UpdateFunctionCode']), requires: 'the function to be invoked after the change (by its own trigger)', how: 'can replace the code of a Lambda function running as' },
  { id: 'lambda-004', service: SERVICE, actions: ['lambda:UpdateFunctionCode', 'lambda:InvokeFunction'], passRole: false, existing: fn(['lambda:UpdateFunctionCode', 'lambda:InvokeFunction']), how: 'can replace the code of, and invoke, a Lambda function running as' },
  { id: 'lambda-005', service: SERVICE, actions: ['lambda:UpdateFunctionCode', 'lambda:AddPermission'], passRole: false, existing: fn(['lambda:UpdateFunctionCode', 'lambda:AddPermission']), how: 'can replace the code of a Lambda function and grant itself the right to invoke it, running as' },
  { id: 'lambda-006', service: SERVICE, actions: ['lambda:CreateFunction', 'lambda:AddPermission'], passRole: true, how: 'can create a Lambda function, grant itself the right to invoke it, and so run code as' },
];

export const awsEscalateLambda: EdgeRule = {
  id: 'aws-escalate-lambda',
  description: 'Lambda privilege escalation: a new function running as a passed role, or new code in a function that runs with one (pathfinding.cloud lambda-001 … lambda-006).',
  emits: ['CAN_ESCALATE'],
  derive: (ctx) => deriveServiceTechniques(ctx, LAMBDA_TECHNIQUES),
};
