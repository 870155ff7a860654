import { isObject } from '../../model/fragment.js';
import type { EdgeProps, JsonObject } from '../../model/fragment.js';
import { flat } from '../../model/flat.js';
import { ids } from '../../model/ids.js';
import type { Builder } from './builder.js';
import { baseProps, join, nsOf, type Located } from './objects.js';

// Pods and workloads: what each runs as (a RUNS_AS edge to its service account, the token's mount), the props its
// spec gives (images, privileged containers, host namespaces and paths), and for a pod the workload that controls it.
// A pod's reading (its digest) needs nothing else of the file, so streamed pods are digested as they come.

export const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);

/** Adds the RUNS_AS edge shared by pods and workloads (their props filled by runsAsProps). */
function runsAs(b: Builder, id: string, props: JsonObject, r: RunsAs): void {
  const { ns, sa } = r;
  // Most accounts leave automount unset: no key to build for each pod then.
  const mounted = r.podSetting ?? (b.serviceAccountAutomount.size ? b.serviceAccountAutomount.get(`${ns}/${sa}`) : undefined) ?? true;
  props['tokenMounted'] = mounted;
  const saId = b.saRef(ns, sa);
  // Edges of a big cluster are many: the record's place (`at`) is their evidence; a reason only where it adds to it.
  const edgeProps: EdgeProps = r.explicit ? { at: r.at, tokenMounted: mounted } : { reason: 'names no service account, so it runs as "default"', at: r.at, tokenMounted: mounted };
  // Without a mounted token, controlling the pod does not hand over the service account's credentials.
  if (!mounted) edgeProps.conditional = 'the service-account token is not mounted (automountServiceAccountToken: false)';
  b.edges.push({ from: id, to: saId, kind: 'RUNS_AS', props: edgeProps });
}

export function workload(b: Builder, o: Located): void {
  const kind = String(o.obj['kind']);
  const ns = nsOf(o);
  const name = String((o.obj['metadata'] as Record<string, unknown>)['name']);
  const id = ids.k8sObject(b.cluster, ns, kind.toLowerCase(), name);
  const props = baseProps(b.file, o);
  props['workloadKind'] = kind;
  runsAs(b, id, props, runsAsProps(o, props));
  const nsName = flat`${ns}/${name}`;
  b.add({ id, kind: 'k8s_workload', name: nsName, handles: [nsName], props, boundary: b.clusterId });
}

export function pod(b: Builder, o: Located, workloads: Map<string, Located>): void {
  // Streamed pods come digested (see streamedItem); the same reading otherwise.
  const { name, owner: ref, props, runs } = (o.obj as { [DIGEST]?: PodDigest })[DIGEST] ?? digestPod(b.file, o);
  const ns = runs.ns;
  const id = ids.k8sObject(b.cluster, ns, 'pod', name);
  runsAs(b, id, props, runs);
  // A file of pods alone (no workloads) has no controller to find.
  const owner = workloads.size ? controller(b, ref, ns, workloads, props['labels'] as Record<string, string> | undefined) : undefined;
  if (owner) {
    props['controlledBy'] = owner;
    b.edges.push({ from: owner, to: id, kind: 'OWNS', props: { at: join(o.at, 'metadata', 'ownerReferences') } });
  }
  const nsName = flat`${ns}/${name}`;
  b.add({ id, kind: 'k8s_pod', name: nsName, handles: [nsName], props, boundary: b.clusterId });
}

/** The workload in this file that controls the pod: its owner, or the Deployment/CronJob behind a ReplicaSet/Job. */
function controller(b: Builder, ref: OwnerRef | undefined, ns: string, workloads: Map<string, Located>, labels: Record<string, string> = {}): string | undefined {
  if (!ref) return undefined;
  const direct = ids.k8sObject(b.cluster, ns, ref.kind.toLowerCase(), ref.name);
  if (workloads.has(direct)) return direct;
  if (ref.kind === 'ReplicaSet') {
    const hash = labels['pod-template-hash'];
    const deployment = hash && ref.name.endsWith(`-${hash}`) ? ref.name.slice(0, -hash.length - 1) : ref.name.replace(/-[a-z0-9]+$/, '');
    const id = ids.k8sObject(b.cluster, ns, 'deployment', deployment);
    return workloads.has(id) ? id : undefined;
  }
  if (ref.kind === 'Job') {
    const id = ids.k8sObject(b.cluster, ns, 'cronjob', ref.name.replace(/-\d+$/, ''));
    return workloads.has(id) ? id : undefined;
  }
  return undefined;
}

/** The pod spec of a workload (CronJob: its job template's). */
function podSpec(o: Located): { spec: Record<string, unknown>; at: string } | undefined {
  const kind = String(o.obj['kind']);
  const spec = o.obj['spec'];
  if (!isObject(spec)) return undefined;
  if (kind === 'Pod') return { spec, at: join(o.at, 'spec') };
  if (kind === 'CronJob') {
    const job = spec['jobTemplate'];
    const tmpl = isObject(job) && isObject(job['spec']) ? job['spec']['template'] : undefined;
    return isObject(tmpl) && isObject(tmpl['spec']) ? { spec: tmpl['spec'], at: join(o.at, 'spec', 'jobTemplate', 'spec', 'template', 'spec') } : undefined;
  }
  const tmpl = spec['template'];
  return isObject(tmpl) && isObject(tmpl['spec']) ? { spec: tmpl['spec'], at: join(o.at, 'spec', 'template', 'spec') } : undefined;
}

/** What a pod or workload runs as, read from its spec (the token setting of its account is known only at the end). */
interface RunsAs {
  ns: string;
  sa: string;
  explicit: boolean;
  podSetting: boolean | undefined;
  /** The spec's place: the RUNS_AS edge's evidence. */
  at: string;
}

