// Boxes around a hub: the estate map when one box is linked to most others (an organization's management account
// trusted by every member account, one CI account, "outside any boundary" reaching every domain). Shelf packing
// (layouts.ts packBoxes) cannot keep many lines from one box clear of the boxes between; here the hub is put in the
// middle and every other box at the nearest spot around it from which each of its lines is clear. Pure geometry.
import type { Position } from '../store/types';

interface Sized {
  id: string;
  w: number;
  h: number;
}

interface Rect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Past this many boxes the map is read by searching, not by following arrows; each placement is O(boxes²). */
const MAX_HUB_BOXES = 200;

/** Whether the segment a→b passes over the rectangle (Liang–Barsky clipping). */
export function segmentMeetsRect(a: Position, b: Position, r: Rect): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  for (const [p, q] of [
    [-dx, a.x - r.x1],
    [dx, r.x2 - a.x],
    [-dy, a.y - r.y1],
    [dy, r.y2 - a.y],
  ] as [number, number][]) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
  }
  return t0 < t1;
}

/**
 * The boxes linked to most others, when linked to at least half of them (and three): the map is a star around one
 * hub, or around two (an organization's management account and a CI account both trusted by every member).
 */
export function hubsOf(boxes: readonly Sized[], links: readonly (readonly [string, string])[]): string[] {
  if (boxes.length < 4 || boxes.length > MAX_HUB_BOXES) return [];
  const degree = degrees(boxes, links);
  return [...boxes]
    .sort(byDegree(degree))
    .slice(0, 2)
    .filter((b) => degree.get(b.id)! >= 3 && degree.get(b.id)! >= (boxes.length - 1) / 2)
    .map((b) => b.id);
}

/**
 * Top-left corners of the boxes around their hubs (see hubsOf), or null without one. The hub goes in the middle (two
 * side by side, `gap` apart); the others on a ring around it, an ellipse of the stage's `aspect` that each box
 * touches with its inner side, clockwise from the top by id (numbers in ids in their order), or on two such rings
 * one box apart, boxes taking turns (each outer box's line passes between two inner ones). Going round, each box
 * takes the first angle where it keeps `gap` from every placed box, its lines to the hubs keep `gap`/2 from every
 * third box, and it keeps as clear of the lines already drawn; the smallest ring all boxes go round on is kept, of
 * a few ellipse shapes the one that fits the stage largest, and the angle left over shared out between the boxes.
 * Lines between two spokes are not steered (packBoxes compares the result with its rows). Everything is sorted
 * first: the same boxes and links give the same picture whatever order they come in.
 */
