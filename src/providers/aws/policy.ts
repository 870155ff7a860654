import { isJsonObject } from '../../model/fragment.js';
import type { Json, JsonObject } from '../../model/fragment.js';
import { Glob } from '../../model/glob.js';

// IAM policy language: statements normalised once, action/resource matching and condition evaluation with
// three outcomes (true, false, unknown-offline). Matching follows the IAM reference: actions are case-insensitive,
// resources are matched per ARN segment with * and ?, case-sensitively, after policy variables are substituted.

export interface PolicyRef {
  /** Plain words: "inline policy deploy-lambdas of role deploy-prod", "managed policy AdministratorAccess". */
  label: string;
  /** Policy ARN or owner ARN + policy name: where a user finds the statement. */
  location: string;
  kind: 'identity' | 'boundary' | 'scp' | 'resource' | 'trust';
}

export type ConditionBlock = Record<string, Record<string, string[]>>;

export interface Statement {
  effect: 'Allow' | 'Deny';
  sid?: string;
  index: number;
  /** Lower-cased action patterns; `notAction` inverts them. */
  actions: string[];
  /** The action patterns as written, for explanations. */
  actionsAsWritten: string[];
  notAction: boolean;
  /** Resource patterns; undefined when the statement has none (trust and some resource policies). */
  resources?: string[];
  notResource: boolean;
  principal?: Json;
  notPrincipal?: Json;
  condition?: ConditionBlock;
  raw: JsonObject;
  ref: PolicyRef;
}

export function statementsOf(doc: Json | undefined, ref: PolicyRef): Statement[] {
  if (!isJsonObject(doc)) return [];
  const raw = doc['Statement'];
  const list = Array.isArray(raw) ? raw : isJsonObject(raw) ? [raw] : [];
  const out: Statement[] = [];
  list.forEach((s, index) => {
    if (!isJsonObject(s)) return;
    const effect = s['Effect'] === 'Deny' ? 'Deny' : s['Effect'] === 'Allow' ? 'Allow' : undefined;
    if (!effect) return;
    const notAction = s['Action'] === undefined && s['NotAction'] !== undefined;
    const actionsAsWritten = strings(notAction ? s['NotAction'] : s['Action']);
    const actions = actionsAsWritten.map((a) => a.toLowerCase());
    const notResource = s['Resource'] === undefined && s['NotResource'] !== undefined;
    const res = notResource ? s['NotResource'] : s['Resource'];
    out.push({
      effect,
      sid: typeof s['Sid'] === 'string' && s['Sid'] ? s['Sid'] : undefined,
      index,
      actions,
      actionsAsWritten,
      notAction,
      resources: res === undefined ? undefined : strings(res),
      notResource,
      principal: s['Principal'],
      notPrincipal: s['NotPrincipal'],
      condition: conditionOf(s['Condition']),
      raw: s,
      ref,
    });
  });
  return out;
}

function conditionOf(v: Json | undefined): ConditionBlock | undefined {
  if (!isJsonObject(v)) return undefined;
  const out: ConditionBlock = {};
  for (const [op, keys] of Object.entries(v)) {
    if (!isJsonObject(keys)) continue;
    out[op] = {};
    for (const [k, vals] of Object.entries(keys)) out[op]![k] = strings(vals).map(String);
  }
  return Object.keys(out).length ? out : undefined;
}

export function strings(v: Json | undefined): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) {
    // One array, not a filter and a map: called for every action, resource and condition list of every statement.
    const out: string[] = [];
    for (const x of v) {
      if (typeof x === 'string') out.push(x);
      else if (typeof x === 'number' || typeof x === 'boolean') out.push(String(x));
    }
    return out;
  }
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? [String(v)] : [];
}

// One cache per flag set, keyed by the pattern itself: a key built per call (flags + pattern) was a new string to
// allocate and hash on every match, and matches run hundreds of thousands of times.
const globCaches = { i: new Map<string, Glob>(), '': new Map<string, Glob>() };
function glob(pattern: string, flags: 'i' | ''): Glob {
  const cache = globCaches[flags];
  let re = cache.get(pattern);
  if (!re) {
    // Not a RegExp: a policy of many wildcards would backtrack for minutes (model/glob.ts).
    re = new Glob(pattern, { caseInsensitive: flags === 'i' });
    cache.set(pattern, re);
  }
  return re;
}

/** Whether a lower-cased action pattern (`iam:*`, `s3:get*`, `*`) covers an action. */
export function actionPatternMatches(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === action.toLowerCase();
  return glob(pattern, 'i').test(action);
}

