import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { eksAccessEntries } from '../../src/importers/eks-access-entries.js';
import { ImportError } from '../../src/importers/errors.js';
import { createInput, openInput } from '../../src/importers/input.js';
import { DEFAULT_LIMITS } from '../../src/importers/limits.js';
import { kubernetes } from '../../src/importers/kubernetes.js';
import { detectImporter } from '../../src/importers/registry.js';
import { CaseStore } from '../../src/store/case-store.js';
import { FIXTURES, parseAll, tempCase } from '../helpers.js';

const EKS = join(FIXTURES, 'eks');
const ACCT = '111122223333';
const OPS = `arn:aws:iam::${ACCT}:role/eks-ops`;
const OPS_FULL = `arn:aws:iam::${ACCT}:role/platform/eks-ops`;
const AUDITOR = `arn:aws:iam::${ACCT}:role/eks-auditor`;
const ADMIN = 'admin:k8s:shop-eks';
const file = (name: string) => ({ path: join(EKS, name) });
const input = (name: string) => createInput(name, readFileSync(join(EKS, name)));

/** The shop-eks case: IAM (GAAD, access keys), the kubectl export with aws-auth, then the access entries. */
async function shopCase(withAccessEntries = true): Promise<string> {
  const path = tempCase();
  const engine = openEngine(path, { create: true });
  await engine.importFiles({ files: [file('gaad-shop.json'), file('list-access-keys-shop.json')], options: {} });
  await engine.importFiles({ files: [file('kubectl-shop-eks.json')], options: { cluster: 'shop-eks' } });
  // No --cluster: the access entries name the cluster themselves.
  if (withAccessEntries) await engine.importFiles({ files: ['describe-access-entries-shop-eks.json', 'list-associated-access-policies-eks-auditor.json', 'list-associated-access-policies-bob.json'].map(file), options: {} });
  engine.close();
  return path;
}