export function hubArrangement(boxes: readonly Sized[], aspect: number, gap: number, links: readonly (readonly [string, string])[]): Map<string, Position> | null {
  const hubIds = hubsOf(boxes, links);
  if (!hubIds.length) return null;
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const hubs = hubIds.map((id) => byId.get(id)!);
  const spokes = boxes.filter((b) => !hubIds.includes(b.id)).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // The hubs' lines, by spoke: only these are kept clear while going round.
  const toHubs = new Map<string, string[]>(spokes.map((b) => [b.id, []]));
  for (const [a, b] of links) {
    const [hub, spoke] = hubIds.includes(a) ? [a, b] : [b, a];
    const list = toHubs.get(spoke);
    if (hubIds.includes(hub) && list && !list.includes(hub)) list.push(hub);
  }
  // The hubs, centred on the origin.
  const hubCentres = new Map<string, Position>();
  if (hubs.length === 1) hubCentres.set(hubs[0]!.id, { x: 0, y: 0 });
  else {
    const [a, b] = hubs as [Sized, Sized];
    const span = a.w + gap + b.w;
    hubCentres.set(a.id, { x: -span / 2 + a.w / 2, y: 0 });
    hubCentres.set(b.id, { x: span / 2 - b.w / 2, y: 0 });
  }
  const margin = gap / 2;
  const turn = (2 * Math.PI) / 360;

  // The second ring: the first again, a box (of mean size) further out.
  const mean = (f: (b: Sized) => number) => spokes.reduce((t, b) => t + f(b), 0) / spokes.length;
  const depth = { x: mean((b) => b.w) + gap, y: mean((b) => b.h) + gap };

  /**
   * Centres of the spokes going round a ring of half-height k and half-width ratio·k (`lanes` of them, boxes
   * taking turns), or null if they do not fit.
   */
  const goRound = (k: number, ratio: number, lanes: number): Map<string, Position> | null => {
    const centres = new Map(hubCentres);
    const placed: { id: string; r: Rect }[] = hubs.map((h) => ({ id: h.id, r: rectAt(h, hubCentres.get(h.id)!, 0) }));
    const lines: { p: Position; q: Position }[] = [];
    const at = (b: Sized, theta: number, lane: number): Position => {
      const sx = Math.sin(theta);
      const cy = -Math.cos(theta);
      return { x: (ratio * k + lane * depth.x + b.w / 2) * sx, y: (k + lane * depth.y + b.h / 2) * cy };
    };
    const clear = (b: Sized, p: Position): boolean => {
      const body = rectAt(b, p, gap);
      for (const o of placed) if (body.x1 < o.r.x2 && o.r.x1 < body.x2 && body.y1 < o.r.y2 && o.r.y1 < body.y2) return false;
      const wide = rectAt(b, p, margin);
      for (const l of lines) if (segmentMeetsRect(l.p, l.q, wide)) return false;
      for (const hub of toHubs.get(b.id)!) {
        const q = centres.get(hub)!;
        for (const o of placed) if (o.id !== hub && segmentMeetsRect(p, q, grow(o.r, margin))) return false;
      }
      return true;
    };
    const angles: number[] = [];
    let theta = 0;
    for (const [i, b] of spokes.entries()) {
      const lane = i % lanes;
      while (theta < 2 * Math.PI && !clear(b, at(b, theta, lane))) theta += turn;
      if (theta >= 2 * Math.PI) return null;
      const p = at(b, theta, lane);
      angles.push(theta);
      centres.set(b.id, p);
      placed.push({ id: b.id, r: rectAt(b, p, 0) });
      for (const hub of toHubs.get(b.id)!) lines.push({ p, q: centres.get(hub)! });
      theta += turn;
    }
    // The angle left after the last box, shared out so that the ring has no one wide gap; kept only if all is clear.
    const spare = 2 * Math.PI - theta;
    if (spare > turn && spokes.length > 1) {
      const shares = spokes.length;
      const spread = new Map(hubCentres);
      spokes.forEach((b, i) => spread.set(b.id, at(b, angles[i]! + (spare * i) / shares, i % lanes)));
      if (allClear(spread)) return spread;
    }
    return centres;
  };

  /** Every spoke apart from every box by `gap`, every hub line `gap`/2 from third boxes. */
  const allClear = (centres: Map<string, Position>): boolean => {
    const rects = boxes.map((b) => ({ id: b.id, r: rectAt(b, centres.get(b.id)!, 0) }));
    for (const [i, a] of rects.entries()) {
      for (const b of rects.slice(i + 1)) {
        const g = grow(a.r, gap);
        if (g.x1 < b.r.x2 && b.r.x1 < g.x2 && g.y1 < b.r.y2 && b.r.y1 < g.y2 && (!hubIds.includes(a.id) || !hubIds.includes(b.id))) return false;
      }
    }
    for (const [spoke, list] of toHubs) {
      for (const hub of list) {
        for (const o of rects) if (o.id !== hub && o.id !== spoke && segmentMeetsRect(centres.get(spoke)!, centres.get(hub)!, grow(o.r, margin))) return false;
      }
    }
    return true;
  };

  let best: { centres: Map<string, Position>; scale: number } | null = null;
  // The ring found for the previous (narrower) shape with as many lanes bounds the next one's: a wider ellipse needs
  // a lower one, seldom less than half as high.
  const found = new Map<number, number>();
  for (const [ratio, lanes] of [1, 2].flatMap((l) => [0.6, 0.8, 1.05, 1.35].map((r) => [r * aspect, l] as const))) {
    if (lanes > spokes.length) continue;
    // The smallest ring they all go round on: doubled until they fit, then halved towards it.
    const previous = found.get(lanes);
    let lo = previous ? previous / 2 : 0;
    let hi = previous ?? Math.max(...boxes.map((b) => Math.max(b.w, b.h)));
    let fit = goRound(hi, ratio, lanes);
    for (let i = 0; i < 12 && !fit; i++) {
      lo = hi;
      hi *= 2;
      fit = goRound(hi, ratio, lanes);
    }
    if (!fit) continue;
    // To within 1/128 of the first guess: a few pixels at the size the map is read at.
    for (let i = 0; i < (previous ? 6 : 7); i++) {
      const mid = (lo + hi) / 2;
      const f = goRound(mid, ratio, lanes);
      if (f) {
        hi = mid;
        fit = f;
      } else lo = mid;
    }
    found.set(lanes, hi);
    const scale = fitOf(boxes, fit, aspect);
    if (!best || scale > best.scale * (1 + 1e-9)) best = { centres: fit, scale };
  }
  if (!best) return null;
  const out = new Map<string, Position>();
  const x0 = Math.min(...boxes.map((b) => best.centres.get(b.id)!.x - b.w / 2));
  const y0 = Math.min(...boxes.map((b) => best.centres.get(b.id)!.y - b.h / 2));
  for (const b of boxes) out.set(b.id, { x: best.centres.get(b.id)!.x - b.w / 2 - x0, y: best.centres.get(b.id)!.y - b.h / 2 - y0 });
  return out;
}

