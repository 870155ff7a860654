import { expect, type Page } from '@playwright/test';

export function serverUrl(): string {
  const url = process.env['BLASTMAP_URL'];
  if (!url) throw new Error('BLASTMAP_URL is not set: run through playwright.config.ts (its global setup starts the server)');
  return url;
}

/** The server of the built-in demo case (assets/demo), started by the global setup. */
export function demoUrl(): string {
  const url = process.env['BLASTMAP_DEMO_URL'];
  if (!url) throw new Error('BLASTMAP_DEMO_URL is not set: run through playwright.config.ts');
  return url;
}

/** Opens the app with a fixed theme (saved before the page's scripts run). */
export async function openApp(page: Page, theme: 'light' | 'dark' = 'light', url = serverUrl()): Promise<void> {
  await page.addInitScript((t) => localStorage.setItem('blastmap.theme', t), theme);
  await page.goto(url);
  await expect(page.getByTestId('case-counts')).toBeVisible();
}

/**
 * Opens the demo case on the Explore panel: the demo holds a compromised key, so the app first opens on Triage
 * (the map is on the canvas either way).
 */
export async function openDemoExplore(page: Page, theme: 'light' | 'dark' = 'light'): Promise<void> {
  await openApp(page, theme, demoUrl());
  await expect(page.getByTestId('mode-triage')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('mode-explore').click();
}

/** Types into the search box and picks the suggestion whose text contains `pick`. */
export async function searchAndPick(page: Page, text: string, pick: string): Promise<void> {
  await page.getByTestId('search-input').fill(text);
  const suggestion = page.getByTestId('search-suggestion').filter({ hasText: pick }).first();
  // The first query of a big case waits for its graph index to load behind the first screen's.
  await expect(suggestion).toBeVisible({ timeout: 30_000 });
  await suggestion.click();
}

export async function settle(page: Page): Promise<void> {
  // Layouts animate for ~350 ms; screenshots wait for them, and for the canvas to stop moving on a loaded machine.
  await page.waitForTimeout(900);
  if ((await page.getByTestId('graph-canvas').count()) > 0) await canvasSettled(page);
}

/** The server of the generated 20,000-node estate (large-fixture.ts estate20k), started by the global setup. */
export function estateUrl(): string {
  const url = process.env['BLASTMAP_20K_URL'];
  if (!url) throw new Error('BLASTMAP_20K_URL is not set: run through playwright.config.ts');
  return url;
}

export interface DrawnLabel {
  id: string;
  text: string;
  /** On-screen font size in pixels. */
  px: number;
  /** The label's box on screen (Cytoscape's own measure of it). */
  box: { x1: number; y1: number; x2: number; y2: number };
  onPath: boolean;
}

/**
 * Every label Cytoscape draws right now, measured by Cytoscape: text, on-screen size and box. A label is drawn when
 * it has text, is not hidden (text-opacity 0), its element is visible and Cytoscape's minimum zoomed size lets it.
 */
export async function drawnLabels(page: Page): Promise<DrawnLabel[]> {
  return page.getByTestId('graph-canvas').evaluate((el) => {
    type Style = { value?: unknown; pfValue?: number; strValue?: string };
    type Ele = {
      id(): string;
      visible(): boolean;
      hasClass(c: string): boolean;
      pstyle(n: string): Style;
      boundingBox(o: object): { x1: number; y1: number; x2: number; y2: number };
    };
    const cy = (el as unknown as { cy: { zoom(): number; pan(): { x: number; y: number }; elements(): { toArray(): Ele[] } } }).cy;
    const zoom = cy.zoom();
    const pan = cy.pan();
    const texture = Math.pow(2, Math.ceil(Math.log2(zoom)));
    const out: DrawnLabel[] = [];
    for (const e of cy.elements().toArray()) {
      const text = e.pstyle('label').strValue ?? '';
      if (!text || !e.visible() || Number(e.pstyle('text-opacity').value) === 0) continue;
      const font = e.pstyle('font-size').pfValue ?? 0;
      if (font * texture < (e.pstyle('min-zoomed-font-size').pfValue ?? 0)) continue;
      const b = e.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeMainLabels: true, includeSourceLabels: false, includeTargetLabels: false, includeOverlays: false, includeUnderlays: false });
      out.push({ id: e.id(), text, px: font * zoom, box: { x1: b.x1 * zoom + pan.x, y1: b.y1 * zoom + pan.y, x2: b.x2 * zoom + pan.x, y2: b.y2 * zoom + pan.y }, onPath: e.hasClass('on-path') });
    }
    return out;
  });
}

