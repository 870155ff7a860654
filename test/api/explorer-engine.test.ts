// Engine calls the explorer needs: routes instead of edge sequences, high value in the blast radius, the estate
// overview of the first screen, saved views and containment checks kept in the case.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../src/api/engine.js';
import { validateArg } from '../../src/api/validate.js';
import { buildDemoCase } from '../../src/demo.js';
import { cli, tempDir } from '../helpers.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const LEAKED = 'AKIAQDEMO7CIDEPLOY42';
const DEV = 'aws:account:111111111111';
const PROD = 'aws:account:222222222222';

describe('explorer engine calls on the demo case', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-explorer-'));
  const path = join(dir, 'demo.blastmap');
  let engine: Engine;
  let key: string;
  beforeAll(async () => {
    await buildDemoCase(path);
    engine = openEngine(path);
    const r = await engine.resolve({ ref: LEAKED });
    if (r.status !== 'found') throw new Error('the leaked key does not resolve');
    key = r.node.id;
  }, 120_000);
  afterAll(() => {
    engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ranks routes: paths through the same nodes are one, the other edges of a step are its alternatives', async () => {
    const paths = await engine.paths({ from: key, to: 'admin', k: 20 });
    const routes = paths.map((p) => [p.steps[0]!.from.id, ...p.steps.map((s) => s.to.id)].join(' > '));
    expect(new Set(routes).size).toBe(routes.length);
    // The key both authenticates as its user and was seen in use by it: one step, the observation listed beside it.
    const first = paths[0]!.steps[0]!;
    expect(first.edge.kind).toBe('AUTHENTICATES_AS');
    expect(first.alternatives?.map((a) => a.kind)).toContain('OBSERVED_USE');
    // A step that a permission and an observation both take shows the permission, the observation as alternative.
    const observedAlt = paths.flatMap((p) => p.steps).find((s) => s.alternatives?.some((a) => a.kind === 'OBSERVED_USE') && s.edge.kind === 'CAN_ASSUME');
    expect(observedAlt).toBeDefined();
    // Far fewer paths than edge sequences: the demo has 8 sequences to production admin over 2 routes.
    expect(paths.filter((p) => p.steps.at(-1)!.to.id === `admin:${PROD}`).length).toBeLessThanOrEqual(3);
  });

  it('names the access key by its key id in the containment checklist', async () => {
    const plan = await engine.containment({ from: key });
    expect(plan.cuts[0]!.action).toBe(`Deactivate access key ${LEAKED} of ci-deployer`);
  });

  it('gives the estate overview: boundaries with counts, trust per pair, marked nodes and the worst findings', async () => {
    const estate = await engine.estate({});
    const byId = new Map(estate.boundaries.map((b) => [b.boundary.id, b]));
    expect([...byId.keys()]).toEqual(expect.arrayContaining([DEV, PROD, 'k8s:prod-eks']));
    const prod = byId.get(PROD)!;
    expect(prod.identities).toBeGreaterThan(0);
    expect(prod.admins).toBeGreaterThan(0);
    // Every finding is counted once, in the boundary of its node or outside.
    const info = await engine.caseInfo({});
    const counted = [...estate.boundaries, { findings: estate.outside.findings }].flatMap((b) => Object.values(b.findings)).reduce((a: number, b) => a + (b ?? 0), 0);
    expect(counted).toBe(info.counts.findings);
    // The dev account's principals can assume production roles: one aggregated edge for the pair.
    const devToProd = estate.trust.filter((t) => t.from === DEV && t.to === PROD);
    expect(devToProd).toHaveLength(1);
    expect(devToProd[0]!.targetKinds.aws_role).toBeGreaterThan(0);
    expect(devToProd[0]!.edgeKinds.CAN_ASSUME).toBeGreaterThan(0);
    expect(estate.marked.map((n) => n.id)).toContain(key);
    expect(estate.topFindings[0]!.severity).toBe('critical');
  });

  it('prints the estate on the command line, as text and as the API JSON', async () => {
    engine.close();
    try {
      const text = await cli('estate', '--case', path);
      expect(text.code).toBe(0);
      expect(text.out).toMatch(/111111111111 \[aws_account\]: \d+ identities/);
      expect(text.out).toMatch(/111111111111 → 222222222222: \d+ source\(s\) reach \d+ node\(s\) over .*CAN_ASSUME/);
      const json = JSON.parse((await cli('estate', '--case', path, '--json')).out) as { boundaries: unknown[]; trust: unknown[] };
      expect(json.boundaries.length).toBeGreaterThanOrEqual(3);
      expect(json.trust.length).toBeGreaterThan(0);
    } finally {
      engine = openEngine(path);
    }
  });

  it('keeps named views and containment checks in the case, across a reopen', async () => {
    await engine.saveView({ name: 'triage', state: { mode: 'paths', nodes: ['a', 'b'] } });
    await engine.saveView({ name: 'triage', state: { mode: 'blast', nodes: ['a'] } });
    await engine.saveView({ name: 'board', state: { mode: 'explore' } });
    const cut = `${key} AUTHENTICATES_AS arn:aws:iam::111111111111:user/ci-deployer`;
    await engine.setContainmentCheck({ origin: key, cut, checked: true });
    engine.close();
    engine = openEngine(path);
    const views = await engine.savedViews({});
    expect(views.map((v) => v.name)).toEqual(['board', 'triage']);
    expect(views[1]!.state).toEqual({ mode: 'blast', nodes: ['a'] });
    expect(await engine.containmentChecks({ origin: key })).toMatchObject([{ cut, checked: true, by: 'user' }]);
    await engine.setContainmentCheck({ origin: key, cut, checked: false });
    expect((await engine.containmentChecks({ origin: key }))[0]!.checked).toBe(false);
    expect(await engine.deleteView({ name: 'board' })).toEqual({ removed: 1 });
    expect((await engine.savedViews({})).map((v) => v.name)).toEqual(['triage']);
  });

  it('refuses a view without a name or with a state that is not an object', () => {
    expect(() => validateArg('saveView', { name: '  ', state: {} })).toThrow(/name/);
    expect(() => validateArg('saveView', { name: 'x', state: [1] })).toThrow(/state/);
    expect(validateArg('saveView', { name: 'x', state: { a: [1, { b: null }] } })).toEqual({ name: 'x', state: { a: [1, { b: null }] } });
  });
});

