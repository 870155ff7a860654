import { EdgeCollector } from '../../providers/k8s/collect.js';
import { flat } from '../../model/flat.js';
import { reads } from '../reads.js';
import { describeRequest, grantEvidence, grants, rbacModel, runnerEvidence, type Runner, K8S_MODEL_READS } from '../../providers/k8s/rbac.js';
import { saName } from './k8s-pod-exec.js';
import type { EdgeRule } from './types.js';

// nodes/proxy reaches the kubelet API of a node through the API server, and the kubelet runs commands in any pod
// on it (/exec, /run) without further RBAC checks. A GET is enough: the kubelet authorises the WebSocket upgrade of
// /exec as get. Every pod on the proxied nodes hands over its mounted service-account token.

export const k8sNodesProxy: EdgeRule = {
  id: 'k8s-nodes-proxy',
  description: 'Subjects with nodes/proxy can run commands in every pod on those nodes through the kubelet.',
  emits: ['CAN_ESCALATE'],
  reads: reads(K8S_MODEL_READS),
  derive(ctx) {
    const model = rbacModel(ctx);
    const out = new EdgeCollector();
    for (const verb of ['get', 'create']) {
      const req = { verb, group: '', resource: 'nodes', subresource: 'proxy', clusterScoped: true };
      const action = describeRequest(req);
      for (const g of grants(model, req)) {
        const evidence = grantEvidence(g);
        // Made once per grant, given the pod: not a closure per pod.
        const make = (r: Runner) => {
          const nodeName = nodeNameOf(r);
          return { reason: flat`can ${action}${g.names ? ` on node ${nodeName}` : ' on every node'}: the kubelet runs commands in pod ${r.node.name}${nodeName ? ` (on ${nodeName})` : ''} and reads the token of service account ${saName(r.sa)}`, technique: 'nodes/proxy' };
        };
        for (const list of g.cluster.runners.values()) {
          // Indexed: this loop runs once per grant over every pod, mostly before it is optimised.
          for (let i = 0; i < list.length; i++) {
            const r = list[i]!;
            if (r.node.kind !== 'k8s_pod' || !r.tokenMounted || !r.running) continue;
            if (g.names) {
              const nodeName = nodeNameOf(r);
              if (!nodeName || !g.names.includes(nodeName)) continue;
            }
            out.addWith('CAN_ESCALATE', g.subject, r.sa, 'nodes/proxy', make, r, evidence, action, runnerEvidence(r));
          }
        }
      }
    }
    out.emit(ctx);
  },
};

function nodeNameOf(r: Runner): string | undefined {
  const nodeName = r.node.props['nodeName'];
  return typeof nodeName === 'string' ? nodeName : undefined;
}
