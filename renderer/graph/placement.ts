// Placing what is new without moving what is drawn (an expand, a filter undone, a node added to a path), and
// keeping boxes apart. Pure functions over rectangles in model coordinates; deterministic.
import type { Footprint, Position } from './layouts';

export interface Rect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export function overlaps(a: Rect, b: Rect, margin = 0): boolean {
  return a.x1 < b.x2 + margin && b.x1 < a.x2 + margin && a.y1 < b.y2 + margin && b.y1 < a.y2 + margin;
}

export function union(a: Rect, b: Rect): Rect {
  return { x1: Math.min(a.x1, b.x1), y1: Math.min(a.y1, b.y1), x2: Math.max(a.x2, b.x2), y2: Math.max(a.y2, b.y2) };
}

/** A uniform-grid index of rectangles: which ones a query rectangle may touch, without scanning them all. */
export class RectIndex {
  private readonly cells = new Map<string, number[]>();
  readonly rects: { id: string; rect: Rect; box?: string }[] = [];
  constructor(private readonly cell = 120) {}

  add(id: string, rect: Rect, box?: string): void {
    const i = this.rects.length;
    this.rects.push({ id, rect, ...(box ? { box } : {}) });
    this.each(rect, (k) => {
      const list = this.cells.get(k);
      if (list) list.push(i);
      else this.cells.set(k, [i]);
    });
  }

  /** Entries whose rectangle overlaps `rect` (grown by `margin`). */
  query(rect: Rect, margin = 0): { id: string; rect: Rect; box?: string }[] {
    const seen = new Set<number>();
    const out: { id: string; rect: Rect; box?: string }[] = [];
    const grown = { x1: rect.x1 - margin, y1: rect.y1 - margin, x2: rect.x2 + margin, y2: rect.y2 + margin };
    this.each(grown, (k) => {
      for (const i of this.cells.get(k) ?? []) {
        if (seen.has(i)) continue;
        seen.add(i);
        if (overlaps(this.rects[i]!.rect, grown)) out.push(this.rects[i]!);
      }
    });
    return out;
  }

  private each(r: Rect, fn: (key: string) => void): void {
    const c = this.cell;
    // A rectangle far larger than a cell is indexed in a bounded number of cells (queries then over-report).
    const x1 = Math.floor(r.x1 / c);
    const x2 = Math.min(Math.floor(r.x2 / c), x1 + 400);
    const y1 = Math.floor(r.y1 / c);
    const y2 = Math.min(Math.floor(r.y2 / c), y1 + 400);
    for (let x = x1; x <= x2; x++) for (let y = y1; y <= y2; y++) fn(`${x},${y}`);
  }
}

export interface NewNode extends Footprint {
  /** The box it goes in (a boundary), if any. */
  box?: string;
  /** Drawn nodes it is linked to: it goes near them. */
  anchors: string[];
}

export interface PlaceInput {
  /** Where drawn nodes are (centres) and what they cover (footprints with labels). */
  drawn: { id: string; rect: Rect; box?: string; at: Position }[];
  /** Drawn boxes with their padding. */
  boxes: Map<string, Rect>;
  add: NewNode[];
  /** Room kept around every footprint. */
  margin?: number;
  /** Box padding (a box grows by this around a new member). */
  boxPad?: number;
}

function footprintAt(n: Footprint, at: Position): Rect {
  return { x1: at.x - n.ax, y1: at.y - n.h / 2, x2: at.x - n.ax + n.w, y2: at.y + n.h / 2 };
}

/**
 * Positions for new nodes, each near what it is linked to, on the first free spot of a spiral around them: its
 * footprint clear of every drawn footprint, and its box — grown to hold it — clear of every other box and of
 * nodes outside it. Drawn nodes never move. New nodes are placed in the order given, each one an obstacle for the next.
 */
