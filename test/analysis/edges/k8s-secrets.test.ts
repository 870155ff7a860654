import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../helpers.js';
import { binding, k8sCase, role, sa, saSubject, yaml } from './k8s-case.js';

const tokenSecret = (ns: string, name: string, account: string) =>
  `apiVersion: v1\nkind: Secret\ntype: kubernetes.io/service-account-token\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  annotations:\n    kubernetes.io/service-account.name: ${account}\ndata:\n  token: ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNklpSjk=`;
const opaque = (ns: string, name: string) => `apiVersion: v1\nkind: Secret\ntype: Opaque\nmetadata:\n  name: ${name}\n  namespace: ${ns}\ndata:\n  password: aHVudGVyMg==`;

describe('k8s-secrets: reading secrets', () => {
  it('lets a subject that can list secrets in a namespace read its token secrets (and so the accounts), nothing elsewhere', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        sa('app', 'reader'),
        sa('app', 'api'),
        sa('other', 'db'),
        tokenSecret('app', 'api-token', 'api'),
        tokenSecret('other', 'db-token', 'db'),
        opaque('app', 'creds'),
        role('Role', 'list-secrets', 'app', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]),
        binding('RoleBinding', 'reader', 'app', { kind: 'Role', name: 'list-secrets' }, [saSubject('app', 'reader')]),
      ),
    });
    expect(c.pairs('CAN_READ_CREDENTIAL')).toEqual(['app/serviceaccount/reader -> app/secret/api-token']);
    expect(c.pairs('CAN_ACCESS')).toEqual(['app/serviceaccount/reader -> app/secret/creds']);
    expect(c.pairs('AUTHENTICATES_AS')).toEqual(['app/secret/api-token -> app/serviceaccount/api', 'other/secret/db-token -> other/serviceaccount/db']);
    const e = c.edges('CAN_READ_CREDENTIAL')[0]!;
    expect(e.props.actions).toEqual(['list secrets']);
    expect(e.props.reason).toContain('in namespace app');
    c.store.close();
  });

  it('respects resourceNames for get, and ignores verbs that return no data', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        tokenSecret('app', 'a-token', 'a'),
        tokenSecret('app', 'b-token', 'b'),
        role('ClusterRole', 'get-one', undefined, [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['a-token'] }]),
        role('ClusterRole', 'delete-all', undefined, [{ apiGroups: [''], resources: ['secrets'], verbs: ['delete', 'create'] }]),
        role('ClusterRole', 'wrong-group', undefined, [{ apiGroups: ['apps'], resources: ['secrets'], verbs: ['get'] }]),
        binding('ClusterRoleBinding', 'one', undefined, { kind: 'ClusterRole', name: 'get-one' }, [saSubject('x', 'one')]),
        binding('ClusterRoleBinding', 'del', undefined, { kind: 'ClusterRole', name: 'delete-all' }, [saSubject('x', 'del')]),
        binding('ClusterRoleBinding', 'grp', undefined, { kind: 'ClusterRole', name: 'wrong-group' }, [saSubject('x', 'grp')]),
      ),
    });
    expect(c.pairs('CAN_READ_CREDENTIAL')).toEqual(['x/serviceaccount/one -> app/secret/a-token']);
    c.store.close();
  });

  it('reads the KubeHound TOKEN_LIST manifest: list secrets in default, which holds no token secret, so no credential is reached', async () => {
    const text = readFileSync(join(FIXTURES, 'kubernetes/kubehound-attack-token-list.yaml'), 'utf8');
    const bare = await k8sCase({ 'kubehound-attack-token-list.yaml': text });
    expect(bare.pairs('CAN_READ_CREDENTIAL')).toEqual([]);
    bare.store.close();
    // With a legacy token secret in default (clusters before 1.24 made one per account), it is read.
    const withToken = await k8sCase({ 'kubehound-attack-token-list.yaml': text, 'legacy.yaml': tokenSecret('default', 'default-token-abcde', 'default') });
    expect(withToken.pairs('CAN_READ_CREDENTIAL')).toEqual(['default/serviceaccount/tokenlist-sa -> default/secret/default-token-abcde']);
    withToken.store.close();
  });

  it('on the kind kube-system roles: bootstrap-signer and token-cleaner read kube-system token secrets, nothing outside', async () => {
    const read = (f: string) => readFileSync(join(FIXTURES, 'kubernetes', f), 'utf8');
    const c = await k8sCase(
      {
        'roles.json': read('kind-cluster-kube-system-roles-list.json'),
        'rolebindings.json': read('kind-cluster-kube-system-rolebindings-list.json'),
        'tokens.yaml': yaml(tokenSecret('kube-system', 'legacy-token', 'legacy'), tokenSecret('default', 'app-token', 'app')),
      },
      { cluster: 'kind' },
    );
    expect(c.pairs('CAN_READ_CREDENTIAL')).toEqual(['kube-system/serviceaccount/bootstrap-signer -> kube-system/secret/legacy-token', 'kube-system/serviceaccount/token-cleaner -> kube-system/secret/legacy-token']);
    c.store.close();
  });
});
