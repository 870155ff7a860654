// Every lab of the pathfinding.cloud catalogue (DataDog/pathfinding-labs) that concerns IAM, translated into the
// exports its account would hold after `terraform apply` (test/fixtures/aws/pathfinding/scenarios: a GAAD spec per
// account, resource policies and inventories in their CLI shape) and imported through the engine: the start
// reaches the target with the lab's technique on a path; with the start's own permissions removed it does not;
// near-misses named by the lab do not either.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { ApiError } from '../../src/api/errors.js';
import { FIXTURES, tempCase, tempDir } from '../helpers.js';
import { gaad, type GroupSpec, type PolicySpec, type RoleSpec, type UserSpec } from '../providers/aws/aws-case.js';

const DIR = join(FIXTURES, 'aws', 'pathfinding', 'scenarios');
const CATALOGUE = JSON.parse(readFileSync(join(FIXTURES, 'aws', 'pathfinding', 'catalogue.json'), 'utf8')) as { scenarios: { path: string; id: string | null; category: string }[] };

interface Reach {
  from: string;
  to: string;
  /** Techniques that must all appear on one of the shortest paths. */
  via?: string[];
  conditional?: boolean;
  /** Remove the start's own policies: no path must be left (default true). */
  ablate?: boolean;
}
interface Fixture {
  scenario: string;
  notes?: string;
  accounts: Record<string, string>;
  iam: Record<string, { users?: UserSpec[]; roles?: RoleSpec[]; groups?: GroupSpec[]; policies?: PolicySpec[] }>;
  files?: { name: string; account?: string; content: unknown }[];
  expect: Reach[];
  never?: { from: string; to: string; why: string }[];
  findings?: { rule: string; node: string; severity?: string }[];
  /** Who can reach a node: directly, through its account's admin, not that way, not at all. */
  reachers?: { node: string; direct?: string[]; throughAdmin?: string[]; notDirect?: string[]; notThroughAdmin?: string[]; none?: string[] }[];
}

function load(file: string): Fixture {
  const raw = readFileSync(join(DIR, file), 'utf8');
  const accounts = (JSON.parse(raw) as Fixture).accounts;
  // {{prod}}, {{dev}} … stand for the accounts' ids, as ${var.account_id} does in the Terraform.
  return JSON.parse(raw.replace(/\{\{(\w+)\}\}/g, (_, a: string) => accounts[a] ?? `{{${a}}}`)) as Fixture;
}

/** The fixture's IAM with the start's own policies taken away (its groups and attachments too). */
function ablated(fx: Fixture, start: string): Fixture['iam'] {
  const iam = structuredClone(fx.iam);
  for (const spec of Object.values(iam)) {
    for (const list of [spec.users ?? [], spec.roles ?? []] as (UserSpec | RoleSpec)[][]) {
      for (const p of list) {
        if (!start.endsWith(`/${p.name}`)) continue;
        p.policies = [];
        p.attached = [];
        if ('groups' in p) p.groups = [];
      }
    }
  }
  return iam;
}

