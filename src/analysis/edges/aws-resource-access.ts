import { isJsonObject } from '../../model/fragment.js';
import { reads } from '../reads.js';
import type { Evidence } from '../../model/fragment.js';
import { arnAccount } from '../../model/ids.js';
import { ACCESS_LEVELS, type AccessLevel, type NodeKind } from '../../model/kinds.js';
import type { StoredNode } from '../../store/case-store.js';
import { actionsOf, type ActionInfo } from '../../providers/aws/catalog.js';
import { requestContext, statementEvidence } from '../../providers/aws/evaluate.js';
import { awsModel, type AwsModel, type Decision, type Principal, AWS_MODEL_READS } from '../../providers/aws/model.js';
import { substitute } from '../../providers/aws/model-index.js';
import { edgeProps, kindWord, AWS_EMIT_READS } from '../../providers/aws/emit.js';
import { notPrincipalDenies, principalNaming } from '../../providers/aws/principal-match.js';
import { actionPatternMatches, evaluateCondition, statementCoversAction, statementCoversResource, statementsOf, strings, type Statement } from '../../providers/aws/policy.js';
import type { EdgeRule } from './types.js';

// Who can act on the buckets, secrets and KMS keys in the case, at what access level. AWS's rules: in the
// resource's own account an identity-policy allow or a resource-policy allow naming the principal suffices;
// across accounts both are needed; a resource policy naming an account delegates to that account's IAM; an
// explicit deny anywhere wins. A KMS key policy must always allow (naming the account root delegates to IAM).

interface ResourceSpec {
  kind: NodeKind;
  service: string;
  policyProp: string;
  /** The ARN each catalogue resource type is evaluated on. */
  arnFor(node: StoredNode, resourceType: string): string | undefined;
  /** KMS: without the key policy there is no access. */
  policyRequired?: boolean;
  /**
   * S3: object ARNs to try an object action on — the whole bucket first, then each key prefix an allow of P or of
   * the bucket policy names (with P's policy variables in).
   */
  objectSamples?(node: StoredNode, p: Principal, policy: Statement[]): string[];
}

const MAX_PREFIXES = 8;

const SPECS: readonly ResourceSpec[] = [
  {
    kind: 'aws_bucket',
    service: 's3',
    policyProp: 'resourcePolicy',
    arnFor: (n, type) => (type === 'bucket' || type === '' ? n.id : type === 'object' ? `${n.id}/*` : undefined),
    objectSamples: (n, p, policy) => {
      const out = new Set<string>([`${n.id}/*`]);
      for (const st of [...p.identity, ...policy]) {
        if (st.effect !== 'Allow' || !st.resources || st.notResource) continue;
        for (const pattern of st.resources) {
          const r = pattern.includes('${') ? substitute(pattern, p.vars) : pattern;
          if (typeof r === 'string' && r.startsWith(`${n.id}/`)) out.add(r);
        }
      }
      // A policy may name hundreds of prefixes; a few are enough to show access, and each costs an evaluation.
      return [...out].slice(0, MAX_PREFIXES + 1);
    },
  },
  { kind: 'aws_secret', service: 'secretsmanager', policyProp: 'resourcePolicy', arnFor: (n, type) => (type === 'Secret' || type === 'secret' || type === '' ? n.id : undefined) },
  { kind: 'aws_kms_key', service: 'kms', policyProp: 'keyPolicy', arnFor: (n, type) => (type === 'key' || type === '' ? n.id : undefined), policyRequired: true },
];

