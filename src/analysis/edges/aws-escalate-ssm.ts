import { isAdmin } from '../../providers/aws/admin.js';
import { reads } from '../reads.js';
import { awsModel, statementEvidence, type Principal, AWS_MODEL_READS } from '../../providers/aws/model.js';
import { edgeProps, kindWord, AWS_EMIT_READS } from '../../providers/aws/emit.js';
import { trustOf, trustsService } from '../../providers/aws/trust.js';
import type { EdgeRule } from './types.js';

// Running commands on EC2 instances that carry a role: the instance's credentials are the role's.
// Instances are known through instance profiles; without an instance inventory the edge says "any instance
// using instance profile P" and stays conditional on one running.

interface InstanceTechnique {
  technique: string;
  action: string;
  how: string;
  requires?: string;
}

const TECHNIQUES: readonly InstanceTechnique[] = [
  { technique: 'ssm:SendCommand', action: 'ssm:SendCommand', how: 'can run commands through SSM on' },
  { technique: 'ssm:StartSession', action: 'ssm:StartSession', how: 'can open an SSM shell session on' },
  { technique: 'ec2-instance-connect:SendSSHPublicKey', action: 'ec2-instance-connect:SendSSHPublicKey', how: 'can push an SSH key to', requires: 'network access to the instance\'s SSH port' },
];

export const awsEscalateSsm: EdgeRule = {
  id: 'aws-escalate-ssm',
  description: 'Privilege escalation onto the role of EC2 instances through SSM commands, SSM sessions or EC2 Instance Connect.',
  emits: ['CAN_ESCALATE'],
  reads: reads(AWS_MODEL_READS, AWS_EMIT_READS, { nodes: ['aws_instance', 'aws_instance_profile'], edgesAt: ['aws_instance'] }),
  derive(ctx) {
    const model = awsModel(ctx);
    // Instances of an inventory, by the role they run as (their edges to it, or props.role).
    const instancesOf = new Map<string, string[]>();
    for (const instance of ctx.nodesOfKind('aws_instance')) {
      const roles = new Set([...ctx.out(instance.id).map((e) => e.dst), ...(typeof instance.props['role'] === 'string' ? [instance.props['role']] : [])]);
      for (const r of roles) instancesOf.set(r, [...(instancesOf.get(r) ?? []), instance.id]);
    }
    const targets: { role: Principal; profiles: string[]; instances: string[] }[] = [];
    for (const role of model.principals) {
      if (role.kind !== 'aws_role') continue;
      const profiles = Array.isArray(role.node.props['instanceProfiles']) ? (role.node.props['instanceProfiles'] as string[]) : [];
      if (!profiles.length || !trustsService(trustOf(ctx, role), 'ec2.amazonaws.com')) continue;
      const instances = instancesOf.get(role.id) ?? [];
      targets.push({ role, profiles, instances });
    }
    if (!targets.length) return;
    for (const t of TECHNIQUES) {
      for (const p of model.principalsFor(t.action)) {
        if (isAdmin(ctx, p.id)) continue;
        // Without an inventory the instance is any the caller picks: one decision serves every target.
        const anyInstance = model.evaluate(p, t.action, undefined);
        for (const { role, profiles, instances } of targets) {
          if (role.id === p.id || role.account !== p.account) continue;
          const resources = instances.length ? instances : [undefined];
          for (const instance of resources) {
            const d = instance ? model.evaluate(p, t.action, instance) : anyInstance;
            if (d.verdict === 'denied') continue;
            const names = profiles.map((x) => x.split('/').pop()).join(', ');
            const onWhat = instance ? `instance ${instance}` : `any running instance using instance profile ${names}`;
            const conditions = [...d.conditions, ...(instance ? [] : [`requires a running instance with instance profile ${names}`]), ...(t.requires ? [`requires ${t.requires}`] : [])];
            ctx.emitEdge({
              from: p.id,
              to: role.id,
              kind: 'CAN_ESCALATE',
              props: edgeProps(`${kindWord(p.kind)} ${p.name} ${t.how} ${onWhat}, whose credentials are role ${role.name}'s.`, t.technique, [...d.evidence, ...trustEvidence(ctx, role)], conditions),
            });
            break;
          }
        }
      }
    }
  },
};

function trustEvidence(ctx: Parameters<EdgeRule['derive']>[0], role: Principal) {
  const s = trustsService(trustOf(ctx, role), 'ec2.amazonaws.com');
  return s ? [statementEvidence(s)] : [];
}
