import { isJsonObject } from '../../model/fragment.js';
import type { DeriveContext, RuleReads } from '../../analysis/edges/types.js';
import type { Evidence, Json, JsonObject } from '../../model/fragment.js';
import { arnAccount, ids } from '../../model/ids.js';
import type { StoredNode } from '../../store/case-store.js';
import { actionPatternMatches, evaluateCondition, statementCoversAction, statementCoversResource, statementsOf, strings, type PolicyRef, type RequestContext, type Statement, type Variables } from './policy.js';

// The evaluated AWS model of a case, built once per derivation run (ctx.memo) and shared by every AWS rule:
// per principal, the statements that apply to it (its own inline and managed policies, its groups'), its
// permissions boundary and the SCPs over its account. `evaluate` answers "can P do A on R?" as AWS would.

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

  // One pass over every principal's statements, each distinct statement (shared by every principal its policy or
  // group reaches) met once: its allow holders, the services it names ('*' for wildcards and NotAction) and the
  // statements by service. An action is then tested once per statement that could cover it, and its holders read
  // back, instead of every principal's statements being walked per action.
  const index: StatementIndex = {
    statementsByService: new Map(),
    byPattern: new Map(),
    holders: new Map(),
    distinct: [],
    blockHolders: new Map(),
  };
  const { statementsByService, byPattern, holders: infos, distinct } = index;
  // Walked block by block: a block's allow statements have the same holders (one list, shared), and its statements
  // are met first together, in their order, when the block is.
  for (let place = 0; place < principals.length; place++) {
    const p = principals[place]!;
    const blocks = principalBlocks[place]!;
    for (let b = 0; b < blocks.length; b++) {
      const block = blocks[b]!;
      const holders = index.blockHolders.get(block);
      if (!holders) indexBlock(index, block, p);
      else if (holders[holders.length - 1] !== p) holders.push(p);
    }
  }
  const order = new Map<Principal, number>();
  for (let i = 0; i < principals.length; i++) order.set(principals[i]!, i);
  // Principals by service: those holding an allow statement that names it (or a wildcard service). Made when a
  // service is first asked about, from its statements' holders: the same set as one filled principal by principal.
  const byService = new Map<string, Set<Principal>>();
  const ofService = (svc: string): Set<Principal> => {
    let set = byService.get(svc);
    if (!set) {
      set = new Set();
      for (const st of statementsByService.get(svc) ?? []) for (const p of infos.get(st)!) set.add(p);
      byService.set(svc, set);
    }
    return set;
  };
  const actionIndex = new Map<string, Principal[]>();
  const principalsFor = (action: string): Principal[] => {
    const key = action.toLowerCase();
    let list = actionIndex.get(key);
    if (!list) {
      const svc = key.split(':')[0] ?? '';
      // A statement that can cover an action of svc names svc or a wildcard service: it holds a pattern of svc that
      // matches the action (each pattern tested once), or it is among the '*' statements, each tested whole.
      const covering = new Set<Principal>();
      for (const [pattern, list] of byPattern.get(svc) ?? []) {
        if (!actionPatternMatches(pattern, action)) continue;
        for (const s of list) for (const p of infos.get(s)!) covering.add(p);
      }
      for (const s of statementsByService.get('*') ?? []) if (statementCoversAction(s, action)) for (const p of infos.get(s)!) covering.add(p);
      // The principals of svc first, then those only of wildcard services, each in the model's order. Sorting the
      // few covering principals costs less than walking the index, which holds every principal with any statement of the service.
      // Each principal's rank is unique: the ranks are sorted as numbers (no comparator, no lookups per comparison).
      const named = statementsByService.has(svc) ? ofService(svc) : undefined;
      const n = principals.length;
      const ranks = new Float64Array(covering.size);
      let i = 0;
      for (const p of covering) ranks[i++] = (named?.has(p) ? 0 : n) + order.get(p)!;
      ranks.sort();
      list = Array.from(ranks, (r) => principals[r >= n ? r - n : r]!);
      actionIndex.set(key, list);
    }
    return list;
  };

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

