import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDiff, PlanImpact, SnapshotInfo } from '../../src/api/contract.js';
import { openEngine } from '../../src/api/engine.js';
import { buildDemoCase } from '../../src/demo.js';
import { cli, FIXTURES, tempDir } from '../helpers.js';

const NEW_BINDINGS = join(FIXTURES, 'compare', 'kubectl-prod-eks-new-bindings.json');
let dir: string;
let before: string;
let after: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'blastmap-test-cli-compare-'));
  before = join(dir, 'before.blastmap');
  after = join(dir, 'after.blastmap');
  await buildDemoCase(before);
  copyFileSync(before, after);
  const engine = openEngine(after);
  await engine.importFiles({ files: [{ path: NEW_BINDINGS }], options: { cluster: 'prod-eks' } });
  engine.close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('blastmap diff', () => {
  it('prints a PR comment: verdict, new paths to admin with their steps, findings', async () => {
    const r = await cli('diff', before, after);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^## Blastmap: what changed in the blast radius\n/);
    expect(r.out).toContain(`**Before:** ${before}`);
    expect(r.out).toContain('**Attack surface grows.**');
    expect(r.out).toMatch(/### New paths to admin or high-value nodes \(\d+\)/);
    expect(r.out).toContain('| payments/payments-api-token | SA token secret | cluster-admin of prod-eks | 2 | payments/payments-api-token → payments/payments-api → [cluster-admin] cluster-admin of prod-eks |');
    expect(r.out).toMatch(/\| critical \| Service account payments\/payments-api has cluster-admin of prod-eks \|/);
  });

  it('prints the CaseDiff with --json, and --fail-on exits 3 after printing', async () => {
    const r = await cli('diff', before, after, '--json', '--fail-on', 'new-admin-path,new-critical');
    expect(r.code).toBe(3);
    const d = JSON.parse(r.out) as CaseDiff;
    expect(d.summary.paths.newAdminPaths).toBeGreaterThan(0);
    expect(r.err).toMatch(/--fail-on new-admin-path: \d+ new origin–admin path/);
    expect(r.err).toMatch(/--fail-on new-critical: 1 new critical finding/);
    // The other way round nothing new appears: the gate holds.
    const back = await cli('diff', after, before, '--fail-on', 'new-admin-path,new-critical');
    expect(back.code).toBe(0);
    expect(back.out).toContain('**Attack surface shrinks.**');
  });

  it('exits 2 on usage mistakes and 1 on a file that is not a case', async () => {
    expect((await cli('diff', before)).code).toBe(2);
    expect((await cli('diff', before, after, '--fail-on', 'new-everything')).code).toBe(2);
    expect((await cli('diff', before, after, '--case', before)).code).toBe(2);
    expect((await cli('diff', before, after, '--before', 'latest')).code).toBe(2);
    const missing = await cli('diff', before, join(dir, 'nope.blastmap'), '--json');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.out)).toMatchObject({ error: { code: 'case', message: expect.stringMatching(/no such case file/) } });
    const notCase = await cli('diff', before, NEW_BINDINGS);
    expect(notCase.code).toBe(1);
    expect(notCase.err).toMatch(/not a Blastmap case/);
  });

  it('compares the states of one case: the snapshot a re-import left, or one taken on request', async () => {
    const c = join(tempDir(), 'c.blastmap');
    copyFileSync(before, c);
    const none = await cli('diff', '--case', c);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no snapshots yet/);
    const taken = await cli('snapshot', '--case', c, '--label', 'before the new bindings', '--json');
    expect(JSON.parse(taken.out)).toMatchObject({ id: 1, auto: false, label: 'before the new bindings' });
    expect((await cli('import', NEW_BINDINGS, '--case', c, '--cluster', 'prod-eks')).code).toBe(0);
    const list = JSON.parse((await cli('snapshot', '--case', c, '--list', '--json')).out) as SnapshotInfo[];
    expect(list.map((s) => s.label)).toEqual(['before the new bindings']);
    const d = await cli('diff', '--case', c, '--before', '1', '--json');
    expect(d.code).toBe(0);
    const diff = JSON.parse(d.out) as CaseDiff;
    expect(diff.before.label).toMatch(/^snapshot 1: before the new bindings/);
    expect(diff.summary.paths.newAdminPaths).toBeGreaterThan(0);
    expect((await cli('snapshot', '--case', c, '--list')).out).toMatch(/^1 {2}\S+ {2}requested {2}before the new bindings/);
  });
});

describe('blastmap plan-impact', () => {
  it('says which source the file replaces and by which rule, and gates on new findings', async () => {
    const r = await cli('plan-impact', NEW_BINDINGS, '--case', before, '--cluster', 'prod-eks', '--fail-on', 'new-critical');
    expect(r.code).toBe(3);
    expect(r.out).toContain('**After:** the case after importing kubectl-prod-eks-new-bindings.json');
    expect(r.out).toMatch(/- replaces kubectl-prod-eks\.json \(kubernetes, imported [^)]+\): same format \(kubernetes\) and scope \(k8s:prod-eks\)/);
    // New: the account made cluster-admin (critical), its token (high), and two accounts that can now become it
    // over that account: ci/deployer creates pods in its namespace, prometheus one step further (escalation-to-admin).
    expect(r.out).toMatch(/Gate: \d+ new origin–admin path\(s\), 1 new critical and 3 new high finding\(s\)\./);
    expect(r.out).toMatch(/\| high \| Service account ci\/deployer can become cluster-admin of prod-eks in 2 steps \| ci\/deployer \| escalation-to-admin \|/);
    const json = await cli('plan-impact', NEW_BINDINGS, '--case', before, '--cluster', 'prod-eks', '--replace', 'same-file', '--json');
    expect(json.code).toBe(0);
    const p = JSON.parse(json.out) as PlanImpact;
    expect(p.replaced).toEqual([]);
    expect(p.gate.newCritical).toBe(1);
    expect((await cli('plan-impact', NEW_BINDINGS, '--case', before, '--replace', 'everything')).code).toBe(2);
  });
});