// Statements of a managed policy are shared by every principal it is attached to, and rules ask the same few
// actions and resources again and again: each statement remembers its answers.
// The answers live on the statement itself, under a symbol and not enumerable: a WeakMap lookup per call was
// most of the cost of a call (millions per quota-size account), and a copy of a statement ({ ...s }) or a
// comparison of two never sees them.
interface StatementMemo {
  actions: Map<string, boolean>;
  resources?: Map<string, boolean | 'unknown'>;
  /** Whether the resource patterns are free of policy variables (answers do not depend on the principal). */
  cacheable?: boolean;
  /** Whether a resource pattern is '*' (it covers every resource: nothing to match or remember). */
  anyResource?: boolean;
}
const MEMO = Symbol('statement memo');
type Memoised = Statement & { [MEMO]?: StatementMemo };
function memoOf(s: Statement): StatementMemo {
  let memo = (s as Memoised)[MEMO];
  if (!memo) {
    memo = { actions: new Map() };
    Object.defineProperty(s, MEMO, { value: memo, enumerable: false });
  }
  return memo;
}

export function statementCoversAction(s: Statement, action: string): boolean {
  const memo = memoOf(s).actions;
  let v = memo.get(action);
  if (v === undefined) {
    const hit = s.actions.some((p) => actionPatternMatches(p, action));
    v = s.notAction ? !hit : hit;
    memo.set(action, v);
  }
  return v;
}

/**
 * Values for policy variables (${aws:username}): a string, or null when the key is known to be absent (a role
 * has no aws:username; a principal whose tags are known lacks the others), which makes the pattern match nothing.
 * A variable with no entry makes the match undecidable. 'aws:principaltag/*' → null marks the tags as known.
 */
export type Variables = Map<string, string | null>;

/**
 * Whether a resource pattern covers an ARN: segment by segment (partition, service, region, account), then
 * the resource part, where * spans '/' and ':'. 'unknown' when a policy variable has no known value.
 */
export function resourcePatternMatches(pattern: string, arn: string, vars?: Variables): boolean | 'unknown' {
  // A pattern without a wildcard or a variable matches only the same text (what the segments or the glob would
  // answer): most patterns name one resource, and most are asked about many others.
  if (!pattern.includes('*') && !pattern.includes('?') && !pattern.includes('${')) return pattern === arn;
  let p = pattern;
  if (p.includes('${')) {
    let unknown = false;
    let absent = false;
    p = p.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (name === '*') return '[*]';
      if (name === '?') return '[?]';
      if (name === '$') return '$';
      const key = name.toLowerCase();
      let v = vars?.get(key);
      if (v === undefined && key.startsWith('aws:principaltag/') && vars?.has('aws:principaltag/*')) v = null;
      if (v === undefined) unknown = true;
      else if (v === null) absent = true;
      return v ?? '';
    });
    if (absent) return false;
    if (unknown) return 'unknown';
    // Escaped literals from ${*} / ${?}: compare literally.
    if (p.includes('[*]') || p.includes('[?]')) p = p.replace(/\[\*\]/g, '*').replace(/\[\?\]/g, '?');
  }
  if (p === '*') return true;
  const ps = arnPattern(p);
  const as = arnParts(arn);
  if (!ps || !as) return glob(p, '').test(arn);
  // A segment without a wildcard matches only itself (what the glob would answer, without running it).
  for (let i = 0; i < 6; i++) {
    const seg = ps[i]!;
    if (typeof seg === 'string' ? seg !== as[i] : !seg.test(as[i]!)) return false;
  }
  return true;
}

// Rules ask about the same patterns and ARNs again and again (a quota-size account: hundreds of thousands of
// times): each is split once, and a pattern's segments are compiled once. Bounded: cleared when full.
const arnSplits = new Map<string, string[] | undefined>();
const arnPatterns = new Map<string, (string | Glob)[] | undefined>();
const SPLITS_KEPT = 50_000;

function arnParts(arn: string): string[] | undefined {
  let parts = arnSplits.get(arn);
  if (parts === undefined && !arnSplits.has(arn)) {
    if (arnSplits.size >= SPLITS_KEPT) arnSplits.clear();
    arnSplits.set(arn, (parts = splitArn(arn)));
  }
  return parts;
}

function arnPattern(pattern: string): (string | Glob)[] | undefined {
  let segs = arnPatterns.get(pattern);
  if (segs === undefined && !arnPatterns.has(pattern)) {
    if (arnPatterns.size >= SPLITS_KEPT) arnPatterns.clear();
    segs = splitArn(pattern)?.map((seg) => (seg.includes('*') || seg.includes('?') ? glob(seg, '') : seg));
    arnPatterns.set(pattern, segs);
  }
  return segs;
}

