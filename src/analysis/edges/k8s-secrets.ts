import { EdgeCollector } from '../../providers/k8s/collect.js';
import { reads } from '../reads.js';
import { describeRequest, grantEvidence, grants, inScope, rbacModel, scopeText, K8S_MODEL_READS } from '../../providers/k8s/rbac.js';
import type { EdgeRule } from './types.js';

// get, list or watch on secrets returns their data: a service-account token secret is that account's credential
// (its AUTHENTICATES_AS edge then leads to the account); any other secret is a resource read.

const VERBS = ['get', 'list', 'watch'] as const;

export const k8sSecrets: EdgeRule = {
  id: 'k8s-secrets',
  description: 'Subjects that can get/list/watch secrets read the service-account token secrets (and other secrets) in scope.',
  emits: ['CAN_READ_CREDENTIAL', 'CAN_ACCESS'],
  reads: reads(K8S_MODEL_READS),
  derive(ctx) {
    const model = rbacModel(ctx);
    const out = new EdgeCollector();
    for (const verb of VERBS) {
      const req = { verb, group: '', resource: 'secrets' };
      for (const g of grants(model, req)) {
        const evidence = grantEvidence(g);
        const action = describeRequest(req);
        for (const t of inScope(g, g.cluster.tokens)) {
          if (g.names && !g.names.includes(secretName(t.name))) continue;
          const sa = typeof t.props['serviceAccount'] === 'string' ? ` of service account ${String(t.props['namespace'])}/${t.props['serviceAccount']}` : '';
          out.add('CAN_READ_CREDENTIAL', g.subject, t.id, { reason: `can read the token secret ${t.name}${sa}: ${action} is allowed${scopeText(g)}`, technique: 'read secrets' }, evidence, action);
        }
        for (const s of inScope(g, g.cluster.secrets)) {
          if (g.names && !g.names.includes(secretName(s.name))) continue;
          out.add('CAN_ACCESS', g.subject, s.id, { reason: `can read secret ${s.name}: ${action} is allowed${scopeText(g)}`, technique: 'read secrets', accessLevel: 'Read' }, evidence, action);
        }
      }
    }
    out.emit(ctx);
  },
};

function secretName(display: string): string {
  return display.slice(display.indexOf('/') + 1);
}
