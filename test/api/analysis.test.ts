import { describe, expect, it } from 'vitest';
import { loadGraphIndex } from '../../src/analysis/index/snapshot.js';
import { openEngine } from '../../src/api/engine.js';
import type { ContainmentPlan } from '../../src/api/contract.js';
import { CaseStore } from '../../src/store/case-store.js';
import { scenario, type E, type N } from '../analysis/scenario.js';
import { cli } from '../helpers.js';

const ACCT = 'aws:account:222222222222';
const ADMIN = `admin:${ACCT}`;
const nodes: N[] = [
  { id: ACCT, kind: 'aws_account', name: '222222222222' },
  { id: ADMIN, kind: 'admin', name: 'Admin of AWS account 222222222222', boundary: ACCT },
  { id: 'leak:gitleaks:f1', kind: 'leak', name: 'config.env:3' },
  { id: 'aws:key:AKIAEXAMPLE', kind: 'aws_access_key', name: 'AKIAEXAMPLE', boundary: ACCT },
  { id: 'arn:aws:iam::222222222222:user/ci-deployer', kind: 'aws_user', name: 'ci-deployer', boundary: ACCT },
  { id: 'arn:aws:iam::222222222222:role/deploy-prod', kind: 'aws_role', name: 'deploy-prod', boundary: ACCT },
  { id: 'arn:aws:s3:::prod-data', kind: 'aws_bucket', name: 'prod-data', boundary: ACCT },
];
const trust = { type: 'trust-statement', summary: 'Statement 0 of the trust policy of deploy-prod allows user/ci-deployer sts:AssumeRole', location: 'gaad.json $.RoleDetailList[0]' };
const edges: E[] = [
  ['leak:gitleaks:f1', 'aws:key:AKIAEXAMPLE', 'EXPOSES'],
  ['aws:key:AKIAEXAMPLE', 'arn:aws:iam::222222222222:user/ci-deployer', 'AUTHENTICATES_AS'],
  ['arn:aws:iam::222222222222:user/ci-deployer', 'arn:aws:iam::222222222222:role/deploy-prod', 'CAN_ASSUME', { reason: 'the trust policy of deploy-prod names ci-deployer', technique: 'sts:AssumeRole', evidence: [trust] }],
  ['arn:aws:iam::222222222222:role/deploy-prod', ADMIN, 'ADMIN_OF', { reason: 'AdministratorAccess is attached', technique: 'iam:*' }],
  ['arn:aws:iam::222222222222:role/deploy-prod', 'arn:aws:s3:::prod-data', 'CAN_ACCESS', { accessLevel: 'Write', actions: ['s3:PutObject'] }],
  ['arn:aws:iam::222222222222:user/ci-deployer', 'arn:aws:s3:::prod-data', 'CAN_ACCESS', { accessLevel: 'Read', actions: ['s3:GetObject'] }],
];

function caseFile(): string {
  const s = scenario(nodes, edges);
  s.store.close();
  return s.path;
}

