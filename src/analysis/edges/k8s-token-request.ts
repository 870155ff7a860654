import { EdgeCollector } from '../../providers/k8s/collect.js';
import { reads } from '../reads.js';
import { describeRequest, grantEvidence, grants, inScope, rbacModel, scopeText, K8S_MODEL_READS } from '../../providers/k8s/rbac.js';
import type { EdgeRule } from './types.js';

// The TokenRequest API (create serviceaccounts/token) mints a fresh token for the named service account. The
// legacy route does too: a Secret of type kubernetes.io/service-account-token annotated with an account's name is
// filled with that account's token by the token controller (still so after 1.24), so create secrets plus the right
// to read them back in a namespace reaches every account of it.

export const k8sTokenRequest: EdgeRule = {
  id: 'k8s-token-request',
  description: 'Subjects that can create serviceaccounts/token (TokenRequest), or create and read back token Secrets, can act as those service accounts.',
  emits: ['CAN_ESCALATE'],
  reads: reads(K8S_MODEL_READS),
  derive(ctx) {
    const model = rbacModel(ctx);
    const out = new EdgeCollector();
    const req = { verb: 'create', group: '', resource: 'serviceaccounts', subresource: 'token' };
    const action = describeRequest(req);
    for (const g of grants(model, req)) {
      const evidence = grantEvidence(g);
      for (const sa of inScope(g, g.cluster.serviceAccounts)) {
        if (g.names && !g.names.includes(String(sa.props['serviceAccount']))) continue;
        out.add('CAN_ESCALATE', g.subject, sa.id, { reason: `can ${action}${scopeText(g)}: the TokenRequest API issues it a token of service account ${sa.name}`, technique: 'serviceaccounts/token' }, evidence, action);
      }
    }
    const create = grants(model, { verb: 'create', group: '', resource: 'secrets' });
    for (const verb of ['get', 'list', 'watch']) {
      for (const read of grants(model, { verb, group: '', resource: 'secrets' })) {
        if (read.names) continue;
        for (const make of create) {
          if (make.subject !== read.subject || make.cluster !== read.cluster) continue;
          if (make.namespace !== undefined && read.namespace !== undefined && make.namespace !== read.namespace) continue;
          const scope = make.namespace ?? read.namespace;
          const evidence = [...grantEvidence(make), ...grantEvidence(read)];
          const accounts = scope !== undefined ? (make.cluster.serviceAccounts.get(scope) ?? []) : [...make.cluster.serviceAccounts.values()].flat();
          for (const sa of accounts) {
            out.add('CAN_ESCALATE', make.subject, sa.id, { reason: `can create a service-account-token Secret for ${sa.name} and ${verb} it back${scope !== undefined ? ` in namespace ${scope}` : ''}: the token controller fills it with the account's token`, technique: 'create secrets (service-account token)' }, evidence, `create secrets + ${verb} secrets`);
          }
        }
      }
    }
    out.emit(ctx);
  },
};
