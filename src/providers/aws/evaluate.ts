import type { Evidence, JsonObject } from '../../model/fragment.js';
import type { AwsModel, Decision, EvaluateOptions, Principal, ScpLayer } from './model.js';
import { evaluateCondition, statementCoversAction, statementCoversResource, type RequestContext, type Statement } from './policy.js';

// Evaluation: "can P do A on R?" answered as AWS does over the model's statements (identity, boundary, SCP layers),
// with the deciding statements as evidence. Per-call costs are kept down by caches that outlive one call: each
// statement list cut once per service, each statement's evidence built once, each principal's request context made once.

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
export function serviceOf(action: string): string {
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

/** statementsForService with the service lower-cased already (serviceOf's). */
export function forService(statements: readonly Statement[], svc: string): readonly Statement[] {
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

export function evaluate(model: AwsModel, p: Principal, action: string, resource: string | undefined, extra?: Record<string, string[] | null>, options?: EvaluateOptions): Decision {
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