describe('analysis through the engine API', () => {
  it('answers blast radius with access levels, the identity behind them and the boundary taken over', async () => {
    const engine = openEngine(caseFile());
    const br = await engine.blastRadius({ from: 'leak:gitleaks:f1' });
    expect(br.credentials.map((r) => r.node.name)).toEqual(['AKIAEXAMPLE']);
    expect(br.identities.map((r) => [r.node.name, r.depth])).toEqual([
      ['ci-deployer', 2],
      ['deploy-prod', 3],
    ]);
    // deploy-prod has Write on prod-data, but it is also admin of the bucket's account: admin is the higher level.
    expect(br.resources).toMatchObject([{ node: { name: 'prod-data' }, accessLevel: 'admin', via: ADMIN }]);
    expect(br.resources[0]!.viaAdmin).toBeUndefined();
    expect(br.admins.map((a) => a.path)).toEqual([['leak:gitleaks:f1', 'aws:key:AKIAEXAMPLE', 'arn:aws:iam::222222222222:user/ci-deployer', 'arn:aws:iam::222222222222:role/deploy-prod', ADMIN]]);
    expect(br.byBoundary).toEqual([expect.objectContaining({ boundary: expect.objectContaining({ id: ACCT }), identities: 2, resources: 1, credentials: 1, admin: true, viaAdmin: { identities: 0, resources: 0, credentials: 0 } })]);
    expect(br.byAccessLevel).toEqual({ admin: 1 });
    // Short of the admin node, the levels are the CAN_ACCESS ones, with the identity that has them.
    const near = await engine.blastRadius({ from: 'leak:gitleaks:f1', maxDepth: 3 });
    expect(near.resources).toMatchObject([{ node: { name: 'prod-data' }, accessLevel: 'Read', via: 'arn:aws:iam::222222222222:user/ci-deployer' }]);
    expect(near.byBoundary).toEqual([expect.objectContaining({ admin: false, resources: 1 })]);
    expect(near.byBoundary[0]!.viaAdmin).toBeUndefined();
    engine.close();
  });

  it('explains every step of a path and plans a containment that leaves no path', async () => {
    const engine = openEngine(caseFile());
    const [path] = await engine.paths({ from: 'aws:key:AKIAEXAMPLE', to: 'admin' });
    expect(path!.steps.map((s) => s.edge.kind)).toEqual(['AUTHENTICATES_AS', 'CAN_ASSUME', 'ADMIN_OF']);
    expect(path!.steps[1]!.edge).toMatchObject({ reason: 'the trust policy of deploy-prod names ci-deployer', technique: 'sts:AssumeRole', evidence: [trust] });
    expect(path!.steps[0]!.edge.evidence[0]).toMatchObject({ type: 'source-record', location: 'scenario.json' });

    const plan = await engine.containment({ from: 'aws:key:AKIAEXAMPLE' });
    expect(plan.cuts.map((c) => c.action)).toEqual(['Deactivate access key AKIAEXAMPLE of ci-deployer']);
    expect(plan).toMatchObject({ pathsBefore: 1, pathsAfter: 0, cost: 1, targets: [expect.objectContaining({ id: ADMIN })] });
    expect(plan.cuts[0]!.pathsCut).toBe(1);

    const toData = await engine.containment({ from: 'arn:aws:iam::222222222222:user/ci-deployer', targets: ['arn:aws:s3:::prod-data'] });
    expect(toData.cuts.map((c) => c.action).sort()).toEqual(['Remove ci-deployer from the trust policy of deploy-prod', "Remove ci-deployer's Read access to prod-data"]);
    expect(toData.pathsAfter).toBe(0);
    engine.close();
  });

  it('finds paths to nodes marked high-value, and none once the mark is undone', async () => {
    const engine = openEngine(caseFile());
    await engine.mark({ ids: ['arn:aws:s3:::prod-data'], mark: 'high-value' });
    const paths = await engine.paths({ from: 'aws:key:AKIAEXAMPLE', to: 'high-value' });
    expect(paths.map((p) => p.steps.map((s) => s.to.name))).toEqual([
      ['ci-deployer', 'prod-data'],
      ['ci-deployer', 'deploy-prod', 'prod-data'],
    ]);
    await engine.unmark({ ids: ['arn:aws:s3:::prod-data'], mark: 'high-value' });
    expect(await engine.paths({ from: 'aws:key:AKIAEXAMPLE', to: 'high-value' })).toEqual([]);
    engine.close();
  });

  it('saves the graph index in the case and rebuilds it when the case changes', async () => {
    const path = caseFile();
    const engine = openEngine(path);
    await engine.blastRadius({ from: 'aws:key:AKIAEXAMPLE' });
    engine.close();

    const store = CaseStore.open(path);
    expect(store.loadGraphSnapshot()?.stamp).toBe(store.graphStamp());
    const reopened = loadGraphIndex(store);
    expect(reopened.from).toBe('snapshot');
    expect(reopened.index.n).toBe(nodes.length);
    expect(reopened.index.m).toBe(edges.length);
    store.begin();
    store.clearDerived();
    store.commit();
    expect(store.loadGraphSnapshot()).toBeUndefined();
    expect(loadGraphIndex(store).from).toBe('built');
    store.close();
  });

  it('is reachable from the CLI: containment checklist, --json, and window flags checked', async () => {
    const path = caseFile();
    const text = await cli('containment', 'AKIAEXAMPLE', '--case', path);
    expect(text.code).toBe(0);
    expect(text.out).toContain('[ ] Deactivate access key AKIAEXAMPLE of ci-deployer');
    expect(text.out).toContain('re-check: no path left after these cuts');
    const radius = await cli('blast-radius', 'leak:gitleaks:f1', '--case', path);
    expect(radius.out).toContain(`resource prod-data [aws_bucket]: admin via ${ADMIN}`);
    const json = await cli('containment', 'AKIAEXAMPLE', '--case', path, '--json');
    expect((JSON.parse(json.out) as ContainmentPlan).pathsAfter).toBe(0);
    const observed = await cli('blast-radius', 'AKIAEXAMPLE', '--case', path, '--observed-only', '--json');
    expect(JSON.parse(observed.out).identities.map((r: { node: { name: string } }) => r.node.name)).toEqual(['ci-deployer']);
    const bad = await cli('paths', 'AKIAEXAMPLE', '--to', 'admin', '--since', '2026-01-01', '--case', path);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--since and --until apply to --observed-only');
  });
});
