import { isJsonObject } from '../../model/fragment.js';
import type { Principal } from './model.js';
import { strings, type Statement } from './policy.js';

// How the Principal / NotPrincipal element of a resource policy (a bucket policy, a key policy, a role's trust
// policy) applies to one IAM principal of the case.

export type Naming = 'principal' | 'account' | undefined;

/** How a statement's Principal names P: itself (or everyone), its account (delegation to its IAM), or not at all. */
export function principalNaming(s: Statement, p: Principal): Naming {
  const pr = s.principal;
  if (pr === '*') return 'principal';
  if (!isJsonObject(pr)) return undefined;
  let how: Naming;
  for (const v of strings(pr['AWS'])) {
    if (v === '*' || v === p.arn || (p.userId && v === p.userId)) return 'principal';
    if (v === p.account || v === `arn:aws:iam::${p.account}:root`) how = 'account';
  }
  return how;
}

/**
 * A Deny with NotPrincipal denies everyone it does not list (AWS supports it with Deny only; an Allow with
 * NotPrincipal is not supported and grants nothing here). AWS checks the account before the principal, so listing
 * a principal without its account may still deny it, and a principal with a permissions boundary is always denied.
 * Returns whether the deny reaches P: yes, no, or a condition that says when.
 */
export function notPrincipalDenies(s: Statement, p: Principal): { applies: boolean; unless?: string } {
  const listed = isJsonObject(s.notPrincipal) ? strings(s.notPrincipal['AWS']) : s.notPrincipal === '*' ? ['*'] : [];
  if (listed.includes('*')) return { applies: false };
  if (p.boundary || p.boundaryArn) return { applies: true };
  const sessionPrefix = p.kind === 'aws_role' ? `arn:aws:sts::${p.account}:assumed-role/${p.name}/` : undefined;
  const self = listed.some((v) => v === p.arn || (p.userId !== undefined && v === p.userId) || (sessionPrefix !== undefined && v.startsWith(sessionPrefix)));
  const account = listed.some((v) => v === p.account || v === `arn:aws:iam::${p.account}:root`);
  if (!self) return { applies: true };
  if (account) return { applies: false };
  return { applies: true, unless: `NotPrincipal lists ${p.name} but not its account ${p.account}, and AWS may check the account first` };
}

/** Whether a Deny statement's Principal or NotPrincipal covers P; `unless` when it does only in some cases. */
export function denyCovers(s: Statement, p: Principal): { applies: boolean; unless?: string } {
  if (s.principal === undefined && s.notPrincipal !== undefined) return notPrincipalDenies(s, p);
  return { applies: principalNaming(s, p) !== undefined };
}