describe('high value in the blast radius', () => {
  it('lists reached nodes marked high value whatever their category, nearest first', async () => {
    const file = join(tempDir(), 'tier-zero.json');
    const graph = {
      metadata: { source_kind: 'T0' },
      graph: {
        nodes: [
          { id: 'u', kinds: ['T0_User'], properties: { name: 'svc-build' } },
          { id: 'g', kinds: ['T0_Group', 'T0_TierZero'], properties: { name: 'Domain Admins' } },
          { id: 'b', kinds: ['T0_Bucket'], properties: { name: 'crown-jewels', highvalue: true } },
          { id: 'x', kinds: ['T0_Bucket'], properties: { name: 'unrelated', highvalue: true } },
        ],
        edges: [
          { kind: 'GenericAll', start: { value: 'u' }, end: { value: 'g' } },
          { kind: 'CanRead', start: { value: 'g' }, end: { value: 'b' } },
        ],
      },
    };
    writeFileSync(file, JSON.stringify(graph));
    const engine = openEngine(join(tempDir(), 'c.blastmap'), { create: true });
    try {
      await engine.importFiles({ files: [{ path: file }] });
      const br = await engine.blastRadius({ from: 'og:u' });
      expect(br.admins).toEqual([]);
      expect(br.highValue?.map((h) => [h.node.name, h.depth])).toEqual([
        ['Domain Admins', 1],
        ['crown-jewels', 2],
      ]);
      // The origin itself is never "reached", even when marked.
      expect((await engine.blastRadius({ from: 'og:g' })).highValue?.map((h) => h.node.name)).toEqual(['crown-jewels']);
    } finally {
      engine.close();
    }
  });
});
