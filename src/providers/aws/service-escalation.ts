import type { DeriveContext, RuleReads } from '../../analysis/edges/types.js';
import { kindsOfProviders, reads } from '../../analysis/reads.js';
import type { Evidence } from '../../model/fragment.js';
import { arnAccount } from '../../model/ids.js';
import type { NodeKind } from '../../model/kinds.js';
import { isAdmin } from './admin.js';
import { AWS_EMIT_READS, edgeProps, kindWord } from './emit.js';
import { accountOf, arnOf, inventoryOf, isInventoried, type InventoriedResource } from './inventory.js';
import { allOf, statementEvidence, statementsForService } from './evaluate.js';
import { AWS_MODEL_READS, awsModel, type AwsModel, type Decision, type Principal } from './model.js';
import { substitute } from './model-index.js';
import { evaluateCondition, statementCoversAction, type Statement } from './policy.js';
import { decideOnResource, resourcePolicyOf } from './resource-decision.js';
import { trustedServices, trustOf, trustsService } from './trust.js';

/** What the technique families read: the AWS model, any AWS node (resources named by ARN, inventories) and USES_ROLE. */
export const SERVICE_ESCALATION_READS: RuleReads = reads(AWS_MODEL_READS, AWS_EMIT_READS, { nodes: kindsOfProviders('aws'), edges: ['USES_ROLE'] });

// Escalation through a compute service, as data: hand a role to something the attacker creates (iam:PassRole +
// a create call), take over something that already runs with a role (new code for a function, a build with an
// overridden buildspec, a notebook URL), or pass a role into something that exists (a Glue job, a task
// definition). Each family of techniques is one rule file; this module derives them all the same way.
//
// Techniques that need an existing resource follow one pattern ("conditional until inventoried"): without an
// inventory of that resource kind for the account, a grant on such resources — any ("*") or one named — keeps
// an edge to every role the service may run as, conditional on a resource running with it. With the inventory in
// the case, the edge goes only to the roles its resources use, unconditionally (for the resources the grant
// covers), and no edge is drawn to roles no resource uses.

export interface ExistingResource {
  /** Plain words: 'Lambda function'. */
  what: string;
  /** The node kind an inventory importer writes (absent: no inventory can decide it). */
  kind?: NodeKind;
  /** Its ARN as a grant names it. */
  arn: RegExp;
  /** Actions that act on the resource itself, evaluated on its ARN (the others name a new resource). */
  onResource: string[];
  /** true: the resource runs with the target role; false: the attacker passes the role into it. */
  tied: boolean;
  /** Where the node keeps its resource policy (Lambda functions), for callers of another account. */
  policyProp?: string;
}

export interface ServiceTechnique {
  /** The pathfinding.cloud id (lambda-001), or for techniques it does not list, the actions joined by '+'. */
  id: string;
  /** The service principal the target role must trust. */
  service: string;
  /** Every action needed besides iam:PassRole. */
  actions: string[];
  passRole: boolean;
  /** The target role must sit in an instance profile (EC2 launches). */
  instanceProfile?: boolean;
  existing?: ExistingResource;
  /** What must exist or happen that no export shows; makes the edge conditional. */
  requires?: string;
  /** "<attacker> …, <target role>" */
  how: string;
}

interface Target {
  role: Principal;
  /** The trust statement naming the service (absent for a role an inventoried resource runs with). */
  trust?: Statement;
}

/** Roles trusting the service principal: every role's trust policy read once per run, for every service at once. */
function trustingRoles(ctx: DeriveContext, model: AwsModel, service: string): Target[] {
  const byService = ctx.memo('aws:trusting', () => {
    const index = new Map<string, Target[]>();
    for (const role of model.principals) {
      if (role.kind !== 'aws_role') continue;
      for (const [svc, trust] of trustedServices(trustOf(ctx, role))) {
        let list = index.get(svc);
        if (!list) index.set(svc, (list = []));
        list.push({ role, trust });
      }
    }
    return index;
  });
  return byService.get(service) ?? [];
}

function profilesOf(role: Principal): string[] {
  return Array.isArray(role.node.props['instanceProfiles']) ? (role.node.props['instanceProfiles'] as string[]) : [];
}

interface Grants {
  named: string[];
  any: boolean;
  accounts: Set<string>;
}

/**
 * namedResources, remembered per principal, action and resource pattern: techniques of a family share their first
 * action on the resource (three Lambda techniques start with lambda:UpdateFunctionCode), and each asks thousands of
 * principals. Callers only read the answer.
 */
