// Paths you can read (issue #15, item 1) on the demo case: routes rather than edge sequences, steps that select
// their edge and keep the route highlighted, parallel edges drawn apart and each selectable, plain-word labels on
// the path and no label of the path view too small or on top of another (checked with Cytoscape's geometry).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { canvasSettled, demoUrl, drawnLabels, openApp, overlappingLabels, screenPoint, searchAndPick } from './helpers';

const ROOT = join(import.meta.dirname, '..', '..');
const LEAKED = 'AKIAQDEMO7CIDEPLOY42';

type Path = { steps: { from: { id: string }; to: { id: string } }[] };
function cliPaths(to: string): Path[] {
  const r = spawnSync(process.execPath, ['dist/blastmap.js', 'paths', LEAKED, '--to', to, '--k', '20', '--case', process.env['BLASTMAP_DEMO_CASE']!, '--json'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Path[];
}

async function openPaths(page: Page): Promise<void> {
  await openApp(page, 'light', demoUrl());
  await searchAndPick(page, LEAKED, LEAKED);
  await page.getByTestId('action-paths').click();
  await expect(page.getByTestId('path-item').first()).toBeVisible();
  await canvasSettled(page);
}

test('routes, not edge sequences: one entry per route, the parallel edges listed on the step', async ({ page }, info) => {
  // What the engine says: the routes to any admin or any high-value node (the panel asks both).
  const routes = new Set([...cliPaths('admin'), ...cliPaths('high-value')].map((p) => [p.steps[0]!.from.id, ...p.steps.map((s) => s.to.id)].join('>')));
  await openPaths(page);
  await expect(page.getByTestId('path-item')).toHaveCount(routes.size);
  const first = page.getByTestId('path-item').first();
  await expect(first).toContainText('Admin of AWS account 222222222222');
  // The key both authenticates as its user and was seen in use: one step, the observation under it.
  await expect(first.getByTestId('path-step').first()).toHaveText(/ci-deployer access key 1 authenticates as ci-deployer/);
  await expect(first.getByTestId('path-step-alt').filter({ hasText: 'was seen using' }).first()).toBeVisible();
  await page.screenshot({ path: info.outputPath('paths-routes.png') });
});

test('a step selects its edge and opens its evidence, and the route stays highlighted', async ({ page }, info) => {
  await openPaths(page);
  const canvas = page.getByTestId('graph-canvas');
  const first = page.getByTestId('path-item').first();
  await expect(first.getByTestId('path-toggle')).toHaveAttribute('aria-pressed', 'true');
  const highlighted = await canvas.getAttribute('data-highlighted-edges');
  expect(Number(highlighted)).toBeGreaterThan(2);

  await first.getByTestId('path-step').nth(1).click();
  await expect(page.getByTestId('edge-details')).toContainText('can assume');
  await expect(page.getByTestId('edge-details')).toContainText(/Statement|trust/i);
  await expect(first.getByTestId('path-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(canvas).toHaveAttribute('data-highlighted-edges', highlighted!);

  // The alternative of the same step: the observed use, selectable on its own.
  await first.getByTestId('path-step-alt').filter({ hasText: 'was seen using deploy-prod' }).click();
  await expect(page.getByTestId('edge-details')).toContainText('ci-deployer was seen using deploy-prod');
  await expect(canvas).toHaveAttribute('data-highlighted-edges', highlighted!);
  await page.screenshot({ path: info.outputPath('paths-step-selected.png') });
});

test('parallel edges are drawn apart and each can be clicked on the canvas; a click keeps the highlight', async ({ page }) => {
  await openPaths(page);
  const canvas = page.getByTestId('graph-canvas');
  const highlighted = await canvas.getAttribute('data-highlighted-edges');
  // ci-deployer → deploy-prod: a permission (can assume) and an observation (was seen using).
  const pair = await canvas.evaluate((el) => {
    type E = { id(): string; data(k: string): string; renderedMidpoint(): { x: number; y: number } };
    const cy = (el as unknown as { cy: { edges(): { toArray(): E[] } } }).cy;
    const between = cy.edges().toArray().filter((e) => e.data('source') === 'arn:aws:iam::111111111111:user/ci-deployer' && e.data('target') === 'arn:aws:iam::222222222222:role/deploy-prod');
    return between.map((e) => ({ id: e.id(), kind: e.data('kind'), mid: e.renderedMidpoint() }));
  });
  expect(pair.map((p) => p.kind).sort()).toEqual(['CAN_ASSUME', 'OBSERVED_USE']);
  const [a, b] = pair;
  expect(Math.hypot(a!.mid.x - b!.mid.x, a!.mid.y - b!.mid.y)).toBeGreaterThan(12);
  const observed = pair.find((p) => p.kind === 'OBSERVED_USE')!;
  const at = await screenPoint(page, observed.id);
  await page.mouse.click(at.x, at.y);
  await expect(page.getByTestId('edge-details')).toContainText('was seen using');
  await expect(canvas).toHaveAttribute('data-highlighted-edges', highlighted!);
  const can = pair.find((p) => p.kind === 'CAN_ASSUME')!;
  const at2 = await screenPoint(page, can.id);
  await page.mouse.click(at2.x, at2.y);
  await expect(page.getByTestId('edge-details')).toContainText('ci-deployer can assume deploy-prod');
});

test('path view: plain-word labels on the path, every label readable (≥ 11 px) and none on top of another', async ({ page }, info) => {
  await openPaths(page);
  const labels = await drawnLabels(page);
  expect(labels.length).toBeGreaterThan(5);
  for (const l of labels) expect(l.px, `${l.text} is ${l.px.toFixed(1)} px`).toBeGreaterThanOrEqual(11);
  expect(overlappingLabels(labels)).toEqual([]);
  // Every node and step of the highlighted route is labelled, steps in words.
  const onPath = labels.filter((l) => l.onPath).map((l) => l.text);
  for (const word of ['authenticates as', 'can assume', 'can escalate to', 'admin of']) expect(onPath).toContain(word);
  for (const name of ['ci-deployer', 'deploy-prod', 'ops-automation']) expect(onPath).toContain(name);
  expect(onPath.some((t) => /^[A-Z_]+$/.test(t))).toBe(false);
  await page.screenshot({ path: info.outputPath('paths-labels.png') });
});
