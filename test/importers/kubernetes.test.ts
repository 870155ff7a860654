import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eksPodIdentity } from '../../src/importers/eks-pod-identity.js';
import { ImportError } from '../../src/importers/errors.js';
import { createInput, openInput } from '../../src/importers/input.js';
import { DEFAULT_LIMITS } from '../../src/importers/limits.js';
import { clusterFromFileName, kubernetes } from '../../src/importers/kubernetes.js';
import { detectImporter } from '../../src/importers/registry.js';
import type { GraphFragment } from '../../src/model/fragment.js';
import { FIXTURES, parseAll, REAL, ROOT } from '../helpers.js';

const parseText = (name: string, text: string, cluster?: string): Promise<GraphFragment> => parseAll(kubernetes, createInput(name, Buffer.from(text)), cluster ? { cluster } : {});
const node = (f: GraphFragment, id: string) => f.nodes.find((n) => n.id === id);

describe('Kubernetes importer', () => {
  it.each(readdirSync(join(REAL, 'kubernetes')))('detects and imports the real export %s', async (file) => {
    const input = createInput(file, readFileSync(join(REAL, 'kubernetes', file)));
    expect(detectImporter(input).format).toBe('kubernetes');
    const f = await parseAll(kubernetes, input, { cluster: 'kind' });
    expect(f.nodes.some((n) => n.kind === 'k8s_cluster' && n.id === 'k8s:kind')).toBe(true);
    expect(node(f, 'admin:k8s:kind')).toMatchObject({ kind: 'admin', name: 'cluster-admin of kind', boundary: 'k8s:kind' });
    expect(f.warnings).toEqual([]);
  });

  it('reads the kind ClusterRoles with their aggregation rules and labels', async () => {
    const f = await parseAll(kubernetes, createInput('crs.json', readFileSync(join(REAL, 'kubernetes/kind-cluster-clusterroles-list.json'))), { cluster: 'kind' });
    const roles = f.nodes.filter((n) => n.kind === 'k8s_role');
    expect(roles).toHaveLength(66);
    const admin = node(f, 'k8s:kind/_/clusterrole/admin')!;
    expect(admin.props?.['aggregationRule']).toEqual({ clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }] });
    expect(node(f, 'k8s:kind/_/clusterrole/system:aggregate-to-admin')?.props?.['labels']).toMatchObject({ 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' });
  });

  it('reads the kind ClusterRoleBindings: User, Group and ServiceAccount subjects become HAS_ROLE edges', async () => {
    const f = await parseAll(kubernetes, createInput('crbs.json', readFileSync(join(REAL, 'kubernetes/kind-cluster-clusterrolebindings-list.json'))), { cluster: 'kind' });
    const has = f.edges.filter((e) => e.kind === 'HAS_ROLE');
    expect(has.find((e) => e.to === 'k8s:kind/_/clusterrole/cluster-admin')).toMatchObject({ from: 'k8s:kind/_/group/system:masters', props: { binding: 'cluster-admin', bindingKind: 'ClusterRoleBinding' } });
    expect(has.some((e) => e.from === 'k8s:kind/_/user/system:kube-controller-manager')).toBe(true);
    expect(has.some((e) => e.from === 'k8s:kind/kube-system/serviceaccount/kindnet')).toBe(true);
    // Referenced roles are stubs: the ClusterRoles come from another file.
    expect(node(f, 'k8s:kind/_/clusterrole/cluster-admin')).toMatchObject({ stub: true });
  });

  it('reads the kind kube-system pods: accounts, static pods without one, owners, mounted tokens', async () => {
    const f = await parseAll(kubernetes, createInput('pods.json', readFileSync(join(REAL, 'kubernetes/kind-cluster-kube-system-pods-list.json'))), { cluster: 'kind' });
    const pods = f.nodes.filter((n) => n.kind === 'k8s_pod');
    expect(pods).toHaveLength(12);
    const runs = f.edges.filter((e) => e.kind === 'RUNS_AS');
    expect(runs).toHaveLength(12);
    const coredns = pods.find((p) => p.name.startsWith('kube-system/coredns-'))!;
    expect(runs.find((e) => e.from === coredns.id)?.to).toBe('k8s:kind/kube-system/serviceaccount/coredns');
    // The static control-plane pods name no account: they run as "default".
    const etcd = pods.find((p) => p.name.startsWith('kube-system/etcd-'))!;
    expect(runs.find((e) => e.from === etcd.id)?.to).toBe('k8s:kind/kube-system/serviceaccount/default');
    expect(etcd.props?.['hostNetwork']).toBe(true);
  });

  it('reads the IRSA example: annotations on the account, the Deployment running as it', async () => {
    const f = await parseAll(kubernetes, createInput('example-app.yaml', readFileSync(join(FIXTURES, 'kubernetes/eks-pod-identity-webhook-irsa-example-app.yaml'))));
    expect(f.nodes.find((n) => n.kind === 'k8s_cluster')?.name).toBe('example-app');
    const sa = node(f, 'k8s:example-app/default/serviceaccount/nginx')!;
    expect(sa.props).toMatchObject({ awsRoleArn: 'arn:aws:iam::111122223333:role/s3-reader', awsAudience: 'beta-sts.amazonaws.com' });
    expect(sa.handles).toContain('system:serviceaccount:default:nginx');
    expect(f.edges.find((e) => e.kind === 'RUNS_AS')).toMatchObject({ from: 'k8s:example-app/default/deployment/nginx', to: sa.id, props: { at: 'document 2 (line 10): $.spec.template.spec', tokenMounted: true } });
  });

  it('never stores secret values: data, stringData and the last-applied annotation are dropped, key names kept', async () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 'db', namespace: 'app', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"stringData":{"password":"hunter2-plain"}}', owner: 'team-db' } },
      data: { password: 'aHVudGVyMi1iYXNlNjQ=' },
      stringData: { url: 'postgres://u:hunter2-plain@db' },
    };
    const token = { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'api-token', namespace: 'app', annotations: { 'kubernetes.io/service-account.name': 'api' } }, data: { token: 'ZXlKaGJHY2lPaUpTVXpJMU5pSjku', 'ca.crt': 'LS0tLS1CRUdJTg==' } };
    const f = await parseText('secrets.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [secret, token] }), 'c');
    const text = JSON.stringify(f);
    for (const value of ['hunter2', 'aHVudGVyMi1iYXNlNjQ=', 'ZXlKaGJHY2lPaUpTVXpJMU5pSjku', 'LS0tLS1CRUdJTg==']) expect(text).not.toContain(value);
    expect(node(f, 'k8s:c/app/secret/db')).toMatchObject({ kind: 'k8s_secret', props: { type: 'Opaque', keys: ['password', 'url'], owner: 'team-db' } });
    expect(node(f, 'k8s:c/app/secret/api-token')).toMatchObject({ kind: 'k8s_sa_token', props: { keys: ['ca.crt', 'token'], serviceAccount: 'api', managedBy: 'system' } });
    expect(f.edges.find((e) => e.kind === 'AUTHENTICATES_AS')).toMatchObject({ from: 'k8s:c/app/secret/api-token', to: 'k8s:c/app/serviceaccount/api' });
  });

  it('links pods to the Deployment or CronJob behind their ReplicaSet or Job', async () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'a' }, spec: { template: { spec: { serviceAccountName: 'web' } } } },
        { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'a' }, spec: { jobTemplate: { spec: { template: { spec: { serviceAccountName: 'batch', automountServiceAccountToken: false } } } } } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-5d4f8b7c9-x2k4p', namespace: 'a', labels: { 'pod-template-hash': '5d4f8b7c9' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d4f8b7c9', controller: true }] }, spec: { serviceAccountName: 'web' } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nightly-29012345-abcde', namespace: 'a', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'nightly-29012345', controller: true }] }, spec: { serviceAccountName: 'batch', automountServiceAccountToken: false } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'a' } },
      ],
    };
    const f = await parseText('w.json', JSON.stringify(list), 'c');
    expect(f.edges.filter((e) => e.kind === 'OWNS').map((e) => `${e.from} ${e.to}`)).toEqual(['k8s:c/a/deployment/web k8s:c/a/pod/web-5d4f8b7c9-x2k4p', 'k8s:c/a/cronjob/nightly k8s:c/a/pod/nightly-29012345-abcde']);
    const cron = f.edges.find((e) => e.kind === 'RUNS_AS' && e.from === 'k8s:c/a/cronjob/nightly')!;
    expect(cron.props).toMatchObject({ tokenMounted: false, at: '$.items[1].spec.jobTemplate.spec.template.spec' });
    expect(cron.props?.conditional).toContain('not mounted');
    expect(f.warnings).toEqual([{ message: 'objects of kinds Blastmap does not model were skipped: 1 ConfigMap' }]);
  });

  it('maps a User subject named system:serviceaccount:<ns>:<name> to that account, and defaults RoleBinding subjects to its namespace', async () => {
    const rb = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'app' }, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'system:serviceaccount:ci:bot' }, { kind: 'ServiceAccount', name: 'local' }] };
    const f = await parseText('rb.json', JSON.stringify(rb), 'c');
    expect(f.edges.map((e) => `${e.from} -> ${e.to}`)).toEqual(['k8s:c/ci/serviceaccount/bot -> k8s:c/app/role/r', 'k8s:c/app/serviceaccount/local -> k8s:c/app/role/r']);
  });

  it('detects and reads kubectl get -o yaml output (a List whose items are indented)', async () => {
    const text = 'apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: bot\n    namespace: ci\nkind: List\nmetadata:\n  resourceVersion: ""\n';
    const input = createInput('sa.yaml', Buffer.from(text));
    expect(detectImporter(input).format).toBe('kubernetes');
    const f = await parseAll(kubernetes, input, { cluster: 'c' });
    expect(node(f, 'k8s:c/ci/serviceaccount/bot')?.props?.['at']).toBe('document 1 (line 1): $.items[0]');
  });

  it('reads a JSON array of objects and a single object', async () => {
    const arr = await parseText('arr.json', JSON.stringify([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a', namespace: 'x' } }]), 'c');
    expect(node(arr, 'k8s:c/x/serviceaccount/a')?.props?.['at']).toBe('$[0]');
    const one = await parseText('one.json', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }), 'c');
    expect(node(one, 'k8s:c/x')).toMatchObject({ kind: 'k8s_namespace', props: { objectKind: 'Namespace', at: '$' } });
    expect(node(one, 'k8s:c/x')?.stub).toBeFalsy();
  });

  it('reads JSON documents appended one after another (kubectl output of a loop; kubernetes\' own test input)', async () => {
    // kubectl reads such a file; it was refused as "several JSON values".
    const f = await parseAll(kubernetes, createInput('multi.json', readFileSync(join(FIXTURES, 'kubernetes', 'k8s-hack-multi-resource-json.json'))), { cluster: 'c' });
    expect(node(f, 'k8s:c/default/replicationcontroller/mock')).toMatchObject({ kind: 'k8s_workload', props: { at: 'document 2 (line 21, column 1)' } });
    expect(f.warnings.map((w) => w.message)).toEqual([expect.stringContaining('1 Service')]);
    const list = (ns: string) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ci', namespace: ns } }] }, null, 2);
    const lists = await parseText('sa.json', `${list('a')}\n${list('b')}\n`, 'c');
    expect(['k8s:c/a/serviceaccount/ci', 'k8s:c/b/serviceaccount/ci'].map((id) => node(lists, id)?.kind)).toEqual(['k8s_service_account', 'k8s_service_account']);
    await expect(parseText('cut.json', `${list('a')}${list('b').slice(0, 40)}`, 'c')).rejects.toThrow(/cut\.json \(line \d+, column \d+\): invalid JSON/);
  });

  it('reads appended JSON documents in a file large enough to stream (the stream says a second document starts)', async () => {
    const list = (ns: string) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ci', namespace: ns } }] }, null, 2);
    const dir = mkdtempSync(join(tmpdir(), 'blastmap-k8s-appended-'));
    try {
      const path = join(dir, 'sa.json');
      writeFileSync(path, `${list('a')}\n${list('b')}\n`);
      const input = await openInput('sa.json', path, { ...DEFAULT_LIMITS, streamAboveBytes: 16 });
      expect(input.large).toBe(true);
      const f = await parseAll(kubernetes, input, { cluster: 'c' });
      expect(['k8s:c/a/serviceaccount/ci', 'k8s:c/b/serviceaccount/ci'].map((id) => node(f, id)?.kind)).toEqual(['k8s_service_account', 'k8s_service_account']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes a manifest of kinds it does not model as Kubernetes, naming them in a warning, so a directory of manifests imports', async () => {
    // A file holding only a Service or a policy engine's resource was "not a format Blastmap recognises", which
    // failed the import of every file given with it.
    const kyverno = createInput('kyverno.yaml', readFileSync(join(FIXTURES, 'kubernetes', 'goat-kyverno-block-pod-exec-by-namespace.yaml')));
    expect(detectImporter(kyverno).format).toBe('kubernetes');
    expect((await parseAll(kubernetes, kyverno, { cluster: 'c' })).warnings.map((w) => w.message)).toEqual([expect.stringMatching(/not model were skipped: 1 ClusterPolicy/)]);
    const yaml = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  ports:\n  - port: 80\n';
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: {} }, null, 4);
    for (const [name, text] of [['svc.yaml', yaml], ['svc.json', json]] as const) {
      expect(detectImporter(createInput(name, Buffer.from(text))).format, name).toBe('kubernetes');
      expect((await parseText(name, text, 'c')).warnings.map((w) => w.message), name).toEqual([expect.stringMatching(/1 Service/)]);
    }
    // YAML that is not a Kubernetes object (no metadata) is still not taken for one.
    expect(() => detectImporter(createInput('policy.yaml', Buffer.from('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n')))).toThrow(/not a format Blastmap recognises/);
  });

  it('names the cluster from --cluster, else metadata.clusterName, else the file name', async () => {
    expect(clusterFromFileName('/tmp/Prod EKS.objects.yaml.gz')).toBe('prod-eks.objects');
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a', namespace: 'x', clusterName: 'from-meta' } };
    expect((await parseText('f.json', JSON.stringify(sa))).nodes.find((n) => n.kind === 'k8s_cluster')?.name).toBe('from-meta');
    expect((await parseText('f.json', JSON.stringify(sa), 'opt')).nodes.find((n) => n.kind === 'k8s_cluster')?.name).toBe('opt');
  });

  it.each([
    ['bad.json', '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Pod","metadata":{}}]}', '$.items[0].metadata.name'],
    ['bad.json', '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","metadata":{"name":"x"}}]}', '$.items[0].kind'],
    ['bad.json', '{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"x"},"roleRef":{"kind":"Role","name":"r"}}', '$.roleRef.kind'],
    ['bad.json', '{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"x","namespace":"a"},"rules":[{"resources":["pods"]}]}', '$.rules[0]'],
    ['bad.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n', 'document 2, line 10, column 1'],
    ['bad.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: b\nsubjects:\n  - name: x\n', 'document 2 (line 6): $.roleRef'],
  ])('rejects %s naming %s', async (name, text, where) => {
    const err: unknown = await parseText(name, text, 'c').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).location).toBe(where);
  });

  it('imports the demo cluster: IRSA accounts, the CI deployer, the secret reader, the cluster-admin account', async () => {
    const f = await parseAll(kubernetes, createInput('kubectl-prod-eks.json', readFileSync(join(ROOT, 'assets/demo/kubectl-prod-eks.json'))), { cluster: 'prod-eks' });
    expect(node(f, 'k8s:prod-eks/payments/serviceaccount/payments-api')?.props?.['awsRoleArn']).toBe('arn:aws:iam::222222222222:role/payments-irsa');
    expect(f.edges.filter((e) => e.kind === 'HAS_ROLE').map((e) => `${e.from} -> ${e.to}`)).toContain('k8s:prod-eks/kube-system/serviceaccount/legacy-admin -> k8s:prod-eks/_/clusterrole/cluster-admin');
    expect(f.warnings).toEqual([]);
  });
});

