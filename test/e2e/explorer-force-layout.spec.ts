// The force layout on a real cluster's RBAC (kind, test/fixtures/real-exports/kubernetes): a service account's blast
// radius of 144 nodes and 735 edges, where dozens of controllers are bound to the same roles. fcose's draft quality
// (its spectral pass alone, which this size used to get) put nodes alike in their edges on the very same spot. The
// blast radius itself is drawn in bands by hops (every blast radius is); the same drawing laid out again
// from the Explore panel gets fcose.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { canvasSettled, openApp, searchAndPick, settle } from './helpers';
import { servedImport } from './serve';

const ROOT = join(import.meta.dirname, '..', '..');
const KUBE = join(ROOT, 'test', 'fixtures', 'real-exports', 'kubernetes');
const SA = 'kube-system/clusterrole-aggregation-controller';

// A blast radius in bands, then fcose on 880 elements: seconds each on a shared machine.
test.setTimeout(120_000);

const url = servedImport('kind', () => readdirSync(KUBE).filter((f) => f.startsWith('kind-cluster-')).map((f) => join(KUBE, f)), ['--cluster', 'kind']);

test('a blast radius of a few hundred elements: no node drawn on another, in bands or by fcose', async ({ page }, info) => {
  await openApp(page, 'light', url());
  await searchAndPick(page, SA, SA);
  await page.getByTestId('action-blast').click();
  await expect(page.getByTestId('blast-panel')).toBeVisible();
  await settle(page);
  await canvasSettled(page);
  await expectNoOverlap(page, info.outputPath('kind-blast.png'));
  // In bands: every edge but the ones each node is reached by is drawn faint.
  const faint = await page.getByTestId('graph-canvas').evaluate((el) => (el as unknown as { cy: { edges(s: string): { length: number } } }).cy.edges('.faint').length);
  expect(faint).toBeGreaterThan(500);

  // The same drawing from the Explore panel, laid out again: fcose, its edges all plain.
  await page.getByTestId('mode-explore').click();
  await page.getByRole('button', { name: 'Layout' }).click();
  await settle(page);
  await canvasSettled(page);
  const measures = await page.evaluate(() => performance.getEntriesByName('blastmap:layout').map((m) => (m as PerformanceMeasure).detail as { layout: string }));
  expect(measures.at(-1)!.layout).toBe('force');
  expect(await page.getByTestId('graph-canvas').evaluate((el) => (el as unknown as { cy: { edges(s: string): { length: number } } }).cy.edges('.faint').length)).toBe(0);
  await expectNoOverlap(page, info.outputPath('kind-force.png'));
});

async function expectNoOverlap(page: Page, shot: string): Promise<void> {
  const drawn = await page.getByTestId('graph-canvas').evaluate((el) => {
    type Box = { x1: number; x2: number; y1: number; y2: number };
    type N = { id(): string; isParent(): boolean; boundingBox(o: object): Box };
    const cy = (el as unknown as { cy: { nodes(): { filter(f: (n: N) => boolean): N[] & { map<T>(f: (n: N) => T): T[] } }; elements(): { length: number } } }).cy;
    const boxes = cy.nodes().filter((n) => !n.isParent()).map((n) => ({ id: n.id(), b: n.boundingBox({ includeLabels: false, includeOverlays: false }) }));
    return { elements: cy.elements().length, boxes };
  });
  await page.screenshot({ path: shot });
  // Big enough for the layout's larger settings (over 600 elements), under the force layout's limit.
  expect(drawn.elements).toBeGreaterThan(600);
  expect(drawn.elements).toBeLessThanOrEqual(1500);
  const overlapping: string[] = [];
  const { boxes } = drawn;
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!.b;
      const b = boxes[j]!.b;
      if (a.x1 < b.x2 - 1 && b.x1 < a.x2 - 1 && a.y1 < b.y2 - 1 && b.y1 < a.y2 - 1) overlapping.push(`${boxes[i]!.id} / ${boxes[j]!.id}`);
    }
  }
  expect(overlapping).toEqual([]);
}
