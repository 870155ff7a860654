import { isJsonObject } from '../../model/fragment.js';
import type { Principal } from './model.js';
import { strings, type Statement } from './policy.js';

// How the Principal / NotPrincipal element of a resource policy (a bucket policy, a key policy, a role's trust
// policy) applies to one IAM principal of the case.

export type Naming = 'principal' | 'account' | undefined;

/** The partition of P's ARN (aws, aws-cn, aws-us-gov). */
function partitionOf(p: Principal): string {
  return p.arn.split(':')[1] || 'aws';
}

/** A role's session ARN prefix: the caller of a role is one of its sessions, whose name it chooses when assuming it. */
function sessionPrefix(p: Principal): string | undefined {
  return p.kind === 'aws_role' ? `arn:${partitionOf(p)}:sts::${p.account}:assumed-role/${p.name}/` : undefined;
}

/** How a statement's Principal names P: itself (or everyone), its account (delegation to its IAM), or not at all. */
export function principalNaming(s: Statement, p: Principal): Naming {
  const pr = s.principal;
  if (pr === '*') return 'principal';
  if (!isJsonObject(pr)) return undefined;
  let how: Naming;
  const session = sessionPrefix(p);
  for (const v of strings(pr['AWS'])) {
    if (v === '*' || v === p.arn || (p.userId && v === p.userId)) return 'principal';
    // A role session named in the policy: whoever assumes the role may pick that session name.
    if (session && v.startsWith(session)) return 'principal';
    if (v === p.account || v === `arn:${partitionOf(p)}:iam::${p.account}:root`) how = 'account';
  }
  return how;
}

/**
 * A Deny with NotPrincipal denies everyone it does not list (AWS supports it with Deny only; an Allow with
 * NotPrincipal is not supported and grants nothing here). The request's principal must be listed: for a role that is
 * the session (arn:aws:sts::…:assumed-role/R/<session>), so listing the role's ARN alone exempts none of its callers.
 * AWS may also check the account, and for a session the role, first: a principal listed without them is denied
 * unless AWS happens not to check (the deny is then undecidable). A principal with a permissions boundary is always
 * denied. Returns whether the deny reaches P: yes, no, or a condition that says when.
 */
export function notPrincipalDenies(s: Statement, p: Principal): { applies: boolean; unless?: string } {
  const listed = isJsonObject(s.notPrincipal) ? strings(s.notPrincipal['AWS']) : s.notPrincipal === '*' ? ['*'] : [];
  if (listed.includes('*')) return { applies: false };
  if (p.boundary || p.boundaryArn) return { applies: true };
  const account = listed.some((v) => v === p.account || v === `arn:${partitionOf(p)}:iam::${p.account}:root`);
  const named = listed.some((v) => v === p.arn || (p.userId !== undefined && v === p.userId));
  const session = sessionPrefix(p);
  if (session === undefined) {
    if (!named) return { applies: true };
    if (account) return { applies: false };
    return { applies: true, unless: `NotPrincipal lists ${p.name} but not its account ${p.account}, and AWS may check the account first` };
  }
  const sessions = listed.filter((v) => v.startsWith(session));
  // The caller of a role is a session of it: with none listed, the role's ARN does not exempt it.
  if (!sessions.length) return { applies: true };
  const missing = [...(account ? [] : [`its account ${p.account}`]), ...(named ? [] : [`the role ${p.arn}`])];
  if (!missing.length) return { applies: false };
  return { applies: true, unless: `NotPrincipal lists the session ${sessions[0]} of ${p.name} (a session name the caller picks) but not ${missing.join(' or ')}, and AWS may check ${missing.length > 1 ? 'them' : 'it'} first` };
}

/** Whether a Deny statement's Principal or NotPrincipal covers P; `unless` when it does only in some cases. */
export function denyCovers(s: Statement, p: Principal): { applies: boolean; unless?: string } {
  if (s.principal === undefined && s.notPrincipal !== undefined) return notPrincipalDenies(s, p);
  return { applies: principalNaming(s, p) !== undefined };
}
