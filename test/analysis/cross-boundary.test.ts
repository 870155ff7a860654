// The admin-crosses-boundary finding: an admin of one boundary that can become admin of another. Scenario fixtures
// in the formats the tools write (a GAAD of two accounts, a Cloud Asset Inventory export of six projects) and the
// demo's exports, with the expectations reasoned from their policies:
// - tools/ci-runner (AdministratorAccess in 333333333333) is trusted by name by prod-deployer (AdministratorAccess in
//   444444444444): whoever is admin of tools can take over ci-runner and become admin of prod in 3 steps;
// - break-glass (admin in prod) trusts the tools account's root, only with MFA: whoever is admin of tools may become
//   admin of prod (conditional, medium);
// - alice owns proj-1 … proj-5 and may create tokens for proj-6's service accounts, one of which owns proj-6: more
//   admin nodes held than the walk keeps per node, so the route is found by the forward search;
// - in the demo, the OrganizationAccountAccessRole path is reported once, on the account's admin node, not again for
//   each of its admin roles.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../src/api/engine.js';
import { buildDemoCase } from '../../src/demo.js';
import type { Finding } from '../../src/api/contract.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const RULE = 'admin-crosses-boundary';

async function findingsOf(files: string[]): Promise<{ engine: Engine; found: Finding[] }> {
  const engine = openEngine(join(dir, `${cases++}.blastmap`), { create: true });
  await engine.importFiles({ files: files.map((path) => ({ path })) });
  return { engine, found: await engine.findings({ rule: RULE }) };
}
const dir = mkdtempSync(join(tmpdir(), 'blastmap-cross-boundary-'));
let cases = 0;
const engines: Engine[] = [];
afterAll(() => {
  for (const e of engines) e.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every finding names a route the paths command finds, of the length it says (over definite steps only when high). */
async function agreesWithPaths(engine: Engine, found: Finding[]): Promise<void> {
  for (const f of found) {
    const route = f.evidence.find((e) => e.type === 'route')!.data as { from: string; to: string; steps: number };
    const [shortest] = await engine.paths({ from: route.from, to: route.to, k: 1, includeConditional: f.severity !== 'high' });
    expect(shortest, f.title).toBeDefined();
    expect(shortest!.steps.length, f.title).toBe(route.steps);
  }
}

describe('admin-crosses-boundary', () => {
  it('reports the account whose admin can take over a role another account’s admin role trusts by name', async () => {
    const { engine, found } = await findingsOf([join(FIXTURES, 'aws', 'gaad-tools-and-prod-admin-routes.json')]);
    engines.push(engine);
    // Whoever is admin of tools can let itself assume ci-runner (admin-exits), which prod-deployer trusts by name: 3
    // steps, definite; this beats the route through break-glass, which needs MFA. ci-runner's own 2-step route is its
    // admin node's to say, not said again for it.
    expect(found.map((f) => f.nodeId)).toEqual(['admin:aws:account:333333333333']);
    expect(found[0]!.severity).toBe('high');
    expect(found[0]!.title).toBe('Whoever is Admin of AWS account 333333333333 can become Admin of AWS account 444444444444 in 3 steps');
    expect(found[0]!.summary).toContain('The first: it can escalate to ci-runner');
    await agreesWithPaths(engine, found);
  });

  it('reports a conditional route as medium', async () => {
    // Without the CI role's trust (the GAAD less ci-runner): only break-glass, which trusts the tools account with MFA.
    const gaad = JSON.parse(readFileSync(join(FIXTURES, 'aws', 'gaad-tools-and-prod-admin-routes.json'), 'utf8')) as { RoleDetailList: { RoleName: string }[] };
    gaad.RoleDetailList = gaad.RoleDetailList.filter((r) => r.RoleName !== 'prod-deployer');
    const file = join(dir, 'gaad-without-prod-deployer.json');
    writeFileSync(file, JSON.stringify(gaad));
    const { engine, found } = await findingsOf([file]);
    engines.push(engine);
    expect(found.map((f) => [f.nodeId, f.severity])).toEqual([['admin:aws:account:333333333333', 'medium']]);
    expect(found[0]!.title).toContain('(conditional)');
    expect(found[0]!.summary).toContain('break-glass');
  });

  it('finds the boundary left by an identity that holds more admin nodes than the walk keeps', async () => {
    const { engine, found } = await findingsOf(['cai-resources-six-projects.jsonl', 'cai-owner-of-five-projects-token-creator-on-sixth.jsonl'].map((f) => join(FIXTURES, 'gcp', f)));
    engines.push(engine);
    expect(found.map((f) => f.node!.id)).toEqual(['gcp:member:user:alice@example.test']);
    expect(found[0]!.title).toMatch(/admin of 5 boundaries, can become Admin of proj-6 in 2 steps$/);
    expect(found[0]!.summary).toContain('escalate to deployer@proj-6.iam.gserviceaccount.com');
    await agreesWithPaths(engine, found);
  });

  it('says what an admin node leads to once, not again for each of its holders (the demo)', async () => {
    const path = join(dir, 'demo.blastmap');
    await buildDemoCase(path, join(import.meta.dirname, '..', '..', 'assets', 'demo'));
    const engine = openEngine(path, {});
    engines.push(engine);
    const found = await engine.findings({ rule: RULE });
    // prod's admin node assumes dev's OrganizationAccountAccessRole (prod's root is trusted); dev's admin can create a
    // key for ci-deployer, who may assume prod's deploy-prod, which escalates to ops-automation (lambda-001). prod's
    // admin roles ops-automation and gha-terraform may assume that role too: said on prod's admin node only.
    expect(found.map((f) => [f.node!.id, f.severity]).sort()).toEqual([
      ['admin:aws:account:111111111111', 'high'],
      ['admin:aws:account:222222222222', 'high'],
    ]);
    expect(found.find((f) => f.nodeId === 'admin:aws:account:222222222222')!.summary).toContain('OrganizationAccountAccessRole');
    expect(found.find((f) => f.nodeId === 'admin:aws:account:111111111111')!.summary).toContain('The first: it can escalate to ci-deployer (account admin: creates an access key for the user (iam:CreateAccessKey))');
    await agreesWithPaths(engine, found);
  });

  it('does not report "anyone with an AWS account" as an admin that leaves its boundary (two real GAADs)', async () => {
    // CloudMapper's demo account has bad_role, admin, trusting Principal "*" (trust-any-or-external says so): any AWS
    // admin can become admin of that account, and so can the Cloudsplaining account's — a true crossing, kept — but
    // the pseudo-admin of "any AWS account" is everyone, not a boundary's admin.
    const { engine, found } = await findingsOf(['cloudmapper-demo-gaad.json', 'cloudsplaining-test-authz-details.json'].map((f) => join(FIXTURES, 'real-exports', 'aws-gaad', f)));
    engines.push(engine);
    expect(found.map((f) => f.nodeId)).toEqual(['admin:aws:account:012345678901']);
    expect(found[0]!.title).toBe('Whoever is Admin of AWS account 012345678901 can become Admin of AWS account 123456789012 in 3 steps');
    expect((await engine.findings({ rule: 'trust-any-or-external' })).some((f) => f.title.includes('bad_role can be assumed by any AWS principal'))).toBe(true);
    await agreesWithPaths(engine, found);
  });

  it('reports nothing in a single account (Cloudsplaining test account: two admin users, one admin node)', async () => {
    const { engine, found } = await findingsOf([join(FIXTURES, 'real-exports', 'aws-gaad', 'cloudsplaining-test-authz-details.json')]);
    engines.push(engine);
    expect(found).toEqual([]);
  });
});
