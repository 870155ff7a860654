// Large OpenGraph graphs for the e2e suite, generated (deterministically) at setup time.
import { rng } from '../bench/synthetic';

/** The element budget: one hub reaching `n` service users, each holding one bucket. */
export function bigStar(n: number): unknown {
  const nodes: unknown[] = [{ id: 'big-hub', kinds: ['Big_User'], properties: { name: 'big-hub-deployer' } }];
  const edges: unknown[] = [];
  for (let i = 0; i < n; i++) {
    nodes.push({ id: `big-svc-${i}`, kinds: ['Big_User'], properties: { name: `big-svc-${i}` } });
    nodes.push({ id: `big-bucket-${i}`, kinds: ['Big_Bucket'], properties: { name: `big-bucket-${i}` } });
    edges.push({ kind: 'CanAssume', start: { value: 'big-hub' }, end: { value: `big-svc-${i}` } });
    edges.push({ kind: 'CanRead', start: { value: `big-svc-${i}` }, end: { value: `big-bucket-${i}` } });
  }
  return { metadata: { source_kind: 'Big' }, graph: { nodes, edges } };
}

export const ESTATE_HUB = 'svc-ci-runner';
export const ESTATE_GROUPS = 400;

/**
 * A 20,000-node / 60,000-edge identity estate as a BloodHound OpenGraph file: 20 domains, 400 groups (five of them
 * tier zero, so marked high value), 12,000 users and service accounts, the rest objects (secrets, hosts, buckets).
 * Users are members of groups, groups control objects and users, a few users can assume others; one CI runner
 * (ESTATE_HUB) can assume a few service accounts, from where most of the estate is reached.
 */
export function estate20k(): unknown {
  const random = rng(20_000);
  const nodes: { id: string; kinds: string[]; properties: Record<string, unknown> }[] = [];
  const users: string[] = [];
  const groups: string[] = [];
  const objects: string[] = [];
  for (let d = 0; d < 20; d++) nodes.push({ id: `dom-${d}`, kinds: ['E2E_Domain'], properties: { name: `corp-${d}.example` } });
  for (let g = 0; g < ESTATE_GROUPS; g++) {
    const tierZero = g % 80 === 0;
    groups.push(`grp-${g}`);
    nodes.push({ id: `grp-${g}`, kinds: tierZero ? ['E2E_Group', 'E2E_TierZero'] : ['E2E_Group'], properties: { name: tierZero ? `tier0-admins-${g}` : `team-${g}` } });
  }
  nodes.push({ id: ESTATE_HUB, kinds: ['E2E_User'], properties: { name: ESTATE_HUB } });
  for (let u = 0; u < 12_000; u++) {
    users.push(`usr-${u}`);
    nodes.push({ id: `usr-${u}`, kinds: ['E2E_User'], properties: { name: u % 3 === 0 ? `svc-app-${u}` : `user-${u}` } });
  }
  for (let o = 0; nodes.length < 20_000; o++) {
    objects.push(`obj-${o}`);
    nodes.push({ id: `obj-${o}`, kinds: [o % 2 ? 'E2E_Secret' : 'E2E_Host'], properties: { name: o % 2 ? `secret-${o}` : `host-${o}.corp` } });
  }
  const edges: { kind: string; start: { value: string }; end: { value: string } }[] = [];
  const seen = new Set<string>();
  const add = (kind: string, from: string, to: string) => {
    const key = `${from}>${to}`;
    if (from === to || seen.has(key)) return;
    seen.add(key);
    edges.push({ kind, start: { value: from }, end: { value: to } });
  };
  const pick = (list: string[]) => list[Math.floor(random() * list.length)]!;
  for (let i = 0; i < 6; i++) add('E2E_CanAssume', ESTATE_HUB, users[i * 7]!);
  for (const u of users) add('E2E_MemberOf', u, pick(groups));
  while (edges.length < 60_000) {
    const r = random();
    if (r < 0.35) add('E2E_GenericAll', pick(groups), pick(objects));
    else if (r < 0.6) add('E2E_GenericAll', pick(groups), pick(users));
    else if (r < 0.8) add('E2E_ReadSecret', pick(users), pick(objects));
    else if (r < 0.95) add('E2E_MemberOf', pick(users), pick(groups));
    else add('E2E_AdminTo', pick(users), `dom-${Math.floor(random() * 20)}`);
  }
  return { metadata: { source_kind: 'E2E' }, graph: { nodes, edges } };
}
