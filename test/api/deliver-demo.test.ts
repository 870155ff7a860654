// Inventory and triage on the demo case (assets/demo): the leaked CI key, its owner, the admin identities, the
// stale keys. Expected values come from the story the exports tell (assets/demo/README.md) and from the finding
// rules' own figures, not from the code under test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryRow } from '../../src/api/contract.js';
import { openEngine, type Engine } from '../../src/api/engine.js';
import { buildDemoCase } from '../../src/demo.js';

const KEY = 'aws:key:AKIAQDEMO7CIDEPLOY42';
const CI_USER = 'arn:aws:iam::111111111111:user/ci-deployer';

describe('inventory and triage on the demo case', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-deliver-'));
  let engine: Engine;
  beforeAll(async () => {
    await buildDemoCase(join(dir, 'demo.blastmap'));
    engine = openEngine(join(dir, 'demo.blastmap'));
  }, 120_000);
  afterAll(() => {
    engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const row = (rows: InventoryRow[], id: string) => {
    const r = rows.find((x) => x.node.id === id);
    if (!r) throw new Error(`no inventory row for ${id}`);
    return r;
  };

  it('inventory: one row per non-human identity, with its owner, credentials, tier, activity and findings', async () => {
    const rows = await engine.inventory({});
    const ci = row(rows, CI_USER);
    expect(ci).toMatchObject({ kindLabel: 'IAM user', owner: 'platform', ownerSource: 'field', boundary: { id: 'aws:account:111111111111' } });
    // The credential-old finding says how many days old the key is (the demo's age grows with the calendar); the leak
    // marked it compromised.
    const ageTitle = (await engine.findings({})).find((f) => f.nodeId === KEY && /days old$/.test(f.title))?.title;
    const age = Number(/is (\d+) days old$/.exec(ageTitle ?? '')?.[1]);
    expect(age).toBeGreaterThan(90);
    expect(ci.credentials).toMatchObject({ total: 1, active: 1, compromised: 1, oldestDays: age, rotationOverdue: 1, neverUsed: 0 });
    expect(ci.tier).toBe('reaches-high-value');
    expect(ci.tierReason).toMatch(/^reaches Admin of AWS account 222222222222 in 3 steps$/);
    expect(ci.activity?.events).toBeGreaterThan(0);
    // The leak (critical) and the key's age (medium) on its key; on the user, that it can become production admin.
    expect(ci.findings).toEqual({ critical: 1, high: 1, medium: 1 });
    const findings = await engine.findings({});
    const onKey = findings.filter((f) => f.nodeId === KEY || f.nodeId === CI_USER);
    expect(onKey.length).toBe(3);
    expect(findings.find((f) => f.nodeId === CI_USER)?.title).toBe('IAM user ci-deployer can become Admin of AWS account 222222222222 in 3 steps');

    expect(row(rows, 'arn:aws:iam::111111111111:user/dana.ops').tier).toBe('admin');
    expect(rows.find((r) => r.node.name === 'kube-system/legacy-admin')!.tier).toBe('admin');
    const metrics = row(rows, 'arn:aws:iam::111111111111:user/metrics-exporter');
    // Findings: one key never used, both keys older than 90 days, two active keys.
    expect(metrics.credentials).toMatchObject({ total: 2, active: 2, neverUsed: 1, rotationOverdue: 2 });
    expect(metrics.owner).toBeUndefined();
    expect(row(rows, 'arn:aws:iam::222222222222:user/backup-agent').tier).toBe('read');
    // Every identity of every provider: AWS users and roles of both accounts, the cluster's service accounts.
    expect(new Set(rows.map((r) => r.node.provider))).toEqual(new Set(['aws', 'k8s']));
    expect(rows.every((r) => !r.node.stub)).toBe(true);
    expect(rows.some((r) => r.node.kind === 'aws_access_key' || r.node.kind === 'leak')).toBe(false);
  });

  it('inventory: grouped by boundary, highest tier first, the same order every run', async () => {
    const a = await engine.inventory({});
    const b = await engine.inventory({});
    expect(b.map((r) => r.node.id)).toEqual(a.map((r) => r.node.id));
    const order = ['admin', 'reaches-high-value', 'write', 'read', 'none'];
    for (let i = 1; i < a.length; i++) {
      const [p, q] = [a[i - 1]!, a[i]!];
      if (p.boundary?.id === q.boundary?.id) expect(order.indexOf(p.tier)).toBeLessThanOrEqual(order.indexOf(q.tier));
    }
    const boundaries = a.map((r) => r.boundary?.name);
    expect(boundaries).toEqual([...boundaries].sort((x, y) => (x ?? '~').localeCompare(y ?? '~')));
  });

  it('triage: the leaked CI key first, with its holder, exposure, use after the leak, reach and containment', async () => {
    const rows = await engine.triage({});
    expect(rows[0]!.node.id).toBe(KEY);
    const key = rows[0]!;
    expect(key.rank).toBe(1);
    expect(key.holders.map((h) => h.id)).toEqual([CI_USER]);
    expect(key.status).toBe('active');
    // gitleaks dates the commit 2026-11-19T17:05:44Z; CloudTrail of 2026-11-21 shows the key at work after it.
    expect(key.exposedAt).toBe('2026-11-19T17:05:44.000Z');
    expect(key.usedAfterExposure?.lastSeen.startsWith('2026-11-21')).toBe(true);
    expect(key.usedAfterExposure?.actions).toContain('sts:AssumeRole');
    expect(key.reasons.filter((r) => r.startsWith('exposed: '))).toHaveLength(2);
    expect(key.reach.adminOf.map((b) => b.id)).toContain('aws:account:222222222222');
    expect(key.containment).toMatchObject({ cuts: 1, cost: 1, pathsAfter: 0 });
    expect(key.containment?.firstAction).toMatch(/^Deactivate access key/);
    expect(key.score).toBe(key.scoreParts.reduce((a, p) => a + p.points, 0));
    expect(key.scoreParts.map((p) => p.label)).toContain('seen in use after it was exposed');
  });

  it('triage: a credential marked by hand joins the ranking with who marked it, below what reaches admin', async () => {
    await engine.mark({ ids: ['aws:key:AKIAQDEMO3METRICS777'], mark: 'compromised', note: 'IR-7', by: 'tester' });
    try {
      const rows = await engine.triage({});
      const marked = rows.find((r) => r.node.id === 'aws:key:AKIAQDEMO3METRICS777')!;
      expect(marked.reasons[0]).toMatch(/^marked compromised by tester at .*: IR-7$/);
      expect(marked.usedAfterExposure).toBeUndefined();
      expect(marked.rank).toBeGreaterThan(rows.find((r) => r.node.id === KEY)!.rank);
      expect(rows.map((r) => r.rank)).toEqual(rows.map((_, i) => i + 1));
      const again = await engine.triage({});
      expect(again.map((r) => r.node.id)).toEqual(rows.map((r) => r.node.id));
    } finally {
      await engine.unmark({ ids: ['aws:key:AKIAQDEMO3METRICS777'], mark: 'compromised' });
    }
  });
});
