import type { NodeKind } from '../../model/kinds.js';
import { kindsOf, reads } from '../reads.js';
import { adminPrincipals, edgeEvidence, label, MEMBERS_OF_RULED_GROUPS, nodesOf } from './common.js';
import type { FindingDraft, FindingRule } from './types.js';

// Compute resources of an inventory (instances, functions, task definitions, projects, notebooks, endpoints,
// stacks) that run with an admin-equivalent role: whoever gets code to run there — a vulnerable application, a
// session on the instance, a build — holds the account.

const KINDS: NodeKind[] = ['aws_instance', 'aws_lambda', 'aws_ecs_task_definition', 'aws_codebuild_project', 'aws_sagemaker_notebook', 'aws_glue_dev_endpoint', 'aws_cfn_stack'];

export const awsResourceAdminRole: FindingRule = {
  id: 'aws-resource-admin-role',
  title: 'Compute resource running with an admin role',
  severity: 'high',
  description: 'An EC2 instance, Lambda function, ECS task definition, CodeBuild project, SageMaker notebook, Glue endpoint or CloudFormation stack (from an inventory) runs with an admin-equivalent role (an instance profile, an execution or service role).',
  // The compute resources, the roles (and instance profiles) they run with, and who is admin.
  reads: reads({
    nodes: [...KINDS, 'aws_role', 'aws_instance_profile', 'admin', ...kindsOf(['identity', 'group'])],
    edges: ['USES_ROLE', 'ADMIN_OF', 'MEMBER_OF'],
    edgeEnds: { USES_ROLE: { from: KINDS }, ...MEMBERS_OF_RULED_GROUPS },
  }),
  remediation: 'Give the resource a role with only what its workload calls (IAM Access Analyzer can generate one from CloudTrail); require IMDSv2 on instances; restrict who can run code on it (SSM, Instance Connect, function and build updates).',
  run(ctx) {
    const admins = adminPrincipals(ctx);
    const profileRoles = ctx.memo('findings:profile-roles', () => {
      const map = new Map<string, string[]>();
      for (const r of ctx.nodesOfKind('aws_role')) for (const p of Array.isArray(r.props['instanceProfiles']) ? r.props['instanceProfiles'] : []) if (typeof p === 'string') map.set(p, [...(map.get(p) ?? []), r.id]);
      return map;
    });
    const out: FindingDraft[] = [];
    for (const node of nodesOf(ctx, KINDS)) {
      for (const e of ctx.out(node.id, 'USES_ROLE')) {
        for (const roleId of /:instance-profile\//.test(e.dst) ? (profileRoles.get(e.dst) ?? []) : [e.dst]) {
          const grants = admins.get(roleId);
          if (!grants) continue;
          const role = ctx.node(roleId);
          out.push({
            nodeId: node.id,
            title: `${label(node)} runs with admin-equivalent ${role ? label(role) : roleId}`,
            summary: `${node.name} runs with ${role?.name ?? roleId}${e.dst !== roleId ? ` (instance profile ${e.dst.split('/').pop()})` : ''}, which has ${[...new Set(grants.map((g) => ctx.node(g.dst)?.name ?? g.dst))].join(', ')}.`,
            evidence: [...edgeEvidence(e, ctx), ...grants.flatMap((g) => edgeEvidence(g, ctx))],
          });
        }
      }
    }
    return out;
  },
};
