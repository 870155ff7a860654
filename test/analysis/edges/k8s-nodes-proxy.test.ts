import { describe, expect, it } from 'vitest';
import { binding, k8sCase, pod, role, saSubject, yaml } from './k8s-case.js';

describe('k8s-nodes-proxy', () => {
  it('nodes/proxy cluster-wide reaches every pod account; limited to a node, the pods on it', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        pod('a', 'p1', 'one', { nodeName: 'node-1' }),
        pod('b', 'p2', 'two', { nodeName: 'node-2' }),
        role('ClusterRole', 'proxy', undefined, [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }]),
        role('ClusterRole', 'proxy-1', undefined, [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'], resourceNames: ['node-1'] }]),
        binding('ClusterRoleBinding', 'mon', undefined, { kind: 'ClusterRole', name: 'proxy' }, [saSubject('mon', 'scraper')]),
        binding('ClusterRoleBinding', 'mon1', undefined, { kind: 'ClusterRole', name: 'proxy-1' }, [saSubject('mon', 'one-node')]),
      ),
    });
    expect(c.pairs('CAN_ESCALATE', 'nodes/proxy')).toEqual([
      'mon/serviceaccount/one-node -> a/serviceaccount/one',
      'mon/serviceaccount/scraper -> a/serviceaccount/one',
      'mon/serviceaccount/scraper -> b/serviceaccount/two',
    ]);
    c.store.close();
  });

  it('a RoleBinding cannot grant nodes/proxy (nodes are cluster-scoped), and nodes (without /proxy) is not enough', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        pod('a', 'p1', 'one', { nodeName: 'node-1' }),
        role('ClusterRole', 'proxy', undefined, [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }]),
        role('ClusterRole', 'nodes', undefined, [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }]),
        binding('RoleBinding', 'ns', 'a', { kind: 'ClusterRole', name: 'proxy' }, [saSubject('mon', 'x')]),
        binding('ClusterRoleBinding', 'n', undefined, { kind: 'ClusterRole', name: 'nodes' }, [saSubject('mon', 'y')]),
      ),
    });
    expect(c.pairs('CAN_ESCALATE')).toEqual([]);
    c.store.close();
  });
});
