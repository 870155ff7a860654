import { describe, expect, it } from 'vitest';
import { binding, k8sCase, pod, role, sa, saSubject, yaml } from './k8s-case.js';

describe('k8s-pod-create: running pods as other service accounts', () => {
  it('create pods in a namespace reaches every service account of that namespace only', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        sa('ci', 'deployer'),
        sa('payments', 'api'),
        sa('payments', 'default'),
        sa('billing', 'worker'),
        role('Role', 'pod-maker', 'payments', [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }]),
        binding('RoleBinding', 'ci', 'payments', { kind: 'Role', name: 'pod-maker' }, [saSubject('ci', 'deployer')]),
      ),
    });
    // (The same grant also lets it escape to the nodes: k8s-node-escape, tested there.)
    expect(c.pairs('CAN_ESCALATE', 'create pods')).toEqual(['ci/serviceaccount/deployer -> payments/serviceaccount/api', 'ci/serviceaccount/deployer -> payments/serviceaccount/default']);
    const e = c.edges('CAN_ESCALATE').find((x) => x.props.technique === 'create pods')!;
    expect(e.props.evidence?.map((x) => x.type)).toEqual(['binding', 'rbac-rule']);
    c.store.close();
  });

  it('creating or patching deployments counts; one edge per account with every action that gives it', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        sa('web', 'frontend'),
        role('ClusterRole', 'deployer', undefined, [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'patch'] }]),
        binding('RoleBinding', 'ci', 'web', { kind: 'ClusterRole', name: 'deployer' }, [saSubject('ci', 'bot')]),
      ),
    });
    expect(c.pairs('CAN_ESCALATE', 'create workloads')).toEqual(['ci/serviceaccount/bot -> web/serviceaccount/frontend']);
    const e = c.edges('CAN_ESCALATE').find((x) => x.props.technique === 'create workloads')!;
    expect(e.props.actions).toEqual(['create deployments', 'patch deployments']);
    // One binding, one rule: each listed once however many actions it allows.
    expect(e.props.evidence?.map((x) => x.type)).toEqual(['binding', 'rbac-rule']);
    c.store.close();
  });

  it('does not count reading pods, create limited by resourceNames, pods/log, or the wrong API group', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        sa('web', 'frontend'),
        role('Role', 'r', 'web', [
          { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: [''], resources: ['pods'], verbs: ['create'], resourceNames: ['only-this'] },
          { apiGroups: ['apps'], resources: ['pods'], verbs: ['create'] },
          { apiGroups: [''], resources: ['deployments'], verbs: ['create'] },
        ]),
        binding('RoleBinding', 'b', 'web', { kind: 'Role', name: 'r' }, [saSubject('ci', 'bot')]),
      ),
    });
    expect(c.pairs('CAN_ESCALATE')).toEqual([]);
    c.store.close();
  });

  it('patching a pod reaches only the account it already runs as, and only with a mounted token', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        sa('web', 'frontend'),
        sa('web', 'other'),
        pod('web', 'fe-1', 'frontend'),
        pod('web', 'quiet', 'other', { automountServiceAccountToken: false }),
        role('Role', 'patcher', 'web', [{ apiGroups: [''], resources: ['pods'], verbs: ['patch'] }]),
        binding('RoleBinding', 'b', 'web', { kind: 'Role', name: 'patcher' }, [saSubject('ci', 'bot')]),
      ),
    });
    expect(c.pairs('CAN_ESCALATE', 'patch pods')).toEqual(['ci/serviceaccount/bot -> web/serviceaccount/frontend']);
    c.store.close();
  });
});
