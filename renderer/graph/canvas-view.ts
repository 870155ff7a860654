// The canvas's view (canvas-engine.ts draws, this shows): label sizes for the zoom, the fits (all of it, all of it
// readable, a pick with its neighbours) and the nudges that keep labels whole on the stage and clear of the legend,
// and which of those views to choose again when the stage changes size.
import cytoscape, { type Core } from 'cytoscape';
import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from '../store';
import { declutter, DECLUTTER_LIMIT, EDGE_FONT, EDGE_LABEL_ZOOM, labelState, MAX_LABEL_SCALE, MIN_LABEL_PX, NODE_FONT, scaleFor } from './labels';
import { clearShift, fitClearOf, type Position, type ScreenRect } from './layouts';

export const MAX_FIT_ZOOM = 1.4;
/** The margin a fit keeps around the drawing, on screen. */
export const FIT_PAD = 30;
/** The zoom a readable start of a drawing past DECLUTTER_LIMIT shows (where Cytoscape draws its labels). */
const UNMANAGED_LABEL_ZOOM = 1.1;

/** What the last full layout drew, which the views read: a blast radius in bands, and the node a readable start shows. */
export interface DrawnLayout {
  /** The last full layout drew a blast radius in bands (reach-layers.ts). */
  banded: boolean;
  /** The box the last grid layout put the others around (a star's hub), or a banded blast radius's origin: a readable start shows it, not a corner. */
  hub: string | null;
}

/**
 * The label scale at a zoom: what keeps labels readable, except that labels already readable at the size the layout
 * planned stay at that size (grown further, they would run past the room the layout left them).
 */
function labelScaleAt(zoom: number, planned: number): number {
  // Node labels a pixel over the minimum, and edge labels (a smaller font) a quarter of one: exactly at the minimum,
  // a product of floating-point scales and zooms falls below it as often as not, and every trust arrow loses its label.
  const need = Math.max(scaleFor(zoom), Math.min(MAX_LABEL_SCALE, (MIN_LABEL_PX + 0.25) / (EDGE_FONT * zoom)));
  // The smallest font (edge labels) decides whether the planned size is readable.
  return need > planned && EDGE_FONT * planned * zoom >= MIN_LABEL_PX ? planned : need;
}

export class CanvasView {
  /**
   * The view the canvas chose for the whole drawing, applied again when the stage changes size (a wider or narrower
   * sidebar as the mode changes) until the user zooms or pans: all of it (fit), or all of it where its labels stay
   * readable and else its readable start (wholeReadable), or a pick with its neighbours (focusSelection).
   */
  follow: 'fit' | 'readable' | 'pick' | null = null;
  readonly layout: DrawnLayout = { banded: false, hub: null };

  constructor(
    private readonly cy: Core,
    private readonly container: HTMLElement,
    private readonly store: StoreApi<AppState>,
  ) {}

  /** The view chosen last, chosen again for the stage as it now is (the stage changed size). */
  refollow(): boolean {
    if (this.follow === 'fit') this.fit();
    else if (this.follow === 'readable') this.wholeReadable();
    else if (this.follow === 'pick') this.focusSelection(false);
    else return false;
    return true;
  }

  setLabelScale(scale: number, managed = labelState(this.cy).managed, layoutScale = labelState(this.cy).layoutScale): void {
    const state = labelState(this.cy);
    if (Math.abs(scale - state.scale) <= 0.01 && managed === state.managed && layoutScale === state.layoutScale) return;
    state.scale = scale;
    state.managed = managed;
    state.layoutScale = layoutScale;
    this.cy.style().update();
  }

  /**
   * Big drawings are drawn the cheap way Cytoscape offers: straight lines without arrows (haystack edges). While the
   * view moves, Cytoscape's layered texture cache (bitmaps of the drawing per zoom level, on by default) redraws a
   * step from a few layers rather than every element — as long as no element's style changes: a restyle of every
   * edge at each settle threw those layers away and made each step a full draw. (The texture of the last frame,
   * textureOnViewport, is off: its first frame of each gesture is a full draw into a texture, slower than the layers.)
   */
  private setBig(big: boolean): void {
    // Cytoscape has no :not() selector (it warns and matches every edge): filter by class instead.
    const change = big ? this.cy.edges().not('.big') : this.cy.edges('.big');
    if (change.nonempty()) this.cy.batch(() => change.toggleClass('big', big));
  }

