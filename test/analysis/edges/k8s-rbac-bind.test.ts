import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../helpers.js';
import { binding, k8sCase, role, sa, saSubject, yaml } from './k8s-case.js';

const RBAC = 'rbac.authorization.k8s.io';

describe('k8s-rbac-bind: bind and escalate', () => {
  it('reads the four KubeHound ROLE_BIND cases', async () => {
    const c = await k8sCase({ 'kubehound-attack-rolebind-crb-cr.yaml': readFileSync(join(FIXTURES, 'kubernetes/kubehound-attack-rolebind-crb-cr.yaml'), 'utf8') });
    // create clusterrolebindings + bind clusterroles: bind cluster-admin cluster-wide.
    expect(c.pairs('ADMIN_OF')).toEqual(['default/serviceaccount/rolebind-sa-crb-cr-crb-cr -> admin:k8s:test']);
    // create rolebindings + bind clusterroles: cluster-admin within each namespace, so every account there.
    expect(c.pairs('CAN_ESCALATE', 'bind')).toEqual([
      'default/serviceaccount/rolebind-sa-crb-cr-rb-cr -> default/serviceaccount/rolebind-sa-crb-cr-crb-cr',
      'default/serviceaccount/rolebind-sa-crb-cr-rb-cr -> default/serviceaccount/rolebind-sa-crb-cr-crb-r-fail',
      'default/serviceaccount/rolebind-sa-crb-cr-rb-cr -> default/serviceaccount/rolebind-sa-crb-cr-rb-r',
    ]);
    // "-crb-r-fail": a ClusterRoleBinding cannot refer to a Role. "-rb-r": it may bind Roles, but the case has no Role
    // to bind, and binding a role that does not exist grants nothing.
    const froms = c.edges('CAN_ESCALATE').map((e) => e.src).concat(c.edges('ADMIN_OF').map((e) => e.src));
    expect(froms.some((f) => f.endsWith('crb-r-fail'))).toBe(false);
    expect(froms.some((f) => f.endsWith('rolebind-sa-crb-cr-rb-r'))).toBe(false);
    c.store.close();
  });

  it('binding a Role that allows creating pods in its namespace reaches that namespace', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        sa('app', 'api'),
        sa('other', 'db'),
        role('Role', 'runner', 'app', [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }]),
        role('Role', 'reader', 'other', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]),
        role('ClusterRole', 'binder', undefined, [{ apiGroups: [RBAC], resources: ['rolebindings'], verbs: ['create'] }, { apiGroups: [RBAC], resources: ['roles'], verbs: ['bind'] }]),
        binding('ClusterRoleBinding', 'binder', undefined, { kind: 'ClusterRole', name: 'binder' }, [saSubject('ci', 'bot')]),
      ),
    });
    expect(c.pairs('CAN_ESCALATE', 'bind')).toEqual(['ci/serviceaccount/bot -> app/serviceaccount/api']);
    c.store.close();
  });

  it('bind limited to a harmless ClusterRole, or without the right to create bindings, gives nothing', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        sa('app', 'api'),
        role('ClusterRole', 'view-binder', undefined, [{ apiGroups: [RBAC], resources: ['rolebindings', 'clusterrolebindings'], verbs: ['create'] }, { apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['view'] }]),
        role('ClusterRole', 'bind-only', undefined, [{ apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['bind'] }]),
        binding('ClusterRoleBinding', 'a', undefined, { kind: 'ClusterRole', name: 'view-binder' }, [saSubject('ci', 'a')]),
        binding('ClusterRoleBinding', 'b', undefined, { kind: 'ClusterRole', name: 'bind-only' }, [saSubject('ci', 'b')]),
      ),
    });
    expect(c.pairs('ADMIN_OF')).toEqual([]);
    expect(c.pairs('CAN_ESCALATE')).toEqual([]);
    c.store.close();
  });

  it('escalate + update on the ClusterRole it is bound to cluster-wide is admin; on another role it is not', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        role('ClusterRole', 'self-editor', undefined, [{ apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['escalate', 'update'], resourceNames: ['self-editor'] }]),
        role('ClusterRole', 'other-editor', undefined, [{ apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['escalate', 'update'], resourceNames: ['unrelated'] }]),
        role('ClusterRole', 'no-escalate', undefined, [{ apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['update'] }]),
        binding('ClusterRoleBinding', 'a', undefined, { kind: 'ClusterRole', name: 'self-editor' }, [saSubject('ci', 'a')]),
        binding('ClusterRoleBinding', 'b', undefined, { kind: 'ClusterRole', name: 'other-editor' }, [saSubject('ci', 'b')]),
        binding('ClusterRoleBinding', 'c', undefined, { kind: 'ClusterRole', name: 'no-escalate' }, [saSubject('ci', 'c')]),
      ),
    });
    expect(c.pairs('ADMIN_OF')).toEqual(['ci/serviceaccount/a -> admin:k8s:test']);
    expect(c.edges('ADMIN_OF')[0]!.props.technique).toBe('escalate');
    c.store.close();
  });

  it('escalate + patch on a Role it holds through a RoleBinding is admin of that namespace only', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        sa('app', 'api'),
        sa('other', 'db'),
        role('Role', 'self', 'app', [{ apiGroups: [RBAC], resources: ['roles'], verbs: ['escalate', 'patch'] }]),
        binding('RoleBinding', 'self', 'app', { kind: 'Role', name: 'self' }, [saSubject('ci', 'bot')]),
      ),
    });
    expect(c.pairs('ADMIN_OF')).toEqual([]);
    expect(c.pairs('CAN_ESCALATE', 'escalate')).toEqual(['ci/serviceaccount/bot -> app/serviceaccount/api']);
    c.store.close();
  });
});

