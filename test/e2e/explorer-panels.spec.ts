// The blast radius and containment panels (issue #15, items 5 and 6) on the demo case: the counts with high value
// and the boundaries held, complete lists, and the containment plan at parity with the CLI — each cut with its
// evidence and what it also removes, its box kept in the case and shown on the canvas. Expected values come from
// the engine through the CLI.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { canvasSettled, demoUrl, openApp, searchAndPick } from './helpers';

const ROOT = join(import.meta.dirname, '..', '..');
const LEAKED = 'AKIAQDEMO7CIDEPLOY42';

function engine<T>(...args: string[]): T {
  const r = spawnSync(process.execPath, ['dist/blastmap.js', ...args, '--case', process.env['BLASTMAP_DEMO_CASE']!, '--json'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
}

type Plan = { cuts: { action: string; cost: number; pathsCut: number; edge: { id: number; kind: string; evidence: { summary: string }[] }; alsoRemoves?: { kind: string }[] }[]; pathsBefore: number; pathsAfter: number };

test('blast radius: admin, high value and boundaries held in the counts; the export slot; the walk time in words', async ({ page }, info) => {
  const br = engine<{ admins: unknown[]; highValue?: unknown[]; byBoundary: { admin: boolean }[] }>('blast-radius', LEAKED);
  await openApp(page, 'light', demoUrl());
  await searchAndPick(page, LEAKED, LEAKED);
  await page.getByTestId('action-blast').click();
  await expect(page.getByTestId('blast-count-admins')).toHaveText(String(br.admins.length));
  await expect(page.getByTestId('blast-count-high-value')).toHaveText(String(br.highValue?.length ?? 0));
  await expect(page.getByTestId('blast-count-boundaries-admin')).toHaveText(`${br.byBoundary.filter((b) => b.admin).length}/${br.byBoundary.length}`);
  await expect(page.getByTestId('blast-panel')).toContainText(/Walked in (under 1|\d+) ms\./);
  await expect(page.getByTestId('blast-panel')).not.toContainText('level not stated');
  await expect(page.getByTestId('blast-exports')).toBeVisible();
  await page.screenshot({ path: info.outputPath('blast-panel.png') });
});

test('containment at CLI parity: every cut with its evidence and what it also removes; the boxes are kept in the case', async ({ page, browser }, info) => {
  const plan = engine<Plan>('containment', LEAKED);
  await openApp(page, 'light', demoUrl());
  await searchAndPick(page, LEAKED, LEAKED);
  await page.getByTestId('action-blast').click();
  await page.getByTestId('containment-run').click();
  const cuts = page.getByTestId('containment-cut');
  await expect(cuts).toHaveCount(plan.cuts.length);
  await expect(page.getByTestId('containment-summary')).toContainText(`${plan.pathsBefore} path`);
  for (const [i, c] of plan.cuts.entries()) {
    const item = cuts.nth(i);
    await expect(item).toContainText(c.action);
    await expect(item).toContainText(`cost ${c.cost}`);
    await item.getByTestId('containment-evidence').locator('summary').click();
    await expect(item.getByTestId('containment-evidence')).toContainText(c.edge.evidence[0]!.summary);
    await expect(item.getByTestId('containment-also-removes')).toHaveCount(c.alsoRemoves?.length ?? 0);
  }
  await expect(page.getByTestId('containment-checklist')).toContainText(`Deactivate access key ${LEAKED} of ci-deployer`);
  await expect(page.getByTestId('containment-exports')).toBeVisible();

  // Checking a box: the cut is struck through on the canvas and the case keeps it.
  await cuts.first().getByTestId('containment-check').check();
  await expect(page.getByTestId('containment-progress')).toContainText(`1 of ${plan.cuts.length}`);
  await canvasSettled(page);
  const struck = await page.getByTestId('graph-canvas').evaluate((el, id) => (el as unknown as { cy: { getElementById(i: string): { hasClass(c: string): boolean } } }).cy.getElementById(id).hasClass('cut-done'), `e${plan.cuts[0]!.edge.id}`);
  expect(struck).toBe(true);
  await page.screenshot({ path: info.outputPath('containment-checked.png') });

  const other = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await openApp(other, 'light', demoUrl());
  await searchAndPick(other, LEAKED, LEAKED);
  await other.getByTestId('action-blast').click();
  await other.getByTestId('containment-run').click();
  await expect(other.getByTestId('containment-check').first()).toBeChecked();
  // Leave the shared demo case as it was.
  await other.getByTestId('containment-check').first().uncheck();
  await expect(other.getByTestId('containment-progress')).toContainText(`0 of ${plan.cuts.length}`);
  await other.close();
});
