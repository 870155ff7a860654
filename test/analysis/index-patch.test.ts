import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGraphIndex, type GraphIndex } from '../../src/analysis/index/graph-index.js';
import { emptyGraphIndex, updateGraphIndex } from '../../src/analysis/index/patch.js';
import { deserializeIndex, serializeIndex } from '../../src/analysis/index/snapshot.js';
import type { EdgeFact, NodeFact } from '../../src/model/fragment.js';
import type { EdgeKind, NodeKind } from '../../src/model/kinds.js';
import { CaseStore } from '../../src/store/case-store.js';
import { tempCase } from '../helpers.js';

// The graph index patched with what each write transaction changed must be the index a full build gives.

const IDS = Array.from({ length: 12 }, (_, i) => `n${i}`);
const BOUNDARIES = ['aws:account:1', 'aws:account:2'];
const NODE_KINDS: NodeKind[] = ['aws_user', 'aws_role', 'aws_bucket', 'admin', 'og_object', 'aws_account'];
const EDGE_KINDS: EdgeKind[] = ['CAN_ASSUME', 'CAN_ACCESS', 'OBSERVED_USE', 'MEMBER_OF', 'TRUSTS', 'HAS_ROLE'];

const node = fc.record({
  id: fc.constantFrom(...IDS, ...BOUNDARIES),
  kind: fc.constantFrom(...NODE_KINDS),
  name: fc.constantFrom('alpha', 'béta', 'γ', 'delta-4'),
  boundary: fc.option(fc.constantFrom(...BOUNDARIES), { nil: undefined }),
  stub: fc.boolean(),
});
const edge = fc.record({
  from: fc.constantFrom(...IDS, 'elsewhere'),
  to: fc.constantFrom(...IDS, 'nowhere'),
  kind: fc.constantFrom(...EDGE_KINDS),
  conditional: fc.boolean(),
  level: fc.constantFrom('Read', 'Write', undefined),
  seen: fc.option(fc.constantFrom('2026-01-01T00:00:00Z', '2026-02-03T04:05:06.5Z'), { nil: undefined }),
});
const step = fc.record({
  label: fc.constantFrom('a.json', 'b.json', 'c.json'),
  nodes: fc.array(node, { maxLength: 6 }),
  edges: fc.array(edge, { maxLength: 10 }),
  derived: fc.option(fc.array(edge, { maxLength: 5 }), { nil: undefined }),
  alias: fc.option(fc.tuple(fc.constantFrom(...IDS), fc.constantFrom(...IDS)), { freq: 8, nil: undefined }),
});

type EdgeArb = typeof edge extends fc.Arbitrary<infer T> ? T : never;
const toEdge = (e: EdgeArb): EdgeFact => ({
  from: e.from,
  to: e.to,
  kind: e.kind,
  props: {
    ...(e.conditional ? { conditional: 'aws:SourceIp' } : {}),
    ...(e.kind === 'CAN_ACCESS' && e.level ? { accessLevel: e.level } : {}),
    ...(e.kind === 'OBSERVED_USE' && e.seen ? { firstSeen: e.seen, lastSeen: e.seen } : {}),
  },
});

function same(a: GraphIndex, b: GraphIndex): void {
  expect(a.n).toBe(b.n);
  for (const f of ['nodeKind', 'boundary', 'stub', 'offsets', 'targets', 'edgeId', 'edgeKind', 'edgeFlags', 'access', 'timed', 'timedFirst', 'timedLast'] as const) expect([...a.d[f]], f).toEqual([...b.d[f]]);
  for (let v = 0; v < a.n; v++) {
    expect(a.id(v)).toBe(b.id(v));
    expect(a.name(v)).toBe(b.name(v));
  }
}

describe('graph index patch', () => {
  it('equals a full build after any sequence of imports, re-imports, derived edges and aliases', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), (steps) => {
        const store = CaseStore.open(tempCase(), { create: true });
        let prev: GraphIndex = emptyGraphIndex();
        try {
          for (const s of steps) {
            store.begin();
            const touched = new Set<string>();
            for (const id of store.sourcesToReplace(s.label, s.label, 'test')) for (const t of store.deleteSource(id)) touched.add(t);
            const sourceId = store.addSource({ label: s.label, fileName: s.label, format: 'test', sha256: s.label, importedAt: '2026-01-01T00:00:00Z', options: {} });
            const nodes: NodeFact[] = s.nodes.map((n) => ({ id: n.id, kind: n.kind, name: n.name, ...(n.boundary ? { boundary: n.boundary } : {}), ...(n.stub ? { stub: true } : {}) }));
            store.writeFragment(sourceId, { nodes, edges: s.edges.map(toEdge), warnings: [], ...(s.alias && s.alias[0] !== s.alias[1] ? { aliases: [{ from: s.alias[0], to: s.alias[1] }] } : {}) }, touched);
            store.materialize(touched);
            if (s.derived) {
              const derivedTouched = store.clearDerived();
              store.writeFragment(0, { nodes: [], edges: s.derived.map(toEdge), warnings: [] }, derivedTouched, true);
              store.materialize(derivedTouched);
            }
            const patched = updateGraphIndex(store, prev, store.changes());
            store.commit();
            const full = buildGraphIndex(store);
            same(patched, full);
            // And through a snapshot, as the next import finds it.
            prev = deserializeIndex(serializeIndex(patched))!;
            same(prev, full);
          }
        } finally {
          store.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
