// The compare view on the demo case: against a second variant of the demo (a newer kubectl export with two new
// bindings imported), and the same file tested as plan-impact. Screenshots in test-results/e2e/compare/.
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoUrl, openApp, settle } from './helpers';

const ROOT = join(import.meta.dirname, '..', '..');
const NEW_BINDINGS = join(ROOT, 'test', 'fixtures', 'compare', 'kubectl-prod-eks-new-bindings.json');
const SHOTS = join(ROOT, 'test-results', 'e2e', 'compare');

let dir: string;
let variant: string;

test.beforeAll(() => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'blastmap-e2e-compare-'));
  variant = join(dir, 'demo-new-bindings.blastmap');
  // A second variant of the demo, built as a user would: `blastmap demo`, then one more import.
  for (const args of [
    ['demo', '--case', variant],
    ['import', NEW_BINDINGS, '--case', variant, '--cluster', 'prod-eks'],
  ]) {
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'blastmap.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`blastmap ${args[0]} failed: ${r.stderr}`);
  }
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface DrawnElement {
  id: string;
  classes: string[];
  line?: string;
  border?: string;
  box: { x1: number; y1: number; x2: number; y2: number };
}

/** What Cytoscape drew: each element's classes, colours and rendered box (read from the canvas's own instance). */
async function drawn(page: Page): Promise<{ nodes: DrawnElement[]; edges: DrawnElement[]; width: number; height: number }> {
  return page.evaluate(() => {
    type El = { id(): string; classes(): string[]; style(name: string): string; renderedBoundingBox(o?: object): { x1: number; y1: number; x2: number; y2: number }; isNode(): boolean };
    const host = document.querySelector('[data-testid="graph-canvas"]') as unknown as { _cyreg: { cy: { elements(): { toArray(): El[] }; width(): number; height(): number } } };
    const cy = host._cyreg.cy;
    const all = cy.elements().toArray();
    const view = (e: El) => ({ id: e.id(), classes: e.classes(), box: e.renderedBoundingBox({ includeLabels: false }), ...(e.isNode() ? { border: e.style('border-color') } : { line: e.style('line-color') }) });
    return { nodes: all.filter((e) => e.isNode()).map(view), edges: all.filter((e) => !e.isNode()).map(view), width: cy.width(), height: cy.height() };
  });
}

const GREEN = 'rgb(22,163,74)';
const RED = 'rgb(220,38,38)';

test('compares the demo with a variant case: new paths to admin in green on one layout, listed beside it', async ({ page }) => {
  await openApp(page, 'light', demoUrl());
  await page.getByTestId('mode-compare').click();
  await expect(page.getByTestId('compare-panel')).toBeVisible();
  await page.getByTestId('compare-other-is').selectOption('after');
  await page.getByTestId('compare-case-input').setInputFiles(variant);
  const verdict = page.getByTestId('compare-verdict');
  await expect(verdict).toHaveAttribute('data-verdict', 'worse');
  await expect(page.getByTestId('compare-stat-new-admin')).not.toContainText(/^0/);
  const first = page.getByTestId('compare-path-item').first();
  await expect(first).toContainText('payments-api-token');
  await expect(first).toContainText('cluster-admin of prod-eks');
  await expect(page.getByTestId('compare-finding-item').first()).toContainText('has cluster-admin of prod-eks');
  await settle(page);
  await page.screenshot({ path: join(SHOTS, 'compare-case.png') });
  // The lists further down: blast radius per credential, findings, edges.
  await page.getByTestId('compare-edges').locator('summary').click();
  await page.getByTestId('compare-findings').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('compare-edge-item').first()).toContainText('payments/payments-api is cluster-admin of prod-eks');
  await page.getByTestId('sidebar-compare').screenshot({ path: join(SHOTS, 'compare-case-lists.png') });

  const g = await drawn(page);
  const added = g.edges.filter((e) => e.classes.includes('diff-added'));
  expect(added.length).toBeGreaterThanOrEqual(3);
  for (const e of added) expect(e.line?.replace(/\s/g, '')).toBe(GREEN);
  expect(g.edges.some((e) => e.classes.includes('diff-removed'))).toBe(false);
  // The whole comparison is in view, and no two changed nodes sit on each other.
  const changedNodes = g.nodes.filter((n) => !n.classes.includes('group'));
  for (const n of changedNodes) {
    expect(n.box.x1, n.id).toBeGreaterThanOrEqual(-1);
    expect(n.box.y1, n.id).toBeGreaterThanOrEqual(-1);
    expect(n.box.x2, n.id).toBeLessThanOrEqual(g.width + 1);
    expect(n.box.y2, n.id).toBeLessThanOrEqual(g.height + 1);
  }
  for (let i = 0; i < changedNodes.length; i++) {
    for (let j = i + 1; j < changedNodes.length; j++) {
      const a = changedNodes[i]!.box;
      const b = changedNodes[j]!.box;
      const overlap = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1)) * Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
      expect(overlap, `${changedNodes[i]!.id} over ${changedNodes[j]!.id}`).toBeLessThan(0.25 * (a.x2 - a.x1) * (a.y2 - a.y1));
    }
  }

  // Picking an entry highlights its path and dims the rest.
  await first.click();
  await settle(page);
  const focused = await drawn(page);
  expect(focused.edges.filter((e) => e.classes.includes('diff-focus')).length).toBeGreaterThanOrEqual(2);
  expect(focused.nodes.some((n) => n.classes.includes('diff-dim'))).toBe(true);
  await page.screenshot({ path: join(SHOTS, 'compare-case-focus.png') });

  // The other way round the same changes are removals, drawn red and dashed.
  await page.getByTestId('compare-other-is').selectOption('before');
  await page.getByTestId('compare-case-input').setInputFiles(variant);
  await expect(verdict).toHaveAttribute('data-verdict', 'better');
  await expect(page.getByTestId('compare-stat-paths-gone')).not.toContainText(/^0/);
  await settle(page);
  const reversed = await drawn(page);
  const removed = reversed.edges.filter((e) => e.classes.includes('diff-removed'));
  expect(removed.length).toBeGreaterThanOrEqual(3);
  for (const e of removed) expect(e.line?.replace(/\s/g, '')).toBe(RED);
  await page.screenshot({ path: join(SHOTS, 'compare-case-reversed.png') });
});

test('tests a file before importing it (plan-impact): what it replaces, new findings, the case left as it was', async ({ page }) => {
  await openApp(page, 'dark', demoUrl());
  const counts = await page.getByTestId('case-counts').textContent();
  await page.getByTestId('mode-compare').click();
  await page.getByTestId('compare-plan-cluster').fill('prod-eks');
  await page.getByTestId('compare-plan-input').setInputFiles(NEW_BINDINGS);
  await expect(page.getByTestId('compare-verdict')).toHaveAttribute('data-verdict', 'worse');
  await expect(page.getByTestId('compare-replaced')).toContainText('kubectl-prod-eks.json');
  await expect(page.getByTestId('compare-replaced')).toContainText('same format (kubernetes)');
  await expect(page.getByTestId('compare-blast-item').first()).toContainText('+ cluster-admin of prod-eks');
  await settle(page);
  await page.screenshot({ path: join(SHOTS, 'compare-plan-dark.png') });
  await page.reload();
  await expect(page.getByTestId('case-counts')).toHaveText(counts!);
});