interface StatementIndex {
  /** Identity allow statements by the services they name ('*': wildcard services and NotAction). */
  statementsByService: Map<string, Set<Statement>>;
  /** The allow statements of each service by action pattern (NotAction and wildcard-service patterns are in '*'). */
  byPattern: Map<string, Map<string, Statement[]>>;
  /** Per distinct identity statement, the principals holding it, in the model's order, when it allows (none for a deny). */
  holders: Map<Statement, Principal[]>;
  distinct: { statement: Statement; first: Principal }[];
  /** Per block met, its holders (shared by its allow statements). */
  blockHolders: Map<readonly Statement[], Principal[]>;
}

/** A block met for the first time (with P, its first holder): its statements indexed, in their order. */
function indexBlock(index: StatementIndex, block: readonly Statement[], p: Principal): void {
  const holders = [p];
  index.blockHolders.set(block, holders);
  for (let i = 0; i < block.length; i++) {
    const st = block[i]!;
    const allow = st.effect === 'Allow';
    index.holders.set(st, allow ? holders : []);
    index.distinct.push({ statement: st, first: p });
    if (!allow) continue;
    if (st.notAction) {
      addStatement(index.statementsByService, '*', st);
      continue;
    }
    const actions = st.actions;
    for (let j = 0; j < actions.length; j++) addStatement(index.statementsByService, serviceOfPattern(actions[j]!), st);
    for (let j = 0; j < actions.length; j++) {
      const pattern = actions[j]!;
      const svc = serviceOfPattern(pattern);
      if (svc === '*') continue;
      let patterns = index.byPattern.get(svc);
      if (!patterns) index.byPattern.set(svc, (patterns = new Map()));
      const list = patterns.get(pattern);
      if (!list) patterns.set(pattern, [st]);
      else if (list[list.length - 1] !== st) list.push(st);
    }
  }
}

/** The service part of a lower-cased action pattern ('*' when it has a wildcard). */
function serviceOfPattern(a: string): string {
  const i = a.indexOf(':');
  const svc = i === -1 ? a : a.slice(0, i);
  return svc.includes('*') || svc.includes('?') ? '*' : svc;
}

function addStatement(map: Map<string, Set<Statement>>, svc: string, st: Statement): void {
  let set = map.get(svc);
  if (!set) map.set(svc, (set = new Set()));
  set.add(st);
}

interface ModelParts {
  policies: Map<string, { statements: Statement[] }>;
  groups: Map<string, { members: string[] }>;
  groupsByName: Map<string, string>;
  groupBlocks: Map<string, readonly Statement[][]>;
}