/** Pairs of drawn labels whose boxes overlap on screen by more than `tolerance` pixels each way. */
type Box = { x1: number; y1: number; x2: number; y2: number };

/** Every label drawn readable (≥ 11 px), whole on a stage of w × h (none cut by its edges) and not under `covered`. */
export function expectLabelsReadableAndClear(labels: DrawnLabel[], stage: { w: number; h: number }, covered: (b: Box) => boolean): void {
  for (const x of labels) {
    expect(x.px, `${x.text} is ${x.px.toFixed(1)} px`).toBeGreaterThanOrEqual(11);
    expect(x.box.x1 >= -1 && x.box.y1 >= -1 && x.box.x2 <= stage.w + 1 && x.box.y2 <= stage.h + 1, `${x.text} is cut by the stage's edge`).toBe(true);
    expect(covered(x.box), `${x.text} is under the legend`).toBe(false);
  }
}

export function overlappingLabels(labels: DrawnLabel[], tolerance = 1): [string, string][] {
  const out: [string, string][] = [];
  const sorted = [...labels].sort((a, b) => a.box.x1 - b.box.x1);
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j]!;
      if (b.box.x1 >= a.box.x2 - tolerance) break;
      if (a.box.x1 < b.box.x2 - tolerance && b.box.x1 < a.box.x2 - tolerance && a.box.y1 < b.box.y2 - tolerance && b.box.y1 < a.box.y2 - tolerance) out.push([a.text, b.text]);
    }
  }
  return out;
}

/** Model positions of the drawn nodes (boxes excluded), rounded to a tenth. */
export async function nodePositions(page: Page): Promise<Record<string, { x: number; y: number }>> {
  return page.getByTestId('graph-canvas').evaluate((el) => {
    type N = { id(): string; isParent(): boolean; hasClass(c: string): boolean; position(): { x: number; y: number } };
    const cy = (el as unknown as { cy: { nodes(): { toArray(): N[] } } }).cy;
    const out: Record<string, { x: number; y: number }> = {};
    for (const n of cy.nodes().toArray()) {
      if (n.isParent() || n.hasClass('group')) continue;
      const p = n.position();
      out[n.id()] = { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 };
    }
    return out;
  });
}

/** Where an element is on the page (for clicks): a node's centre, an edge's midpoint. */
export async function screenPoint(page: Page, id: string): Promise<{ x: number; y: number }> {
  const canvas = page.getByTestId('graph-canvas');
  const box = (await canvas.boundingBox())!;
  const p = await canvas.evaluate((el, eid) => {
    type E = { isNode(): boolean; renderedPosition(): { x: number; y: number }; renderedMidpoint(): { x: number; y: number }; empty(): boolean };
    const e = (el as unknown as { cy: { getElementById(i: string): E } }).cy.getElementById(eid);
    if (e.empty()) throw new Error(`${eid} is not drawn`);
    return e.isNode() ? e.renderedPosition() : e.renderedMidpoint();
  }, id);
  return { x: box.x + p.x, y: box.y + p.y };
}

/**
 * Waits until the canvas has laid out what the store asked for: no viewport animation running, and the viewport,
 * the drawn nodes and their positions unchanged for 300 ms. A fixed wait was not enough on a loaded machine, where a
 * pick's neighbours arrive and its fit animation starts later than usual.
 */
