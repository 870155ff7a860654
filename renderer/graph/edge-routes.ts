// Edges that would run straight over nodes between their ends (a banded blast radius's column: an edge from the
// origin to a node three bands down passed over the two between, and read as ending at either) are bent aside, as
// Cytoscape's unbundled-bezier curves, by the least offset that keeps them off every other node and its label.
import type { Position } from './layouts';
import type { Rect } from './placement';

/** Where along an edge its two control points stand (Cytoscape's control-point-weights): out early, back in late. */
export const ROUTE_WEIGHTS = [0.2, 0.8] as const;
/** Offsets tried (model units, each side): the curve's middle runs this far from the straight line. */
const STEP = 15;
const MAX_OFFSET = 360;
/** Points sampled along each of the curve's pieces. */
const SAMPLES = 16;

export interface RouteEdge {
  id: string;
  source: string;
  target: string;
  from: Position;
  to: Position;
}

export interface RouteNode {
  id: string;
  /** The node with its label, in model coordinates. */
  rect: Rect;
}

/** The control points of an edge bent by `d` (Cytoscape's convention: d along the left normal of source → target). */
export function controlPointsOf(from: Position, to: Position, d: number): Position[] {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len = Math.hypot(dx, dy) || 1;
  const n = { x: -dy / len, y: dx / len };
  return ROUTE_WEIGHTS.map((w) => ({ x: from.x + dx * w + n.x * d, y: from.y + dy * w + n.y * d }));
}

/**
 * Points along a Cytoscape bezier edge from `from` to `to` through control points `cps`: its quadratic pieces run
 * from one end to the midpoint of the next two control points (Cytoscape's own construction), then to the other end.
 */
export function curvePoints(from: Position, to: Position, cps: readonly Position[], samples = SAMPLES): Position[] {
  const pts: Position[] = [from];
  if (!cps.length) {
    for (let i = 1; i <= samples; i++) pts.push({ x: from.x + ((to.x - from.x) * i) / samples, y: from.y + ((to.y - from.y) * i) / samples });
    return pts;
  }
  let start = from;
  for (let k = 0; k < cps.length; k++) {
    const c = cps[k]!;
    const next = cps[k + 1];
    const end = next ? { x: (c.x + next.x) / 2, y: (c.y + next.y) / 2 } : to;
    for (let i = 1; i <= samples; i++) {
      const t = i / samples;
      const u = 1 - t;
      pts.push({ x: u * u * start.x + 2 * u * t * c.x + t * t * end.x, y: u * u * start.y + 2 * u * t * c.y + t * t * end.y });
    }
    start = end;
  }
  return pts;
}

const inside = (p: Position, r: Rect, pad: number) => p.x > r.x1 - pad && p.x < r.x2 + pad && p.y > r.y1 - pad && p.y < r.y2 + pad;

/**
 * The bend of each edge whose straight line passes over a node other than its ends: the smallest offset (either side)
 * whose curve keeps `pad` clear of every other node, else the one over fewest. Edges already clear are left out.
 */
export function routeEdges(edges: readonly RouteEdge[], nodes: readonly RouteNode[], pad = 4): Map<string, number> {
  const out = new Map<string, number>();
  // Nodes in vertical buckets: an edge looks only at those its reach (offset included) spans.
  const CELL = 200;
  const buckets = new Map<number, RouteNode[]>();
  for (const n of nodes) {
    for (let k = Math.floor(n.rect.y1 / CELL); k <= Math.floor(n.rect.y2 / CELL); k++) {
      const list = buckets.get(k);
      if (list) list.push(n);
      else buckets.set(k, [n]);
    }
  }
  for (const e of edges) {
    if (e.source === e.target) continue;
    const x1 = Math.min(e.from.x, e.to.x) - MAX_OFFSET;
    const x2 = Math.max(e.from.x, e.to.x) + MAX_OFFSET;
    const y1 = Math.min(e.from.y, e.to.y) - MAX_OFFSET;
    const y2 = Math.max(e.from.y, e.to.y) + MAX_OFFSET;
    const seen = new Set<RouteNode>();
    for (let k = Math.floor(y1 / CELL); k <= Math.floor(y2 / CELL); k++)
      for (const n of buckets.get(k) ?? []) if (n.id !== e.source && n.id !== e.target && n.rect.x2 > x1 && n.rect.x1 < x2) seen.add(n);
    const near = [...seen];
    const hits = (d: number) => {
      const pts = curvePoints(e.from, e.to, d ? controlPointsOf(e.from, e.to, d) : []);
      let count = 0;
      for (const n of near) if (pts.some((p) => inside(p, n.rect, pad))) count++;
      return count;
    };
    const straight = hits(0);
    if (!straight) continue;
    let best = { d: 0, hits: straight };
    for (let off = STEP; off <= MAX_OFFSET && best.hits; off += STEP) {
      // Left of the line first (going down the column: away from the labels, which are on the right).
      for (const d of [off, -off]) {
        const h = hits(d);
        if (h < best.hits) best = { d, hits: h };
        if (!h) break;
      }
    }
    if (best.d) out.set(e.id, best.d);
  }
  return out;
}
