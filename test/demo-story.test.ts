import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../src/api/engine.js';
import { buildDemoCase } from '../src/demo.js';
import { cli } from './helpers.js';

// The incident story the demo case tells (assets/demo/README.md), end to end through every importer and rule:
// a CI user's key leaked on GitHub → the user → assumes deploy-prod in production → passes the admin role
// ops-automation to a new Lambda function → admin of the production account.

const LEAKED = 'AKIAQDEMO7CIDEPLOY42';
const PROD_ADMIN = 'admin:aws:account:222222222222';
const CI_USER = 'arn:aws:iam::111111111111:user/ci-deployer';
const DEPLOY = 'arn:aws:iam::222222222222:role/deploy-prod';
const OPS = 'arn:aws:iam::222222222222:role/ops-automation';

describe('the demo incident story', () => {
  // One case for the whole story (helpers' temp dirs are removed after each test).
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-demo-'));
  const path = join(dir, 'demo.blastmap');
  let engine: Engine;
  let key: string;
  beforeAll(async () => {
    await buildDemoCase(path);
    engine = openEngine(path);
    const r = await engine.resolve({ ref: LEAKED });
    if (r.status !== 'found') throw new Error(`the leaked key does not resolve: ${r.status}`);
    key = r.node.id;
  }, 120_000);
  afterAll(() => {
    engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports every demo export, and the leak marks the key compromised', async () => {
    const info = await engine.caseInfo({});
    const formats = new Set(info.sources.map((s) => s.format));
    for (const f of ['aws-gaad', 'aws-credential-report', 'aws-access-keys', 'aws-resource-policy', 'kubernetes', 'gitleaks', 'cloudtrail']) expect(formats).toContain(f);
    const details = await engine.node({ id: key });
    expect(details.node.marks).toContain('compromised');
    expect(details.in.some((e) => e.edge.kind === 'EXPOSES' && e.other.kind === 'leak')).toBe(true);
    // The credential report's key slot and the listed key id are one node.
    expect(details.handles).toContain(LEAKED);
    expect(details.sources.map((s) => s.format).sort()).toEqual(expect.arrayContaining(['aws-access-keys', 'aws-credential-report', 'gitleaks']));
  });

  it('finds the path from the leaked key to production admin, every step explained', async () => {
    const paths = await engine.paths({ from: key, to: 'admin', k: 5 });
    const toProd = paths.filter((p) => p.steps.at(-1)?.to.id === PROD_ADMIN);
    expect(toProd.length).toBeGreaterThan(0);
    const unconditional = toProd.find((p) => !p.conditional && p.steps.every((s) => !s.edge.observed));
    expect(unconditional).toBeDefined();
    expect(unconditional!.steps.map((s) => [s.edge.kind, s.to.id])).toEqual([
      ['AUTHENTICATES_AS', CI_USER],
      ['CAN_ASSUME', DEPLOY],
      ['CAN_ESCALATE', OPS],
      ['ADMIN_OF', PROD_ADMIN],
    ]);
    for (const step of unconditional!.steps) {
      expect(step.edge.reason.length).toBeGreaterThan(10);
      expect(step.edge.evidence.length).toBeGreaterThan(0);
    }
    // pathfinding.cloud lambda-001: iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction.
    expect(unconditional!.steps[2]!.edge.technique).toBe('lambda-001');
    expect(unconditional!.steps[2]!.edge.props['actions']).toEqual(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction']);
  });

  it('lists a route once even when two sources state the same step (the report and list-access-keys both name the key)', async () => {
    const paths = await engine.paths({ from: key, to: 'admin', k: 10 });
    const signatures = paths.map((p) => p.steps.map((s) => `${s.edge.kind}>${s.to.id}`).join(' '));
    expect(new Set(signatures).size).toBe(signatures.length);
    const keyStep = paths[0]!.steps[0]!;
    expect(keyStep.edge.kind).toBe('AUTHENTICATES_AS');
  });

  it('puts production admin and the payments secret in the blast radius', async () => {
    const br = await engine.blastRadius({ from: key });
    expect(br.admins.map((a) => a.node.id)).toContain(PROD_ADMIN);
    expect(br.identities.map((i) => i.node.id)).toEqual(expect.arrayContaining([CI_USER, DEPLOY, OPS]));
    expect(br.resources.some((r) => r.node.kind === 'aws_secret')).toBe(true);
    const prod = br.byBoundary.find((b) => b.boundary.id === 'aws:account:222222222222');
    expect(prod?.admin).toBe(true);
  });

  it('reports the leaked key as a critical finding', async () => {
    const findings = await engine.findings({ severity: 'critical' });
    expect(findings.some((f) => f.nodeId === key && /leak/i.test(f.title))).toBe(true);
  });

  it('plans a containment that cuts every path, and the re-check finds none left', async () => {
    const plan = await engine.containment({ from: key });
    expect(plan.pathsBefore).toBeGreaterThan(0);
    expect(plan.pathsAfter).toBe(0);
    expect(plan.cuts.length).toBeGreaterThan(0);
    expect(plan.cuts.some((c) => /access key/i.test(c.action))).toBe(true);
  });

  it('refuses the IRSA link whose role does not trust the service account, and no path uses it', async () => {
    const etl = await engine.resolve({ ref: 'analytics/etl' });
    expect(etl.status).toBe('found');
    if (etl.status !== 'found') return;
    const details = await engine.node({ id: etl.node.id });
    expect(details.out.some((e) => e.edge.kind === 'FEDERATION_REFUSED')).toBe(true);
    expect(details.out.some((e) => e.edge.kind === 'FEDERATES_TO')).toBe(false);
  });

  it('answers the same story from the CLI', async () => {
    const r = await cli('paths', LEAKED, '--to', 'admin', '--case', path, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const paths = JSON.parse(r.out) as { steps: { to: { id: string } }[] }[];
    expect(paths.some((p) => p.steps.at(-1)?.to.id === PROD_ADMIN)).toBe(true);
  });

  it('states each piece of a finding\'s evidence once (derived edges are not read twice)', async () => {
    const findings = await engine.findings({});
    expect(findings.length).toBeGreaterThan(0);
    const repeated = findings.filter((f) => new Set(f.evidence.map((e) => JSON.stringify(e))).size !== f.evidence.length);
    expect(repeated.map((f) => f.title)).toEqual([]);
    // The admin finding of the leaked key's path rests on derived ADMIN_OF edges.
    expect(findings.some((f) => f.evidence.some((e) => /admin/i.test(e.summary)))).toBe(true);
  });
});