  /** Label sizes for this zoom, edge labels when zoomed in, and no two labels on top of each other. */
  updateLabels(): void {
    const { cy } = this;
    const managed = cy.elements().length <= DECLUTTER_LIMIT;
    this.setBig(!managed);
    const zoomLabels = managed && cy.zoom() >= EDGE_LABEL_ZOOM;
    this.setLabelScale(managed ? labelScaleAt(cy.zoom(), labelState(cy).layoutScale) : 1, managed);
    // Only the edges whose state changes: touching every edge's classes restyles them all and drops the texture
    // Cytoscape moves while the view moves (a big drawing then redraws every element on the next step).
    const change = zoomLabels ? cy.edges().not('.zoom-label') : cy.edges('.zoom-label');
    if (change.nonempty()) cy.batch(() => change.toggleClass('zoom-label', zoomLabels));
    if (managed) declutter(cy, cy.zoom(), cy.extent());
    else if (cy.$('.label-hidden').nonempty()) cy.$('.label-hidden').removeClass('label-hidden label-cut');
  }

  /** Width over height of the part of the stage a fit uses: above the legend (it floats bottom-left). */
  stageAspect(): number {
    const o = this.overlay();
    const h = Math.max(1, this.cy.height() - o.height);
    return Math.max(0.5, Math.min(3, this.cy.width() / h));
  }

  /** Where the legend floats over the stage (bottom-left): fits keep clear of it. */
  private overlay(): { width: number; height: number } {
    const legend = this.legend();
    return legend ? { width: legend.offsetWidth + 20, height: legend.offsetHeight + 20 } : { width: 0, height: 0 };
  }

  legend(): HTMLElement | null {
    return this.container.closest('.stage')?.querySelector<HTMLElement>('[data-testid="legend"]') ?? null;
  }

  /**
   * What a fit measures: every element, or in a banded blast radius its nodes only, whose edges all run between
   * them unlabelled (measuring 1,400 curves with their labels took 150 ms a round, most of that layout's time).
   */
  private whole(): cytoscape.Collection | cytoscape.NodeCollection {
    return this.layout.banded ? this.cy.nodes() : this.cy.elements();
  }

  /** The viewport showing `eles` (everything by default) clear of the legend. */
  viewportFor(eles: cytoscape.Collection | cytoscape.NodeCollection = this.whole(), maxZoom = MAX_FIT_ZOOM): { zoom: number; pan: Position } {
    const bb = eles.boundingBox({ includeLabels: true });
    const { zoom, pan } = fitClearOf({ x1: bb.x1, y1: bb.y1, w: bb.w, h: bb.h }, this.cy.width(), this.cy.height(), this.overlay(), FIT_PAD, maxZoom);
    return { zoom: Math.max(this.cy.minZoom(), zoom), pan };
  }

  /**
   * Sets the view, first stopping a fit still animating (a pick's): left running, it would end on its own target,
   * computed before a layout moved the nodes, and undo the view just set.
   */
  private setViewport(v: { zoom: number; pan: Position }): void {
    this.cy.stop(true);
    this.cy.viewport(v);
  }

  fit(): void {
    if (this.cy.elements().empty()) return;
    this.labelsAsLaidOut();
    this.setViewport(this.viewportFor());
    this.follow = 'fit';
    this.updateLabels();
  }

  /**
   * The whole drawing where its labels are readable at the size the layout planned, else its readable start: what a
   * layout ends on, and what a narrow stage (Triage, Inventory) shows, where a fit would shrink the map until its
   * labels, grown to stay readable, ran over each other and past the stage's edges.
   */
  wholeReadable(): void {
    if (this.cy.elements().empty()) return;
    this.labelsAsLaidOut();
    this.showReadable(this.whole());
    this.follow = 'readable';
  }

  /**
   * Labels back at the size the layout planned them, before a fit measures the drawing. Labels grow as the view
   * zooms out (to stay readable): measured at that size, a refit (the stage narrowed by a wide panel, then widened
   * again) would zoom out further and grow them again, until titles ran over each other.
   */
  private labelsAsLaidOut(): void {
    const state = labelState(this.cy);
    this.setLabelScale(state.layoutScale, state.managed, state.layoutScale);
  }

