import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffCaseFiles } from '../../src/api/compare/service.js';
import { openEngine } from '../../src/api/engine.js';
import { buildDemoCase } from '../../src/demo.js';
import { CaseStore } from '../../src/store/case-store.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { FIXTURES, ROOT, sha256File, tempDir } from '../helpers.js';

const COMPARE = join(FIXTURES, 'compare');
const DEMO_ASSETS = join(ROOT, 'assets', 'demo');
const PROD_ADMIN = 'admin:aws:account:222222222222';

let templateDir: string;
let demoTemplate: string;
beforeAll(async () => {
  // One demo case per file, copied by each test: building it takes a second.
  templateDir = mkdtempSync(join(tmpdir(), 'blastmap-test-demo-'));
  demoTemplate = join(templateDir, 'demo.blastmap');
  await buildDemoCase(demoTemplate);
}, 120_000);
afterAll(() => rmSync(templateDir, { recursive: true, force: true }));

/** A fresh copy of the demo case. */
function demo(): string {
  const path = join(tempDir(), 'demo.blastmap');
  copyFileSync(demoTemplate, path);
  return path;
}

describe('plan-impact', () => {
  it('imports a newer kubectl export of the cluster into a copy, replacing the older one, and leaves the case untouched', async () => {
    const path = demo();
    // The first analysis saves the graph index in the case (a cache); save it before taking the file's hash.
    const warm = openEngine(path);
    await warm.blastRadius({ from: PROD_ADMIN });
    warm.close();
    const hash = sha256File(path);
    const engine = openEngine(path);
    try {
      const before = await engine.caseInfo({});
      const impact = await engine.planImpact({ files: [{ path: join(COMPARE, 'kubectl-prod-eks-new-bindings.json') }], options: { cluster: 'prod-eks' } });
      expect(impact.replaced.map((r) => [r.source.fileName, r.rule])).toEqual([['kubectl-prod-eks.json', 'same format (kubernetes) and scope (k8s:prod-eks)']]);
      expect(impact.imported.map((s) => s.fileName)).toEqual(['kubectl-prod-eks-new-bindings.json']);
      // Nothing removed: the newer export holds everything the older one did, and two bindings more.
      expect(impact.diff.nodes.filter((n) => n.change === 'removed')).toEqual([]);
      const admin = impact.diff.paths.filter((p) => p.change === 'appeared' && p.targetClass === 'admin');
      expect(admin[0]).toMatchObject({ origin: { id: 'k8s:prod-eks/payments/secret/payments-api-token' }, originClass: 'credential', target: { id: 'admin:k8s:prod-eks' } });
      expect(admin[0]!.path!.steps.map((s) => s.edge.kind)).toEqual(['AUTHENTICATES_AS', 'ADMIN_OF']);
      expect(admin.some((p) => p.origin.id === 'k8s:prod-eks/ci/serviceaccount/deployer')).toBe(true);
      expect(impact.gate.newAdminPaths).toBe(impact.diff.summary.paths.newAdminPaths);
      expect(impact.gate.newAdminPaths).toBeGreaterThan(0);
      expect(impact.gate.newCritical).toBe(1);
      expect(impact.diff.findings.find((f) => f.change === 'new' && f.finding.severity === 'critical')?.finding.rule).toBe('k8s-sa-cluster-admin');
      const token = impact.diff.blastRadius.find((b) => b.origin.id === 'k8s:prod-eks/payments/secret/payments-api-token')!;
      expect(token.adminGained.map((n) => n.id)).toEqual(['admin:k8s:prod-eks']);
      expect(impact.diff.edges.filter((e) => e.change === 'added').map((e) => e.kind)).toEqual(expect.arrayContaining(['ADMIN_OF', 'CAN_READ_CREDENTIAL', 'HAS_ROLE']));
      // The case: same sources, same counts, same bytes.
      expect(await engine.caseInfo({})).toEqual(before);
    } finally {
      engine.close();
    }
    expect(sha256File(path)).toBe(hash);
  });

  it('replaces an older GAAD of the same account (another file name), never one of another account', async () => {
    const engine = openEngine(demo());
    try {
      const impact = await engine.planImpact({ files: [{ path: join(COMPARE, 'aws-dev-gaad-exporter-admin.json') }] });
      expect(impact.replaced.map((r) => r.source.fileName)).toEqual(['aws-dev-gaad.json']);
      const appeared = impact.diff.paths.filter((p) => p.change === 'appeared').map((p) => p.origin.name);
      expect(appeared).toEqual(expect.arrayContaining(['metrics-exporter']));
      expect(impact.diff.summary.paths.newAdminOrigins).toBe(3);
      // With the re-import rule alone the old GAAD stays beside the new one: what only it describes (the policy the
      // remediation deleted) is still in the case. With the scope rule it is gone.
      const removedPolicy = (i: typeof impact) => i.diff.nodes.some((n) => n.change === 'removed' && n.node.name === 'ci-deploy-to-prod');
      const additive = await engine.planImpact({ files: [{ path: join(COMPARE, 'aws-dev-gaad-remediated.json') }], replace: 'same-file' });
      expect(additive.replaced).toEqual([]);
      expect(removedPolicy(additive)).toBe(false);
      const scoped = await engine.planImpact({ files: [{ path: join(COMPARE, 'aws-dev-gaad-remediated.json') }] });
      expect(removedPolicy(scoped)).toBe(true);
      expect(scoped.diff.edges.find((e) => e.change === 'removed' && e.kind === 'CAN_ASSUME')).toMatchObject({ from: { name: 'ci-deployer' }, to: { name: 'deploy-prod' } });
    } finally {
      engine.close();
    }
  });

  it('replaces a source named with replaces, and a bad file fails with the file named, the case unchanged', async () => {
    const path = demo();
    const engine = openEngine(path);
    try {
      const sources = (await engine.caseInfo({})).sources;
      const policy = sources.find((s) => s.fileName === 'secretsmanager-policy-prod-payments-db.json')!;
      const impact = await engine.planImpact({ files: [{ path: join(COMPARE, 'aws-dev-gaad-remediated.json') }], replace: 'same-file', replaces: [String(policy.id)] });
      expect(impact.replaced.map((r) => [r.source.fileName, r.rule])).toEqual([['secretsmanager-policy-prod-payments-db.json', 'named with --replaces']]);
      const dir = tempDir();
      writeFileSync(join(dir, 'broken.json'), '{"UserDetailList": [');
      await expect(engine.planImpact({ files: [{ path: join(dir, 'broken.json') }] })).rejects.toMatchObject({ code: 'bad-input', file: 'broken.json' });
      expect((await engine.caseInfo({})).sources).toEqual(sources);
    } finally {
      engine.close();
    }
  });
});

