import { deriveServiceTechniques, type ServiceTechnique } from '../../providers/aws/service-escalation.js';
import type { EdgeRule } from './types.js';

// Bedrock AgentCore code interpreters run the caller's code with their execution role: a new interpreter with a
// passed role, or a session on an existing one.

const SERVICE = 'bedrock-agentcore.amazonaws.com';
const SESSION = ['bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter'];

export const BEDROCK_TECHNIQUES: readonly ServiceTechnique[] = [
  { id: 'bedrock-001', service: SERVICE, actions: ['bedrock-agentcore:CreateCodeInterpreter', ...SESSION], passRole: true, how: 'can create a Bedrock AgentCore code interpreter and run code in it as' },
  {
    id: 'bedrock-002',
    service: SERVICE,
    actions: SESSION,
    passRole: false,
    existing: { what: 'Bedrock AgentCore code interpreter', arn: /^arn:aws[\w-]*:bedrock-agentcore:[\w-]*:\d{12}:code-interpreter(-custom)?\//, onResource: SESSION, tied: true },
    how: 'can start a session on an existing Bedrock AgentCore code interpreter and run code in it as',
  },
];

export const awsEscalateBedrock: EdgeRule = {
  id: 'aws-escalate-bedrock',
  description: 'Bedrock AgentCore privilege escalation: code interpreters created with a passed role, or sessions on existing ones (pathfinding.cloud bedrock-001, bedrock-002).',
  emits: ['CAN_ESCALATE'],
  derive: (ctx) => deriveServiceTechniques(ctx, BEDROCK_TECHNIQUES),
};