  /** Shows `eles` whole (animated when asked), never zooming in past the fit cap; `then` once there. */
  fitTo(eles: cytoscape.Collection | cytoscape.NodeCollection, animate = false, then?: () => void): void {
    if (eles.empty()) return;
    this.follow = null;
    this.labelsAsLaidOut();
    const v = this.viewportFor(eles);
    if (animate) {
      this.cy.stop(true);
      this.cy.animate(v, {
        duration: 250,
        complete: () => {
          this.updateLabels();
          then?.();
        },
      });
    } else {
      this.setViewport(v);
      this.updateLabels();
      then?.();
    }
  }

  /**
   * Shows `eles` whole when their labels stay readable at that zoom; otherwise at the zoom where they are readable,
   * from their top-left corner (the start of a grid), so the user pans rather than squints.
   */
  showReadable(eles: cytoscape.Collection | cytoscape.NodeCollection): void {
    const { cy } = this;
    this.follow = null;
    const v = this.viewportFor(eles);
    const scale = labelState(cy).layoutScale;
    if (NODE_FONT * scale * v.zoom >= MIN_LABEL_PX) {
      this.setViewport(v);
      this.updateLabels();
      return;
    }
    // Past the labels' management Cytoscape draws a label only from twice our minimum at its texture level (zoom
    // rounded up to a power of two, labels.ts MIN_ZOOMED_FONT): above zoom 1 for 12-unit labels.
    const zoom = readableZoom(scale, labelState(cy).managed);
    const bb = eles.boundingBox({ includeLabels: true });
    const o = this.overlay();
    const pad = FIT_PAD;
    // The aggregation banner floats over the top of the stage: start below it.
    const banner = this.container.closest('.stage')?.querySelector<HTMLElement>('[data-testid="aggregate-banner"]');
    const top = pad + (banner ? banner.offsetTop + banner.offsetHeight : 0);
    let x = bb.w * zoom <= cy.width() - 2 * pad ? (cy.width() - bb.w * zoom) / 2 - bb.x1 * zoom : pad - bb.x1 * zoom;
    let y = bb.h * zoom <= cy.height() - o.height - top - pad ? top + (cy.height() - o.height - top - pad - bb.h * zoom) / 2 - bb.y1 * zoom : top - bb.y1 * zoom;
    // The selection (a blast radius's origin, a picked node) is where the user starts reading, else a compromised
    // credential or identity (what a responder starts from: Triage ranks them), else the hub of a star (the top left
    // of a ring is empty): a start that leaves it off the stage is moved to show it (a compromised node with its box).
    const selected = this.store.getState().selectedId;
    const compromised = selected ? null : firstCompromised(eles);
    const anchor = selected ?? compromised ?? this.layout.hub;
    const a = anchor ? cy.getElementById(anchor) : cy.collection();
    let boxShown: cytoscape.NodeCollection | null = null;
    if (a.nonempty() && a.isNode() && eles.contains(a)) {
      const bottom = cy.height() - o.height - pad;
      // A compromised node is shown with the box it sits in (its boundary, titled) where the box fits the stage.
      const box = compromised ? a.parent() : cy.collection();
      const bbox = box.nonempty() ? box.boundingBox({ includeLabels: true }) : null;
      const whole = bbox && bbox.w * zoom <= cy.width() - 2 * pad && bbox.h * zoom <= bottom - top ? bbox : null;
      if (whole) {
        // Moved the least that shows the box whole: the rest of the start (the grid's top left) stays in view.
        boxShown = box.union(box.descendants());
        const left = whole.x1 * zoom + x, right = whole.x2 * zoom + x, up = whole.y1 * zoom + y, down = whole.y2 * zoom + y;
        if (left < pad) x += pad - left;
        else if (right > cy.width() - pad) x -= right - (cy.width() - pad);
        if (up < top) y += top - up;
        else if (down > bottom) y -= down - bottom;
      } else {
        const p = a.position();
        const at = { x: p.x * zoom + x, y: p.y * zoom + y };
        const offX = at.x < pad || at.x > cy.width() - pad;
        const offY = at.y < top || at.y > bottom;
        // A banded blast radius starts at its top (the origin's band): only the axis that leaves the origin off moves.
        if (offX || (offY && !this.layout.banded)) x = cy.width() / 2 - p.x * zoom;
        if (offY || (offX && !this.layout.banded)) y = (top + Math.max(top, bottom)) / 2 - p.y * zoom;
      }
    }
    this.setViewport({ zoom, pan: { x, y } });
    this.updateLabels();
    if (this.layout.banded && labelState(cy).managed) this.clearOfEdges(a.nonempty() && a.isNode() ? a.position() : null, this.store.getState().mode === 'blast');
    // The compromised node's box, moved to the middle, may leave other boxes' labels cut at the stage's edges: nudged
    // (as a pick is, at the same zoom) into a gap, the box kept whole on the stage.
    else if (boxShown && labelState(cy).managed) this.clearOfEdges(a.position(), false, boxShown, false);
  }

