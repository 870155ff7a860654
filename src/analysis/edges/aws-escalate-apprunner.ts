import { deriveServiceTechniques, type ServiceTechnique } from '../../providers/aws/service-escalation.js';
import type { EdgeRule } from './types.js';

// App Runner: a service whose instance role is a passed role, or an existing service redeployed with the
// attacker's image or start command (it keeps its instance role).

const SERVICE = 'tasks.apprunner.amazonaws.com';

export const APPRUNNER_TECHNIQUES: readonly ServiceTechnique[] = [
  { id: 'apprunner-001', service: SERVICE, actions: ['apprunner:CreateService'], passRole: true, how: 'can create an App Runner service (its own image and start command) whose instance role is' },
  {
    id: 'apprunner-002',
    service: SERVICE,
    actions: ['apprunner:UpdateService'],
    passRole: false,
    existing: { what: 'App Runner service', arn: /^arn:aws[\w-]*:apprunner:[\w-]*:\d{12}:service\//, onResource: ['apprunner:UpdateService'], tied: true },
    how: 'can redeploy an existing App Runner service with its own image or start command, running as',
  },
];

export const awsEscalateApprunner: EdgeRule = {
  id: 'aws-escalate-apprunner',
  description: 'App Runner privilege escalation: services created with a passed instance role, or existing services redeployed (pathfinding.cloud apprunner-001, apprunner-002).',
  emits: ['CAN_ESCALATE'],
  derive: (ctx) => deriveServiceTechniques(ctx, APPRUNNER_TECHNIQUES),
};
