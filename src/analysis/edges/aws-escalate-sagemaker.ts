import { deriveServiceTechniques, type ExistingResource, type ServiceTechnique } from '../../providers/aws/service-escalation.js';
import type { EdgeRule } from './types.js';

// SageMaker: notebooks, training and processing jobs running as a passed role, or an existing notebook opened
// through a presigned URL or given a lifecycle configuration that runs at start.

const SERVICE = 'sagemaker.amazonaws.com';
const notebook = (onResource: string[]): ExistingResource => ({ what: 'SageMaker notebook instance', kind: 'aws_sagemaker_notebook', arn: /^arn:aws[\w-]*:sagemaker:[\w-]*:\d{12}:notebook-instance\//, onResource, tied: true });

export const SAGEMAKER_TECHNIQUES: readonly ServiceTechnique[] = [
  { id: 'sagemaker-001', service: SERVICE, actions: ['sagemaker:CreateNotebookInstance', 'sagemaker:CreatePresignedNotebookInstanceUrl'], passRole: true, how: 'can create and open a SageMaker notebook running as' },
  { id: 'sagemaker-002', service: SERVICE, actions: ['sagemaker:CreateTrainingJob'], passRole: true, how: 'can run a SageMaker training job (its own container) as' },
  { id: 'sagemaker-003', service: SERVICE, actions: ['sagemaker:CreateProcessingJob'], passRole: true, how: 'can run a SageMaker processing job (its own container) as' },
  { id: 'sagemaker-004', service: SERVICE, actions: ['sagemaker:CreatePresignedNotebookInstanceUrl'], passRole: false, existing: notebook(['sagemaker:CreatePresignedNotebookInstanceUrl']), how: 'can open (presigned URL) the Jupyter of an existing SageMaker notebook running as' },
  {
    id: 'sagemaker-005',
    service: SERVICE,
    actions: ['sagemaker:CreateNotebookInstanceLifecycleConfig', 'sagemaker:StopNotebookInstance', 'sagemaker:UpdateNotebookInstance', 'sagemaker:StartNotebookInstance'],
    passRole: false,
    existing: notebook(['sagemaker:StopNotebookInstance', 'sagemaker:UpdateNotebookInstance', 'sagemaker:StartNotebookInstance']),
    how: 'can give an existing SageMaker notebook a lifecycle configuration that runs its code at the next start, as',
  },
];

export const awsEscalateSagemaker: EdgeRule = {
  id: 'aws-escalate-sagemaker',
  description: 'SageMaker privilege escalation: notebooks and jobs running as a passed role, existing notebooks opened or given a lifecycle configuration (pathfinding.cloud sagemaker-001 … sagemaker-005).',
  emits: ['CAN_ESCALATE'],
  derive: (ctx) => deriveServiceTechniques(ctx, SAGEMAKER_TECHNIQUES),
};