/** How large the drawing (centres given) fits a stage of `aspect`. */
function fitOf(boxes: readonly Sized[], centres: Map<string, Position>, aspect: number): number {
  const rs = boxes.map((b) => rectAt(b, centres.get(b.id)!, 0));
  const w = Math.max(...rs.map((r) => r.x2)) - Math.min(...rs.map((r) => r.x1));
  const h = Math.max(...rs.map((r) => r.y2)) - Math.min(...rs.map((r) => r.y1));
  return Math.min(aspect / Math.max(w, 1), 1 / Math.max(h, 1));
}

function rectAt(b: Sized, p: Position, pad: number): Rect {
  return { x1: p.x - b.w / 2 - pad, y1: p.y - b.h / 2 - pad, x2: p.x + b.w / 2 + pad, y2: p.y + b.h / 2 + pad };
}

function grow(r: Rect, pad: number): Rect {
  return { x1: r.x1 - pad, y1: r.y1 - pad, x2: r.x2 + pad, y2: r.y2 + pad };
}

function degrees(boxes: readonly Sized[], links: readonly (readonly [string, string])[]): Map<string, number> {
  const ids = new Set(boxes.map((b) => b.id));
  const seen = new Set<string>();
  const degree = new Map<string, number>(boxes.map((b) => [b.id, 0]));
  for (const [a, b] of links) {
    if (a === b || !ids.has(a) || !ids.has(b)) continue;
    const key = a < b ? `${a}\n${b}` : `${b}\n${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    degree.set(a, degree.get(a)! + 1);
    degree.set(b, degree.get(b)! + 1);
  }
  return degree;
}

/** Most linked first, then larger, then by id (numbers in ids in their order). */
function byDegree(degree: Map<string, number>): (a: Sized, b: Sized) => number {
  return (a, b) => degree.get(b.id)! - degree.get(a.id)! || b.w * b.h - a.w * a.h || a.id.localeCompare(b.id, 'en', { numeric: true }) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