  /**
   * A view (a banded blast radius's readable start, a picked node with its neighbours) nudged (less than half the
   * stage) so that no label, a node's or an edge's, is cut by the stage's edges and nothing drawn is under the legend:
   * its start moved into a gap between bands, columns or boxes. Where the open legend leaves no such view, it closes
   * when `mayClose` (legendCovers; the user's own choice stands) and the view is kept clear of the stage's edges.
   */
  private clearOfEdges(anchor: Position | null, mayClose: boolean, keepAll: cytoscape.NodeCollection | null = null, mayZoomOut = true): void {
    const { cy } = this;
    const zoom0 = cy.zoom();
    // A copy: cy.pan() is Cytoscape's own object, which the views tried below change.
    const pan0 = { ...cy.pan() };
    const legend = this.legend();
    const stage = this.container.getBoundingClientRect();
    const r = legend?.getBoundingClientRect();
    const obstacle = r && r.width > 0 ? { x1: r.left - stage.left - 4, y1: r.top - stage.top - 4, x2: r.right - stage.left + 4, y2: r.bottom - stage.top + 4 } : null;
    const keepAt = anchor ? { x: anchor.x * zoom0 + pan0.x, y: anchor.y * zoom0 + pan0.y } : null;
    // A pick's view moves a quarter of the stage first (the picked node stays near the middle, where the fit put
    // it), then up to half of it, at each zoom.
    const half = { x: cy.width() / 2, y: cy.height() / 2 };
    const reaches = keepAll ? [{ x: cy.width() / 4, y: cy.height() / 4 }, half] : [half];
    // A pick's view may zoom out a little (around the picked node, its neighbours kept on the stage) where no nudge
    // at its zoom clears every label: a box as wide as the stage leaves no gap to move into.
    const zooms = mayZoomOut && keepAll && anchor && keepAt ? [0, 1, 2, 3, 4, 5, 6, 7].map((k) => zoom0 * Math.pow(0.85, k)) : [zoom0];
    const viewAt = (zoom: number) => (zoom === zoom0 || !anchor || !keepAt ? pan0 : { x: keepAt.x - anchor.x * zoom, y: keepAt.y - anchor.y * zoom });
    const boxesAt = (zoom: number): ScreenRect[] => {
      const pan = viewAt(zoom);
      if (zoom !== cy.zoom()) {
        this.setViewport({ zoom, pan });
        this.updateLabels();
      }
      return this.screenBoxes();
    };
    const fits = (zoom: number, shift: Position) => {
      if (!keepAll) return true;
      const pan = viewAt(zoom);
      // The picked node's neighbours on the stage, and named (zoomed out, labels that meet others are hidden).
      return keepAll.toArray().every((n) => {
        if (n.hasClass('label-hidden')) return false;
        const b = n.boundingBox({ includeLabels: false, includeOverlays: false });
        const x1 = b.x1 * zoom + pan.x + shift.x, x2 = b.x2 * zoom + pan.x + shift.x, y1 = b.y1 * zoom + pan.y + shift.y, y2 = b.y2 * zoom + pan.y + shift.y;
        return x1 >= 0 && y1 >= 0 && x2 <= cy.width() && y2 <= cy.height();
      });
    };
    const search = (o: ScreenRect | null): { zoom: number; shift: Position } | null => {
      for (const zoom of zooms) {
        const boxes = boxesAt(zoom);
        for (const reach of reaches) {
          const shift = clearShift(boxes, cy.width(), cy.height(), o, keepAt, reach);
          if (shift && fits(zoom, shift)) return { zoom, shift };
        }
      }
      return null;
    };
    let found = search(obstacle);
    if (!found && obstacle) {
      const s = this.store.getState();
      // The legend closes unless the user opened it (Legend.tsx); closed, the stage's free room changes and the resize
      // observer chooses the view again. Meanwhile (or left open) the view is nudged clear of the stage's edges only.
      if (mayClose && legend?.querySelector('[aria-expanded="true"]') && !s.legendCovers) s.setLegendCovers(true);
      found = search(null);
    }
    const zoom = found ? found.zoom : zoom0;
    const pan = viewAt(zoom);
    const shift = found?.shift ?? { x: 0, y: 0 };
    if (zoom !== cy.zoom() || shift.x || shift.y || pan.x !== cy.pan().x || pan.y !== cy.pan().y) {
      this.setViewport({ zoom, pan: { x: pan.x + shift.x, y: pan.y + shift.y } });
      this.updateLabels();
    }
  }

