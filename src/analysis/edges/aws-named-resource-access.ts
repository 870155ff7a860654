import { kindsOfProviders, reads } from '../reads.js';
import { AWS_MODEL_READS } from '../../providers/aws/model.js';
import { AWS_EMIT_READS } from '../../providers/aws/emit.js';
import type { Evidence } from '../../model/fragment.js';
import { ACCESS_LEVELS, type AccessLevel, type NodeKind } from '../../model/kinds.js';
import type { StoredNode } from '../../store/case-store.js';
import { actionsOf, resourceTypesOfArn, type ActionInfo } from '../../providers/aws/catalog.js';
import { edgeProps, kindWord } from '../../providers/aws/emit.js';
import { accountOf, arnOf } from '../../providers/aws/inventory.js';
import { statementsForService } from '../../providers/aws/evaluate.js';
import { awsModel, type AwsModel, type Decision, type Principal } from '../../providers/aws/model.js';
import { substitute } from '../../providers/aws/model-index.js';
import { resourcePatternMatches, statementCoversAction, type Statement } from '../../providers/aws/policy.js';
import { principalNaming } from '../../providers/aws/principal-match.js';
import { decideOnResource, resourcePolicyOf, type ResourceSide } from '../../providers/aws/resource-decision.js';
import type { DeriveContext, EdgeRule } from './types.js';

// Access to the other resources of the case (functions, instances, stacks, projects, notebooks, task
// definitions, endpoints, and any resource a policy names: tables, queues, parameters …), at the highest access
// level a principal holds on each. The actions tried are the catalogue's actions on the resource's type (read
// from its ARN). Candidates are the principals whose grants name the resource, by its ARN or a pattern that
// matches it, and those its resource policy names; a grant on every resource of a service ("*") is not drawn to
// each one (it is the principal's reach over the whole service, and would multiply edges by every resource).

const KINDS: NodeKind[] = ['aws_lambda', 'aws_instance', 'aws_cfn_stack', 'aws_codebuild_project', 'aws_sagemaker_notebook', 'aws_ecs_task_definition', 'aws_glue_dev_endpoint', 'aws_resource'];
const POLICY_PROP: Partial<Record<NodeKind, string>> = { aws_lambda: 'resourcePolicy' };

interface Naming {
  /** Literal ARNs: the statements naming each (their holders name it), and the principals naming it through a policy variable. */
  literal: Map<string, { statements: Statement[]; principals: Principal[] }>;
  /** Patterns (not "*") by service: each matched against the service's resources, with who holds it. */
  patterns: Map<string, { pattern: string; statement?: Statement; p?: Principal }[]>;
}

/**
 * Who names what: one pass over the model's statements, each read once however many principals hold it (a
 * statement with a policy variable is read per holder, with the holder's values in).
 */
function namingIndex(model: AwsModel): Naming {
  const literal: Naming['literal'] = new Map();
  const patterns: Naming['patterns'] = new Map();
  const add = (r: string | null | undefined, statement: Statement | undefined, p: Principal | undefined) => {
    if (typeof r !== 'string' || r === '*' || !r.startsWith('arn:')) return;
    if (/[*?]/.test(r)) {
      const service = r.split(':')[2] ?? '';
      if (!service || /[*?]/.test(service)) return;
      const list = patterns.get(service) ?? [];
      list.push({ pattern: r, statement, p });
      patterns.set(service, list);
    } else {
      let entry = literal.get(r);
      if (!entry) literal.set(r, (entry = { statements: [], principals: [] }));
      if (statement) entry.statements.push(statement);
      else entry.principals.push(p!);
    }
  };
  for (const { statement: s } of model.statements) {
    if (s.effect !== 'Allow' || !s.resources || s.notResource) continue;
    for (const raw of s.resources) {
      if (!raw.includes('${')) add(raw, s, undefined);
      else for (const p of model.holdersOf(s)) add(substitute(raw, p.vars), undefined, p);
    }
  }
  return { literal, patterns };
}

