// The canvas behind GraphCanvas.tsx: owns the Cytoscape instance, patches the visible graph into it, places what
// changed (a full layout only when asked for; otherwise drawn nodes stay put and new ones are placed beside what
// they link to), and turns gestures into store calls; what is shown of the drawing, and labels readable in it, is its
// view's (canvas-view.ts). The store never sees Cytoscape.
import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from 'cytoscape';
import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from '../store';
import type { LayoutIntent } from '../store/graph-slice';
import type { LayoutName } from '../store/ui-slice';
import { aggregateKey, type VisEdge, type VisibleGraph, type VisNode } from './aggregate';
import { DECLUTTER_LIMIT, labelState, MIN_LABEL_PX, NODE_FONT, scaleFor } from './labels';
import { FORCE_LAYOUT_LIMIT, gridOf, type Position } from './layouts';
import { forceLayoutReady, forceLayoutSettled, loadForceLayout } from './force-loader';
import { boxRect, drawnNodes, footprintOf, rectOf, rectOfNode, separateTopLevel, separateWithin } from './canvas-geometry';
import { bandPositions, clearReach, forcePositions, gridPositions, lanePositions, markReach } from './canvas-layouts';
import { placeNew, type NewNode, type Rect } from './placement';
import { routeEdges } from './edge-routes';
import { presenceOf } from './legend-entries';
import { stylesheet } from './stylesheet';
import { CanvasView, FIT_PAD, readableZoom } from './canvas-view';

/** A box's padding on each side of its members (stylesheet.ts). */
const BOX_PAD = 24;
/** More new nodes than this, and most of the drawing new: a full layout rather than one-by-one placement. */
const MASS_PLACEMENT = 400;

export interface SyncInput {
  visible: VisibleGraph;
  graphSeq: number;
  intent: LayoutIntent;
  layout: LayoutName;
  openGroups: string[];
  /** Kinds of categories sort a box's grid so kinds stay together. */
  estateShown: boolean;
}

export interface Highlight {
  selectedId: string | null;
  selectedEdge: string | null;
  originId: string | null;
  path: { nodes: Set<string>; edges: Set<string>; alternatives: Set<string> };
  /** Edge keys of containment cuts marked done. */
  cutsDone: Set<string>;
}

export interface MenuRequest {
  type: 'node' | 'edge';
  id: string;
  x: number;
  y: number;
}

function nodeClasses(n: VisNode): string[] {
  const out: string[] = [];
  if (n.isGroup) out.push('group');
  if (n.count !== undefined) out.push('aggregate');
  else if (!n.isGroup) out.push('side-label');
  if (n.stub) out.push('stub');
  for (const m of n.marks) out.push(m);
  return out;
}

function edgeClasses(e: VisEdge): string[] {
  const out: string[] = [];
  if (!e.traversable) out.push('not-traversable');
  if (e.conditional) out.push('conditional');
  if (e.observed) out.push('observed');
  if (e.kind === 'REACHES') out.push('reach');
  if (e.trust) out.push('trust');
  else if (e.count > 1) out.push('aggregate');
  return out;
}

export class CanvasEngine {
  readonly cy: Core;
  private lastSeq = -1;
  private lastLayout: LayoutName | null = null;
  private lastEstate = false;
  private lastOpen = new Set<string>();
  private viewportTimer: ReturnType<typeof setTimeout> | undefined;
  /** What is shown of the drawing: label sizes, fits and nudges (canvas-view.ts). */
  readonly view: CanvasView;
  private theme: AppState['theme'];
  /** The latest sync waiting for the force layout's code (force-loader.ts); later syncs replace it. */
  private waiting: SyncInput | null = null;
  private destroyed = false;
  private lastHighlight: Highlight | null = null;
  /** The force layout's code is asked for after the next frame drawn (sync). */
  private forceQueued = false;
  /** The styles last told to the legend (publishStyles). */
  private lastStyles = '';

