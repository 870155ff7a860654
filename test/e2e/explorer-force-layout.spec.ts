// The force layout on a real cluster's RBAC (kind, test/fixtures/real-exports/kubernetes): a service account's blast
// radius of 144 nodes and 735 edges, where dozens of controllers are bound to the same roles. fcose's draft quality
// (its spectral pass alone, which this size used to get) put nodes alike in their edges on the very same spot.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { canvasSettled, openApp, searchAndPick, settle } from './helpers';
import { serve } from './serve';

const ROOT = join(import.meta.dirname, '..', '..');
const KUBE = join(ROOT, 'test', 'fixtures', 'real-exports', 'kubernetes');
const SA = 'kube-system/clusterrole-aggregation-controller';

let server: ChildProcess | undefined;
let url = '';
const dir = mkdtempSync(join(tmpdir(), 'blastmap-e2e-kind-'));

test.beforeAll(async () => {
  const casePath = join(dir, 'kind.blastmap');
  const files = readdirSync(KUBE).filter((f) => f.startsWith('kind-cluster-')).map((f) => join(KUBE, f));
  const r = spawnSync(process.execPath, ['dist/blastmap.js', 'import', '--case', casePath, '--cluster', 'kind', ...files], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  ({ server, url } = await serve(casePath));
});

test.afterAll(async () => {
  server?.kill('SIGTERM');
  if (server) await new Promise((done) => server!.once('exit', done));
  rmSync(dir, { recursive: true, force: true });
});

test('a blast radius of a few hundred elements: no node drawn on another', async ({ page }, info) => {
  await openApp(page, 'light', url);
  await searchAndPick(page, SA, SA);
  await page.getByTestId('action-blast').click();
  await expect(page.getByTestId('blast-panel')).toBeVisible();
  await settle(page);
  await canvasSettled(page);
  const drawn = await page.getByTestId('graph-canvas').evaluate((el) => {
    type Box = { x1: number; x2: number; y1: number; y2: number };
    type N = { id(): string; isParent(): boolean; boundingBox(o: object): Box };
    const cy = (el as unknown as { cy: { nodes(): { filter(f: (n: N) => boolean): N[] & { map<T>(f: (n: N) => T): T[] } }; elements(): { length: number } } }).cy;
    const boxes = cy.nodes().filter((n) => !n.isParent()).map((n) => ({ id: n.id(), b: n.boundingBox({ includeLabels: false, includeOverlays: false }) }));
    return { elements: cy.elements().length, boxes };
  });
  await page.screenshot({ path: info.outputPath('kind-blast.png') });
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
});
