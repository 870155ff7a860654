import type { DeriveContext, RuleReads } from '../../analysis/edges/types.js';
import type { Evidence } from '../../model/fragment.js';
import { arnAccount } from '../../model/ids.js';
import type { StoredNode } from '../../store/case-store.js';
import { evaluate } from './evaluate.js';
import { indexPrincipals, literalResources } from './model-index.js';
import { blocksOf, principalOf, scpLayers } from './model-read.js';
import { statementsOf, type Statement, type Variables } from './policy.js';

// The evaluated AWS model of a case, built once per derivation run (ctx.memo) and shared by every AWS rule:
// per principal, the statements that apply to it (its own inline and managed policies, its groups'), its
// permissions boundary and the SCPs over its account. `evaluate` answers "can P do A on R?" as AWS would.
// This file holds the model's shape and puts it together; its facets: model-read.ts (principals, groups, policies
// and SCP layers read from the case), model-index.ts (principals by action, resources named literally) and
// evaluate.ts (the decision, as AWS makes it).

export interface Principal {
  id: string;
  arn: string;
  kind: 'aws_user' | 'aws_role';
  name: string;
  account: string;
  node: StoredNode;
  userId?: string;
  tags?: Record<string, string>;
  /** Identity statements: own inline + attached managed + each group's. */
  identity: Statement[];
  /** Boundary statements; 'missing' when the boundary policy is not in the case. */
  boundary?: Statement[] | 'missing';
  boundaryArn?: string;
  groups: string[];
  attachedPolicies: string[];
  vars: Variables;
  /** The case's reference time (ms): aws:CurrentTime and aws:TokenIssueTime of this principal's requests. */
  asOf: number;
}

export interface ScpLayer {
  label: string;
  statements: Statement[];
}

export type Verdict = 'allowed' | 'conditional' | 'denied';

export interface Decision {
  verdict: Verdict;
  /** Conditions that could not be decided offline (for 'conditional'). */
  conditions: readonly string[];
  /** The statements that decide: the allow(s), or the explicit deny. */
  evidence: readonly Evidence[];
  /** Explicit deny (as opposed to no allow). */
  explicitDeny?: boolean;
}

export interface AwsModel {
  principals: Principal[];
  byId: Map<string, Principal>;
  policies: Map<string, { node: StoredNode; statements: Statement[] }>;
  groups: Map<string, { node: StoredNode; statements: Statement[]; members: string[] }>;
  /** SCP layers per account id: each layer must allow. */
  scps: Map<string, ScpLayer[]>;
  /** Facts the evaluation could not use, said once per account (an SCP on an OU of unknown membership). */
  notes: Map<string, string[]>;
  accounts: Set<string>;
  /** Principals whose identity statements may allow the action (an index, before resources and conditions). */
  principalsFor(action: string): Principal[];
  /** Every identity statement once (statements are shared by the principals a policy reaches), in the order first met, with the principal met first. */
  statements: readonly { statement: Statement; first: Principal }[];
  /** The principals an allow statement is an identity statement of, in the model's order (none for other statements). */
  holdersOf(s: Statement): readonly Principal[];
  /** A principal's place in `principals`. */
  orderOf(p: Principal): number;
  /**
   * The targets among `pool` that P's allow statements for the action can name: all of them when a pattern has
   * a wildcard or variable, else only the ARNs written out. Evaluation still decides each.
   */
  candidateTargets<T extends { id: string }>(p: Principal, action: string, pool: readonly T[], byId: ReadonlyMap<string, T>): T[];
  /** The reverse index: principals whose allow statements for the action may name this ARN. */
  principalsNaming(action: string, arn: string): Principal[];
  evaluate(p: Principal, action: string, resource: string | undefined, extra?: Record<string, string[] | null>, opts?: EvaluateOptions): Decision;
}

export interface EvaluateOptions {
  /**
   * A resource-based policy (a trust policy, a bucket policy) already grants this principal by name in its own
   * account: no identity-policy allow is needed, but explicit denies and SCPs still apply.
   */
  grantedByResource?: boolean;
}

/** What the AWS model reads (a rule using it declares these): policies, groups, accounts, SCPs, users, roles and users' group memberships. */
export const AWS_MODEL_READS: Partial<RuleReads> = {
  nodes: ['aws_managed_policy', 'aws_group', 'aws_account', 'aws_scp', 'aws_user', 'aws_role'],
  edges: ['MEMBER_OF'],
  edgeEnds: { MEMBER_OF: { from: ['aws_user'] } },
  // Conditions on the request time are decided with the case's reference time (policy.ts REQUEST_TIMES).
  now: { mentions: ['aws:CurrentTime', 'aws:TokenIssueTime'] },
};