/**
 * The principals whose grants name the resource: those naming its ARN, then those with a pattern matching it, each
 * part in the model's order.
 */
function namers(model: AwsModel, index: Naming, arn: string, service: string): Set<Principal> {
  const entry = index.literal.get(arn);
  const named = new Set<Principal>();
  if (entry) {
    const list: Principal[] = [...entry.principals];
    for (const s of entry.statements) list.push(...model.holdersOf(s));
    addInOrder(model, list, named);
  }
  // One pattern is held by every principal its policy reaches: matched once per resource (variables are
  // substituted already).
  const matched = new Map<string, boolean>();
  let more: Principal[] | undefined;
  for (const { pattern, statement, p } of index.patterns.get(service) ?? []) {
    let hit = matched.get(pattern);
    if (hit === undefined) matched.set(pattern, (hit = resourcePatternMatches(pattern, arn, p?.vars) === true));
    if (!hit) continue;
    more ??= [];
    if (statement) more.push(...model.holdersOf(statement));
    else more.push(p!);
  }
  if (more) addInOrder(model, more, named);
  return named;
}

/** Adds the principals to the set in the model's order: their places sorted as numbers, not compared by lookups. */
function addInOrder(model: AwsModel, list: readonly Principal[], into: Set<Principal>): void {
  const places = new Float64Array(list.length);
  for (let i = 0; i < list.length; i++) places[i] = model.orderOf(list[i]!);
  places.sort();
  for (const i of places) into.add(model.principals[i]!);
}

export const awsNamedResourceAccess: EdgeRule = {
  id: 'aws-named-resource-access',
  description: 'Access of IAM principals to the other AWS resources of the case (functions, instances, stacks, tables, queues, parameters …) that their grants name, at the highest access level.',
  emits: ['CAN_ACCESS'],
  reads: reads(AWS_MODEL_READS, AWS_EMIT_READS, { nodes: kindsOfProviders('aws'), edges: ['USES_ROLE'] }),
  derive(ctx) {
    const model = awsModel(ctx);
    let index: Naming | undefined;
    const touching = new Map<string, Map<Principal, readonly Statement[]>>();
    for (const kind of KINDS) {
      for (const node of ctx.nodesOfKind(kind)) {
        const arn = arnOf(node);
        const types = resourceTypesOfArn(arn);
        if (!types.length) continue;
        const service = arn.split(':')[2]!;
        const levels = levelsOf(service, types);
        if (!levels.length) continue;
        index ??= namingIndex(model);
        const candidates = namers(model, index, arn, service);
        const prop = POLICY_PROP[kind];
        const policy = prop ? resourcePolicyOf(node.props[prop] as never, node.name, `${node.id} ${prop}`) : undefined;
        for (const s of policy ?? []) if (s.effect === 'Allow') for (const p of model.principals) if (principalNaming(s, p)) candidates.add(p);
        const account = accountOf(node);
        let onService = touching.get(service);
        if (!onService) touching.set(service, (onService = new Map()));
        // What access() needs of the resource, once per resource (not per principal).
        const side: ResourceSide = { arn, account, policy, label: node.name };
        for (const p of candidates) access(ctx, model, node, side, service, p, levels, allowsOn(onService, p, service));
      }
    }
  },
};

const rank = (l: AccessLevel) => ACCESS_LEVELS.indexOf(l);

/**
 * The actions on resources of these types by access level, highest first (most principals stop at the first one
 * allowed); none when the catalogue has no action on them. The same for every resource of a type: worked out once.
 */
function levelsOf(service: string, types: string[]): { level: AccessLevel; actions: ActionInfo[] }[] {
  const key = `${service}\n${types.join('\n')}`;
  let levels = levelMemo.get(key);
  if (!levels) {
    const actions = actionsOf(service).filter((a) => a.resourceTypes.some((t) => types.includes(t)));
    levels = [...ACCESS_LEVELS].sort((x, y) => rank(y) - rank(x)).map((level) => ({ level, actions: actions.filter((x) => x.accessLevel === level) })).filter((l) => l.actions.length);
    levelMemo.set(key, levels);
  }
  return levels;
}
const levelMemo = new Map<string, { level: AccessLevel; actions: ActionInfo[] }[]>();

