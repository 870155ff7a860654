// Derivation: the rules' edges, derived nodes and findings, recomputed inside the import's transaction so an import
// and its consequences land together. A full run clears everything derived and runs every rule over the whole case.
// After an import that changed little, only the rules whose inputs changed run again (incremental): each rule
// declares the node and edge kinds it reads (RuleReads); what the import changed is in the store's change log; a
// rule that runs again replaces exactly what it made, and what it changed becomes a change for the rules after it.
// A rule that works boundary by boundary runs again only for the boundaries whose inputs changed.
import * as crypto from 'node:crypto';
import type { GraphFragment } from '../model/fragment.js';
import type { EdgeKind } from '../model/kinds.js';
import { scopeOf } from '../store/change-log.js';
import type { DerivedRow, NodeClaim } from '../store/derived.js';
import type { CaseStore, FindingRow } from '../store/case-store.js';
import { ChangeSet, changesOf, type Plan, planFor } from './derive/changes.js';
import { RunContext } from './derive/context.js';
import { canonicalJson } from './derive/json.js';
import { EDGE_RULES } from './edges/index.js';
import type { DeriveContext, EdgeRule, RuleReads } from './edges/types.js';
import { FINDING_RULES } from './findings/index.js';
import { FormedRow } from './findings/common.js';
import type { FindingDraft, FindingRule } from './findings/types.js';
import { scannerFindings } from './scanner-findings.js';

/** Bump when the stored shape of derived outputs changes, or a rule's output changes without its code changing. */
const REVISION = 1;
const STATE_KEY = 'derive_state';
/** Memo keys remembered from a full run (per-instance keys past this are computed as the asking rule sees them). */
const MAX_MEMO_KEYS = 2_000;

interface DeriveState {
  revision: number;
  digest: string;
  now: string;
  memoRanks: [string, number][];
}

export interface DeriveOptions {
  /** Run every rule over the whole case, whatever changed. */
  full?: boolean;
}

export interface DeriveResult {
  mode: 'full' | 'incremental';
  /** Rules that ran, with the scopes they ran over ('*': the whole case). */
  ran: { rule: string; scopes: string[] | '*' }[];
}

/**
 * The node kinds the rules read (an import keeps the props objects of these nodes for derivation to read back,
 * store/props-memo.ts); undefined when a rule declares nothing (it may read any).
 */
export function nodeKindsRead(rules: readonly EdgeRule[] = EDGE_RULES, findingRules: readonly FindingRule[] = FINDING_RULES): ReadonlySet<string> | undefined {
  const kinds = new Set<string>();
  for (const r of [...rules, ...findingRules]) {
    if (!r.reads) return undefined;
    for (const k of r.reads.nodes) kinds.add(k);
    for (const k of Object.keys(r.reads.nodesWithin ?? {})) kinds.add(k);
  }
  return kinds;
}

/** Recomputes what is derived from the imported facts, in the caller's transaction. */
export function recomputeDerived(store: CaseStore, now: Date, rules: readonly EdgeRule[] = EDGE_RULES, findingRules: readonly FindingRule[] = FINDING_RULES, opts: DeriveOptions = {}): DeriveResult {
  const ranks = new Map<string, number>([...rules.map((r, i): [string, number] => [r.id, i]), ...findingRules.map((r, i): [string, number] => [r.id, rules.length + i])]);
  const rank = (rule: string) => ranks.get(rule) ?? Number.MAX_SAFE_INTEGER;
  const digest = digestOf(rules, findingRules);
  const raw = store.getMeta(STATE_KEY);
  const state = raw ? (JSON.parse(raw) as DeriveState) : undefined;
  const usable = !opts.full && state !== undefined && state.revision === REVISION && state.digest === digest;
  const result = usable ? incremental(store, now, rules, findingRules, rank, state, changesOf(store, store.changes())) : undefined;
  let memoRanks = state?.memoRanks ?? [];
  let ran = result?.ran;
  if (!ran) {
    const done = full(store, now, rules, findingRules, rank);
    ran = done.ran;
    memoRanks = done.memoRanks;
  }
  store.setMeta(STATE_KEY, JSON.stringify({ revision: REVISION, digest, now: now.toISOString(), memoRanks: memoRanks.slice(0, MAX_MEMO_KEYS) } satisfies DeriveState));
  return { mode: result ? 'incremental' : 'full', ran };
}

