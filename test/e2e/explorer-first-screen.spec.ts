// A first screen that is a map (issue #15, item 3): each boundary with its counts, the trust between boundaries as
// one labelled edge per pair, the start panel (import, the worst findings, what is compromised); an empty case says
// what to drop and which commands produce it. Expected counts come from the engine through the CLI.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { segmentMeetsRect } from '../../renderer/graph/layouts';
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
  // And every trust arrow says what it carries: a label that meets a title at the arrow's middle slides along it.
  // ("1 access key reachable from outside" ran into the 111… title between the two boxes side by side.)
  expect(await page.getByTestId('graph-canvas').evaluate((el) => (el as unknown as { cy: { edges(s: string): { map<T>(f: (e: { data(k: string): unknown }) => T): T[] } } }).cy.edges('.trust.label-hidden').map((e) => e.data('label')))).toEqual([]);
  // Trust across accounts: one edge for the pair, labelled with what it is.
  const devToProd = boxes.trust.filter((t) => t.from === 'grp:aws:account:111111111111' && t.to === 'grp:aws:account:222222222222');
  expect(devToProd).toHaveLength(1);
  expect(devToProd[0]!.label).toMatch(/^\d+ IAM roles? trust 111111111111$/);

  // Trust arrows do not cross boxes they do not join (the boxes are packed around the links), and one that ever did
  // would not be hidden: in Cytoscape's own drawing order each is drawn after every box its line passes over.
  const drawn = await page.getByTestId('graph-canvas').evaluate((el) => {
    type P = { x: number; y: number };
    type BB = { x1: number; y1: number; x2: number; y2: number };
    type E = { id(): string; hasClass(c: string): boolean; data(k: string): string; boundingBox(o?: object): BB; sourceEndpoint(): P; targetEndpoint(): P };
    const cy = (el as unknown as { cy: { edges(s: string): { toArray(): E[] }; nodes(s: string): { toArray(): E[] }; renderer(): { getCachedZSortedEles(force?: boolean): E[] } } }).cy;
    const box = (b: BB) => ({ x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 });
    return {
      order: cy.renderer().getCachedZSortedEles(true).map((e) => e.id()),
      arrows: cy.edges('.trust').toArray().map((e) => ({ id: e.id(), source: e.data('source'), target: e.data('target'), from: { ...e.sourceEndpoint() }, to: { ...e.targetEndpoint() } })),
      boxes: cy.nodes('.group').toArray().map((g) => ({
        id: g.id(),
        card: g.hasClass('empty-box'),
        body: box(g.boundingBox({ includeLabels: false })),
        title: box(g.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false })),
      })),
    };
  });
  const hidden = { out: [] as string[], crossings: 0, throughTitles: [] as string[] };
  for (const e of drawn.arrows) {
    for (const box of drawn.boxes) {
      // No arrow runs through a box's title (its label, drawn above the box): arrows end where they meet it. Cards
      // (boxes with nothing drawn in them) hold their title inside. The title's bounds are inset by its background
      // padding, which Cytoscape's label bounds include and its line ends do not.
      const t = box.title;
      if (!box.card && t.x2 - t.x1 >= 14 && t.y2 - t.y1 >= 14 && segmentMeetsRect(e.from, e.to, { x1: t.x1 + 6, y1: t.y1 + 6, x2: t.x2 - 6, y2: t.y2 - 6 })) hidden.throughTitles.push(`${e.id} through the title of ${box.id}`);
      if (box.id === e.source || box.id === e.target || !segmentMeetsRect(e.from, e.to, box.body)) continue;
      hidden.crossings++;
      if (drawn.order.indexOf(e.id) < drawn.order.indexOf(box.id)) hidden.out.push(`${e.id} under ${box.id}`);
    }
  }
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
  // Admin of production, of dev (OrganizationAccountAccessRole) and of prod-eks (production's admin acts as the
  // role aws-auth maps to system:masters).
  await expect(page.getByTestId('blast-count-admins')).toHaveText('3');
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
    await expect(empty).toContainText('az monitor activity-log list');
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
