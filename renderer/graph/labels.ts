// Labels a responder can read: never drawn below MIN_LABEL_PX on screen, never on top of one another. Below a zoom
// of 1 labels keep their on-screen size (up to MAX_LABEL_SCALE times their size on the model), and where two would
// collide the less important one is hidden (text-opacity 0) — the selection, the path, marks and admins first.
import type { Core, EdgeSingular, NodeSingular, SingularElementArgument } from 'cytoscape';
import type { Footprint } from './layouts';
import { RectIndex, type Rect } from './placement';

/** A computed style value as Cytoscape gives it (pstyle is not in its type declarations for every element type). */
export interface StyleValue {
  value?: unknown;
  pfValue?: number;
  strValue?: string;
}
export function pstyle(ele: unknown, name: string): StyleValue {
  return (ele as { pstyle(n: string): StyleValue }).pstyle(name);
}

export const MIN_LABEL_PX = 11;
export const NODE_FONT = 12;
export const EDGE_FONT = 11;
/** How far labels may grow on the model to stay readable when zoomed out. */
export const MAX_LABEL_SCALE = 2.6;
/** Edge labels appear everywhere from this zoom (elsewhere: on the path, the selection and under the pointer). */
export const EDGE_LABEL_ZOOM = 1.25;
/** Above this many drawn elements labels are neither rescaled nor decluttered (it would cost a frame per zoom). */
export const DECLUTTER_LIMIT = 3000;

export interface LabelState {
  /** Model font sizes are multiplied by this. */
  scale: number;
  /**
   * Labels are sized and decluttered here (up to DECLUTTER_LIMIT elements). Past it they keep their model size and
   * Cytoscape's min-zoomed-font-size hides them when small.
   */
  managed: boolean;
  /**
   * The scale the last full layout planned room for: it laid labels out at this size (the size they have at the
   * zoom it fitted to), so nothing overlaps there. Boxes hold their members' labels up to a little beyond it.
   */
  layoutScale: number;
}

const states = new WeakMap<Core, LabelState>();

export function labelState(cy: Core): LabelState {
  let s = states.get(cy);
  if (!s) states.set(cy, (s = { scale: 1, managed: true, layoutScale: 1 }));
  return s;
}

/** The scale that keeps a label of `font` model units at least MIN_LABEL_PX + 1 on screen, within MAX_LABEL_SCALE. */
export function scaleFor(zoom: number, font = NODE_FONT): number {
  return Math.min(MAX_LABEL_SCALE, Math.max(1, (MIN_LABEL_PX + 1) / (font * zoom)));
}

/**
 * Cytoscape draws a label only when its size at the texture level (zoom rounded up to a power of two) reaches
 * min-zoomed-font-size, which lets labels down to half that through: the minimum it is given is twice ours.
 */
export const MIN_ZOOMED_FONT = 2 * MIN_LABEL_PX;

/** On-screen size of an element's label in pixels. */
export function labelPx(ele: SingularElementArgument, zoom: number): number {
  return (pstyle(ele, 'font-size').pfValue ?? 0) * zoom;
}

/** Whether Cytoscape draws this element's label at all (a label, not hidden, big enough at this zoom). */
export function labelDrawn(ele: SingularElementArgument, zoom: number): boolean {
  const label = pstyle(ele, 'label').strValue ?? '';
  if (!label || ele.hasClass('label-hidden') || !ele.visible()) return false;
  if (Number(pstyle(ele, 'text-opacity').value) === 0) return false;
  const min = pstyle(ele, 'min-zoomed-font-size').pfValue ?? 0;
  const textureScale = Math.pow(2, Math.ceil(Math.log2(zoom * (window.devicePixelRatio || 1)))) / (window.devicePixelRatio || 1);
  return labelPx(ele, textureScale) >= min && labelPx(ele, zoom) >= MIN_LABEL_PX;
}

/** The main label's box in model coordinates (Cytoscape's own measure). */
export function labelBox(ele: SingularElementArgument): Rect {
  const bb = ele.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeMainLabels: true, includeSourceLabels: false, includeTargetLabels: false, includeOverlays: false, includeUnderlays: false } as never);
  return { x1: bb.x1, y1: bb.y1, x2: bb.x2, y2: bb.y2 };
}

