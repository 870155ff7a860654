// The blast radius above the force layout's limit, drawn to be read from the origin outwards: nodes in bands by hop
// distance from the origin (top to bottom), one column of bands per boundary (so boundary boxes never overlap), each
// band of a column a grid in a stable order. Each reached node keeps one "reached via" edge drawn plainly (a
// shortest-path tree from the origin); the canvas draws the other edges faint. Pure functions over ids and sizes.
import type { Footprint, Position } from './layouts';

export interface ReachEdge {
  id: string;
  source: string;
  target: string;
  /** Edges that grant nothing (statement only) are followed only where no traversable edge reaches. */
  traversable: boolean;
}

export interface ReachTree {
  /** Hops from the origin along the edges' direction; nodes no edge reaches from the origin are left out. */
  hop: Map<string, number>;
  /** For each reached node but the origin: the edge it is reached by, from the band before it. */
  via: Map<string, string>;
}

/**
 * Breadth-first from `origin` over the edges in their direction, traversable edges first (a node reached only over
 * statement-only edges is reached after every traversable hop is walked). Each band is walked in `order` (the order
 * nodes are drawn in), so a node's "reached via" edge comes from the first node of the band before that reaches it,
 * over the first such edge given: the same graph gives the same tree.
 */
export function reachTree(origin: string, order: readonly string[], edges: readonly ReachEdge[]): ReachTree {
  const rank = new Map(order.map((id, i) => [id, i]));
  const byRank = (a: string, b: string) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0);
  const hop = new Map<string, number>();
  const via = new Map<string, string>();
  if (!rank.has(origin)) return { hop, via };
  const adjacency = (traversable: boolean) => {
    const out = new Map<string, ReachEdge[]>();
    for (const e of edges) {
      if (e.traversable !== traversable || e.source === e.target || !rank.has(e.source) || !rank.has(e.target)) continue;
      const list = out.get(e.source);
      if (list) list.push(e);
      else out.set(e.source, [e]);
    }
    return out;
  };
  // Band by band (a bucket per hop, each walked in drawing order): the second walk starts from every node reached.
  const walk = (out: Map<string, ReachEdge[]>[]) => {
    const buckets: string[][] = [];
    for (const [id, h] of hop) (buckets[h] ??= []).push(id);
    for (let d = 0; d < buckets.length; d++) {
      for (const u of (buckets[d] ?? []).sort(byRank)) {
        for (const e of out.flatMap((o) => o.get(u) ?? [])) {
          if (hop.has(e.target)) continue;
          hop.set(e.target, d + 1);
          via.set(e.target, e.id);
          (buckets[d + 1] ??= []).push(e.target);
        }
      }
    }
  };
  hop.set(origin, 0);
  const traversable = adjacency(true);
  walk([traversable]);
  // Then statement-only edges too, from everything reached, nearest first.
  walk([traversable, adjacency(false)]);
  return { hop, via };
}

export interface LayerNode extends Footprint {
  /** The boundary the node is drawn in ('' for none): one column of bands per boundary. */
  lane: string;
  /** Its band: hops from the origin (nodes nothing reaches go in a band after the last). */
  band: number;
  /** The node it is reached from (its "reached via" edge's source), in an earlier band. */
  parent?: string;
}

export interface LayerOptions {
  /** Horizontal gap between two nodes of a band's grid, and between columns (boxes need room for padding). */
  colGap?: number;
  laneGap?: number;
  /** Vertical gap between rows of a band, and between bands (room for the edges to fan out and a box's title). */
  rowGap?: number;
  bandGap?: number;
  /** The widest the drawing may be (the stage's width at a readable zoom): the aspect is sought within it, else the narrowest. */
  maxWidth?: number;
}

/**
 * Bands top to bottom, columns (lanes) left to right in the order the bands first meet them; each (lane, band) cell
 * a grid of its nodes, those reached from one node together (in the order their parents are placed: one node's
 * reach edges then fan into one block rather than across the band), else in the order given; centred in its column; every band as tall as its tallest cell. All cells
 * of a lane are as many columns wide, chosen (one rows-per-band limit for the whole drawing) so that the drawing's
 * width over height is nearest `aspect`. Linear in the node count times the largest cell.
 */