function grantsOf(p: Principal, action: string, arn: RegExp): Grants {
  let mine = grantsMemo.get(p);
  if (!mine) grantsMemo.set(p, (mine = new Map()));
  let byAction = mine.get(arn);
  if (!byAction) mine.set(arn, (byAction = new Map()));
  let grants = byAction.get(action);
  if (!grants) byAction.set(action, (grants = namedResources(p, action, arn)));
  return grants;
}
const grantsMemo = new WeakMap<Principal, Map<RegExp, Map<string, Grants>>>();

/** The resources P's allow statements for the action name: literal ARNs matching the kind, and whether a pattern could match any. */
function namedResources(p: Principal, action: string, arn: RegExp): Grants {
  const named = new Set<string>();
  const accounts = new Set<string>();
  let any = false;
  // Only the statements that can name an action of its service (the model's cut), in their order.
  for (const s of statementsForService(p.identity, action.split(':')[0] ?? '')) {
    if (s.effect !== 'Allow' || !statementCoversAction(s, action)) continue;
    if (!s.resources || s.notResource) {
      any = true;
      continue;
    }
    for (const pattern of s.resources) {
      const r = pattern.includes('${') ? substitute(pattern, p.vars) : pattern;
      if (r === null) continue;
      if (r === undefined || r === '*') {
        any = true;
        continue;
      }
      const account = arnAccount(r);
      if (/[*?]/.test(r)) {
        // A pattern of this service (or one wide enough to be) may match resources of the kind.
        const service = r.split(':')[2] ?? '';
        if (/[*?]/.test(service) || arn.source.includes(`:${service}:`)) {
          any = true;
          if (account) accounts.add(account);
        }
        continue;
      }
      if (arn.test(r)) {
        named.add(r);
        if (account) accounts.add(account);
      }
    }
  }
  return { named: [...named], any, accounts };
}

export function deriveServiceTechniques(ctx: DeriveContext, techniques: readonly ServiceTechnique[]): void {
  const model = awsModel(ctx);
  for (const t of techniques) {
    const targets = trustingRoles(ctx, model, t.service).filter((x) => !t.instanceProfile || profilesOf(x.role).length > 0);
    const inventoryTied = Boolean(t.existing?.tied && t.existing.kind);
    if (!targets.length && !inventoryTied) continue;
    const first = t.passRole ? model.principalsFor('iam:PassRole') : model.principalsFor(t.actions[0]!);
    const candidates = t.actions.reduce<Principal[]>((acc, a) => {
      const set = principalSet(model.principalsFor(a));
      return acc.filter((p) => set.has(p));
    }, first);
    // The roles it may reach, by id: the same for every candidate (built once per technique, not per principal).
    const ids = targets.map((x) => ({ id: x.role.id }));
    const pool: TargetPool = { ids, idsById: new Map(ids.map((x) => [x.id, x])), byId: new Map(targets.map((x) => [x.role.id, x])) };
    for (const p of candidates) {
      if (isAdmin(ctx, p.id)) continue;
      if (t.existing) existingTechnique(ctx, model, t, t.existing, p, targets);
      else newResourceTechnique(ctx, model, t, p, pool);
    }
  }
}

/** principalsFor's answer as a set, made once per answer (the model keeps each): techniques share their actions. */
function principalSet(list: Principal[]): ReadonlySet<Principal> {
  let set = principalSets.get(list);
  if (!set) principalSets.set(list, (set = new Set(list)));
  return set;
}
const principalSets = new WeakMap<Principal[], Set<Principal>>();

/** Actions that name a new resource (the caller picks it): one decision each, on "any". */
function freeSteps(model: AwsModel, p: Principal, t: ServiceTechnique): Decision[] | undefined {
  const steps = freeActions(t).map((a) => onAny(model, p, a));
  return steps.some((d) => d.verdict === 'denied') ? undefined : steps;
}

/**
 * P's decision for an action on a resource it picks, remembered per principal and action: the techniques of a family
 * ask again for the actions they share. Decisions are only read here (combined into new ones by allOf).
 */
function onAny(model: AwsModel, p: Principal, action: string): Decision {
  let mine = anyMemo.get(p);
  if (!mine) anyMemo.set(p, (mine = new Map()));
  let d = mine.get(action);
  if (!d) mine.set(action, (d = model.evaluate(p, action, undefined)));
  return d;
}
const anyMemo = new WeakMap<Principal, Map<string, Decision>>();