export function awsModel(ctx: DeriveContext): AwsModel {
  return ctx.memo('aws:model', () => buildModel(ctx));
}

function buildModel(ctx: DeriveContext): AwsModel {
  const policies = new Map<string, { node: StoredNode; statements: Statement[] }>();
  for (const node of ctx.nodesOfKind('aws_managed_policy')) {
    const name = String(node.props['policyName'] ?? node.name);
    policies.set(node.id, { node, statements: statementsOf(node.props['document'], { label: `managed policy ${name}`, location: node.id, kind: 'identity' }) });
  }
  const groupsByName = new Map<string, string>();
  const groups = new Map<string, { node: StoredNode; statements: Statement[]; members: string[] }>();
  // Identity statements come in blocks, each one list of statements: a principal's or group's inline policies, a
  // managed policy's statements (shared by everyone it is attached to). A statement belongs to one block only.
  const groupBlocks = new Map<string, readonly Statement[][]>();
  for (const node of ctx.nodesOfKind('aws_group')) {
    const name = String(node.props['groupName'] ?? node.name);
    const blocks = blocksOf(node, policies, `group ${name}`);
    groups.set(node.id, { node, statements: blocks.flat(), members: [] });
    groupBlocks.set(node.id, blocks);
    groupsByName.set(`${arnAccount(node.id) ?? ''}/${name}`, node.id);
  }

  const accounts = new Set<string>();
  for (const n of ctx.nodesOfKind('aws_account')) if (!n.stub) accounts.add(n.id.replace('aws:account:', ''));
  const { scps, notes } = scpLayers(ctx, accounts);

  const principals: Principal[] = [];
  /** Each principal's identity blocks, by its place in `principals`. */
  const principalBlocks: Statement[][][] = [];
  const asOf = ctx.now.getTime();
  // The loops over every principal and statement run once per derivation, mostly before the optimising compiler
  // has this function: their bodies are functions of their own (optimised as such), with indexed loops (no
  // iterator result per step).
  for (const kind of ['aws_user', 'aws_role'] as const) {
    for (const node of ctx.nodesOfKind(kind)) {
      const blocks: Statement[][] = [];
      const p = principalOf(ctx, node, kind, { policies, groups, groupsByName, groupBlocks }, asOf, blocks);
      if (!p) continue;
      principals.push(p);
      principalBlocks.push(blocks);
    }
  }
  const byId = new Map<string, Principal>();
  for (let i = 0; i < principals.length; i++) byId.set(principals[i]!.id, principals[i]!);

  const { holders: infos, distinct, order, principalsFor } = indexPrincipals(principals, principalBlocks);

  const namingIndex = new Map<string, { literal: Map<string, Principal[]>; any: Principal[] }>();
  const model: AwsModel = {
    principals,
    byId,
    policies,
    groups,
    scps,
    notes,
    accounts,
    principalsFor,
    statements: distinct,
    holdersOf: (s) => infos.get(s) ?? NO_PRINCIPALS,
    orderOf: (p) => order.get(p) ?? -1,
    candidateTargets(p, action, pool, index) {
      const named = literalResources(p, action);
      if (named === 'any') return [...pool];
      const out: (typeof pool)[number][] = [];
      for (const arn of named) {
        const t = index.get(arn);
        if (t) out.push(t);
      }
      return out;
    },
    principalsNaming(action, arn) {
      const key = action.toLowerCase();
      let idx = namingIndex.get(key);
      if (!idx) {
        idx = { literal: new Map(), any: [] };
        for (const p of principalsFor(action)) {
          const named = literalResources(p, action);
          if (named === 'any') idx.any.push(p);
          else for (const r of named) idx.literal.set(r, [...(idx.literal.get(r) ?? []), p]);
        }
        namingIndex.set(key, idx);
      }
      return [...(idx.literal.get(arn) ?? []), ...idx.any];
    },
    evaluate: (p, action, resource, extra, opts) => evaluate(model, p, action, resource, extra, opts),
  };
  return model;
}
const NO_PRINCIPALS: readonly Principal[] = Object.freeze([]);
