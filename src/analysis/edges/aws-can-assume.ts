import { ids } from '../../model/ids.js';
import { reads } from '../reads.js';
import { contextFor, statementEvidence } from '../../providers/aws/evaluate.js';
import { awsModel, type AwsModel, type Principal, AWS_MODEL_READS } from '../../providers/aws/model.js';
import { edgeProps, ensureAccount, ensurePrincipal, ensureService, kindWord, AWS_EMIT_READS } from '../../providers/aws/emit.js';
import { evaluateCondition, statementCoversAction, type Statement } from '../../providers/aws/policy.js';
import { denyCovers } from '../../providers/aws/principal-match.js';
import { trustedPrincipals, trustOf, type Trusted } from '../../providers/aws/trust.js';
import type { DeriveContext, EdgeRule } from './types.js';

// sts:AssumeRole as AWS decides it. The trust policy is a resource policy on the role:
// - naming a principal of the role's own account grants by itself (identity denies and SCPs still apply);
// - naming an account (root or bare id) delegates to that account's IAM: its principals need an identity allow;
// - across accounts both sides must allow. "*" trusts anyone, subject to the statement's conditions.
// Trusted accounts outside the case are external accounts whose admin can assume the role.

export const awsCanAssume: EdgeRule = {
  id: 'aws-can-assume',
  description: 'Who can assume each IAM role: trust policy and identity policies evaluated together, as AWS does.',
  emits: ['CAN_ASSUME', 'TRUSTS'],
  reads: reads(AWS_MODEL_READS, AWS_EMIT_READS),
  derive(ctx) {
    const model = awsModel(ctx);
    for (const role of model.principals) {
      if (role.kind !== 'aws_role') continue;
      const statements = trustOf(ctx, role);
      const denies = statements.filter((s) => s.effect === 'Deny');
      for (const t of trustedPrincipals(statements)) {
        if (!statementCoversAction(t.statement, 'sts:AssumeRole')) continue;
        emitTrusts(ctx, model, role, t);
        if (t.kind === 'principal') fromPrincipal(ctx, model, role, t, denies);
        else if (t.kind === 'account') fromAccount(ctx, model, role, t, denies);
        else if (t.kind === 'anyone') fromAnyone(ctx, model, role, t, denies);
        else if (t.kind === 'service') {
          const svc = ensureService(ctx, t.value);
          const cond = t.statement.condition ? [conditionWords(t.statement)] : [];
          ctx.emitEdge({
            from: svc,
            to: role.id,
            kind: 'CAN_ASSUME',
            props: edgeProps(`The trust policy of role ${role.name} lets the AWS service ${t.value} assume it: anyone who can pass the role to that service acts with it.`, 'sts:AssumeRole', [statementEvidence(t.statement)], cond),
          });
        }
      }
    }
  },
};

function emitTrusts(ctx: DeriveContext, model: AwsModel, role: Principal, t: Trusted): void {
  let to: string | undefined;
  if (t.kind === 'principal') {
    if (!model.byId.has(t.value)) ensurePrincipal(ctx, t.value);
    to = t.value;
  } else if (t.kind === 'account') to = ensureAccount(ctx, t.value);
  else if (t.kind === 'service') to = ensureService(ctx, t.value);
  else if (t.kind === 'anyone') to = anyAccount(ctx);
  if (!to) return;
  ctx.emitEdge({ from: role.id, to, kind: 'TRUSTS', props: { reason: `The trust policy of role ${role.name} names ${t.kind === 'account' ? `account ${t.value}` : t.value}.`, technique: 'trust-policy', evidence: [statementEvidence(t.statement)] } });
}

/** The trust statement's own conditions and the trust policy's denies, for this caller. */
function trustSide(p: Principal, t: Trusted, denies: Statement[]): { ok: boolean; conditions: string[]; chosen: string[] } {
  const c = evaluateCondition(t.statement.condition, contextFor(t.statement, p), 'Allow');
  if (c.result === 'false') return { ok: false, conditions: [], chosen: [] };
  const conditions = [...c.unknown];
  for (const d of denies) {
    if (!statementCoversAction(d, 'sts:AssumeRole')) continue;
    const covers = denyCovers(d, p);
    if (!covers.applies) continue;
    const dc = evaluateCondition(d.condition, contextFor(d, p), 'Deny');
    if (dc.result === 'false') continue;
    const unknown = [...(covers.unless ? [covers.unless] : []), ...dc.unknown];
    if (!unknown.length) return { ok: false, conditions: [], chosen: [] };
    conditions.push(`not denied by the trust policy (${unknown.join(' and ')})`);
  }
  return { ok: true, conditions, chosen: c.chosen };
}