describe('compare two case files', () => {
  it('diffs the demo against the demo with a newer kubectl export, read-only, either way round', async () => {
    const a = demo();
    const b = demo();
    const eb = openEngine(b);
    await eb.importFiles({ files: [{ path: join(COMPARE, 'kubectl-prod-eks-new-bindings.json') }], options: { cluster: 'prod-eks' } });
    eb.close();
    const [ha, hb] = [sha256File(a), sha256File(b)];
    const d = diffCaseFiles(a, b);
    expect(d.before.path).toBe(a);
    expect(d.summary.paths.newAdminOrigins).toBeGreaterThan(0);
    // Both kubectl exports are in b (different files): nothing was removed.
    expect(d.summary.paths.disappeared).toBe(0);
    const reversed = diffCaseFiles(b, a);
    expect(reversed.summary.paths.disappeared).toBe(d.summary.paths.appeared);
    expect(reversed.summary.findings.fixed).toBe(d.summary.findings.new);
    expect([sha256File(a), sha256File(b)]).toEqual([ha, hb]);

    // The engine's compareCase: by path, and by upload of the file's bytes.
    const engine = openEngine(a);
    try {
      const byPath = await engine.compareCase({ other: { path: b }, otherIs: 'after' });
      expect(byPath.summary).toEqual(d.summary);
      const upload = await engine.compareCase({ other: { name: 'b.blastmap', contentBase64: readFileSync(b).toString('base64') }, otherIs: 'after' });
      expect(upload.summary).toEqual(d.summary);
      expect(upload.after.label).toBe('b.blastmap');
      await expect(engine.compareCase({ other: { name: 'x.blastmap', contentBase64: Buffer.from('not a case').toString('base64') } })).rejects.toMatchObject({ code: 'case', message: expect.stringMatching(/not a Blastmap case/) });
    } finally {
      engine.close();
    }
  });

  it('reads a case of an older schema through a migrated private copy, never writing it', async () => {
    const old = join(tempDir(), 'old.blastmap');
    const store = CaseStore.open(old, { create: true, migrations: MIGRATIONS.filter((m) => m.version <= 3) });
    store.close();
    const hash = sha256File(old);
    const d = diffCaseFiles(old, demo());
    expect(d.summary.nodes.credential?.added).toBeGreaterThan(0);
    expect(sha256File(old)).toBe(hash);
  });
});

