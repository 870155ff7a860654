import { kindsOfProviders, reads } from '../reads.js';
import { AWS_MODEL_READS } from '../../providers/aws/model.js';
import { AWS_EMIT_READS } from '../../providers/aws/emit.js';
import type { NodeKind } from '../../model/kinds.js';
import { awsModel } from '../../providers/aws/model.js';
import { ensureAccount } from '../../providers/aws/emit.js';
import { accountOf } from '../../providers/aws/inventory.js';
import { statementsOf, type Statement } from '../../providers/aws/policy.js';
import { namedResource, type NamedResource } from '../../providers/aws/resource-arns.js';
import type { EdgeRule } from './types.js';

// A grant scoped to a named resource is evidence that it exists: every resource an identity or resource policy
// names (a bucket, a secret, a function, a table) becomes a node of the case, so `paths <from> --to <its ARN>`
// can be asked with no bucket policy or inventory imported. Patterns name no one resource and are left out.
// A bucket ARN carries no account: it is placed in the account whose principals name it, when only one does.

const POLICY_PROPS: [NodeKind, string][] = [['aws_bucket', 'resourcePolicy'], ['aws_secret', 'resourcePolicy'], ['aws_kms_key', 'keyPolicy'], ['aws_lambda', 'resourcePolicy']];

export const awsPolicyResources: EdgeRule = {
  id: 'aws-policy-resources',
  description: 'Resources named by IAM and resource policies (buckets, secrets, functions, tables …) become nodes of the case.',
  emits: [],
  reads: reads(AWS_MODEL_READS, AWS_EMIT_READS, { nodes: kindsOfProviders('aws'), edges: ['USES_ROLE'] }),
  derive(ctx) {
    const model = awsModel(ctx);
    const named = new Map<string, { res: NamedResource; accounts: Set<string> }>();
    const note = (s: Statement, account: string | undefined) => {
      if (!s.resources || s.notResource) return;
      for (const r of s.resources) {
        const res = namedResource(r);
        if (!res) continue;
        let entry = named.get(res.id);
        if (!entry) named.set(res.id, (entry = { res, accounts: new Set() }));
        if (account) entry.accounts.add(account);
      }
    };
    // Statements are shared by every principal a managed policy is attached to: each is read once (the model lists
    // each once, with the first principal holding it).
    const seen = new Set<Statement>();
    for (const { statement: s, first } of model.statements) {
      seen.add(s);
      note(s, first.account);
    }
    // Managed policies attached to no one still say which resources exist.
    for (const { node, statements } of model.policies.values()) {
      for (const s of statements) {
        if (seen.has(s)) continue;
        seen.add(s);
        note(s, accountOf(node));
      }
    }
    for (const [kind, prop] of POLICY_PROPS) {
      for (const node of ctx.nodesOfKind(kind)) {
        if (node.props[prop] === undefined || node.props[prop] === null) continue;
        const account = accountOf(node);
        for (const s of statementsOf(node.props[prop] as never, { label: '', location: node.id, kind: 'resource' })) note(s, account);
      }
    }
    // What the case already holds, read once per kind (not a lookup per name).
    const known = new Map<NodeKind, Set<string>>();
    const exists = (res: NamedResource) => {
      let set = known.get(res.kind);
      if (!set) known.set(res.kind, (set = new Set([...ctx.nodesOfKind(res.kind)].map((n) => n.id))));
      return set.has(res.id);
    };
    const boundaries = new Map<string, string>();
    for (const { res, accounts } of named.values()) {
      if (exists(res)) continue;
      const account = res.account ?? (accounts.size === 1 ? [...accounts][0] : undefined);
      let boundary = account ? boundaries.get(account) : undefined;
      if (account && !boundary) boundaries.set(account, (boundary = ensureAccount(ctx, account)));
      ctx.emitNode({
        id: res.id,
        kind: res.kind,
        name: res.name,
        handles: [res.id, res.name],
        stub: true,
        ...(boundary ? { boundary } : {}),
        props: { namedByPolicy: true, service: res.service, ...(res.kind === 'aws_bucket' ? { bucketName: res.name } : {}), ...(!res.account && account ? { accountInferred: account } : {}) },
      });
    }
  },
};
