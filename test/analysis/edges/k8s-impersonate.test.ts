import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../helpers.js';
import { binding, k8sCase, role, sa, saSubject, yaml } from './k8s-case.js';

describe('k8s-impersonate', () => {
  it('impersonating groups cluster-wide reaches system:masters: cluster admin', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        role('ClusterRole', 'imp', undefined, [{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }]),
        binding('ClusterRoleBinding', 'imp', undefined, { kind: 'ClusterRole', name: 'imp' }, [saSubject('tools', 'impersonator')]),
        binding('ClusterRoleBinding', 'alice-view', undefined, { kind: 'ClusterRole', name: 'view' }, [{ kind: 'User', name: 'alice' }]),
      ),
    });
    expect(c.pairs('ADMIN_OF')).toEqual(['tools/serviceaccount/impersonator -> admin:k8s:test']);
    expect(c.pairs('CAN_ESCALATE')).toEqual(['tools/serviceaccount/impersonator -> _/user/alice']);
    c.store.close();
  });

  it('a group list without system:masters is not admin; service-account impersonation is namespaced', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        sa('app', 'api'),
        sa('other', 'api'),
        role('ClusterRole', 'imp-dev', undefined, [{ apiGroups: [''], resources: ['groups'], verbs: ['impersonate'], resourceNames: ['developers'] }]),
        role('Role', 'imp-sa', 'app', [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }]),
        binding('ClusterRoleBinding', 'dev', undefined, { kind: 'ClusterRole', name: 'imp-dev' }, [saSubject('tools', 'a')]),
        binding('RoleBinding', 'sa', 'app', { kind: 'Role', name: 'imp-sa' }, [saSubject('tools', 'b')]),
      ),
    });
    expect(c.pairs('ADMIN_OF')).toEqual([]);
    expect(c.pairs('CAN_ESCALATE')).toEqual(['tools/serviceaccount/b -> app/serviceaccount/api']);
    c.store.close();
  });

  it('the KubeHound IDENTITY_IMPERSONATE manifest grants impersonate on users/groups through a Role: the API server checks those cluster-wide, so it allows nothing', async () => {
    const c = await k8sCase({ 'kubehound-attack-identity-impersonate.yaml': readFileSync(join(FIXTURES, 'kubernetes/kubehound-attack-identity-impersonate.yaml'), 'utf8') });
    expect(c.pairs('HAS_ROLE')).toEqual(['default/serviceaccount/impersonate-sa -> default/role/impersonate']);
    expect(c.pairs('ADMIN_OF')).toEqual([]);
    expect(c.pairs('CAN_ESCALATE')).toEqual([]);
    c.store.close();
  });
});