export function placeNew(input: PlaceInput): Map<string, Position> {
  const margin = input.margin ?? 10;
  const pad = input.boxPad ?? 24;
  const index = new RectIndex();
  const at = new Map<string, Position>();
  for (const d of input.drawn) {
    index.add(d.id, d.rect, d.box);
    at.set(d.id, d.at);
  }
  const boxes = new Map(input.boxes);
  let extent: Rect | null = null;
  for (const d of input.drawn) extent = extent ? union(extent, d.rect) : d.rect;
  for (const r of boxes.values()) extent = extent ? union(extent, r) : r;
  const out = new Map<string, Position>();
  for (const n of input.add) {
    const anchorPts = n.anchors.map((a) => at.get(a)).filter((p): p is Position => p !== undefined);
    let center: Position;
    if (anchorPts.length) center = { x: anchorPts.reduce((s, p) => s + p.x, 0) / anchorPts.length, y: anchorPts.reduce((s, p) => s + p.y, 0) / anchorPts.length };
    else if (n.box && boxes.has(n.box)) {
      const b = boxes.get(n.box)!;
      center = { x: (b.x1 + b.x2) / 2, y: (b.y1 + b.y2) / 2 };
    } else if (extent) center = { x: extent.x2 + 120 + n.ax, y: (extent.y1 + extent.y2) / 2 };
    else center = { x: 0, y: 0 };
    const p = spiral(center, (cand) => free(n, cand));
    out.set(n.id, p);
    at.set(n.id, p);
    const rect = footprintAt(n, p);
    index.add(n.id, rect, n.box);
    if (n.box) {
      const grown = { x1: rect.x1 - pad, y1: rect.y1 - pad, x2: rect.x2 + pad, y2: rect.y2 + pad };
      boxes.set(n.box, boxes.has(n.box) ? union(boxes.get(n.box)!, grown) : grown);
    }
    extent = extent ? union(extent, rect) : rect;
  }
  return out;

  function free(n: NewNode, p: Position): boolean {
    const rect = footprintAt(n, p);
    if (index.query(rect, margin).length) return false;
    const own = n.box ? boxes.get(n.box) : undefined;
    const grownBox = n.box ? union(own ?? rect, { x1: rect.x1 - pad, y1: rect.y1 - pad, x2: rect.x2 + pad, y2: rect.y2 + pad }) : rect;
    for (const [id, b] of boxes) if (id !== n.box && overlaps(grownBox, b, margin)) return false;
    // A grown box must not swallow a node that is not its member.
    if (n.box && index.query(grownBox).some((r) => r.box !== n.box)) return false;
    // A node outside any box must not land inside one.
    if (!n.box) for (const b of boxes.values()) if (overlaps(rect, b, margin)) return false;
    return true;
  }
}

/** Candidate points on growing rings around `c`, about 46 units apart along each ring; the first accepted wins. */
function spiral(c: Position, ok: (p: Position) => boolean): Position {
  if (ok(c)) return c;
  for (let ring = 1; ring <= 400; ring++) {
    const r = 70 + ring * 46;
    const steps = Math.max(8, Math.round((2 * Math.PI * r) / 46));
    for (let i = 0; i < steps; i++) {
      // Start to the right (labels read that way) and alternate above and below.
      const k = i % 2 === 0 ? i / 2 : steps - (i + 1) / 2;
      const a = (2 * Math.PI * k) / steps;
      const p = { x: c.x + r * Math.cos(a), y: c.y + r * Math.sin(a) };
      if (ok(p)) return p;
    }
  }
  return { x: c.x + 70 + 401 * 46, y: c.y };
}

export interface Unit {
  id: string;
  rect: Rect;
  /** Units that must not move (what was just laid out, or what the user is looking at). */
  fixed?: boolean;
}

/**
 * Translations that pull overlapping units apart (boxes with their members, nodes outside any box): each overlap is
 * undone along its shorter axis by moving the movable unit (both halfway when both are), repeated until nothing
 * overlaps or the passes run out. Sweep-and-prune keeps each pass near-linear.
 */
export function separate(units: Unit[], margin = 30, passes = 60): Map<string, Position> {
  const rects = units.map((u) => ({ ...u.rect }));
  const shift = units.map(() => ({ x: 0, y: 0 }));
  for (let pass = 0; pass < passes; pass++) {
    let moved = false;
    const order = units.map((_, i) => i).sort((a, b) => rects[a]!.x1 - rects[b]!.x1 || units[a]!.id.localeCompare(units[b]!.id));
    for (let oi = 0; oi < order.length; oi++) {
      const i = order[oi]!;
      for (let oj = oi + 1; oj < order.length; oj++) {
        const j = order[oj]!;
        const a = rects[i]!;
        const b = rects[j]!;
        if (b.x1 >= a.x2 + margin) break;
        if (!overlaps(a, b, margin)) continue;
        const fi = units[i]!.fixed ?? false;
        const fj = units[j]!.fixed ?? false;
        if (fi && fj) continue;
        const dx = Math.min(a.x2 + margin - b.x1, b.x2 + margin - a.x1);
        const dy = Math.min(a.y2 + margin - b.y1, b.y2 + margin - a.y1);
        const acx = (a.x1 + a.x2) / 2;
        const bcx = (b.x1 + b.x2) / 2;
        const acy = (a.y1 + a.y2) / 2;
        const bcy = (b.y1 + b.y2) / 2;
        const move = dx <= dy ? { x: (bcx >= acx ? 1 : -1) * dx, y: 0 } : { x: 0, y: (bcy >= acy ? 1 : -1) * dy };
        const shareI = fi ? 0 : fj ? 1 : 0.5;
        const shareJ = fj ? 0 : fi ? 1 : 0.5;
        translate(j, move.x * shareJ, move.y * shareJ);
        translate(i, -move.x * shareI, -move.y * shareI);
        moved = true;
      }
    }
    if (!moved) break;
  }
  const out = new Map<string, Position>();
  units.forEach((u, i) => {
    if (shift[i]!.x !== 0 || shift[i]!.y !== 0) out.set(u.id, shift[i]!);
  });
  return out;

  function translate(i: number, dx: number, dy: number): void {
    const r = rects[i]!;
    r.x1 += dx;
    r.x2 += dx;
    r.y1 += dy;
    r.y2 += dy;
    shift[i]!.x += dx;
    shift[i]!.y += dy;
  }
}
