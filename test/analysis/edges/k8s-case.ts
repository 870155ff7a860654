// Builds small cases for the Kubernetes rule tests: manifests imported through the engine, optionally on top of
// AWS role facts written straight into the store (as the AWS importers would).
import { recomputeDerived } from '../../../src/analysis/derive.js';
import { openEngine } from '../../../src/api/engine.js';
import type { GraphFragment } from '../../../src/model/fragment.js';
import type { EdgeKind } from '../../../src/model/kinds.js';
import { CaseStore, type StoredEdge } from '../../../src/store/case-store.js';
import { stringify } from 'yaml';
import { tempCase } from '../../helpers.js';

export interface K8sCase {
  edges(kind: EdgeKind): StoredEdge[];
  /** "from -> to" pairs of one edge kind, with ids shortened to what follows the cluster. */
  pairs(kind: EdgeKind, technique?: string): string[];
  store: CaseStore;
}

export async function k8sCase(files: Record<string, string>, options: { cluster?: string } = { cluster: 'test' }, before?: GraphFragment): Promise<K8sCase> {
  const path = tempCase();
  if (before) {
    const store = CaseStore.open(path, { create: true });
    store.begin();
    const touched = new Set<string>();
    const id = store.addSource({ label: 'facts', fileName: 'facts.json', format: 'test', sha256: 'facts', importedAt: '2026-01-01T00:00:00Z', options: {} });
    store.writeFragment(id, before, touched);
    store.materialize(touched);
    recomputeDerived(store, new Date());
    store.commit();
    store.close();
  }
  const engine = openEngine(path, { create: true });
  await engine.importFiles({ files: Object.entries(files).map(([name, text]) => ({ name, contentBase64: Buffer.from(text).toString('base64') })), options });
  engine.close();
  const store = CaseStore.open(path);
  const short = (id: string) => id.replace(/^k8s:[^/]+\//, '');
  const edges = (kind: EdgeKind) => [...store.edgesOfKind(kind)];
  return {
    store,
    edges,
    pairs: (kind, technique) =>
      edges(kind)
        .filter((e) => !technique || e.props.technique === technique)
        .map((e) => `${short(e.src)} -> ${short(e.dst)}`)
        .sort(),
  };
}

/** A YAML manifest from documents. */
export function yaml(...docs: string[]): string {
  return docs.map((d) => d.trim()).join('\n---\n');
}

export const sa = (ns: string, name: string, extra = '') => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${extra}`;

export function role(kind: 'Role' | 'ClusterRole', name: string, ns: string | undefined, rules: object[]): string {
  return stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name, ...(ns ? { namespace: ns } : {}) }, rules });
}

export function binding(kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, ns: string | undefined, roleRef: { kind: 'Role' | 'ClusterRole'; name: string }, subjects: object[]): string {
  return stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name, ...(ns ? { namespace: ns } : {}) }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects });
}

export function pod(ns: string, name: string, serviceAccount: string | undefined, extra: object = {}): string {
  return stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { ...(serviceAccount ? { serviceAccountName: serviceAccount } : {}), containers: [{ name: 'app', image: 'busybox' }], ...extra } });
}

export const saSubject = (ns: string, name: string) => ({ kind: 'ServiceAccount', name, namespace: ns });
