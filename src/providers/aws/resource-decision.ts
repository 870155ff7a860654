import { isJsonObject } from '../../model/fragment.js';
import type { Evidence, Json } from '../../model/fragment.js';
import { contextFor, statementEvidence } from './evaluate.js';
import type { AwsModel, Decision, Principal } from './model.js';
import { evaluateCondition, statementCoversAction, statementCoversResource, statementsOf, type Statement } from './policy.js';
import { notPrincipalDenies, principalNaming } from './principal-match.js';

// One action on one resource that may carry a resource-based policy (a Lambda function's policy, a bucket
// policy): AWS's rules. In the resource's own account an identity allow or a resource-policy allow naming the
// principal suffices; across accounts both sides must allow (a policy naming the account delegates to its IAM);
// an explicit deny anywhere wins. Without the resource policy in the case, a cross-account call is conditional
// on it.

export interface ResourceSide {
  arn: string;
  /** The resource's account (undefined: not known). */
  account?: string;
  /** Its resource policy: statements, null when it is known to have none, undefined when not in the case. */
  policy?: Statement[] | null;
  /** Plain words for the resource ("function build-runner"). */
  label: string;
}

export function resourcePolicyOf(doc: Json | undefined, label: string, location: string): Statement[] | null | undefined {
  if (doc === undefined) return undefined;
  if (doc === null || !isJsonObject(doc)) return null;
  return statementsOf(doc, { label: `the resource policy of ${label}`, location, kind: 'resource' });
}

export function decideOnResource(model: AwsModel, p: Principal, action: string, r: ResourceSide): Decision {
  const sameAccount = r.account === undefined || r.account === p.account;
  const conditions: string[] = [];
  const evidence: Evidence[] = [];
  let direct: Statement | undefined;
  let delegated: Statement | undefined;
  for (const s of r.policy ?? []) {
    if (!statementCoversAction(s, action) || statementCoversResource(s, r.arn, p.vars) === false) continue;
    if (s.principal === undefined && s.notPrincipal !== undefined) {
      if (s.effect !== 'Deny') continue;
      const np = notPrincipalDenies(s, p);
      if (!np.applies) continue;
      const c = evaluateCondition(s.condition, contextFor(s, p), 'Deny');
      if (c.result === 'false') continue;
      const unknown = [...(np.unless ? [np.unless] : []), ...c.unknown];
      if (!unknown.length) return { verdict: 'denied', conditions: [], evidence: [statementEvidence(s)], explicitDeny: true };
      conditions.push(`not denied by ${s.ref.label} (${unknown.join(' and ')})`);
      continue;
    }
    const how = principalNaming(s, p);
    if (!how) continue;
    const c = evaluateCondition(s.condition, contextFor(s, p), s.effect);
    if (c.result === 'false') continue;
    if (s.effect === 'Deny') {
      if (c.result === 'true') return { verdict: 'denied', conditions: [], evidence: [statementEvidence(s)], explicitDeny: true };
      conditions.push(`not denied by ${s.ref.label} (${c.unknown.join(' and ')})`);
      continue;
    }
    const better = (prev: Statement | undefined) => !prev || (prev.condition !== undefined && s.condition === undefined);
    if (how === 'principal' && better(direct)) direct = s;
    if (how === 'account' && better(delegated)) delegated = s;
  }
  const withPolicy = (d: Decision, s: Statement): Decision => {
    if (d.verdict === 'denied') return d;
    const unknown = evaluateCondition(s.condition, contextFor(s, p), 'Allow').unknown;
    const all = [...d.conditions, ...conditions, ...unknown];
    return { verdict: all.length ? 'conditional' : 'allowed', conditions: all, evidence: [...d.evidence, statementEvidence(s), ...evidence] };
  };
  if (sameAccount) {
    const identity = model.evaluate(p, action, r.arn);
    if (direct && identity.verdict !== 'allowed') {
      const viaPolicy = model.evaluate(p, action, r.arn, undefined, { grantedByResource: true });
      if (viaPolicy.verdict !== 'denied') return withPolicy(viaPolicy, direct);
    }
    // No resource policy said anything: the identity decision as it is (most calls), without copying it.
    if (identity.verdict === 'denied' || (!conditions.length && !evidence.length)) return identity;
    const all = [...identity.conditions, ...conditions];
    return { verdict: all.length ? 'conditional' : 'allowed', conditions: all, evidence: [...identity.evidence, ...evidence] };
  }
  const identity = model.evaluate(p, action, r.arn);
  if (identity.verdict === 'denied') return identity;
  const s = direct ?? delegated;
  if (s) return withPolicy(identity, s);
  if (r.policy === undefined) {
    const all = [...identity.conditions, ...conditions, `the resource policy of ${r.label} (account ${r.account}, not in the case) allows ${action} from account ${p.account}`];
    return { verdict: 'conditional', conditions: all, evidence: identity.evidence };
  }
  return { verdict: 'denied', conditions: [], evidence: [] };
}