async function build(fx: Fixture, iam = fx.iam) {
  const dir = tempDir();
  const paths: string[] = [];
  for (const [alias, spec] of Object.entries(iam)) {
    const path = join(dir, `gaad-${alias}.json`);
    writeFileSync(path, JSON.stringify(gaad(fx.accounts[alias]!, spec), null, 2));
    paths.push(path);
  }
  for (const f of fx.files ?? []) {
    const path = join(dir, f.name);
    writeFileSync(path, typeof f.content === 'string' ? f.content : JSON.stringify(f.content, null, 2));
    paths.push(path);
  }
  const engine = openEngine(tempCase(), { create: true });
  const accountOf = (f: { account?: string }) => (f.account ? fx.accounts[f.account] : undefined);
  // Files that need --account (bucket policies) are imported one by one with it; the rest together.
  const plain = paths.filter((_, i) => i < Object.keys(iam).length || !accountOf(fx.files![i - Object.keys(iam).length]!));
  await engine.importFiles({ files: plain.map((path) => ({ path })) });
  for (const [i, f] of (fx.files ?? []).entries()) {
    const account = accountOf(f);
    if (account) await engine.importFiles({ files: [{ path: paths[Object.keys(iam).length + i]! }], options: { account } });
  }
  return engine;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

describe('pathfinding.cloud labs', () => {
  it('every lab of the catalogue has a fixture', () => {
    const have = new Set(files.map((f) => f.replace(/\.json$/, '').replace(/__/g, '/')));
    const missing = CATALOGUE.scenarios.map((s) => s.path.replace(/^modules\/scenarios\//, '')).filter((p) => !have.has(p));
    expect(missing).toEqual([]);
  });

  for (const file of files) {
    const fx = load(file);
    it(fx.scenario, async () => {
      const engine = await build(fx);
      try {
        for (const r of fx.expect) {
          const found = await engine.paths({ from: r.from, to: r.to, k: 10 });
          expect(found.length, `${r.from} → ${r.to}`).toBeGreaterThan(0);
          if (r.via) {
            // A step stands for every edge between its two nodes: a lab granting more than its technique needs
            // (lambda-003 with lambda:InvokeFunction too) has a parallel edge of another technique, and paths
            // are told apart by their nodes.
            const stepTechniques = new Map<string, Set<string>>();
            for (const p of found) {
              for (const s of p.steps) {
                const key = `${s.from.id}>${s.to.id}`;
                if (stepTechniques.has(key)) continue;
                const details = await engine.node({ id: s.from.id, edgeLimit: 10_000 });
                stepTechniques.set(key, new Set(details.out.filter((o) => o.other.id === s.to.id).map((o) => o.edge.technique ?? o.edge.kind)));
              }
            }
            const onOne = found.some((p) => r.via!.every((t) => p.steps.some((s) => stepTechniques.get(`${s.from.id}>${s.to.id}`)!.has(t))));
            expect(onOne, `a path ${r.from} → ${r.to} through ${r.via.join(' + ')}; found: ${found.map((p) => p.steps.map((s) => s.edge.technique ?? s.edge.kind).join(' > ')).join(' | ')}`).toBe(true);
          }
          if (r.conditional !== undefined) expect(found[0]!.conditional, `${r.from} → ${r.to} conditional`).toBe(r.conditional);
        }
        for (const n of fx.never ?? []) {
          const found = await engine.paths({ from: n.from, to: n.to, k: 1 });
          expect(found.map((p) => p.steps.map((s) => `${s.from.name} -${s.edge.technique ?? s.edge.kind}-> ${s.to.name}`).join(', ')), `${n.from} must not reach ${n.to}: ${n.why}`).toEqual([]);
        }
        if (fx.findings) {
          const all = await engine.findings({});
          for (const f of fx.findings) {
            const hit = all.find((x) => x.rule === f.rule && x.nodeId === f.node);
            expect(hit, `finding ${f.rule} on ${f.node}`).toBeDefined();
            if (f.severity) expect(hit!.severity).toBe(f.severity);
          }
        }
        for (const q of fx.reachers ?? []) {
          const r = await engine.reachers({ id: q.node });
          const by = new Map(r.reachers.map((x) => [x.node.id, x]));
          for (const id of q.direct ?? []) expect(by.get(id)?.direct, `${id} reaches ${q.node} directly`).toBe(true);
          for (const id of q.throughAdmin ?? []) expect(by.get(id)?.throughAdmin, `${id} reaches ${q.node} through admin`).toBe(true);
          for (const id of q.notDirect ?? []) expect(by.get(id)?.direct ?? false, `${id} has no direct route to ${q.node}`).toBe(false);
          for (const id of q.notThroughAdmin ?? []) expect(by.get(id)?.throughAdmin ?? false, `${id} does not reach ${q.node}'s admin`).toBe(false);
          for (const id of q.none ?? []) expect(by.has(id), `${id} does not reach ${q.node}`).toBe(false);
        }
      } finally {
        engine.close();
      }
      // Without the start's own permissions, no path is left.
      for (const r of fx.expect.filter((x) => x.ablate !== false)) {
        const bare = await build(fx, ablated(fx, r.from));
        try {
          // The target may be gone too (a bucket only the start's policy named): no path either.
          const left = await bare.paths({ from: r.from, to: r.to, k: 1 }).catch((e: unknown) => {
            if (e instanceof ApiError && e.code === 'not-found') return [];
            throw e;
          });
          expect(left.map((p) => p.steps.map((s) => s.edge.technique ?? s.edge.kind).join(' > ')), `${r.from} without its policies`).toEqual([]);
        } finally {
          bare.close();
        }
      }
    });
  }
});

