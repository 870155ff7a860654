/// <reference lib="dom" />
// Renderer benchmark: the explorer in browser mode (Debian's Chromium, headless, no GPU) on a generated 20,000-node
// OpenGraph case. Figures:
// - renderer_20k_first_canvas_ms: from navigation to the first canvas drawn (median of 3 page loads);
// - renderer_5k_zoom_step_p95_ms: 5,000 visible elements drawn ("draw all" on a blast radius of 2,500 nodes), then
//   20 steps — 10 wheel zooms, 10 drag pans — each timed from the input event to the end of the frame that shows it;
// - renderer_5k_raw_draw_p95_ms: the same 20 steps on a bare Cytoscape (default style and drawing options, the
//   explorer's wheel sensitivity) holding the same elements at the same positions and viewport, in the same browser:
//   the baseline.
// Medians of 3 runs of the 20 steps; CPU time is the page's main-thread task time from the DevTools protocol.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import type { BenchOptions } from './run.js';
import { rng } from './synthetic.js';

const ROOT = join(import.meta.dirname, '..', '..');
const HUB = 'svc-bench-hub';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const VIEWPORT = { width: 1600, height: 1000 };

/**
 * 20,000 nodes and 60,000 edges: a cluster of 2,501 nodes reached from HUB (the hub assumes 50 users, each reads 49
 * objects: 5,001 elements drawn in full), and a random estate around it that the hub does not reach.
 */
export function benchEstate(nodeCount = 20_000, edgeCount = 60_000): unknown {
  const random = rng(15);
  const nodes: { id: string; kinds: string[]; properties: { name: string } }[] = [{ id: HUB, kinds: ['Bench_User'], properties: { name: HUB } }];
  const edges: { kind: string; start: { value: string }; end: { value: string } }[] = [];
  for (let u = 0; u < 50; u++) {
    nodes.push({ id: `bu-${u}`, kinds: ['Bench_User'], properties: { name: `bench-user-${u}` } });
    edges.push({ kind: 'Bench_CanAssume', start: { value: HUB }, end: { value: `bu-${u}` } });
    for (let o = 0; o < 49; o++) {
      nodes.push({ id: `bo-${u}-${o}`, kinds: ['Bench_Secret'], properties: { name: `bench-secret-${u}-${o}` } });
      edges.push({ kind: 'Bench_ReadSecret', start: { value: `bu-${u}` }, end: { value: `bo-${u}-${o}` } });
    }
  }
  const first = nodes.length;
  for (let i = first; i < nodeCount; i++) nodes.push({ id: `n${i}`, kinds: [i % 40 === 0 ? 'Bench_Group' : i % 3 === 0 ? 'Bench_Host' : 'Bench_User'], properties: { name: `node-${i}` } });
  const seen = new Set<string>();
  while (edges.length < edgeCount) {
    const a = first + Math.floor(random() * (nodeCount - first));
    const b = random() < 0.4 ? first + Math.floor(random() * ((nodeCount - first) / 40)) * 40 : first + Math.floor(random() * (nodeCount - first));
    const key = `${a}>${b}`;
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    edges.push({ kind: 'Bench_GenericAll', start: { value: `n${a}` }, end: { value: `n${b}` } });
  }
  return { metadata: { source_kind: 'Bench' }, graph: { nodes, edges } };
}