/** Every rule over the whole case; what earlier rules emitted is read from memory, then everything is written. */
function full(store: CaseStore, now: Date, rules: readonly EdgeRule[], findingRules: readonly FindingRule[], rank: (rule: string) => number): { ran: DeriveResult['ran']; memoRanks: [string, number][] } {
  // The merged rows of nodes that had derived facts are rebuilt before any rule reads them: a rule must not see
  // what the last derivation made (a node an earlier run claimed as an external account, say).
  store.materialize(store.clearDerived());
  const touched = new Set<string>();
  const rc = new RunContext(store, now, { overlay: 'run', scopes: null, rank, memoRanks: new Map() });
  for (const rule of rules) {
    rc.begin(rule.id, rank(rule.id));
    rule.derive(rc.ctx);
  }
  const findings: { row: FindingRow; scope: string }[] = [];
  for (const rule of findingRules) {
    rc.begin(rule.id, rank(rule.id));
    // The store holds no derived node yet: the scope as it holds the node (read by the rules, so mostly cached).
    for (const draft of rule.run(rc.ctx)) findings.push({ row: findingRow(rule, draft), scope: rule.reads?.perBoundary ? rc.storedScopeOf(draft.nodeId) : '' });
  }
  const perBoundary = new Set(rules.filter((r) => r.reads?.perBoundary).map((r) => r.id));
  // Each row made as it is written (nothing the write does changes what scopeOfId reads): a list of them all held
  // tens of thousands of row and part objects alive through the write, for the collector to copy.
  function* rows(): Generator<DerivedRow> {
    for (const e of rc.edges.values()) {
      // A scope only for a row a per-boundary rule has a part in: the other parts are stored without one.
      const scope = perBoundary.size && hasPartOf(e.parts, perBoundary) ? rc.scopeOfId(e.edge.from) : '';
      yield { edge: e.edge, parts: e.parts.map((p) => ({ rule: p.rule, scope: perBoundary.has(p.rule) ? scope : '', props: p.props })) };
    }
  }
  store.writeDerivedAll(rows());
  store.writeDerivedClaims(rc.claims.map((c): NodeClaim => ({ rule: c.rule, scope: perBoundary.has(c.rule) ? c.scope : '', fact: c.fact })), touched);
  store.materialize(touched);
  for (const row of scannerFindings(store)) findings.push({ row, scope: '' });
  store.replaceAllFindings(findings);
  return { ran: [...rules, ...findingRules].map((r) => ({ rule: r.id, scopes: '*' })), memoRanks: [...rc.memoFirst] };
}

function hasPartOf(parts: readonly { rule: string }[], rules: ReadonlySet<string>): boolean {
  for (const p of parts) if (rules.has(p.rule)) return true;
  return false;
}

/**
 * The rules whose inputs changed, one after another, each replacing what it made; undefined when that would be
 * every edge rule over the whole case (a full run does the same work faster).
 */
