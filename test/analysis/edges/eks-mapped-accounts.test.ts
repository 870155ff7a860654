// EKS aws-auth mapAccounts: the IAM principals of a listed account sign in to the cluster as their own ARN, in group
// system:authenticated. With the account's IAM export in the case, each principal reaches what bindings give that
// group and the user named by its ARN; principals of other accounts reach nothing.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { openEngine } from '../../../src/api/engine.js';
import { allow, arn, doc, gaad, trust } from '../../providers/aws/aws-case.js';
import { tempCase } from '../../helpers.js';
import { binding, role, sa, yaml } from './k8s-case.js';

const MAPPED = '111122223333';
const OTHER = '444455556666';
const USER = arn(MAPPED, 'user', 'u0');
// GAAD names a role with its path; EKS names the session of it without (the user a binding must name).
const DEPLOYER = `arn:aws:iam::${MAPPED}:role/ci/deployer`;
const STRANGER = arn(OTHER, 'user', 'stranger');
const GROUP = 'k8s:shop/_/group/system:authenticated';

const cluster = yaml(
  stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' }, data: { mapAccounts: `- "${MAPPED}"\n` } }),
  sa('payments', 'api'),
  stringify({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'api-token', namespace: 'payments', annotations: { 'kubernetes.io/service-account.name': 'api' } } }),
  role('ClusterRole', 'secret-reader', undefined, [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }]),
  binding('ClusterRoleBinding', 'everyone-reads-secrets', undefined, { kind: 'ClusterRole', name: 'secret-reader' }, [{ kind: 'Group', name: 'system:authenticated' }]),
  role('ClusterRole', 'all', undefined, [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
  binding('ClusterRoleBinding', 'deployer-admin', undefined, { kind: 'ClusterRole', name: 'all' }, [{ kind: 'User', name: `arn:aws:iam::${MAPPED}:role/deployer` }]),
);

function iam(account: string, users: string[], roles: { name: string; path?: string }[] = []): string {
  const g = gaad(account, { users: users.map((name) => ({ name, policies: [doc(allow('ec2:DescribeInstances'))] })), roles: roles.map((r) => ({ name: r.name, trust: trust({ Service: 'ec2.amazonaws.com' }) })) });
  // As the AWS CLI prints a role with a path: in its Path and its ARN.
  (g['RoleDetailList'] as Record<string, unknown>[]).forEach((r, i) => {
    const path = roles[i]!.path;
    if (path) Object.assign(r, { Path: path, Arn: `arn:aws:iam::${account}:role${path}${roles[i]!.name}` });
  });
  return JSON.stringify(g);
}

async function caseOf(order: 'cluster first' | 'iam first') {
  const engine = openEngine(tempCase(), { create: true });
  const files = {
    cluster: { name: 'kubectl-shop.yaml', contentBase64: Buffer.from(cluster).toString('base64') },
    iam: { name: 'gaad.json', contentBase64: Buffer.from(iam(MAPPED, ['u0'], [{ name: 'deployer', path: '/ci/' }])).toString('base64') },
    other: { name: 'gaad-other.json', contentBase64: Buffer.from(iam(OTHER, ['stranger'])).toString('base64') },
  };
  const steps = order === 'cluster first' ? [[files.cluster], [files.iam, files.other]] : [[files.iam, files.other], [files.cluster]];
  for (const s of steps) await engine.importFiles({ files: s, options: s === steps.find((x) => x.includes(files.cluster)) ? { cluster: 'shop' } : {} });
  return engine;
}

describe('eks-mapped-accounts', () => {
  for (const order of ['cluster first', 'iam first'] as const) {
    it(`principals of a mapped account sign in as members of system:authenticated and as their ARN's user (${order})`, async () => {
      const engine = await caseOf(order);
      try {
        const fed = async (from: string) => (await engine.node({ id: from })).out.filter((o) => o.edge.kind === 'FEDERATES_TO' && o.edge.props.technique === 'EKS aws-auth mapAccounts').map((o) => o.other.id).sort();
        expect(await fed(USER)).toEqual([GROUP]);
        expect(await fed(DEPLOYER)).toEqual([GROUP, `k8s:shop/_/user/arn:aws:iam::${MAPPED}:role/deployer`]);
        expect(await fed(STRANGER)).toEqual([]);
        const step = (await engine.node({ id: USER })).out.find((o) => o.edge.kind === 'FEDERATES_TO')!;
        expect(step.edge.props.evidence!.map((e) => e.summary)).toEqual([expect.stringContaining(`lists account ${MAPPED} in mapAccounts`)]);

        // The user reads the cluster's secrets through the group's binding; the role is cluster admin through its user's.
        const user = await engine.blastRadius({ from: USER });
        expect([...user.resources, ...user.identities].map((r) => r.node.id)).toContain('k8s:shop/payments/serviceaccount/api');
        expect(user.admins.map((r) => r.node.id)).not.toContain('admin:k8s:shop');
        expect((await engine.blastRadius({ from: DEPLOYER })).admins.map((r) => r.node.id)).toContain('admin:k8s:shop');
        // The account's admin signs in itself, once; admin-exits draws no way out through each of its principals.
        const admin = (await engine.node({ id: `admin:aws:account:${MAPPED}` })).out.filter((o) => o.edge.kind === 'FEDERATES_TO' || o.edge.kind === 'CAN_ESCALATE');
        expect(admin.map((o) => [o.edge.kind, o.other.id])).toEqual([['FEDERATES_TO', GROUP], ['CAN_ESCALATE', DEPLOYER]]);
        const stranger = await engine.blastRadius({ from: STRANGER });
        expect(JSON.stringify(stranger)).not.toContain('k8s:shop');
      } finally {
        engine.close();
      }
    });
  }
});
