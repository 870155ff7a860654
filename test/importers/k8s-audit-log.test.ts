import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { createInput } from '../../src/importers/input.js';
import { detectImporter } from '../../src/importers/registry.js';
import { FIXTURES, tempCase, tempDir } from '../helpers.js';

const fx = (name: string) => join(FIXTURES, 'k8s-audit', name);
const DEPLOYER = 'k8s:prod/ci/serviceaccount/deployer';
const ADMIN_BOT = 'k8s:prod/kube-system/serviceaccount/admin-bot';

async function importCase(paths: string[], options: { cluster?: string } = {}) {
  const engine = openEngine(tempCase(), { create: true });
  const result = await engine.importWithHooks({ files: paths.map((path) => ({ path })), options }, { now: new Date('2026-03-10T00:00:00Z') });
  const observed = (from: string, to: string) => [...engine.store.edgesOfKind('OBSERVED_USE')].filter((e) => e.src === from && e.dst === to);
  return { engine, result, observed };
}

describe('Kubernetes audit logs', () => {
  it('detects the API server log and the managed clusters\' exports from their content', () => {
    for (const name of ['apiserver-audit.jsonl', 'eks-cloudwatch-subscription.json', 'eks-filter-log-events.json', 'gke-cloud-logging.json', 'aks-diagnostics.json', 'falco-exec_pod.json', 'falco-create_clusterrolebinding.json', 'audit2rbac-demo.log']) {
      expect(detectImporter(createInput(name, readFileSync(fx(name)))).format, name).toBe('k8s-audit-log');
    }
  });

  it('folds requests into observed use: secrets read, tokens requested, impersonation, exec', async () => {
    const c = await importCase([fx('apiserver-audit.jsonl')], { cluster: 'prod' });
    // Two reads of one secret, two days apart, from two addresses: one edge, first and last seen, counted.
    const secret = c.observed(DEPLOYER, 'k8s:prod/ci/secret/db-creds')[0]!;
    expect(secret).toMatchObject({ firstSeen: '2026-03-02T09:16:40Z', lastSeen: '2026-03-04T22:41:07Z' });
    expect(secret.props).toMatchObject({ count: 2, actions: ['get secrets'], technique: 'secrets' });
    expect((secret.props['sourceIps'] as { value: string }[]).map((x) => x.value).sort()).toEqual(['10.0.4.17', '10.0.9.200']);
    expect((secret.props['userAgents'] as { value: string }[]).map((x) => x.value).sort()).toEqual(['curl/8.5.0', 'deployer/1.4.2']);
    // A token requested for another account: the requester acted as it.
    expect(c.observed(DEPLOYER, ADMIN_BOT)[0]?.props).toMatchObject({ technique: 'serviceaccounts/token', actions: ['create serviceaccounts/token'] });
    // The list of pods is activity in the namespace; its RequestReceived stage is not a second request.
    expect(c.observed(DEPLOYER, 'k8s:prod/ci')[0]?.props).toMatchObject({ count: 1, actions: ['list pods'] });
    // Impersonation: alice → the impersonated account → what it did (cluster-scoped nodes list).
    const alice = 'k8s:prod/_/user/alice@example.com';
    expect(c.observed(alice, ADMIN_BOT)[0]?.props.technique).toBe('impersonate');
    expect(c.observed(ADMIN_BOT, 'k8s:prod')[0]?.props.actions).toEqual(['list nodes']);
    // Exec counted once although three stages were logged.
    expect(c.observed('k8s:prod/_/user/bob@example.com', 'k8s:prod/prod/pod/api-7f9c8d6b5-q8w2e')[0]?.props).toMatchObject({ count: 1, technique: 'pods/exec' });
    // The denied anonymous read reaches nothing; the malformed line is reported by number.
    expect([...c.engine.store.edgesOfKind('OBSERVED_USE')].filter((e) => e.src.endsWith('system:anonymous'))).toEqual([]);
    expect(c.result.warnings.map((w) => `${w.message} @ ${w.location ?? ''}`)).toEqual(expect.arrayContaining([expect.stringMatching(/not valid JSON @ line 6/), expect.stringMatching(/denied or failed.*@ line 11/)]));
    // What it did beside what it could: the observed-only walk follows the secret read, within the time window.
    const inWindow = await c.engine.blastRadius({ from: DEPLOYER, observedOnly: true, since: '2026-03-04T00:00:00Z' });
    expect(inWindow.identities.map((r) => r.node.id)).toContain(ADMIN_BOT);
    const before = await c.engine.blastRadius({ from: DEPLOYER, observedOnly: true, until: '2026-03-02T23:59:59Z' });
    expect(before.identities.map((r) => r.node.id)).not.toContain(ADMIN_BOT);
    c.engine.close();
  });

  it('merges with the kubectl export of the same cluster', async () => {
    const dir = tempDir();
    const sa = join(dir, 'sa.json');
    writeFileSync(sa, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'deployer', namespace: 'ci' } }] }));
    const c = await importCase([sa, fx('apiserver-audit.jsonl')], { cluster: 'prod' });
    expect(c.engine.store.node(DEPLOYER)?.sources).toHaveLength(2);
    const details = await c.engine.node({ id: DEPLOYER });
    expect(details.activity?.map((a) => a.other.id)).toEqual(expect.arrayContaining([ADMIN_BOT, 'k8s:prod/ci/secret/db-creds']));
    c.engine.close();
  });

  it('reads EKS, GKE and AKS exports, naming the cluster from the wrapper', async () => {
    const eks = await importCase([fx('eks-cloudwatch-subscription.json')]);
    // The IAM role behind the EKS user (user.extra.arn, a role session) authenticated as it.
    const user = 'k8s:payments-prod/_/user/arn:aws:sts::111122223333:assumed-role/payments-deploy/gh-run-8812';
    expect(eks.observed('arn:aws:iam::111122223333:role/payments-deploy', user)[0]?.props.technique).toBe('EKS authentication');
    expect(eks.observed(user, 'k8s:payments-prod/payments')[0]?.props.actions).toEqual(['patch deployments']);
    expect(eks.observed('k8s:payments-prod/payments/serviceaccount/api', 'k8s:payments-prod/payments/secret/stripe-key')).toHaveLength(1);
    eks.engine.close();
    // filter-log-events output has no log group: --cluster names it.
    const flt = await importCase([fx('eks-filter-log-events.json')], { cluster: 'payments-prod' });
    expect(flt.observed('k8s:payments-prod/payments/serviceaccount/api', 'k8s:payments-prod/payments/secret/stripe-key')).toHaveLength(1);
    flt.engine.close();
    const gke = await importCase([fx('gke-cloud-logging.json')]);
    expect(gke.observed('gcp:sa:payments-ci@acme-payments-prod.iam.gserviceaccount.com', 'k8s:payments-gke/payments/pod/api-0')[0]?.props).toMatchObject({ technique: 'pods/exec', actions: ['create pods/exec'] });
    expect([...gke.engine.store.edgesOfKind('OBSERVED_USE')].filter((e) => e.src === 'k8s:payments-gke/payments/serviceaccount/api')).toEqual([]);
    gke.engine.close();
    const aks = await importCase([fx('aks-diagnostics.json')]);
    expect(aks.observed('k8s:aks-payments/_/user/aks-support', 'k8s:aks-payments/payments/serviceaccount/api')[0]?.props.technique).toBe('serviceaccounts/token');
    aks.engine.close();
  });

  it('reads events without apiVersion and counts a stream when it starts (Falco\'s recorded traces)', async () => {
    const c = await importCase([fx('falco-exec_pod.json'), fx('falco-attach_pod.json')], { cluster: 'minikube' });
    expect(c.observed('k8s:minikube/_/user/minikube-user', 'k8s:minikube/default/pod/nginx-deployment-7998647bdf-phvq7')[0]?.props).toMatchObject({ count: 1, technique: 'pods/exec', firstSeen: '2018-10-26T13:38:34.867Z' });
    c.engine.close();
  });

  it('reads events that carry the older single `timestamp` (audit2rbac\'s recorded log)', async () => {
    // Kubernetes 1.7–1.9 wrote `timestamp` where v1 writes requestReceivedTimestamp and stageTimestamp: every event was skipped.
    const c = await importCase([fx('audit2rbac-demo.log')], { cluster: 'demo' });
    const admin = 'k8s:demo/_/user/system:admin';
    expect(c.observed(admin, 'k8s:demo/_/user/bob')[0]).toMatchObject({ firstSeen: '2017-09-11T19:55:05Z', props: { technique: 'impersonate' } });
    expect(c.observed('k8s:demo/_/user/bob', 'k8s:demo/default')[0]?.props).toMatchObject({ count: 2, actions: ['list pods'] });
    expect(c.observed(admin, 'k8s:demo/ns1/serviceaccount/sa1')).toHaveLength(1);
    expect(c.result.warnings.map((w) => w.message).join('\n')).not.toMatch(/missing user.username, verb or timestamp/);
    c.engine.close();
  });

  it('reads documents appended one after another: Firehose\'s S3 objects and paged filter-log-events output', async () => {
    // Firehose writes subscription records back to back ({…}{…}); paged CLI output is appended pretty-printed. Both were
    // refused as "several JSON values".
    const dir = tempDir();
    const record = JSON.stringify(JSON.parse(readFileSync(fx('eks-cloudwatch-subscription.json'), 'utf8')));
    const firehose = join(dir, 'firehose-object');
    writeFileSync(firehose, gzipSync(record + record));
    const one = await importCase([fx('eks-cloudwatch-subscription.json')]);
    const two = await importCase([firehose]);
    const key = ['k8s:payments-prod/payments/serviceaccount/api', 'k8s:payments-prod/payments/secret/stripe-key'] as const;
    expect(two.observed(...key)[0]?.props['count']).toBe(2 * (one.observed(...key)[0]?.props['count'] as number));
    one.engine.close();
    two.engine.close();
    const page = readFileSync(fx('eks-filter-log-events.json'), 'utf8');
    const pages = join(dir, 'pages.json');
    writeFileSync(pages, `${page.trimEnd()}\n${page}`);
    const paged = await importCase([pages], { cluster: 'payments-prod' });
    expect(paged.observed(...key)).toHaveLength(1);
    // A document cut short is named at the line and column where it starts going wrong, and nothing is imported.
    const cut = join(dir, 'cut.json');
    writeFileSync(cut, `${page.trimEnd()}\n${page.slice(0, 200)}`);
    await expect(paged.engine.importFiles({ files: [{ path: cut }], options: { cluster: 'payments-prod' } })).rejects.toMatchObject({ code: 'bad-input', location: expect.stringMatching(/^line \d+, column \d+$/) });
    paged.engine.close();
  });

  it('reads gzipped logs and names bad input', async () => {
    const dir = tempDir();
    const gz = join(dir, 'audit.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(fx('apiserver-audit.jsonl'))));
    const c = await importCase([gz], { cluster: 'prod' });
    expect(c.observed(DEPLOYER, ADMIN_BOT)).toHaveLength(1);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify('not events'));
    await expect(c.engine.importFiles({ files: [{ path: bad }], options: { format: 'k8s-audit-log' } })).rejects.toMatchObject({ code: 'bad-input', location: '$' });
    c.engine.close();
  });
});
