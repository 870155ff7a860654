// Layout algorithms of the canvas, as pure functions over sizes and ids (unit-tested; no Cytoscape here):
// lanes for paths, grids for opened groups and big drawings, shelf packing of boundary boxes, the legend-aware
// fit. Everything is deterministic: the same graph gives the same picture.
import type { Position } from '../store/types';
import { hubArrangement, hubsOf, segmentMeetsRect } from './hub-boxes';

export { segmentMeetsRect };

export type { Position };

export interface Box {
  x1: number;
  y1: number;
  w: number;
  h: number;
}

/** Force layouts take seconds on the UI thread past this many elements; grids are used instead. */
export const FORCE_LAYOUT_LIMIT = 1500;

/**
 * A node's room on the canvas with its label beside it (grids and lanes write labels to the right of the node):
 * `w` × `h`, the node's centre `ax` from the left edge.
 */
export interface Footprint {
  id: string;
  w: number;
  h: number;
  ax: number;
}

/**
 * Each node's rank under longest-path layering: cycles are first broken by dropping the edges a depth-first
 * walk from the sources (then from anything left) finds going back up its own stack, so every kept edge points
 * to a higher rank.
 */
export function flowRanks(nodeIds: string[], edges: { source: string; target: string }[]): Map<string, number> {
  const out = new Map<string, string[]>();
  const indegree = new Map<string, number>(nodeIds.map((id) => [id, 0]));
  for (const e of edges) {
    if (!indegree.has(e.source) || !indegree.has(e.target) || e.source === e.target) continue;
    const list = out.get(e.source);
    if (list) list.push(e.target);
    else out.set(e.source, [e.target]);
    indegree.set(e.target, indegree.get(e.target)! + 1);
  }
  // Depth-first, iteratively: state 1 = on the stack, 2 = done. An edge to a node on the stack closes a cycle.
  const state = new Map<string, 1 | 2>();
  const kept = new Map<string, string[]>();
  const roots = [...nodeIds.filter((id) => indegree.get(id) === 0), ...nodeIds];
  for (const root of roots) {
    if (state.has(root)) continue;
    const stack: [string, number][] = [[root, 0]];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const next = out.get(top[0])?.[top[1]++];
      if (next === undefined) {
        state.set(top[0], 2);
        stack.pop();
        continue;
      }
      if (state.get(next) === 1) continue;
      const list = kept.get(top[0]);
      if (list) list.push(next);
      else kept.set(top[0], [next]);
      if (!state.has(next)) {
        state.set(next, 1);
        stack.push([next, 0]);
      }
    }
  }
  // Longest path over the acyclic rest (Kahn's order).
  const remaining = new Map<string, number>(nodeIds.map((id) => [id, 0]));
  for (const targets of kept.values()) for (const v of targets) remaining.set(v, remaining.get(v)! + 1);
  const rank = new Map<string, number>(nodeIds.map((id) => [id, 0]));
  const queue = nodeIds.filter((id) => remaining.get(id) === 0);
  for (let i = 0; i < queue.length; i++) {
    const u = queue[i]!;
    for (const v of kept.get(u) ?? []) {
      rank.set(v, Math.max(rank.get(v)!, rank.get(u)! + 1));
      const left = remaining.get(v)! - 1;
      remaining.set(v, left);
      if (left === 0) queue.push(v);
    }
  }
  return rank;
}

export interface LaneNode extends Footprint {
  /** The boundary the node is drawn in ('' for none): each boundary is one column of the path view. */
  lane: string;
}

export interface LaneOptions {
  /** Vertical distance between ranks: room for the node and, between rows, the step's label. */
  rowGap?: number;
  /** Horizontal gap between two nodes of one rank in one lane, and between lanes (boxes need room for padding). */
  colGap?: number;
  laneGap?: number;
}

/**
 * The path view: ranks top to bottom (a route reads down like the step list beside it), one column per boundary
 * so boundary boxes never overlap, labels beside their nodes. Within a rank of a lane, nodes are ordered by the
 * mean position of what leads to them, so routes stay straight; ties by id.
 */