function splitArn(s: string): string[] | undefined {
  const parts = s.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/**
 * Whether the statement's Resource/NotResource covers the resource. `undefined` resource = one the caller picks
 * (a new function, a new stack): any Resource covers it, and a NotResource covers it unless it excludes '*'.
 */
export function statementCoversResource(s: Statement, resource: string | undefined, vars?: Variables): boolean | 'unknown' {
  if (!s.resources) return true;
  if (resource === undefined) {
    if (!s.notResource) return s.effect === 'Allow' ? s.resources.length > 0 : s.resources.includes('*');
    return !s.resources.includes('*');
  }
  const record = memoOf(s);
  // A '*' among the patterns decides at once (the first match wins whatever the others say): remembering it per
  // resource only filled a map per wildcard statement with every ARN asked about.
  if ((record.anyResource ??= s.resources.includes('*'))) return !s.notResource;
  const cacheable = (record.cacheable ??= !s.resources.some((r) => r.includes('${')));
  if (cacheable) {
    const memo = (record.resources ??= new Map());
    let v = memo.get(resource);
    if (v === undefined) memo.set(resource, (v = coversResource(s, s.resources, resource, vars)));
    return v;
  }
  return coversResource(s, s.resources, resource, vars);
}

function coversResource(s: Statement, resources: string[], resource: string, vars?: Variables): boolean | 'unknown' {
  let unknown = false;
  let hit = false;
  for (const p of resources) {
    const m = resourcePatternMatches(p, resource, vars);
    if (m === true) {
      hit = true;
      break;
    }
    if (m === 'unknown') unknown = true;
  }
  if (!hit && unknown) return 'unknown';
  return s.notResource ? !hit : hit;
}

// ---- conditions ----

export type Tri = 'true' | 'false' | 'unknown';

/**
 * What is known of a request offline. `values`: lower-cased key → its values, or null when the key is known to be
 * absent. Keys the caller sets itself (a session name, a requested region, an external id it was given) are
 * satisfiable: an Allow on them can be met and a Deny on them avoided.
 */
export interface RequestContext {
  values: Map<string, string[] | null>;
  /** Principal tags when the principal's tags are known (all of them: a missing tag is known absent). */
  principalTags?: Record<string, string>;
  /**
   * The case's reference time (ms since the epoch): the import time or the case's --as-of. An attacker's request
   * is made then (aws:CurrentTime), with credentials it obtains then (aws:TokenIssueTime: a user's long-term key
   * mints fresh ones with sts:GetSessionToken, a role's with AssumeRole), so date conditions on them are decided.
   */
  asOf?: number;
}

/** Condition keys that are a time an attacker's request carries: the reference time. */
const REQUEST_TIMES = new Set(['aws:currenttime', 'aws:tokenissuetime']);

const CALLER_CHOSEN = new Set([
  'sts:rolesessionname', 'sts:externalid', 'sts:sourceidentity', 'sts:transitivetagkeys',
  'aws:requestedregion', 'aws:securetransport', 'aws:tagkeys',
  's3:prefix', 's3:delimiter', 's3:max-keys', 's3:x-amz-acl', 's3:x-amz-server-side-encryption', 's3:x-amz-server-side-encryption-aws-kms-key-id', 's3:signatureversion', 's3:authtype', 's3:tlsversion',
  'lambda:functionarn', 'ec2:instancetype', 'secretsmanager:versionstage',
]);

export interface ConditionResult {
  result: Tri;
  /** The undecidable clauses, as policy text. */
  unknown: string[];
  /** Clauses the caller satisfies by choosing the value (kept for the explanation). */
  chosen: string[];
}

/** The answer for a statement without conditions, shared (most statements have none): callers only read it. */
const NO_CONDITION: ConditionResult = Object.freeze({ result: 'true', unknown: Object.freeze([]) as unknown as string[], chosen: Object.freeze([]) as unknown as string[] });

export function evaluateCondition(block: ConditionBlock | undefined, ctx: RequestContext, effect: 'Allow' | 'Deny'): ConditionResult {
  if (!block) return NO_CONDITION;
  const out: ConditionResult = { result: 'true', unknown: [], chosen: [] };
  for (const [op, keys] of Object.entries(block)) {
    for (const [key, expected] of Object.entries(keys)) {
      // The clause as text only when it is kept (undecided or caller-chosen): most clauses are decided.
      const text = () => `${op} ${key} ${expected.length === 1 ? JSON.stringify(expected[0]) : JSON.stringify(expected)}`;
      const lower = key.toLowerCase();
      let known: string[] | null | undefined = ctx.values.get(lower);
      if (known === undefined && lower.startsWith('aws:principaltag/') && ctx.principalTags) {
        const tag = Object.entries(ctx.principalTags).find(([k]) => k.toLowerCase() === lower.slice('aws:principaltag/'.length));
        known = tag ? [tag[1]] : null;
      }
      if (known === undefined && ctx.asOf !== undefined && REQUEST_TIMES.has(lower)) known = [new Date(ctx.asOf).toISOString()];
      if (known === undefined) {
        if (CALLER_CHOSEN.has(lower) || lower.startsWith('aws:requesttag/')) {
          out.chosen.push(text());
          if (effect === 'Deny') return { ...out, result: 'false' };
          continue;
        }
        out.unknown.push(text());
        continue;
      }
      const r = applyOperator(op, known, expected);
      if (r === 'false') return { ...out, result: 'false' };
      if (r === 'unknown') out.unknown.push(text());
    }
  }
  if (out.unknown.length) out.result = 'unknown';
  return out;
}

function applyOperator(rawOp: string, actual: string[] | null, expected: string[]): Tri {
  let op = rawOp;
  let set: 'any' | 'all' | undefined;
  if (/^forallvalues:/i.test(op)) {
    set = 'all';
    op = op.slice('ForAllValues:'.length);
  } else if (/^foranyvalue:/i.test(op)) {
    set = 'any';
    op = op.slice('ForAnyValue:'.length);
  }
  const ifExists = /IfExists$/i.test(op);
  if (ifExists) op = op.slice(0, -'IfExists'.length);
  const base = op.toLowerCase();
  if (base === 'null') {
    const wantAbsent = expected.some((e) => e.toLowerCase() === 'true');
    return (actual === null) === wantAbsent ? 'true' : 'false';
  }
  const negated = base.includes('not');
  if (actual === null || actual.length === 0) {
    if (ifExists) return 'true';
    if (set === 'all') return 'true';
    if (set === 'any') return 'false';
    return negated ? 'true' : 'false';
  }
  if (base.startsWith('date')) {
    // ISO-8601 or epoch seconds, as AWS accepts them; a value neither is undecidable.
    const times = (list: string[]) => list.map((v) => (/^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v)));
    const a = times(actual);
    const e = times(expected);
    if ([...a, ...e].some(Number.isNaN)) return 'unknown';
    const cmp = dateOperator(base);
    if (!cmp) return 'unknown';
    const one = (t: number) => e.some((x) => cmp(t, x));
    if (set === 'all') return a.every((t) => (negated ? !one(t) : one(t))) ? 'true' : 'false';
    if (set === 'any') return a.some((t) => (negated ? !one(t) : one(t))) ? 'true' : 'false';
    const hit = a.some(one);
    return (negated ? !hit : hit) ? 'true' : 'false';
  }
  const match = matcher(base);
  if (!match) return 'unknown';
  const one = (v: string) => expected.some((e) => match(v, e));
  if (set === 'all') return actual.every((v) => (negated ? !one(v) : one(v))) ? 'true' : 'false';
  if (set === 'any') return actual.some((v) => (negated ? !one(v) : one(v))) ? 'true' : 'false';
  const hit = actual.some(one);
  return (negated ? !hit : hit) ? 'true' : 'false';
}

