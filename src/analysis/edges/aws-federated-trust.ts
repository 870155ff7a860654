import { isJsonObject, type Json, type JsonObject } from '../../model/fragment.js';
import { reads } from '../reads.js';
import { arnAccount, ids } from '../../model/ids.js';
import { statementEvidence } from '../../providers/aws/evaluate.js';
import { awsModel, AWS_MODEL_READS } from '../../providers/aws/model.js';
import { edgeProps, ensureAccount, AWS_EMIT_READS } from '../../providers/aws/emit.js';
import { conditionText, evaluateCondition, statementCoversAction, strings, type ConditionBlock, type Statement } from '../../providers/aws/policy.js';
import { trustedPrincipals, trustOf } from '../../providers/aws/trust.js';
import type { DeriveContext, EdgeRule } from './types.js';

// Roles trusting a SAML or OIDC identity provider. The subjects that may assume them are read from the
// statement's conditions (<issuer>:sub, SAML:sub); a pattern, or no subject condition at all, opens the role to
// every identity the provider vouches for — for GitHub Actions, to every workflow of every matching repository.

const WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';
const SAML = 'sts:AssumeRoleWithSAML';

export const awsFederatedTrust: EdgeRule = {
  id: 'aws-federated-trust',
  description: 'Federated subjects (GitHub Actions workflows, EKS service accounts, SAML users) that can assume IAM roles.',
  emits: ['CAN_ASSUME', 'TRUSTS'],
  reads: reads(AWS_MODEL_READS, AWS_EMIT_READS),
  derive(ctx) {
    const model = awsModel(ctx);
    for (const role of model.principals) {
      if (role.kind !== 'aws_role') continue;
      const statements = trustOf(ctx, role);
      for (const t of trustedPrincipals(statements)) {
        if (t.kind !== 'federated') continue;
        const saml = /:saml-provider\//.test(t.value);
        const action = saml ? SAML : WEB_IDENTITY;
        if (!statementCoversAction(t.statement, action)) continue;
        const provider = providerNode(ctx, t.value, saml);
        ctx.emitEdge({ from: role.id, to: provider.id, kind: 'TRUSTS', props: { reason: `The trust policy of role ${role.name} trusts the identity provider ${provider.issuer}.`, technique: 'trust-policy', evidence: [statementEvidence(t.statement)] } });
        const denies = statements.filter((d) => d.effect === 'Deny' && statementCoversAction(d, action) && denyNamesProvider(d, t.value));
        const asOf = ctx.now.getTime();
        for (const subject of subjectsOf(t.statement, provider.issuer, saml, asOf)) {
          const denied = deniesOf(denies, subject, provider.issuer, saml, asOf);
          if (denied === 'all') continue;
          const id = ids.federatedSubject(provider.issuer, subject.subject);
          const props: JsonObject = { issuer: provider.issuer, subject: subject.subject, wildcard: subject.wildcard, ...subjectFacts(provider.issuer, subject.subject) };
          ctx.emitNode({ id, kind: 'federated_subject', name: subject.subject === '*' ? `any identity of ${provider.issuer}` : subject.subject, handles: [subject.subject], props, boundary: provider.boundary });
          const who = subject.wildcard ? whoCanAssume(provider.issuer, subject.subject, subject.missing) : `only ${subject.subject}`;
          const except = denied.except.length ? ` The trust policy denies some of them: ${denied.except.join('; ')}.` : '';
          ctx.emitEdge({
            from: id,
            to: role.id,
            kind: 'CAN_ASSUME',
            props: edgeProps(
              `The trust policy of role ${role.name} lets ${provider.issuer} tokens assume it with ${action}; the subject condition allows ${who}.${except}${subject.audience}`,
              action,
              [statementEvidence(t.statement), ...denied.statements.map((d) => statementEvidence(d, 'a deny in the same trust policy that narrows who may assume the role'))],
              [...subject.unknown, ...denied.conditions],
              { wildcard: subject.wildcard },
            ),
          });
        }
      }
    }
  },
};

function providerNode(ctx: DeriveContext, arn: string, saml: boolean): { id: string; issuer: string; boundary?: string } {
  // arn:aws:iam::<acct>:oidc-provider/<issuer host/path>; SAML providers are named by their ARN.
  const issuer = saml ? arn : (arn.split(':oidc-provider/')[1] ?? arn);
  const account = arnAccount(arn);
  const boundary = account ? ensureAccount(ctx, account) : undefined;
  if (!ctx.node(arn)) ctx.emitNode({ id: arn, kind: 'aws_identity_provider', name: saml ? arn.split('/').pop()! : issuer, handles: [arn, issuer], props: { type: saml ? 'SAML' : 'OIDC', issuer }, ...(boundary ? { boundary } : {}) });
  return { id: arn, issuer, boundary };
}

interface Subject {
  subject: string;
  wildcard: boolean;
  /** No subject condition at all. */
  missing: boolean;
  unknown: string[];
  audience: string;
}

