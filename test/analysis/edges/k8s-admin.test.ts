import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL } from '../../helpers.js';
import { binding, k8sCase, role, sa, saSubject, yaml } from './k8s-case.js';

describe('k8s-admin: cluster-admin and equivalents', () => {
  it('makes subjects bound cluster-wide to "*" on "*" admins, with the binding and the rule as evidence', async () => {
    const c = await k8sCase({
      'rbac.yaml': yaml(
        sa('ops', 'root-bot'),
        sa('ops', 'ns-admin'),
        role('ClusterRole', 'everything', undefined, [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
        binding('ClusterRoleBinding', 'root-bot-everything', undefined, { kind: 'ClusterRole', name: 'everything' }, [saSubject('ops', 'root-bot')]),
        // The same role through a RoleBinding is admin of one namespace only.
        binding('RoleBinding', 'ns-admin-everything', 'ops', { kind: 'ClusterRole', name: 'everything' }, [saSubject('ops', 'ns-admin')]),
      ),
    });
    expect(c.pairs('ADMIN_OF')).toEqual(['ops/serviceaccount/root-bot -> admin:k8s:test']);
    const e = c.edges('ADMIN_OF')[0]!;
    expect(e.props.technique).toBe('cluster-admin');
    expect(e.props.evidence?.map((x) => x.type)).toEqual(['binding', 'rbac-rule']);
    expect(e.props.evidence?.[0]?.location).toBe('rbac.yaml document 4 (line 25): $.subjects[0]');
    expect(e.props.evidence?.[1]?.summary).toContain('ClusterRole everything rule 1 allows verbs [*] on resources [*]');
    c.store.close();
  });

  it('does not treat "*" verbs on some resources, or "*" resources with some verbs, as admin', async () => {
    const c = await k8sCase({
      'rbac.yaml': yaml(
        role('ClusterRole', 'all-verbs-pods', undefined, [{ apiGroups: ['*'], resources: ['pods'], verbs: ['*'] }]),
        role('ClusterRole', 'read-all', undefined, [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }]),
        role('ClusterRole', 'named', undefined, [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'], resourceNames: ['x'] }]),
        binding('ClusterRoleBinding', 'a', undefined, { kind: 'ClusterRole', name: 'all-verbs-pods' }, [saSubject('a', 'a')]),
        binding('ClusterRoleBinding', 'b', undefined, { kind: 'ClusterRole', name: 'read-all' }, [saSubject('a', 'b')]),
        binding('ClusterRoleBinding', 'c', undefined, { kind: 'ClusterRole', name: 'named' }, [saSubject('a', 'c')]),
      ),
    });
    expect(c.pairs('ADMIN_OF')).toEqual([]);
    c.store.close();
  });

  it('knows the built-in cluster-admin role when only the binding is in the case', async () => {
    const c = await k8sCase({ 'crb.yaml': binding('ClusterRoleBinding', 'ops', undefined, { kind: 'ClusterRole', name: 'cluster-admin' }, [{ kind: 'User', name: 'alice' }]) });
    expect(c.pairs('ADMIN_OF')).toEqual(['_/user/alice -> admin:k8s:test']);
    expect(c.edges('ADMIN_OF')[0]!.props.evidence?.[1]?.summary).toContain('built-in definition');
    c.store.close();
  });

  it('makes system:masters admin even when no binding says so (RBAC is bypassed)', async () => {
    const c = await k8sCase({ 'crb.yaml': binding('ClusterRoleBinding', 'masters-view', undefined, { kind: 'ClusterRole', name: 'view' }, [{ kind: 'Group', name: 'system:masters' }]) });
    expect(c.edges('ADMIN_OF').map((e) => `${e.src} ${String(e.props.technique)}`)).toEqual(['k8s:test/_/group/system:masters system:masters']);
    c.store.close();
  });

  it('finds the cluster-admin equivalents of the kind cluster', async () => {
    const dir = join(REAL, 'kubernetes');
    const files = ['kind-cluster-clusterroles-list.json', 'kind-cluster-clusterrolebindings-list.json', 'kind-cluster-kube-system-roles-list.json', 'kind-cluster-kube-system-rolebindings-list.json'];
    const c = await k8sCase(Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')])), { cluster: 'kind' });
    // system:masters through the cluster-admin ClusterRoleBinding; the aggregation controller through escalate on
    // the ClusterRole it is bound to (it may rewrite ClusterRoles, including its own).
    expect(c.edges('ADMIN_OF').map((e) => `${e.src} ${String(e.props.technique)}`).sort()).toEqual([
      'k8s:kind/_/group/system:masters cluster-admin',
      'k8s:kind/kube-system/serviceaccount/clusterrole-aggregation-controller escalate',
    ]);
    c.store.close();
  });
});