/** A user or role of the case as the model holds it (undefined for stubs and ARNs without an account); its identity blocks go to `blocks`. */
function principalOf(ctx: DeriveContext, node: StoredNode, kind: 'aws_user' | 'aws_role', parts: ModelParts, asOf: number, blocks: Statement[][]): Principal | undefined {
  if (node.stub) return undefined;
  const account = arnAccount(node.id);
  if (!account) return undefined;
  const props = node.props;
  const user = kind === 'aws_user';
  const name = String(props[user ? 'userName' : 'roleName'] ?? node.name);
  const label = `${user ? 'user' : 'role'} ${name}`;
  const groupArns: string[] = [];
  if (user) {
    const names = strings(props['groups'] as Json);
    for (let i = 0; i < names.length; i++) {
      const arn = parts.groupsByName.get(`${account}/${names[i]}`);
      if (arn) groupArns.push(arn);
    }
    // Sources that state membership only as edges (no props.groups): read the edges.
    if (!names.length) for (const e of ctx.out(node.id, 'MEMBER_OF')) if (parts.groups.has(e.dst) && !groupArns.includes(e.dst)) groupArns.push(e.dst);
  }
  const attachedPolicies = strings(props['attachedPolicies'] as Json);
  // Its own blocks, then each group's: the statements in the order they always came in.
  addBlocks(node, parts.policies, label, attachedPolicies, blocks);
  for (let i = 0; i < groupArns.length; i++) {
    const g = groupArns[i]!;
    parts.groups.get(g)!.members.push(node.id);
    const own = parts.groupBlocks.get(g)!;
    for (let j = 0; j < own.length; j++) blocks.push(own[j]!);
  }
  const identity: Statement[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    for (let j = 0; j < b.length; j++) identity.push(b[j]!);
  }
  const boundaryArn = typeof props['permissionsBoundary'] === 'string' ? props['permissionsBoundary'] : undefined;
  const boundaryPolicy = boundaryArn ? parts.policies.get(boundaryArn) : undefined;
  const tags = isJsonObject(props['tags']) ? (props['tags'] as Record<string, string>) : undefined;
  const userId = String(props[user ? 'userId' : 'roleId'] ?? '') || undefined;
  const vars: Variables = new Map();
  vars.set('aws:principalaccount', account);
  vars.set('aws:principalarn', node.id);
  if (user) {
    vars.set('aws:username', name);
    if (userId) vars.set('aws:userid', userId);
  } else vars.set('aws:username', null);
  if (tags) {
    vars.set('aws:principaltag/*', null);
    for (const k of Object.keys(tags)) vars.set(`aws:principaltag/${k.toLowerCase()}`, tags[k]!);
  }
  return {
    id: node.id,
    arn: node.id,
    kind,
    name,
    account,
    node,
    userId,
    tags,
    identity,
    boundary: boundaryArn ? (boundaryPolicy ? boundaryPolicy.statements.map((s) => ({ ...s, ref: { ...s.ref, kind: 'boundary' as const, label: `permissions boundary ${s.ref.label.replace(/^managed policy /, '')}` } })) : 'missing') : undefined,
    boundaryArn,
    groups: groupArns,
    attachedPolicies,
    vars,
    asOf,
  };
}
const NO_PRINCIPALS: readonly Principal[] = Object.freeze([]);

/** The ARNs P's allow statements for the action name literally, or 'any' when a pattern is wider. */
function literalResources(p: Principal, action: string): Set<string> | 'any' {
  const literal = new Set<string>();
  for (const st of forService(p.identity, serviceOf(action))) {
    if (st.effect !== 'Allow' || !statementCoversAction(st, action)) continue;
    if (!st.resources || st.notResource) return 'any';
    for (const pattern of st.resources) {
      // ${aws:username} and friends name one resource once the principal's values are in.
      const r = pattern.includes('${') ? substitute(pattern, p.vars) : pattern;
      if (r === null) continue;
      if (r === undefined || /[*?]/.test(r)) return 'any';
      literal.add(r);
    }
  }
  return literal;
}

/** The pattern with the principal's variables in; null when one is known absent, undefined when unknown. */
export function substitute(pattern: string, vars: Variables): string | null | undefined {
  let unknown = false;
  let absent = false;
  const out = pattern.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    if (name === '*' || name === '?' || name === '$') return whole;
    const v = vars.get(name.toLowerCase());
    if (v === undefined) unknown = true;
    else if (v === null) absent = true;
    return v ?? '';
  });
  return unknown ? undefined : absent ? null : out;
}

