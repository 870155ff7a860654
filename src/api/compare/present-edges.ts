// Edge changes in the API's shapes: complete counts per family, a list ordered by what matters (admin rights, trust,
// grants first) and bounded, each with its sentence from the side that has it.
import { ADDED, CHANGED, REMOVED } from '../../analysis/compare/edge-diff.js';
import type { StatementEdge } from '../../analysis/compare/state.js';
import { ACCESS_LEVELS, type EdgeKind } from '../../model/kinds.js';
import type { ChangeCount, ChangeFamily, DiffBound, EdgeChange, EdgeView, NodeSummary } from '../contract.js';
import { defaultReason, familyOf, summaryOn, type PresentContext } from './present-context.js';

/** Listing order of edge kinds: what hands over a boundary first, activity last. */
const KIND_RANK: Partial<Record<string, number>> = { ADMIN_OF: 0, CAN_ASSUME: 1, FEDERATES_TO: 1, TRUSTS: 2, FEDERATION_REFUSED: 2, CAN_ESCALATE: 3, CAN_READ_CREDENTIAL: 4, CAN_ACCESS: 5, HAS_ROLE: 6, MEMBER_OF: 7, RUNS_AS: 7, OWNS: 8, AUTHENTICATES_AS: 9, EXPOSES: 9, OBSERVED_USE: 11 };
const kindRank = (k: string) => KIND_RANK[k] ?? 10;

