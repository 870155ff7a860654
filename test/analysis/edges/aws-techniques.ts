// Every service technique table of the AWS escalation rules, with the rule file that owns it.
import { APPRUNNER_TECHNIQUES } from '../../../src/analysis/edges/aws-escalate-apprunner.js';
import { BEDROCK_TECHNIQUES } from '../../../src/analysis/edges/aws-escalate-bedrock.js';
import { CLOUDFORMATION_TECHNIQUES } from '../../../src/analysis/edges/aws-escalate-cloudformation.js';
import { CODEBUILD_TECHNIQUES } from '../../../src/analysis/edges/aws-escalate-codebuild.js';
import { DATAPIPELINE_TECHNIQUES } from '../../../src/analysis/edges/aws-escalate-datapipeline.js';
import { EC2_TECHNIQUES } from '../../../src/analysis/edges/aws-escalate-ec2.js';
import { ECS_TECHNIQUES } from '../../../src/analysis/edges/aws-escalate-ecs.js';
import { GLUE_TECHNIQUES } from '../../../src/analysis/edges/aws-escalate-glue.js';
import { LAMBDA_TECHNIQUES } from '../../../src/analysis/edges/aws-escalate-lambda.js';
import { SAGEMAKER_TECHNIQUES } from '../../../src/analysis/edges/aws-escalate-sagemaker.js';
import { SSM_TECHNIQUES } from '../../../src/analysis/edges/aws-escalate-ssm.js';
import type { ServiceTechnique } from '../../../src/providers/aws/service-escalation.js';

export const SERVICE_TECHNIQUES: readonly { rule: string; techniques: readonly ServiceTechnique[] }[] = [
  { rule: 'aws-escalate-lambda.ts', techniques: LAMBDA_TECHNIQUES },
  { rule: 'aws-escalate-ec2.ts', techniques: EC2_TECHNIQUES },
  { rule: 'aws-escalate-ssm.ts', techniques: SSM_TECHNIQUES },
  { rule: 'aws-escalate-ecs.ts', techniques: ECS_TECHNIQUES },
  { rule: 'aws-escalate-glue.ts', techniques: GLUE_TECHNIQUES },
  { rule: 'aws-escalate-codebuild.ts', techniques: CODEBUILD_TECHNIQUES },
  { rule: 'aws-escalate-cloudformation.ts', techniques: CLOUDFORMATION_TECHNIQUES },
  { rule: 'aws-escalate-sagemaker.ts', techniques: SAGEMAKER_TECHNIQUES },
  { rule: 'aws-escalate-apprunner.ts', techniques: APPRUNNER_TECHNIQUES },
  { rule: 'aws-escalate-bedrock.ts', techniques: BEDROCK_TECHNIQUES },
  { rule: 'aws-escalate-datapipeline.ts', techniques: DATAPIPELINE_TECHNIQUES },
];

export const ALL_SERVICE_TECHNIQUES = SERVICE_TECHNIQUES.flatMap((f) => f.techniques);