function dateOperator(op: string): ((actual: number, expected: number) => boolean) | undefined {
  switch (op) {
    case 'dateequals':
    case 'datenotequals':
      return (a, e) => a === e;
    case 'datelessthan':
      return (a, e) => a < e;
    case 'datelessthanequals':
      return (a, e) => a <= e;
    case 'dategreaterthan':
      return (a, e) => a > e;
    case 'dategreaterthanequals':
      return (a, e) => a >= e;
    default:
      return undefined;
  }
}

function matcher(op: string): ((actual: string, expected: string) => boolean) | undefined {
  switch (op) {
    case 'stringequals':
    case 'stringnotequals':
    case 'arnequals':
    case 'arnnotequals':
      return (a, e) => (op.startsWith('arn') ? arnLike(a, e) : a === e);
    case 'stringequalsignorecase':
    case 'stringnotequalsignorecase':
      return (a, e) => a.toLowerCase() === e.toLowerCase();
    case 'stringlike':
    case 'stringnotlike':
      return (a, e) => glob(e, '').test(a);
    case 'arnlike':
    case 'arnnotlike':
      return arnLike;
    case 'bool':
      return (a, e) => a.toLowerCase() === e.toLowerCase();
    default:
      return undefined;
  }
}

function arnLike(actual: string, pattern: string): boolean {
  return resourcePatternMatches(pattern, actual) === true;
}

export function conditionText(block: ConditionBlock | undefined): string {
  if (!block) return '';
  return Object.entries(block)
    .flatMap(([op, keys]) => Object.entries(keys).map(([k, v]) => `${op} ${k} ${v.length === 1 ? JSON.stringify(v[0]) : JSON.stringify(v)}`))
    .join(' and ');
}

