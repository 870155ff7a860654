import { ids } from '../../model/ids.js';
import { kindsOf, kindsOfProviders, reads } from '../reads.js';
import { adminPrincipals, edgeEvidence, label, MEMBERS_OF_RULED_GROUPS } from './common.js';
import type { FindingDraft, FindingRule, Severity } from './types.js';

/** Resources anyone can reach with no credentials (Principal "*", a public function URL), and public functions' roles. */
export const awsPublicResource: FindingRule = {
  id: 'aws-public-resource',
  title: 'AWS resource open to anyone',
  severity: 'high',
  description: 'A resource policy with Principal "*" (or a Lambda function URL with AuthType NONE) lets anyone, with no credentials, act on the resource: critical for write, permissions-management or wildcard access and for a public function running with an admin role, high for read.',
  // What the public-access rule gives anyone (AWS resources and the roles public functions run as), and who is admin.
  reads: reads({
    nodes: ['anyone', 'admin', ...kindsOfProviders('aws'), ...kindsOf(['identity', 'group'])],
    edges: ['CAN_ACCESS', 'CAN_ESCALATE', 'ADMIN_OF', 'MEMBER_OF'],
    edgeEnds: { CAN_ACCESS: { from: ['anyone'] }, CAN_ESCALATE: { from: ['anyone'] }, ...MEMBERS_OF_RULED_GROUPS },
  }),
  remediation: 'Remove Principal "*" from the resource policy (name the accounts or principals that need access, or restrict it with aws:PrincipalOrgID); keep S3 Block Public Access on; give function URLs AuthType AWS_IAM, and run public functions with a role that can do only what they must.',
  run(ctx) {
    const out: FindingDraft[] = [];
    const admins = adminPrincipals(ctx);
    const edges = ctx.out(ids.anyone());
    // Functions whose role the case knows are reported by the role they run with (below).
    const withRole = new Set(edges.filter((e) => e.kind === 'CAN_ESCALATE' && e.props.technique === 'public-lambda').map((e) => String(e.props.resource)));
    for (const e of edges) {
      const target = ctx.node(e.dst);
      if (!target) continue;
      if (e.kind === 'CAN_ACCESS') {
        const level = String(e.props.accessLevel ?? 'Read');
        const actions = Array.isArray(e.props.actions) ? e.props.actions.map(String) : [];
        const wildcard = actions.some((a) => a === '*' || a.endsWith(':*'));
        // Invoking a function changes nothing by itself: what matters is the role it runs with.
        const invokeOnly = target.kind === 'aws_lambda' && actions.every((a) => /^lambda:Invoke/i.test(a));
        if (invokeOnly && withRole.has(target.id)) continue;
        const severity: Severity = invokeOnly ? 'high' : wildcard || level === 'Write' || level === 'Permissions management' ? 'critical' : level === 'Read' ? 'high' : 'medium';
        out.push({
          nodeId: target.id,
          severity,
          title: `${label(target)} is open to anyone (${level}${wildcard ? ', wildcard actions' : ''})`,
          summary: `${e.props.reason ?? ''}${e.props.conditional ? ` Only when: ${String(e.props.conditional)}.` : ''}`.trim(),
          evidence: edgeEvidence(e, ctx),
        });
      } else if (e.kind === 'CAN_ESCALATE' && e.props.technique === 'public-lambda') {
        const grants = admins.get(target.id);
        const fn = typeof e.props.resource === 'string' ? ctx.node(e.props.resource) : undefined;
        out.push({
          nodeId: fn?.id ?? target.id,
          severity: grants ? 'critical' : 'high',
          title: `${fn ? label(fn) : 'A Lambda function'} is invocable by anyone and runs with ${grants ? 'admin-equivalent ' : ''}${label(target)}`,
          summary: String(e.props.reason ?? ''),
          evidence: [...edgeEvidence(e, ctx), ...(grants ?? []).flatMap((g) => edgeEvidence(g, ctx))],
        });
      }
    }
    return out;
  },
};
