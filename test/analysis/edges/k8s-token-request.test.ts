import { describe, expect, it } from 'vitest';
import { binding, k8sCase, role, sa, saSubject, yaml } from './k8s-case.js';

describe('k8s-token-request: create serviceaccounts/token', () => {
  it('mints tokens for the named accounts of the namespace only', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        sa('app', 'api'),
        sa('app', 'web'),
        sa('other', 'api'),
        role('Role', 'mint', 'app', [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'], resourceNames: ['api'] }]),
        binding('RoleBinding', 'm', 'app', { kind: 'Role', name: 'mint' }, [saSubject('ci', 'bot')]),
      ),
    });
    expect(c.pairs('CAN_ESCALATE', 'serviceaccounts/token')).toEqual(['ci/serviceaccount/bot -> app/serviceaccount/api']);
    c.store.close();
  });

  it('does not count create on serviceaccounts themselves or get on the token subresource', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        sa('app', 'api'),
        role('Role', 'r', 'app', [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['create'] }, { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['get'] }]),
        binding('RoleBinding', 'm', 'app', { kind: 'Role', name: 'r' }, [saSubject('ci', 'bot')]),
      ),
    });
    expect(c.pairs('CAN_ESCALATE')).toEqual([]);
    c.store.close();
  });

  it('create secrets plus reading them back in a namespace mints a token for any account there; create alone does not', async () => {
    const c = await k8sCase({
      'm.yaml': yaml(
        sa('app', 'api'),
        sa('other', 'db'),
        role('Role', 'make-read', 'app', [{ apiGroups: [''], resources: ['secrets'], verbs: ['create', 'get'] }]),
        role('Role', 'make-only', 'other', [{ apiGroups: [''], resources: ['secrets'], verbs: ['create'] }]),
        binding('RoleBinding', 'a', 'app', { kind: 'Role', name: 'make-read' }, [saSubject('ci', 'a')]),
        binding('RoleBinding', 'b', 'other', { kind: 'Role', name: 'make-only' }, [saSubject('ci', 'b')]),
      ),
    });
    expect(c.pairs('CAN_ESCALATE', 'create secrets (service-account token)')).toEqual(['ci/serviceaccount/a -> app/serviceaccount/api']);
    expect(c.pairs('CAN_ESCALATE')).toEqual(['ci/serviceaccount/a -> app/serviceaccount/api']);
    c.store.close();
  });
});

