import { describe, expect, it } from 'vitest';
import { controlPointsOf, curvePoints, routeEdges, type RouteNode } from '../../renderer/graph/edge-routes';

// A column as a banded blast radius draws it: nodes one under the other, labels to the right of each.
const column: RouteNode[] = [0, 100, 200, 300].map((y, i) => ({ id: `n${i}`, rect: { x1: -15, y1: y - 15, x2: 150, y2: y + 15 } }));
const at = (i: number) => ({ x: 0, y: i * 100 });
const over = (from: { x: number; y: number }, to: { x: number; y: number }, d: number, nodes: RouteNode[]) => nodes.filter((n) => curvePoints(from, to, d ? controlPointsOf(from, to, d) : []).some((p) => p.x > n.rect.x1 && p.x < n.rect.x2 && p.y > n.rect.y1 && p.y < n.rect.y2)).map((n) => n.id);

describe('routeEdges', () => {
  it('bends an edge down a column off the nodes between its ends, to the left (away from the labels)', () => {
    const bends = routeEdges([{ id: 'e', source: 'n0', target: 'n3', from: at(0), to: at(3) }], column);
    const d = bends.get('e')!;
    expect(d).toBeGreaterThan(0);
    // The curve's control points lie left of the column (a positive distance is the left normal going down).
    for (const c of controlPointsOf(at(0), at(3), d)) expect(c.x).toBeLessThan(-15);
    expect(over(at(0), at(3), d, [column[1]!, column[2]!])).toEqual([]);
    // Straight, it ran over both.
    expect(over(at(0), at(3), 0, [column[1]!, column[2]!])).toEqual(['n1', 'n2']);
  });

  it('leaves alone an edge that runs over nothing, and an edge between neighbours', () => {
    const bends = routeEdges(
      [
        { id: 'next', source: 'n0', target: 'n1', from: at(0), to: at(1) },
        { id: 'across', source: 'n0', target: 'x', from: at(0), to: { x: 400, y: 0 } },
      ],
      [...column, { id: 'x', rect: { x1: 385, y1: -15, x2: 500, y2: 15 } }],
    );
    expect(bends.size).toBe(0);
  });
});
