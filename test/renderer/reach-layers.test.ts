import { describe, expect, it } from 'vitest';
import { layeredLayout, reachTree, type LayerNode, type ReachEdge } from '../../renderer/graph/reach-layers';

const edge = (id: string, source: string, target: string, traversable = true): ReachEdge => ({ id, source, target, traversable });

describe('reachTree (hops from the origin and the edge each node is reached by)', () => {
  it('gives breadth-first hops along the edges and one shortest in-edge per reached node', () => {
    // o → a → c, o → b → c, c → d, and a longer way to d (b → x → y → d).
    const order = ['o', 'a', 'b', 'c', 'd', 'x', 'y'];
    const edges = [edge('e1', 'o', 'a'), edge('e2', 'o', 'b'), edge('e3', 'a', 'c'), edge('e4', 'b', 'c'), edge('e5', 'c', 'd'), edge('e6', 'b', 'x'), edge('e7', 'x', 'y'), edge('e8', 'y', 'd')];
    const t = reachTree('o', order, edges);
    expect(Object.fromEntries(t.hop)).toEqual({ o: 0, a: 1, b: 1, c: 2, d: 3, x: 2, y: 3 });
    expect(t.via.has('o')).toBe(false);
    // c is reached from a (the first of its band in drawing order), d over the shortest route.
    expect(t.via.get('c')).toBe('e3');
    expect(t.via.get('d')).toBe('e5');
    expect(t.via.size).toBe(6);
  });

  it('follows the drawing order, not the order edges are given, to pick among parents of one band', () => {
    const edges = [edge('e1', 'o', 'a'), edge('e2', 'o', 'b'), edge('e4', 'b', 'c'), edge('e3', 'a', 'c')];
    expect(reachTree('o', ['o', 'b', 'a', 'c'], edges).via.get('c')).toBe('e4');
    expect(reachTree('o', ['o', 'a', 'b', 'c'], edges).via.get('c')).toBe('e3');
  });

  it('walks edges in their direction only; what nothing reaches has no hop', () => {
    const t = reachTree('o', ['o', 'a', 'b'], [edge('e1', 'a', 'o'), edge('e2', 'o', 'b')]);
    expect(t.hop.get('b')).toBe(1);
    expect(t.hop.has('a')).toBe(false);
  });

  it('takes statement-only edges only where no traversable route reaches', () => {
    // a is one statement-only hop away but three traversable ones: the traversable route wins.
    const edges = [edge('s1', 'o', 'a', false), edge('e1', 'o', 'b'), edge('e2', 'b', 'c'), edge('e3', 'c', 'a'), edge('s2', 'c', 'z', false)];
    const t = reachTree('o', ['o', 'a', 'b', 'c', 'z'], edges);
    expect(t.hop.get('a')).toBe(3);
    expect(t.via.get('a')).toBe('e3');
    // z only over a statement-only edge: after its source's hop.
    expect(t.hop.get('z')).toBe(3);
    expect(t.via.get('z')).toBe('s2');
  });

  it('ignores self-loops, edges to nodes not drawn, and an origin not drawn', () => {
    const t = reachTree('o', ['o', 'a'], [edge('e0', 'o', 'o'), edge('e1', 'o', 'ghost'), edge('e2', 'o', 'a')]);
    expect(Object.fromEntries(t.hop)).toEqual({ o: 0, a: 1 });
    expect(reachTree('missing', ['o'], []).hop.size).toBe(0);
  });
});

const node = (id: string, band: number, lane = 'L', parent?: string, w = 100): LayerNode => ({ id, w, h: 20, ax: 10, lane, band, ...(parent ? { parent } : {}) });