function emitAssume(ctx: DeriveContext, model: AwsModel, p: Principal, role: Principal, t: Trusted, denies: Statement[], how: 'named' | 'delegated'): void {
  if (p.id === role.id && how === 'delegated') return;
  const trust = trustSide(p, t, denies);
  if (!trust.ok) return;
  const sameAccount = p.account === role.account;
  // Named in the trust policy of its own account: the trust policy alone grants.
  const grantedByResource = how === 'named' && sameAccount;
  const d = model.evaluate(p, 'sts:AssumeRole', role.arn, undefined, { grantedByResource });
  if (d.verdict === 'denied') return;
  const who = `${kindWord(p.kind)} ${p.name}`;
  const reason = grantedByResource
    ? `The trust policy of role ${role.name} names ${who} of the same account, which is enough for AWS (no identity-policy allow is needed).`
    : sameAccount
      ? `The trust policy of role ${role.name} trusts account ${role.account}, and ${who}'s policies allow sts:AssumeRole on the role.`
      : `Cross-account: the trust policy of role ${role.name} (account ${role.account}) trusts ${how === 'named' ? who : `account ${p.account}`}, and ${who}'s policies in account ${p.account} allow sts:AssumeRole on it; AWS requires both.`;
  const chosen = trust.chosen.length ? ` The caller supplies ${trust.chosen.join(', ')} itself.` : '';
  ctx.emitEdge({
    from: p.id,
    to: role.id,
    kind: 'CAN_ASSUME',
    props: edgeProps(reason + chosen, 'sts:AssumeRole', [statementEvidence(t.statement), ...d.evidence], [...trust.conditions, ...d.conditions]),
  });
}

function fromPrincipal(ctx: DeriveContext, model: AwsModel, role: Principal, t: Trusted, denies: Statement[]): void {
  const p = model.byId.get(t.value);
  if (p) return emitAssume(ctx, model, p, role, t, denies, 'named');
  // Named but not described in the case: if it lives in another account, that account's policies are unknown.
  if (t.account === role.account) return;
  ctx.emitEdge({
    from: t.value,
    to: role.id,
    kind: 'CAN_ASSUME',
    props: edgeProps(`The trust policy of role ${role.name} names ${t.value} of account ${t.account}, which is not in the case.`, 'sts:AssumeRole', [statementEvidence(t.statement)], [`${t.value}'s own policies (account ${t.account}, not in the case) allow sts:AssumeRole on ${role.arn}`, ...(t.statement.condition ? [conditionWords(t.statement)] : [])]),
  });
}

function fromAccount(ctx: DeriveContext, model: AwsModel, role: Principal, t: Trusted, denies: Statement[]): void {
  const account = t.value;
  const inCase = model.accounts.has(account);
  if (inCase) {
    for (const p of model.principalsNaming('sts:AssumeRole', role.arn)) if (p.account === account) emitAssume(ctx, model, p, role, t, denies, 'delegated');
  }
  // Whoever administers the trusted account can give itself sts:AssumeRole on the role (in the role's own
  // account the admin holds the role already).
  if (account === role.account) return;
  ensureAccount(ctx, account);
  const cond = t.statement.condition ? [conditionWords(t.statement)] : [];
  ctx.emitEdge({
    from: ids.admin(ids.awsAccount(account)),
    to: role.id,
    kind: 'CAN_ASSUME',
    props: edgeProps(
      `The trust policy of role ${role.name} trusts account ${account}${inCase ? '' : ' (not in the case)'}: an administrator of that account can allow any of its principals to assume the role.`,
      'sts:AssumeRole',
      [statementEvidence(t.statement)],
      cond,
    ),
  });
}

/** Principal "*": every AWS account in the world, one boundary (with its admin) so the open trust is visible. */
function anyAccount(ctx: DeriveContext): string {
  const id = ids.awsAccount('*');
  if (!ctx.node(id)) {
    ctx.emitNode({ id, kind: 'aws_external_account', name: 'any AWS account', handles: ['*'], props: { anyone: true } });
    ctx.emitNode({ id: ids.admin(id), kind: 'admin', name: 'Anyone with an AWS account', boundary: id });
  }
  return id;
}

function fromAnyone(ctx: DeriveContext, model: AwsModel, role: Principal, t: Trusted, denies: Statement[]): void {
  const anyone = anyAccount(ctx);
  ctx.emitEdge({
    from: ids.admin(anyone),
    to: role.id,
    kind: 'CAN_ASSUME',
    props: edgeProps(`The trust policy of role ${role.name} trusts "*": a principal of any AWS account can assume it${t.statement.condition ? ' when the statement\'s conditions hold' : ''}.`, 'sts:AssumeRole', [statementEvidence(t.statement)], t.statement.condition ? [conditionWords(t.statement)] : []),
  });
  for (const p of model.principals) {
    if (p.id === role.id) continue;
    emitAssume(ctx, model, p, role, t, denies, p.account === role.account ? 'named' : 'delegated');
  }
}

function conditionWords(s: Statement): string {
  return Object.entries(s.condition ?? {})
    .flatMap(([op, keys]) => Object.entries(keys).map(([k, v]) => `${op} ${k} ${JSON.stringify(v.length === 1 ? v[0] : v)}`))
    .join(' and ');
}