export function layeredLayout(nodes: readonly LayerNode[], aspect: number, opts: LayerOptions = {}): Map<string, Position> {
  const colGap = opts.colGap ?? 24;
  const laneGap = opts.laneGap ?? 80;
  const rowGap = opts.rowGap ?? 10;
  const bandGap = opts.bandGap ?? 90;
  const out = new Map<string, Position>();
  if (!nodes.length) return out;
  const firstBand = new Map<string, number>();
  const firstSeen = new Map<string, number>();
  const cells = new Map<string, LayerNode[]>();
  const laneWidest = new Map<string, number>();
  let rowH = 0;
  nodes.forEach((n, i) => {
    firstBand.set(n.lane, Math.min(firstBand.get(n.lane) ?? Infinity, n.band));
    if (!firstSeen.has(n.lane)) firstSeen.set(n.lane, i);
    const key = `${n.lane}\n${n.band}`;
    const cell = cells.get(key);
    if (cell) cell.push(n);
    else cells.set(key, [n]);
    laneWidest.set(n.lane, Math.max(laneWidest.get(n.lane) ?? 0, n.w));
    rowH = Math.max(rowH, n.h);
  });
  rowH += rowGap;
  const lanes = [...firstBand.keys()].sort((a, b) => firstBand.get(a)! - firstBand.get(b)! || firstSeen.get(a)! - firstSeen.get(b)!);
  const bands = [...new Set(nodes.map((n) => n.band))].sort((a, b) => a - b);
  const colW = new Map(lanes.map((l) => [l, laneWidest.get(l)! + colGap]));
  const largest = new Map<string, number>();
  for (const [key, cell] of cells) {
    const lane = key.slice(0, key.lastIndexOf('\n'));
    largest.set(lane, Math.max(largest.get(lane) ?? 0, cell.length));
  }
  const sizeFor = (maxRows: number) => {
    const cols = new Map(lanes.map((l) => [l, Math.max(1, Math.ceil(largest.get(l)! / maxRows))]));
    const width = lanes.reduce((a, l) => a + cols.get(l)! * colW.get(l)! - colGap, 0) + laneGap * (lanes.length - 1);
    const bandRows = bands.map((b) => Math.max(...lanes.map((l) => Math.ceil((cells.get(`${l}\n${b}`)?.length ?? 0) / cols.get(l)!))));
    const height = bandRows.reduce((a, r) => a + r * rowH, 0) + bandGap * (bands.length - 1);
    return { cols, bandRows, width, height };
  };
  const maxCell = Math.max(...largest.values());
  let best = sizeFor(1);
  let bestScore = Infinity;
  const maxWidth = opts.maxWidth ?? Infinity;
  for (let rows = 1; rows <= maxCell; rows++) {
    const t = sizeFor(rows);
    // Wider than allowed ranks after every width that fits, the narrower the better.
    const score = t.width > maxWidth ? 1e6 + t.width : Math.abs(Math.log(t.width / Math.max(t.height, 1) / aspect));
    if (score < bestScore - 1e-9) {
      best = t;
      bestScore = score;
    }
    // Past one column per lane, more rows change nothing.
    if ([...t.cols.values()].every((c) => c === 1)) break;
  }
  // Cells in placing order (bands down, lanes across), each sorted by where its nodes' parents were placed.
  const placed = new Map<string, number>();
  const given = new Map(nodes.map((n, i) => [n.id, i]));
  for (const b of bands) {
    for (const lane of lanes) {
      const cell = cells.get(`${lane}\n${b}`);
      if (!cell) continue;
      const at = (n: LayerNode) => (n.parent !== undefined ? (placed.get(n.parent) ?? Infinity) : Infinity);
      cell.sort((p, q) => at(p) - at(q) || given.get(p.id)! - given.get(q.id)!);
      for (const n of cell) placed.set(n.id, placed.size);
    }
  }
  let y = 0;
  const bandTop = new Map<number, number>();
  bands.forEach((b, i) => {
    bandTop.set(b, y);
    y += best.bandRows[i]! * rowH + bandGap;
  });
  let x = 0;
  for (const lane of lanes) {
    const cols = best.cols.get(lane)!;
    const w = colW.get(lane)!;
    const laneWidth = cols * w - colGap;
    for (const b of bands) {
      const cell = cells.get(`${lane}\n${b}`);
      if (!cell) continue;
      const used = Math.min(cols, cell.length) * w - colGap;
      const x0 = x + (laneWidth - used) / 2;
      cell.forEach((n, i) => out.set(n.id, { x: x0 + (i % cols) * w + n.ax, y: bandTop.get(b)! + Math.floor(i / cols) * rowH + rowH / 2 }));
    }
    x += laneWidth + laneGap;
  }
  return out;
}