export const awsResourceAccess: EdgeRule = {
  id: 'aws-resource-access',
  description: 'Access of IAM principals to S3 buckets, Secrets Manager secrets and KMS keys: identity and resource policies combined.',
  emits: ['CAN_ACCESS'],
  reads: reads(AWS_MODEL_READS, AWS_EMIT_READS, { nodes: ['aws_bucket', 'aws_secret', 'aws_kms_key'] }),
  derive(ctx) {
    const model = awsModel(ctx);
    for (const spec of SPECS) {
      const resources = [...ctx.nodesOfKind(spec.kind)];
      if (!resources.length) continue;
      const actions = actionsOf(spec.service).filter((a) => a.resourceTypes.length > 0);
      const servicePrincipals = model.principals.filter((p) => p.identity.some((s) => s.effect === 'Allow' && (s.notAction || s.actions.some((a) => actionPatternMatches(a.split(':')[0] ?? '', spec.service)))));
      for (const node of resources) {
        const account = arnAccount(node.id) ?? (node.boundary?.startsWith('aws:account:') ? node.boundary.slice('aws:account:'.length) : undefined);
        const policy = statementsOf(node.props[spec.policyProp] as never, { label: `the ${spec.kind === 'aws_kms_key' ? 'key' : 'resource'} policy of ${node.name}`, location: `${node.id} ${spec.policyProp}`, kind: 'resource' });
        const hasPolicy = node.props[spec.policyProp] !== undefined;
        const named = principalsNamed(model, policy);
        const candidates = new Set<Principal>([...servicePrincipals, ...named]);
        for (const p of candidates) access(ctx, model, spec, node, account, policy, hasPolicy, p, actions);
      }
    }
  },
};

function principalsNamed(model: AwsModel, policy: Statement[]): Principal[] {
  const out: Principal[] = [];
  for (const s of policy) {
    if (s.effect !== 'Allow') continue;
    if (s.principal === '*' || (isJsonObject(s.principal) && strings(s.principal['AWS']).includes('*'))) return model.principals;
    if (isJsonObject(s.principal)) for (const v of strings(s.principal['AWS'])) {
      const p = model.byId.get(v);
      if (p) out.push(p);
    }
  }
  return out;
}

interface Grant {
  action: string;
  level: AccessLevel;
  conditions: string[];
  evidence: Evidence[];
  /** For an object action granted only under a key prefix: the object ARN pattern it was granted on. */
  scope?: string;
}

