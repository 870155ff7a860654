// Triage, inventory and every export of the UI on the built-in demo case: the case opens on the ranked list of its
// compromised credentials; each panel's export saves the same table the CLI writes; the report downloads whole.
// Expected rows come from the engine through the CLI, not from the UI under test.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { expect, test, type Download, type Page } from '@playwright/test';
import { demoUrl, openApp, settle } from './helpers';

const ROOT = join(import.meta.dirname, '..', '..');
const LEAKED_NAME = 'ci-deployer access key 1';

function engine(...args: string[]): string {
  const r = spawnSync(process.execPath, ['dist/blastmap.js', ...args, '--case', process.env['BLASTMAP_DEMO_CASE']!], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`blastmap ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

async function saved(page: Page, click: () => Promise<void>, path: string): Promise<{ download: Download; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  await download.saveAs(path);
  return { download, text: readFileSync(path, 'utf8') };
}

const csvRows = (text: string) => parse(text, { columns: true }) as Record<string, string>[];

test('the demo case opens on triage: the leaked key first, its reach and use after the leak; CSV export', async ({ page }, info) => {
  const expected = JSON.parse(engine('triage', '--json')) as { node: { name: string }; score: number }[];
  await openApp(page, 'light', demoUrl());
  await expect(page.getByTestId('mode-triage')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('triage-row')).toHaveCount(expected.length);
  const first = page.getByTestId('triage-row').first();
  await expect(first).toContainText(LEAKED_NAME);
  await expect(first.getByTestId('triage-score')).toHaveText(expected[0]!.score.toLocaleString('en-US'));
  await expect(first.getByTestId('triage-used-after')).toBeVisible();
  await expect(first.getByTestId('triage-admin-of')).toContainText('222222222222');
  // Fixed-height cards in a virtual list: nothing of a card may spill into the next.
  const spill = await page.getByTestId('triage-row').evaluateAll((cards) => cards.filter((c) => [...c.querySelectorAll('*')].some((el) => el.getBoundingClientRect().bottom > c.getBoundingClientRect().bottom + 1 || el.getBoundingClientRect().right > c.getBoundingClientRect().right + 1)).length);
  expect(spill).toBe(0);
  await settle(page);
  await page.screenshot({ path: info.outputPath('triage.png') });

  const { download, text } = await saved(page, () => page.getByTestId('triage-export-csv').click(), info.outputPath('triage.csv'));
  expect(download.suggestedFilename()).toMatch(/^blastmap-triage-.*\.csv$/);
  expect(csvRows(text).map((r) => r['name'])).toEqual(expected.map((r) => r.node.name));
  expect(text).toBe(engine('triage', '--format', 'csv'));

  // The filter hides what does not match; the ranking stays.
  await page.getByTestId('triage-filter').fill('nothing matches this');
  await expect(page.getByTestId('triage-row')).toHaveCount(0);
  await page.getByTestId('triage-filter').fill('');

  // A card's Blast radius button runs the analysis; the panel exports every list.
  await first.getByTestId('triage-blast').click();
  await expect(page.getByTestId('blast-panel')).toBeVisible();
  await expect(page.getByTestId('blast-exports')).toBeVisible();
  const blast = await saved(page, () => page.getByTestId('blast-export-csv').click(), info.outputPath('blast.csv'));
  const api = JSON.parse(engine('blast-radius', 'AKIAQDEMO7CIDEPLOY42', '--json')) as Record<'identities' | 'credentials' | 'resources' | 'admins', unknown[]>;
  expect(csvRows(blast.text)).toHaveLength(api.identities.length + api.credentials.length + api.resources.length + api.admins.length);
  await page.getByTestId('blast-export-list').selectOption('boundaries');
  const perBoundary = await saved(page, () => page.getByTestId('blast-export-json').click(), info.outputPath('blast-boundaries.json'));
  expect((JSON.parse(perBoundary.text) as { boundary_name: string; admin: boolean }[]).find((b) => b.boundary_name === '222222222222')?.admin).toBe(true);
  await page.screenshot({ path: info.outputPath('blast-exports.png') });

  await page.getByTestId('containment-run').click();
  await expect(page.getByTestId('containment-exports')).toBeVisible();
  const md = await saved(page, () => page.getByTestId('containment-export-markdown').click(), info.outputPath('containment.md'));
  expect(md.download.suggestedFilename()).toMatch(/\.md$/);
  expect(md.text).toBe(engine('containment', 'AKIAQDEMO7CIDEPLOY42', '--format', 'markdown'));
  const cuts = await saved(page, () => page.getByTestId('containment-export-csv').click(), info.outputPath('containment.csv'));
  expect(csvRows(cuts.text)[0]).toMatchObject({ step: '1', edge_kind: 'AUTHENTICATES_AS' });
  await page.getByTestId('containment').screenshot({ path: info.outputPath('containment-exports.png') });
});

test('inventory: every identity, grouped, sorted, filtered; a row focuses its node; CSV export', async ({ page }, info) => {
  const expected = JSON.parse(engine('inventory', '--json')) as { node: { id: string; name: string } }[];
  await openApp(page, 'light', demoUrl());
  await page.keyboard.press('6');
  await expect(page.getByTestId('inventory-panel')).toBeVisible();
  await expect(page.getByTestId('inventory-count')).toHaveText(`${expected.length} of ${expected.length} identities`);
  // Grouped by boundary: the three boundaries of the demo head their groups.
  await expect(page.getByTestId('inventory-group-row')).toHaveCount(3);
  await settle(page);
  await page.screenshot({ path: info.outputPath('inventory-by-boundary.png') });
  const overflow = await page.getByTestId('inventory-row').evaluateAll((rows) => rows.filter((r) => [...r.querySelectorAll('[role=cell]')].some((c) => c.getBoundingClientRect().right > r.getBoundingClientRect().right + 1 || c.getBoundingClientRect().bottom > r.getBoundingClientRect().bottom + 1)).length);
  expect(overflow).toBe(0);
  // A last use is never cut ("2 months a…"): its column holds the longest relative time, and its tooltip the date.
  const lastUsed = await page.getByTestId('inventory-row').evaluateAll((rows) => rows.map((r) => r.querySelectorAll('[role=cell]')[4] as HTMLElement).map((c) => ({ text: c.textContent, cut: c.scrollWidth > c.clientWidth, title: c.title })));
  expect(lastUsed.filter((c) => c.text !== '—').length).toBeGreaterThan(0);
  expect(lastUsed.filter((c) => c.cut)).toEqual([]);
  for (const c of lastUsed.filter((x) => x.text !== '—')) expect(c.title).toMatch(/^\d{4}-\d{2}-\d{2}/);
  // Nor is a severity of a row's findings (ci-deployer showed "1 critical" of "1 critical, 1 high"): every badge is
  // inside its cell.
  const badges = await page.getByTestId('inventory-row').evaluateAll((rows) =>
    rows.flatMap((r) => {
      const cell = (r.querySelectorAll('[role=cell]')[5] as HTMLElement).getBoundingClientRect();
      return [...r.querySelectorAll('.sev-count')].filter((b) => { const x = b.getBoundingClientRect(); return x.right > cell.right + 1 || x.bottom > cell.bottom + 1; }).map((b) => b.textContent);
    }),
  );
  expect(badges).toEqual([]);

  await page.getByTestId('inventory-group').selectOption('owner');
  await expect(page.getByTestId('inventory-group-row').first()).toContainText('dana@northwind.example');
  await page.screenshot({ path: info.outputPath('inventory-by-owner.png') });
  await page.getByTestId('inventory-group').selectOption('none');
  await page.getByTestId('inventory-sort-name').click();
  const names = await page.getByTestId('inventory-row').locator('[role=cell]:first-child .strong').allTextContents();
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));

  await page.getByTestId('inventory-filter').fill('ci-deployer');
  await expect(page.getByTestId('inventory-row')).toHaveCount(1);
  await page.getByTestId('inventory-row').first().click();
  await expect(page.getByTestId('details-name')).toHaveText('ci-deployer');
  await page.getByTestId('inventory-filter').fill('');

  const { text } = await saved(page, () => page.getByTestId('inventory-export-csv').click(), info.outputPath('inventory.csv'));
  expect(csvRows(text).map((r) => r['id'])).toEqual(expected.map((r) => r.node.id));
  expect(text).toBe(engine('inventory', '--csv'));
});

test('dark theme: triage and inventory keep their text readable', async ({ page }, info) => {
  await openApp(page, 'dark', demoUrl());
  await expect(page.getByTestId('triage-row').first()).toBeVisible();
  await settle(page);
  await page.screenshot({ path: info.outputPath('triage-dark.png') });
  const contrast = async (selector: string) =>
    page.locator(selector).first().evaluate((el) => {
      const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
      const lum = (c: string) => rgb(c).reduce((a, v) => a + v, 0) / 3;
      let bg = 'rgba(0, 0, 0, 0)';
      for (let e: Element | null = el; e && /rgba\(0, 0, 0, 0\)|transparent/.test(bg); e = e.parentElement) bg = getComputedStyle(e).backgroundColor;
      return Math.abs(lum(getComputedStyle(el).color) - lum(bg));
    });
  expect(await contrast('.triage-name')).toBeGreaterThan(100);
  await page.keyboard.press('6');
  await expect(page.getByTestId('inventory-row').first()).toBeVisible();
  await page.screenshot({ path: info.outputPath('inventory-dark.png') });
  expect(await contrast('.inventory-row .strong')).toBeGreaterThan(100);
});

test('findings export and the report download from the toolbar', async ({ page }, info) => {
  await openApp(page, 'light', demoUrl());
  await page.getByTestId('mode-findings').click();
  await expect(page.getByTestId('findings-table')).toBeVisible();
  const findings = await saved(page, () => page.getByTestId('findings-export-json').click(), info.outputPath('findings.json'));
  const expected = JSON.parse(engine('findings', '--json')) as { id: string }[];
  expect((JSON.parse(findings.text) as { id: string }[]).map((f) => f.id).sort()).toEqual(expected.map((f) => f.id).sort());
  await page.screenshot({ path: info.outputPath('findings-export.png') });

  const report = await saved(page, () => page.getByTestId('export-report').click(), info.outputPath('report.html'));
  expect(report.download.suggestedFilename()).toMatch(/^blastmap-report-demo-.*\.html$/);
  expect(report.text).toContain('<meta http-equiv="Content-Security-Policy"');
  expect(report.text).toContain('Executive summary');
  expect(report.text).toContain(LEAKED_NAME);
});

test('an encrypted demo case served from its private copy: the app shows the .enc file and its triage', async ({ page }, info) => {
  const enc = info.outputPath('demo.blastmap.enc');
  const passFile = info.outputPath('pass.txt');
  writeFileSync(passFile, 'the demo passphrase, long enough\n');
  const tmp = info.outputPath('tmp');
  mkdirSync(tmp, { recursive: true });
  const packed = spawnSync(process.execPath, ['dist/blastmap.js', 'pack', '--case', process.env['BLASTMAP_DEMO_CASE']!, '--out', enc, '--passphrase-file', passFile], { cwd: ROOT, encoding: 'utf8' });
  expect(packed.status, packed.stderr).toBe(0);
  const server = spawn(process.execPath, ['dist/blastmap.js', 'serve', '--case', enc, '--port', '0', '--no-open', '--passphrase-file', passFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
  const exited = new Promise<void>((done) => server.once('exit', () => done()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (c: Buffer) => {
        out += c.toString('utf8');
        const m = /at (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      server.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    expect(readdirSync(tmp).filter((d) => d.startsWith('blastmap-case-'))).toHaveLength(1);
    await openApp(page, 'light', url);
    await expect(page.getByTestId('case-name')).toHaveText('demo.blastmap.enc');
    await expect(page.getByTestId('mode-triage')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('triage-row').first()).toContainText(LEAKED_NAME);
    await page.screenshot({ path: info.outputPath('encrypted-case.png') });
  } finally {
    server.kill('SIGTERM');
    await exited;
  }
  expect(readdirSync(tmp).filter((d) => d.startsWith('blastmap-case-'))).toEqual([]);
});