  /** What is drawn, on screen: nodes with their labels, boxes' titles (their bodies are backdrops), edge labels drawn. */
  private screenBoxes(): ScreenRect[] {
    const { cy } = this;
    const zoom = cy.zoom();
    const pan = cy.pan();
    const toScreen = (b: { x1: number; y1: number; x2: number; y2: number }): ScreenRect => ({ x1: b.x1 * zoom + pan.x, y1: b.y1 * zoom + pan.y, x2: b.x2 * zoom + pan.x, y2: b.y2 * zoom + pan.y });
    const boxes: ScreenRect[] = [];
    cy.nodes().forEach((n) => {
      const b = n.hasClass('group') ? n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false }) : n.boundingBox({ includeLabels: true, includeOverlays: false });
      if (b.w > 0 && b.h > 0) boxes.push(toScreen(b));
    });
    // Edge labels drawn (trust arrows' always, the others' when zoomed in): a label cut by the stage's edge reads as
    // half a word. Cytoscape's own test of what it draws: text, shown, and not below its minimum zoomed size.
    const texture = Math.pow(2, Math.ceil(Math.log2(zoom)));
    cy.edges().forEach((e) => {
      // Cytoscape's parsed style (pstyle), not in its typings.
      const style = (name: string) => (e as unknown as { pstyle(n: string): { strValue?: string; value?: unknown; pfValue?: number } }).pstyle(name);
      // A label hidden only because the stage's edge cuts it (labels.ts declutter) is there to be made whole.
      if (!style('label').strValue || !e.visible() || (Number(style('text-opacity').value) === 0 && !e.hasClass('label-cut'))) return;
      if ((style('font-size').pfValue ?? 0) * texture < (style('min-zoomed-font-size').pfValue ?? 0)) return;
      const b = e.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeMainLabels: true, includeSourceLabels: false, includeTargetLabels: false, includeOverlays: false, includeUnderlays: false } as cytoscape.BoundingBoxOptions);
      if (b.w > 0 && b.h > 0) boxes.push(toScreen(b));
    });
    return boxes;
  }

  applyPendingViewport(): boolean {
    const v = this.store.getState().pendingViewport;
    if (!v) return false;
    this.store.setState({ pendingViewport: null });
    this.follow = null;
    this.setViewport({ zoom: v.zoom, pan: { ...v.pan } });
    this.updateLabels();
    return true;
  }

  /** The selection with what it links to, shown whole (a pick from search or the findings table). */
  focusSelection(animate = true): void {
    const id = this.store.getState().selectedId;
    const n = id ? this.cy.getElementById(id) : this.cy.collection();
    if (n.empty() || !n.isNode()) return;
    // Then nudged so that nothing around it (other boxes, trust arrows' labels) is cut by the stage's edges or under
    // the legend, which closes if it must (the user's choice aside).
    this.fitTo(n.closedNeighborhood(), animate, () => {
      if (labelState(this.cy).managed && n.inside()) this.clearOfEdges(n.position(), true, n.closedNeighborhood('node'));
    });
    // A pick from Findings goes to Explore, whose stage is wider (and the legend may open or close): that resize
    // chooses this view again, for the stage as it is, until the user zooms or pans.
    this.follow = 'pick';
  }
}

/** The first compromised node drawn among `eles` (by id, so the same start each time), if any. */
function firstCompromised(eles: cytoscape.Collection | cytoscape.NodeCollection): string | null {
  const ids = eles.nodes('.compromised').not('.group').filter((n) => n.visible()).map((n) => n.id()).sort();
  return ids[0] ?? null;
}

/** The zoom where labels of `scale` are readable (and drawn, past the labels' management). */
export function readableZoom(scale: number, managed: boolean): number {
  return Math.max((MIN_LABEL_PX + 1) / (NODE_FONT * scale), managed ? 0 : UNMANAGED_LABEL_ZOOM);
}
