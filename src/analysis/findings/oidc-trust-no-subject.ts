import type { Evidence } from '../../model/fragment.js';
import { asList, label, nodesOf, statements } from './common.js';
import type { FindingDraft, FindingRule } from './types.js';

/** OIDC (web identity) trust with no subject condition: every workload of the issuer can assume the role. */
export const oidcTrustNoSubject: FindingRule = {
  id: 'oidc-trust-without-subject',
  title: 'OIDC trust without a subject restriction',
  severity: 'high',
  description: 'A role trusting an OIDC provider (GitHub Actions, EKS, GitLab…) without a condition on the token subject, or with a wildcard subject.',
  remediation: 'Add a StringEquals condition on <provider>:sub naming the exact repository and branch or environment (repo:org/repo:environment:prod), or the exact service account (system:serviceaccount:ns:name); avoid wildcards in the subject.',
  run(ctx) {
    const out: FindingDraft[] = [];
    const seen = new Set<string>();
    for (const role of nodesOf(ctx, ['aws_role'])) {
      for (const [i, st] of statements(role.props['trustPolicy']).entries()) {
        if (st['Effect'] !== 'Allow') continue;
        const actions = asList(st['Action']);
        const principal = st['Principal'];
        const federated = principal && typeof principal === 'object' && !Array.isArray(principal) ? asList(principal['Federated']) : [];
        const webIdentity = actions.some((a) => /^sts:(AssumeRoleWithWebIdentity|\*)$/i.test(a) || a === '*') && federated.some((f) => f.includes(':oidc-provider/') || !f.startsWith('arn:'));
        if (!webIdentity) continue;
        const conditions = st['Condition'];
        const keys = conditions && typeof conditions === 'object' && !Array.isArray(conditions) ? Object.values(conditions).flatMap((block) => (block && typeof block === 'object' && !Array.isArray(block) ? Object.keys(block) : [])) : [];
        if (keys.some((k) => /:sub$/i.test(k))) continue;
        seen.add(role.id);
        out.push({
          nodeId: role.id,
          title: `${label(role)} trusts ${federated.join(', ')} for any subject`,
          summary: `Statement ${typeof st['Sid'] === 'string' ? st['Sid'] : i} of the trust policy of ${role.name} allows sts:AssumeRoleWithWebIdentity from ${federated.join(', ')} with no condition on the token subject${keys.length ? ` (only ${keys.join(', ')})` : ''}: any workload that can get a token from the issuer can assume it.`,
          evidence: [{ type: 'trust-statement', summary: `Statement ${i} of the trust policy of ${role.name}`, data: st }],
        });
      }
    }
    // Subjects with wildcards that the AWS importers resolved into federated_subject nodes.
    for (const subject of ctx.nodesOfKind('federated_subject')) {
      if (subject.props['wildcard'] !== true) continue;
      // SAML federation (IAM Identity Center's AWSReservedSSO_* roles, Okta, ADFS) trusts the provider with only
      // SAML:aud: the identity provider decides which user gets which role, so "any subject" is the normal trust.
      if (String(subject.props['issuer'] ?? '').includes(':saml-provider/') && subject.props['subject'] === '*') continue;
      for (const e of ctx.out(subject.id, 'CAN_ASSUME')) {
        if (seen.has(e.dst)) continue;
        const role = ctx.node(e.dst);
        const evidence: Evidence[] = Array.isArray(e.props.evidence) ? e.props.evidence : [{ type: 'edge', summary: `${subject.name} can assume ${role?.name ?? e.dst}` }];
        out.push({
          nodeId: e.dst,
          title: `${role ? label(role) : e.dst} trusts the wildcard subject ${String(subject.props['subject'] ?? subject.name)}`,
          summary: `The trust of ${role?.name ?? e.dst} accepts any token whose subject matches ${String(subject.props['subject'] ?? subject.name)} from ${String(subject.props['issuer'] ?? 'its issuer')}.`,
          evidence,
          severity: 'medium',
        });
      }
    }
    return out;
  },
};
