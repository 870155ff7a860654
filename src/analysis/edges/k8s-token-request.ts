import { EdgeCollector } from '../../providers/k8s/collect.js';
import { describeRequest, grantEvidence, grants, inScope, rbacModel, scopeText } from '../../providers/k8s/rbac.js';
import type { EdgeRule } from './types.js';

// The TokenRequest API (create serviceaccounts/token) mints a fresh token for the named service account.

export const k8sTokenRequest: EdgeRule = {
  id: 'k8s-token-request',
  description: 'Subjects that can create serviceaccounts/token (TokenRequest) can act as those service accounts.',
  emits: ['CAN_ESCALATE'],
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
    out.emit(ctx);
  },
};
