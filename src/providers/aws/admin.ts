import { isJsonObject } from '../../model/fragment.js';
import type { DeriveContext } from '../../analysis/edges/types.js';
import type { Evidence, Json } from '../../model/fragment.js';
import { allOf } from './evaluate.js';
import { awsModel, type AwsModel, type Decision, type Principal } from './model.js';
import { statementsOf } from './policy.js';

// Admin-equivalence of a principal in its own account: it holds `*` on `*`, or it can rewrite its own
// permissions (PMapper's and Rhino Security's self-escalations). Shared by aws-admin (ADMIN_OF) and the
// escalation rules, which do not draw escalation edges from principals that already are admin.

export const ADMIN_POLICY_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';

export interface AdminGrant {
  /** The pathfinding.cloud id of the self-escalation (iam-007 …), or '*:*'. */
  technique: string;
  /** The IAM actions it uses. */
  actions: string[];
  reason: string;
  decision: Decision;
}

const SELF_ACTIONS = ['iam:CreateUser', 'iam:PutUserPolicy', 'iam:AttachUserPolicy', 'iam:PutGroupPolicy', 'iam:AttachGroupPolicy', 'iam:AddUserToGroup', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'];

/** Actions that together stand for "everything": a principal allowed all of them on '*' holds * on *. */
const PROBES = ['iam:CreateUser', 'iam:PutRolePolicy', 'ec2:RunInstances', 's3:DeleteBucket', 'kms:Decrypt', 'sts:AssumeRole', 'lambda:CreateFunction'];

export function adminGrants(ctx: DeriveContext): Map<string, AdminGrant[]> {
  return ctx.memo('aws:admins', () => {
    const model = awsModel(ctx);
    const out = new Map<string, AdminGrant[]>();
    // Only principals allowed some IAM write that matters can be admin: test those.
    const candidates = new Set(SELF_ACTIONS.flatMap((a) => model.principalsFor(a)));
    for (const p of candidates) {
      const grants = grantsOf(model, p);
      if (grants.length) out.set(p.id, grants);
    }
    return out;
  });
}

/** Unconditionally admin: escalation edges from it add nothing. */
export function isAdmin(ctx: DeriveContext, id: string): boolean {
  return (adminGrants(ctx).get(id) ?? []).some((g) => g.decision.verdict === 'allowed');
}

function grantsOf(model: AwsModel, p: Principal): AdminGrant[] {
  const grants: AdminGrant[] = [];
  const add = (technique: string, reason: string, decision: Decision, actions: string[] = []) => {
    if (decision.verdict !== 'denied') grants.push({ technique, actions, reason, decision });
  };
  const who = `${p.kind === 'aws_user' ? 'user' : 'role'} ${p.name}`;
  add('*:*', `${who} is allowed every action on every resource (AdministratorAccess or equivalent).`, allOf(PROBES.map((a) => model.evaluate(p, a, '*'))));
  if (grants.some((g) => g.decision.verdict === 'allowed')) return grants;

  // Rewriting its own policies only reaches past a permissions boundary that allows everything, or one it can remove.
  const unbounded = boundaryOpen(model, p);
  if (unbounded.verdict === 'denied') return grants;
  // Self-escalations by their pathfinding.cloud id; the action is what the id stands for.
  const self = (technique: string, why: string, d: Decision, action: string) => add(technique, `${who} ${why}, which makes it administrator of its account.`, allOf([d, unbounded]), [action]);
  const adminArn = { 'iam:policyarn': [ADMIN_POLICY_ARN] };
  if (p.kind === 'aws_user') {
    self('iam-007', 'can write an inline policy on itself', model.evaluate(p, 'iam:PutUserPolicy', p.arn), 'iam:PutUserPolicy');
    self('iam-008', 'can attach AdministratorAccess to itself', model.evaluate(p, 'iam:AttachUserPolicy', p.arn, adminArn), 'iam:AttachUserPolicy');
    for (const g of p.groups) {
      const name = g.split('/').pop();
      self('iam-011', `can write an inline policy on its group ${name}`, model.evaluate(p, 'iam:PutGroupPolicy', g), 'iam:PutGroupPolicy');
      self('iam-010', `can attach AdministratorAccess to its group ${name}`, model.evaluate(p, 'iam:AttachGroupPolicy', g, adminArn), 'iam:AttachGroupPolicy');
    }
    for (const [g, group] of model.groups) {
      if (p.groups.includes(g) || !grantsEverything(group.statements)) continue;
      self('iam-013', `can add itself to the group ${group.node.name}, which is allowed every action`, model.evaluate(p, 'iam:AddUserToGroup', g), 'iam:AddUserToGroup');
    }
  } else {
    self('iam-005', 'can write an inline policy on itself', model.evaluate(p, 'iam:PutRolePolicy', p.arn), 'iam:PutRolePolicy');
    self('iam-009', 'can attach AdministratorAccess to itself', model.evaluate(p, 'iam:AttachRolePolicy', p.arn, adminArn), 'iam:AttachRolePolicy');
  }
  const attached = new Set([...p.attachedPolicies, ...p.groups.flatMap((g) => (model.groups.get(g)?.node.props['attachedPolicies'] as string[] | undefined) ?? [])]);
  for (const arn of attached) {
    if (arn.includes(':iam::aws:policy/')) continue;
    const name = arn.split('/').pop();
    self('iam-001', `can publish a new default version of policy ${name}, which is attached to it`, model.evaluate(p, 'iam:CreatePolicyVersion', arn), 'iam:CreatePolicyVersion');
    const pol = model.policies.get(arn);
    const versions = Array.isArray(pol?.node.props['versions']) ? (pol.node.props['versions'] as Json[]) : [];
    const better = versions.find((v) => isJsonObject(v) && v['isDefault'] !== true && grantsEverything(statementsOf(v['document'], { label: '', location: arn, kind: 'identity' })));
    if (better && isJsonObject(better)) {
      self('iam:SetDefaultPolicyVersion', `can make version ${String(better['versionId'])} of policy ${name} (attached to it, allowing everything) the default`, model.evaluate(p, 'iam:SetDefaultPolicyVersion', arn), 'iam:SetDefaultPolicyVersion');
    }
  }
  return grants;
}

function boundaryOpen(model: AwsModel, p: Principal): Decision {
  if (!p.boundary) return { verdict: 'allowed', conditions: [], evidence: [] };
  if (p.boundary !== 'missing' && grantsEverything(p.boundary)) return { verdict: 'allowed', conditions: [], evidence: [] };
  const action = p.kind === 'aws_user' ? 'iam:DeleteUserPermissionsBoundary' : 'iam:DeleteRolePermissionsBoundary';
  const d = model.evaluate(p, action, p.arn);
  if (d.verdict !== 'denied') return { ...d, evidence: [...d.evidence, note(`${p.name} can remove its permissions boundary ${p.boundaryArn} (${action})`, p.boundaryArn)] };
  if (p.boundary === 'missing') return { verdict: 'conditional', conditions: [`the permissions boundary ${p.boundaryArn} (not in the case) allows everything`], evidence: [] };
  return { verdict: 'denied', conditions: [], evidence: [] };
}

function grantsEverything(statements: readonly { effect: string; actions: string[]; notAction: boolean; resources?: string[]; notResource: boolean; condition?: unknown }[]): boolean {
  return statements.some((s) => s.effect === 'Allow' && !s.notAction && !s.notResource && !s.condition && s.actions.includes('*') && (s.resources ?? []).includes('*'));
}

function note(summary: string, location?: string): Evidence {
  return { type: 'policy-statement', summary, ...(location ? { location } : {}) };
}
