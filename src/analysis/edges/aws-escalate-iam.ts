import { arnAccount, ids } from '../../model/ids.js';
import { reads } from '../reads.js';
import { isAdmin } from '../../providers/aws/admin.js';
import { allOf } from '../../providers/aws/evaluate.js';
import { awsModel, type AwsModel, type Decision, type Principal, AWS_MODEL_READS } from '../../providers/aws/model.js';
import { edgeProps, kindWord, AWS_EMIT_READS } from '../../providers/aws/emit.js';
import type { DeriveContext, EdgeRule } from './types.js';

// IAM-only escalations onto another principal: take over a user's credentials, or rewrite a role's trust policy.
// (Rewriting one's own policies is admin-equivalence: aws-admin. Rewriting someone else's policies gives the
// attacker nothing unless it can also act as them, which these techniques or CAN_ASSUME already say.)

interface IamTechnique {
  /** The pathfinding.cloud id. */
  technique: string;
  action: string;
  target: 'aws_user' | 'aws_role';
  /** "<attacker> …s <target>" */
  how: string;
}

export const IAM_TECHNIQUES: readonly IamTechnique[] = [
  { technique: 'iam-002', action: 'iam:CreateAccessKey', target: 'aws_user', how: 'can create an access key for' },
  { technique: 'iam-004', action: 'iam:CreateLoginProfile', target: 'aws_user', how: 'can set a console password for' },
  { technique: 'iam-006', action: 'iam:UpdateLoginProfile', target: 'aws_user', how: 'can change the console password of' },
  { technique: 'iam-012', action: 'iam:UpdateAssumeRolePolicy', target: 'aws_role', how: 'can rewrite the trust policy of' },
];

/** CreateAccessKey onto a user that already holds two keys: one must be deleted first. */
const DELETE_THEN_CREATE: IamTechnique = { technique: 'iam-003', action: 'iam:CreateAccessKey', target: 'aws_user', how: 'can delete an access key of and create a new one for' };

export const awsEscalateIam: EdgeRule = {
  id: 'aws-escalate-iam',
  description: 'IAM privilege escalation onto other users and roles: new access keys, console passwords, trust-policy rewrites.',
  emits: ['CAN_ESCALATE'],
  reads: reads(AWS_MODEL_READS, AWS_EMIT_READS, { nodes: ['aws_access_key', 'aws_password'], edges: ['AUTHENTICATES_AS'], edgeEnds: { AUTHENTICATES_AS: { from: ['aws_access_key'] } } }),
  derive(ctx) {
    const model = awsModel(ctx);
    const pools = {
      aws_user: model.principals.filter((p) => p.kind === 'aws_user'),
      aws_role: model.principals.filter((p) => p.kind === 'aws_role' && !String(p.node.props['path'] ?? '').startsWith('/aws-service-role/')),
    };
    addToGroup(ctx, model);
    for (const t of IAM_TECHNIQUES) {
      for (const p of model.principalsFor(t.action)) {
        if (isAdmin(ctx, p.id)) continue;
        for (const target of model.candidateTargets(p, t.action, pools[t.target], model.byId)) {
          // IAM calls act on the caller's own account only.
          if (target.id === p.id || target.account !== p.account) continue;
          let d = model.evaluate(p, t.action, target.arn);
          if (d.verdict === 'denied') continue;
          // A user holds at most two access keys: with two already, one must be deleted first (iam-003).
          if (t.action === 'iam:CreateAccessKey' && (keyCounts(ctx).get(target.id) ?? 0) >= 2) {
            d = allOf([d, model.evaluate(p, 'iam:DeleteAccessKey', target.arn)]);
            if (d.verdict === 'denied') continue;
            emit(ctx, p, target, DELETE_THEN_CREATE, d);
            continue;
          }
          emit(ctx, p, target, t, d);
        }
      }
    }
  },
};

/** Access keys per user ARN (active or not: both count toward the limit of two), from imported key nodes. */
function keyCounts(ctx: DeriveContext): Map<string, number> {
  return ctx.memo('aws:key-counts', () => {
    const counts = new Map<string, number>();
    for (const key of ctx.nodesOfKind('aws_access_key')) {
      if (key.id.startsWith('aws:key:ASIA')) continue;
      // ownerId when the source knows the user's ARN; else the user it authenticates as (list-access-keys).
      const owner = typeof key.props['ownerId'] === 'string' ? key.props['ownerId'] : ctx.out(key.id, 'AUTHENTICATES_AS')[0]?.dst;
      if (owner) counts.set(owner, (counts.get(owner) ?? 0) + 1);
    }
    return counts;
  });
}

// Joining a group gives its policies. Joining an admin-equivalent group is ADMIN_OF (aws-admin); any other group
// is an edge to the group, whose policies its members receive.
function addToGroup(ctx: DeriveContext, model: AwsModel): void {
  const groups = [...model.groups.entries()].map(([id, g]) => ({ id, ...g }));
  const byId = new Map(groups.map((g) => [g.id, g]));
  for (const p of model.principalsFor('iam:AddUserToGroup')) {
    if (p.kind !== 'aws_user' || isAdmin(ctx, p.id)) continue;
    for (const g of model.candidateTargets(p, 'iam:AddUserToGroup', groups, byId)) {
      if (p.groups.includes(g.id) || arnAccount(g.id) !== p.account) continue;
      const d = model.evaluate(p, 'iam:AddUserToGroup', g.id);
      if (d.verdict === 'denied') continue;
      ctx.emitEdge({ from: p.id, to: g.id, kind: 'CAN_ESCALATE', props: edgeProps(`user ${p.name} can add itself to group ${g.node.name} and receive the group's policies.`, 'iam-013', d.evidence, d.conditions, { actions: ['iam:AddUserToGroup'] }) });
    }
  }
}

function emit(ctx: DeriveContext, p: Principal, target: Principal, t: IamTechnique, d: Decision): void {
  const who = `${kindWord(p.kind)} ${p.name}`;
  const them = `${kindWord(target.kind)} ${target.name}`;
  let reason = `${who} ${t.how} ${them} and so acts as it.`;
  const conditions: string[] = [];
  if (t.action === 'iam:CreateLoginProfile' || t.action === 'iam:UpdateLoginProfile') {
    const password = ctx.node(ids.awsPassword(target.arn));
    // A credential report says password_enabled false when the user has none (and then writes no password node).
    const has = password ? password.props['active'] !== false : target.node.props['password_enabled'] === false ? false : undefined;
    if (t.action === 'iam:CreateLoginProfile' && has === true) return;
    if (t.action === 'iam:UpdateLoginProfile' && has === false) return;
    if (has === undefined) conditions.push(t.action === 'iam:CreateLoginProfile' ? `${them} has no console password yet (not recorded in the case)` : `${them} has a console password (not recorded in the case)`);
    reason = `${who} ${t.how} ${them} and signs in to the console as it.`;
  }
  if (t.action === 'iam:UpdateAssumeRolePolicy') reason = `${who} ${t.how} ${them} to name itself, then assumes it (a same-account trust policy naming the caller needs no other allow).`;
  if (t === DELETE_THEN_CREATE) reason = `${who} can delete one of the two access keys of ${them} and create a new one, and so acts as it.`;
  ctx.emitEdge({ from: p.id, to: target.id, kind: 'CAN_ESCALATE', props: edgeProps(reason, t.technique, d.evidence, [...d.conditions, ...conditions], { actions: t === DELETE_THEN_CREATE ? ['iam:DeleteAccessKey', 'iam:CreateAccessKey'] : [t.action] }) });
}
