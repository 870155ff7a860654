import { isObject } from '../model/fragment.js';
import type { GraphFragment, JsonObject } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import { saUserName } from '../providers/k8s/rbac.js';
import { ImportError, jsonPath } from './errors.js';
import type { Importer } from './types.js';

// EKS Pod Identity associations: `aws eks describe-pod-identity-association` ({"association": {…}}) and
// `aws eks list-pod-identity-associations` ({"associations": [{…}], "nextToken"?}); a JSON array of association
// objects is read too. The association is recorded on the service account (props.podIdentityAssociations); the
// k8s-federation rule turns it into FEDERATES_TO once it can check the role's trust of pods.eks.amazonaws.com.
// The cluster is the association's clusterName (--cluster overrides), so a kubectl export imported with the same
// --cluster lands on the same service accounts. List output carries no roleArn: those entries only warn.

export const eksPodIdentity: Importer = {
  format: 'eks-pod-identity',
  title: 'EKS Pod Identity associations (aws eks describe/list-pod-identity-associations)',
  provider: 'aws',
  producedBy: 'aws eks describe-pod-identity-association; aws eks list-pod-identity-associations',
  emits: [],
  detect(probe) {
    if (!probe.looksJson) return 0;
    const shape = /"associations?"\s*:/.test(probe.head) || probe.head.trimStart().startsWith('[');
    return shape && /"serviceAccount"\s*:/.test(probe.head) && /"(associationArn|associationId)"\s*:/.test(probe.head) ? 0.95 : 0;
  },
  parse(input, ctx) {
    const file = input.fileName;
    const root = input.json();
    let records: unknown[];
    let base: (string | number)[];
    if (Array.isArray(root)) [records, base] = [root, []];
    else if (isObject(root) && isObject(root['association'])) [records, base] = [[root['association']], ['association']];
    else if (isObject(root) && Array.isArray(root['associations'])) [records, base] = [root['associations'], ['associations']];
    else throw new ImportError(file, 'expected {"association": {…}} or {"associations": […]} from aws eks', '$');
    const single = isObject(root) && isObject(root['association']);

    const fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
    const sas = new Map<string, { node: GraphFragment['nodes'][number]; list: JsonObject[] }>();
    const clusters = new Set<string>();
    records.forEach((raw, i) => {
      const at = single ? jsonPath(...base) : jsonPath(...base, i);
      if (!isObject(raw)) throw new ImportError(file, 'expected an association object', at);
      for (const key of ['clusterName', 'namespace', 'serviceAccount'] as const) {
        if (typeof raw[key] !== 'string' || !raw[key]) throw new ImportError(file, `an association needs "${key}"`, `${at}.${key}`);
      }
      const cluster = ctx.options.cluster?.trim() || String(raw['clusterName']);
      const ns = String(raw['namespace']);
      const name = String(raw['serviceAccount']);
      const roleArn = typeof raw['roleArn'] === 'string' ? raw['roleArn'] : undefined;
      if (!roleArn) {
        fragment.warnings.push({ message: `association ${String(raw['associationId'] ?? '')} for ${ns}/${name} has no roleArn (list output); import describe-pod-identity-association output to link the role`, location: at });
        return;
      }
      clusters.add(cluster);
      const id = ids.k8sObject(cluster, ns, 'serviceaccount', name);
      const assoc: JsonObject = { roleArn, at, sourceFile: file };
      for (const k of ['associationId', 'associationArn', 'targetRoleArn', 'externalId', 'createdAt', 'modifiedAt', 'ownerArn'] as const) if (typeof raw[k] === 'string') assoc[k] = raw[k];
      if (typeof raw['disableSessionTags'] === 'boolean') assoc['disableSessionTags'] = raw['disableSessionTags'];
      let entry = sas.get(id);
      if (!entry) {
        entry = { node: { id, kind: 'k8s_service_account', name: `${ns}/${name}`, handles: [`${ns}/${name}`, saUserName(ns, name)], stub: true, boundary: ids.k8sCluster(cluster), props: { namespace: ns, serviceAccount: name } }, list: [] };
        sas.set(id, entry);
      }
      entry.list.push(assoc);
    });
    for (const cluster of clusters) {
      const clusterId = ids.k8sCluster(cluster);
      fragment.nodes.push({ id: clusterId, kind: 'k8s_cluster', name: cluster, handles: [cluster], stub: true, props: { cluster } });
      fragment.nodes.push({ id: ids.admin(clusterId), kind: 'admin', name: `cluster-admin of ${cluster}`, boundary: clusterId, stub: true, props: {} });
    }
    for (const { node, list } of sas.values()) fragment.nodes.push({ ...node, props: { ...node.props, podIdentityAssociations: list } });
    return fragment;
  },
};