export function laneLayout(nodes: LaneNode[], edges: { source: string; target: string }[], opts: LaneOptions = {}): Map<string, Position> {
  const rowGap = opts.rowGap ?? 86;
  const colGap = opts.colGap ?? 36;
  const laneGap = opts.laneGap ?? 80;
  const ids = nodes.map((n) => n.id);
  const rank = flowRanks(ids, edges);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const preds = new Map<string, string[]>();
  for (const e of edges) {
    if (!byId.has(e.source) || !byId.has(e.target) || e.source === e.target) continue;
    const list = preds.get(e.target) ?? [];
    list.push(e.source);
    preds.set(e.target, list);
  }
  // Lanes in the order a route meets them.
  const laneOrder = [...new Set([...nodes].sort((a, b) => rank.get(a.id)! - rank.get(b.id)! || a.id.localeCompare(b.id)).map((n) => n.lane))];
  const cells = new Map<string, LaneNode[]>();
  for (const n of nodes) {
    const key = `${n.lane}\n${rank.get(n.id)}`;
    const list = cells.get(key) ?? [];
    list.push(n);
    cells.set(key, list);
  }
  const maxRank = Math.max(0, ...rank.values());
  // First pass: order each cell by its predecessors' order (ranks top down); second: measure lanes; third: place.
  const order = new Map<string, number>();
  for (let r = 0; r <= maxRank; r++) {
    for (const [li, lane] of laneOrder.entries()) {
      const cell = cells.get(`${lane}\n${r}`);
      if (!cell) continue;
      const bary = (n: LaneNode) => {
        const ps = (preds.get(n.id) ?? []).map((p) => order.get(p)).filter((v): v is number => v !== undefined);
        return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : Infinity;
      };
      cell.sort((a, b) => bary(a) - bary(b) || a.id.localeCompare(b.id));
      cell.forEach((n, i) => order.set(n.id, li * 10_000 + i));
    }
  }
  const laneWidth = new Map<string, number>();
  for (const lane of laneOrder) {
    let w = 0;
    for (let r = 0; r <= maxRank; r++) {
      const cell = cells.get(`${lane}\n${r}`);
      if (cell) w = Math.max(w, cell.reduce((a, n) => a + n.w, 0) + colGap * (cell.length - 1));
    }
    laneWidth.set(lane, w);
  }
  const out = new Map<string, Position>();
  let x = 0;
  for (const lane of laneOrder) {
    for (let r = 0; r <= maxRank; r++) {
      const cell = cells.get(`${lane}\n${r}`);
      if (!cell) continue;
      let cx = x;
      for (const n of cell) {
        out.set(n.id, { x: cx + n.ax, y: r * rowGap });
        cx += n.w + colGap;
      }
    }
    x += laneWidth.get(lane)! + laneGap;
  }
  return out;
}

export interface Grid {
  /** Node centres, relative to the grid's top-left corner. */
  positions: Map<string, Position>;
  width: number;
  height: number;
}

/**
 * Footprints in a grid whose width over height is about `aspect` (the stage's), in the order given (callers sort
 * by kind, then name): columns as wide as the widest footprint, so labels beside nodes never overlap.
 */
export function gridOf(cells: Footprint[], aspect: number, gap = { x: 20, y: 12 }): Grid {
  const positions = new Map<string, Position>();
  if (!cells.length) return { positions, width: 0, height: 0 };
  const colW = Math.max(...cells.map((c) => c.w)) + gap.x;
  const rowH = Math.max(...cells.map((c) => c.h)) + gap.y;
  const n = cells.length;
  let best = 1;
  let bestScore = Infinity;
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    const score = Math.abs(Math.log((cols * colW) / (rows * rowH) / aspect));
    if (score < bestScore) {
      best = cols;
      bestScore = score;
    }
    if (cols * colW > rows * rowH * aspect * 4) break;
  }
  const cols = best;
  cells.forEach((c, i) => positions.set(c.id, { x: (i % cols) * colW + c.ax, y: Math.floor(i / cols) * rowH + rowH / 2 }));
  return { positions, width: cols * colW - gap.x, height: Math.ceil(n / cols) * rowH - gap.y };
}