/**
 * Fills the props a pod spec gives (tokenMounted holds its place until the account's setting is known) and says
 * what the pod runs as. Reads nothing else of the file: streamed pods are read this way as they come.
 */
function runsAsProps(o: Located, props: JsonObject): RunsAs {
  const ns = nsOf(o);
  const found = podSpec(o);
  const spec = found?.spec ?? {};
  const explicit = typeof spec['serviceAccountName'] === 'string' && spec['serviceAccountName'] ? spec['serviceAccountName'] : typeof spec['serviceAccount'] === 'string' && spec['serviceAccount'] ? spec['serviceAccount'] : undefined;
  const sa = explicit ?? 'default';
  const podSetting = typeof spec['automountServiceAccountToken'] === 'boolean' ? spec['automountServiceAccountToken'] : undefined;
  // Plain loops, not spreads, flatMaps and Sets: this runs once per pod of a cluster (tens of thousands).
  const init = spec['initContainers'];
  const main = spec['containers'];
  const containers: Record<string, unknown>[] = [];
  if (Array.isArray(init)) for (const c of init) if (isObject(c)) containers.push(c);
  if (Array.isArray(main)) for (const c of main) if (isObject(c)) containers.push(c);
  props['namespace'] = ns;
  props['serviceAccount'] = sa;
  props['tokenMounted'] = podSetting ?? true;
  const images: string[] = [];
  let privileged: string[] | undefined;
  for (const c of containers) {
    const image = c['image'];
    if (typeof image === 'string' && !images.includes(image)) images.push(image);
    const security = c['securityContext'];
    if (isObject(security) && security['privileged'] === true) (privileged ??= []).push(typeof c['name'] === 'string' ? c['name'] : '(unnamed)');
  }
  // Kept as exact copies: an array grown by push holds room for 17 items, and every pod's props live to the end of
  // the import (50k pods: 7 MB of empty slots for the collector to copy and mark).
  if (images.length) props['images'] = images.slice();
  if (privileged) {
    props['privileged'] = true;
    props['privilegedContainers'] = privileged.slice();
  }
  if (spec['hostPID'] === true) props['hostPID'] = true;
  if (spec['hostNetwork'] === true) props['hostNetwork'] = true;
  if (spec['hostIPC'] === true) props['hostIPC'] = true;
  // Host directories the pod mounts (a node escape when one is / or a container runtime's socket).
  const volumes = spec['volumes'];
  if (Array.isArray(volumes)) {
    const hostPaths: string[] = [];
    for (const v of volumes) {
      const hostPath = isObject(v) ? v['hostPath'] : undefined;
      if (isObject(hostPath) && typeof hostPath['path'] === 'string' && !hostPaths.includes(hostPath['path'])) hostPaths.push(hostPath['path']);
    }
    if (hostPaths.length) props['hostPaths'] = hostPaths.slice();
  }
  if (typeof spec['nodeName'] === 'string') props['nodeName'] = spec['nodeName'];
  return { ns, sa, explicit: explicit !== undefined, podSetting, at: found?.at ?? o.at };
}

/** The owner reference that names a pod's controller (its kind and name only). */
interface OwnerRef {
  kind: string;
  name: string;
}

/** A pod as the builder takes it: its props (but tokenMounted's value and controlledBy) and what it runs as. */
interface PodDigest {
  name: string;
  /** Of metadata.ownerReferences, the controller's (else the first): the workload is looked up at the end. */
  owner: OwnerRef | undefined;
  props: JsonObject;
  runs: RunsAs;
}

function digestPod(file: string, o: Located): PodDigest {
  const meta = o.obj['metadata'] as Record<string, unknown>;
  const props = baseProps(file, o);
  const runs = runsAsProps(o, props);
  const status = o.obj['status'];
  if (isObject(status) && typeof status['phase'] === 'string') props['phase'] = status['phase'];
  return { name: String(meta['name']), owner: ownerRef(meta['ownerReferences']), props, runs };
}

/** The reference kept of ownerReferences (not the parsed list: tens of thousands of streamed pods wait for the end). */
function ownerRef(owners: unknown): OwnerRef | undefined {
  if (!Array.isArray(owners)) return undefined;
  // The first controller, else the first reference (objects only).
  let ref: Record<string, unknown> | undefined;
  for (const r of owners) {
    if (!isObject(r)) continue;
    ref ??= r;
    if (r['controller'] === true) {
      ref = r;
      break;
    }
  }
  if (!ref || typeof ref['kind'] !== 'string' || typeof ref['name'] !== 'string') return undefined;
  return { kind: ref['kind'], name: ref['name'] };
}

/** The digest of a streamed pod, on the small object that stands in for it. */
const DIGEST = Symbol('pod digest');

/**
 * A List item as it streams in: a pod is read into its digest at once and only a stub of it stays (what reading
 * the whole list looks at), so tens of thousands of pod documents are dropped young instead of kept to the end.
 */
export function streamedItem(file: string, value: unknown, index: number): unknown {
  if (!isObject(value) || value['kind'] !== 'Pod') return value;
  const meta = value['metadata'];
  if (!isObject(meta) || typeof meta['name'] !== 'string' || !meta['name']) return value;
  // Its place (as objects.ts collect() names it) made for pods only: other items are placed when the List is read.
  const digest = digestPod(file, { obj: value, at: flat`$.items[${index}]` });
  return { kind: 'Pod', metadata: { name: meta['name'], namespace: meta['namespace'], clusterName: meta['clusterName'] }, [DIGEST]: digest };
}
