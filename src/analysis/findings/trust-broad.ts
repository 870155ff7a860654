import type { Evidence } from '../../model/fragment.js';
import { reads, kindsOfProviders } from '../reads.js';
import { arnAccount } from '../../model/ids.js';
import { asList, label, nodesOf, statements } from './common.js';
import type { FindingDraft, FindingRule } from './types.js';

/** The AWS account a trust-policy principal names ("123456789012", an ARN), if any. */
function principalAccount(p: string): string | undefined {
  if (/^\d{12}$/.test(p)) return p;
  return p.startsWith('arn:') ? arnAccount(p) : undefined;
}

/** Roles whose trust policy admits any principal, or principals of accounts outside the case. */
export const trustBroad: FindingRule = {
  id: 'trust-any-or-external',
  title: 'Role trusts any principal or an account outside the case',
  severity: 'high',
  description: 'A role trust policy that allows "*" or principals of AWS accounts that are not part of this case.',
  remediation: 'Name the exact principals allowed to assume the role. For cross-account trust, confirm the account is yours or a vetted vendor, and require sts:ExternalId (vendors) or aws:PrincipalOrgID (your organization) in a condition.',
  reads: reads({ nodes: [...kindsOfProviders('aws'), 'federated_subject'], edges: ['TRUSTS'] }),
  run(ctx) {
    const inCase = new Set<string>();
    for (const a of ctx.nodesOfKind('aws_account')) inCase.add(a.id.replace(/^aws:account:/, ''));
    const out: FindingDraft[] = [];
    for (const role of nodesOf(ctx, ['aws_role'])) {
      const own = role.id.startsWith('arn:') ? arnAccount(role.id) : undefined;
      const external = new Map<string, Evidence>();
      for (const [i, st] of statements(role.props['trustPolicy']).entries()) {
        if (st['Effect'] !== 'Allow') continue;
        const principal = st['Principal'];
        const aws = principal === '*' ? ['*'] : principal && typeof principal === 'object' && !Array.isArray(principal) ? asList(principal['AWS']) : [];
        const conditions = st['Condition'];
        const ev: Evidence = { type: 'trust-statement', summary: `Statement ${typeof st['Sid'] === 'string' ? st['Sid'] : i} of the trust policy of ${role.name}`, data: st };
        if (aws.includes('*')) {
          const conditional = Boolean(conditions && typeof conditions === 'object' && Object.keys(conditions).length);
          out.push({
            nodeId: role.id,
            title: `${label(role)} can be assumed by any AWS principal${conditional ? ' (with conditions)' : ''}`,
            summary: `The trust policy of ${role.name} allows Principal "*"${conditional ? `, limited only by the condition ${JSON.stringify(conditions)}` : ' with no condition: any AWS account can assume it'}.`,
            evidence: [ev],
            ...(conditional ? {} : { severity: 'critical' as const }),
          });
        }
        for (const p of aws) {
          const acct = principalAccount(p);
          if (acct && acct !== own && !inCase.has(acct)) external.set(acct, ev);
        }
      }
      for (const t of ctx.out(role.id, 'TRUSTS')) {
        const target = ctx.node(t.dst);
        if (target?.kind !== 'aws_external_account') continue;
        const acct = t.dst.replace(/^aws:account:/, '');
        if (!external.has(acct)) external.set(acct, { type: 'trust-statement', summary: `The trust policy of ${role.name} names ${target.name}`, ...(typeof t.props.at === 'string' ? { location: t.props.at } : {}) });
      }
      if (external.size) {
        const accounts = [...external.keys()];
        out.push({
          nodeId: role.id,
          title: `${label(role)} trusts ${accounts.length === 1 ? 'an account' : `${accounts.length} accounts`} outside the case`,
          summary: `The trust policy of ${role.name} admits principals of ${accounts.join(', ')}, which ${accounts.length === 1 ? 'is' : 'are'} not imported into this case: who can assume the role there is unknown.`,
          evidence: [...new Set(external.values())],
          severity: 'medium',
        });
      }
    }
    return out;
  },
};