/** The technique's actions not on an existing resource, worked out once per technique (not per principal). */
function freeActions(t: ServiceTechnique): readonly string[] {
  let actions = freeMemo.get(t);
  if (!actions) {
    const onResource = new Set(t.existing?.onResource.map((a) => a.toLowerCase()) ?? []);
    freeMemo.set(t, (actions = t.actions.filter((a) => !onResource.has(a.toLowerCase()))));
  }
  return actions;
}
const freeMemo = new WeakMap<ServiceTechnique, readonly string[]>();

function passDecision(model: AwsModel, p: Principal, t: ServiceTechnique, role: Principal): Decision | undefined {
  if (!t.passRole) return { verdict: 'allowed', conditions: [], evidence: [] };
  // PassRole and the service call happen in the caller's account.
  if (role.account !== p.account) return undefined;
  const d = model.evaluate(p, 'iam:PassRole', role.arn, { 'iam:passedtoservice': [t.service] });
  return d.verdict === 'denied' ? undefined : d;
}

interface TargetPool {
  ids: { id: string }[];
  idsById: Map<string, { id: string }>;
  byId: Map<string, Target>;
}

function newResourceTechnique(ctx: DeriveContext, model: AwsModel, t: ServiceTechnique, p: Principal, pool: TargetPool): void {
  const steps = freeSteps(model, p, t);
  if (!steps) return;
  const reachable = t.passRole ? model.candidateTargets(p, 'iam:PassRole', pool.ids, pool.idsById) : pool.ids;
  for (const { id } of reachable) {
    const target = pool.byId.get(id)!;
    if (target.role.id === p.id || target.role.account !== p.account) continue;
    const pass = passDecision(model, p, t, target.role);
    if (!pass) continue;
    emit(ctx, p, target, t, allOf([pass, ...steps]), [], '');
  }
}

function existingTechnique(ctx: DeriveContext, model: AwsModel, t: ServiceTechnique, ex: ExistingResource, p: Principal, targets: Target[]): void {
  const steps = freeSteps(model, p, t);
  if (!steps) return;
  const grants = ex.onResource.length ? grantsOf(p, ex.onResource[0]!, ex.arn) : { named: [], any: true, accounts: new Set<string>() };
  if (!grants.any && !grants.named.length) return;
  const accounts = new Set([p.account, ...grants.accounts]);
  const known = ex.kind ? inventoryOf(ctx, ex.kind) : undefined;
  for (const account of accounts) {
    const resources = known?.byAccount.get(account) ?? [];
    if (ex.kind && isInventoried(ctx, ex.kind, account)) {
      fromInventory(ctx, model, t, ex, p, account, resources, steps, targets);
      continue;
    }
    // No inventory: the resources the case knows of (named by a policy, a CloudTrail call, a resource policy) and
    // those the grant names, else any the grant covers.
    const arns = [...new Set([...resources.map((r) => arnOf(r.node)), ...grants.named])].filter((a) => (arnAccount(a) ?? account) === account);
    let d: Decision | undefined;
    let resourceArn: string | undefined;
    const tried = arns.length ? arns.slice(0, 8) : [undefined];
    for (const arn of tried) {
      const node = arn ? ctx.node(arn) : undefined;
      const onRes = ex.onResource.map((a) =>
        arn ? decideOnResource(model, p, a, { arn, account, policy: node && ex.policyProp ? resourcePolicyOf(node.props[ex.policyProp] as never, node.name, `${node.id} ${ex.policyProp}`) : undefined, label: `${ex.what} ${node?.name ?? arn}` }) : onAny(model, p, a),
      );
      if (onRes.some((x) => x.verdict === 'denied')) continue;
      const candidate = allOf([...steps, ...onRes]);
      if (!d || (d.verdict === 'conditional' && candidate.verdict === 'allowed')) {
        d = candidate;
        resourceArn = arn;
      }
      if (d.verdict === 'allowed') break;
    }
    if (!d) continue;
    // Without any resource known or named, a grant on one account's resources names that account only.
    if (!resourceArn && account !== p.account && !grants.accounts.has(account)) continue;
    const which = resourceArn ? `${ex.what} ${resourceArn}` : `${ex.what}`;
    for (const target of targets) {
      if (target.role.id === p.id || target.role.account !== account) continue;
      const pass = passDecision(model, p, t, target.role);
      if (!pass) continue;
      const requirement = ex.tied
        ? `requires an existing ${which} running with role ${target.role.name} (no ${ex.what} inventory of account ${account} in the case)`
        : `requires an existing ${which} (no ${ex.what} inventory of account ${account} in the case)`;
      const note = resourceArn ? ` (${ex.what} ${resourceArn.split(/[:/]/).pop()} is named in its grant)` : '';
      emit(ctx, p, target, t, allOf([pass, d]), [requirement], note, resourceArn);
    }
  }
}