const progress = (what: string) => process.stderr.write(`  renderer: ${what}\n`);

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status})`);
}

async function serve(casePath: string): Promise<{ server: ChildProcess; url: string }> {
  const server = spawn(process.execPath, ['dist/blastmap.js', 'serve', '--case', casePath, '--port', '0', '--no-open'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return { server, url };
}

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}
const median = (v: number[]) => quantile(v, 0.5);
const round = (n: number) => Math.round(n * 10) / 10;

/** A reader of the page's main-thread task time so far (ms), from the DevTools protocol (enabled once per page). */
async function taskClock(page: Page): Promise<() => Promise<number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
  };
}

/**
 * Fits the Cytoscape instance inside `container` to its elements. The page function's body is a block on purpose:
 * cy.fit() returns the Core, and a page function that returns it makes Playwright serialize the whole Cytoscape
 * object graph back to the bench (gigabytes of JS heap on 5,000 styled elements: it crashed the page in the third
 * series of steps, and its garbage collection landed in the timed steps). eslint.config.js forbids the pattern.
 */
async function fitView(page: Page, container: string): Promise<void> {
  await page.evaluate((sel) => {
    (document.querySelector(sel) as unknown as { cy: { fit(): unknown } }).cy.fit();
  }, container);
}

/**
 * 20 steps on the Cytoscape instance inside `container`: each step's time runs from the input event (caught as it
 * reaches the page) to the end of the next frame Cytoscape draws.
 */
async function steps(page: Page, container: string): Promise<number[]> {
  const box = (await page.locator(container).boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.evaluate((sel) => {
    const el = document.querySelector(sel) as HTMLElement & { cy: { on(e: string, f: () => void): void } };
    const w = window as unknown as { __bench: { input: number; drawn: number } };
    w.__bench = { input: 0, drawn: 0 };
    for (const type of ['wheel', 'mousemove']) el.addEventListener(type, () => (w.__bench.input = performance.now()), { capture: true });
    el.cy.on('render', () => (w.__bench.drawn = performance.now()));
  }, container);
  const times: number[] = [];
  const measure = async (act: () => Promise<void>) => {
    await page.evaluate(() => ((window as unknown as { __bench: { drawn: number; input: number } }).__bench.drawn = 0));
    await act();
    const t = await page.waitForFunction(
      () => {
        const b = (window as unknown as { __bench: { drawn: number; input: number } }).__bench;
        return b.drawn > b.input && b.input > 0 ? b.drawn - b.input : false;
      },
      null,
      { polling: 'raf', timeout: 30_000 },
    );
    times.push(Number(await t.jsonValue()));
    await page.waitForTimeout(60);
  };
  await page.mouse.move(cx, cy);
  for (let i = 0; i < 10; i++) await measure(() => page.mouse.wheel(0, i % 2 === 0 ? -240 : 240));
  await page.mouse.down();
  for (let i = 0; i < 10; i++) await measure(() => page.mouse.move(cx + (i % 2 === 0 ? 40 : -40), cy + (i % 3 === 0 ? 25 : -25)));
  await page.mouse.up();
  return times;
}

async function firstCanvas(browser: Browser, url: string): Promise<{ ms: number; task: number }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const clock = await taskClock(page);
  await page.goto(url);
  const t = await page.waitForFunction(
    () => {
      const el = document.querySelector('[data-testid="graph-canvas"]') as HTMLElement | null;
      return el && (Number(el.dataset['renderedEdges']) > 0 || Number(el.dataset['renderedNodes']) > 0 || Number(el.dataset['renderedBoxes']) > 0) ? performance.now() : false;
    },
    null,
    { polling: 'raf', timeout: 120_000 },
  );
  const ms = Number(await t.jsonValue());
  const task = await clock();
  await context.close();
  return { ms, task };
}

export async function bench(opts: BenchOptions): Promise<Record<string, number>> {
  const cpu0 = process.cpuUsage();
  if (!existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) run(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn']);
  const file = join(opts.dir, 'renderer-20k.json');
  const casePath = join(opts.dir, 'renderer-20k.blastmap');
  writeFileSync(file, JSON.stringify(benchEstate(opts.quick ? 8_000 : 20_000, opts.quick ? 24_000 : 60_000)));
  run(process.execPath, ['dist/blastmap.js', 'import', '--case', casePath, file]);
  const { server, url } = await serve(casePath);
  const browser = await chromium.launch({ executablePath: process.env['BLASTMAP_CHROMIUM'] ?? '/usr/bin/chromium', args: FLAGS });
  try {
    const loads = [];
    for (let i = 0; i < 3; i++) {
      loads.push(await firstCanvas(browser, url));
      progress(`first canvas ${i + 1}: ${Math.round(loads[i]!.ms)} ms`);
    }

    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    await page.goto(url);
    await page.getByTestId('search-input').fill(HUB);
    await page.getByTestId('search-suggestion').filter({ hasText: HUB }).first().click();
    await page.getByTestId('action-blast').click();
    await page.getByTestId('render-all').click({ timeout: 120_000 });
    await page.waitForFunction(() => Number((document.querySelector('[data-testid="graph-canvas"]') as HTMLElement).dataset['renderedNodes']) >= 2500, null, { timeout: 180_000 });
    await page.waitForTimeout(1500);
    progress('5,000 elements drawn');
    const elements = await page.evaluate(() => (document.querySelector('[data-testid="graph-canvas"]') as unknown as { cy: { elements(): { length: number } } }).cy.elements().length);
    const appRuns: number[][] = [];
    const clock = await taskClock(page);
    const task0 = await clock();
    for (let r = 0; r < 3; r++) {
      await fitView(page, '[data-testid="graph-canvas"]');
      await page.waitForTimeout(500);
      appRuns.push(await steps(page, '[data-testid="graph-canvas"]'));
      progress(`explorer steps, run ${r + 1}: p95 ${Math.round(quantile(appRuns[r]!, 0.95))} ms`);
    }
    const appTask = ((await clock()) - task0) / 60;

    // The same elements, positions and viewport on a bare Cytoscape with its default style.
    // The explorer's wheel sensitivity goes to the bare Cytoscape too, so both walk through the same zoom levels
    // (a bigger step crosses more of Cytoscape's texture levels); every drawing option stays at its default.
    const wheelSensitivity = await page.evaluate(() => (document.querySelector('[data-testid="graph-canvas"]') as unknown as { cy: { renderer(): { wheelSensitivity: number } } }).cy.renderer().wheelSensitivity);
    const snapshot = await page.evaluate(() => {
      type E = { isNode(): boolean; id(): string; data(k: string): string; position(): { x: number; y: number }; isParent(): boolean };
      const cy = (document.querySelector('[data-testid="graph-canvas"]') as unknown as { cy: { elements(): { toArray(): E[] }; width(): number; height(): number } }).cy;
      const els = cy.elements().toArray();
      return {
        width: cy.width(),
        height: cy.height(),
        nodes: els.filter((e) => e.isNode() && !e.isParent()).map((e) => ({ id: e.id(), position: e.position() })),
        edges: els.filter((e) => !e.isNode()).map((e) => ({ id: e.id(), source: e.data('source'), target: e.data('target') })),
      };
    });
    const raw = await context.newPage();
    await raw.setViewportSize(VIEWPORT);
    await raw.setContent(`<!doctype html><html><body style="margin:0"><div id="raw" style="position:absolute;left:0;top:0;width:${snapshot.width}px;height:${snapshot.height}px"></div></body></html>`);
    const require = createRequire(import.meta.url);
    await raw.addScriptTag({ path: require.resolve('cytoscape/dist/cytoscape.min.js') });
    await raw.evaluate((s) => {
      const w = window as unknown as { cytoscape(o: object): { fit(): void } };
      const el = document.getElementById('raw') as HTMLElement & { cy: unknown };
      el.cy = w.cytoscape({
        container: el,
        wheelSensitivity: s.wheelSensitivity,
        elements: [...s.nodes.map((n) => ({ group: 'nodes', data: { id: n.id }, position: n.position })), ...s.edges.map((e) => ({ group: 'edges', data: e }))],
        layout: { name: 'preset' },
      });
    }, { ...snapshot, wheelSensitivity });
    const rawRuns: number[][] = [];
    const rawClock = await taskClock(raw);
    const rawTask0 = await rawClock();
    for (let r = 0; r < 3; r++) {
      await fitView(raw, '#raw');
      await raw.waitForTimeout(500);
      rawRuns.push(await steps(raw, '#raw'));
      progress(`bare Cytoscape steps, run ${r + 1}: p95 ${Math.round(quantile(rawRuns[r]!, 0.95))} ms`);
    }
    const rawTask = ((await rawClock()) - rawTask0) / 60;
    await context.close();

    const appP95 = median(appRuns.map((r) => quantile(r, 0.95)));
    const rawP95 = median(rawRuns.map((r) => quantile(r, 0.95)));
    const cpu = process.cpuUsage(cpu0);
    return {
      renderer_20k_first_canvas_ms: round(median(loads.map((l) => l.ms))),
      renderer_20k_first_canvas_task_ms: round(median(loads.map((l) => l.task))),
      renderer_5k_elements: elements,
      renderer_5k_zoom_step_p95_ms: round(appP95),
      renderer_5k_zoom_step_median_ms: round(median(appRuns.map((r) => median(r)))),
      renderer_5k_step_task_ms: round(appTask),
      renderer_5k_raw_draw_p95_ms: round(rawP95),
      renderer_5k_raw_draw_median_ms: round(median(rawRuns.map((r) => median(r)))),
      renderer_5k_raw_step_task_ms: round(rawTask),
      renderer_5k_vs_raw_p95_ratio: round((appP95 / Math.max(rawP95, 0.1)) * 100) / 100,
      renderer_bench_node_cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
    };
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
}