describe('aws-auth ConfigMap (kubernetes importer)', () => {
  it('maps roles and users to Kubernetes users and groups, keeping templates, the place and nothing else of the data', async () => {
    const f = await parseAll(kubernetes, input('kubectl-shop-eks.json'), { cluster: 'shop-eks' });
    const fed = f.edges.filter((e) => e.kind === 'FEDERATES_TO');
    expect(fed.map((e) => `${e.from} -> ${e.to}`)).toEqual([
      `${OPS} -> k8s:shop-eks/_/user/ops:{{SessionName}}`,
      `arn:aws:iam::${ACCT}:role/shop-eks-nodegroup-NodeInstanceRole -> k8s:shop-eks/_/user/system:node:{{EC2PrivateDNSName}}`,
      `arn:aws:iam::${ACCT}:role/org-admin -> k8s:shop-eks/_/user/org-admin`,
      `arn:aws:iam::${ACCT}:user/alice -> k8s:shop-eks/_/user/alice`,
    ]);
    expect(fed[0]!.props).toMatchObject({ technique: 'EKS aws-auth ConfigMap', configMap: 'kube-system/aws-auth', key: 'mapRoles', index: 0, at: '$.items[8].data.mapRoles[0]' });
    expect(fed[3]!.props).toMatchObject({ key: 'mapUsers', index: 0, at: '$.items[8].data.mapUsers[0]' });
    expect(f.edges.filter((e) => e.kind === 'MEMBER_OF').map((e) => `${e.from.replace('k8s:shop-eks/_/', '')} -> ${e.to.replace('k8s:shop-eks/_/', '')}`)).toEqual([
      'user/ops:{{SessionName}} -> group/system:masters',
      'user/system:node:{{EC2PrivateDNSName}} -> group/system:bootstrappers',
      'user/system:node:{{EC2PrivateDNSName}} -> group/system:nodes',
      'user/org-admin -> group/system:masters',
      'user/alice -> group/web-viewers',
    ]);
    // The IAM side is a stub named as GAAD names it, in its account.
    expect(f.nodes.find((n) => n.id === OPS)).toMatchObject({ kind: 'aws_role', stub: true, boundary: `aws:account:${ACCT}` });
    expect(f.nodes.find((n) => n.id === `arn:aws:iam::${ACCT}:user/alice`)).toMatchObject({ kind: 'aws_user', boundary: `aws:account:${ACCT}` });
    // mapAccounts is recorded on the cluster and said in a warning, not drawn.
    expect(f.nodes.find((n) => n.id === 'k8s:shop-eks')!.props).toMatchObject({ awsAuthMappedAccounts: ['444455556666'] });
    expect(f.warnings.map((w) => w.message)).toEqual([expect.stringContaining('aws-auth mapAccounts lets every IAM user and role of account 444455556666'), 'objects of kinds Blastmap does not model were skipped: 2 ConfigMap']);
    // The other ConfigMaps (app-config, an aws-auth outside kube-system) leave no trace.
    const all = JSON.stringify(f);
    expect(all).not.toContain('not-in-the-case');
    expect(all).not.toContain('checkout-v2');
    expect(all).not.toContain('decoy');
  });

  it('stores nothing of another ConfigMap, streamed or not, in the case', async () => {
    const path = tempCase();
    const engine = openEngine(path, { create: true });
    await engine.importFiles({ files: [file('kubectl-shop-eks.json')], options: { cluster: 'shop-eks' } });
    engine.close();
    const bytes = readFileSync(path).toString('latin1');
    expect(bytes).not.toContain('not-in-the-case');
    expect(bytes).not.toContain('checkout-v2');
    expect(bytes).not.toContain('role/decoy');
    expect(bytes).toContain('ops:{{SessionName}}');
    // A large List is streamed: the aws-auth mappings survive the slimming, the other ConfigMaps' data does not.
    const streamed = await openInput('kubectl-shop-eks.json', join(EKS, 'kubectl-shop-eks.json'), { ...DEFAULT_LIMITS, streamAboveBytes: 0 });
    expect(streamed.large).toBe(true);
    const f = await parseAll(kubernetes, streamed, { cluster: 'shop-eks' });
    expect(f.edges.filter((e) => e.kind === 'FEDERATES_TO')).toHaveLength(4);
    expect(JSON.stringify(f)).not.toContain('not-in-the-case');
  });

  it('reads the single ConfigMap as kubectl prints it, in YAML (the EKS user guide sample) and JSON', async () => {
    const yml = input('aws-auth-eks-user-guide.yaml');
    expect(detectImporter(yml).format).toBe('kubernetes');
    const f = await parseAll(kubernetes, yml, { cluster: 'my-cluster' });
    expect(f.edges.filter((e) => e.kind === 'FEDERATES_TO').map((e) => `${e.from} -> ${e.to}`)).toEqual([
      'arn:aws:iam::111122223333:role/my-role -> k8s:my-cluster/_/user/system:node:{{EC2PrivateDNSName}}',
      'arn:aws:iam::111122223333:role/my-console-viewer-role -> k8s:my-cluster/_/user/my-console-viewer-role',
      'arn:aws:iam::111122223333:user/admin -> k8s:my-cluster/_/user/admin',
      'arn:aws:iam::444455556666:user/my-user -> k8s:my-cluster/_/user/my-user',
    ]);
    expect(f.edges.find((e) => e.kind === 'FEDERATES_TO')!.props!.at).toBe('document 1 (line 5): $.data.mapRoles[0]');
    expect(f.nodes.find((n) => n.id === 'arn:aws:iam::444455556666:user/my-user')!.boundary).toBe('aws:account:444455556666');
    expect(f.warnings).toEqual([]);
    const single = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system', uid: 'u1' }, data: { mapRoles: '- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n  groups: [system:masters]\n' } };
    const json = createInput('aws-auth.json', Buffer.from(JSON.stringify(single, null, 4)));
    expect(detectImporter(json).format).toBe('kubernetes');
    const g = await parseAll(kubernetes, json, { cluster: 'c' });
    expect(g.edges.map((e) => `${e.kind} ${e.from} -> ${e.to}`)).toEqual(['FEDERATES_TO arn:aws:iam::111122223333:role/ops -> k8s:c/_/user/ops', 'MEMBER_OF k8s:c/_/user/ops -> k8s:c/_/group/system:masters']);
  });

  it('names the place of bad YAML inside mapRoles, and the import changes nothing', async () => {
    const bad = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a', namespace: 'x' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' }, data: { mapRoles: '- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops\n  groups: [system:masters\n' } }] };
    const err: unknown = await parseAll(kubernetes, createInput('bad-aws-auth.json', Buffer.from(JSON.stringify(bad))), { cluster: 'c' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).file).toBe('bad-aws-auth.json');
    expect((err as ImportError).location).toMatch(/^\$\.items\[1\]\.data\.mapRoles, line \d+, column \d+ of its text$/);
    expect((err as ImportError).message).toContain('invalid YAML in aws-auth mapRoles');
    const path = tempCase();
    const engine = openEngine(path, { create: true });
    await expect(engine.importFiles({ files: [{ name: 'bad-aws-auth.json', contentBase64: Buffer.from(JSON.stringify(bad)).toString('base64') }], options: { cluster: 'c' } })).rejects.toThrow(/mapRoles/);
    engine.close();
    const store = CaseStore.open(path);
    expect(store.node('k8s:c/x/serviceaccount/a')).toBeUndefined();
    store.close();
    // A mapping without its ARN is refused with its index.
    const noArn = { ...bad, items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' }, data: { mapUsers: '- username: x\n  groups: []\n' } }] };
    const err2: unknown = await parseAll(kubernetes, createInput('b.json', Buffer.from(JSON.stringify(noArn))), { cluster: 'c' }).catch((e: unknown) => e);
    expect((err2 as ImportError).location).toBe('$.items[0].data.mapUsers[0]');
  });

  it('warns about a role ARN with a path (EKS matches none) and a mapping without a username', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' }, data: { mapRoles: '- rolearn: arn:aws:iam::111122223333:role/team/dev\n  username: dev\n- rolearn: arn:aws:iam::111122223333:role/nouser\n  groups: [g]\n' } };
    const f = await parseAll(kubernetes, createInput('cm.json', Buffer.from(JSON.stringify(cm))), { cluster: 'c' });
    expect(f.edges).toEqual([]);
    expect(f.warnings.map((w) => w.location)).toEqual(['$.data.mapRoles[0]', '$.data.mapRoles[1]']);
    expect(f.warnings[0]!.message).toContain('includes an IAM path');
  });
});

