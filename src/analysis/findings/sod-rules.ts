// Segregation-of-duties rules as data: each rule names two capabilities one identity should not hold together.
// A capability is a predicate over what the identity can do (CAN_ACCESS actions and access levels on resources,
// CAN_ESCALATE techniques), its groups' rights included.
import type { EdgeProps } from '../../model/fragment.js';
import type { EdgeKind } from '../../model/kinds.js';
import type { StoredNode } from '../../store/case-store.js';
import type { Severity } from './types.js';
import { actionMatches } from './common.js';

export interface Capability {
  kind: EdgeKind;
  target: StoredNode | undefined;
  targetId: string;
  props: EdgeProps;
}

export interface CapabilityTest {
  label: string;
  test(c: Capability): boolean;
}

export interface SodRule {
  id: string;
  severity: Severity;
  a: CapabilityTest;
  b: CapabilityTest;
  why: string;
}

/** Grants any of these actions (the grant may be a wildcard pattern), or escalates with a matching technique. */
function anyAction(label: string, actions: string[]): CapabilityTest {
  const exact = new Set(actions.map((a) => a.toLowerCase()));
  // A grant without a wildcard matches by name; only patterns need testing against each action.
  // Remembered per granted string: a case repeats the same few grants over thousands of edges.
  const known = new Map<string, boolean>();
  const grants = (pattern: string) => {
    let hit = known.get(pattern);
    if (hit === undefined) known.set(pattern, (hit = /[*?]/.test(pattern) ? actions.some((a) => actionMatches(pattern, a)) : exact.has(pattern.toLowerCase())));
    return hit;
  };
  // Techniques are few ("nodes/proxy", "create pods"…) and an identity of a large cluster holds thousands of edges:
  // each technique is split and matched once.
  const byTechnique = new Map<string, boolean>();
  return {
    label,
    test: (c) => {
      const granted = Array.isArray(c.props.actions) ? c.props.actions : [];
      if (granted.some((g) => typeof g === 'string' && grants(g))) return true;
      if (c.kind !== 'CAN_ESCALATE') return false;
      const technique = typeof c.props.technique === 'string' ? c.props.technique : '';
      let hit = byTechnique.get(technique);
      if (hit === undefined) byTechnique.set(technique, (hit = technique.split('+').some(grants)));
      return hit;
    },
  };
}

const PROD_VALUE = /^(prod|production|prd)$/i;
const PROD_NAME = /(^|[-_./:])(prod|production|prd)([-_./:]|$)/i;

/** A resource marked as production by a tag (env, environment, stage) or by its name. */
export function isProduction(n: StoredNode | undefined, id: string): boolean {
  const tags = n?.props['tags'];
  if (tags && typeof tags === 'object' && !Array.isArray(tags)) {
    for (const [k, v] of Object.entries(tags)) if (/^(env|environment|stage|tier)$/i.test(k) && typeof v === 'string' && PROD_VALUE.test(v)) return true;
  }
  return PROD_NAME.test(n?.name ?? '') || PROD_NAME.test(id);
}

const READ_DATA = ['s3:GetObject', 'dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:Query', 'secretsmanager:GetSecretValue', 'ssm:GetParameter', 'kms:Decrypt', 'rds-data:ExecuteStatement', 'sqs:ReceiveMessage'];

const readsData = anyAction('read data', READ_DATA);

export const SOD_RULES: readonly SodRule[] = [
  {
    id: 'iam-and-production-data',
    severity: 'high',
    a: anyAction('change IAM', ['iam:CreatePolicyVersion', 'iam:PutRolePolicy', 'iam:PutUserPolicy', 'iam:AttachRolePolicy', 'iam:AttachUserPolicy', 'iam:CreateAccessKey', 'iam:UpdateAssumeRolePolicy', 'iam:CreateRole', 'iam:AddUserToGroup', 'iam:CreateLoginProfile']),
    b: {
      label: 'read production data',
      // The target node is read last: most capabilities are not reads of data at all.
      test: (c) => c.kind === 'CAN_ACCESS' && (readsData.test(c) || c.props.accessLevel === 'Read') && isProduction(c.target, c.targetId),
    },
    why: 'whoever can change IAM can grant themselves anything, so read access to production data is no longer controlled by anyone else',
  },
  {
    id: 'deploy-and-approve',
    severity: 'medium',
    a: anyAction('deploy', ['codedeploy:CreateDeployment', 'codepipeline:StartPipelineExecution', 'lambda:UpdateFunctionCode', 'ecs:UpdateService', 'ecs:RegisterTaskDefinition', 'cloudformation:ExecuteChangeSet', 'cloudformation:UpdateStack', 'eks:UpdateClusterConfig']),
    b: anyAction('approve releases', ['codepipeline:PutApprovalResult']),
    why: 'one identity can both ship a change and approve it, which defeats the approval gate',
  },
  {
    id: 'secrets-and-audit',
    severity: 'high',
    a: anyAction('read secrets', ['secretsmanager:GetSecretValue', 'ssm:GetParameter', 'kms:Decrypt']),
    b: anyAction('disable audit logging', ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors']),
    why: 'one identity can read secrets and switch off the trail that would record it',
  },
];