const TRUST_PRIORITY = 62;

function priority(ele: SingularElementArgument): number {
  if (ele.selected()) return 100;
  if (ele.isNode()) {
    const n = ele as NodeSingular;
    if (n.hasClass('group')) return 95;
    if (n.hasClass('origin')) return 90;
    if (n.hasClass('on-path')) return 80;
    if (n.hasClass('compromised') || n.hasClass('high-value')) return 70;
    if (n.data('category') === 'admin') return 65;
    if (n.hasClass('aggregate')) return 60;
    if (n.hasClass('faded')) return 5;
    return 20 + Math.min(20, n.degree(false));
  }
  const e = ele as EdgeSingular;
  if (e.hasClass('on-path')) return 75;
  if (e.hasClass('trust')) return TRUST_PRIORITY;
  if (e.hasClass('aggregate')) return 12;
  return 10;
}

/**
 * Hides the labels that would be too small or would overlap a more important one, shows the others. Returns how
 * many are hidden. Boxes' titles are obstacles like any label. Run after a layout and at the end of a zoom or pan.
 * With `view` (the stage's extent, model units), an arrow's label or a box's title the stage's edge would cut is slid
 * along its arrow to where it is whole, else hidden (class `label-cut` too, so a view that looks for room still counts
 * it) until a pan brings it in: half a word at the edge reads as a different word. Node labels are left: a node keeps
 * its name.
 */