/**
 * Rectangles placed in rows, left to right; of every row width that puts 1…n boxes on the first row, the one whose
 * drawing fits a stage of `aspect` (width over height) largest, nearly as large and squarer preferred. With `links`
 * (pairs of boxes an edge joins), the order of the boxes and the row width are chosen first so that no straight
 * line between linked boxes runs over a third box, then so that fewest of those lines cross each other (at most
 * half the size lost for it): the estate map's trust arrows then never cross a box they do not join, and their
 * labels do not meet where two arrows cross. When one box is linked to most others (a star: hub-boxes.ts) and the
 * rows leave a line over a third box, the boxes go around that hub instead, if that is not much smaller (HUB_MIN_SCALE).
 * Returns each top-left corner.
 */
export function packBoxes(boxes: { id: string; w: number; h: number }[], aspect: number, gap = 60, links: readonly (readonly [string, string])[] = []): Map<string, Position> {
  return arrangeBoxes(boxes, aspect, gap, links).corners;
}

/** packBoxes, saying which box the others were put around (null for rows): where reading the map starts. */
export function arrangeBoxes(boxes: { id: string; w: number; h: number }[], aspect: number, gap = 60, links: readonly (readonly [string, string])[] = []): { corners: Map<string, Position>; hub: string | null } {
  const rows = { corners: shelfPack(boxes, aspect, gap, links), hub: null };
  const hubs = links.length ? hubsOf(boxes, links) : [];
  if (!hubs.length) return rows;
  const before = linesOverBoxes(boxes, rows.corners, links);
  if (before === 0) return rows;
  const around = hubArrangement(boxes, aspect, gap, links);
  if (!around || linesOverBoxes(boxes, around, links) >= before || fitScale(boxes, around, aspect) < HUB_MIN_SCALE * fitScale(boxes, rows.corners, aspect)) return rows;
  return { corners: around, hub: hubs[0]! };
}

/**
 * The size a star's arrangement around its hub may give up against the rows: a ring of 40 boxes with room for every
 * line from its middle is about half as large as the same boxes packed tight (their lines then over dozens of
 * boxes), and a drawing too small to read whole is shown readable from its start anyway (canvas `wholeReadable`).
 */
const HUB_MIN_SCALE = 0.45;

/** How large a drawing of the boxes at these corners fits a stage of `aspect` (1 = the stage's height). */
export function fitScale(boxes: { id: string; w: number; h: number }[], at: Map<string, Position>, aspect: number): number {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const b of boxes) {
    const p = at.get(b.id)!;
    x1 = Math.min(x1, p.x);
    y1 = Math.min(y1, p.y);
    x2 = Math.max(x2, p.x + b.w);
    y2 = Math.max(y2, p.y + b.h);
  }
  return Math.min(aspect / Math.max(x2 - x1, 1), 1 / Math.max(y2 - y1, 1));
}

/** Lines between linked boxes' centres (each pair once) that run over a third box, counted per box run over. */
export function linesOverBoxes(boxes: { id: string; w: number; h: number }[], at: Map<string, Position>, links: readonly (readonly [string, string])[]): number {
  const rects = new Map(boxes.map((b) => [b.id, { x1: at.get(b.id)!.x, y1: at.get(b.id)!.y, x2: at.get(b.id)!.x + b.w, y2: at.get(b.id)!.y + b.h }]));
  const centre = (id: string) => {
    const r = rects.get(id)!;
    return { x: (r.x1 + r.x2) / 2, y: (r.y1 + r.y2) / 2 };
  };
  const seen = new Set<string>();
  let n = 0;
  for (const [a, b] of links) {
    const key = a < b ? `${a}\n${b}` : `${b}\n${a}`;
    if (a === b || !rects.has(a) || !rects.has(b) || seen.has(key)) continue;
    seen.add(key);
    for (const [id, r] of rects) if (id !== a && id !== b && segmentMeetsRect(centre(a), centre(b), r)) n++;
  }
  return n;
}

