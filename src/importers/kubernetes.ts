import { basename } from 'node:path';
import type { GraphFragment } from '../model/fragment.js';
import { SeveralJsonValuesError } from './errors.js';
import type { Importer } from './types.js';
import { Builder } from './kubernetes/builder.js';
import { KNOWN_KINDS, readObjects, type Located } from './kubernetes/objects.js';
import { streamObjects } from './kubernetes/stream.js';

// What `kubectl get … -o json` prints (a List of one kind or of mixed kinds, or a single object), a JSON array of
// objects, and multi-document YAML manifests. Objects Blastmap does not model (ConfigMaps, Services…) are counted
// in one warning; of ConfigMaps only EKS's kube-system/aws-auth is read (its IAM mappings: see eks-auth.ts), and no
// other ConfigMap's data is kept. Secret values never enter the case: `data`, `stringData` and the last-applied
// annotation (which repeats them) are dropped before anything is stored; only the key names are kept.
//
// This file is the importer's entry; its facets are in kubernetes/, each read on its own: objects.ts (objects and
// their places out of JSON or YAML), stream.ts (a large List read item by item), builder.ts (the fragment's state and
// the ids every kind names, dispatching each object to accounts.ts, rbac.ts or pods.ts).

export const kubernetes: Importer = {
  format: 'kubernetes',
  title: 'Kubernetes objects (kubectl get -o json/yaml, manifests)',
  provider: 'k8s',
  producedBy: 'kubectl get ns,sa,secrets,roles,rolebindings,clusterroles,clusterrolebindings,pods,deployments,daemonsets,statefulsets,jobs,cronjobs -A -o json; YAML manifests',
  emits: ['AUTHENTICATES_AS', 'RUNS_AS', 'HAS_ROLE', 'OWNS', 'FEDERATES_TO', 'MEMBER_OF'],
  detect(probe) {
    const head = probe.head;
    if (probe.looksJson) {
      if (!/"apiVersion"\s*:/.test(head)) return 0;
      const kinds = [...head.matchAll(/"kind"\s*:\s*"([A-Za-z]+)"/g)].map((m) => m[1]!);
      if (kinds.some((k) => KNOWN_KINDS.has(k) && k !== 'List')) return 0.95;
      // `kubectl get configmap aws-auth -n kube-system -o json`.
      if (kinds.includes('ConfigMap') && /"name"\s*:\s*"aws-auth"/.test(head)) return 0.95;
      // kubectl prints a List's "kind" after its items: a head of unmodelled kinds still looks like a List.
      if (/"items"\s*:\s*\[/.test(head) && /"metadata"\s*:/.test(head)) return 0.6;
      // One object of a kind not modelled (`kubectl get service web -o json`): read, and its kind named in a warning.
      return /^\s*\{\s*"apiVersion"\s*:\s*"[^"]+"\s*,\s*"kind"\s*:\s*"[A-Za-z]+"\s*,\s*"metadata"\s*:/.test(head) ? 0.5 : 0;
    }
    if (!/^apiVersion:\s*\S+/m.test(head)) return 0;
    // Top-level kinds of manifests, and the items of `kubectl get -o yaml` ("- apiVersion: v1\n  kind: Pod").
    const kinds = [...head.matchAll(/^(?:-\s+|\s+)?kind:\s*["']?([A-Za-z]+)/gm)].map((m) => m[1]!);
    if (kinds.some((k) => KNOWN_KINDS.has(k)) || (kinds.includes('ConfigMap') && /^\s*name:\s*["']?aws-auth\b/m.test(head))) return 0.9;
    // A manifest of kinds not modelled (a Service, an Ingress, a policy engine's resource), as a chart or an
    // application directory holds beside the others: read, its kinds named in a warning, rather than failing the import.
    return /^kind:\s*["']?[A-Za-z]+/m.test(head) && /^metadata:\s*$/m.test(head) ? 0.5 : 0;
  },
  parse(input, ctx) {
    const file = input.fileName;
    const build = (objects: Located[]) => {
      const cluster = ctx.options.cluster?.trim() || clusterFromObjects(objects) || clusterFromFileName(file);
      return new Builder(file, cluster).build(objects);
    };
    // A large `kubectl get -o json` List is streamed item by item, each slimmed to what the builder reads.
    const json = /^\s*[[{]/.test(input.head.toString('utf8').replace(/^\ufeff/, ''));
    if (input.large && json) {
      return streamObjects(input).then(build, (err: unknown) => {
        // The stream reads one document: documents appended one after another are read whole (within the whole-read
        // limit), one at a time, as in a smaller file.
        if (!(err instanceof SeveralJsonValuesError)) throw err;
        let text: string;
        try {
          text = input.text();
        } catch {
          throw err;
        }
        return build(readObjects(file, text));
      });
    }
    return build(readObjects(file, input.text()));
  },
};

/** Old API servers filled metadata.clusterName; most exports do not say which cluster they come from. */
function clusterFromObjects(objects: Located[]): string | undefined {
  for (let i = 0; i < objects.length; i++) {
    const name = (objects[i]!.obj['metadata'] as Record<string, unknown>)['clusterName'];
    if (typeof name === 'string' && name) return name;
  }
  return undefined;
}

/** The file name without its extensions, lower-cased: stable across re-imports of the same file. */
export function clusterFromFileName(file: string): string {
  const stem = basename(file).replace(/(\.gz)?$/i, '').replace(/\.(json|ya?ml|txt)$/i, '');
  return stem.toLowerCase().replace(/[^a-z0-9._-]+/g, '-') || 'cluster';
}

/**
 * The graph facts of Kubernetes objects given as JSON objects with their places (other formats that carry
 * Kubernetes objects — Terraform's kubernetes provider — convert to them and share this builder).
 */
export function kubernetesFragment(file: string, cluster: string, objects: { obj: Record<string, unknown>; at: string }[]): GraphFragment {
  return new Builder(file, cluster).build(objects);
}
