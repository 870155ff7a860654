import { deriveServiceTechniques, type ExistingResource, type ServiceTechnique } from '../../providers/aws/service-escalation.js';
import type { EdgeRule } from './types.js';

// CodeBuild: a new project building as a passed role, or a build of an existing project with an overridden
// buildspec (the override runs with the project's service role).

const SERVICE = 'codebuild.amazonaws.com';
const project = (action: string): ExistingResource => ({ what: 'CodeBuild project', kind: 'aws_codebuild_project', arn: /^arn:aws[\w-]*:codebuild:[\w-]*:\d{12}:project\//, onResource: [action], tied: true });

export const CODEBUILD_TECHNIQUES: readonly ServiceTechnique[] = [
  { id: 'codebuild-001', service: SERVICE, actions: ['codebuild:CreateProject', 'codebuild:StartBuild'], passRole: true, how: 'can create and start a CodeBuild project running as' },
  { id: 'codebuild-002', service: SERVICE, actions: ['codebuild:StartBuild'], passRole: false, existing: project('codebuild:StartBuild'), how: 'can start a build of an existing CodeBuild project with its own buildspec, running as' },
  { id: 'codebuild-003', service: SERVICE, actions: ['codebuild:StartBuildBatch'], passRole: false, existing: project('codebuild:StartBuildBatch'), how: 'can start a batch build of an existing CodeBuild project with its own buildspec, running as' },
  { id: 'codebuild-004', service: SERVICE, actions: ['codebuild:CreateProject', 'codebuild:StartBuildBatch'], passRole: true, how: 'can create a CodeBuild project and start a batch build running as' },
];

export const awsEscalateCodebuild: EdgeRule = {
  id: 'aws-escalate-codebuild',
  description: 'CodeBuild privilege escalation: new projects with a passed service role, builds of existing projects with an overridden buildspec (pathfinding.cloud codebuild-001 … codebuild-004).',
  emits: ['CAN_ESCALATE'],
  derive: (ctx) => deriveServiceTechniques(ctx, CODEBUILD_TECHNIQUES),
};
