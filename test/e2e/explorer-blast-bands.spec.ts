// A blast radius above the force layout's limit, on BloodHound CE's own sample domain (PHANTOM.CORP,
// test/fixtures/real-exports/bloodhound): a user's blast radius reaches 154 nodes over about 1,400 edges. It used to
// be drawn as a grid with every edge across it; it is drawn in bands by hops from the origin (reach-layers.ts), each
// reached node's "reached via" edge plain and the other edges faint.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { canvasSettled, drawnLabels, openApp, overlappingLabels, searchAndPick, settle } from './helpers';
import { servedImport } from './serve';

const ROOT = join(import.meta.dirname, '..', '..');
const BLOODHOUND = join(ROOT, 'test', 'fixtures', 'real-exports', 'bloodhound');
const USER = 'JD@PHANTOM.CORP';

// The import, a layout of 1,550 elements and Cytoscape's geometry read several times: slow on a shared machine.
test.setTimeout(120_000);

const url = servedImport('bhce', () => readdirSync(BLOODHOUND).filter((f) => f.startsWith('bhce-ad-sample-phantom-corp-')).map((f) => join(BLOODHOUND, f)));

interface Geometry {
  elements: number;
  origin: string;
  nodes: { id: string; label: string; y1: number; y2: number; box: { x1: number; x2: number; y1: number; y2: number } }[];
  edges: { id: string; source: string; target: string; traversable: boolean; faint: boolean; opacity: number; label: string }[];
  view: { zoom: number; x: number; y: number };
  originOnStage: boolean;
  layoutMs: number[];
}

