import { describe, expect, it } from 'vitest';
import { diffReport } from '../../src/api/compare/report.js';
import { diffSides, liveSide } from '../../src/api/compare/service.js';
import { formatDiff } from '../../src/cli/format-compare.js';
import { Views } from '../../src/api/views.js';
import type { FindingRow } from '../../src/store/case-store.js';
import { scenario, type E, type N, type Scenario } from './scenario.js';

const ACCT = 'aws:account:111111111111';
const PROD = 'aws:account:222222222222';
const ADMIN = `admin:${ACCT}`;
const ADMIN_PROD = `admin:${PROD}`;

const base: N[] = [
  { id: ACCT, kind: 'aws_account' },
  { id: PROD, kind: 'aws_account' },
  { id: ADMIN, kind: 'admin', boundary: ACCT },
  { id: ADMIN_PROD, kind: 'admin', boundary: PROD },
  { id: 'aws:key:AKIALEAKED', kind: 'aws_access_key', boundary: ACCT },
  { id: 'user/ci', kind: 'aws_user', boundary: ACCT },
  { id: 'user/ops', kind: 'aws_user', boundary: ACCT },
  { id: 'role/deploy', kind: 'aws_role', boundary: ACCT },
  { id: 'role/admin', kind: 'aws_role', boundary: ACCT },
  { id: 'role/prod', kind: 'aws_role', boundary: PROD },
  { id: 'bucket', kind: 'aws_bucket', boundary: ACCT },
];

function finding(rule: string, nodeId: string, title: string, severity = 'high'): FindingRow {
  return { id: `${rule}:${title}`, rule, severity, nodeId, title, summary: title, evidence: [], remediation: '' };
}

function state(nodes: N[], edges: E[], findings: FindingRow[] = []): Scenario {
  const s = scenario(nodes, edges, [{ nodeId: 'aws:key:AKIALEAKED', mark: 'compromised' }]);
  s.store.replaceFindings(findings);
  return s;
}

function diff(a: Scenario, b: Scenario, limits = {}) {
  const side = (s: Scenario, label: string) => liveSide(s.store, new Views(s.store), s.index, { label, kind: 'case' });
  return diffSides(side(a, 'before'), side(b, 'after'), limits);
}