export function presentEdges(ctx: PresentContext, maxListed: number, bounds: DiffBound[]): { edges: EdgeChange[]; counts: Partial<Record<ChangeFamily, ChangeCount>> } {
  const { raw, before, after, node, nodeBefore, marksA, marksB } = ctx;
  const { al } = raw;
  const edgeCounts: Partial<Record<ChangeFamily, ChangeCount>> = {};
  const countEdge = (kind: string, what: keyof ChangeCount) => {
    const x = (edgeCounts[familyOf(kind)] ??= { added: 0, removed: 0, changed: 0 });
    x[what]++;
  };
  const ec = raw.edges;
  const CHANGE_WORD = { [ADDED]: 'added', [REMOVED]: 'removed', [CHANGED]: 'changed' } as const;
  for (let i = 0; i < ec.length; i++) countEdge(al.kinds[ec.kind[i]!]!, CHANGE_WORD[ec.change[i] as 1 | 2 | 3]);
  const st = raw.statements;
  for (const e of st.added) countEdge(e.kind, 'added');
  for (const e of st.removed) countEdge(e.kind, 'removed');
  for (const c of st.changed) countEdge(c.after.kind, 'changed');
  const edgeTotal = ec.length + st.added.length + st.removed.length + st.changed.length;
  // Ordered cheaply by numbers first; only the entries listed become objects.
  const order = Array.from({ length: ec.length }, (_, i) => i);
  const levelOf = (i: number) => Math.max(ec.accessA[i]!, ec.accessB[i]!);
  order.sort((x, y) => kindRank(al.kinds[ec.kind[x]!]!) - kindRank(al.kinds[ec.kind[y]!]!) || levelOf(y) - levelOf(x) || ec.change[x]! - ec.change[y]! || ec.src[x]! - ec.src[y]! || ec.dst[x]! - ec.dst[y]!);
  const edgeChanges: EdgeChange[] = [];
  const statementList: { change: EdgeChange['change']; e: StatementEdge; before?: StatementEdge }[] = [
    ...st.added.map((e) => ({ change: 'added' as const, e })),
    ...st.removed.map((e) => ({ change: 'removed' as const, e })),
    ...st.changed.map((c) => ({ change: 'changed' as const, e: c.after, before: c.before })),
  ].sort((x, y) => kindRank(x.e.kind) - kindRank(y.e.kind) || x.change.localeCompare(y.change) || x.e.src.localeCompare(y.e.src) || x.e.dst.localeCompare(y.e.dst));
  // Traversable edges and raw statements interleaved by kind rank, up to the listing bound.
  let i = 0;
  let j = 0;
  while (edgeChanges.length < maxListed && (i < order.length || j < statementList.length)) {
    const takeEdge = j >= statementList.length || (i < order.length && kindRank(al.kinds[ec.kind[order[i]!]!]!) <= kindRank(statementList[j]!.e.kind));
    if (takeEdge) edgeChanges.push(edgeChange(order[i++]!));
    else edgeChanges.push(statementChange(statementList[j++]!));
  }
  if (edgeTotal > edgeChanges.length) bounds.push({ what: 'edges-listed', total: edgeTotal, included: edgeChanges.length, note: `${edgeTotal} edge changes, the first ${edgeChanges.length} listed (admin rights, trust and grants first); the counts are complete` });

  function edgeChange(k: number): EdgeChange {
    const change = CHANGE_WORD[ec.change[k] as 1 | 2 | 3];
    const kind = al.kinds[ec.kind[k]!]! as EdgeKind;
    const onB = ec.eB[k]! >= 0;
    const view = onB ? after.edgeView?.(ec.eB[k]!) : before.edgeView?.(ec.eA[k]!);
    const technique = view?.technique ?? (onB ? after.state.technique(ec.eB[k]!) : before.state.technique(ec.eA[k]!));
    const accessBefore = ec.accessA[k]! >= 0 ? ACCESS_LEVELS[ec.accessA[k]!] : undefined;
    const accessAfter = ec.accessB[k]! >= 0 ? ACCESS_LEVELS[ec.accessB[k]!] : undefined;
    const condText = (flag: number, v: EdgeView | undefined) => (flag === 1 ? (v?.conditional ?? 'a condition not decidable offline') : undefined);
    const viewBefore = change === 'changed' ? before.edgeView?.(ec.eA[k]!) : change === 'removed' ? view : undefined;
    const conditionBefore = condText(ec.condA[k]!, viewBefore);
    const conditionAfter = condText(ec.condB[k]!, onB ? view : undefined);
    const details: string[] = [];
    if (change === 'changed') {
      if (accessBefore !== accessAfter) details.push(`access ${accessBefore ?? 'none'} → ${accessAfter ?? 'none'}`);
      if (ec.condA[k] !== ec.condB[k]) details.push(ec.condB[k] === 1 ? 'now conditional' : 'no longer conditional');
    }
    return {
      change,
      family: familyOf(kind),
      kind,
      from: change === 'removed' ? nodeBefore(ec.src[k]!) : node(ec.src[k]!),
      to: change === 'removed' ? nodeBefore(ec.dst[k]!) : node(ec.dst[k]!),
      ...(technique ? { technique } : {}),
      reason: view?.reason ?? defaultReason(kind, technique),
      ...(accessBefore ? { accessBefore } : {}),
      ...(accessAfter ? { accessAfter } : {}),
      ...(conditionBefore ? { conditionBefore } : {}),
      ...(conditionAfter ? { conditionAfter } : {}),
      ...(details.length ? { details } : {}),
      ...(view ? { edge: view } : {}),
    };
  }

  function statementChange({ change, e, before: prior }: (typeof statementList)[number]): EdgeChange {
    const side = change === 'removed' ? before : after;
    const ix = side === before ? al.a : al.b;
    const marks = side === before ? marksA : marksB;
    const ends = (id: string): NodeSummary => {
      const v = ix.indexOf(id);
      return v >= 0 ? summaryOn(ix, v, marks) : { id, kind: 'og_object', category: 'resource', provider: 'generic', name: id, stub: true, marks: [] };
    };
    const view = side.statementView?.(e);
    const cond = (s: StatementEdge | undefined, v: EdgeView | undefined) => (s?.conditional ? (v?.conditional ?? 'a condition not decidable offline') : undefined);
    const conditionBefore = change === 'removed' ? cond(e, view) : change === 'changed' ? cond(prior, undefined) : undefined;
    const conditionAfter = change === 'removed' ? undefined : cond(e, view);
    return {
      change,
      family: familyOf(e.kind),
      kind: e.kind,
      from: ends(e.src),
      to: ends(e.dst),
      ...(e.technique ? { technique: e.technique } : {}),
      reason: view?.reason ?? defaultReason(e.kind, e.technique),
      ...(conditionBefore ? { conditionBefore } : {}),
      ...(conditionAfter ? { conditionAfter } : {}),
      ...(change === 'changed' ? { details: [e.conditional ? 'now conditional' : 'no longer conditional'] } : {}),
      ...(view ? { edge: view } : {}),
    };
  }

  return { edges: edgeChanges, counts: edgeCounts };
}
