// The HTML report of the demo case in Chromium, as a recipient opens it from a USB stick: a file:// page with the
// network blocked. Nothing may be requested, no script may run, the CSP must let the inline stylesheet apply; each
// section is screenshotted, and the printed PDF's pages are counted (and rendered to PNG when poppler's pdftoppm is
// installed) so they can be looked at.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, type Page } from '@playwright/test';

const ROOT = join(import.meta.dirname, '..', '..');
const SECTIONS = ['summary', 'triage', 'credentials', 'findings', 'inventory', 'sources', 'method'];

function makeReport(out: string, ...flags: string[]): void {
  const r = spawnSync(process.execPath, ['dist/blastmap.js', 'report', '--case', process.env['BLASTMAP_DEMO_CASE']!, '--out', out, ...flags], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`blastmap report failed: ${r.stderr}`);
}

/** Opens a local file with every network request refused and recorded. */
async function openOffline(page: Page, file: string): Promise<{ requests: string[]; problems: string[] }> {
  const requests: string[] = [];
  const problems: string[] = [];
  await page.context().setOffline(true);
  await page.context().route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  page.on('request', (req) => {
    if (!req.url().startsWith('file:')) requests.push(req.url());
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  await page.goto(pathToFileURL(file).href);
  return { requests, problems };
}

test('report: self-contained, offline, styled under its CSP, every section looked at, printable', async ({ page }, info) => {
  const file = info.outputPath('demo-report.html');
  makeReport(file);
  const { requests, problems } = await openOffline(page, file);
  await page.setViewportSize({ width: 1200, height: 900 });
  // The stylesheet applied: the CSP's hash matches it (a blocked stylesheet leaves headings unstyled).
  await expect(page.locator('#s-summary h2')).toHaveCSS('border-bottom-style', 'solid');
  await expect(page.locator('.kpi').first()).toHaveCSS('border-top-style', 'solid');
  expect(await page.locator('script').count()).toBe(0);
  await page.screenshot({ path: info.outputPath('report-top.png') });
  for (const id of SECTIONS) {
    const section = page.locator(`#s-${id}`);
    await expect(section).toBeVisible();
    await section.screenshot({ path: info.outputPath(`report-${id}.png`) });
  }
  await expect(page.locator('#s-triage')).toContainText('ci-deployer access key 1');
  await expect(page.locator('#s-credentials')).toContainText('Deactivate access key');
  // Chain of custody: the SHA-256 of a demo export's bytes, hashed here, is in the sources table.
  await expect(page.locator('#s-sources')).toContainText(createHash('sha256').update(readFileSync(join(ROOT, 'assets', 'demo', 'gitleaks-northwind-platform.json'))).digest('hex'));
  // No table or figure wider than the page.
  const overflow = await page.evaluate(() => [...document.querySelectorAll('table, svg, .card')].filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length);
  expect(overflow).toBe(0);

  const pdf = info.outputPath('demo-report.pdf');
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: info.outputPath('report-print-media.png') });
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  const bytes = readFileSync(pdf);
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  const pages = (bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  // Each major section starts a page: at least one page per section after the cover's.
  expect(pages).toBeGreaterThanOrEqual(SECTIONS.length);
  renderPages(pdf, info.outputPath('pdf'));

  expect(requests).toEqual([]);
  expect(problems).toEqual([]);
});

test('report --redact-ids: no account id, name or key id of the case is left', async ({ page }, info) => {
  const file = info.outputPath('demo-report-redacted.html');
  makeReport(file, '--redact-ids');
  const text = readFileSync(file, 'utf8');
  for (const secret of ['111111111111', '222222222222', 'ci-deployer', 'AKIAQDEMO7CIDEPLOY42', 'northwind', 'dana.ops', 'deploy-prod', 'ops-automation', 'prod-eks', 'aws-dev-gaad.json']) {
    expect(text, secret).not.toContain(secret);
  }
  const { requests, problems } = await openOffline(page, file);
  await expect(page.locator('.banner')).toContainText('Redacted for sharing');
  await page.locator('#s-summary').screenshot({ path: info.outputPath('report-redacted-summary.png') });
  await page.locator('#s-triage').screenshot({ path: info.outputPath('report-redacted-triage.png') });
  expect(requests).toEqual([]);
  expect(problems).toEqual([]);
});

test('report --only compromised: triage, credentials, sources and method, no posture or inventory', async ({ page }, info) => {
  const file = info.outputPath('demo-report-compromised.html');
  makeReport(file, '--only', 'compromised');
  await openOffline(page, file);
  await expect(page.locator('#s-triage')).toBeVisible();
  await expect(page.locator('#s-findings')).toHaveCount(0);
  await expect(page.locator('#s-inventory')).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('report-compromised.png'), fullPage: true });
});

/** PNGs of the PDF's pages for a person to look at, when poppler's pdftoppm is on the machine. */
function renderPages(pdf: string, dir: string): void {
  const which = spawnSync('sh', ['-c', 'command -v pdftoppm'], { encoding: 'utf8' });
  if (which.status !== 0) return;
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('pdftoppm', ['-png', '-r', '60', pdf, join(dir, 'page')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pdftoppm failed: ${r.stderr}`);
  const pngs = readdirSync(dir).filter((f) => f.endsWith('.png'));
  expect(pngs.length).toBeGreaterThan(0);
  for (const p of pngs) expect(existsSync(join(dir, p)) && statSync(join(dir, p)).size > 1000).toBe(true);
}
