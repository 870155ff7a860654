// Synthetic estates for benchmarks. Deterministic (seeded) so runs compare.

/** A small, fast, seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticGraph {
  nodes: { id: string; kinds: string[]; properties: { name: string; objectid: string } }[];
  edges: { kind: string; start: { value: string }; end: { value: string } }[];
}

const NODE_KINDS = ['Bench_User', 'Bench_ServiceAccount', 'Bench_Group', 'Bench_Secret', 'Bench_Domain'];
const EDGE_KINDS = ['Bench_MemberOf', 'Bench_CanAssume', 'Bench_AdminTo', 'Bench_ReadSecret', 'Bench_ResetPassword'];

/**
 * An OpenGraph document with `nodes` nodes and `edges` edges: a few hubs (groups, domains) and a long
 * tail, roughly the shape of an identity estate, with no duplicate edges.
 */
export function syntheticOpenGraph(nodeCount: number, edgeCount: number, seed = 42): SyntheticGraph {
  const random = rng(seed);
  const nodes: SyntheticGraph['nodes'] = [];
  for (let i = 0; i < nodeCount; i++) {
    const kind = NODE_KINDS[i % 50 === 0 ? 2 : i % 997 === 0 ? 4 : i % 3 === 0 ? 3 : i % 2]!;
    nodes.push({ id: `N${i}`, kinds: [kind], properties: { name: `${kind.slice(6).toLowerCase()}-${i}`, objectid: `S-1-5-21-${seed}-${i}` } });
  }
  const edges: SyntheticGraph['edges'] = [];
  const seen = new Set<number>();
  while (edges.length < edgeCount) {
    const from = Math.floor(random() * nodeCount);
    // Half the edges point at hubs: skewed degree like real estates.
    const to = random() < 0.5 ? Math.floor(random() * (nodeCount / 50)) * 50 : Math.floor(random() * nodeCount);
    if (from === to) continue;
    const key = from * nodeCount + to;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push({ kind: EDGE_KINDS[Math.floor(random() * EDGE_KINDS.length)]!, start: { value: `N${from}` }, end: { value: `N${to}` } });
  }
  return { nodes, edges };
}
