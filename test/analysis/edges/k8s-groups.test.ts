import { describe, expect, it } from 'vitest';
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
    expect(c.pairs('CAN_ESCALATE')).toEqual(['_/group/system:serviceaccounts:app -> app/serviceaccount/api']);
    c.store.close();
  });
});