export async function canvasSettled(page: Page): Promise<void> {
  await page.waitForTimeout(250);
  await page.getByTestId('graph-canvas').evaluate(
    (el) =>
      new Promise<void>((resolve, reject) => {
        type Cy = { animated(): boolean; zoom(): number; pan(): { x: number; y: number }; nodes(): { map<T>(f: (n: { id(): string; position(): { x: number; y: number } }) => T): T[] } };
        const cy = (el as unknown as { cy: Cy }).cy;
        const sign = (): string => {
          const p = cy.pan();
          return `${cy.zoom()}|${p.x}|${p.y}|${cy.nodes().map((n) => `${n.id()}@${n.position().x},${n.position().y}`).join(';')}`;
        };
        const started = performance.now();
        let last = sign();
        let since = performance.now();
        const tick = (): void => {
          const now = performance.now();
          const s = sign();
          if (s !== last || cy.animated()) {
            last = s;
            since = now;
          }
          if (now - since >= 300) return resolve();
          if (now - started > 15_000) return reject(new Error('the canvas did not settle within 15 s'));
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
  );
}

export interface MapGeometry {
  /** Trust arrows between boxes, from where they leave their source to where they meet their target (model). */
  arrows: { id: string; source: string; target: string; from: { x: number; y: number }; to: { x: number; y: number } }[];
  /** Boxes: their body, and their title's box (for a card, inside the body). */
  boxes: { id: string; card: boolean; body: { x1: number; y1: number; x2: number; y2: number }; title: { x1: number; y1: number; x2: number; y2: number } }[];
}

/** The estate map's boxes and trust arrows as Cytoscape drew them, in model coordinates. */
export async function mapGeometry(page: Page): Promise<MapGeometry> {
  return page.getByTestId('graph-canvas').evaluate((el) => {
    type P = { x: number; y: number };
    type BB = { x1: number; y1: number; x2: number; y2: number };
    type E = { id(): string; hasClass(c: string): boolean; data(k: string): string; boundingBox(o?: object): BB; sourceEndpoint(): P; targetEndpoint(): P };
    const cy = (el as unknown as { cy: { edges(s: string): { toArray(): E[] }; nodes(s: string): { toArray(): E[] } } }).cy;
    const box = (b: BB) => ({ x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 });
    return {
      arrows: cy
        .edges('.trust')
        .toArray()
        .map((e) => ({ id: e.id(), source: e.data('source'), target: e.data('target'), from: { ...e.sourceEndpoint() }, to: { ...e.targetEndpoint() } })),
      boxes: cy
        .nodes('.group')
        .toArray()
        .map((g) => ({
          id: g.id(),
          card: g.hasClass('empty-box'),
          body: box(g.boundingBox({ includeLabels: false })),
          title: box(g.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false })),
        })),
    };
  });
}

/**
 * Edges whose drawn path passes over a node that is not one of its ends (its shape, shrunk by `tolerance`), as
 * `source → target over node` labels: points sampled along each edge as Cytoscape draws it (straight from endpoint to
 * endpoint, or its quadratic pieces through the control points and the midpoints between them).
 */
export async function edgesOverNodes(page: Page, tolerance = 1): Promise<string[]> {
  return page.getByTestId('graph-canvas').evaluate((el, tol) => {
    type P = { x: number; y: number };
    type Box = { x1: number; y1: number; x2: number; y2: number };
    type N = { id(): string; data(k: string): unknown; hasClass(c: string): boolean; isParent(): boolean; boundingBox(o: object): Box };
    type E = { source(): N; target(): N; visible(): boolean; sourceEndpoint(): P; targetEndpoint(): P; controlPoints(): P[] | undefined; pstyle(n: string): { strValue?: string } };
    const cy = (el as unknown as { cy: { nodes(): { toArray(): N[] }; edges(): { toArray(): E[] } } }).cy;
    const nodes = cy
      .nodes()
      .toArray()
      .filter((n) => !n.isParent() && !n.hasClass('group'))
      .map((n) => ({ n, b: n.boundingBox({ includeLabels: false, includeOverlays: false }) }));
    const out: string[] = [];
    for (const e of cy.edges().toArray()) {
      if (!e.visible() || e.pstyle('curve-style').strValue === 'haystack') continue;
      const from = e.sourceEndpoint();
      const to = e.targetEndpoint();
      const cps = e.controlPoints() ?? [];
      const pts: P[] = [];
      let start = from;
      const pieces = cps.length ? cps : [null];
      for (let k = 0; k < pieces.length; k++) {
        const c = pieces[k];
        const next = cps[k + 1];
        const end = next && c ? { x: (c.x + next.x) / 2, y: (c.y + next.y) / 2 } : to;
        for (let i = 0; i <= 24; i++) {
          const t = i / 24;
          const u = 1 - t;
          pts.push(c ? { x: u * u * start.x + 2 * u * t * c.x + t * t * end.x, y: u * u * start.y + 2 * u * t * c.y + t * t * end.y } : { x: u * start.x + t * end.x, y: u * start.y + t * end.y });
        }
        start = end;
      }
      const ends = new Set([e.source().id(), e.target().id()]);
      for (const { n, b } of nodes) {
        if (ends.has(n.id())) continue;
        if (pts.some((p) => p.x > b.x1 + tol && p.x < b.x2 - tol && p.y > b.y1 + tol && p.y < b.y2 - tol)) out.push(`${String(e.source().data('label'))} → ${String(e.target().data('label'))} over ${String(n.data('label'))}`);
      }
    }
    return out;
  }, tolerance);
}
