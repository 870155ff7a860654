// Working habits (issue #15, item 8) on the demo case: the right-click menu, undo and redo, named views kept in the
// case, the canvas and mode surviving a reload, `/` selecting the old search text.
import { expect, test } from '@playwright/test';
import { canvasSettled, demoUrl, nodePositions, openApp, screenPoint, searchAndPick, openDemoExplore } from './helpers';

const LEAKED = 'AKIAQDEMO7CIDEPLOY42';
const USER = 'arn:aws:iam::111111111111:user/ci-deployer';

test('right-click a node: analyses, expand by edge kind, hide, mark, copy its ARN; undo and redo', async ({ page, context }, info) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openApp(page, 'light', demoUrl());
  await searchAndPick(page, LEAKED, LEAKED);
  await canvasSettled(page);
  const at = await screenPoint(page, USER);
  await page.mouse.click(at.x, at.y, { button: 'right' });
  const menu = page.getByTestId('context-menu');
  await expect(menu).toBeVisible();
  for (const id of ['menu-blast', 'menu-paths-admin', 'menu-expand', 'menu-hide', 'menu-mark-compromised', 'menu-copy-arn']) await expect(menu.getByTestId(id)).toBeVisible();
  // "Paths to here" from the selection (the key), since the menu is on another node.
  await expect(menu.getByTestId('menu-paths-here')).toContainText('Paths to here from');
  await menu.getByTestId('menu-expand-kind').click();
  await expect(menu.getByTestId('menu-expand-MEMBER_OF')).toBeVisible();
  await page.screenshot({ path: info.outputPath('context-menu.png') });
  const drawnBefore = Object.keys(await nodePositions(page));
  await menu.getByTestId('menu-expand-MEMBER_OF').click();
  await canvasSettled(page);
  const withGroup = Object.keys(await nodePositions(page));
  expect(withGroup).toContain('arn:aws:iam::111111111111:group/ci-bots');
  // Only the edge kind asked for came in.
  expect(withGroup.length - drawnBefore.length).toBeGreaterThanOrEqual(1);

  // Copy the ARN.
  const at2 = await screenPoint(page, USER);
  await page.mouse.click(at2.x, at2.y, { button: 'right' });
  await page.getByTestId('menu-copy-arn').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(USER);

  // Hide it; undo brings it back where it was, redo hides it again.
  const where = (await nodePositions(page))[USER];
  const at3 = await screenPoint(page, USER);
  await page.mouse.click(at3.x, at3.y, { button: 'right' });
  await page.getByTestId('menu-hide').click();
  await canvasSettled(page);
  expect(Object.keys(await nodePositions(page))).not.toContain(USER);
  await page.getByTestId('undo').click();
  await canvasSettled(page);
  expect((await nodePositions(page))[USER]).toEqual(where);
  await page.keyboard.press('Control+Shift+Z');
  await canvasSettled(page);
  expect(Object.keys(await nodePositions(page))).not.toContain(USER);
  await page.keyboard.press('Control+Z');
  await canvasSettled(page);
  expect(Object.keys(await nodePositions(page))).toContain(USER);
});

test('right-click an edge: its evidence', async ({ page }) => {
  await openApp(page, 'light', demoUrl());
  await searchAndPick(page, LEAKED, LEAKED);
  await page.getByTestId('action-paths').click();
  await expect(page.getByTestId('path-item').first()).toBeVisible();
  await canvasSettled(page);
  const edge = await page.getByTestId('graph-canvas').evaluate((el) => (el as unknown as { cy: { edges(s: string): { first(): { id(): string } } } }).cy.edges('.on-path').first().id());
  const at = await screenPoint(page, edge);
  await page.mouse.click(at.x, at.y, { button: 'right' });
  await page.getByTestId('menu-edge-evidence').click();
  await expect(page.getByTestId('edge-details')).toBeVisible();
});

test('a named view is kept in the case; the canvas and the mode survive a reload; / selects the old search text', async ({ page, browser }, info) => {
  await openApp(page, 'light', demoUrl());
  await searchAndPick(page, LEAKED, LEAKED);
  await page.getByTestId('action-paths').click();
  await expect(page.getByTestId('path-item').first()).toBeVisible();
  await page.getByTestId('path-item').nth(1).getByTestId('path-toggle').click();
  await canvasSettled(page);
  const positions = await nodePositions(page);

  // A reload at once: the same canvas, mode and highlighted route (what waited to be saved is saved as the page goes).
  await page.reload();
  await expect(page.getByTestId('path-item').nth(1)).toHaveAttribute('data-active', 'true');
  await expect(page.getByTestId('mode-paths')).toHaveAttribute('aria-pressed', 'true');
  await canvasSettled(page);
  expect(await nodePositions(page)).toEqual(positions);

  // Save it by name in the case, open it in another window.
  const name = `route two ${Date.now()}`;
  await page.getByTestId('mode-explore').click();
  await page.getByTestId('view-name').fill(name);
  await page.getByTestId('view-save').click();
  await expect(page.getByTestId('saved-view').filter({ hasText: name })).toBeVisible();
  await page.screenshot({ path: info.outputPath('saved-view.png') });
  const other = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await openDemoExplore(other);
  await other.getByTestId('saved-view').filter({ hasText: name }).getByRole('button', { name, exact: true }).click();
  await expect(other.getByTestId('path-item').nth(1)).toHaveAttribute('data-active', 'true');
  await canvasSettled(other);
  expect(await nodePositions(other)).toEqual(positions);
  await other.getByTestId('mode-explore').click();
  await other.getByRole('button', { name: `Delete the view ${name}` }).click();
  await expect(other.getByTestId('saved-view').filter({ hasText: name })).toHaveCount(0);
  await other.close();

  // `/` puts the cursor in the search box with its old text selected: typing replaces it.
  await page.keyboard.press('Escape');
  await page.locator('body').click({ position: { x: 5, y: 200 } });
  await page.keyboard.press('/');
  await page.keyboard.type('deploy-prod');
  await expect(page.getByTestId('search-input')).toHaveValue('deploy-prod');
});