describe('compare two graph states', () => {
  const before = () =>
    state(
      [...base, { id: 'aws:key:AKIAOLD', kind: 'aws_access_key', boundary: ACCT }, { id: 'user/gone', kind: 'aws_user', boundary: ACCT }],
      [
        ['aws:key:AKIALEAKED', 'user/ci', 'AUTHENTICATES_AS'],
        ['aws:key:AKIAOLD', 'user/ops', 'AUTHENTICATES_AS'],
        ['user/ci', 'role/deploy', 'CAN_ASSUME'],
        ['role/deploy', 'bucket', 'CAN_ACCESS', { accessLevel: 'Read' }],
        ['role/admin', ADMIN, 'ADMIN_OF'],
        ['user/ops', 'role/prod', 'CAN_ASSUME', { conditional: 'aws:SourceIp' }],
        ['role/prod', ADMIN_PROD, 'ADMIN_OF'],
        ['role/deploy', 'user/ci', 'TRUSTS'],
      ],
      [finding('credential-old', 'aws:key:AKIAOLD', 'old key is 200 days old', 'medium'), finding('admin-credential', 'user/ci', 'ci is admin')],
    );
  const after = () =>
    state(
      [...base, { id: 'aws:key:AKIANEW', kind: 'aws_access_key', boundary: ACCT }],
      [
        ['aws:key:AKIALEAKED', 'user/ci', 'AUTHENTICATES_AS'],
        ['aws:key:AKIANEW', 'user/ops', 'AUTHENTICATES_AS'],
        ['user/ci', 'role/deploy', 'CAN_ASSUME'],
        ['role/deploy', 'bucket', 'CAN_ACCESS', { accessLevel: 'Write' }],
        ['role/deploy', 'role/admin', 'CAN_ESCALATE', { technique: 'iam:PassRole+lambda:CreateFunction' }],
        ['role/admin', ADMIN, 'ADMIN_OF'],
        ['user/ops', 'role/prod', 'CAN_ASSUME'],
        ['role/prod', ADMIN_PROD, 'ADMIN_OF'],
      ],
      [finding('admin-credential', 'user/ci', 'ci is admin'), finding('leaked-credential-active', 'aws:key:AKIALEAKED', 'leaked key is active', 'critical')],
    );

  it('reports the new path to admin from the compromised key first, with its steps', () => {
    const d = diff(before(), after());
    const first = d.paths[0]!;
    expect(first).toMatchObject({ change: 'appeared', originClass: 'compromised', targetClass: 'admin', before: { status: 'none' }, after: { status: 'unconditional', steps: 4 } });
    expect(first.origin.id).toBe('aws:key:AKIALEAKED');
    expect(first.target.id).toBe(ADMIN);
    expect(first.path!.steps.map((s) => s.to.id)).toEqual(['user/ci', 'role/deploy', 'role/admin', ADMIN]);
    expect(first.path!.steps[2]!.edge.technique).toBe('iam:PassRole+lambda:CreateFunction');
    // user/ci and role/deploy gained the same admin; the key and the identities, nothing else.
    const appeared = d.paths.filter((p) => p.change === 'appeared' && p.target.id === ADMIN).map((p) => p.origin.id);
    expect(appeared.sort()).toEqual(['aws:key:AKIALEAKED', 'role/deploy', 'user/ci']);
    expect(d.summary.paths.newAdminFromCompromised).toBe(1);
    expect(d.summary.paths.newAdminOrigins).toBe(3);
    // The new key of user/ops reaches production admin as user/ops did: listed, marked inherited, not counted.
    const inherited = d.paths.find((p) => p.origin.id === 'aws:key:AKIANEW')!;
    expect(inherited).toMatchObject({ change: 'appeared', target: { id: ADMIN_PROD }, inheritedFrom: { id: 'user/ops' } });
  });

  it('sees a path that lost its condition, and a path that disappeared with a removed key', () => {
    const d = diff(before(), after());
    const ops = d.paths.find((p) => p.origin.id === 'user/ops' && p.target.id === ADMIN_PROD)!;
    expect(ops).toMatchObject({ change: 'now-unconditional', before: { status: 'conditional' }, after: { status: 'unconditional' } });
    const old = d.paths.find((p) => p.origin.id === 'aws:key:AKIAOLD')!;
    expect(old).toMatchObject({ change: 'disappeared', originClass: 'credential', target: { id: ADMIN_PROD }, before: { status: 'conditional', steps: 3 } });
    // The lost path is shown as it was.
    expect(old.path!.steps.map((s) => s.from.id)).toEqual(['aws:key:AKIAOLD', 'user/ops', 'role/prod']);
  });

  it('lists trust and grant edges added, removed and changed, with the access level change', () => {
    const d = diff(before(), after());
    const esc = d.edges.find((e) => e.kind === 'CAN_ESCALATE')!;
    expect(esc).toMatchObject({ change: 'added', family: 'grant', from: { id: 'role/deploy' }, to: { id: 'role/admin' }, technique: 'iam:PassRole+lambda:CreateFunction' });
    const access = d.edges.find((e) => e.kind === 'CAN_ACCESS')!;
    expect(access).toMatchObject({ change: 'changed', accessBefore: 'Read', accessAfter: 'Write', details: ['access Read → Write'] });
    const assume = d.edges.find((e) => e.kind === 'CAN_ASSUME' && e.from.id === 'user/ops')!;
    expect(assume).toMatchObject({ change: 'changed', conditionBefore: 'aws:SourceIp', details: ['no longer conditional'] });
    expect(assume.conditionAfter).toBeUndefined();
    const trusts = d.edges.find((e) => e.kind === 'TRUSTS')!;
    expect(trusts).toMatchObject({ change: 'removed', family: 'trust', from: { id: 'role/deploy' }, to: { id: 'user/ci' } });
    expect(d.summary.edges.grant).toEqual({ added: 1, removed: 0, changed: 1 });
    expect(d.summary.edges.trust).toEqual({ added: 0, removed: 1, changed: 1 });
    // ADMIN_OF changes list before anything else; none here, so the escalation leads.
    expect(d.edges[0]!.kind).toBe('CAN_ASSUME');
  });

  it('gives the blast-radius change of each affected credential, admin gained per boundary', () => {
    const d = diff(before(), after());
    const leaked = d.blastRadius.find((b) => b.origin.id === 'aws:key:AKIALEAKED')!;
    expect(leaked.originClass).toBe('compromised');
    expect(leaked.presence).toBe('both');
    expect(leaked.adminGained.map((n) => n.id)).toEqual([ADMIN]);
    expect(leaked.before).toEqual({ identities: 2, credentials: 0, resources: 1, admins: 0 });
    // Admin of the account reaches everything in it: user/ops and its new key come with it.
    expect(leaked.after).toEqual({ identities: 4, credentials: 1, resources: 1, admins: 1 });
    // The bucket, written directly, is now also held through the account's admin: its level is admin.
    expect(leaked.byAccessLevel).toEqual([
      { level: 'Read', before: 1, after: 0 },
      { level: 'admin', before: 0, after: 1 },
    ]);
    expect(leaked.byBoundary).toEqual([{ boundary: expect.objectContaining({ id: ACCT }), before: { identities: 2, resources: 1, credentials: 0, admin: false }, after: { identities: 4, resources: 1, credentials: 1, admin: true } }]);
    // The compromised key comes first.
    expect(d.blastRadius[0]!.origin.id).toBe('aws:key:AKIALEAKED');
    const gone = d.blastRadius.find((b) => b.origin.id === 'aws:key:AKIAOLD')!;
    expect(gone).toMatchObject({ presence: 'removed', after: { identities: 0, admins: 0 } });
    expect(gone.adminLost.map((n) => n.id)).toEqual([ADMIN_PROD]);
  });

  it('pairs a removed key with a new one of the same holder as a rotation; nodes and findings added and removed', () => {
    const d = diff(before(), after());
    expect(d.rotations).toHaveLength(1);
    expect(d.rotations[0]!.holder.id).toBe('user/ops');
    expect(d.rotations[0]!.retired).toEqual([{ credential: expect.objectContaining({ id: 'aws:key:AKIAOLD' }), how: 'removed' }]);
    expect(d.rotations[0]!.introduced.map((n) => n.id)).toEqual(['aws:key:AKIANEW']);
    expect(d.nodes.filter((n) => n.change !== 'changed').map((n) => `${n.change} ${n.node.id}`)).toEqual(['added aws:key:AKIANEW', 'removed aws:key:AKIAOLD', 'removed user/gone']);
    expect(d.summary.nodes.credential).toEqual({ added: 1, removed: 1, changed: 0 });
    expect(d.findings.map((f) => `${f.change} ${f.finding.rule}`)).toEqual(['new leaked-credential-active', 'fixed credential-old']);
    expect(d.summary.findings.newBySeverity).toEqual({ critical: 1 });
  });

  it('says what it bounded: blast radius compared for no credential when the budget is 0', () => {
    const d = diff(before(), after(), { maxOrigins: 0, maxListed: 2, maxPaths: 1 });
    expect(d.blastRadius).toEqual([]);
    expect(d.bounds.map((b) => b.what).sort()).toEqual(['blast-origins', 'edges-listed', 'nodes-listed', 'paths-listed', 'paths-rendered']);
    expect(d.bounds.find((b) => b.what === 'blast-origins')).toMatchObject({ included: 0 });
    expect(d.paths).toHaveLength(2);
    expect(d.paths[0]!.path).toBeDefined();
    expect(d.paths[1]!.path).toBeUndefined();
    // Counts stay complete when lists are bounded.
    expect(d.summary.paths.newAdminOrigins).toBe(3);
  });

  it('finds nothing between a state and itself', () => {
    const a = before();
    const d = diff(a, a);
    expect([d.nodes, d.edges, d.paths, d.blastRadius, d.findings, d.rotations, d.bounds]).toEqual([[], [], [], [], [], [], []]);
  });

  it('reports a credential deactivated and replaced as a rotation, and the deactivation as a node change', () => {
    const a = state([...base, { id: 'aws:key:AKIAOLD', kind: 'aws_access_key', boundary: ACCT, props: { active: true } }], [['aws:key:AKIAOLD', 'user/ops', 'AUTHENTICATES_AS']]);
    const b = state(
      [...base, { id: 'aws:key:AKIAOLD', kind: 'aws_access_key', boundary: ACCT, props: { active: false } }, { id: 'aws:key:AKIANEW', kind: 'aws_access_key', boundary: ACCT }],
      [
        ['aws:key:AKIAOLD', 'user/ops', 'AUTHENTICATES_AS'],
        ['aws:key:AKIANEW', 'user/ops', 'AUTHENTICATES_AS'],
      ],
    );
    const d = diff(a, b);
    expect(d.rotations[0]!.retired).toEqual([{ credential: expect.objectContaining({ id: 'aws:key:AKIAOLD' }), how: 'deactivated' }]);
    expect(d.nodes.find((n) => n.change === 'changed')).toMatchObject({ node: { id: 'aws:key:AKIAOLD' }, details: ['deactivated'] });
  });

  it('renders as plain data for reports, and as Markdown whose cells cannot break the table', () => {
    const a = before();
    const hostile = [...base.filter((n) => n.id !== 'role/admin'), { id: 'role/admin', kind: 'aws_role' as const, boundary: ACCT, name: 'evil|role\n## injected' }];
    const b = state(hostile, [
      ['aws:key:AKIALEAKED', 'user/ci', 'AUTHENTICATES_AS'],
      ['user/ci', 'role/deploy', 'CAN_ASSUME'],
      ['role/deploy', 'role/admin', 'CAN_ESCALATE', { technique: 'iam:PassRole' }],
      ['role/admin', ADMIN, 'ADMIN_OF'],
    ]);
    const d = diff(a, b);
    const report = diffReport(d, 2);
    expect(report.verdict).toBe('mixed');
    expect(report.headline[0]).toMatch(/^3 origins newly reach an admin node, 1 of them compromised or exposed;/);
    const appeared = report.sections.find((x) => x.id === 'paths-appeared')!;
    expect(appeared.columns).toEqual(['origin', 'kind', 'reaches', 'steps', 'path', 'note']);
    expect(appeared.rows[0]).toEqual(['aws:key:AKIALEAKED (compromised)', 'Access key', ADMIN, 4, `aws:key:AKIALEAKED (compromised) → user/ci → role/deploy → [iam:PassRole] evil|role\n## injected → ${ADMIN}`, '']);
    expect(appeared.more).toBe(1);
    // Every value in a report is a string or a number: nothing for a renderer to interpret.
    for (const sec of report.sections) for (const row of sec.rows) for (const cell of row) expect(['string', 'number']).toContain(typeof cell);
    const md = formatDiff(d);
    expect(md).toContain('evil\\|role ## injected');
    expect(md.split('\n').filter((l) => l.startsWith('## '))).toEqual(['## Blastmap: what changed in the blast radius']);
  });
});
