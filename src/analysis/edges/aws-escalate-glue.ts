import { deriveServiceTechniques, type ExistingResource, type ServiceTechnique } from '../../providers/aws/service-escalation.js';
import type { EdgeRule } from './types.js';

// Glue: development endpoints (SSH), jobs, triggers and interactive sessions running as a passed role, or an
// existing endpoint or job made to run the attacker's code.

const SERVICE = 'glue.amazonaws.com';
const DEV_ENDPOINT = /^arn:aws[\w-]*:glue:[\w-]*:\d{12}:devEndpoint\//;
const JOB = /^arn:aws[\w-]*:glue:[\w-]*:\d{12}:job\//;
const job = (onResource: string[]): ExistingResource => ({ what: 'Glue job', arn: JOB, onResource, tied: false });

export const GLUE_TECHNIQUES: readonly ServiceTechnique[] = [
  { id: 'glue-001', service: SERVICE, actions: ['glue:CreateDevEndpoint'], passRole: true, how: 'can create a Glue development endpoint (SSH access) running as' },
  { id: 'glue-002', service: SERVICE, actions: ['glue:UpdateDevEndpoint'], passRole: false, existing: { what: 'Glue development endpoint', kind: 'aws_glue_dev_endpoint', arn: DEV_ENDPOINT, onResource: ['glue:UpdateDevEndpoint'], tied: true }, how: 'can add its SSH key to a Glue development endpoint running as' },
  { id: 'glue-003', service: SERVICE, actions: ['glue:CreateJob', 'glue:StartJobRun'], passRole: true, how: 'can create and run a Glue job running as' },
  { id: 'glue-004', service: SERVICE, actions: ['glue:CreateJob', 'glue:CreateTrigger'], passRole: true, how: 'can create a Glue job and a trigger that starts it, running as' },
  { id: 'glue-005', service: SERVICE, actions: ['glue:UpdateJob', 'glue:StartJobRun'], passRole: true, existing: job(['glue:UpdateJob', 'glue:StartJobRun']), how: 'can point an existing Glue job at its own script and role, then run it as' },
  { id: 'glue-006', service: SERVICE, actions: ['glue:UpdateJob', 'glue:CreateTrigger'], passRole: true, existing: job(['glue:UpdateJob']), how: 'can point an existing Glue job at its own script and role and trigger it, running as' },
  { id: 'glue-007', service: SERVICE, actions: ['glue:CreateSession', 'glue:RunStatement'], passRole: true, how: 'can open a Glue interactive session and run statements as' },
];

export const awsEscalateGlue: EdgeRule = {
  id: 'aws-escalate-glue',
  description: 'Glue privilege escalation: development endpoints, jobs, triggers and interactive sessions running as a passed role, or existing endpoints and jobs taken over (pathfinding.cloud glue-001 … glue-007).',
  emits: ['CAN_ESCALATE'],
  derive: (ctx) => deriveServiceTechniques(ctx, GLUE_TECHNIQUES),
};
