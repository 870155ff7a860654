import { deriveServiceTechniques, type ServiceTechnique } from '../../providers/aws/service-escalation.js';
import type { EdgeRule } from './types.js';

// EC2: instances launched with the instance profile of a passed role (on demand, spot, Auto Scaling), or an
// existing instance or launch template made to run the attacker's user data.

const SERVICE = 'ec2.amazonaws.com';
const INSTANCE = /^arn:aws[\w-]*:ec2:[\w-]*:\d{12}:instance\//;
const LAUNCH_TEMPLATE = /^arn:aws[\w-]*:ec2:[\w-]*:\d{12}:launch-template\//;

export const EC2_TECHNIQUES: readonly ServiceTechnique[] = [
  { id: 'ec2-001', service: SERVICE, actions: ['ec2:RunInstances'], passRole: true, instanceProfile: true, how: 'can launch an EC2 instance with the instance profile of' },
  {
    id: 'ec2-002',
    service: SERVICE,
    actions: ['ec2:ModifyInstanceAttribute', 'ec2:StopInstances', 'ec2:StartInstances'],
    passRole: false,
    instanceProfile: true,
    existing: { what: 'EC2 instance', kind: 'aws_instance', arn: INSTANCE, onResource: ['ec2:ModifyInstanceAttribute', 'ec2:StopInstances', 'ec2:StartInstances'], tied: true },
    how: 'can stop an EC2 instance, replace its user data and start it again, running commands as',
  },
  { id: 'ec2-004', service: SERVICE, actions: ['ec2:RequestSpotInstances'], passRole: true, instanceProfile: true, how: 'can request spot instances with the instance profile of' },
  {
    id: 'ec2-005',
    service: SERVICE,
    actions: ['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'],
    passRole: false,
    instanceProfile: true,
    existing: { what: 'launch template', arn: LAUNCH_TEMPLATE, onResource: ['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'], tied: false },
    requires: 'an Auto Scaling group or fleet that launches instances from the template (its service-linked role passes the profile)',
    how: 'can publish a new default version of a launch template (user data and instance profile of its choice), so new instances run as',
  },
  { id: 'iam:PassRole+ec2:AssociateIamInstanceProfile', service: SERVICE, actions: ['ec2:AssociateIamInstanceProfile'], passRole: true, instanceProfile: true, requires: 'an EC2 instance the attacker can already run code on', how: 'can attach to an instance it controls the instance profile of' },
  { id: 'iam:PassRole+autoscaling:CreateLaunchConfiguration+autoscaling:CreateAutoScalingGroup', service: SERVICE, actions: ['autoscaling:CreateLaunchConfiguration', 'autoscaling:CreateAutoScalingGroup'], passRole: true, instanceProfile: true, how: 'can start Auto Scaling instances (launch configuration) with the instance profile of' },
  { id: 'iam:PassRole+ec2:CreateLaunchTemplate+autoscaling:CreateAutoScalingGroup', service: SERVICE, actions: ['ec2:CreateLaunchTemplate', 'autoscaling:CreateAutoScalingGroup'], passRole: true, instanceProfile: true, how: 'can start Auto Scaling instances (launch template) with the instance profile of' },
];

export const awsEscalateEc2: EdgeRule = {
  id: 'aws-escalate-ec2',
  description: 'EC2 privilege escalation: instances launched with a passed instance profile, or existing instances and launch templates given new user data (pathfinding.cloud ec2-001, ec2-002, ec2-004, ec2-005; Auto Scaling).',
  emits: ['CAN_ESCALATE'],
  derive: (ctx) => deriveServiceTechniques(ctx, EC2_TECHNIQUES),
};