function subjectsOf(s: Statement, issuer: string, saml: boolean, asOf: number): Subject[] {
  const subKey = (saml ? 'saml:sub' : `${issuer}:sub`).toLowerCase();
  const audKey = (saml ? 'saml:aud' : `${issuer}:aud`).toLowerCase();
  const subjects: { value: string; like: boolean }[] = [];
  const unknown: string[] = [];
  let audience = '';
  for (const [op, keys] of Object.entries(s.condition ?? {})) {
    for (const [key, values] of Object.entries(keys)) {
      const k = key.toLowerCase();
      const base = op.replace(/^For(All|Any)Values?:/i, '').replace(/IfExists$/i, '').toLowerCase();
      if (k === subKey && ['stringequals', 'stringlike', 'stringequalsignorecase'].includes(base)) {
        for (const v of values) subjects.push({ value: v, like: base === 'stringlike' });
      } else if (k === audKey) {
        if (issuer === 'token.actions.githubusercontent.com' && !values.includes('sts.amazonaws.com')) audience = ` The audience condition (${values.join(', ')}) is not the default sts.amazonaws.com: only workflows requesting that audience qualify.`;
      } else if (!/:(amr|oaud|azp|sub)$/.test(k)) {
        // Decided when it can be offline (a date against the reference time): a clause that cannot hold closes the statement.
        const r = evaluateCondition({ [op]: { [key]: values } }, { values: new Map(), asOf }, 'Allow');
        if (r.result === 'false') return [];
        if (r.result === 'unknown') unknown.push(`${op} ${key} ${JSON.stringify(values.length === 1 ? values[0] : values)}`);
      }
      else if (k.endsWith(':sub')) unknown.push(`${op} ${key} ${JSON.stringify(values)}`);
    }
  }
  if (!subjects.length) return [{ subject: '*', wildcard: true, missing: true, unknown, audience }];
  return subjects.map((x) => ({ subject: x.value, wildcard: x.like && /[*?]/.test(x.value), missing: false, unknown, audience }));
}

/** Whether a Deny's Principal (or NotPrincipal, by leaving it out) covers tokens of this identity provider. */
function denyNamesProvider(d: Statement, providerArn: string): boolean {
  const listsProvider = (p: Json | undefined): boolean => p === '*' || (isJsonObject(p) && (strings(p['Federated']).includes(providerArn) || strings(p['AWS']).includes('*')));
  if (d.principal !== undefined) return listsProvider(d.principal);
  return d.notPrincipal !== undefined && !listsProvider(d.notPrincipal);
}

interface Denied {
  /** Deny clauses on the subject that carve some subjects out of a pattern (the edge stands for the rest). */
  except: string[];
  /** Deny clauses that cannot be decided offline: the edge holds only if they do not apply. */
  conditions: string[];
  statements: Statement[];
}

/**
 * What the trust policy's denies leave of one allowed subject: 'all' when a deny certainly covers it, else the
 * clauses that narrow a pattern or make it conditional. A pattern's subject is not one value, so a deny on the
 * subject only narrows it; an exact subject is decided.
 */
function deniesOf(denies: Statement[], subject: Subject, issuer: string, saml: boolean, asOf: number): Denied | 'all' {
  const subKey = (saml ? 'saml:sub' : `${issuer}:sub`).toLowerCase();
  const out: Denied = { except: [], conditions: [], statements: [] };
  const values = new Map<string, string[] | null>();
  if (!subject.wildcard) values.set(subKey, [subject.subject]);
  for (const d of denies) {
    // A pattern has no one subject value: the deny's clauses on the subject narrow it; the others are decided.
    const [onSubject, rest] = subject.wildcard ? splitByKey(d.condition, subKey) : [undefined, d.condition];
    const c = evaluateCondition(rest, { values, asOf }, 'Deny');
    if (c.result === 'false') continue;
    if (c.result === 'true' && !onSubject) return 'all';
    if (onSubject) out.except.push(conditionText(onSubject));
    out.conditions.push(...c.unknown.map((u) => `not denied by the trust policy (${u})`));
    out.statements.push(d);
  }
  return out;
}

/** A condition block split into the clauses on one key (undefined when none) and the rest. */
function splitByKey(block: ConditionBlock | undefined, key: string): [ConditionBlock | undefined, ConditionBlock] {
  let on: ConditionBlock | undefined;
  const rest: ConditionBlock = {};
  for (const [op, keys] of Object.entries(block ?? {})) {
    for (const [k, values] of Object.entries(keys)) {
      const side = k.toLowerCase() === key ? (on ??= {}) : rest;
      (side[op] ??= {})[k] = values;
    }
  }
  return [on, rest];
}

function whoCanAssume(issuer: string, subject: string, missing: boolean): string {
  const gha = issuer === 'token.actions.githubusercontent.com';
  if (missing) return gha ? 'any workflow of any GitHub repository (there is no sub condition)' : `any identity ${issuer} issues a token for (there is no subject condition)`;
  if (gha) {
    const m = /^repo:([^/:]+)\/([^:]*)(?::(.*))?$/.exec(subject);
    if (subject === '*' || /^repo:\*/.test(subject)) return `any workflow of any GitHub repository ("${subject}")`;
    if (m && /[*?]/.test(m[2] ?? '')) return `any workflow of every repository matching ${m[1]}/${m[2]} ("${subject}"), on any branch, tag, environment or pull request`;
    return `every workflow run matching "${subject}" (any branch, pull request or environment the pattern covers)`;
  }
  return `every subject matching "${subject}"`;
}

/** What a subject names: a GitHub repository and ref/environment, or a Kubernetes service account. */
function subjectFacts(issuer: string, subject: string): JsonObject {
  // EKS (IRSA) tokens name the service account: what the Kubernetes side links to.
  const sa = /^system:serviceaccount:([^:]+):(.+)$/.exec(subject);
  if (sa) return { namespace: sa[1]!, serviceAccount: sa[2]! };
  if (issuer !== 'token.actions.githubusercontent.com') return {};
  const m = /^repo:([^:]+)(?::(.*))?$/.exec(subject);
  if (!m) return {};
  const out: JsonObject = { repository: m[1]! };
  const rest = m[2] ?? '';
  if (rest.startsWith('ref:')) out['ref'] = rest.slice(4);
  else if (rest.startsWith('environment:')) out['environment'] = rest.slice('environment:'.length);
  else if (rest === 'pull_request') out['ref'] = 'pull_request';
  return out;
}
