import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blastRadius, conditionalOf, depthOf, routeTo, viaAdminOf } from '../../src/analysis/blast-radius.js';
import { scenario, type E, type N } from './scenario.js';

// The blast radius against a plain reference on random graphs: every node at its least depth (within max depth),
// conditional exactly when every least-depth route needs a conditional edge, each route a real chain of edges of
// that length, and the identities, credentials and resources of a boundary whose admin node is reached listed one
// step past it (the root user and its credentials excepted).

const ACCOUNTS = ['aws:account:111122223333', 'aws:account:444455556666'];
const node = (i: number): N => {
  const boundary = ACCOUNTS[i % 2]!;
  if (i === 3) return { id: `admin:${ACCOUNTS[1]}`, kind: 'admin', boundary: ACCOUNTS[1] };
  if (i === 5) return { id: 'arn:aws:iam::444455556666:root', kind: 'aws_root', boundary: ACCOUNTS[1] };
  if (i % 4 === 2) return { id: `arn:aws:s3:::bucket${i}`, kind: 'aws_bucket', boundary };
  return { id: `arn:aws:iam::${boundary.slice(-12)}:role/r${i}`, kind: 'aws_role', boundary };
};
const SIZE = 8;
const graph = fc.record({
  edges: fc.array(fc.record({ from: fc.nat(SIZE - 1), to: fc.nat(SIZE - 1), conditional: fc.boolean() }), { minLength: 4, maxLength: 24 }),
  origin: fc.nat(SIZE - 1),
  maxDepth: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
});

describe('blast radius (property)', () => {
  it('matches a reference walk on random graphs', () => {
    fc.assert(
      fc.property(graph, ({ edges, origin, maxDepth }) => {
        const nodes = Array.from({ length: SIZE }, (_, i) => node(i));
        const es: E[] = edges.filter((e) => e.from !== e.to).map((e) => [nodes[e.from]!.id, nodes[e.to]!.id, 'CAN_ASSUME', e.conditional ? { conditional: 'if' } : {}]);
        const s = scenario([...nodes, { id: ACCOUNTS[0]!, kind: 'aws_account' }, { id: ACCOUNTS[1]!, kind: 'aws_account' }], es);
        try {
          const o = s.v(nodes[origin]!.id);
          const r = blastRadius(s.index, o, maxDepth === undefined ? {} : { maxDepth });
          const limit = maxDepth ?? Infinity;
          // Reference: least depths, and whether some least-depth route is unconditional.
          const dist = new Map<number, number>([[o, 0]]);
          const firm = new Set<number>([o]);
          let frontier = limit >= 1 ? [o] : [];
          for (let d = 1; frontier.length && d <= limit; d++) {
            const next: number[] = [];
            for (const u of frontier) {
              for (let e = s.index.d.offsets[u]!; e < s.index.d.offsets[u + 1]!; e++) {
                const v = s.index.d.targets[e]!;
                if (!dist.has(v)) {
                  dist.set(v, d);
                  next.push(v);
                }
                if (dist.get(v) === d && firm.has(u) && (s.index.d.edgeFlags[e]! & 1) === 0) firm.add(v);
              }
            }
            frontier = next;
          }
          const admin = s.index.indexOf(`admin:${ACCOUNTS[1]}`);
          for (let v = 0; v < s.index.n; v++) {
            if (!s.index.id(v) || s.index.kindOf(v) === 'aws_account') continue;
            const walked = dist.get(v);
            let expected = walked;
            // Through the admin node: one step past it, when the admin is reached short of max depth.
            const adminDepth = dist.get(admin);
            const inside = s.index.id(v).includes('444455556666') && s.index.kindOf(v) !== 'aws_root' && v !== admin;
            if (expected === undefined && inside && adminDepth !== undefined && adminDepth < limit) expected = adminDepth + 1;
            expect(depthOf(s.index, r, v), s.index.id(v)).toBe(v === o ? 0 : (expected ?? -1));
            if (expected === undefined || v === o) continue;
            const route = routeTo(s.index, r, v);
            expect(route.length - 1).toBe(expected);
            expect(route[0]).toBe(o);
            if (walked !== undefined) {
              expect(viaAdminOf(s.index, r, v)).toBe(-1);
              expect(conditionalOf(r, v), s.index.id(v)).toBe(!firm.has(v));
              // Each step of the route is an edge of the graph.
              for (let i = 0; i + 1 < route.length; i++) expect(s.index.d.targets.subarray(s.index.d.offsets[route[i]!]!, s.index.d.offsets[route[i]! + 1]!)).toContain(route[i + 1]!);
            } else {
              expect(viaAdminOf(s.index, r, v)).toBe(admin);
            }
          }
        } finally {
          s.store.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