  constructor(
    private readonly container: HTMLElement,
    private readonly store: StoreApi<AppState>,
    private readonly onMenu: (m: MenuRequest | null) => void,
    /** Called after a sync that waited for the force layout: what was put on the elements since is put again. */
    private readonly onLateSync: () => void = () => undefined,
  ) {
    this.theme = store.getState().theme;
    const cy = cytoscape({
      container,
      style: stylesheet(this.theme),
      minZoom: 0.02,
      maxZoom: 4,
      wheelSensitivity: 0.3,
      boxSelectionEnabled: false,
      selectionType: 'single',
      textureOnViewport: false,
      hideEdgesOnViewport: false,
      pixelRatio: 1,
      // Nothing to place yet (elements come with the first sync): skips the default grid layout's run.
      layout: { name: 'null' },
    });
    this.cy = cy;
    this.view = new CanvasView(cy, container, store);
    // Tests and the renderer bench read Cytoscape's own geometry from here.
    Object.defineProperty(container, 'cy', { value: cy, configurable: true });
    this.wire();
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.viewportTimer);
    this.cy.destroy();
  }

  setTheme(theme: AppState['theme']): void {
    // The stylesheet is parsed anew for every element: only when the theme changes (not on the first effect).
    if (theme === this.theme) return;
    this.theme = theme;
    this.cy.style(stylesheet(theme));
  }

  private wire(): void {
    const { cy, store } = this;
    cy.on('tap', 'node', (ev) => {
      const n = ev.target as NodeSingular;
      const s = store.getState();
      this.onMenu(null);
      if (n.hasClass('group')) {
        const b = n.data('boundaryId') as string | null;
        if (b) void s.select(b);
        return;
      }
      if (n.hasClass('aggregate')) {
        s.openGroup(String(n.data('group')));
        return;
      }
      void s.select(n.id());
    });
    cy.on('dbltap', 'node', (ev) => {
      const n = ev.target as NodeSingular;
      if (n.hasClass('group') || n.hasClass('aggregate')) return;
      void store.getState().expand(n.id());
    });
    cy.on('tap', 'edge', (ev) => {
      this.onMenu(null);
      const id = ev.target.id() as string;
      // Real edges and reach-tree steps have details; aggregate and estate edges stand for many.
      if (/^(e\d+|t:)/.test(id)) store.getState().selectEdge(id);
    });
    cy.on('tap', (ev) => {
      if (ev.target === cy) {
        this.onMenu(null);
        void store.getState().select(null);
      }
    });
    cy.on('cxttap', 'node, edge', (ev) => {
      const t = ev.target;
      if (t.isNode() && (t.hasClass('group') || t.hasClass('aggregate'))) return;
      if (t.isEdge() && !/^(e\d+|t:)/.test(t.id())) return;
      const p = ev.renderedPosition ?? { x: 0, y: 0 };
      this.onMenu({ type: t.isNode() ? 'node' : 'edge', id: t.id(), x: p.x, y: p.y });
    });
    cy.on('cxttap', (ev) => {
      if (ev.target === cy) this.onMenu(null);
    });
    cy.on('mouseover', 'edge', (ev) => ev.target.addClass('show-label'));
    cy.on('mouseout', 'edge', (ev) => ev.target.removeClass('show-label'));
    cy.on('dragfree', 'node', () => this.remember());
    cy.on('viewport', () => {
      this.onMenu(null);
      clearTimeout(this.viewportTimer);
      this.viewportTimer = setTimeout(() => this.viewportSettled(), 140);
    });
    // The view the canvas chose (follow) is chosen again when the stage changes size (a wider or narrower sidebar
    // as the mode changes); once the user zooms or pans, the view is theirs.
    for (const type of ['wheel', 'pointerdown']) this.container.addEventListener(type, () => (this.view.follow = null), { capture: true, passive: true });
    const resize = new ResizeObserver(() => {
      // Cytoscape keeps the size it measured last until resize(): the change is known here.
      const before = { w: cy.width(), h: cy.height() };
      cy.resize();
      // A view the user (or a pick) chose keeps its centre where it was, not its top-left corner.
      if (!this.view.refollow() && (cy.width() !== before.w || cy.height() !== before.h)) cy.panBy({ x: (cy.width() - before.w) / 2, y: (cy.height() - before.h) / 2 });
    });
    resize.observe(this.container);
    // The legend opening or closing changes the room a fit keeps clear of it.
    const legend = this.view.legend();
    if (legend) resize.observe(legend);
    cy.one('destroy', () => resize.disconnect());
  }

  private viewportSettled(): void {
    this.view.updateLabels();
    this.store.getState().setViewport({ zoom: this.cy.zoom(), pan: { ...this.cy.pan() } });
  }

  /** Patches the visible graph into Cytoscape and places what needs placing. */
  sync(input: SyncInput): void {
    // A drawing that may need the force layout waits for its code (fetched after the first canvas); syncs meanwhile
    // replace the waiting one, so they are applied in order, the latest last.
    if (this.waiting || (!forceLayoutSettled() && mayForce(input))) {
      const first = !this.waiting;
      this.waiting = input;
      if (first)
        void loadForceLayout().then(() => {
          const next = this.waiting;
          this.waiting = null;
          if (!next || this.destroyed) return;
          this.sync(next);
          if (this.lastHighlight) this.highlight(this.lastHighlight);
          this.onLateSync();
        });
      return;
    }
    this.patch(input);
    // The force layout's code is fetched once the first drawing is on the screen (the first screen does not need it,
    // and its fetch and parse would hold that drawing back), so a pick made right after the first screen finds it there.
    if (!this.forceQueued && !forceLayoutSettled() && this.cy.nodes().nonempty()) {
      this.forceQueued = true;
      this.cy.one('render', () => setTimeout(() => void loadForceLayout(), 0));
    }
  }

  private patch(input: SyncInput): void {
    const { cy } = this;
    const memory = this.store.getState().positions;
    const wantNodes = new Map(input.visible.nodes.map((n) => [n.id, n]));
    const wantEdges = new Map(input.visible.edges.map((e) => [e.id, e]));
    const fresh: string[] = [];
    cy.batch(() => {
      cy.edges().forEach((e) => {
        if (!wantEdges.has(e.id())) e.remove();
      });
      cy.nodes().forEach((n) => {
        if (!wantNodes.has(n.id())) n.remove();
      });
      // Groups first: a child needs its parent to exist.
      const ordered = [...input.visible.nodes].sort((a, b) => Number(Boolean(b.isGroup)) - Number(Boolean(a.isGroup)));
      for (const n of ordered) {
        const existing = cy.getElementById(n.id);
        const data = { id: n.id, label: n.label, kind: n.kind, category: n.category, provider: n.provider, group: n.group ?? null, count: n.count ?? null, boundaryId: n.boundaryId ?? null };
        if (existing.nonempty()) {
          existing.data({ label: n.label, count: data.count });
          existing.classes([...nodeClasses(n), ...keptClasses(existing)]);
          const parent = n.parent && cy.getElementById(n.parent).nonempty() ? n.parent : null;
          if ((existing.data('parent') ?? null) !== parent) existing.move({ parent });
          continue;
        }
        const parent = n.parent && cy.getElementById(n.parent).nonempty() ? n.parent : undefined;
        const known = memory.get(n.id);
        cy.add({ group: 'nodes', data: parent ? { ...data, parent } : data, classes: nodeClasses(n), ...(known ? { position: { ...known } } : {}) });
        if (!known && !n.isGroup) fresh.push(n.id);
      }
      for (const e of input.visible.edges) {
        const existing = cy.getElementById(e.id);
        if (existing.nonempty()) {
          existing.data({ label: e.label, count: e.count });
          existing.classes([...edgeClasses(e), ...keptClasses(existing)]);
        } else {
          const def: ElementDefinition = { group: 'edges', data: { id: e.id, source: e.source, target: e.target, label: e.label, kind: e.kind, count: e.count, labelShiftX: 0, labelShiftY: 0 }, classes: edgeClasses(e) };
          cy.add(def);
        }
      }
      cy.nodes('.group').forEach((g) => {
        g.toggleClass('empty-box', !g.isParent());
      });
    });
    const seqChanged = this.lastSeq !== input.graphSeq;
    // Entering or leaving the estate map changes what boxes say (and so their size): lay out afresh.
    const layoutChanged = this.lastLayout !== input.layout || this.lastEstate !== input.estateShown;
    this.lastSeq = input.graphSeq;
    this.lastLayout = input.layout;
    this.lastEstate = input.estateShown;
    const opened = input.openGroups.filter((g) => !this.lastOpen.has(g));
    this.lastOpen = new Set(input.openGroups);

    const total = drawnNodes(cy).length;
    // A drawing that is mostly new (everything drawn after the count nodes, a first load) is laid out afresh:
    // placing thousands of nodes one by one around the few already there helps nobody and takes seconds.
    const mostlyFresh = fresh.length > 0 && (fresh.length === total || (fresh.length > MASS_PLACEMENT && fresh.length > 2 * (total - fresh.length)));
    if ((seqChanged && input.intent === 'full') || layoutChanged || mostlyFresh) this.fullLayout(input);
    else if (fresh.length) {
      if (opened.length) this.openGroupsInGrid(opened, fresh);
      // Grid members of an opened group are placed (and remembered, and shown) already.
      const rest = fresh.filter((id) => !memory.has(id));
      this.placeFresh(rest);
      if (!opened.length) this.revealFresh(rest);
    } else if (seqChanged && input.intent === 'restore') this.view.applyPendingViewport();
    this.remember();
    this.view.updateLabels();
    this.store.getState().setDrawn({ nodes: drawnNodes(cy).length, edges: cy.edges().length, boxes: cy.nodes('.group').length });
    this.publishStyles();
  }

  /** Tells the legend which styles are drawn (it lists only those), when they change. */
  private publishStyles(): void {
    const { cy } = this;
    let styles: string[] | null = null;
    // Past the labels' management a pass over every element's classes at each sync and pick costs more than a
    // complete legend saves.
    if (cy.nodes().nonempty() && cy.elements().length <= DECLUTTER_LIMIT) {
      const p = presenceOf(cy);
      styles = [...[...p.categories!].map((c) => `category:${c}`), ...[...p.providers!].map((v) => `provider:${v}`), ...p.classes!].sort();
    }
    const key = styles ? styles.join('\n') : '';
    if (key === this.lastStyles) return;
    this.lastStyles = key;
    this.store.getState().setDrawnStyles(styles);
  }

  /**
   * Lays everything out afresh, as the mode and size say, then fits. Labels keep a readable size on screen, so the
   * layout is made with labels as large as they will be at the zoom it fits to: laid out at scale 1, fitted, and
   * again at the scale that zoom needs, until the two agree (at most three rounds; force layouts two).
   */
  fullLayout(input: Pick<SyncInput, 'layout' | 'estateShown'>): void {
    const { cy } = this;
    const nodes = drawnNodes(cy);
    if (nodes.empty() && cy.nodes().empty()) return;
    const managed = cy.elements().length <= DECLUTTER_LIMIT;
    const aspect = this.view.stageAspect();
    // A blast radius of some size is drawn in bands by hops from its origin.
    const origin = input.layout !== 'lanes' && !input.estateShown ? this.blastOrigin() : null;
    // Without the force layout's code (it failed to load, or a relayout asked for before it came) the grid is used.
    const force = !origin && input.layout !== 'lanes' && !input.estateShown && cy.elements().length <= FORCE_LAYOUT_LIMIT && nodes.nonempty() && forceLayoutReady();
    this.view.layout.hub = origin;
    this.view.layout.banded = origin !== null;
    const started = performance.now();
    const layered = origin ? markReach(cy, origin) : null;
    if (!origin) clearReach(cy);
    const place = (scale: number, maxWidth?: number) => {
      this.view.setLabelScale(scale, managed, scale);
      const positions = input.layout === 'lanes' ? lanePositions(cy, scale) : force ? forcePositions(cy) : layered ? bandPositions(cy, layered, aspect, scale, maxWidth) : this.grid(aspect, scale);
      cy.batch(() => {
        for (const [id, p] of positions) cy.getElementById(id).position(p);
      });
      separateTopLevel(cy, new Set(), scale);
    };
    let scale = 1;
    let converged = !managed;
    for (let round = 0; round < (managed ? (force ? 2 : 4) : 1); round++) {
      place(scale);
      if (!managed) break;
      const zoom = this.view.viewportFor().zoom;
      // Converged: at the zoom that fits the drawing, labels of the planned size are readable.
      if (NODE_FONT * scale * zoom >= MIN_LABEL_PX * 0.98) {
        converged = true;
        break;
      }
      const next = scaleFor(zoom);
      if (next <= scale * 1.001) break;
      scale = next;
    }
    // Labels that keep growing with the drawing never fit readably: lay out compactly at their model size instead,
    // and show the start of it at the zoom where they are readable.
    // Bands then as wide as the stage at that zoom (where they can be): the first view shows every boundary's column
    // from the origin's band down, and the user scrolls down the hops rather than across.
    if (!converged && scale > 1) place(1, layered ? (cy.width() - 2 * FIT_PAD) / readableZoom(1, managed) - 2 * BOX_PAD : undefined);
    this.routeEdges(layered !== null && managed);
    // The renderer's timing (read by the e2e tests and the bench): the layout's rounds, before the view is set. Only
    // the last is kept (a long session would pile them up).
    performance.clearMeasures('blastmap:layout');
    performance.measure('blastmap:layout', { start: started, detail: { layout: layered ? 'bands' : force ? 'force' : input.layout === 'lanes' ? 'lanes' : 'grid', elements: cy.elements().length } });
    // A new drawing: the legend may open again (where its first view keeps clear of it).
    if (this.store.getState().legendCovers) this.store.getState().setLegendCovers(false);
    if (this.view.applyPendingViewport()) return;
    // Where the whole drawing cannot be shown with readable labels, its start is shown readable instead (a banded blast
    // radius too, past the labels' management: its origin and first bands rather than thousands of unreadable dots).
    if (managed || this.view.layout.banded) this.view.wholeReadable();
    else this.view.fit();
  }

  /**
   * In a banded blast radius, edges whose straight line runs over other nodes (down a column, past the bands between
   * their ends) are bent aside (edge-routes.ts); any other full layout draws every edge as Cytoscape chooses.
   */
  private routeEdges(on: boolean): void {
    const { cy } = this;
    const routed = cy.edges('.routed');
    if (!on) {
      if (routed.nonempty()) cy.batch(() => routed.removeClass('routed'));
      return;
    }
    const nodes = drawnNodes(cy).map((n) => {
      const b = n.boundingBox({ includeLabels: true, includeOverlays: false });
      return { id: n.id(), rect: { x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 } };
    });
    const edges = cy.edges().map((e) => ({ id: e.id(), source: e.source().id(), target: e.target().id(), from: e.source().position(), to: e.target().position() }));
    const bends = routeEdges(edges, nodes);
    cy.batch(() => {
      cy.edges().forEach((e) => {
        const d = bends.get(e.id());
        if (d === undefined) {
          if (e.hasClass('routed')) e.removeClass('routed');
          return;
        }
        e.data('bend', d);
        if (!e.hasClass('routed')) e.addClass('routed');
      });
    });
  }

  /** The grid of boxes, keeping the box it put the others around (a readable start shows it). */
  private grid(aspect: number, scale: number): Map<string, Position> {
    const { positions, hub } = gridPositions(this.cy, aspect, scale);
    this.view.layout.hub = hub;
    return positions;
  }

  /** The blast radius's origin when one is drawn (Blast radius mode): every blast radius is drawn in bands. */
  private blastOrigin(): string | null {
    const { cy } = this;
    const s = this.store.getState();
    if (s.mode !== 'blast' || !s.blast) return null;
    const n = cy.getElementById(s.blast.origin.id);
    return n.nonempty() && n.isNode() && !n.hasClass('group') ? n.id() : null;
  }

  /** New members of opened aggregate groups: a grid by name where the group's count node was. */
  private openGroupsInGrid(opened: string[], fresh: string[]): void {
    const { cy } = this;
    const memory = this.store.getState().positions;
    const nodes = this.store.getState().nodes;
    const aspect = this.view.stageAspect();
    for (const key of opened) {
      const members = fresh
        .map((id) => cy.getElementById(id) as NodeSingular)
        .filter((n) => n.nonempty() && aggregateKey(nodes[n.id()]?.boundary, String(n.data('kind'))) === key)
        .sort((a, b) => String(a.data('label')).localeCompare(String(b.data('label')), 'en', { numeric: true }) || a.id().localeCompare(b.id()));
      if (!members.length) continue;
      const at = memory.get(key) ?? { x: 0, y: 0 };
      // Labels at their model size: the group is shown readable (the whole of it when it fits, else its start).
      this.view.setLabelScale(labelState(cy).layoutScale, labelState(cy).managed, labelState(cy).layoutScale);
      const grid = gridOf(members.map(footprintOf), aspect, { x: 16, y: 6 });
      const x0 = at.x - grid.width / 2;
      const y0 = at.y - grid.height / 2;
      cy.batch(() => {
        for (const m of members) {
          const p = grid.positions.get(m.id())!;
          m.position({ x: x0 + p.x, y: y0 + p.y });
          memory.set(m.id(), m.position());
        }
      });
      const ids = new Set(members.map((m) => m.id()));
      // Whatever the grid now covers moves aside: first inside the group's box, then the boxes around it.
      separateWithin(this.cy, members[0]!.parent().first().id() as string | undefined, ids);
      separateTopLevel(this.cy, ids);
      this.view.showReadable(byIds(cy, ids));
    }
  }

  private placeFresh(ids: string[]): void {
    const { cy } = this;
    if (!ids.length) return;
    this.view.setLabelScale(labelState(cy).layoutScale);
    const memory = this.store.getState().positions;
    const freshSet = new Set(ids);
    const drawn: { id: string; rect: Rect; box?: string; at: Position }[] = [];
    drawnNodes(cy).forEach((n) => {
        if (freshSet.has(n.id())) return;
        const at = n.position();
        const box = n.parent().first().id() as string | undefined;
        drawn.push({ id: n.id(), rect: rectOf(footprintOf(n), at), ...(box ? { box } : {}), at: { ...at } });
      });
    const boxes = new Map<string, Rect>();
    cy.nodes('.group').forEach((g) => {
      if (!g.isParent() && memory.get(g.id()) === undefined) return;
      // A box as its drawn members make it: the new ones are not placed yet (a box of new members only is made by them).
      const rect = g.isParent() ? boxRect(g, freshSet) : rectOfNode(g);
      if (rect) boxes.set(g.id(), rect);
    });
    const add: NewNode[] = ids
      .map((id) => cy.getElementById(id) as NodeSingular)
      .filter((n) => n.nonempty())
      .sort((a, b) => b.degree(false) - a.degree(false) || a.id().localeCompare(b.id()))
      .map((n) => {
        const box = n.parent().first().id() as string | undefined;
        // Drawn neighbours first; a node linked only to new ones goes by those placed before it.
        const around = n.neighborhood('node').map((m) => m.id());
        const drawnAround = around.filter((m) => !freshSet.has(m));
        return { ...footprintOf(n), ...(box ? { box } : {}), anchors: drawnAround.length ? drawnAround : around };
      });
    const placed = placeNew({ drawn, boxes, add });
    cy.batch(() => {
      for (const [id, p] of placed) cy.getElementById(id).position(p);
    });
  }

  /** After an expand: when new nodes fall outside the view, bring them in (with what they hang on). */
  private revealFresh(fresh: string[]): void {
    const { cy } = this;
    const eles = byIds(cy, new Set(fresh));
    if (eles.empty()) return;
    const ext = cy.extent();
    const bb = eles.boundingBox({ includeLabels: false });
    if (bb.x1 >= ext.x1 && bb.x2 <= ext.x2 && bb.y1 >= ext.y1 && bb.y2 <= ext.y2) return;
    this.view.fitTo(eles.union(eles.neighborhood('node')), true);
  }

  /** Writes where every node stands into the store's memory. */
  remember(): void {
    const memory = this.store.getState().positions;
    this.cy.nodes().forEach((n) => {
      if (n.isParent()) return;
      memory.set(n.id(), { ...n.position() });
    });
  }

  highlight(h: Highlight): void {
    const { cy } = this;
    this.lastHighlight = h;
    cy.batch(() => {
      cy.elements('.on-path, .on-path-alt, .faded, .origin, .cut-done').removeClass('on-path on-path-alt faded origin cut-done');
      cy.$(':selected').unselect();
      if (h.selectedId) cy.getElementById(h.selectedId).select();
      if (h.selectedEdge) cy.getElementById(h.selectedEdge).select();
      if (h.originId) cy.getElementById(h.originId).addClass('origin');
      for (const id of h.cutsDone) cy.getElementById(id).addClass('cut-done');
      if (h.path.nodes.size) {
        cy.elements().not('.group').addClass('faded');
        for (const id of h.path.nodes) cy.getElementById(id).removeClass('faded').addClass('on-path');
        for (const id of h.path.edges) cy.getElementById(id).removeClass('faded').addClass('on-path');
        for (const id of h.path.alternatives) cy.getElementById(id).removeClass('faded').addClass('on-path-alt');
      }
    });
    this.view.updateLabels();
    this.publishStyles();
  }

}

/** The sync may lay out with fcose (fullLayout's rule, counted on the visible graph before it is patched in). */
function mayForce(input: SyncInput): boolean {
  const n = input.visible.nodes.length;
  return input.layout !== 'lanes' && !input.estateShown && n > 0 && n + input.visible.edges.length <= FORCE_LAYOUT_LIMIT;
}

/** Classes the canvas adds itself (selection, path, labels): kept when the data's classes are re-applied. */
function keptClasses(ele: cytoscape.SingularElementArgument): string[] {
  return ['on-path', 'on-path-alt', 'faded', 'origin', 'cut-done', 'label-hidden', 'label-cut', 'from-body', 'to-body', 'zoom-label', 'show-label', 'empty-box', 'big', 'faint', 'reach-via'].filter((c) => ele.hasClass(c));
}

/** The drawn nodes with these ids. */
function byIds(cy: Core, ids: Set<string>): cytoscape.NodeCollection {
  return cy.nodes().filter((n) => ids.has(n.id())) as unknown as cytoscape.NodeCollection;
}