describe('layeredLayout (bands by hop, a column of bands per boundary)', () => {
  it('puts every band entirely below the band before it', () => {
    const nodes = [node('o', 0), ...Array.from({ length: 12 }, (_, i) => node(`a${i}`, 1, 'L', 'o')), ...Array.from({ length: 30 }, (_, i) => node(`b${i}`, 2, 'L', `a${i % 12}`))];
    const at = layeredLayout(nodes, 1.5, { bandGap: 50, rowGap: 4 });
    const ys = (band: number) => nodes.filter((n) => n.band === band).map((n) => at.get(n.id)!.y);
    expect(Math.max(...ys(0)) + 50).toBeLessThanOrEqual(Math.min(...ys(1)));
    expect(Math.max(...ys(1)) + 50).toBeLessThanOrEqual(Math.min(...ys(2)));
  });

  it('never puts two footprints on top of each other, across lanes and bands', () => {
    const nodes: LayerNode[] = [node('o', 0, 'A')];
    for (let i = 0; i < 40; i++) nodes.push(node(`a${i}`, 1 + (i % 3), i % 2 ? 'A' : 'B', 'o', 60 + (i % 5) * 30));
    nodes.push(node('loose', 4, ''));
    const at = layeredLayout(nodes, 1.6);
    const rects = nodes.map((n) => ({ id: n.id, x1: at.get(n.id)!.x - n.ax, x2: at.get(n.id)!.x - n.ax + n.w, y1: at.get(n.id)!.y - n.h / 2, y2: at.get(n.id)!.y + n.h / 2 }));
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
      const a = rects[i]!;
      const b = rects[j]!;
      expect(a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2, `${a.id} / ${b.id}`).toBe(false);
    }
    expect(at.size).toBe(nodes.length);
  });

  it('keeps each lane in its own column, lanes in the order the bands first meet them', () => {
    const nodes = [node('b1', 1, 'B', 'o'), node('o', 0, 'A'), node('a1', 1, 'A', 'o'), node('c2', 2, 'C', 'b1')];
    const at = layeredLayout(nodes, 1);
    const span = (lane: string) => nodes.filter((n) => n.lane === lane).map((n) => at.get(n.id)!.x);
    expect(Math.max(...span('A'))).toBeLessThan(Math.min(...span('B')));
    expect(Math.max(...span('B'))).toBeLessThan(Math.min(...span('C')));
  });

  it('wraps a wide band into rows so the drawing is about as wide as the stage asks', () => {
    const nodes = [node('o', 0), ...Array.from({ length: 100 }, (_, i) => node(`n${i}`, 1, 'L', 'o'))];
    const extent = (aspect: number) => {
      const at = [...layeredLayout(nodes, aspect, { bandGap: 40 }).values()];
      const w = Math.max(...at.map((p) => p.x)) - Math.min(...at.map((p) => p.x)) + 100;
      const h = Math.max(...at.map((p) => p.y)) - Math.min(...at.map((p) => p.y)) + 20;
      return w / h;
    };
    expect(extent(2)).toBeGreaterThan(1.3);
    expect(extent(2)).toBeLessThan(3);
    expect(extent(0.6)).toBeLessThan(1);
  });

  it('groups the nodes reached from one parent together, in the order their parents are placed', () => {
    // Given in kind order (x, y interleaved), reached from p1 and p2: p2's children first because p2 comes first.
    const nodes = [node('o', 0), node('p2', 1, 'L', 'o'), node('p1', 1, 'L', 'o'), node('x1', 2, 'L', 'p1'), node('y1', 2, 'L', 'p2'), node('x2', 2, 'L', 'p1'), node('y2', 2, 'L', 'p2')];
    const at = layeredLayout(nodes, 100);
    const xs = ['y1', 'y2', 'x1', 'x2'].map((id) => at.get(id)!.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it('is deterministic and centres a band narrower than its column', () => {
    const nodes = [node('o', 0), ...Array.from({ length: 9 }, (_, i) => node(`n${i}`, 1, 'L', 'o'))];
    const a = layeredLayout(nodes, 3);
    expect(layeredLayout(nodes, 3)).toEqual(a);
    const row = Array.from({ length: 9 }, (_, i) => a.get(`n${i}`)!).filter((p) => p.y === a.get('n0')!.y).map((p) => p.x);
    expect(row.length).toBeGreaterThan(1);
    const mid = (Math.min(...row) + Math.max(...row)) / 2;
    expect(Math.abs(a.get('o')!.x - mid)).toBeLessThan(1);
  });

  it('keeps within the width it is given when it can, else draws its narrowest', () => {
    const nodes = [node('o', 0), ...Array.from({ length: 40 }, (_, i) => node(`a${i}`, 1, 'L', 'o')), ...Array.from({ length: 20 }, (_, i) => node(`k${i}`, 1, 'K', 'o'))];
    const width = (at: Map<string, { x: number }>) => Math.max(...[...at.values()].map((p) => p.x)) - Math.min(...[...at.values()].map((p) => p.x)) + 100;
    // Wide for a wide stage, as the aspect asks.
    expect(width(layeredLayout(nodes, 3))).toBeGreaterThan(700);
    const narrow = layeredLayout(nodes, 3, { maxWidth: 500 });
    expect(width(narrow)).toBeLessThanOrEqual(500);
    // One column per lane is the narrowest: asked for less, that is what it draws.
    const narrowest = layeredLayout(nodes, 3, { maxWidth: 50 });
    expect(new Set([...narrowest.values()].map((p) => p.x)).size).toBe(2);
  });
});
