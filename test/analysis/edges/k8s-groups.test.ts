import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { binding, k8sCase, role, sa, yaml } from './k8s-case.js';

describe('k8s-groups: system groups widen bindings', () => {
  it('puts accounts in system:serviceaccounts[:ns] and system:authenticated, so a group binding reaches them through MEMBER_OF', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        sa('app', 'api'),
        sa('other', 'db'),
        role('ClusterRole', 'pod-maker', undefined, [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }]),
        binding('RoleBinding', 'all-app', 'app', { kind: 'ClusterRole', name: 'pod-maker' }, [{ kind: 'Group', name: 'system:serviceaccounts:app' }]),
        binding('ClusterRoleBinding', 'everyone', undefined, { kind: 'ClusterRole', name: 'view' }, [{ kind: 'Group', name: 'system:authenticated' }, { kind: 'User', name: 'bob' }]),
      ),
    });
    expect(c.pairs('MEMBER_OF')).toEqual([
      '_/user/bob -> _/group/system:authenticated',
      'app/serviceaccount/api -> _/group/system:authenticated',
      'app/serviceaccount/api -> _/group/system:serviceaccounts:app',
      'other/serviceaccount/db -> _/group/system:authenticated',
    ]);
    // The group can create pods in app: every member reaches every account of app (api itself is the only one).
    expect(c.pairs('CAN_ESCALATE', 'create pods')).toEqual(['_/group/system:serviceaccounts:app -> app/serviceaccount/api']);
    c.store.close();
  });

  it('makes anonymous requests the user system:anonymous in system:unauthenticated, never in system:authenticated', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        sa('ci', 'builder'),
        stringify({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'builder-token', namespace: 'ci', annotations: { 'kubernetes.io/service-account.name': 'builder' } } }),
        role('ClusterRole', 'secret-reader', undefined, [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }]),
        binding('ClusterRoleBinding', 'unauth-secrets', undefined, { kind: 'ClusterRole', name: 'secret-reader' }, [{ kind: 'Group', name: 'system:unauthenticated' }]),
        binding('ClusterRoleBinding', 'everyone-views', undefined, { kind: 'ClusterRole', name: 'view' }, [{ kind: 'Group', name: 'system:authenticated' }]),
      ),
    });
    // No binding names system:anonymous: the rule adds the user, the origin of anyone reaching the API server.
    const anonymous = c.store.node('k8s:test/_/user/system:anonymous');
    expect(anonymous).toMatchObject({ kind: 'k8s_user', boundary: 'k8s:test' });
    expect(c.pairs('MEMBER_OF')).toEqual(['_/user/system:anonymous -> _/group/system:unauthenticated', 'ci/serviceaccount/builder -> _/group/system:authenticated']);
    const member = c.edges('MEMBER_OF').find((e) => e.src === anonymous!.id)!;
    expect(member.conditional).toBe(false);
    expect(member.props.reason).toContain('without credentials');
    expect(c.pairs('CAN_READ_CREDENTIAL')).toEqual(['_/group/system:unauthenticated -> ci/secret/builder-token']);
    c.store.close();
  });

  it('a binding of system:anonymous itself keeps it out of system:authenticated, and adds no anonymous user without system:unauthenticated', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        binding('ClusterRoleBinding', 'anon-view', undefined, { kind: 'ClusterRole', name: 'view' }, [{ kind: 'User', name: 'system:anonymous' }]),
        binding('ClusterRoleBinding', 'everyone-views', undefined, { kind: 'ClusterRole', name: 'view' }, [{ kind: 'Group', name: 'system:authenticated' }, { kind: 'User', name: 'alice' }]),
      ),
    });
    expect(c.pairs('MEMBER_OF')).toEqual(['_/user/alice -> _/group/system:authenticated']);
    c.store.close();
  });
});