function inlineStatements(node: StoredNode, owner: string): Statement[] {
  // GAAD and templates list a principal's inline policies; outputs of one get-role-policy each store theirs under
  // inlinePolicy:<name> (aws-iam-cli), so several files add up. A name listed both ways counts once.
  const listed = Array.isArray(node.props['inlinePolicies']) ? (node.props['inlinePolicies'] as Json[]) : [];
  let names: Set<string> | undefined;
  // for…in, not Object.entries: most principals have no such key, and a pair array per prop per principal adds up.
  let list = listed;
  for (const k in node.props) {
    if (!k.startsWith('inlinePolicy:')) continue;
    names ??= new Set(listed.map((p) => (isJsonObject(p) ? String(p['name'] ?? '') : '')));
    if (!names.has(k.slice('inlinePolicy:'.length))) {
      if (list === listed) list = [...listed];
      list.push(node.props[k]!);
    }
  }
  if (!list.length) return [];
  return list.flatMap((pol) => {
    if (!isJsonObject(pol)) return [];
    const name = String(pol['name'] ?? '');
    const ref: PolicyRef = { label: `inline policy ${name} of ${owner}`, location: `${node.id} inline policy ${name}`, kind: 'identity' };
    return statementsOf(pol['document'], ref);
  });
}

/** A principal's or group's identity blocks: its inline policies' statements, then each attached policy's (none empty). */
function blocksOf(node: StoredNode, policies: Map<string, { statements: Statement[] }>, owner: string): Statement[][] {
  const blocks: Statement[][] = [];
  addBlocks(node, policies, owner, strings(node.props['attachedPolicies'] as Json), blocks);
  return blocks;
}

function addBlocks(node: StoredNode, policies: Map<string, { statements: Statement[] }>, owner: string, attached: readonly string[], blocks: Statement[][]): void {
  const inline = inlineStatements(node, owner);
  if (inline.length) blocks.push(inline);
  for (let i = 0; i < attached.length; i++) {
    const arn = attached[i]!;
    const block = policies.get(arn)?.statements ?? missingPolicy(arn, owner);
    if (block.length) blocks.push(block);
  }
}

