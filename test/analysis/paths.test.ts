import { describe, expect, it } from 'vitest';
import { kShortestPaths } from '../../src/analysis/paths.js';
import { rng } from '../bench/synthetic.js';
import { scenario, type E, type N } from './scenario.js';

const role = (id: string): N => ({ id, kind: 'aws_role' });
const admin: N = { id: 'admin:aws:account:1', kind: 'admin' };

describe('attack paths', () => {
  it('finds the shortest path, and none to an unreachable target', () => {
    const s = scenario(['s', 'a', 'b', 't', 'x'].map(role), [
      ['s', 'a', 'CAN_ASSUME'],
      ['a', 'b', 'CAN_ASSUME'],
      ['b', 't', 'CAN_ASSUME'],
      ['s', 'b', 'CAN_ESCALATE', { technique: 'iam:UpdateAssumeRolePolicy' }],
      ['x', 's', 'CAN_ASSUME'],
    ]);
    const [p, ...rest] = kShortestPaths(s.index, s.v('s'), (v) => v === s.v('t'), { k: 1 });
    expect(rest).toEqual([]);
    expect(p!.nodes.map((v) => s.index.id(v))).toEqual(['s', 'b', 't']);
    expect(s.index.edgeKindOf(p!.edges[0]!)).toBe('CAN_ESCALATE');
    expect(kShortestPaths(s.index, s.v('s'), (v) => v === s.v('x'))).toEqual([]);
  });

  it('lists k loopless paths through cycles, ties in edge order, then longer ones', () => {
    const s = scenario(['s', 'a', 'b', 'c', 'd', 't'].map(role), [
      ['s', 'a', 'CAN_ASSUME'],
      ['s', 'b', 'CAN_ASSUME'],
      ['s', 'c', 'CAN_ASSUME'],
      ['a', 't', 'CAN_ASSUME'],
      ['b', 't', 'CAN_ASSUME'],
      ['c', 'd', 'CAN_ASSUME'],
      ['d', 'c', 'CAN_ASSUME'],
      ['d', 's', 'CAN_ASSUME'],
      ['d', 't', 'CAN_ASSUME'],
    ]);
    const paths = kShortestPaths(s.index, s.v('s'), (v) => v === s.v('t'), { k: 10 });
    expect(paths.map((p) => p.nodes.map((v) => s.index.id(v)).join('>'))).toEqual(['s>a>t', 's>b>t', 's>c>d>t']);
    for (const p of paths) expect(new Set(p.nodes).size).toBe(p.nodes.length);
  });

  it('ranks an unconditional path before a conditional one of the same length, and drops conditional-only ones on request', () => {
    const s = scenario(['s', 'a', 'b', 't', 'u'].map(role), [
      ['s', 'a', 'CAN_ASSUME', { conditional: 'aws:MultiFactorAuthPresent' }],
      ['s', 'b', 'CAN_ASSUME'],
      ['a', 't', 'CAN_ASSUME'],
      ['b', 't', 'CAN_ASSUME'],
      ['a', 'u', 'CAN_ASSUME'],
    ]);
    const paths = kShortestPaths(s.index, s.v('s'), (v) => v === s.v('t'));
    expect(paths.map((p) => [p.nodes.map((v) => s.index.id(v)).join('>'), p.conditionalSteps])).toEqual([
      ['s>b>t', 0],
      ['s>a>t', 1],
    ]);
    expect(kShortestPaths(s.index, s.v('s'), (v) => v === s.v('u')).map((p) => p.conditionalSteps)).toEqual([1]);
    expect(kShortestPaths(s.index, s.v('s'), (v) => v === s.v('u'), { includeConditional: false })).toEqual([]);
  });

  it('ends a path at the first target it reaches', () => {
    const admin2: N = { id: 'admin:aws:account:2', kind: 'admin' };
    const s = scenario([role('s'), admin, admin2], [
      ['s', admin.id, 'ADMIN_OF'],
      [admin.id, admin2.id, 'OPENGRAPH_EDGE'],
    ]);
    const isAdmin = (v: number) => s.index.kindOf(v) === 'admin';
    expect(kShortestPaths(s.index, s.v('s'), isAdmin).map((p) => p.nodes.map((v) => s.index.id(v)))).toEqual([['s', admin.id]]);
  });

  it('matches a brute-force enumeration of simple paths on random graphs', () => {
    const random = rng(7);
    for (let round = 0; round < 40; round++) {
      const size = 7;
      const ids = Array.from({ length: size }, (_, i) => `n${i}`);
      const edges: E[] = [];
      for (const a of ids) for (const b of ids) if (a !== b && random() < 0.3) edges.push([a, b, 'CAN_ASSUME', random() < 0.25 ? { conditional: 'c' } : {}]);
      // A parallel edge: a different reason for the same step is a different path.
      if (edges.length) edges.push([edges[0]![0], edges[0]![1], 'OBSERVED_USE']);
      const s = scenario(ids.map(role), edges);
      const src = s.v('n0');
      const dst = s.v(`n${size - 1}`);
      const k = 6;
      const got = kShortestPaths(s.index, src, (v) => v === dst, { k }).map((p) => p.edges.join(','));
      expect(got, `round ${round}`).toEqual(bruteForce(s.index.d.offsets, s.index.d.targets, s.index.d.edgeFlags, src, dst).slice(0, k));
    }
  });
});

/** Every simple path by DFS, ordered by (steps, conditional steps, edge indexes). */
function bruteForce(offsets: Int32Array, targets: Int32Array, flags: Uint8Array, src: number, dst: number): string[] {
  const all: { edges: number[]; cond: number }[] = [];
  const onPath = new Set([src]);
  const walk = (u: number, edges: number[], cond: number) => {
    if (u === dst) return void all.push({ edges: [...edges], cond });
    for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
      const v = targets[e]!;
      if (onPath.has(v)) continue;
      onPath.add(v);
      edges.push(e);
      walk(v, edges, cond + (flags[e]! & 1));
      edges.pop();
      onPath.delete(v);
    }
  };
  walk(src, [], 0);
  all.sort((a, b) => a.edges.length - b.edges.length || a.cond - b.cond || cmp(a.edges, b.edges));
  return all.map((p) => p.edges.join(','));
}

function cmp(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