/** packBoxes without the hub: shelves only. */
function shelfPack(boxes: { id: string; w: number; h: number }[], aspect: number, gap: number, links: readonly (readonly [string, string])[]): Map<string, Position> {
  if (!boxes.length) return new Map();
  const sorted = [...boxes].sort((a, b) => b.h - a.h || b.w - a.w || a.id.localeCompare(b.id));
  // Crossings are counted for maps of a size one reads box by box; a bigger one is packed by size alone (counting
  // would cost every row width × every pair × every box).
  const pairs = sorted.length <= MAX_LINKED_BOXES ? linkedPairs(sorted, links) : [];
  let candidates = packings(sorted, aspect, gap, pairs);
  if (pairs.length) {
    for (const order of boxOrders(sorted, pairs, aspect, gap)) candidates = candidates.concat(packings(order, aspect, gap, pairs));
    const bestScale = Math.max(...candidates.map((t) => t.scale));
    const large = candidates.filter((t) => t.scale >= bestScale * 0.5);
    const fewest = Math.min(...large.map((t) => t.crossings));
    const clear = large.filter((t) => t.crossings === fewest);
    // Then lines that cross each other (their labels would meet where they cross).
    const fewestCrossed = Math.min(...clear.map((t) => t.linesCrossed));
    candidates = clear.filter((t) => t.linesCrossed === fewestCrossed);
  }
  // Nearly as large and squarer is better: edges between boxes of one long column run through the boxes between.
  const bestScale = Math.max(...candidates.map((t) => t.scale));
  const good = candidates.filter((t) => t.scale >= bestScale * 0.9);
  const off = (t: { cols: number }) => Math.abs(Math.log(t.cols / Math.sqrt(sorted.length)));
  // Ties keep the first found (the size order), so the same boxes give the same picture.
  const squarest = good.reduce((a, b) => (off(b) < off(a) - 1e-9 || (Math.abs(off(b) - off(a)) <= 1e-9 && b.scale > a.scale + 1e-12) ? b : a));
  return squarest.out;
}

const MAX_LINKED_BOXES = 40;

interface Packing {
  out: Map<string, Position>;
  scale: number;
  cols: number;
  /** Lines between linked boxes' centres that run over another box. */
  crossings: number;
  /** Pairs of those lines (with no box in common) that cross each other. */
  linesCrossed: number;
}