/** The highest level P holds on the resource: levels tried from the top, the first action allowed outright wins. */
function access(ctx: DeriveContext, model: AwsModel, node: StoredNode, side: ResourceSide, service: string, p: Principal, levels: { level: AccessLevel; actions: ActionInfo[] }[], allows: readonly Statement[]): void {
  const { arn, account, policy } = side;
  // The allows that can reach this resource at all: those naming it (or everything), and the policy's for P.
  // Plain loops, no closures: this runs for every principal a resource's grants name, over dozens of actions each.
  let relevant: Statement[] | undefined;
  for (const s of allows) if (coversArn(s, arn, p)) (relevant ??= []).push(s);
  if (policy) for (const s of policy) if (s.effect === 'Allow' && principalNaming(s, p)) (relevant ??= []).push(s);
  if (!relevant) return;
  // Evaluations are what cost here: a few per principal and resource, not one per action of the service.
  let best: { level: AccessLevel; decision: Decision; actions: string[] } | undefined;
  let budget = 8;
  search: for (const { level, actions } of levels) {
    for (const a of actions) {
      if (!coversAction(relevant, a.action)) continue;
      if (budget-- <= 0) break search;
      const d = decideOnResource(model, p, a.action, side);
      if (d.verdict === 'denied') continue;
      if (!best) best = { level, decision: d, actions: [a.action] };
      else if (best.level === level) best.actions.push(a.action);
      if (d.verdict === 'allowed') {
        if (best.decision.verdict !== 'allowed') best = { level, decision: d, actions: [a.action] };
        break search;
      }
    }
  }
  if (!best) return;
  const evidence: Evidence[] = best.decision.evidence.slice(0, 12);
  const cross = account !== undefined && account !== p.account;
  ctx.emitEdge({
    from: p.id,
    to: node.id,
    kind: 'CAN_ACCESS',
    props: edgeProps(
      `${kindWord(p.kind)} ${p.name} has ${best.level} access to ${node.name} (e.g. ${best.actions.join(', ')})${cross ? ', granted on both sides of the account boundary' : ''}.`,
      `${service}:${best.level}`,
      evidence,
      best.decision.conditions,
      { accessLevel: best.level, actions: best.actions },
    ),
  });
}

/** P's allow statements that can name an action of the service, worked out once per principal and service (not per resource). */
function allowsOn(onService: Map<Principal, readonly Statement[]>, p: Principal, service: string): readonly Statement[] {
  let list = onService.get(p);
  if (!list) {
    // From the statements the model already cut for the service (a superset of those touching it), not every statement.
    const cut = statementsForService(p.identity, service);
    const prefix = `${service}:`;
    const out: Statement[] = [];
    for (let i = 0; i < cut.length; i++) if (cut[i]!.effect === 'Allow' && touches(cut[i]!, prefix)) out.push(cut[i]!);
    onService.set(p, (list = out));
  }
  return list;
}

/** Whether an allow statement can name an action of the service (its prefix, 's3:') at all (before any resource is tested). */
function touches(s: Statement, prefix: string): boolean {
  if (s.notAction) return true;
  for (const a of s.actions) if (a === '*' || a.startsWith(prefix) || WILDCARD_SERVICE.test(a)) return true;
  return false;
}
const WILDCARD_SERVICE = /^[^:]*[*?][^:]*:/;

function coversAction(statements: readonly Statement[], action: string): boolean {
  for (const s of statements) if (statementCoversAction(s, action)) return true;
  return false;
}

/** Resource match for one ARN without remembering it (each resource is asked about once per principal). */
function coversArn(s: Statement, arn: string, p: Principal): boolean {
  if (!s.resources) return true;
  let hit = false;
  for (const r of s.resources) {
    if (resourcePatternMatches(r, arn, p.vars) !== false) {
      hit = true;
      break;
    }
  }
  return s.notResource ? !hit : hit;
}
