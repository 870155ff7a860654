import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { binding, k8sCase, pod, role, sa, saSubject, yaml } from './k8s-case.js';

const namespace = (name: string, enforce?: string) => stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(enforce ? { labels: { 'pod-security.kubernetes.io/enforce': enforce } } : {}) } });
const podMaker = role('ClusterRole', 'pod-maker', undefined, [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }]);
const running = (ns: string, name: string, account: string, extra: object = {}) => pod(ns, name, account, { nodeName: 'node-a', ...extra });

describe('k8s-node-escape: privileged pods reach the nodes and the tokens on them', () => {
  it('a namespace enforcing privileged admits the escape; baseline and restricted refuse it; no label leaves it conditional', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        namespace('ops', 'privileged'),
        namespace('web', 'baseline'),
        namespace('api', 'restricted'),
        namespace('batch'),
        sa('ops', 'runner'),
        ...['ops', 'web', 'api', 'batch'].map((ns) => binding('RoleBinding', `make-${ns}`, ns, { kind: 'ClusterRole', name: 'pod-maker' }, [saSubject('ci', ns)])),
        podMaker,
      ),
    });
    expect(c.pairs('CAN_ESCALATE', 'privileged pod')).toEqual(['ci/serviceaccount/batch -> _/node/*', 'ci/serviceaccount/ops -> _/node/*']);
    const [batch, ops] = c.edges('CAN_ESCALATE').filter((e) => e.props.technique === 'privileged pod').sort((a, b) => a.src.localeCompare(b.src));
    expect(ops!.conditional).toBe(false);
    expect(ops!.props.evidence?.map((e) => e.type)).toEqual(['binding', 'rbac-rule', 'k8s-namespace']);
    expect(ops!.props.evidence?.[2]?.summary).toContain('enforces Pod Security level privileged');
    expect(batch!.conditional).toBe(true);
    expect(String(batch!.props.conditional)).toContain('namespace batch has no pod-security.kubernetes.io/enforce label');
    expect(c.store.node('k8s:test/_/node/*')).toMatchObject({ kind: 'k8s_node', name: 'nodes of test', boundary: 'k8s:test' });
    c.store.close();
  });

  it('the nodes read the tokens of running pods scheduled on them with a mounted token, nothing else', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        namespace('ops', 'privileged'),
        sa('app', 'api'),
        sa('app', 'no-token'),
        sa('app', 'finished'),
        sa('app', 'pending'),
        role('Role', 'pod-maker', 'ops', [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }]),
        binding('RoleBinding', 'make', 'ops', { kind: 'Role', name: 'pod-maker' }, [saSubject('ci', 'bot')]),
        running('app', 'api-1', 'api'),
        running('app', 'quiet-1', 'no-token', { automountServiceAccountToken: false }),
        stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'done-1', namespace: 'app' }, spec: { serviceAccountName: 'finished', nodeName: 'node-a', containers: [{ name: 'c', image: 'busybox' }] }, status: { phase: 'Succeeded' } }),
        pod('app', 'unscheduled-1', 'pending'),
      ),
    });
    expect(c.pairs('CAN_ESCALATE', 'token on node')).toEqual(['_/node/* -> app/serviceaccount/api']);
    const e = c.edges('CAN_ESCALATE').find((x) => x.props.technique === 'token on node')!;
    expect(e.props.reason).toContain('root on node node-a reads the token of pod app/api-1');
    expect(e.props.evidence?.[0]?.type).toBe('workload');
    // The path: the bot in ops reaches app/api, a namespace it has no rights in, only through a node.
    expect(c.pairs('CAN_ESCALATE').filter((p) => p.startsWith('ci/'))).toEqual(['ci/serviceaccount/bot -> _/node/*']);
    c.store.close();
  });

  it('a cluster-wide grant escapes from the most open namespace; creating deployments counts; no creator, no nodes node', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        namespace('locked', 'restricted'),
        namespace('legacy', 'privileged'),
        role('ClusterRole', 'deployer', undefined, [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] }]),
        binding('ClusterRoleBinding', 'deploy-anywhere', undefined, { kind: 'ClusterRole', name: 'deployer' }, [saSubject('ci', 'bot')]),
      ),
    });
    const e = c.edges('CAN_ESCALATE').find((x) => x.props.technique === 'privileged pod')!;
    expect(e.conditional).toBe(false);
    expect(e.props.reason).toContain('for instance from namespace legacy');
    expect(e.props.actions).toEqual(['create deployments']);

    const none = await k8sCase({ 'm.yaml': yaml(namespace('web'), sa('web', 'frontend'), podMaker) });
    expect(none.store.node('k8s:test/_/node/*')).toBeUndefined();
    expect(none.pairs('CAN_ESCALATE')).toEqual([]);
    c.store.close();
    none.store.close();
  });

  it('a patch limited to named deployments escapes only where such a deployment exists', async () => {
    const deployment = (ns: string, name: string) => stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec: { template: { spec: { serviceAccountName: 'default', containers: [{ name: 'c', image: 'busybox' }] } } } });
    const patcher = (name: string) => role('ClusterRole', `patch-${name}`, undefined, [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['patch'], resourceNames: [name] }]);
    const c = await k8sCase({
      'm.yaml': yaml(
        namespace('web'),
        deployment('web', 'frontend'),
        patcher('frontend'),
        patcher('ghost'),
        binding('RoleBinding', 'real', 'web', { kind: 'ClusterRole', name: 'patch-frontend' }, [saSubject('ci', 'real')]),
        binding('RoleBinding', 'ghost', 'web', { kind: 'ClusterRole', name: 'patch-ghost' }, [saSubject('ci', 'ghost')]),
      ),
    });
    expect(c.pairs('CAN_ESCALATE', 'privileged pod')).toEqual(['ci/serviceaccount/real -> _/node/*']);
    c.store.close();
  });
});