function fromInventory(ctx: DeriveContext, model: AwsModel, t: ServiceTechnique, ex: ExistingResource, p: Principal, account: string, resources: InventoriedResource[], steps: Decision[], targets: Target[]): void {
  const byId = new Map(targets.map((x) => [x.role.id, x]));
  for (const r of resources) {
    // Only what the inventory lists exists: a resource known only from a policy naming it, or a log, does not.
    if (r.node.stub) continue;
    // Listed without its role (list-notebook-instances does not say it): any role the service may run as.
    const roleUnknown = ex.tied && !r.roles.length;
    const policy = ex.policyProp ? resourcePolicyOf(r.node.props[ex.policyProp] as never, r.node.name, `${r.node.id} ${ex.policyProp}`) : undefined;
    const onRes = ex.onResource.map((a) => decideOnResource(model, p, a, { arn: arnOf(r.node), account: accountOf(r.node) ?? account, policy, label: `${ex.what} ${r.node.name}` }));
    if (onRes.some((x) => x.verdict === 'denied')) continue;
    const d = allOf([...steps, ...onRes]);
    const roles = ex.tied && !roleUnknown ? r.roles : targets.filter((x) => x.role.account === account).map((x) => x.role.id);
    for (const roleId of roles) {
      let target = byId.get(roleId);
      if (!target && ex.tied) {
        // The resource runs with it, so it trusts the service in practice; its trust statement is evidence when present.
        const role = model.byId.get(roleId);
        if (!role || role.kind !== 'aws_role') continue;
        target = { role, trust: trustsService(trustOf(ctx, role), t.service) };
      }
      if (!target || target.role.id === p.id) continue;
      const pass = passDecision(model, p, t, target.role);
      if (!pass) continue;
      const note = roleUnknown ? ` (${ex.what} ${r.node.name} is in the inventory, without its role)` : ex.tied ? ` (${ex.what} ${r.node.name} runs with it, per the inventory)` : ` (into ${ex.what} ${r.node.name}, which the inventory lists)`;
      const unknown = roleUnknown ? [`${ex.what} ${r.node.name} runs with role ${target.role.name} (the inventory does not say which role)`] : [];
      emit(ctx, p, target, t, allOf([pass, d]), unknown, note, r.node.id, r.evidence);
    }
  }
}

function emit(ctx: DeriveContext, p: Principal, target: Target, t: ServiceTechnique, d: Decision, extra: string[], note: string, resource?: string, record?: Evidence): void {
  const { role, trust } = target;
  const conditions = [...d.conditions, ...extra];
  const evidence = [...d.evidence, ...(record ? [record] : [])];
  if (trust) {
    // Trust conditions on the service side (aws:SourceAccount, aws:SourceArn) are met by the attacker's own
    // resources in the same account; anything else is left to the reader.
    const tc = evaluateCondition(trust.condition, { values: new Map([['aws:sourceaccount', [role.account]]]) }, 'Allow');
    if (tc.result === 'false') return;
    conditions.push(...tc.unknown.filter((c) => !/aws:SourceArn/i.test(c)));
    evidence.push(statementEvidence(trust));
  }
  if (t.requires) conditions.push(`requires ${t.requires}`);
  const profiles = profilesOf(role);
  const profileNote = t.instanceProfile ? ` (instance profile ${profiles.map((x) => x.split('/').pop()).join(', ')})` : '';
  const trusts = trust ? `the role trusts ${t.service}` : `its trust policy in the case does not name ${t.service}`;
  const reason = `${kindWord(p.kind)} ${p.name} ${t.how} role ${role.name}${profileNote}${note}; ${trusts}${t.passRole ? ' and the caller may pass it to that service' : ''}.`;
  const actions = [...(t.passRole ? ['iam:PassRole'] : []), ...t.actions];
  ctx.emitEdge({ from: p.id, to: role.id, kind: 'CAN_ESCALATE', props: edgeProps(reason, t.id, evidence, conditions, { actions, ...(resource ? { resource } : {}) }) });
}