function incremental(store: CaseStore, now: Date, rules: readonly EdgeRule[], findingRules: readonly FindingRule[], rank: (rule: string) => number, state: DeriveState, changes: ChangeSet): DeriveResult | undefined {
  const nowChanged = state.now !== now.toISOString();
  const mentions = new Map<string, boolean>();
  const mentioned = (words: readonly string[]) => words.some((w) => mentions.get(w) ?? (mentions.set(w, store.propsMention(w)), mentions.get(w)!));
  const first = rules.map((r) => planFor(r.reads, changes, nowChanged, mentioned));
  if (rules.length > 0 && first.every((p) => p.mode === 'full')) return undefined;
  const memoRanks = new Map(state.memoRanks);
  const contexts = new Map<string, RunContext>();
  const contextFor = (plan: Plan): RunContext => {
    const key = plan.mode === 'scoped' ? [...plan.scopes].sort().join('\n') : '*';
    let rc = contexts.get(key);
    if (!rc) contexts.set(key, (rc = new RunContext(store, now, { overlay: 'rule', scopes: plan.mode === 'scoped' ? plan.scopes : null, rank, memoRanks })));
    return rc;
  };
  // Kinds more than one rule can emit: only those can make a row two rules state.
  const emitters = new Map<EdgeKind, number>();
  for (const r of rules) for (const k of r.emits) emitters.set(k, (emitters.get(k) ?? 0) + 1);
  const shares = (kind: EdgeKind) => (emitters.get(kind) ?? 0) > 1;
  const ran: DeriveResult['ran'] = [];

  for (const rule of rules) {
    let plan = planFor(rule.reads, changes, nowChanged, mentioned);
    if (plan.mode === 'skip') continue;
    let out = runRule(rule, plan, contextFor(plan));
    // A rule declared per boundary that made something outside the boundaries it ran for: run it over everything.
    if (plan.mode === 'scoped' && !out.inScope) {
      plan = { mode: 'full' };
      out = runRule(rule, plan, contextFor(plan));
    }
    const scopes = plan.mode === 'scoped' ? [...plan.scopes] : null;
    const old = store.derivedOutputs(rule.id, scopes);
    noteEdgeChanges(store, changes, old.edges, out.edges, out.claims);
    noteNodeChanges(changes, old.nodes, out.claims);
    const touched = new Set<string>();
    store.replaceDerivedRule(rule.id, scopes, out.edges, out.claims, rank, shares, touched);
    store.materialize(touched);
    for (const rc of contexts.values()) rc.storeChanged();
    ran.push({ rule: rule.id, scopes: scopes ?? '*' });
  }

  for (const rule of findingRules) {
    let plan = planFor(rule.reads, changes, nowChanged, mentioned);
    if (plan.mode === 'skip') continue;
    let rows = runFindings(store, rule, plan, contextFor(plan));
    if (!rows) {
      plan = { mode: 'full' };
      rows = runFindings(store, rule, plan, contextFor(plan))!;
    }
    const scopes = plan.mode === 'scoped' ? [...plan.scopes] : null;
    store.replaceRuleFindings(rule.id, scopes, rows);
    ran.push({ rule: rule.id, scopes: scopes ?? '*' });
  }
  // Scanner results are matched to the nodes of the case as it now stands (cheap: one pass over the handles some
  // result names), so they are matched again after every import.
  store.replaceScannerFindings(scannerFindings(store));
  return { mode: 'incremental', ran };
}

interface RuleOut {
  edges: { edge: DerivedRow['edge']; scope: string }[];
  claims: NodeClaim[];
  /** Whether every output belongs to the boundaries the rule ran for. */
  inScope: boolean;
}

function runRule(rule: EdgeRule, plan: Plan, rc: RunContext): RuleOut {
  rc.begin(rule.id, rc.rankOf(rule.id));
  rule.derive(rc.ctx);
  const perBoundary = Boolean(rule.reads?.perBoundary);
  const within = plan.mode === 'scoped' ? plan.scopes : null;
  let inScope = true;
  const edges = [...rc.edges.values()].map((e) => {
    const scope = perBoundary ? rc.scopeOfId(e.edge.from) : '';
    if (within && !within.has(scope)) inScope = false;
    return { edge: e.edge, scope };
  });
  const claims = rc.claims.map((c): NodeClaim => {
    const scope = perBoundary ? c.scope : '';
    if (within && !within.has(scope)) inScope = false;
    return { rule: c.rule, scope, fact: c.fact };
  });
  return { edges, claims, inScope };
}

/** A finding rule's rows with their scopes, or undefined when a per-boundary rule reported outside its boundaries. */
function runFindings(store: CaseStore, rule: FindingRule, plan: Plan, rc: RunContext): { row: FindingRow; scope: string }[] | undefined {
  rc.begin(rule.id, rc.rankOf(rule.id));
  const within = plan.mode === 'scoped' ? plan.scopes : null;
  const rows: { row: FindingRow; scope: string }[] = [];
  for (const draft of rule.run(rc.ctx)) {
    const scope = rule.reads?.perBoundary ? store.scopeOfNode(draft.nodeId) : '';
    if (within && !within.has(scope)) return undefined;
    rows.push({ row: findingRow(rule, draft), scope });
  }
  return rows;
}

