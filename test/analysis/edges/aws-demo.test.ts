import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ids } from '../../../src/model/ids.js';
import { CaseStore } from '../../../src/store/case-store.js';
import { cli, REAL, ROOT, tempCase } from '../../helpers.js';

const DEV = join(ROOT, 'assets/demo/aws-dev-gaad.json');
const PROD = join(ROOT, 'assets/demo/aws-prod-gaad.json');

describe('the demo story across two AWS accounts', () => {
  it('ci-deployer → deploy-prod → ops-automation → admin of production, every step explained', async () => {
    const path = tempCase();
    expect((await cli('import', '--case', path, DEV, PROD)).code).toBe(0);
    const store = CaseStore.open(path);
    try {
      const edge = (from: string, to: string, kind: string) => [...store.edgesOf(from, 'out')].find((e) => e.dst === to && e.kind === kind);
      const ci = 'arn:aws:iam::111111111111:user/ci-deployer';
      const deploy = 'arn:aws:iam::222222222222:role/deploy-prod';
      const ops = 'arn:aws:iam::222222222222:role/ops-automation';
      expect(edge(ci, deploy, 'CAN_ASSUME')?.props.reason).toMatch(/^Cross-account/);
      expect(edge(deploy, ops, 'CAN_ESCALATE')?.props.technique).toBe('lambda-001');
      expect(edge(ops, 'admin:aws:account:222222222222', 'ADMIN_OF')).toBeDefined();
      // gha-terraform is open to every repository of the org.
      const wide = ids.federatedSubject('token.actions.githubusercontent.com', 'repo:northwind/*');
      expect(store.node(wide)?.props['wildcard']).toBe(true);
      expect(edge(wide, 'arn:aws:iam::222222222222:role/gha-terraform', 'CAN_ASSUME')?.props['wildcard']).toBe(true);
      const main = ids.federatedSubject('token.actions.githubusercontent.com', 'repo:northwind/platform:ref:refs/heads/main');
      expect(store.node(main)?.props['wildcard']).toBe(false);
      // metrics-exporter (ReadOnlyAccess) reaches nothing further; dana.ops is admin of dev.
      expect([...store.edgesOf('arn:aws:iam::111111111111:user/metrics-exporter', 'out')].filter((e) => e.derived)).toEqual([]);
      expect(edge('arn:aws:iam::111111111111:user/dana.ops', 'admin:aws:account:111111111111', 'ADMIN_OF')).toBeDefined();
    } finally {
      store.close();
    }
    const paths = await cli('paths', '--case', path, 'ci-deployer', '--to', 'admin', '--json');
    expect(paths.code).toBe(0);
    const found = JSON.parse(paths.out) as { nodes?: string[]; steps?: { from: string; to: string }[] }[];
    expect(JSON.stringify(found[0])).toMatch(/ci-deployer[\s\S]*deploy-prod[\s\S]*ops-automation[\s\S]*admin:aws:account:222222222222/);
  });

  it('the real exports: cloudsplaining\'s admin users and the instance-profile escalation; CloudMapper\'s role open to "*"', async () => {
    const path = tempCase();
    expect((await cli('import', '--case', path, join(REAL, 'aws-gaad/cloudsplaining-test-authz-details.json'))).code).toBe(0);
    let store = CaseStore.open(path);
    const admins = [...store.edgesOfKind('ADMIN_OF')].map((e) => e.src.split('/').pop()).sort();
    expect(admins).toEqual(['obama', 'userwithlotsofpermissions']);
    const esc = [...store.edgesOfKind('CAN_ESCALATE')].map((e) => `${e.src.split('/').pop()} ${String(e.props.technique)} ${e.dst.split('/').pop()}`).sort();
    expect(esc).toEqual([
      'MyOtherRole iam:PassRole+ec2:AssociateIamInstanceProfile OverprivilegedEC2',
      'MyRole iam:PassRole+ec2:AssociateIamInstanceProfile OverprivilegedEC2',
      'OverprivilegedEC2 iam-002 biden',
      'OverprivilegedEC2 iam-002 obama',
      'OverprivilegedEC2 iam-002 userwithlotsofpermissions',
    ]);
    store.close();

    const path2 = tempCase();
    expect((await cli('import', '--case', path2, join(REAL, 'aws-gaad/cloudmapper-demo-gaad.json'))).code).toBe(0);
    store = CaseStore.open(path2);
    const bad = 'arn:aws:iam::123456789012:role/bad_role';
    const assumers = [...store.edgesOf(bad, 'in')].filter((e) => e.kind === 'CAN_ASSUME').map((e) => e.src.split('/').pop()).sort();
    expect(assumers).toEqual(['USER', 'USER_WITH_BAD_INLINE_POLICY', 'admin:aws:account:*', 'exfiller', 'level1', 'level3']);
    expect([...store.edgesOf(bad, 'out')].some((e) => e.kind === 'TRUSTS' && e.dst === 'aws:account:*')).toBe(true);
    // Its inline policy "dostuff" allows * on *: anyone in the account is one step from admin.
    expect([...store.edgesOfKind('ADMIN_OF')].map((e) => e.src)).toEqual([bad]);
    store.close();
  });
});

describe('a Query-API export with URL-encoded documents (test/fixtures/aws/query-api-encoded-gaad.json)', () => {
  it('derives the forgotten-version admin, own-key creation, SSM onto the fleet role, and the vendor trust', async () => {
    const path = tempCase();
    expect((await cli('import', '--case', path, join(ROOT, 'test/fixtures/aws/query-api-encoded-gaad.json'))).code).toBe(0);
    const store = CaseStore.open(path);
    try {
      const acct = '210987654321';
      const bot = `arn:aws:iam::${acct}:user/ci/build-bot`;
      const fleet = `arn:aws:iam::${acct}:role/fleet-node`;
      const out = (id: string) => [...store.edgesOf(id, 'out')].filter((e) => e.derived);
      // v1 of deploy-tools allowed everything; the bot may make it the default again.
      expect(out(bot).filter((e) => e.kind === 'ADMIN_OF').map((e) => e.props.technique)).toEqual(['iam:SetDefaultPolicyVersion']);
      // The bot is admin-equivalent, so no escalation edges are drawn from it.
      expect(out(bot).filter((e) => e.kind === 'CAN_ESCALATE')).toEqual([]);
      // fleet-node (reachable from any instance of its profile) can reset the release manager's password.
      const reset = out(fleet).find((e) => e.kind === 'CAN_ESCALATE');
      expect(reset).toMatchObject({ dst: `arn:aws:iam::${acct}:user/release-manager`, props: { technique: 'iam-006' } });
      // The vendor's role lives in an account outside the case: its own policies are unknown.
      const vendor = [...store.edgesOf(`arn:aws:iam::${acct}:role/vendor-audit`, 'in')].find((e) => e.kind === 'CAN_ASSUME');
      expect(vendor?.src).toBe('arn:aws:iam::777788889999:role/vendor-scanner');
      expect(vendor?.props.conditional).toContain('account 777788889999, not in the case');
      expect(store.node('aws:account:777788889999')?.kind).toBe('aws_external_account');
      expect(store.node('arn:aws:iam::777788889999:role/vendor-scanner')?.stub).toBe(true);
    } finally {
      store.close();
    }
  });
});
