import { isJsonObject } from '../../model/fragment.js';
import type { Json } from '../../model/fragment.js';
import { arnAccount } from '../../model/ids.js';
import type { DeriveContext } from '../../analysis/edges/types.js';
import type { Principal } from './model.js';
import { statementCoversAction, statementsOf, strings, type Statement } from './policy.js';

// Principals named in a role's trust policy, sorted by what AWS makes of them.

export type TrustedKind = 'principal' | 'account' | 'anyone' | 'service' | 'federated';

export interface Trusted {
  kind: TrustedKind;
  /** ARN (principal, federated), 12-digit account id, service name, or '*'. */
  value: string;
  account?: string;
  statement: Statement;
}

export function trustStatements(role: Principal): Statement[] {
  return statementsOf(role.node.props['trustPolicy'] as Json, { label: `the trust policy of role ${role.name}`, location: `${role.arn} AssumeRolePolicyDocument`, kind: 'trust' });
}

/** Cached per run: every role's trust statements. */
export function trustOf(ctx: DeriveContext, role: Principal): Statement[] {
  return ctx.memo(`aws:trust:${role.id}`, () => trustStatements(role));
}

export const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML'] as const;

/**
 * The principals a trust policy names, in statement order. Remembered per statements array (trustOf's, one per
 * role and run): every technique family asks each role whether it trusts its service, and can-assume and the
 * federated rule read the same list again. Callers must not change the array.
 */
export function trustedPrincipals(statements: Statement[]): readonly Trusted[] {
  let out = trustedMemo.get(statements);
  if (!out) trustedMemo.set(statements, (out = readTrusted(statements)));
  return out;
}
const trustedMemo = new WeakMap<Statement[], Trusted[]>();

function readTrusted(statements: Statement[]): Trusted[] {
  const out: Trusted[] = [];
  for (const s of statements) {
    if (s.effect !== 'Allow' || !ASSUME_ACTIONS.some((a) => statementCoversAction(s, a))) continue;
    const p = s.principal;
    if (p === '*') {
      out.push({ kind: 'anyone', value: '*', statement: s });
      continue;
    }
    if (!isJsonObject(p)) continue;
    for (const v of strings(p['AWS'] as Json)) {
      if (v === '*') out.push({ kind: 'anyone', value: '*', statement: s });
      else if (/^\d{12}$/.test(v)) out.push({ kind: 'account', value: v, account: v, statement: s });
      else if (/^arn:[^:]+:iam::\d{12}:root$/.test(v)) out.push({ kind: 'account', value: arnAccount(v)!, account: arnAccount(v), statement: s });
      else if (/^arn:[^:]+:sts::\d{12}:assumed-role\//.test(v)) {
        // A role session: the role it belongs to is the principal.
        const [, partition, acct, role] = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)/.exec(v) ?? [];
        if (acct && role) out.push({ kind: 'principal', value: `arn:${partition}:iam::${acct}:role/${role}`, account: acct, statement: s });
      } else if (/^arn:[^:]+:iam::\d{12}:(user|role)\//.test(v)) out.push({ kind: 'principal', value: v, account: arnAccount(v), statement: s });
    }
    for (const v of strings(p['Service'] as Json)) out.push({ kind: 'service', value: v, statement: s });
    for (const v of strings(p['Federated'] as Json)) out.push({ kind: 'federated', value: v, account: arnAccount(v), statement: s });
  }
  return out;
}

/** Whether some trust statement lets the service assume the role (PassRole targets must trust it). */
export function trustsService(statements: Statement[], service: string): Statement | undefined {
  return trustedServices(statements).get(service);
}

/**
 * Per service principal the trust policy names, the statement that lets it assume the role: the first without a
 * condition, else the first. Remembered like trustedPrincipals.
 */
export function trustedServices(statements: Statement[]): ReadonlyMap<string, Statement> {
  let out = servicesMemo.get(statements);
  if (!out) {
    out = new Map();
    for (const t of trustedPrincipals(statements)) {
      if (t.kind !== 'service') continue;
      const prev = out.get(t.value);
      if (!prev || (prev.condition && !t.statement.condition)) out.set(t.value, t.statement);
    }
    servicesMemo.set(statements, out);
  }
  return out;
}
const servicesMemo = new WeakMap<Statement[], Map<string, Statement>>();