export function declutter(cy: Core, zoom = cy.zoom(), view?: Rect): number {
  const candidates: { ele: SingularElementArgument; rect: Rect; p: number }[] = [];
  const hide: SingularElementArgument[] = [];
  cy.elements().forEach((ele) => {
    const label = pstyle(ele, 'label').strValue ?? '';
    if (!label || !ele.visible()) return;
    if (labelPx(ele, zoom) < MIN_LABEL_PX) {
      hide.push(ele);
      return;
    }
    candidates.push({ ele, rect: labelBox(ele), p: priority(ele) });
  });
  candidates.sort((a, b) => b.p - a.p || a.ele.id().localeCompare(b.ele.id()));
  const index = new RectIndex(Math.max(40, 160 / zoom));
  // Node bodies are obstacles too: a label is never written over another node.
  const bodies = new RectIndex(Math.max(40, 160 / zoom));
  cy.nodes().forEach((n) => {
    if (n.isParent() || !n.visible()) return;
    const p = n.position();
    const w = n.width() / 2;
    const h = n.height() / 2;
    bodies.add(n.id(), { x1: p.x - w, y1: p.y - h, x2: p.x + w, y2: p.y + h });
  });
  // A gap of 2 screen pixels between labels.
  const gap = 2 / zoom;
  const show: SingularElementArgument[] = [];
  // Trust labels slid along their arrow and box titles slid sideways (text-margin), as drawn now and as decided here.
  const ownShift = new Map<string, { x: number; y: number }>();
  cy.elements('edge.trust, node.group').forEach((e) => {
    const x = Number(e.data('labelShiftX') ?? 0);
    const y = Number(e.data('labelShiftY') ?? 0);
    if (x || y) ownShift.set(e.id(), { x, y });
  });
  const shift: [SingularElementArgument, { x: number; y: number } | undefined][] = [];
  // Shifts are drawn once decided: box titles' before the trust arrows ending at them are measured.
  let applied = 0;
  const applyShifts = () =>
    cy.batch(() => {
      for (; applied < shift.length; applied++) {
        const [e, d] = shift[applied]!;
        if (d) e.data({ labelShiftX: d.x, labelShiftY: d.y });
        else if (ownShift.has(e.id())) e.data({ labelShiftX: 0, labelShiftY: 0 });
      }
    });
  const cut = new Set<string>();
  // Whole on the stage, or not on it at all (then it is not seen, and stays drawn for a pan to bring in).
  const whole = (r: Rect) => !view || (r.x1 >= view.x1 && r.x2 <= view.x2 && r.y1 >= view.y1 && r.y2 <= view.y2);
  const partly = (r: Rect) => !!view && r.x2 > view.x1 && r.x1 < view.x2 && r.y2 > view.y1 && r.y1 < view.y2;
  let endsSet = false;
  for (const c of candidates) {
    // Box titles come first: once they are decided, arrows whose box's title is hidden end at the box, not at
    // that unseen title (zoomed out, titles grow past their card, and two grown ones side by side turned the arrow
    // between them round); the arrows' labels are then measured where they now are.
    if (!endsSet && c.p <= TRUST_PRIORITY && !c.ele.hasClass('group')) {
      endsSet = true;
      applyShifts();
      endAtHiddenTitles(cy, hide);
    }
    if (c.ele.isEdge() && c.ele.hasClass('trust') && endsSet) c.rect = labelBox(c.ele);
    const own = c.ele.id();
    const onEdge = c.ele.isEdge() ? [c.ele.data('source') as string, c.ele.data('target') as string] : [];
    // Box titles and count nodes carry their text inside or over their own body; the body test is for the others.
    const free = (r: Rect) => !index.query(r, gap).length && (c.ele.hasClass('group') || c.ele.hasClass('aggregate') || !bodies.query(r).some((b) => b.id !== own && !onEdge.includes(b.id)));
    // A trust arrow's label that meets a box title or another label at the arrow's middle may slide along the arrow
    // toward either end to where it is free: between two boxes side by side the middle is where their titles are.
    const title = c.ele.isNode() && c.ele.hasClass('group');
    const slides = c.ele.isEdge() && c.ele.hasClass('trust') ? slideOffsets(c.ele as EdgeSingular) : [];
    const kept = slides.length || title ? (ownShift.get(own) ?? { x: 0, y: 0 }) : { x: 0, y: 0 };
    const base = { x1: c.rect.x1 - kept.x, y1: c.rect.y1 - kept.y, x2: c.rect.x2 - kept.x, y2: c.rect.y2 - kept.y };
    // A box's title the stage's edge would cut slides sideways to where it is whole, as long as it stays over its box.
    if (title && view) {
      const d = titleSlide(c.ele as NodeSingular, base, view, gap);
      if (d) slides.push(d);
    }
    const places = [{ x: 0, y: 0 }, ...slides].map((d) => ({ d, r: { x1: base.x1 + d.x, y1: base.y1 + d.y, x2: base.x2 + d.x, y2: base.y2 + d.y } }));
    // An arrow's label or a box's title: a free place whole on the stage, else one wholly off it; a node's: the
    // first free place.
    const clips = c.ele.isEdge() || c.ele.hasClass('group');
    const at = clips ? (places.find((o) => free(o.r) && whole(o.r)) ?? places.find((o) => free(o.r) && !partly(o.r))) : places.find((o) => free(o.r));
    if (slides.length || ownShift.has(own)) shift.push([c.ele, at && (at.d.x || at.d.y) ? at.d : undefined]);
    if (!at && clips && places.some((o) => free(o.r))) cut.add(own);
    if (!at) hide.push(c.ele);
    else {
      index.add(own, at.r);
      show.push(c.ele);
    }
  }
  applyShifts();
  if (!endsSet) endAtHiddenTitles(cy, hide);
  cy.batch(() => {
    for (const e of show) if (e.hasClass('label-hidden')) e.removeClass('label-hidden label-cut');
    for (const e of hide) {
      if (!e.hasClass('label-hidden')) e.addClass('label-hidden');
      if (e.hasClass('label-cut') !== cut.has(e.id())) e.toggleClass('label-cut', cut.has(e.id()));
    }
  });
  return hide.length;
}

/** Trust arrows end at the box itself where the box's title is hidden (`hidden`: the labels hidden so far). */
function endAtHiddenTitles(cy: Core, hidden: SingularElementArgument[]): void {
  const unseen = new Set(hidden.filter((e) => e.isNode() && e.hasClass('group')).map((e) => e.id()));
  cy.batch(() => {
    cy.edges('.trust').forEach((e) => {
      const from = unseen.has(e.data('source') as string);
      const to = unseen.has(e.data('target') as string);
      if (e.hasClass('from-body') !== from) e.toggleClass('from-body', from);
      if (e.hasClass('to-body') !== to) e.toggleClass('to-body', to);
    });
  });
}

