// The element budget: a blast radius of 2,400 nodes must not be drawn node by node unless the user asks.
// The graph comes from large-fixture.ts (imported by the global setup).
import { expect, test } from '@playwright/test';
import { canvasSettled, drawnLabels, openApp, searchAndPick, settle } from './helpers';

// Drawing 4,800 elements takes a few seconds of CPU; the CI machine is shared.
test.setTimeout(180_000);

test('above the budget the canvas aggregates per boundary and kind, and draws everything only on request', async ({ page }, info) => {
  await openApp(page, 'dark');
  await searchAndPick(page, 'big-hub-deployer', 'big-hub-deployer');
  await page.getByTestId('action-blast').click();
  await expect(page.getByTestId('blast-count-identities')).toHaveText('1,200');
  await expect(page.getByTestId('blast-count-resources')).toHaveText('1,200');

  const canvas = page.getByTestId('graph-canvas');
  await expect(page.getByTestId('aggregate-banner')).toContainText('4,801 elements');
  // The hub and one count node per kind.
  await expect(canvas).toHaveAttribute('data-rendered-nodes', '3');
  await settle(page);
  await page.screenshot({ path: info.outputPath('aggregated.png') });

  // Every list is complete (virtualised, not cut at 50): the last of the 1,200 identities scrolls into view.
  await page.getByTestId('reached-identities').locator('summary').click();
  const list = page.getByTestId('reached-identities-list');
  await expect(list).toHaveAttribute('aria-rowcount', '1200');
  await list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(list.getByText('big-svc-999', { exact: true })).toBeVisible();
  const started = Date.now();
  await page.getByTestId('render-all').click();
  await expect(canvas).toHaveAttribute('data-rendered-nodes', '2401', { timeout: 60_000 });
  await page.getByTestId('mode-explore').click();
  await expect(page.getByTestId('explore-panel')).toBeVisible();
  info.annotations.push({ type: 'render-all-ms', description: String(Date.now() - started) });
  await settle(page);
  await page.screenshot({ path: info.outputPath('render-all.png'), timeout: 60_000 });

  // Zoomed in, the drawn nodes carry their labels (never smaller than 11 px on screen).
  await page.evaluate(() => {
    const cy = (document.querySelector('[data-testid="graph-canvas"]') as unknown as { cy: { getElementById(i: string): { position(): { x: number; y: number } }; zoom(o: object): void } }).cy;
    cy.zoom({ level: 1.6, position: cy.getElementById('og:big-hub').position() });
  });
  await canvasSettled(page);
  const labels = await drawnLabels(page);
  expect(labels.length).toBeGreaterThan(5);
  for (const l of labels) expect(l.px).toBeGreaterThanOrEqual(11);
  await page.screenshot({ path: info.outputPath('render-all-zoomed.png'), timeout: 60_000 });

  // A wheel zoom and its settle restyle nothing: a restyle of every edge would throw away the layered textures
  // Cytoscape draws the next steps from (each step then a full draw of 4,800 elements).
  await page.evaluate(() => {
    const w = window as unknown as { __styled: number };
    w.__styled = 0;
    const cy = (document.querySelector('[data-testid="graph-canvas"]') as unknown as { cy: { on(e: string, f: () => void): void } }).cy;
    cy.on('style', () => w.__styled++);
  });
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 240);
  await page.waitForTimeout(400);
  await canvasSettled(page);
  expect(await page.evaluate(() => (window as unknown as { __styled: number }).__styled)).toBeLessThan(50);
});

test('a narrow window: the toolbar keeps its tools on screen and the counts give way', async ({ page }) => {
  await page.setViewportSize({ width: 1000, height: 760 });
  await openApp(page, 'light');
  const toolbar = page.locator('header.toolbar');
  const fits = await toolbar.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
  expect(fits).toBe(true);
  // The last tool (help) is inside the window, and the full counts stay readable in the title.
  const help = await page.getByTestId('open-help').boundingBox();
  expect(help && help.x + help.width).toBeLessThanOrEqual(1000);
  await expect(page.getByTestId('case-counts')).toHaveAttribute('title', /\d nodes · [\d,]+ edges · [\d,]+ findings/);
});
