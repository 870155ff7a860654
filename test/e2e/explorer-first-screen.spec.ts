// A first screen that is a map (issue #15, item 3): each boundary with its counts, the trust between boundaries as
// one labelled edge per pair, the start panel (import, the worst findings, what is compromised); an empty case says
// what to drop and which commands produce it. Expected counts come from the engine through the CLI.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { canvasSettled, openApp, openDemoExplore } from './helpers';
import { serve } from './serve';

const ROOT = join(import.meta.dirname, '..', '..');

function engine<T>(...args: string[]): T {
  const r = spawnSync(process.execPath, ['dist/blastmap.js', ...args, '--case', process.env['BLASTMAP_DEMO_CASE']!, '--json'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T;
}

test('the demo opens on its map: boxes with counts, trust between accounts, the start panel', async ({ page }, info) => {
  const findings = engine<{ severity: string; title: string }[]>('findings');
  await openDemoExplore(page);
  await canvasSettled(page);
  const boxes = await page.getByTestId('graph-canvas').evaluate((el) => {
    type N = { id(): string; data(k: string): string };
    const cy = (el as unknown as { cy: { nodes(s: string): { toArray(): N[] }; edges(s: string): { toArray(): N[] } } }).cy;
    return {
      boxes: Object.fromEntries(cy.nodes('.group').toArray().map((n) => [n.id(), n.data('label')])),
      trust: cy.edges('.trust').toArray().map((e) => ({ from: e.data('source'), to: e.data('target'), label: e.data('label') })),
    };
  });
  // Each boundary box says what it holds; no octagon repeats the box's title inside it.
  expect(boxes.boxes['grp:aws:account:222222222222']).toMatch(/^AWS account 222222222222\n\d+ identities/);
  expect(boxes.boxes['grp:k8s:prod-eks']).toMatch(/Kubernetes cluster prod-eks/);
  expect(boxes.boxes['grp:aws:account:111111111111']).toMatch(/\d+ critical/);
  expect(await page.getByTestId('graph-canvas').evaluate((el) => (el as unknown as { cy: { nodes(s: string): { length: number } } }).cy.nodes('[category = "boundary"]').length)).toBe(0);
  // Every box's title is shown: the map is laid out with its titles at the size they are drawn, so none is hidden
  // for running into another (the demo opens on Triage, whose narrow stage widens as Explore opens).
  expect(await page.getByTestId('graph-canvas').evaluate((el) => (el as unknown as { cy: { nodes(s: string): { length: number } } }).cy.nodes('.group.label-hidden').length)).toBe(0);
  // Trust across accounts: one edge for the pair, labelled with what it is.
  const devToProd = boxes.trust.filter((t) => t.from === 'grp:aws:account:111111111111' && t.to === 'grp:aws:account:222222222222');
  expect(devToProd).toHaveLength(1);
  expect(devToProd[0]!.label).toMatch(/^\d+ IAM roles? trust 111111111111$/);

  // Trust arrows do not cross boxes they do not join (the boxes are packed around the links), and one that ever did
  // would not be hidden: in Cytoscape's own drawing order each is drawn after every box its line passes over.
  const hidden = await page.getByTestId('graph-canvas').evaluate((el) => {
    type P = { x: number; y: number };
    type BB = { x1: number; y1: number; x2: number; y2: number };
    type E = { id(): string; isNode(): boolean; hasClass(c: string): boolean; data(k: string): string; boundingBox(o?: object): BB; sourceEndpoint(): P; targetEndpoint(): P };
    const cy = (el as unknown as { cy: { edges(s: string): { toArray(): E[] }; nodes(s: string): { toArray(): E[] }; renderer(): { getCachedZSortedEles(force?: boolean): E[] } } }).cy;
    const order = cy.renderer().getCachedZSortedEles(true).map((e) => e.id());
    // Where the segment a→b enters the box, if it does (Liang–Barsky clipping).
    const crosses = (a: P, b: P, r: BB) => {
      let t0 = 0;
      let t1 = 1;
      const d = { x: b.x - a.x, y: b.y - a.y };
      for (const [p, q] of [[-d.x, a.x - r.x1], [d.x, r.x2 - a.x], [-d.y, a.y - r.y1], [d.y, r.y2 - a.y]] as [number, number][]) {
        if (p === 0) {
          if (q < 0) return false;
          continue;
        }
        const t = q / p;
        if (p < 0) t0 = Math.max(t0, t);
        else t1 = Math.min(t1, t);
      }
      return t0 < t1;
    };
    const out: string[] = [];
    let crossings = 0;
    // No arrow runs through a box's title (its label, drawn above the box): arrows end where they meet it.
    const throughTitles: string[] = [];
    for (const e of cy.edges('.trust').toArray()) {
      // Cards (boxes with nothing drawn in them) hold their title inside.
      for (const box of cy.nodes('.group').toArray().filter((b) => !b.hasClass('empty-box'))) {
        const t = box.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false });
        if (t.x2 - t.x1 < 14 || t.y2 - t.y1 < 14) continue;
        // Inset by the title's background padding, which Cytoscape's label bounds include and its line ends do not.
        const inner = { x1: t.x1 + 6, y1: t.y1 + 6, x2: t.x2 - 6, y2: t.y2 - 6 };
        if (crosses(e.sourceEndpoint(), e.targetEndpoint(), inner)) throughTitles.push(`${e.id()} through the title of ${box.id()}`);
      }
    }
    for (const e of cy.edges('.trust').toArray()) {
      for (const box of cy.nodes('.group').toArray()) {
        if (box.id() === e.data('source') || box.id() === e.data('target')) continue;
        if (!crosses(e.sourceEndpoint(), e.targetEndpoint(), box.boundingBox({ includeLabels: false }))) continue;
        crossings++;
        if (order.indexOf(e.id()) < order.indexOf(box.id())) out.push(`${e.id()} under ${box.id()}`);
      }
    }
    return { out, crossings, throughTitles };
  });
  info.annotations.push({ type: 'trust arrows crossing a box', description: String(hidden.crossings) });
  expect(hidden.crossings).toBe(0);
  expect(hidden.throughTitles).toEqual([]);
  expect(hidden.out).toEqual([]);

  const start = page.getByTestId('start-panel');
  await expect(start.getByTestId('start-compromised')).toContainText('ci-deployer access key 1');
  await expect(start.getByTestId('start-findings')).toContainText(findings[0]!.title);
  await expect(start.getByTestId('start-import')).toBeVisible();
  await page.screenshot({ path: info.outputPath('first-screen.png') });

  // From the map to the analysis in one click.
  await start.getByTestId('start-compromised').getByRole('button', { name: 'blast radius' }).click();
  await expect(page.getByTestId('blast-count-admins')).toHaveText('2');
});