describe('snapshots of one case', () => {
  it('keeps the state a re-import replaces and compares it with the case as it is', async () => {
    const dir = tempDir();
    const kubectl = join(dir, 'kubectl.json');
    copyFileSync(join(DEMO_ASSETS, 'kubectl-prod-eks.json'), kubectl);
    const engine = openEngine(join(dir, 'c.blastmap'), { create: true });
    try {
      await engine.importFiles({ files: [{ path: kubectl }], options: { cluster: 'prod-eks' } });
      expect(await engine.snapshots({})).toEqual([]);
      await expect(engine.compareSnapshots({ before: 'latest' })).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/no snapshots yet/) });
      copyFileSync(join(COMPARE, 'kubectl-prod-eks-new-bindings.json'), kubectl);
      await engine.importFiles({ files: [{ path: kubectl }], options: { cluster: 'prod-eks' } });
      const [snap] = await engine.snapshots({});
      expect(snap).toMatchObject({ id: 1, auto: true, label: 'before importing kubectl.json', replaced: [{ id: 1, fileName: 'kubectl.json' }] });
      const d = await engine.compareSnapshots({ before: 'latest' });
      expect(d.before).toMatchObject({ kind: 'snapshot', snapshot: { id: 1 } });
      expect(d.summary.paths.newAdminOrigins).toBeGreaterThan(0);
      const appeared = d.paths.find((p) => p.origin.id === 'k8s:prod-eks/payments/secret/payments-api-token')!;
      expect(appeared.path!.steps.at(-1)!.edge.kind).toBe('ADMIN_OF');
      // The same snapshot by id, by the replaced file's name and by a time before the re-import.
      for (const ref of ['1', 'kubectl.json', '2000-01-01']) expect((await engine.compareSnapshots({ before: ref })).summary).toEqual(d.summary);
      // After the last re-import, the state at a time is the case as it is: nothing changed since.
      expect((await engine.compareSnapshots({ before: '2999-01-01' })).paths).toEqual([]);
      await expect(engine.compareSnapshots({ before: '7' })).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/snapshots 1 \(/) });

      // Seen backwards, the snapshot is after: the paths disappear, and the edges the snapshot no longer has rows
      // for are described from what it kept.
      const back = await engine.compareSnapshots({ before: 'current', after: '1' });
      expect(back.summary.paths.disappeared).toBe(d.summary.paths.appeared);
      const taken = await engine.takeSnapshot({ label: 'before remediation' });
      expect(taken).toMatchObject({ id: 2, auto: false, label: 'before remediation' });
      expect((await engine.compareSnapshots({ before: '2' })).paths).toEqual([]);
    } finally {
      engine.close();
    }
  });

  it('does not snapshot an import that only adds, and keeps the newest automatic snapshots only', async () => {
    const dir = tempDir();
    const file = join(dir, 'kubectl.json');
    copyFileSync(join(DEMO_ASSETS, 'kubectl-prod-eks.json'), file);
    const engine = openEngine(join(dir, 'c.blastmap'), { create: true });
    try {
      await engine.importFiles({ files: [{ path: join(DEMO_ASSETS, 'aws-dev-gaad.json') }] });
      await engine.importFiles({ files: [{ path: file }], options: { cluster: 'prod-eks' } });
      expect(await engine.snapshots({})).toEqual([]);
      for (let i = 0; i < 10; i++) await engine.importFiles({ files: [{ path: file }], options: { cluster: 'prod-eks' } });
      expect((await engine.snapshots({})).map((s) => s.id)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    } finally {
      engine.close();
    }
  });
});