// A managed policy attached but absent from the case (another file, or AWS-managed and not exported): AWS
// AdministratorAccess is known by name; others grant nothing we can see.
function missingPolicy(arn: string, owner: string): Statement[] {
  if (arn.endsWith(':iam::aws:policy/AdministratorAccess')) {
    return statementsOf({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, { label: `managed policy AdministratorAccess (attached to ${owner}; its well-known document)`, location: arn, kind: 'identity' });
  }
  return [];
}

function scpLayers(ctx: DeriveContext, accounts: Set<string>): { scps: Map<string, ScpLayer[]>; notes: Map<string, string[]> } {
  const scps = new Map<string, ScpLayer[]>();
  const notes = new Map<string, string[]>();
  const nodes = [...ctx.nodesOfKind('aws_scp')];
  if (!nodes.length) return { scps, notes };
  for (const account of accounts) {
    const acct = ctx.node(ids.awsAccount(account));
    // SCPs never restrict the organization's management account.
    if (acct?.props['isManagementAccount'] === true || acct?.props['managementAccountId'] === account) continue;
    const ous = strings((acct?.props['organizationalUnits'] ?? acct?.props['parentIds']) as Json);
    const layers = new Map<string, ScpLayer>();
    for (const node of nodes) {
      const name = String(node.props['policyName'] ?? node.name);
      const targets = Array.isArray(node.props['targets']) ? (node.props['targets'] as Json[]).filter(isJsonObject) : [];
      for (const t of targets) {
        const type = String(t['type'] ?? '');
        const id = String(t['targetId'] ?? '');
        let layerKey: string | undefined;
        if (type === 'ROOT') layerKey = 'root';
        else if (type === 'ACCOUNT' && id === account) layerKey = 'account';
        else if (type === 'ORGANIZATIONAL_UNIT') {
          if (ous.includes(id)) layerKey = `ou:${id}`;
          else if (!ous.length) {
            const list = notes.get(account) ?? [];
            list.push(`SCP ${name} targets OU ${id}; the OU of account ${account} is not in the case, so it is not applied`);
            notes.set(account, list);
          }
        }
        if (!layerKey) continue;
        const layer = layers.get(layerKey) ?? { label: layerKey, statements: [] };
        layer.statements.push(...statementsOf(node.props['document'], { label: `SCP ${name}`, location: node.id, kind: 'scp' }));
        layers.set(layerKey, layer);
      }
    }
    if (layers.size) scps.set(account, [...layers.values()]);
  }
  return { scps, notes };
}

const baseContexts = new WeakMap<Principal, RequestContext>();

export function requestContext(p: Principal, extra?: Record<string, string[] | null>): RequestContext {
  if (!extra) {
    let base = baseContexts.get(p);
    if (!base) baseContexts.set(p, (base = buildContext(p)));
    return base;
  }
  return buildContext(p, extra);
}

function buildContext(p: Principal, extra?: Record<string, string[] | null>): RequestContext {
  const values = new Map<string, string[] | null>([
    ['aws:principalarn', [p.arn]],
    ['aws:principalaccount', [p.account]],
    ['aws:principaltype', [p.kind === 'aws_user' ? 'User' : 'AssumedRole']],
    ['aws:username', p.kind === 'aws_user' ? [p.name] : null],
    ['aws:userid', p.userId ? [p.kind === 'aws_user' ? p.userId : `${p.userId}:*`] : null],
    ['aws:principalisawsservice', ['false']],
    ['aws:principalservicename', null],
    ['iam:permissionsboundary', null],
  ]);
  if (p.kind === 'aws_role') values.delete('aws:userid');
  for (const [k, v] of Object.entries(extra ?? {})) values.set(k.toLowerCase(), v);
  return { values, principalTags: p.tags, asOf: p.asOf };
}

/** The lower-cased service of an action ('s3' of 's3:GetObject'; the whole action when it has no ':'). */
function serviceOf(action: string): string {
  let svc = services.get(action);
  if (svc === undefined) {
    const i = action.indexOf(':');
    svc = (i === -1 ? action : action.slice(0, i)).toLowerCase();
    if (services.size >= SERVICES_KEPT) services.clear();
    services.set(action, svc);
  }
  return svc;
}
const services = new Map<string, string>();
const SERVICES_KEPT = 50_000;

/**
 * Whether a statement can cover some action of the service: a NotAction, or an action pattern whose part before
 * the first ':' is the service or has a wildcard (a part without one must equal the action's service to match).
 */
function mayCoverService(s: Statement, svc: string): boolean {
  if (s.notAction) return true;
  // The part is read in place (no string cut per action: this runs for every statement of every principal cut).
  for (const a of s.actions) {
    const i = a.indexOf(':');
    const end = i === -1 ? a.length : i;
    if (end === svc.length && a.startsWith(svc)) return true;
    const star = a.indexOf('*');
    if (star !== -1 && star < end) return true;
    const mark = a.indexOf('?');
    if (mark !== -1 && mark < end) return true;
  }
  return false;
}

/** The statements of a list that can cover an action of the service, in their order: cut once per list and service. */
export function statementsForService(statements: readonly Statement[], service: string): readonly Statement[] {
  return forService(statements, service.toLowerCase());
}

function forService(statements: readonly Statement[], svc: string): readonly Statement[] {
  let memo = serviceCuts.get(statements);
  if (!memo) serviceCuts.set(statements, (memo = new Map()));
  let cut = memo.get(svc);
  if (!cut) memo.set(svc, (cut = statements.length ? statements.filter((s) => mayCoverService(s, svc)) : NONE));
  return cut;
}
const NONE: readonly Statement[] = [];
const serviceCuts = new WeakMap<readonly Statement[], Map<string, readonly Statement[]>>();

interface Match {
  statement: Statement;
  unknown: string[];
}

/** Statements of one set that apply to the request: decided, or undecidable with the clauses that are. */
function matching(statements: readonly Statement[], effect: 'Allow' | 'Deny', action: string, resource: string | undefined, p: Principal, extra: Record<string, string[] | null> | undefined): readonly Match[] {
  // Most calls match nothing (a deny pass, a principal without the grant): the shared empty list then, callers only read it.
  let out: Match[] | undefined;
  // The request context only for a statement with a condition (most have none): made at the first, once per call.
  let ctx: RequestContext | undefined;
  for (const s of statements) {
    if (s.effect !== effect || !statementCoversAction(s, action)) continue;
    const r = statementCoversResource(s, resource, p.vars);
    if (r === false) continue;
    const c = evaluateCondition(s.condition, s.condition ? (ctx ??= requestContext(p, extra)) : NO_CONTEXT, effect);
    if (c.result === 'false') continue;
    // Read only, never changed: the condition's own list unless the resource adds a clause.
    const unknown = r === 'unknown' ? [...c.unknown, `the resource ${resource} matches a policy variable of ${JSON.stringify(s.resources)}`] : c.unknown;
    (out ??= []).push({ statement: s, unknown });
  }
  return out ?? NO_MATCH;
}
const NO_MATCH: readonly Match[] = Object.freeze([]);

/** What a condition-free statement is evaluated in (evaluateCondition does not read it then). */
const NO_CONTEXT: RequestContext = Object.freeze({ values: new Map<string, string[] | null>() });

/** The request context a statement's condition is evaluated in: P's, made (once per principal) only for a statement with a condition. */
export function contextFor(s: Statement, p: Principal): RequestContext {
  return s.condition ? requestContext(p) : NO_CONTEXT;
}

/**
 * The evidence piece citing a statement. Without a note it depends on the statement alone: built once and shared
 * (frozen) by every decision and edge citing it — thousands for a managed policy attached widely — which also lets
 * the evidence table recognise it by identity instead of serialising it again.
 */
export function statementEvidence(s: Statement, note?: string): Evidence {
  if (note !== undefined) return buildEvidence(s, note);
  let ev = evidenceMemo.get(s);
  if (!ev) evidenceMemo.set(s, (ev = Object.freeze(buildEvidence(s))));
  return ev;
}
const evidenceMemo = new WeakMap<Statement, Evidence>();

function buildEvidence(s: Statement, note?: string): Evidence {
  const what = s.notAction ? `every action except ${s.actionsAsWritten.join(', ')}` : s.actionsAsWritten.join(', ');
  const on = s.resources ? `${s.notResource ? 'every resource except ' : ''}${s.resources.join(', ')}` : '';
  const cond = s.condition ? ` when ${Object.entries(s.condition).flatMap(([op, ks]) => Object.entries(ks).map(([k, v]) => `${op} ${k} ${JSON.stringify(v.length === 1 ? v[0] : v)}`)).join(' and ')}` : '';
  const sid = s.sid ? `Statement ${s.sid}` : `Statement ${s.index + 1}`;
  return {
    type: s.ref.kind === 'trust' ? 'trust-statement' : s.ref.kind === 'scp' ? 'scp-statement' : s.ref.kind === 'resource' ? 'resource-policy-statement' : 'policy-statement',
    summary: `${sid} of ${s.ref.label} ${s.effect === 'Allow' ? 'allows' : 'denies'} ${what}${on ? ` on ${on}` : ''}${cond}${note ? ` (${note})` : ''}`,
    location: `${s.ref.location}, ${s.sid ? `Sid ${s.sid}` : `Statement[${s.index}]`}`,
    data: s.raw as JsonObject,
  };
}

/** Allow from one policy set: the best matching allow (unconditional first), or undefined if none applies. */
function allowFrom(statements: readonly Statement[], action: string, resource: string | undefined, p: Principal, extra: Record<string, string[] | null> | undefined): Match | undefined {
  const allows = matching(statements, 'Allow', action, resource, p, extra);
  return allows.find((m) => !m.unknown.length) ?? allows[0];
}

function evaluate(model: AwsModel, p: Principal, action: string, resource: string | undefined, extra?: Record<string, string[] | null>, options?: EvaluateOptions): Decision {
  // Nothing allocated before the answer is known to need it: most calls are denied at once (no allow applies).
  const opts = options ?? NO_OPTIONS;
  const scpLayers = model.scps.get(p.account) ?? NO_LAYERS;
  const svc = serviceOf(action);
  // Only the statements that can name an action of this service are walked (the same answers: the others
  // cannot cover the action), each list cut once per service and shared by every call after.
  const identity = forService(p.identity, svc);
  const boundary = Array.isArray(p.boundary) ? forService(p.boundary, svc) : NONE;
  let undecidedDenies: string[] | undefined;
  let denyEvidence: Evidence[] | undefined;

  for (let i = -2; i < scpLayers.length; i++) {
    const set = i === -2 ? identity : i === -1 ? boundary : forService(scpLayers[i]!.statements, svc);
    for (const d of matching(set, 'Deny', action, resource, p, extra)) {
      if (!d.unknown.length) return { verdict: 'denied', conditions: [], evidence: [statementEvidence(d.statement)], explicitDeny: true };
      (undecidedDenies ??= []).push(`not denied by ${d.statement.ref.label} (${d.unknown.join(' and ')})`);
      (denyEvidence ??= []).push(statementEvidence(d.statement, 'deny with a condition that cannot be decided offline'));
    }
  }
  const allow = allowFrom(identity, action, resource, p, extra);
  if (!allow && !opts.grantedByResource) return NOT_ALLOWED;
  const conditions: string[] = undecidedDenies ?? [];
  const evidence: Evidence[] = denyEvidence ?? [];
  if (allow && (allow.unknown.length === 0 || !opts.grantedByResource)) {
    evidence.unshift(statementEvidence(allow.statement));
    conditions.push(...allow.unknown);
  }

  // A resource policy naming a user passes by its boundary; one naming a role does not (role sessions are
  // always limited by the role's boundary).
  const checkBoundary = !opts.grantedByResource || p.kind === 'aws_role';
  if (checkBoundary && p.boundary === 'missing') conditions.push(`permissions boundary ${p.boundaryArn} (not in the case) allows ${action}`);
  else if (checkBoundary && Array.isArray(p.boundary)) {
    const b = allowFrom(boundary, action, resource, p, extra);
    if (!b) return { verdict: 'denied', conditions: [], evidence: [{ type: 'policy-statement', summary: `the permissions boundary ${p.boundaryArn} does not allow ${action}`, location: p.boundaryArn }] };
    evidence.push(statementEvidence(b.statement));
    conditions.push(...b.unknown);
  }
  for (const layer of scpLayers) {
    const s = allowFrom(forService(layer.statements, svc), action, resource, p, extra);
    if (!s) return { verdict: 'denied', conditions: [], evidence: [{ type: 'scp-statement', summary: `no SCP attached at the ${layer.label} level allows ${action} for account ${p.account}`, location: layer.label }] };
    evidence.push(statementEvidence(s.statement));
    conditions.push(...s.unknown);
  }
  return { verdict: conditions.length ? 'conditional' : 'allowed', conditions, evidence };
}

const NO_OPTIONS: EvaluateOptions = Object.freeze({});
/** The answer when no statement allows (most calls): one shared, frozen decision (a decision's lists are read only). */
const NOT_ALLOWED: Decision = Object.freeze({ verdict: 'denied', conditions: Object.freeze([]), evidence: Object.freeze([]) });
const NO_LAYERS: readonly ScpLayer[] = Object.freeze([]);

/** Combines decisions that must all hold (several actions of one technique). */
export function allOf(decisions: Decision[]): Decision {
  const denied = decisions.find((d) => d.verdict === 'denied');
  if (denied) return denied;
  const conditions = [...new Set(decisions.flatMap((d) => d.conditions))];
  return { verdict: conditions.length ? 'conditional' : 'allowed', conditions, evidence: decisions.flatMap((d) => d.evidence) };
}