/** Edges a rule made differently from last time (added, gone or changed) are changes to their kinds at both ends. */
function noteEdgeChanges(store: CaseStore, changes: ChangeSet, old: Map<string, { kind: EdgeKind; src: string; dst: string; json: string }>, now: RuleOut['edges'], claims: readonly NodeClaim[]): void {
  // An end may be a node the rule claims (written after this): its kind and scope are the claim's.
  const claimed = new Map(claims.map((c) => [c.fact.id, { kind: c.fact.kind, scope: scopeOf(c.fact.id, c.fact.kind, c.fact.boundary ?? null) }]));
  const info = (id: string) => store.nodeInfo(id) ?? claimed.get(id);
  const seen = new Set<string>();
  for (const { edge } of now) {
    const key = `${edge.kind}\n${edge.from}\n${edge.to}\n${typeof edge.props?.technique === 'string' ? edge.props.technique : ''}`;
    seen.add(key);
    const before = old.get(key);
    if (before && canonicalJson(JSON.parse(before.json)) === canonicalJson(edge.props ?? {})) continue;
    changes.addEdge(edge.kind, info(edge.from), info(edge.to));
  }
  for (const [key, e] of old) if (!seen.has(key)) changes.addEdge(e.kind, info(e.src), info(e.dst));
}

/** Node claims a rule made differently from last time are changes to their kinds, in the nodes' own scopes. */
function noteNodeChanges(changes: ChangeSet, old: Map<string, string>, claims: readonly NodeClaim[]): void {
  const note = (n: NodeClaim['fact']) => changes.addNode(n.kind, scopeOf(n.id, n.kind, n.boundary ?? null));
  const now = new Map(claims.map((c) => [c.fact.id, c.fact]));
  for (const [id, fact] of now) {
    const before = old.get(id);
    if (before !== undefined && canonicalJson(JSON.parse(before)) === canonicalJson(fact)) continue;
    note(fact);
    if (before !== undefined) note(JSON.parse(before) as NodeClaim['fact']);
  }
  for (const [id, json] of old) if (!now.has(id)) note(JSON.parse(json) as NodeClaim['fact']);
}

/** One-shot hashing where Node has it (20.12): a hash object per finding costs more than the hash. */
const sha256Hex: (text: string) => string = typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** A finding's id: the same finding (rule, node, title) keeps it from one import to the next. */
export function findingId(rule: string, nodeId: string, title: string): string {
  return `${rule}:${sha256Hex(`${nodeId}\n${title}`).slice(0, 16)}`;
}

function findingRow(rule: FindingRule, draft: FindingDraft): FindingRow {
  const id = findingId(rule.id, draft.nodeId, draft.title);
  const severity = draft.severity ?? rule.severity;
  // A finding made from a form is stored as the form: its summary and evidence are built only if asked for.
  if (draft.form) {
    return new FormedRow(id, rule.id, severity, draft, rule.remediation, draft.form);
  }
  return { id, rule: rule.id, severity, nodeId: draft.nodeId, title: draft.title, summary: draft.summary, evidence: draft.evidence, remediation: rule.remediation };
}

/** What the stored outputs were made by: the rules, their order, their code and what they declare reading. */
function digestOf(rules: readonly EdgeRule[], findingRules: readonly FindingRule[]): string {
  const h = crypto.createHash('sha256');
  h.update(String(REVISION));
  const reads = (r: RuleReads | undefined) => JSON.stringify(r ?? null);
  for (const r of rules) h.update(`\0edge ${r.id} ${reads(r.reads)}\n${r.derive.toString()}`);
  for (const r of findingRules) h.update(`\0finding ${r.id} ${reads(r.reads)}\n${r.run.toString()}`);
  return h.digest('hex');
}

/**
 * A context over the case as it is, for reading outside a derivation run (tests of single rules): stored facts,
 * stored derived edges all visible, and what is emitted kept in memory.
 */
export function deriveContext(store: CaseStore, now: Date): { ctx: DeriveContext; fragment: GraphFragment } {
  const rc = new RunContext(store, now, { overlay: 'run', scopes: null, rank: () => -1, memoRanks: new Map() });
  rc.begin('', Number.MAX_SAFE_INTEGER);
  const fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
  return {
    ctx: {
      ...rc.ctx,
      emitNode: (n) => {
        rc.ctx.emitNode(n);
        fragment.nodes = rc.fragment().nodes;
      },
      emitEdge: (e) => {
        rc.ctx.emitEdge(e);
        fragment.edges = rc.fragment().edges;
      },
    },
    fragment,
  };
}
