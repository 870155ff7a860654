import { isObject } from '../../model/fragment.js';
import type { Json } from '../../model/fragment.js';
import { Glob } from '../../model/glob.js';

// IRSA: the EKS pod-identity webhook gives a pod a projected token from the cluster's OIDC issuer (sub =
// system:serviceaccount:<ns>:<name>, aud = sts.amazonaws.com unless the eks.amazonaws.com/audience annotation says
// otherwise) and the SDK calls sts:AssumeRoleWithWebIdentity. STS accepts it only if the role's trust policy allows
// that action to the issuer's oidc-provider with conditions the token satisfies. This checks the statements
// offline; which issuer belongs to which cluster is not in kubectl output, so any EKS oidc-provider is accepted.

export type TrustVerdict =
  | { outcome: 'allowed'; statement: Json; index: number; provider: string; unresolved: string[]; wideSub: boolean }
  | { outcome: 'refused'; why: string; statement?: Json; index?: number };

const WEB_IDENTITY = 'sts:assumerolewithwebidentity';
const EKS_ISSUER = /^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\//;

export function checkIrsaTrust(trustPolicy: unknown, sub: string, aud: string): TrustVerdict {
  const doc = isObject(trustPolicy) ? trustPolicy : {};
  const statements = Array.isArray(doc['Statement']) ? doc['Statement'] : isObject(doc['Statement']) ? [doc['Statement']] : [];
  let allowed: TrustVerdict | undefined;
  const misses: string[] = [];
  for (const [index, st] of statements.entries()) {
    if (!isObject(st) || !actionMatches(st['Action'], st['NotAction'])) continue;
    const providers = federated(st['Principal']).filter((p) => /:oidc-provider\//.test(p));
    if (!providers.length) continue;
    for (const provider of providers) {
      const prefix = provider.slice(provider.indexOf(':oidc-provider/') + ':oidc-provider/'.length).toLowerCase();
      const result = conditionsHold(st['Condition'], prefix, sub, aud);
      if (st['Effect'] === 'Deny') {
        if (result.ok) return { outcome: 'refused', why: `statement ${index + 1} denies sts:AssumeRoleWithWebIdentity to ${sub}`, statement: st as Json, index };
        continue;
      }
      if (st['Effect'] !== 'Allow') continue;
      // Without a sub condition only an EKS issuer is taken to issue this account's token (a GitHub or Google
      // provider trusted without conditions is open to its own subjects, not to the cluster's).
      if (result.ok && !result.subChecked && !EKS_ISSUER.test(prefix)) misses.push(`statement ${index + 1}: ${provider} is not an EKS OIDC issuer and no sub condition names the account`);
      else if (result.ok) allowed ??= { outcome: 'allowed', statement: st as Json, index, provider, unresolved: result.unresolved, wideSub: !result.subChecked };
      else misses.push(`statement ${index + 1}: ${result.why}`);
    }
  }
  if (allowed) return allowed;
  return { outcome: 'refused', why: misses.length ? misses.join('; ') : 'no statement allows sts:AssumeRoleWithWebIdentity to an OIDC provider' };
}

function conditionsHold(cond: unknown, prefix: string, sub: string, aud: string): { ok: true; unresolved: string[]; subChecked: boolean } | { ok: false; why: string } {
  const unresolved: string[] = [];
  let subChecked = false;
  if (!isObject(cond)) return { ok: true, unresolved, subChecked };
  for (const [rawOp, block] of Object.entries(cond)) {
    if (!isObject(block)) continue;
    const ifExists = rawOp.endsWith('IfExists');
    const op = rawOp.replace(/IfExists$/, '').replace(/^ForAnyValue:|^ForAllValues:/, '');
    for (const [rawKey, rawValues] of Object.entries(block)) {
      const key = rawKey.toLowerCase();
      const values = (Array.isArray(rawValues) ? rawValues : [rawValues]).map(String);
      const claim = key === `${prefix}:sub` ? 'sub' : key === `${prefix}:aud` ? 'aud' : undefined;
      if (!claim) {
        unresolved.push(`${rawOp} ${rawKey} ${JSON.stringify(rawValues)}`);
        continue;
      }
      const actual = claim === 'sub' ? sub : aud;
      const verdict = compare(op, values, actual);
      if (verdict === undefined) {
        if (!ifExists) unresolved.push(`${rawOp} ${rawKey} ${JSON.stringify(rawValues)}`);
        continue;
      }
      if (claim === 'sub') subChecked = true;
      if (!verdict) return { ok: false, why: `${rawOp} on ${rawKey} allows ${values.join(', ')}, not ${actual}` };
    }
  }
  return { ok: true, unresolved, subChecked };
}

function compare(op: string, values: string[], actual: string): boolean | undefined {
  switch (op) {
    case 'StringEquals':
      return values.includes(actual);
    case 'StringEqualsIgnoreCase':
      return values.some((v) => v.toLowerCase() === actual.toLowerCase());
    case 'StringLike':
      return values.some((v) => glob(v).test(actual));
    case 'StringNotEquals':
      return !values.includes(actual);
    case 'StringNotEqualsIgnoreCase':
      return !values.some((v) => v.toLowerCase() === actual.toLowerCase());
    case 'StringNotLike':
      return !values.some((v) => glob(v).test(actual));
    default:
      return undefined;
  }
}

function glob(pattern: string): Glob {
  return new Glob(pattern);
}

function actionMatches(action: unknown, notAction: unknown): boolean {
  const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((a) => String(a).toLowerCase());
  const matches = (patterns: string[]) => patterns.some((p) => glob(p).test(WEB_IDENTITY));
  if (action !== undefined) return matches(list(action));
  if (notAction !== undefined) return !matches(list(notAction));
  return false;
}

function federated(principal: unknown): string[] {
  if (!isObject(principal)) return [];
  const f = principal['Federated'];
  return (Array.isArray(f) ? f : f === undefined ? [] : [f]).map(String);
}


/** What EKS Pod Identity knows when it assumes a role: the session tags it sets and the account it calls from. */
export interface PodIdentityContext {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  /** The cluster's account (from the association ARN), when known. */
  account?: string;
  tagSession: boolean;
}

/**
 * EKS Pod Identity: the EKS Auth service assumes the role as service principal pods.eks.amazonaws.com with
 * sts:AssumeRole and, unless the association disables session tags, sts:TagSession. Conditions on the session tags
 * it sets (aws:RequestTag/kubernetes-namespace, kubernetes-service-account, eks-cluster-name) and on
 * aws:SourceAccount are checked; any other condition is returned unresolved.
 */
export function checkPodIdentityTrust(trustPolicy: unknown, pi: PodIdentityContext): TrustVerdict {
  const doc = isObject(trustPolicy) ? trustPolicy : {};
  const statements = Array.isArray(doc['Statement']) ? doc['Statement'] : isObject(doc['Statement']) ? [doc['Statement']] : [];
  const needed = pi.tagSession ? ['sts:assumerole', 'sts:tagsession'] : ['sts:assumerole'];
  const known: Record<string, string | undefined> = {
    'aws:requesttag/kubernetes-namespace': pi.tagSession ? pi.namespace : undefined,
    'aws:requesttag/kubernetes-service-account': pi.tagSession ? pi.serviceAccount : undefined,
    'aws:requesttag/eks-cluster-name': pi.tagSession ? pi.clusterName : undefined,
    'aws:sourceaccount': pi.account,
  };
  const covered = new Map<string, { statement: Json; index: number; conditions: string[] }>();
  const misses: string[] = [];
  for (const [index, st] of statements.entries()) {
    if (!isObject(st) || st['Effect'] !== 'Allow') continue;
    const principal = st['Principal'];
    const services = isObject(principal) ? [principal['Service']].flat().map(String) : principal === '*' ? ['*'] : [];
    if (!services.some((s) => s === 'pods.eks.amazonaws.com' || s === '*')) continue;
    const unresolved: string[] = [];
    let refusedBy: string | undefined;
    if (isObject(st['Condition'])) {
      for (const [rawOp, block] of Object.entries(st['Condition'])) {
        if (!isObject(block)) continue;
        const op = rawOp.replace(/IfExists$/, '');
        for (const [rawKey, rawValues] of Object.entries(block)) {
          const values = (Array.isArray(rawValues) ? rawValues : [rawValues]).map(String);
          const actual = known[rawKey.toLowerCase()];
          const verdict = actual === undefined ? undefined : compare(op, values, actual);
          if (verdict === undefined) unresolved.push(`${rawOp} ${rawKey} ${JSON.stringify(rawValues)}`);
          else if (!verdict) refusedBy ??= `${rawOp} on ${rawKey} allows ${values.join(', ')}, not ${actual}`;
        }
      }
    }
    if (refusedBy) {
      misses.push(`statement ${index + 1}: ${refusedBy}`);
      continue;
    }
    for (const action of needed) {
      const list = [st['Action']].flat().filter((a) => a !== undefined).map((a) => String(a).toLowerCase());
      if (list.some((p) => glob(p).test(action)) && !covered.has(action)) covered.set(action, { statement: st as Json, index, conditions: unresolved });
    }
  }
  const missing = needed.filter((a) => !covered.has(a));
  if (missing.length) {
    const names = missing.map((a) => (a === 'sts:assumerole' ? 'sts:AssumeRole' : 'sts:TagSession')).join(' and ');
    return { outcome: 'refused', why: `no statement allows ${names} to pods.eks.amazonaws.com for ${pi.namespace}/${pi.serviceAccount}${misses.length ? ` (${misses.join('; ')})` : ''}` };
  }
  const first = covered.get('sts:assumerole')!;
  const unresolved = [...new Set([...covered.values()].flatMap((c) => c.conditions))];
  return { outcome: 'allowed', statement: first.statement, index: first.index, provider: 'pods.eks.amazonaws.com', unresolved, wideSub: false };
}