/** Distinct pairs of different boxes, by index into `boxes`; links naming other ids are left out. */
function linkedPairs(boxes: { id: string }[], links: readonly (readonly [string, string])[]): [number, number][] {
  const index = new Map(boxes.map((b, i) => [b.id, i]));
  const seen = new Set<string>();
  const out: [number, number][] = [];
  for (const [a, b] of links) {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined || i === j) continue;
    const key = i < j ? `${i} ${j}` : `${j} ${i}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(i < j ? [i, j] : [j, i]);
  }
  return out;
}

/** Every shelf packing of the boxes in this order (1…n on the first row), with its scale and crossings. */
function packings<T extends { id: string; w: number; h: number }>(order: T[], aspect: number, gap: number, pairs: [number, number][]): Packing[] {
  const shelve = (rowWidth: number) => {
    const out = new Map<string, Position>();
    let x = 0;
    let y = 0;
    let rowH = 0;
    let width = 0;
    for (const b of order) {
      if (x > 0 && x + b.w > rowWidth) {
        x = 0;
        y += rowH + gap;
        rowH = 0;
      }
      out.set(b.id, { x, y });
      x += b.w + gap;
      width = Math.max(width, x - gap);
      rowH = Math.max(rowH, b.h);
    }
    return { out, width, height: y + rowH };
  };
  const out: Packing[] = [];
  let acc = 0;
  for (const [i, b] of order.entries()) {
    acc += b.w + (acc ? gap : 0);
    const t = shelve(acc + 0.5);
    const crossed = pairs.length ? crossingsOf(order, t.out, pairs) : { boxes: 0, lines: 0 };
    out.push({ out: t.out, scale: Math.min(aspect / Math.max(t.width, 1), 1 / Math.max(t.height, 1)), cols: i + 1, crossings: crossed.boxes, linesCrossed: crossed.lines });
  }
  return out;
}

/** `pairs` index the boxes in size order; `order` is some order of the same boxes. */
function crossingsOf(order: { id: string; w: number; h: number }[], at: Map<string, Position>, pairs: [number, number][]): { boxes: number; lines: number } {
  const bySize = [...order].sort((a, b) => b.h - a.h || b.w - a.w || a.id.localeCompare(b.id));
  const rects = bySize.map((b) => {
    const p = at.get(b.id)!;
    return { x1: p.x, y1: p.y, x2: p.x + b.w, y2: p.y + b.h };
  });
  const centre = (r: { x1: number; y1: number; x2: number; y2: number }) => ({ x: (r.x1 + r.x2) / 2, y: (r.y1 + r.y2) / 2 });
  let boxes = 0;
  for (const [i, j] of pairs) {
    const a = centre(rects[i]!);
    const b = centre(rects[j]!);
    for (const [k, r] of rects.entries()) if (k !== i && k !== j && segmentMeetsRect(a, b, r)) boxes++;
  }
  let lines = 0;
  for (let p = 0; p < pairs.length; p++) {
    for (let q = p + 1; q < pairs.length; q++) {
      const [i, j] = pairs[p]!;
      const [k, l] = pairs[q]!;
      if (i === k || i === l || j === k || j === l) continue;
      if (segmentsCross(centre(rects[i]!), centre(rects[j]!), centre(rects[k]!), centre(rects[l]!))) lines++;
    }
  }
  return { boxes, lines };
}

/** Whether segments ab and cd cross at a point inside both. */
function segmentsCross(a: Position, b: Position, c: Position, d: Position): boolean {
  const side = (p: Position, q: Position, r: Position) => Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x));
  return side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0;
}

/**
 * Orders of the boxes worth trying for linked boxes: every order of up to six boxes; for up to twelve (and forty
 * links), the size order improved by swapping pairs while a swap lowers the crossings of its best packing; beyond,
 * only the size order (deterministic).
 */
function boxOrders<T extends { id: string; w: number; h: number }>(sorted: T[], pairs: [number, number][], aspect: number, gap: number): T[][] {
  if (sorted.length <= 6) return permutations(sorted);
  // Each try packs every row width and checks every pair of lines: bounded so that a big map stays quick.
  if (sorted.length > 12 || pairs.length > 40) return [];
  const cost = (order: T[]) => Math.min(...packings(order, aspect, gap, pairs).map((p) => p.crossings * 1000 + p.linesCrossed));
  let best = [...sorted];
  let bestCost = cost(best);
  for (let pass = 0; pass < 3 && bestCost > 0; pass++) {
    let improved = false;
    for (let i = 0; i < best.length && bestCost > 0; i++) {
      for (let j = i + 1; j < best.length && bestCost > 0; j++) {
        const next = [...best];
        [next[i], next[j]] = [next[j]!, next[i]!];
        const c = cost(next);
        if (c < bestCost) {
          best = next;
          bestCost = c;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return [best];
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  const out: T[][] = [];
  for (const [i, first] of items.entries()) for (const rest of permutations([...items.slice(0, i), ...items.slice(i + 1)])) out.push([first, ...rest]);
  return out;
}

export interface BoxedNode extends Footprint {
  /** The box (boundary) it is drawn in, or null. */
  box: string | null;
}

export interface BoxedLayout {
  /** Node centres. */
  positions: Map<string, Position>;
  /** Boxes without members (drawn as plain nodes): their centres. */
  emptyBoxes: Map<string, Position>;
  /** The box the others were put around (a star's hub, in the middle of the drawing), else null. */
  hub: string | null;
}

/**
 * Big drawings and the estate map: each box's members in a grid (in the order given, so kinds stay together),
 * the boxes packed in rows, nodes outside any box as one more block. Linear in the node count.
 */
export function boxedGrid(nodes: BoxedNode[], aspect: number, opts: { pad?: number; gap?: number; title?: Map<string, { w: number; h: number }>; boxes?: string[]; links?: readonly (readonly [string, string])[] } = {}): BoxedLayout {
  const pad = opts.pad ?? 24;
  const byBox = new Map<string, BoxedNode[]>();
  for (const b of opts.boxes ?? []) byBox.set(b, []);
  for (const n of nodes) {
    const key = n.box ?? '';
    const list = byBox.get(key) ?? [];
    list.push(n);
    byBox.set(key, list);
  }
  const grids = new Map<string, Grid>();
  const rects: { id: string; w: number; h: number }[] = [];
  for (const [box, list] of byBox) {
    const grid = gridOf(list, aspect);
    grids.set(box, grid);
    const title = opts.title?.get(box) ?? { w: 0, h: 0 };
    const framed = box !== '';
    rects.push({ id: box, w: Math.max(grid.width, title.w) + (framed ? 2 * pad : 0), h: grid.height + (framed ? 2 * pad + title.h : 0) });
  }
  const { corners, hub } = arrangeBoxes(rects, aspect, opts.gap, opts.links);
  const positions = new Map<string, Position>();
  const emptyBoxes = new Map<string, Position>();
  for (const r of rects) {
    const corner = corners.get(r.id)!;
    const grid = grids.get(r.id)!;
    if (grid.positions.size === 0) {
      emptyBoxes.set(r.id, { x: corner.x + r.w / 2, y: corner.y + r.h / 2 });
      continue;
    }
    const framed = r.id !== '';
    const title = opts.title?.get(r.id) ?? { w: 0, h: 0 };
    const ox = corner.x + (framed ? pad : 0) + (r.w - (framed ? 2 * pad : 0) - grid.width) / 2;
    const oy = corner.y + (framed ? pad + title.h : 0);
    for (const [id, p] of grid.positions) positions.set(id, { x: ox + p.x, y: oy + p.y });
  }
  return { positions, emptyBoxes, hub };
}

/** Mulberry32: a small seeded generator, so force layouts that draw random numbers give the same picture every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `fn` with Math.random seeded from `key` (a synchronous layout run), then puts Math.random back. */
export function withSeed<T>(key: string, fn: () => T): T {
  let seed = 2166136261;
  for (let i = 0; i < key.length; i++) seed = Math.imul(seed ^ key.charCodeAt(i), 16777619);
  const original = Math.random;
  Math.random = seededRandom(seed);
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}

/** fcose options for a compound-aware force layout of `elementCount` elements, without animation (deterministic). */
export function forceOptions(elementCount: number): Record<string, unknown> {
  const big = elementCount > 600;
  return {
    name: 'fcose',
    quality: 'default',
    randomize: true,
    animate: false,
    fit: false,
    padding: 40,
    nodeDimensionsIncludeLabels: true,
    idealEdgeLength: 110,
    nodeRepulsion: 9000,
    nestingFactor: 0.6,
    gravity: 0.3,
    packComponents: true,
    tile: true,
    tilingPaddingVertical: 30,
    tilingPaddingHorizontal: 30,
    numIter: big ? 1200 : 2500,
  };
}

/**
 * The viewport that shows `bb` (model coordinates) as large as it fits in a `width`×`height` canvas while keeping
 * clear of an overlay (the legend) of `overlay` size in its bottom-left corner: the drawing goes above the overlay
 * or to its right, whichever shows it larger. Zoom is capped at `maxZoom` (no poster-sized handful of nodes).
 */
export function fitClearOf(bb: Box, width: number, height: number, overlay: { width: number; height: number }, padding: number, maxZoom: number): { zoom: number; pan: Position } {
  const areas = [
    { x: 0, y: 0, w: width, h: height - overlay.height },
    { x: overlay.width, y: 0, w: width - overlay.width, h: height },
  ].filter((a) => a.w > 2 * padding && a.h > 2 * padding);
  if (!areas.length) areas.push({ x: 0, y: 0, w: width, h: height });
  const zoomIn = (a: { w: number; h: number }) => Math.min(maxZoom, Math.max(1, a.w - 2 * padding) / Math.max(bb.w, 1), Math.max(1, a.h - 2 * padding) / Math.max(bb.h, 1));
  const best = areas.reduce((a, b) => (zoomIn(b) > zoomIn(a) ? b : a));
  const zoom = zoomIn(best);
  return { zoom, pan: { x: best.x + best.w / 2 - zoom * (bb.x1 + bb.w / 2), y: best.y + best.h / 2 - zoom * (bb.y1 + bb.h / 2) } };
}

export interface ScreenRect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * The smallest shift of a view (in screen pixels, |dx| + |dy| least) after which none of `boxes` (drawn nodes with
 * their labels, on screen) is cut by an edge of the `width`×`height` stage or meets `obstacle` (the legend floating
 * over it), with `keep` (the origin) at least `margin` inside the stage; null when no shift within `reach` does it.
 * Each axis tries the shifts that put a box's edge against a stage edge or the obstacle's (the view's start moved
 * into the gap between two bands, or two columns), nearest first: rows first, then columns for each of them.
 */
export function clearShift(boxes: readonly ScreenRect[], width: number, height: number, obstacle: ScreenRect | null, keep: Position | null, reach: Position, margin = 10): Position | null {
  const eps = 0.5;
  const near = boxes.filter((b) => b.x2 > -reach.x && b.x1 < width + reach.x && b.y2 > -reach.y && b.y1 < height + reach.y);
  interface Span {
    a: number;
    b: number;
    /** Drawn across the stage on the other axis (else its cut on this one does not show). */
    shown: boolean;
    /** Level with the obstacle on the other axis. */
    level: boolean;
  }
  /** The shifts along one axis that cut no shown span and bring no level span onto the obstacle, nearest first. */
  const shifts = (spans: Span[], size: number, o: [number, number] | null, keepAt: number | null, limit: number, count: number): number[] => {
    const edges = o ? [0, size, o[0], o[1]] : [0, size];
    const candidates = new Set<number>([0]);
    for (const s of spans) for (const e of edges) candidates.add(e - s.a).add(e - s.b);
    const ok = (d: number) => {
      if (keepAt !== null && (keepAt + d < margin || keepAt + d > size - margin)) return false;
      for (const s of spans) {
        const a = s.a + d;
        const b = s.b + d;
        if (s.shown && b > eps && a < size - eps && (a < -eps || b > size + eps)) return false;
        if (o && s.level && a < o[1] - eps && b > o[0] + eps) return false;
      }
      return true;
    };
    const out: number[] = [];
    for (const d of [...candidates].filter((c) => Math.abs(c) <= limit).sort((p, q) => Math.abs(p) - Math.abs(q) || p - q)) {
      if (ok(d)) out.push(d);
      if (out.length >= count) break;
    }
    return out;
  };
  const across = (a1: number, a2: number, size: number) => a2 > eps && a1 < size - eps;
  const dys = shifts(
    near.map((b) => ({ a: b.y1, b: b.y2, shown: across(b.x1, b.x2, width), level: !!obstacle && b.x1 < obstacle.x2 && b.x2 > obstacle.x1 })),
    height,
    obstacle ? [obstacle.y1, obstacle.y2] : null,
    keep ? keep.y : null,
    reach.y,
    24,
  );
  let best: Position | null = null;
  for (const dy of dys) {
    if (best && Math.abs(dy) >= Math.abs(best.x) + Math.abs(best.y)) break;
    const dx = shifts(
      near.map((b) => ({ a: b.x1, b: b.x2, shown: across(b.y1 + dy, b.y2 + dy, height), level: !!obstacle && b.y1 + dy < obstacle.y2 && b.y2 + dy > obstacle.y1 })),
      width,
      obstacle ? [obstacle.x1, obstacle.x2] : null,
      keep ? keep.x : null,
      reach.x,
      1,
    )[0];
    if (dx === undefined) continue;
    // The columns' shift can bring other rows across the stage: the whole view checked again.
    const clear = near.every((b) => {
      const x1 = b.x1 + dx, x2 = b.x2 + dx, y1 = b.y1 + dy, y2 = b.y2 + dy;
      if (!across(x1, x2, width) || !across(y1, y2, height)) return true;
      if (x1 < -eps || x2 > width + eps || y1 < -eps || y2 > height + eps) return false;
      return !obstacle || !(x1 < obstacle.x2 - eps && x2 > obstacle.x1 + eps && y1 < obstacle.y2 - eps && y2 > obstacle.y1 + eps);
    });
    if (clear && (!best || Math.abs(dx) + Math.abs(dy) < Math.abs(best.x) + Math.abs(best.y))) best = { x: dx, y: dy };
  }
  return best;
}