describe('EKS Pod Identity importer', () => {
  it('records describe output on the service account, and warns about list entries without a role', async () => {
    const describeOut = { association: { clusterName: 'prod-eks', namespace: 'payments', serviceAccount: 'payments-api', roleArn: 'arn:aws:iam::222222222222:role/payments-pod-identity', associationArn: 'arn:aws:eks:eu-west-1:222222222222:podidentityassociation/prod-eks/a-1', associationId: 'a-1', tags: {}, createdAt: '2026-01-05T10:00:00.000000+00:00', modifiedAt: '2026-01-05T10:00:00.000000+00:00' } };
    const input = createInput('describe.json', Buffer.from(JSON.stringify(describeOut, null, 4)));
    expect(detectImporter(input).format).toBe('eks-pod-identity');
    const f = await parseAll(eksPodIdentity, input);
    expect(f.nodes.find((n) => n.kind === 'k8s_service_account')).toMatchObject({ id: 'k8s:prod-eks/payments/serviceaccount/payments-api', stub: true, props: { podIdentityAssociations: [{ roleArn: 'arn:aws:iam::222222222222:role/payments-pod-identity', associationId: 'a-1', at: '$.association' }] } });
    const listOut = { associations: [{ clusterName: 'prod-eks', namespace: 'payments', serviceAccount: 'payments-api', associationArn: 'arn:aws:eks:eu-west-1:222222222222:podidentityassociation/prod-eks/a-1', associationId: 'a-1' }] };
    const listed = await parseAll(eksPodIdentity, createInput('list.json', Buffer.from(JSON.stringify(listOut))));
    expect(listed.warnings[0]).toMatchObject({ location: '$.associations[0]' });
    const err: unknown = await parseAll(eksPodIdentity, createInput('x.json', Buffer.from('{"associations":[{"clusterName":"c","serviceAccount":"s","associationId":"a"}]}'))).catch((e: unknown) => e);
    expect((err as ImportError).location).toBe('$.associations[0].namespace');
  });
});
