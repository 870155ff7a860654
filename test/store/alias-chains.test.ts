import { describe, expect, it } from 'vitest';
import type { GraphFragment } from '../../src/model/fragment.js';
import { CaseStore } from '../../src/store/case-store.js';
import { tempCase } from '../helpers.js';

// An alias takes effect at the end of its chain (followed link by link, stopping before an id already walked), when
// some source states that end. Chains are walked with an array and, past a few links, a set: both must agree.

const node = (id: string) => ({ id, kind: 'aws_user' as const, name: id });

/** The end each alias resolves to, walked with a set at every step (the definition). */
function expected(links: [string, string][], stated: Set<string>): Map<string, string> {
  const raw = new Map(links);
  const out = new Map<string, string>();
  for (const alias of raw.keys()) {
    let end = alias;
    const seen = new Set([alias]);
    for (let next = raw.get(end); next !== undefined && !seen.has(next); next = raw.get(end)) {
      end = next;
      seen.add(end);
    }
    if (end !== alias && stated.has(end)) out.set(alias, end);
  }
  return out;
}

describe('alias chains', () => {
  it('resolve short and long chains, cycles and chains running into a cycle to the ends sources state', () => {
    const links: [string, string][] = [];
    // A chain of 40 links (past the array walk) ending at a stated id.
    for (let i = 0; i < 40; i++) links.push([`long${i}`, `long${i + 1}`]);
    // A two-link chain, a cycle of three, and a long chain running into a cycle of 20.
    links.push(['a', 'b'], ['b', 'c'], ['c1', 'c2'], ['c2', 'c3'], ['c3', 'c1']);
    for (let i = 0; i < 30; i++) links.push([`t${i}`, `t${i + 1}`]);
    for (let i = 0; i < 20; i++) links.push([`t${30 + i}`, `t${30 + ((i + 1) % 20)}`]);
    const stated = new Set(['long40', 'c', 'c3', 'c2', 't45', 't44', 't49']);
    const store = CaseStore.open(tempCase(), { create: true });
    try {
      store.begin();
      const source = store.addSource({ label: 'x', fileName: 'x', format: 'test', sha256: 'x', importedAt: '2026-01-01T00:00:00Z', options: {} });
      const fragment: GraphFragment = { nodes: [...stated].map(node), edges: [], warnings: [], aliases: links.map(([from, to]) => ({ from, to })) };
      store.writeFragment(source, fragment, new Set());
      store.commit();
      const want = expected(links, stated);
      expect(want.get('long0')).toBe('long40');
      expect(want.size).toBeGreaterThan(40);
      expect(new Map([...store.aliases()].sort())).toEqual(new Map([...want].sort()));
    } finally {
      store.close();
    }
  });
});
