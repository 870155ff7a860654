import { deriveServiceTechniques, type ServiceTechnique } from '../../providers/aws/service-escalation.js';
import type { EdgeRule } from './types.js';

// Data Pipeline (closed to new customers, still running in old accounts): a pipeline whose shell activities
// run with a passed role.

export const DATAPIPELINE_TECHNIQUES: readonly ServiceTechnique[] = [
  { id: 'datapipeline-001', service: 'datapipeline.amazonaws.com', actions: ['datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition', 'datapipeline:ActivatePipeline'], passRole: true, how: 'can define and activate a Data Pipeline (shell commands) running as' },
];

export const awsEscalateDatapipeline: EdgeRule = {
  id: 'aws-escalate-datapipeline',
  description: 'Data Pipeline privilege escalation: a pipeline of shell activities running as a passed role (pathfinding.cloud datapipeline-001).',
  emits: ['CAN_ESCALATE'],
  derive: (ctx) => deriveServiceTechniques(ctx, DATAPIPELINE_TECHNIQUES),
};
