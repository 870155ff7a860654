import { deriveServiceTechniques, type ExistingResource, type ServiceTechnique } from '../../providers/aws/service-escalation.js';
import type { EdgeRule } from './types.js';

// ECS: tasks and services running with a passed task role, a role passed as an override into an existing task
// definition, or a shell (ECS Exec) inside a running task.

const SERVICE = 'ecs-tasks.amazonaws.com';
const TASK_DEFINITION = /^arn:aws[\w-]*:ecs:[\w-]*:\d{12}:task-definition\//;
const taskDefinition = (onResource: string[], tied: boolean): ExistingResource => ({ what: 'ECS task definition', kind: 'aws_ecs_task_definition', arn: TASK_DEFINITION, onResource, tied });

export const ECS_TECHNIQUES: readonly ServiceTechnique[] = [
  { id: 'ecs-001', service: SERVICE, actions: ['ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecs:CreateService'], passRole: true, how: 'can create a cluster and a service whose task runs as' },
  { id: 'ecs-002', service: SERVICE, actions: ['ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'], passRole: true, how: 'can create a cluster and run a task running as' },
  { id: 'ecs-003', service: SERVICE, actions: ['ecs:RegisterTaskDefinition', 'ecs:CreateService'], passRole: true, requires: 'an existing ECS cluster', how: 'can register a task definition and create a service whose task runs as' },
  { id: 'ecs-004', service: SERVICE, actions: ['ecs:RegisterTaskDefinition', 'ecs:RunTask'], passRole: true, requires: 'an existing ECS cluster', how: 'can register and run a task running as' },
  { id: 'ecs-005', service: SERVICE, actions: ['ecs:RegisterTaskDefinition', 'ecs:StartTask'], passRole: true, requires: 'an existing ECS cluster with a registered EC2 container instance', how: 'can register a task definition and start it on a container instance, running as' },
  { id: 'ecs-006', service: SERVICE, actions: ['ecs:ExecuteCommand', 'ecs:DescribeTasks'], passRole: false, existing: taskDefinition([], true), requires: 'a running task of the task definition with ECS Exec enabled', how: 'can open a shell (ECS Exec) in a running task whose task role is' },
  { id: 'ecs-007', service: SERVICE, actions: ['ecs:RegisterContainerInstance', 'ecs:StartTask'], passRole: true, existing: taskDefinition(['ecs:StartTask'], false), requires: 'code execution on an EC2 instance to register it into a cluster as a container instance', how: 'can register its instance as an ECS container instance and start an existing task definition on it with the task role overridden to' },
  { id: 'ecs-008', service: SERVICE, actions: ['ecs:RunTask'], passRole: true, existing: taskDefinition(['ecs:RunTask'], false), requires: 'an existing ECS cluster', how: 'can run an existing task definition with its task role overridden to' },
  { id: 'ecs-009', service: SERVICE, actions: ['ecs:StartTask'], passRole: true, existing: taskDefinition(['ecs:StartTask'], false), requires: 'an existing ECS cluster with a registered EC2 container instance', how: 'can start an existing task definition on a container instance with its task role overridden to' },
];

export const awsEscalateEcs: EdgeRule = {
  id: 'aws-escalate-ecs',
  description: 'ECS privilege escalation: tasks and services with a passed task role, task-role overrides on existing task definitions, ECS Exec into running tasks (pathfinding.cloud ecs-001 … ecs-009).',
  emits: ['CAN_ESCALATE'],
  derive: (ctx) => deriveServiceTechniques(ctx, ECS_TECHNIQUES),
};