test.describe('an empty case', () => {
  let server: ChildProcess | undefined;
  let url = '';
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-e2e-empty-'));
  test.beforeAll(async () => {
    ({ server, url } = await serve(join(dir, 'empty.blastmap')));
  });
  test.afterAll(async () => {
    server?.kill('SIGTERM');
    if (server) await new Promise((done) => server!.once('exit', done));
    rmSync(dir, { recursive: true, force: true });
  });

  test('says what to drop on the window and which commands produce it', async ({ page }, info) => {
    await openApp(page, 'light', url);
    const empty = page.getByTestId('empty-case');
    await expect(empty).toContainText('This case is empty');
    await expect(empty).toContainText('aws iam get-account-authorization-details');
    await expect(empty).toContainText('kubectl get');
    await expect(empty).toContainText('gitleaks');
    await page.screenshot({ path: info.outputPath('empty-case.png') });
    // Files dropped anywhere on the window open the import dialog with them.
    const files = await page.evaluateHandle(() => {
      const d = new DataTransfer();
      d.items.add(new File(['{"UserDetailList": []}'], 'gaad.json', { type: 'application/json' }));
      return d;
    });
    await page.dispatchEvent('[data-testid="app"]', 'drop', { dataTransfer: files });
    await expect(page.getByTestId('import-dialog')).toBeVisible();
    await expect(page.getByTestId('import-files')).toContainText('gaad.json');
  });
});