function access(ctx: Parameters<EdgeRule['derive']>[0], model: AwsModel, spec: ResourceSpec, node: StoredNode, account: string | undefined, policy: Statement[], hasPolicy: boolean, p: Principal, actions: ActionInfo[]): void {
  const sameAccount = account === p.account;
  const granted: Grant[] = [];
  const rc = requestContext(p);
  const notes: string[] = [];
  if (!account) notes.push(`the account owning ${node.name} is not known; it is treated as another account`);
  const decide = (info: ActionInfo, arn: string, scoped: boolean): Grant | undefined => {
    const identityRelevant = p.identity.some((s) => s.effect === 'Allow' && statementCoversAction(s, info.action));
    // The resource policy's say: explicit deny, allow naming P, allow delegating to P's account.
    let direct: Statement | undefined;
    let delegated: Statement | undefined;
    const conditions: string[] = [];
    const evidence: Evidence[] = [];
    let denied = false;
    for (const s of policy) {
      if (!statementCoversAction(s, info.action) || statementCoversResource(s, arn, p.vars) === false) continue;
      if (s.principal === undefined && s.notPrincipal !== undefined) {
        if (s.effect !== 'Deny') continue;
        const np = notPrincipalDenies(s, p);
        if (!np.applies) continue;
        const c = evaluateCondition(s.condition, rc, 'Deny');
        if (c.result === 'false') continue;
        const unknown = [...(np.unless ? [np.unless] : []), ...c.unknown];
        if (!unknown.length) denied = true;
        else {
          conditions.push(`not denied by ${s.ref.label} (${unknown.join(' and ')})`);
          evidence.push(statementEvidence(s, 'deny to everyone not listed in NotPrincipal, with a condition that cannot be decided offline'));
        }
        continue;
      }
      const how = principalNaming(s, p);
      if (!how) continue;
      const c = evaluateCondition(s.condition, rc, s.effect);
      if (c.result === 'false') continue;
      if (s.effect === 'Deny') {
        if (c.result === 'true') denied = true;
        else {
          conditions.push(`not denied by ${s.ref.label} (${c.unknown.join(' and ')})`);
          evidence.push(statementEvidence(s, 'deny with a condition that cannot be decided offline'));
        }
        continue;
      }
      const better = (prev: Statement | undefined) => !prev || (prev.condition && !s.condition);
      if (how === 'principal' && better(direct)) direct = s;
      if (how === 'account' && better(delegated)) delegated = s;
    }
    if (denied) return undefined;
    if (!identityRelevant && !direct) return undefined;
    const resourceConditions = (s: Statement) => evaluateCondition(s.condition, rc, 'Allow').unknown;
    let d: Decision;
    if (spec.policyRequired && !hasPolicy) {
      // No key policy in the case: the default key policy delegates to the account's IAM.
      d = sameAccount ? model.evaluate(p, info.action, arn) : { verdict: 'denied', conditions: [], evidence: [] };
      if (d.verdict !== 'denied') notes.push(`the key policy of ${node.name} is not in the case; the default key policy (delegating to IAM) is assumed`);
    } else if (spec.policyRequired) {
      if (direct) d = model.evaluate(p, info.action, arn, undefined, { grantedByResource: sameAccount });
      else if (delegated) d = model.evaluate(p, info.action, arn);
      else return undefined;
      const s = direct ?? delegated!;
      if (d.verdict !== 'denied') {
        evidence.push(statementEvidence(s));
        conditions.push(...resourceConditions(s));
      }
    } else if (sameAccount) {
      const identity = model.evaluate(p, info.action, arn);
      const viaPolicy = direct ? model.evaluate(p, info.action, arn, undefined, { grantedByResource: true }) : undefined;
      if (identity.verdict === 'allowed' || !viaPolicy || viaPolicy.verdict === 'denied') d = identity;
      else {
        d = viaPolicy;
        evidence.push(statementEvidence(direct!));
        conditions.push(...resourceConditions(direct!));
      }
    } else {
      const s = direct ?? delegated;
      if (!s) return undefined;
      d = model.evaluate(p, info.action, arn);
      if (d.verdict !== 'denied') {
        evidence.push(statementEvidence(s));
        conditions.push(...resourceConditions(s));
      }
    }
    if (d.verdict === 'denied') return undefined;
    return { action: info.action, level: info.accessLevel, conditions: [...d.conditions, ...conditions], evidence: [...d.evidence, ...evidence], ...(scoped ? { scope: arn } : {}) };
  };
  const samples = spec.objectSamples ? spec.objectSamples(node, p, policy) : [];
  for (const info of actions) {
    const type = info.resourceTypes.find((t) => spec.arnFor(node, t));
    if (type === undefined) continue;
    // Object actions are tried on the whole bucket and on each key prefix a policy names: a grant on
    // bucket/reports/* gives access to those objects though not to bucket/*.
    const whole = [spec.arnFor(node, type)!];
    const arns = type === 'object' && samples.length ? samples : whole;
    let best: Grant | undefined;
    for (const arn of arns) {
      const g = decide(info, arn, arn !== whole[0]);
      if (g && (!best || (best.conditions.length && !g.conditions.length))) best = g;
      if (best && !best.conditions.length) break;
    }
    if (best) granted.push(best);
  }

  if (!granted.length) return;
  const firm = granted.filter((g) => !g.conditions.length);
  const basis = firm.length ? firm : granted;
  const rank = (l: AccessLevel) => ACCESS_LEVELS.indexOf(l);
  const level = basis.reduce<AccessLevel>((best, g) => (rank(g.level) > rank(best) ? g.level : best), 'List');
  const top = basis.filter((g) => g.level === level);
  const actionNames = basis.map((g) => g.action);
  const scoped = basis.filter((g) => g.scope);
  const prefixes = [...new Set(scoped.map((g) => g.scope!.slice(node.id.length + 1)))];
  const scopeNote = scoped.length ? ` ${scoped.length === basis.length ? 'All of them' : `${scoped.length} of them`} only on objects under ${prefixes.join(', ')}.` : '';
  ctx.emitEdge({
    from: p.id,
    to: node.id,
    kind: 'CAN_ACCESS',
    props: edgeProps(
      `${kindWord(p.kind)} ${p.name} has ${level} access to ${node.name} (${actionNames.length} action${actionNames.length === 1 ? '' : 's'}, e.g. ${top.slice(0, 3).map((g) => g.action).join(', ')})${sameAccount ? '' : ', granted on both sides of the account boundary'}.${scopeNote}${notes.length ? ` Note: ${[...new Set(notes)].join('; ')}.` : ''}`,
      `${spec.service}:${level}`,
      top.flatMap((g) => g.evidence).slice(0, 12),
      firm.length ? [] : [...new Set(basis.flatMap((g) => g.conditions))],
      { accessLevel: level, actions: actionNames, ...(prefixes.length ? { objectPrefixes: prefixes } : {}) },
    ),
  });
}
