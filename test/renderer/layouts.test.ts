import { describe, expect, it } from 'vitest';
import { fitClearOf, flowConstraints, flowDirection, flowShape, type Box } from '../../renderer/graph/layouts';

// Where a fitted drawing lands on the canvas: its rendered box, to compare with the legend's corner.
function rendered(bb: Box, v: { zoom: number; pan: { x: number; y: number } }) {
  return { left: v.pan.x + v.zoom * bb.x1, top: v.pan.y + v.zoom * bb.y1, right: v.pan.x + v.zoom * (bb.x1 + bb.w), bottom: v.pan.y + v.zoom * (bb.y1 + bb.h) };
}

describe('fitClearOf (fit the graph where the legend does not cover it)', () => {
  const canvas = { width: 1000, height: 800 };
  const legend = { width: 300, height: 200 };

  it('without an overlay, centres the drawing as large as the padding allows', () => {
    const bb = { x1: -50, y1: 20, w: 100, h: 100 };
    const v = fitClearOf(bb, canvas.width, canvas.height, { width: 0, height: 0 }, 30, 10);
    expect(v.zoom).toBeCloseTo(7.4);
    const r = rendered(bb, v);
    expect((r.left + r.right) / 2).toBeCloseTo(500);
    expect((r.top + r.bottom) / 2).toBeCloseTo(400);
  });

  it('puts a wide drawing above the legend', () => {
    const bb = { x1: 0, y1: 0, w: 1000, h: 100 };
    const r = rendered(bb, fitClearOf(bb, canvas.width, canvas.height, legend, 30, 10));
    expect(r.bottom).toBeLessThanOrEqual(canvas.height - legend.height);
    expect(r.left).toBeGreaterThanOrEqual(0);
    expect(r.right).toBeLessThanOrEqual(canvas.width);
  });

  it('puts a tall drawing to the right of the legend', () => {
    const bb = { x1: 10, y1: -500, w: 100, h: 1000 };
    const r = rendered(bb, fitClearOf(bb, canvas.width, canvas.height, legend, 30, 10));
    expect(r.left).toBeGreaterThanOrEqual(legend.width);
    expect(r.top).toBeGreaterThanOrEqual(0);
    expect(r.bottom).toBeLessThanOrEqual(canvas.height);
  });

  it('never zooms past the cap, and survives an empty box or a canvas smaller than the legend', () => {
    expect(fitClearOf({ x1: 0, y1: 0, w: 10, h: 10 }, 1000, 800, legend, 30, 1.4).zoom).toBe(1.4);
    expect(Number.isFinite(fitClearOf({ x1: 5, y1: 5, w: 0, h: 0 }, 1000, 800, legend, 30, 1.4).zoom)).toBe(true);
    const tiny = fitClearOf({ x1: 0, y1: 0, w: 100, h: 100 }, 200, 150, legend, 30, 4);
    expect(tiny.zoom).toBeGreaterThan(0);
  });
});

/** Edges written "a>b". */
const arrows = (...pairs: string[]) =>
  pairs.map((p) => {
    const [source = '', target = ''] = p.split('>');
    return { source, target };
  });

describe('flowShape and flowDirection (which way a path view flows)', () => {
  const chain = (n: number) => ({ nodes: Array.from({ length: n }, (_, i) => `n${i}`), edges: Array.from({ length: n - 1 }, (_, i) => ({ source: `n${i}`, target: `n${i + 1}` })) });

  it('ranks a chain by its length and a fan by its breadth; a cycle does not hang it', () => {
    const c = chain(12);
    expect(flowShape(c.nodes, c.edges)).toEqual({ ranks: 12, breadth: 1 });
    const fan = { nodes: ['o', 'a', 'b', 'c', 'admin'], edges: ['a', 'b', 'c'].flatMap((x) => [{ source: 'o', target: x }, { source: x, target: 'admin' }]) };
    expect(flowShape(fan.nodes, fan.edges)).toEqual({ ranks: 3, breadth: 3 });
    const cyclic = flowShape(['a', 'b'], [{ source: 'a', target: 'b' }, { source: 'b', target: 'a' }]);
    expect(cyclic.ranks).toBeGreaterThanOrEqual(1);
  });

  it('keeps short paths left to right and turns a long chain in a tall stage top-down', () => {
    const short = chain(4);
    expect(flowDirection(flowShape(short.nodes, short.edges), 700, 800)).toBe('LR');
    const long = chain(12);
    expect(flowDirection(flowShape(long.nodes, long.edges), 700, 800)).toBe('TB');
    // A very wide, short stage keeps even a long chain left to right.
    expect(flowDirection(flowShape(long.nodes, long.edges), 3000, 300)).toBe('LR');
  });

  it('holds each edge to the next rank left to right, once, and never against a cycle', () => {
    const nodes = ['key', 'user', 'role', 'admin', 'x'];
    // Twice user>role; key>role skips a rank (no constraint, the chain already orders it).
    const edges = arrows('key>user', 'user>role', 'user>role', 'role>admin', 'key>role', 'x>x');
    expect(flowConstraints(nodes, edges).map((c) => `${c.left}<${c.right}`)).toEqual(['key<user', 'user<role', 'role<admin']);
    // A role that can also act back on the user (a cycle) must not turn the path around.
    const loop = flowConstraints(['key', 'user', 'role', 'ops', 'admin'], arrows('key>user', 'user>role', 'role>user', 'role>ops', 'ops>admin', 'admin>ops'));
    expect(loop.map((c) => `${c.left}<${c.right}`)).toEqual(['key<user', 'user<role', 'role<ops', 'ops<admin']);
  });
});
