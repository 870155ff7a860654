import type { Principal } from './model.js';
import { forService, serviceOf } from './evaluate.js';
import { actionPatternMatches, statementCoversAction, type Statement, type Variables } from './policy.js';

// The model's indexes, so rules walk candidates rather than all pairs: principals by the actions their identity
// statements may allow (through the distinct statements, each met once with its holders), and the resources an
// allow names literally.

/** The index of the model's principals: each distinct identity statement with its holders, and the action index read through it. */
export interface PrincipalIndex {
  /** Per distinct identity statement, the principals holding it, in the model's order, when it allows (none for a deny). */
  holders: Map<Statement, Principal[]>;
  distinct: { statement: Statement; first: Principal }[];
  /** Each principal's place in the model's order. */
  order: Map<Principal, number>;
  principalsFor(action: string): Principal[];
}

/** Indexes the principals (in the model's order) through their identity blocks (by place in `principals`). */
export function indexPrincipals(principals: readonly Principal[], principalBlocks: readonly Statement[][][]): PrincipalIndex {
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
  return { holders: infos, distinct, order, principalsFor };
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

/** The ARNs P's allow statements for the action name literally, or 'any' when a pattern is wider. */
export function literalResources(p: Principal, action: string): Set<string> | 'any' {
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
