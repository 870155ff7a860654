import { ids } from '../../model/ids.js';
import { ADMIN_POLICY_ARN, isAdmin } from '../../providers/aws/admin.js';
import { awsModel, type AwsModel, type Decision, type Principal } from '../../providers/aws/model.js';
import { edgeProps, kindWord } from '../../providers/aws/emit.js';
import type { Evidence } from '../../model/fragment.js';
import type { DerivedOrStoredEdge, EdgeRule } from './types.js';

// Two IAM permissions that together make the caller an administrator: one makes another principal admin (attach
// AdministratorAccess, write an inline policy, publish a new version of a policy attached to it), the other lets
// the caller become that principal (assume it, create an access key for it, rewrite its trust policy). Neither
// alone is an escalation; together they are admin of the account, whatever the principal holds today.

interface Modify {
  action: string;
  /** What it does to the target, in words. */
  how: string;
  decision: Decision;
}

/** pathfinding.cloud ids of the pairs it lists: `<modify action> <become technique>`. */
const PAIRS: Record<string, string> = {
  'iam:AttachRolePolicy sts:AssumeRole': 'iam-014',
  'iam:AttachUserPolicy iam-002': 'iam-015',
  'iam:CreatePolicyVersion sts:AssumeRole': 'iam-016',
  'iam:PutRolePolicy sts:AssumeRole': 'iam-017',
  'iam:PutUserPolicy iam-002': 'iam-018',
  'iam:AttachRolePolicy iam-012': 'iam-019',
  'iam:CreatePolicyVersion iam-012': 'iam-020',
  'iam:PutRolePolicy iam-012': 'iam-021',
};

/** The edges by which a principal becomes another of its account, by the action they stand for. */
const BECOME: Record<string, string> = { 'sts:AssumeRole': 'sts:AssumeRole', 'iam-002': 'iam:CreateAccessKey', 'iam-003': 'iam:CreateAccessKey', 'iam-004': 'iam:CreateLoginProfile', 'iam-006': 'iam:UpdateLoginProfile', 'iam-012': 'iam:UpdateAssumeRolePolicy' };

const MODIFY_ACTIONS = ['iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:AttachUserPolicy', 'iam:PutUserPolicy', 'iam:CreatePolicyVersion'];

export const awsEscalateIamCombo: EdgeRule = {
  id: 'aws-escalate-iam-combo',
  description: 'Two IAM permissions that together give admin: make another principal admin (attach or write a policy, publish a policy version) and become it (assume it, create its access key, rewrite its trust) — pathfinding.cloud iam-014 … iam-021.',
  emits: ['ADMIN_OF'],
  derive(ctx) {
    const model = awsModel(ctx);
    const modifiers = new Set(MODIFY_ACTIONS.flatMap((a) => model.principalsFor(a)));
    if (!modifiers.size) return;
    const edges: DerivedOrStoredEdge[] = [...ctx.edgesOfKind('CAN_ASSUME'), ...ctx.edgesOfKind('CAN_ESCALATE')];
    for (const e of edges) {
      const technique = String(e.props.technique ?? '');
      if (!BECOME[technique]) continue;
      const p = model.byId.get(e.src);
      const target = model.byId.get(e.dst);
      if (!p || !target || !modifiers.has(p) || p.id === target.id || target.account !== p.account) continue;
      if (isAdmin(ctx, p.id) || isAdmin(ctx, target.id)) continue;
      const open = boundaryOpen(target);
      if (open === false) continue;
      for (const m of modifications(model, p, target)) {
        const id = PAIRS[`${m.action} ${technique === 'iam-003' ? 'iam-002' : technique}`] ?? `${m.action}+${BECOME[technique]}`;
        const becomeWords = technique === 'sts:AssumeRole' ? 'assume it' : technique === 'iam-012' ? 'rewrite its trust policy to assume it' : technique === 'iam-004' || technique === 'iam-006' ? 'set its console password' : 'create an access key for it';
        const who = `${kindWord(p.kind)} ${p.name}`;
        const them = `${kindWord(target.kind)} ${target.name}`;
        const conditions = [...m.decision.conditions, ...(e.props.conditional ? [String(e.props.conditional)] : []), ...(open === 'conditional' ? [`the permissions boundary ${target.boundaryArn} of ${them} (not in the case) allows everything`] : [])];
        const evidence: Evidence[] = [...m.decision.evidence, ...((e.props.evidence as Evidence[] | undefined) ?? [])];
        ctx.emitEdge({
          from: p.id,
          to: ids.admin(ids.awsAccount(p.account)),
          kind: 'ADMIN_OF',
          props: edgeProps(`${who} can ${m.how} ${them} and ${becomeWords}, which makes it administrator of its account.`, id, evidence, conditions, { actions: [m.action, BECOME[technique]!], via: target.id }),
        });
      }
    }
  },
};

function modifications(model: AwsModel, p: Principal, target: Principal): Modify[] {
  const out: Modify[] = [];
  const add = (action: string, how: string, resource: string, extra?: Record<string, string[] | null>) => {
    const decision = model.evaluate(p, action, resource, extra);
    if (decision.verdict !== 'denied') out.push({ action, how, decision });
  };
  const adminArn = { 'iam:policyarn': [ADMIN_POLICY_ARN] };
  if (target.kind === 'aws_role') {
    add('iam:AttachRolePolicy', 'attach AdministratorAccess to', target.arn, adminArn);
    add('iam:PutRolePolicy', 'write an admin inline policy on', target.arn);
  } else {
    add('iam:AttachUserPolicy', 'attach AdministratorAccess to', target.arn, adminArn);
    add('iam:PutUserPolicy', 'write an admin inline policy on', target.arn);
  }
  for (const arn of target.attachedPolicies) {
    if (arn.includes(':iam::aws:policy/')) continue;
    add('iam:CreatePolicyVersion', `publish an admin default version of policy ${arn.split('/').pop()}, attached to`, arn);
  }
  return out;
}

/** Whether the target's permissions boundary lets an admin policy through: no boundary or `*` on `*`. */
function boundaryOpen(target: Principal): boolean | 'conditional' {
  if (!target.boundary) return true;
  if (target.boundary === 'missing') return 'conditional';
  return target.boundary.some((s) => s.effect === 'Allow' && !s.notAction && !s.notResource && !s.condition && s.actions.includes('*') && (s.resources ?? []).includes('*'));
}