describe('EKS access entries importer', () => {
  it('reads the aws-cli samples: describe (username given), EC2_LINUX, associated policies, list', async () => {
    for (const name of ['awscli-describe-access-entry.json', 'awscli-create-access-entry-ec2-linux.json', 'awscli-list-associated-access-policies.json', 'awscli-list-access-entries.json']) expect(detectImporter(input(name)).format).toBe('eks-access-entries');
    const d = await parseAll(eksAccessEntries, input('awscli-describe-access-entry.json'));
    expect(d.edges.map((e) => `${e.kind} ${e.from} -> ${e.to}`)).toEqual(['FEDERATES_TO arn:aws:iam::111122223333:user/eks-admin-user -> k8s:eks-customer/_/user/arn:aws:iam::111122223333:user/eks-admin-user']);
    expect(d.edges[0]!.props).toMatchObject({ technique: 'EKS access entry', accessEntryType: 'STANDARD', at: '$.accessEntry' });
    expect(d.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(['k8s:eks-customer', 'admin:k8s:eks-customer']));
    const n = await parseAll(eksAccessEntries, input('awscli-create-access-entry-ec2-linux.json'));
    expect(n.edges.map((e) => `${e.kind} ${e.to}`)).toEqual(['FEDERATES_TO k8s:eks-customer/_/user/system:node:{{EC2PrivateDNSName}}', 'MEMBER_OF k8s:eks-customer/_/group/system:nodes']);
    const p = await parseAll(eksAccessEntries, input('awscli-list-associated-access-policies.json'));
    expect(p.edges).toMatchObject([{ kind: 'HAS_ROLE', from: 'arn:aws:iam::111122223333:role/Admin', to: 'k8s:eks-customer/_/eksaccesspolicy/AmazonEKSAdminPolicy', props: { bindingKind: 'ClusterRoleBinding', at: '$.associatedAccessPolicies[0]' } }]);
    const l = await parseAll(eksAccessEntries, input('awscli-list-access-entries.json'));
    expect(l.edges).toEqual([]);
    expect(l.warnings[0]!.message).toContain('names 4 principal(s)');
  });

  it('list-access-policies (the catalogue, held by nobody) imports with a warning; per-principal outputs appended to one file by a loop are each read', async () => {
    // Both were refused: the catalogue as "not a format Blastmap recognises", the appended file as several JSON values.
    const cat = input('awscli-example-list-access-policies.json');
    expect(detectImporter(cat).format).toBe('eks-access-entries');
    const c = await parseAll(eksAccessEntries, cat);
    expect([c.nodes, c.edges]).toEqual([[], []]);
    expect(c.warnings).toEqual([{ message: expect.stringMatching(/^list-access-policies lists the 19 access policies EKS offers, not who holds them: nothing drawn/), location: '$.accessPolicies' }]);
    // for p in bob eks-auditor; do aws eks list-associated-access-policies … >> associated.json; done
    const appended = Buffer.from(['list-associated-access-policies-bob.json', 'list-associated-access-policies-eks-auditor.json'].map((n) => readFileSync(join(EKS, n), 'utf8').trimEnd() + '\n').join(''));
    const one = await parseAll(eksAccessEntries, createInput('associated.json', appended));
    const each = await Promise.all(['list-associated-access-policies-bob.json', 'list-associated-access-policies-eks-auditor.json'].map((n) => parseAll(eksAccessEntries, input(n))));
    const kinds = (f: typeof one) => f.edges.map((e) => `${e.kind} ${e.from} -> ${e.to}`).sort();
    expect(kinds(one)).toEqual(each.flatMap(kinds).sort());
    expect(one.edges.length).toBeGreaterThan(1);
    expect(one.edges.map((e) => e.props?.['at'])).toContain('document 2 (line 16, column 1): $.associatedAccessPolicies[0]');
  });

  it('fills the usernames EKS sets when the entry states none, and node groups', async () => {
    const f = await parseAll(eksAccessEntries, input('describe-access-entries-shop-eks.json'));
    const fed = f.edges.filter((e) => e.kind === 'FEDERATES_TO').map((e) => `${e.from.replace(`arn:aws:iam::${ACCT}:`, '')} -> ${e.to.replace('k8s:shop-eks/_/user/', '')}`);
    expect(fed).toEqual([
      // A role: its assumed-role ARN without the path, with EKS's session template.
      `role/eks-auditor -> arn:aws:sts::${ACCT}:assumed-role/eks-auditor/{{SessionName}}`,
      'role/teams/payments/payments-oncall -> payments-oncall:{{SessionNameRaw}}',
      'role/shop-eks-self-managed-ng -> system:node:{{EC2PrivateDNSName}}',
      'role/shop-eks-fargate-pods -> system:node:{{SessionName}}',
      `user/bob -> arn:aws:iam::${ACCT}:user/bob`,
    ]);
    expect(f.edges.filter((e) => e.kind === 'MEMBER_OF').map((e) => e.to.replace('k8s:shop-eks/_/group/', ''))).toEqual(['payments-oncall', 'system:nodes', 'system:node-proxier', 'system:nodes']);
    expect(f.edges[0]!.props).toMatchObject({ usernameDefault: true, at: '$[0].accessEntry' });
  });

  it('reads namespace scopes, and refuses an unknown scope type naming the place', async () => {
    const f = await parseAll(eksAccessEntries, input('list-associated-access-policies-eks-auditor.json'));
    expect(f.edges.map((e) => [e.to.replace('k8s:shop-eks/_/eksaccesspolicy/', ''), e.props!['bindingKind'], e.props!['namespace']])).toEqual([
      ['AmazonEKSAdminViewPolicy', 'RoleBinding', 'web'],
      ['AmazonEKSViewPolicy', 'ClusterRoleBinding', undefined],
    ]);
    const bad = { clusterName: 'c', principalArn: AUDITOR, associatedAccessPolicies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', accessScope: { type: 'everywhere' } }] };
    const err: unknown = await parseAll(eksAccessEntries, createInput('x.json', Buffer.from(JSON.stringify(bad)))).catch((e: unknown) => e);
    expect((err as ImportError).location).toBe('$.associatedAccessPolicies[0].accessScope');
    const unknown = { ...bad, associatedAccessPolicies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy', accessScope: { type: 'cluster' } }] };
    const u = await parseAll(eksAccessEntries, createInput('u.json', Buffer.from(JSON.stringify(unknown))));
    expect(u.warnings[0]!.message).toContain('AmazonEKSAutoNodePolicy is not one whose Kubernetes permissions are known');
  });
});

describe('IAM into EKS: paths and blast radius', () => {
  it('an IAM role mapped to system:masters in aws-auth is cluster-admin, and a key that can assume it reaches the cluster', async () => {
    const engine = openEngine(await shopCase(false));
    // aws-auth names the role without its path; GAAD's role has /platform/: one node.
    const [path] = await engine.paths({ from: OPS, to: 'admin' });
    expect(path!.steps.map((s) => s.edge.kind)).toEqual(['FEDERATES_TO', 'MEMBER_OF', 'ADMIN_OF']);
    expect(path!.steps.at(-1)!.to.id).toBe(ADMIN);
    expect(path!.steps[0]!.from.id).toBe(OPS_FULL);
    expect(path!.steps[0]!.edge).toMatchObject({ technique: 'EKS aws-auth ConfigMap' });
    const br = await engine.blastRadius({ from: 'aws:key:AKIAEXAMPLECIBOT0001' });
    expect(br.admins.map((a) => a.path)).toContainEqual(['aws:key:AKIAEXAMPLECIBOT0001', `arn:aws:iam::${ACCT}:user/ci-bot`, OPS_FULL, `k8s:shop-eks/_/user/ops:{{SessionName}}`, 'k8s:shop-eks/_/group/system:masters', ADMIN]);
    expect(br.byBoundary.find((b) => b.boundary.id === 'k8s:shop-eks')).toMatchObject({ admin: true });
    // Cutting the mapping is the cluster-side fix, said in EKS's terms.
    const plan = await engine.containment({ from: OPS_FULL, targets: [ADMIN] });
    expect(plan.pathsAfter).toBe(0);
    expect(plan.cuts.map((c) => c.action)).toEqual(['Remove group system:masters from the aws-auth ConfigMap entry that maps ops:{{SessionName}}']);
    engine.close();
  });

  it('access entries of the same cluster merge with the kubectl export; a namespace-scoped read policy reaches that namespace only', async () => {
    const path = await shopCase();
    const store = CaseStore.open(path);
    expect([...store.nodesOfKind('k8s_cluster')].map((n) => n.id)).toEqual(['k8s:shop-eks']);
    store.close();
    const engine = openEngine(path);
    // The auditor: AmazonEKSAdminViewPolicy in namespace web, AmazonEKSViewPolicy cluster-wide (no secrets).
    const br = await engine.blastRadius({ from: 'aws:key:AKIAEXAMPLEINTERN001' });
    const k8s = [...br.credentials, ...br.resources, ...br.identities].map((r) => r.node.id).filter((id) => id.startsWith('k8s:'));
    expect(k8s).toContain('k8s:shop-eks/web/secret/web-api-token');
    expect(k8s.some((id) => id.startsWith('k8s:shop-eks/payments/'))).toBe(false);
    expect(br.admins).toEqual([]);
    expect(await engine.paths({ from: AUDITOR, to: 'admin' })).toEqual([]);
    // bob: AmazonEKSClusterAdminPolicy at cluster scope is cluster-admin, through k8s-admin.
    const [bob] = await engine.paths({ from: `arn:aws:iam::${ACCT}:user/bob`, to: 'admin' });
    expect(bob!.steps.map((s) => [s.edge.kind, s.to.id])).toEqual([['ADMIN_OF', ADMIN]]);
    expect(bob!.steps[0]!.edge).toMatchObject({ technique: 'EKS access policy' });
    expect(bob!.steps[0]!.edge.evidence[0]).toMatchObject({ type: 'eks-access-policy' });
    expect((await engine.containment({ from: `arn:aws:iam::${ACCT}:user/bob` })).cuts.map((c) => c.action)).toEqual(['Disassociate EKS access policy AmazonEKSClusterAdminPolicy from bob (cluster-admin of shop-eks)']);
    engine.close();
  });

  it('reports who becomes cluster-admin through EKS: escalation-to-admin, and the AWS admin that crosses into the cluster', async () => {
    const engine = openEngine(await shopCase());
    const findings = await engine.findings({});
    const of = (rule: string) => findings.filter((f) => f.rule === rule && f.title.includes('cluster-admin of shop-eks')).map((f) => f.nodeId).sort();
    expect(of('escalation-to-admin')).toEqual([OPS_FULL, `arn:aws:iam::${ACCT}:user/ci-bot`]);
    // org-admin has AdministratorAccess and system:masters through aws-auth: whoever is admin of the account can act
    // as it (admin-exits), so the crossing is said once, on the account's admin node.
    expect(of('admin-crosses-boundary')).toEqual([`admin:aws:account:${ACCT}`]);
    engine.close();
  });
});
