import { isObject } from '../../model/fragment.js';
import type { JsonObject } from '../../model/fragment.js';
import { flat } from '../../model/flat.js';
import { ids } from '../../model/ids.js';
import { K8S_ANNOTATIONS, saUserName } from '../../providers/k8s/rbac.js';
import type { Builder } from './builder.js';
import { baseProps, nsOf, type Located } from './objects.js';

// Namespaces, service accounts and secrets: the identities pods run as and the tokens that stand for them.
// Secret values never enter the case (only the key names are kept).

const ANNOTATION_PROPS = Object.entries(K8S_ANNOTATIONS);

export function namespace(b: Builder, o: Located): void {
  const name = String((o.obj['metadata'] as Record<string, unknown>)['name']);
  b.add({ id: ids.k8sNamespace(b.cluster, name), kind: 'k8s_namespace', name, handles: [name], props: { ...baseProps(b.file, o), namespace: name } });
}

export function serviceAccount(b: Builder, o: Located): void {
  const ns = nsOf(o);
  const name = String((o.obj['metadata'] as Record<string, unknown>)['name']);
  // Filled in place (the keys in the same order as a spread copy would give): one object per account, not two.
  const props = baseProps(b.file, o);
  props['namespace'] = ns;
  props['serviceAccount'] = name;
  const automount = o.obj['automountServiceAccountToken'];
  if (typeof automount === 'boolean') {
    props['automountServiceAccountToken'] = automount;
    b.serviceAccountAutomount.set(`${ns}/${name}`, automount);
  }
  const annotations = props['annotations'] as Record<string, string> | undefined;
  if (annotations) for (const [key, prop] of ANNOTATION_PROPS) if (annotations[key]) props[prop] = annotations[key];
  const secrets = Array.isArray(o.obj['secrets']) ? (o.obj['secrets'] as unknown[]).flatMap((s) => (isObject(s) && typeof s['name'] === 'string' ? [s['name']] : [])) : [];
  if (secrets.length) props['secrets'] = secrets;
  b.namespaceRef(ns);
  const uid = typeof props['uid'] === 'string' ? [props['uid']] : [];
  const id = ids.k8sObject(b.cluster, ns, 'serviceaccount', name);
  // Bindings and pods that name the account find this id (the node is there: no stub to make for it).
  b.saIdsIn(ns).set(name, id);
  const nsName = flat`${ns}/${name}`;
  b.add({ id, kind: 'k8s_service_account', name: nsName, handles: [nsName, saUserName(ns, name), ...uid], props, boundary: b.clusterId });
}

export function secret(b: Builder, o: Located): void {
  const ns = nsOf(o);
  const name = String((o.obj['metadata'] as Record<string, unknown>)['name']);
  const type = typeof o.obj['type'] === 'string' ? o.obj['type'] : 'Opaque';
  // Key names only: the values are never read into the case.
  const keys = [...new Set([...Object.keys(isObject(o.obj['data']) ? o.obj['data'] : {}), ...Object.keys(isObject(o.obj['stringData']) ? o.obj['stringData'] : {})])].sort();
  const props: JsonObject = { ...baseProps(b.file, o), namespace: ns, type, keys };
  const id = ids.k8sObject(b.cluster, ns, 'secret', name);
  b.namespaceRef(ns);
  if (type === 'kubernetes.io/service-account-token') {
    const sa = (props['annotations'] as Record<string, string> | undefined)?.['kubernetes.io/service-account.name'];
    props['managedBy'] = 'system';
    props['expiresAt'] = null;
    if (sa) {
      props['serviceAccount'] = sa;
      props['ownerId'] = b.saRef(ns, sa);
      b.edges.push({ from: id, to: b.saRef(ns, sa), kind: 'AUTHENTICATES_AS', props: { reason: `the secret holds a long-lived token of service account ${ns}/${sa}`, at: o.at } });
    } else b.fragment.warnings.push({ message: `service-account token secret ${ns}/${name} does not name its service account`, location: o.at });
    b.add({ id, kind: 'k8s_sa_token', name: flat`${ns}/${name}`, handles: [flat`${ns}/${name}`], props });
  } else {
    b.add({ id, kind: 'k8s_secret', name: flat`${ns}/${name}`, handles: [flat`${ns}/${name}`], props });
  }
}
