import type { DeriveContext, RuleReads } from '../../analysis/edges/types.js';
import type { EdgeProps, Evidence } from '../../model/fragment.js';
import { arnAccount, ids } from '../../model/ids.js';

// Small helpers the AWS rules share: edge props in one shape, and nodes for principals outside the case.

/** Boundary ids of AWS accounts (ids.awsAccount), in the case and external. */
export const AWS_ACCOUNT_PREFIX = ids.awsAccount('');

/** What ensureAccount / ensurePrincipal / ensureService look up (a rule using them declares these). */
export const AWS_EMIT_READS: Partial<RuleReads> = {
  nodes: ['aws_account', 'aws_external_account', 'admin', 'aws_user', 'aws_role', 'aws_root', 'aws_group', 'aws_service', 'aws_identity_provider', 'federated_subject'],
  // The admin nodes of AWS accounts only: a cluster's or a tenant's coming or going does not concern the AWS rules.
  nodesWithin: { admin: [AWS_ACCOUNT_PREFIX] },
};

export function edgeProps(reason: string, technique: string, evidence: readonly Evidence[], conditions: readonly string[], extra?: Partial<EdgeProps>): EdgeProps {
  // Built in place, in the same key order as a spread would give (the stored JSON is the same): tens of thousands of
  // edges at quota size, most with no condition or one, so no set and no empty object per edge.
  const unique = conditions.length < 2 ? conditions : [...new Set(conditions)];
  const props: EdgeProps = { reason, technique, evidence: dedupe(evidence) };
  if (unique.length) props.conditional = unique.join('; ');
  if (extra) for (const k in extra) (props as Record<string, unknown>)[k] = extra[k as keyof EdgeProps];
  return props;
}

function dedupe(evidence: readonly Evidence[]): Evidence[] {
  // An edge cites a handful of pieces: compared pairwise (the same object, or the same place and summary) instead of
  // a key string built per piece per edge.
  if (evidence.length <= 16) {
    const out: Evidence[] = [];
    for (const e of evidence) if (!out.some((k) => k === e || ((k.location ?? '') === (e.location ?? '') && k.summary === e.summary))) out.push(e);
    return out;
  }
  const seen = new Set<string>();
  return evidence.filter((e) => {
    const key = `${e.location ?? ''}\n${e.summary}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Makes sure an account node exists: an account not in the case becomes an external account with its admin. */
export function ensureAccount(ctx: DeriveContext, account: string): string {
  const id = ids.awsAccount(account);
  if (!ctx.node(id)) {
    ctx.emitNode({ id, kind: 'aws_external_account', name: account, handles: [account, id], props: { accountId: account } });
  }
  const admin = ids.admin(id);
  if (!ctx.node(admin)) ctx.emitNode({ id: admin, kind: 'admin', name: `Admin of AWS account ${account}`, boundary: id });
  return id;
}

/** A principal ARN named by a policy but not described in the case: a stub in its account. */
export function ensurePrincipal(ctx: DeriveContext, arn: string): void {
  if (ctx.node(arn)) return;
  const account = arnAccount(arn);
  const boundary = account ? ensureAccount(ctx, account) : undefined;
  const kind = /:role\//.test(arn) ? 'aws_role' : 'aws_user';
  ctx.emitNode({ id: arn, kind, name: arn.split('/').pop() ?? arn, handles: [arn], stub: true, ...(boundary ? { boundary } : {}) });
}

export function ensureService(ctx: DeriveContext, service: string): string {
  const id = ids.awsService(service);
  if (!ctx.node(id)) ctx.emitNode({ id, kind: 'aws_service', name: service, handles: [service] });
  return id;
}

export function kindWord(kind: string): string {
  return kind === 'aws_user' ? 'user' : kind === 'aws_role' ? 'role' : kind.replace(/^aws_/, '');
}
