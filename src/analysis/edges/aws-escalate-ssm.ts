import { deriveServiceTechniques, type ExistingResource, type ServiceTechnique } from '../../providers/aws/service-escalation.js';
import type { EdgeRule } from './types.js';

// Running commands on EC2 instances that carry a role: the instance's credentials are the role's. Without an
// instance inventory the edge says "an instance running with the role" and stays conditional on one running.

const SERVICE = 'ec2.amazonaws.com';
const instance = (action: string): ExistingResource => ({ what: 'EC2 instance', kind: 'aws_instance', arn: /^arn:aws[\w-]*:ec2:[\w-]*:\d{12}:instance\//, onResource: [action], tied: true });

export const SSM_TECHNIQUES: readonly ServiceTechnique[] = [
  { id: 'ssm-001', service: SERVICE, actions: ['ssm:StartSession'], passRole: false, instanceProfile: true, existing: instance('ssm:StartSession'), how: 'can open an SSM shell session on an EC2 instance running as' },
  { id: 'ssm-002', service: SERVICE, actions: ['ssm:SendCommand'], passRole: false, instanceProfile: true, existing: instance('ssm:SendCommand'), how: 'can run commands through SSM on an EC2 instance running as' },
  { id: 'ec2-003', service: SERVICE, actions: ['ec2-instance-connect:SendSSHPublicKey'], passRole: false, instanceProfile: true, existing: instance('ec2-instance-connect:SendSSHPublicKey'), requires: "network access to the instance's SSH port", how: 'can push an SSH key to an EC2 instance running as' },
];

export const awsEscalateSsm: EdgeRule = {
  id: 'aws-escalate-ssm',
  description: 'Privilege escalation onto the role of EC2 instances through SSM commands, SSM sessions or EC2 Instance Connect (pathfinding.cloud ssm-001, ssm-002, ec2-003).',
  emits: ['CAN_ESCALATE'],
  derive: (ctx) => deriveServiceTechniques(ctx, SSM_TECHNIQUES),
};