/**
 * How far a box's title (`r`, where it is drawn unslid) must slide sideways to be whole on the stage `view`, or
 * undefined when it is whole already, wider than the stage, or would leave its box: the slid title must still cover
 * half the box's width (half its own, if narrower). A heading that stays in sight while its box is panned past the
 * stage's edge, where it would otherwise be hidden and the box left unnamed. A card's title is inside the card: it
 * never slides.
 */
function titleSlide(box: NodeSingular, r: Rect, view: Rect, gap: number): { x: number; y: number } | undefined {
  if (box.hasClass('empty-box')) return undefined;
  const w = r.x2 - r.x1;
  if (w + 2 * gap > view.x2 - view.x1) return undefined;
  const dx = r.x1 < view.x1 ? view.x1 + gap - r.x1 : r.x2 > view.x2 ? view.x2 - gap - r.x2 : 0;
  if (!dx) return undefined;
  const body = box.boundingBox({ includeLabels: false, includeOverlays: false } as never);
  const over = Math.min(r.x2 + dx, body.x2) - Math.max(r.x1 + dx, body.x1);
  return over >= Math.min(w, body.x2 - body.x1) / 2 ? { x: dx, y: 0 } : undefined;
}

/** Where a trust arrow's label may go instead of the middle: further along toward either end, nearest first (model units). */
function slideOffsets(e: EdgeSingular): { x: number; y: number }[] {
  const a = e.sourceEndpoint();
  const b = e.targetEndpoint();
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  if (!Number.isFinite(dx) || !Number.isFinite(dy) || (!dx && !dy)) return [];
  const along = SLIDES.flatMap((f) => [{ x: -f * dx, y: -f * dy }, { x: f * dx, y: f * dy }]);
  // Then beside the arrow (half the label's height and a little off it), at the middle and along: on a short arrow
  // between a card and a box, every place on the line meets one of their titles.
  const len = Math.hypot(dx, dy);
  const bb = labelBox(e);
  const off = (bb.y2 - bb.y1) / 2 + 4;
  const n = { x: (-dy / len) * off, y: (dx / len) * off };
  const beside = [{ x: 0, y: 0 }, ...along].flatMap((d) => [{ x: d.x + n.x, y: d.y + n.y }, { x: d.x - n.x, y: d.y - n.y }]);
  return [...along, ...beside];
}

/** How far along its arrow (as a share of the arrow's length, from the middle) a trust label may slide. */
const SLIDES = [0.2, 0.3, 0.38];

/** Text width in pixels of `text` at `font` (cached per font and text; a canvas measures like Cytoscape does). */
const widths = new Map<string, number>();
let ctx: CanvasRenderingContext2D | null | undefined;
export function textWidth(text: string, font: number, bold = false): number {
  const key = `${bold ? 'b' : ''}${font}\n${text}`;
  const hit = widths.get(key);
  if (hit !== undefined) return hit;
  if (ctx === undefined) ctx = typeof document !== 'undefined' ? document.createElement('canvas').getContext('2d') : null;
  let w = text.length * font * 0.58;
  if (ctx) {
    ctx.font = `${bold ? 'bold ' : ''}${font}px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`;
    w = ctx.measureText(text).width;
  }
  if (widths.size > 50_000) widths.clear();
  widths.set(key, w);
  return w;
}

/** Widest label drawn beside a node in grids and lanes (longer names end in an ellipsis). */
export const SIDE_LABEL_MAX = 220;

/** A node with its label to its right: its footprint with labels at `scale` times their model size. */
export function sideFootprint(id: string, label: string, size: number, bold = false, scale = 1): Footprint {
  const lines = label.split('\n');
  const w = Math.min(SIDE_LABEL_MAX, Math.max(...lines.map((l) => textWidth(l, NODE_FONT, bold))));
  return { id, w: size + (8 + w + 4) * scale, h: Math.max(size, lines.length * NODE_FONT * 1.3 * scale) + 4, ax: size / 2 };
}

/** A box's title (several lines, bold, a point larger than node labels) at `scale`, with room around it. */
export function boxTitleSize(label: string, scale = 1): { w: number; h: number } {
  const lines = label.split('\n');
  return { w: Math.max(...lines.map((l) => textWidth(l, NODE_FONT + 1, true))) * scale + 28, h: lines.length * (NODE_FONT + 1) * 1.3 * scale + 20 };
}
