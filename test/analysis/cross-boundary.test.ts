// The admin-crosses-boundary finding: an admin of one boundary that can become admin of another. Scenario fixtures
// in the formats the tools write (a GAAD of two accounts, a Cloud Asset Inventory export of six projects) and the
// demo's exports, with the expectations reasoned from their policies:
// - tools/ci-runner (AdministratorAccess in 333333333333) is trusted by name by prod-deployer (AdministratorAccess in
//   444444444444): ci-runner can become admin of prod in 2 steps; the tools account's admin node cannot (the trust
//   names the role, not the account);
// - break-glass (admin in prod) trusts the tools account's root, only with MFA: whoever is admin of tools may become
//   admin of prod (conditional, medium);
// - alice owns proj-1 … proj-5 and may create tokens for proj-6's service accounts, one of which owns proj-6: more
//   admin nodes held than the walk keeps per node, so the route is found by the forward search;
// - in the demo, the management account's OrganizationAccountAccessRole path is reported once, on the account's
//   admin node, not again for each of its admin roles.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../../src/api/engine.js';
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

/** Every finding names a route the paths command finds, of the length it says. */
async function agreesWithPaths(engine: Engine, found: Finding[]): Promise<void> {
  for (const f of found) {
    const route = f.evidence.find((e) => e.type === 'route')!.data as { from: string; to: string; steps: number };
    const [shortest] = await engine.paths({ from: route.from, to: route.to, k: 1 });
    expect(shortest, f.title).toBeDefined();
    expect(shortest!.steps.length, f.title).toBe(route.steps);
  }
}

describe('admin-crosses-boundary', () => {
  it('reports an admin role trusted by name in another account, and the account whose root is trusted under a condition', async () => {
    const { engine, found } = await findingsOf([join(FIXTURES, 'aws', 'gaad-tools-and-prod-admin-routes.json')]);
    engines.push(engine);
    const by = (id: string) => found.filter((f) => f.node!.id === id);
    const [ci] = by('arn:aws:iam::333333333333:role/ci-runner');
    expect(ci!.severity).toBe('high');
    expect(ci!.title).toContain('Admin of AWS account 444444444444 in 2 steps');
    expect(ci!.summary).toContain('The first: it can assume prod-deployer');
    const [tools] = by('admin:aws:account:333333333333');
    expect(tools!.severity).toBe('medium');
    expect(tools!.title).toContain('(conditional)');
    expect(tools!.summary).toContain('break-glass');
    // The read-only role holds no admin: not this rule's (nor is it escalation-to-admin's: it reaches none).
    expect(found).toHaveLength(2);
    await agreesWithPaths(engine, found);
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
    const demo = join(import.meta.dirname, '..', '..', 'assets', 'demo');
    const files = readdirSync(demo, { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && f.name !== 'README.md').map((f) => join(f.parentPath, f.name));
    const { engine, found } = await findingsOf(files);
    engines.push(engine);
    expect(found.map((f) => [f.node!.id, f.severity])).toEqual([['admin:aws:account:222222222222', 'high']]);
    expect(found[0]!.summary).toContain('OrganizationAccountAccessRole');
    await agreesWithPaths(engine, found);
  });

  it('reports nothing in a single account (Cloudsplaining test account: two admin users, one admin node)', async () => {
    const { engine, found } = await findingsOf([join(FIXTURES, 'real-exports', 'aws-gaad', 'cloudsplaining-test-authz-details.json')]);
    engines.push(engine);
    expect(found).toEqual([]);
  });
});