describe('paths to admin in the demo story', () => {
  it('marks the leaked key compromised and lists its lost path first when its group policy goes', async () => {
    const engine = openEngine(demo());
    try {
      // Remove CloudTrail (the observed AssumeRole keeps the path open) and the policy, in one plan.
      const sources = (await engine.caseInfo({})).sources;
      const trail = sources.find((s) => s.format === 'cloudtrail')!;
      const impact = await engine.planImpact({ files: [{ path: join(COMPARE, 'aws-dev-gaad-remediated.json') }], replaces: [trail.fileName] });
      expect(impact.diff.paths[0]).toMatchObject({ change: 'disappeared', originClass: 'compromised' });
      const first = impact.diff.paths.find((p) => p.target.id === PROD_ADMIN)!;
      expect(first).toMatchObject({ change: 'disappeared', originClass: 'compromised' });
      // Compromised origins are listed before every other.
      const lastCompromised = impact.diff.paths.map((p) => p.originClass).lastIndexOf('compromised');
      expect(impact.diff.paths.slice(0, lastCompromised + 1).every((p) => p.originClass === 'compromised')).toBe(true);
      expect(first.origin.marks).toContain('compromised');
      expect(first.path!.steps[0]!.from.id).toBe(first.origin.id);
      expect(impact.diff.summary.paths.lostAdminOrigins).toBeGreaterThan(0);
      expect(impact.gate.newAdminPaths).toBe(0);
    } finally {
      engine.close();
    }
  });
});

describe('import --supersede', () => {
  it('replaces an older GAAD of the same account imported under another name, keeping the state before for diff --case', async () => {
    const dir = tempDir();
    const engine = openEngine(join(dir, 'c.blastmap'), { create: true });
    try {
      await engine.importFiles({ files: [{ path: join(DEMO_ASSETS, 'aws-dev-gaad.json') }, { path: join(DEMO_ASSETS, 'aws-prod-gaad.json') }] });
      await engine.takeSnapshot({ label: 'marker' });
      const result = await engine.importFiles({ files: [{ path: join(COMPARE, 'aws-dev-gaad-remediated.json') }], options: { supersede: true } });
      expect(result.sources.map((s) => s.fileName)).toEqual(['aws-dev-gaad-remediated.json']);
      expect((await engine.caseInfo({})).sources.map((s) => s.fileName).sort()).toEqual(['aws-dev-gaad-remediated.json', 'aws-prod-gaad.json']);
      const [, auto] = await engine.snapshots({});
      // It names the one source actually replaced, not every candidate of the format.
      expect(auto!.replaced.map((r) => r.fileName)).toEqual(['aws-dev-gaad.json']);
      const d = await engine.compareSnapshots({ before: 'latest' });
      expect(d.nodes.find((n) => n.change === 'removed' && n.node.name === 'ci-deploy-to-prod')).toBeDefined();
      expect(d.edges.find((e) => e.change === 'removed' && e.kind === 'CAN_ASSUME')).toMatchObject({ from: { name: 'ci-deployer' }, to: { name: 'deploy-prod' } });
      // An import with --supersede that replaces nothing leaves no snapshot behind.
      await engine.importFiles({ files: [{ path: join(DEMO_ASSETS, 'kubectl-prod-eks.json') }], options: { cluster: 'prod-eks', supersede: true } });
      expect((await engine.snapshots({})).length).toBe(2);
    } finally {
      engine.close();
    }
  });
});
