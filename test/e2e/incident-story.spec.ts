// The incident story a responder follows: leaked key → blast radius → path to the production admin → findings
// → export. Scenario fixture: test/fixtures/bloodhound/opengraph-story.json (a leaked key of a CI user that can
// reach a role in the production account with admin rights, plus resources on the way).
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openApp, searchAndPick, settle } from './helpers';

test('leaked key → blast radius → path to production admin → findings → PNG export', async ({ page }, info) => {
  await openApp(page, 'light');

  // 1. Paste the leaked key id: the suggestion names it; picking it shows its details.
  await searchAndPick(page, 'AKIAEXAMPLELEAKED001', 'AKIAEXAMPLELEAKED001');
  await expect(page.getByTestId('details-name')).toHaveText('AKIAEXAMPLELEAKED001');

  // 2. Blast radius: five identities (user, group, two roles, the admin account), three resources.
  await page.getByTestId('action-blast').click();
  await expect(page.getByTestId('blast-panel')).toBeVisible();
  await expect(page.getByTestId('blast-count-identities')).toHaveText('5');
  await expect(page.getByTestId('blast-count-resources')).toHaveText('3');
  await expect(page.getByTestId('blast-count-credentials')).toHaveText('0');
  const canvas = page.getByTestId('graph-canvas');
  // The key, what it reaches and the admin nodes; the accounts are the boxes around them.
  await expect(canvas).toHaveAttribute('data-rendered-nodes', /^([7-9]|1\d)$/);
  await settle(page);
  await page.screenshot({ path: info.outputPath('1-blast-radius-light.png') });

  // 3. Paths: the route to the production admin is listed first and highlighted on the canvas.
  await page.getByTestId('mode-paths').click();
  await page.getByTestId('paths-run-selected').click();
  const first = page.getByTestId('path-item').first();
  await expect(first).toContainText('Admin of AWS account 222222222222');
  await expect(first).toContainText('5 steps');
  await expect(first).toContainText('build-runner has a CanAssume edge to prod-deployer');
  await expect(first.getByTestId('path-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(canvas).toHaveAttribute('data-highlighted-edges', '5');
  await settle(page);
  await page.screenshot({ path: info.outputPath('2-path-to-admin-light.png') });

  // Clicking an entry's head toggles its highlight.
  await first.getByTestId('path-toggle').click();
  await expect(canvas).toHaveAttribute('data-highlighted-edges', '0');
  await first.getByTestId('path-toggle').click();
  await expect(canvas).toHaveAttribute('data-highlighted-edges', '5');

  // 4. Findings: the table renders, filters and sorts (the OpenGraph scenario has no posture findings; the demo case does).
  await page.getByTestId('mode-findings').click();
  await expect(page.getByTestId('findings-table')).toBeVisible();
  await expect(page.getByTestId('findings-count')).toContainText('findings');
  await page.getByTestId('findings-filter').fill('AKIAEXAMPLELEAKED001');
  await expect(page.getByTestId('findings-empty')).toBeVisible();
  await page.screenshot({ path: info.outputPath('3-findings-light.png') });

  // 5. Export the view as PNG: a real PNG file downloads.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
  expect(download.suggestedFilename()).toMatch(/^blastmap-.*\.png$/);
  const file = info.outputPath('export.png');
  await download.saveAs(file);
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(bytes.length).toBeGreaterThan(5_000);
});

test('dark theme: blast radius and evidence in the details panel', async ({ page }, info) => {
  await openApp(page, 'dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await searchAndPick(page, 'prod-deployer', 'prod-deployer');
  await expect(page.getByTestId('details-name')).toHaveText('prod-deployer');
  // Each edge in plain words, with the record it comes from.
  const out = page.getByTestId('details-edges-out');
  await expect(out).toContainText('prod-deployer has an AdminOf edge to Admin of AWS account 222222222222');
  await expect(out).toContainText('$.graph.edges[5]');
  await page.getByTestId('action-blast').click();
  await expect(page.getByTestId('blast-count-identities')).toHaveText('1');
  await expect(page.getByTestId('blast-count-resources')).toHaveText('2');
  await settle(page);
  await page.screenshot({ path: info.outputPath('4-blast-radius-dark.png') });

  // Theme toggles back with the toolbar button and the shortcut.
  await page.getByTestId('toggle-theme').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.keyboard.press('t');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  // SVG export of the same view.
  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
  expect(svg.suggestedFilename()).toMatch(/^blastmap-.*\.svg$/);
  const svgFile = info.outputPath('export.svg');
  await svg.saveAs(svgFile);
  expect(readFileSync(svgFile, 'utf8')).toMatch(/<svg[\s\S]*prod-deployer/);

  await page.keyboard.press('?');
  await expect(page.getByTestId('help-panel')).toContainText('Blast radius of the selected node');
  await page.screenshot({ path: info.outputPath('5-help-dark.png') });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('help-panel')).toBeHidden();
});
