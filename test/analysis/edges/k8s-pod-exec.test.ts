import { describe, expect, it } from 'vitest';
import { binding, k8sCase, pod, role, sa, saSubject, yaml } from './k8s-case.js';

describe('k8s-pod-exec: exec, attach and debug containers', () => {
  it('exec into pods of a namespace reaches the accounts of pods with a mounted token', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        sa('app', 'api'),
        sa('app', 'batch', 'automountServiceAccountToken: false'),
        pod('app', 'api-1', 'api'),
        pod('app', 'batch-1', 'batch'),
        pod('other', 'x-1', 'x'),
        JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'done-1', namespace: 'app' }, spec: { serviceAccountName: 'migrator', containers: [{ name: 'c', image: 'x' }] }, status: { phase: 'Succeeded' } }),
        role('Role', 'exec', 'app', [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }]),
        binding('RoleBinding', 'sre', 'app', { kind: 'Role', name: 'exec' }, [{ kind: 'User', name: 'sre@example.com' }]),
      ),
    });
    // batch-1 inherits automountServiceAccountToken: false from its account; done-1 has finished.
    expect(c.pairs('CAN_ESCALATE')).toEqual(['_/user/sre@example.com -> app/serviceaccount/api']);
    const e = c.edges('CAN_ESCALATE')[0]!;
    expect(e.props.technique).toBe('pods/exec');
    expect(e.props.evidence?.map((x) => x.type)).toEqual(['binding', 'rbac-rule', 'workload']);
    c.store.close();
  });

  it('matches "*/exec" but not "pods/*", and limits by pod name', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        pod('app', 'a', 'sa-a'),
        pod('app', 'b', 'sa-b'),
        role('ClusterRole', 'star-exec', undefined, [{ apiGroups: [''], resources: ['*/exec'], verbs: ['create'] }]),
        role('ClusterRole', 'pods-star', undefined, [{ apiGroups: [''], resources: ['pods/*'], verbs: ['create'] }]),
        role('ClusterRole', 'attach-b', undefined, [{ apiGroups: [''], resources: ['pods/attach'], verbs: ['create'], resourceNames: ['b'] }]),
        binding('ClusterRoleBinding', 'one', undefined, { kind: 'ClusterRole', name: 'star-exec' }, [saSubject('ops', 'one')]),
        binding('ClusterRoleBinding', 'two', undefined, { kind: 'ClusterRole', name: 'pods-star' }, [saSubject('ops', 'two')]),
        binding('ClusterRoleBinding', 'three', undefined, { kind: 'ClusterRole', name: 'attach-b' }, [saSubject('ops', 'three')]),
      ),
    });
    expect(c.pairs('CAN_ESCALATE')).toEqual(['ops/serviceaccount/one -> app/serviceaccount/sa-a', 'ops/serviceaccount/one -> app/serviceaccount/sa-b', 'ops/serviceaccount/three -> app/serviceaccount/sa-b']);
    c.store.close();
  });
});