test('a blast radius above the force limit reads from the origin outwards: bands by hop, one plain edge per node', async ({ page }, info) => {
  await openApp(page, 'light', url());
  await searchAndPick(page, USER, USER);
  await page.getByTestId('action-blast').click();
  await expect(page.getByTestId('blast-panel')).toBeVisible();
  await expect(page.getByTestId('blast-count-identities')).toHaveText('154');
  await settle(page);
  await canvasSettled(page);
  await page.screenshot({ path: info.outputPath('bhce-blast-first.png') });

  const read = () =>
    page.getByTestId('graph-canvas').evaluate((el): Geometry => {
      type Box = { x1: number; x2: number; y1: number; y2: number };
      type E = {
        id(): string;
        data(k: string): unknown;
        isParent(): boolean;
        hasClass(c: string): boolean;
        boundingBox(o: object): Box;
        renderedPosition(): { x: number; y: number };
        source(): E;
        target(): E;
        pstyle(n: string): { value?: unknown; strValue?: string };
      };
      type Cy = { elements(): { length: number }; nodes(): { toArray(): E[] }; edges(): { toArray(): E[] }; $(s: string): { first(): E; length: number }; zoom(): number; pan(): { x: number; y: number }; width(): number; height(): number };
      const cy = (el as unknown as { cy: Cy }).cy;
      const origin = cy.$('node.origin').first();
      const p = origin.renderedPosition();
      return {
        elements: cy.elements().length,
        origin: origin.id(),
        nodes: cy
          .nodes()
          .toArray()
          .filter((n) => !n.isParent() && !n.hasClass('group'))
          .map((n) => {
            const b = n.boundingBox({ includeLabels: false, includeOverlays: false });
            return { id: n.id(), label: String(n.data('label')), y1: b.y1, y2: b.y2, box: { x1: b.x1, x2: b.x2, y1: b.y1, y2: b.y2 } };
          }),
        edges: cy
          .edges()
          .toArray()
          .map((e) => ({ id: e.id(), source: e.source().id(), target: e.target().id(), traversable: !e.hasClass('not-traversable'), faint: e.hasClass('faint'), opacity: Number(e.pstyle('opacity').value), label: e.pstyle('label').strValue ?? '' })),
        view: { zoom: cy.zoom(), ...cy.pan() },
        originOnStage: p.x > 0 && p.x < cy.width() && p.y > 0 && p.y < cy.height(),
        layoutMs: (performance.getEntriesByName('blastmap:layout') as PerformanceMeasure[]).filter((m) => (m.detail as { layout: string }).layout === 'bands').map((m) => m.duration),
      };
    });
  const g = await read();
  // Above the force layout's limit (layouts.ts FORCE_LAYOUT_LIMIT), under the drawing budget.
  expect(g.elements).toBeGreaterThan(1500);
  expect(g.layoutMs.length).toBeGreaterThan(0);
  info.annotations.push({ type: 'bands-layout-ms', description: g.layoutMs.map((m) => m.toFixed(0)).join(', ') });

  // Hops from the origin, breadth-first over the edges that grant access between drawn nodes (a boundary drawn as the
  // box around its members is not a band's node), computed here from Cytoscape's edges.
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const hop = new Map<string, number>([[g.origin, 0]]);
  const out = new Map<string, string[]>();
  for (const e of g.edges) if (e.traversable && byId.has(e.source) && byId.has(e.target)) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  for (let band = [g.origin]; band.length; ) {
    const next: string[] = [];
    for (const u of band) {
      for (const v of out.get(u) ?? []) {
        if (hop.has(v)) continue;
        hop.set(v, hop.get(u)! + 1);
        next.push(v);
      }
    }
    band = next;
  }
  const deepest = Math.max(...hop.values());
  expect(deepest).toBeGreaterThanOrEqual(2);
  expect(hop.size).toBeGreaterThan(150);
  // Ordered outwards: every node of a band is drawn wholly below every node of the band before it.
  for (let h = 1; h <= deepest; h++) {
    const above = [...hop].filter(([, d]) => d === h - 1).map(([id]) => byId.get(id)!);
    const below = [...hop].filter(([, d]) => d === h).map(([id]) => byId.get(id)!);
    expect(Math.max(...above.map((n) => n.y2)), `band ${h - 1} above band ${h}`).toBeLessThan(Math.min(...below.map((n) => n.y1)));
  }

  // No node shape on another.
  const overlapping: string[] = [];
  for (let i = 0; i < g.nodes.length; i++) {
    for (let j = i + 1; j < g.nodes.length; j++) {
      const a = g.nodes[i]!.box;
      const b = g.nodes[j]!.box;
      if (a.x1 < b.x2 - 1 && b.x1 < a.x2 - 1 && a.y1 < b.y2 - 1 && b.y1 < a.y2 - 1) overlapping.push(`${g.nodes[i]!.label} / ${g.nodes[j]!.label}`);
    }
  }
  expect(overlapping).toEqual([]);

  // The plain / faint split: each reached node has exactly one plain in-edge, from the band just before it; the
  // others are faint and unlabelled.
  for (const [id, d] of hop) {
    if (d === 0) continue;
    const plain = g.edges.filter((e) => e.target === id && !e.faint);
    expect(plain.length, `plain in-edges of ${byId.get(id)!.label}`).toBe(1);
    expect(hop.get(plain[0]!.source)).toBe(d - 1);
  }
  const faint = g.edges.filter((e) => e.faint);
  expect(faint.length).toBeGreaterThan(g.edges.length / 2);
  for (const e of faint) {
    expect(e.opacity).toBeLessThan(0.5);
    expect(e.label).toBe('');
  }
  for (const e of g.edges.filter((x) => !x.faint)) expect(e.opacity).toBeGreaterThan(0.5);

  // The first view: the origin on the stage, labels readable and none on another.
  expect(g.originOnStage).toBe(true);
  const labels = await drawnLabels(page);
  expect(labels.length).toBeGreaterThan(8);
  for (const l of labels) expect(l.px, l.text).toBeGreaterThanOrEqual(11);
  expect(overlappingLabels(labels)).toEqual([]);

  // The view does not jump once drawn.
  await page.waitForTimeout(1500);
  await canvasSettled(page);
  expect((await read()).view).toEqual(g.view);

  // A faint edge is still there to pick: picked, it is drawn plainly with its label, and the details explain it.
  const pick = faint.find((e) => e.source === g.origin) ?? faint[0]!;
  await page.getByTestId('graph-canvas').evaluate((el, id) => {
    // (Nothing returned: emit returns the element, which would be serialised back with all of Cytoscape behind it.)
    (el as unknown as { cy: { getElementById(i: string): { emit(e: string): void } } }).cy.getElementById(id).emit('tap');
  }, pick.id);
  await expect(page.getByTestId('edge-details')).toBeVisible();
  const picked = (await read()).edges.find((e) => e.id === pick.id)!;
  expect(picked.opacity).toBe(1);
  expect(picked.label).not.toBe('');
  // And the origin's details list its edges, faint ones included.
  await page.getByTestId('graph-canvas').evaluate((el, id) => {
    // (Nothing returned: emit returns the element, which would be serialised back with all of Cytoscape behind it.)
    (el as unknown as { cy: { getElementById(i: string): { emit(e: string): void } } }).cy.getElementById(id).emit('tap');
  }, g.origin);
  const listed = page.getByTestId('details-edges-out');
  await expect(listed).toBeVisible();
  const target = byId.get(faint.find((e) => e.source === g.origin)?.target ?? '')?.label;
  if (target) {
    await listed.evaluate((el) => ((el as HTMLDetailsElement).open = true));
    await expect(listed).toContainText(target.replace(/@.*/, ''));
  }
  await page.getByRole('button', { name: 'Fit' }).click();
  await canvasSettled(page);
  await page.screenshot({ path: info.outputPath('bhce-blast-fit.png') });
});
