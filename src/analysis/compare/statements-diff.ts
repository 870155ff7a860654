// Raw statements (TRUSTS, HAS_ROLE, OWNS, FEDERATION_REFUSED): edges the graph index leaves out. Far fewer than the
// traversable edges, so string keys do. Parallel copies are one statement, conditional only when every copy is.
import type { StatementEdge } from './state.js';

export interface StatementsDiff {
  added: StatementEdge[];
  removed: StatementEdge[];
  /** The condition came or went. */
  changed: { before: StatementEdge; after: StatementEdge }[];
}

function fold(list: StatementEdge[]): Map<string, StatementEdge> {
  const out = new Map<string, StatementEdge>();
  for (const e of list) {
    const key = `${e.src}\u0000${e.dst}\u0000${e.kind}`;
    const prev = out.get(key);
    if (!prev || (prev.conditional && !e.conditional)) out.set(key, e);
  }
  return out;
}

export function diffStatements(before: StatementEdge[], after: StatementEdge[]): StatementsDiff {
  const a = fold(before);
  const b = fold(after);
  const out: StatementsDiff = { added: [], removed: [], changed: [] };
  for (const [key, e] of a) {
    const f = b.get(key);
    if (!f) out.removed.push(e);
    else if (f.conditional !== e.conditional) out.changed.push({ before: e, after: f });
  }
  for (const [key, f] of b) if (!a.has(key)) out.added.push(f);
  return out;
}
