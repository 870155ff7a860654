import { isObject } from '../model/fragment.js';
import type { NodeFact } from '../model/fragment.js';
import { arnAccount, ids } from '../model/ids.js';
import { saUserName } from '../providers/k8s/rbac.js';
import { ActivityFolder, isJsonLines, isoTime, type ObservedEvent } from './activity.js';
import { ImportError, jsonPath, SeveralJsonValuesError } from './errors.js';
import { appendedJsonValues } from './json-syntax.js';
import { DEFAULT_LIMITS, type InputLimits } from './limits.js';
import type { JsonPathParts, StreamChoice } from './json-stream.js';
import { clusterFromFileName } from './kubernetes.js';
import type { ImportInput, Importer } from './types.js';
import { str } from './json-values.js';

// Kubernetes API server audit logs (audit.k8s.io/v1 Events) as the API server writes them (JSON-lines, one event per
// line), and as managed clusters export them: EKS through CloudWatch Logs (filter-log-events / get-log-events
// output, a subscription's {logGroup, logEvents}, or an S3 export of "<time> <event>" lines), GKE through Cloud
// Logging (the event rewritten as a Cloud Audit Log entry with serviceName k8s.io), AKS through diagnostic settings
// ({records: [{category: kube-audit, properties: {log: "<event>"}}]}). Events fold into OBSERVED_USE edges per
// (who, what): an identity → the secret it read, the pod it exec'd or attached to, the service account whose token
// it requested or which it impersonated, else the namespace (or the cluster) it acted in, with verbs and resources
// as actions. A denied request proves who authenticated and reaches nothing. The cluster is --cluster, else the one
// the wrapper names (EKS log group, GKE cluster_name, AKS resource id), else the file name, as for kubectl output.

const SENSITIVE_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy']);
// A request is logged at several stages (RequestReceived, ResponseStarted for long-running ones, ResponseComplete):
// it is counted once, at ResponseComplete (or Panic). A connection upgraded to a stream (exec, attach, port-forward:
// code 101) is counted when it starts, as some pipelines keep only that stage; its completion is then not counted.

export const k8sAuditLog: Importer = {
  format: 'k8s-audit-log',
  title: 'Kubernetes audit logs (API server audit.k8s.io/v1 events; EKS, GKE and AKS exports)',
  provider: 'k8s',
  producedBy: 'kube-apiserver --audit-log-path (JSON-lines); aws logs filter-log-events on /aws/eks/<cluster>/cluster; gcloud logging read \'resource.type="k8s_cluster"\' --format=json; AKS diagnostic settings (kube-audit)',
  emits: ['OBSERVED_USE'],
  jsonLines: true,
  detect(probe) {
    if (!probe.looksJson && !/^\d{4}-\d\d-\d\dT[^ ]+ \{/.test(probe.head)) return 0;
    const h = probe.head;
    if (/"apiVersion"\s*:\s*"audit\.k8s\.io\/v1(beta1)?"/.test(h) || /\\"apiVersion\\"\s*:\s*\\"audit\.k8s\.io\/v1/.test(h)) return 0.97;
    if (/"serviceName"\s*:\s*"k8s\.io"/.test(h) && /"protoPayload"/.test(h)) return 0.97;
    if (/"category"\s*:\s*"kube-audit(-admin)?"/.test(h)) return 0.97;
    // Events written without apiVersion (older pipelines, Falco's traces): kind Event with an audit id and a stage.
    if (/"kind"\s*:\s*"Event"/.test(h) && /"auditID"\s*:/.test(h) && /"stage"\s*:/.test(h)) return 0.97;
    return 0;
  },
  async *parse(input, ctx) {
    const folder = new ActivityFolder(input.fileName);
    const reader = new AuditReader(folder, ctx.options.cluster?.trim() || undefined, input.fileName);
    for await (const { value, at, cluster } of events(input)) reader.read(value, at, cluster);
    reader.finish();
    yield folder.fragment();
  },
};

const MALFORMED = Symbol('malformed');
interface Located {
  value: unknown;
  at: string;
  /** The cluster a wrapper names. */
  cluster?: string | undefined;
}

/**
 * The audit events of the file in every shape, each with its place. Lines are streamed one at a time; a large
 * document is streamed event by event; memory then holds the folded edges, never the file.
 */
async function* events(input: ImportInput): AsyncIterable<Located> {
  const file = input.fileName;
  // An S3 export of CloudWatch Logs: "2024-05-02T10:11:12.345Z {…}" per line.
  if (/^\s*\d{4}-\d\d-\d\dT[^ \n]+ \{/.test(input.head.toString('utf8'))) {
    for await (const row of input.jsonLinesStream((line) => line.indexOf('{'))) yield { value: 'error' in row ? MALFORMED : row.value, at: `line ${row.line}` };
    return;
  }
  if (await isJsonLines(input)) {
    for await (const row of input.jsonLinesStream()) {
      const at = `line ${row.line}`;
      if ('error' in row) yield { value: MALFORMED, at };
      else yield* unwrap(row.value, at);
    }
    return;
  }
  if (input.large) return yield* streamedDocument(input);
  let root: unknown;
  try {
    root = input.json();
  } catch (err) {
    if (!(err instanceof SeveralJsonValuesError)) throw err;
    return yield* appendedDocuments(file, input.text(), input.file?.limits ?? DEFAULT_LIMITS);
  }
  yield* documentEvents(file, root);
}

/**
 * Documents written one after another: Kinesis Data Firehose delivers a CloudWatch Logs subscription to S3 as
 * {…"logEvents": […]}{…}, and paged filter-log-events output is often appended to one file. Each is read as a
 * document of its own, its events placed from the line and column it starts at.
 */
function* appendedDocuments(file: string, text: string, limits: Pick<InputLimits, 'maxDepth'>): Iterable<Located> {
  for (const { value, start } of appendedJsonValues(file, text, limits)) yield* documentEvents(file, value, `line ${start.line}, column ${start.column}`);
}

/** The events of one document; `within` names the document when the file holds several. */
function* documentEvents(file: string, root: unknown, within?: string): Iterable<Located> {
  const where = (path: string) => (within ? `${within}: ${path}` : path);
  if (Array.isArray(root)) {
    for (let i = 0; i < root.length; i++) yield* unwrap(root[i], where(jsonPath(i)));
    return;
  }
  if (!isObject(root)) throw new ImportError(file, 'expected audit events: JSON-lines, an array, or an EKS/GKE/AKS export', where('$'));
  yield* unwrap(root, where('$'));
}

const LISTS = new Set(['items', 'events', 'logEvents', 'records']);
type ListName = 'items' | 'events' | 'logEvents' | 'records';

/**
 * A large document streamed. A root array: its elements, one by one. An EventList whose kind comes before its items
 * (as the API server writes webhook batches): its events, in one pass. Any other root object: a first pass keeps
 * the members other than the event lists (whose elements it passes over), so the wrapper is told apart as the whole
 * reading does (kind, logGroup may come after the list); a second pass reads that list's events one by one.
 */
async function* streamedDocument(input: ImportInput): AsyncIterable<Located> {
  const file = input.fileName;
  const members: Record<string, unknown> = {};
  const lists = new Set<string>();
  const state = { object: false, itemsBeforeKind: false };
  let oneByOne = false;
  const first = (path: JsonPathParts, container: boolean, array: boolean): StreamChoice => {
    if (path.length === 0) {
      state.object = container && !array;
      return container ? 'descend' : 'emit';
    }
    if (!state.object) return 'emit';
    if (path.length === 1 && array && LISTS.has(path[0] as string)) {
      lists.add(path[0] as string);
      return 'descend';
    }
    if (path.length === 1) return 'emit';
    // The items, until one shows the kind did not come first (choices run ahead of the values, a chunk at a time).
    return path[0] === 'items' && !state.itemsBeforeKind ? 'emit' : 'skip';
  };
  for await (const v of input.jsonStream(first)) {
    if (v.path.length === 0) return yield* documentEvents(file, v.value);
    if (!state.object) yield* unwrap(v.value, jsonPath(v.path[0]!));
    else if (v.path.length === 1) members[v.path[0]!] = v.value;
    else if (!state.itemsBeforeKind && members['kind'] === 'EventList') {
      oneByOne = true;
      yield* element('items', v.value, `$.items[${v.path[1]}]`, undefined);
    } else state.itemsBeforeKind = true;
  }
  if (!state.object) return;
  const skeleton: Record<string, unknown> = { ...members };
  for (const name of lists) skeleton[name] = [];
  const list = listOf(skeleton);
  if (oneByOne) {
    if (list !== 'items') throw new ImportError(file, 'the EventList names its kind twice (a second "kind" after its items)', '$.kind');
    return;
  }
  if (!list) {
    // Not a wrapper, yet holding a list: one value, read whole as the whole reading does (capped per value).
    if (lists.size === 0) return yield* unwrap(skeleton, '$');
    for await (const v of input.jsonStream((path) => (path.length === 0 ? 'emit' : 'skip'))) yield* unwrap(v.value, '$');
    return;
  }
  const cluster = wrapperCluster(list, skeleton);
  const second = (path: JsonPathParts): StreamChoice => (path.length === 0 || (path.length === 1 && path[0] === list) ? 'descend' : path.length === 2 && path[0] === list ? 'emit' : 'skip');
  for await (const v of input.jsonStream(second)) {
    if (v.path.length === 2) yield* element(list, v.value, `$.${list}[${v.path[1]}]`, cluster);
  }
}

/** Which list of events a wrapper holds, told apart in this order. */
function listOf(v: Record<string, unknown>): ListName | undefined {
  // kubectl-style list: {"kind": "EventList", "items": […]} (webhook batches).
  if (Array.isArray(v['items']) && v['kind'] === 'EventList') return 'items';
  // CloudWatch Logs: filter-log-events / get-log-events {events: [{message}]}, a subscription {logGroup, logEvents}.
  if (Array.isArray(v['events'])) return 'events';
  if (Array.isArray(v['logEvents'])) return 'logEvents';
  // AKS diagnostic settings (storage account / event hub): {records: [{category, resourceId, properties: {log}}]}.
  if (Array.isArray(v['records'])) return 'records';
  return undefined;
}

/** The cluster an EKS log group names. */
function wrapperCluster(list: ListName, v: Record<string, unknown>): string | undefined {
  if (list !== 'events' && list !== 'logEvents') return undefined;
  const group = typeof v['logGroup'] === 'string' ? v['logGroup'] : undefined;
  return group ? /^\/aws\/eks\/([^/]+)\/cluster$/.exec(group)?.[1] : undefined;
}

/** One element of a wrapper's list, at `where`. */
function* element(list: ListName, e: unknown, where: string, cluster: string | undefined): Iterable<Located> {
  if (list === 'items') return yield { value: e, at: where };
  if (list === 'records') return yield* unwrap(e, where);
  yield { value: isObject(e) && typeof e['message'] === 'string' ? parseOrMalformed(e['message']) : e, at: `${where}.message`, cluster };
}

/** One value of the file: an event, or a wrapper holding events. */
function* unwrap(v: unknown, at: string): Iterable<Located> {
  if (!isObject(v)) return yield { value: v, at };
  const list = listOf(v);
  if (list) {
    const cluster = wrapperCluster(list, v);
    const items = v[list] as unknown[];
    for (let i = 0; i < items.length; i++) yield* element(list, items[i], `${at}.${list}[${i}]`, cluster);
    return;
  }
  if (typeof v['category'] === 'string' && /^kube-audit/.test(v['category']) && isObject(v['properties'])) {
    const cluster = typeof v['resourceId'] === 'string' ? /\/managedClusters\/([^/]+)$/i.exec(v['resourceId'])?.[1]?.toLowerCase() : undefined;
    const log = v['properties']['log'];
    yield { value: typeof log === 'string' ? parseOrMalformed(log) : log, at: `${at}.properties.log`, cluster };
    return;
  }
  // GKE through Cloud Logging: a Cloud Audit Log entry for the k8s.io service.
  if (isObject(v['protoPayload'])) {
    const labels = isObject(v['resource']) && isObject(v['resource']['labels']) ? v['resource']['labels'] : {};
    yield { value: fromGke(v), at, cluster: typeof labels['cluster_name'] === 'string' ? labels['cluster_name'] : undefined };
    return;
  }
  yield { value: v, at };
}

function parseOrMalformed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return MALFORMED;
  }
}

/**
 * GKE writes each request as a Cloud Audit Log entry: methodName io.k8s.<group>.<version>.<resource>[.<sub>].<verb>,
 * resourceName <group>/<version>/namespaces/<ns>/<resource>/<name>[/<sub>]. Rebuilt as the audit event it stands for.
 */
function fromGke(entry: Record<string, unknown>): unknown {
  const p = entry['protoPayload'] as Record<string, unknown>;
  if (p['serviceName'] !== 'k8s.io') return { notK8s: true };
  const auth = isObject(p['authenticationInfo']) ? p['authenticationInfo'] : {};
  const meta = isObject(p['requestMetadata']) ? p['requestMetadata'] : {};
  const method = typeof p['methodName'] === 'string' ? p['methodName'] : '';
  const parts = method.split('.');
  const verb = parts[parts.length - 1] ?? '';
  const path = (typeof p['resourceName'] === 'string' ? p['resourceName'] : '').split('/');
  const nsAt = path.indexOf('namespaces');
  const tail = nsAt >= 0 ? path.slice(nsAt + 2) : path.slice(2);
  const objectRef = { namespace: nsAt >= 0 ? path[nsAt + 1] : undefined, resource: tail[0], name: tail[1], subresource: tail[2] };
  const status = isObject(p['status']) ? p['status'] : {};
  const code = typeof status['code'] === 'number' ? status['code'] : 0;
  return {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Event',
    verb: verb === 'connect' || verb === 'exec' ? 'create' : verb,
    user: { username: auth['principalEmail'] },
    sourceIPs: typeof meta['callerIp'] === 'string' ? [meta['callerIp']] : [],
    userAgent: meta['callerSuppliedUserAgent'],
    objectRef,
    // Cloud Audit Logs use gRPC codes (0 = OK, 7 = PERMISSION_DENIED).
    responseStatus: { code: code === 0 ? 200 : 403 },
    requestReceivedTimestamp: entry['timestamp'],
    auditID: entry['insertId'],
    stage: 'ResponseComplete',
  };
}

class AuditReader {
  private readonly clusters = new Set<string>();
  private early = 0;
  private readonly streams = new Set<string>();
  /** Identity nodes by cluster and user name: most events come from a few dozen callers. */
  private readonly identities = new Map<string, NodeFact>();

  constructor(
    private readonly folder: ActivityFolder,
    private readonly forced: string | undefined,
    private readonly file: string,
  ) {}

  read(raw: unknown, at: string, wrapperCluster: string | undefined): void {
    if (raw === MALFORMED) return this.folder.skip('not valid JSON', at);
    if (!isObject(raw)) return this.folder.skip('not a JSON object', at);
    if (raw['notK8s'] === true) return this.folder.skip('a Cloud Audit Log entry of another service than k8s.io', at);
    if (typeof raw['apiVersion'] === 'string' && !raw['apiVersion'].startsWith('audit.k8s.io/')) return this.folder.skip('not an audit.k8s.io event', at);
    const stage = typeof raw['stage'] === 'string' ? raw['stage'] : undefined;
    const auditId = str(raw['auditID']);
    const upgraded = isObject(raw['responseStatus']) && raw['responseStatus']['code'] === 101;
    if (stage === 'RequestReceived' || (stage === 'ResponseStarted' && !upgraded)) {
      this.early++;
      return;
    }
    if (stage === 'ResponseStarted' && auditId) this.streams.add(auditId);
    else if (stage === 'ResponseComplete' && auditId && this.streams.delete(auditId)) return;
    const user = isObject(raw['user']) ? raw['user'] : {};
    const username = typeof user['username'] === 'string' ? user['username'] : undefined;
    // audit.k8s.io/v1alpha1 and early v1beta1 events (Kubernetes 1.7–1.9) carry one `timestamp`, which v1 replaced.
    const time = fastTime(raw['requestReceivedTimestamp']) ?? isoTime(raw['stageTimestamp']) ?? fastTime(raw['timestamp']);
    const verb = typeof raw['verb'] === 'string' ? raw['verb'] : undefined;
    if (!username || !time || !verb) return this.folder.skip('missing user.username, verb or timestamp', at);
    const cluster = this.forced ?? wrapperCluster ?? clusterFromFileName(this.file);
    this.clusters.add(cluster);
    const ref = isObject(raw['objectRef']) ? raw['objectRef'] : {};
    const resource = str(ref['resource']);
    const sub = str(ref['subresource']);
    const ns = str(ref['namespace']);
    const name = str(ref['name']);
    const code = isObject(raw['responseStatus']) && typeof raw['responseStatus']['code'] === 'number' ? raw['responseStatus']['code'] : 200;
    const decision = isObject(raw['annotations']) ? raw['annotations']['authorization.k8s.io/decision'] : undefined;
    const failed = code >= 400 || decision === 'forbid';
    const action = resource ? `${verb} ${resource}${sub ? `/${sub}` : ''}` : `${verb} ${str(raw['requestURI'])?.split('?')[0] ?? ''}`.trim();
    const ips = Array.isArray(raw['sourceIPs']) ? raw['sourceIPs'] : [];
    const event: ObservedEvent = {
      time,
      action,
      ip: typeof ips[0] === 'string' ? ips[0] : undefined,
      userAgent: str(raw['userAgent']),
      failed,
      at,
      eventId: str(raw['auditID']),
      by: username,
    };
    const actor = this.identity(cluster, username);
    // EKS names the AWS identity behind a mapped user (user.extra.arn): it authenticated as that cluster user.
    const extra = isObject(user['extra']) ? user['extra'] : {};
    const awsArn = Array.isArray(extra['arn']) && typeof extra['arn'][0] === 'string' ? iamPrincipal(extra['arn'][0]) : undefined;
    if (awsArn && actor.kind !== 'k8s_service_account') {
      this.folder.nodeOnce(awsArn, () => ({ id: awsArn, kind: /:role\//.test(awsArn) ? 'aws_role' : 'aws_user', name: awsArn.split('/').pop() ?? awsArn, handles: [awsArn], stub: true, ...(arnAccount(awsArn) ? { boundary: ids.awsAccount(arnAccount(awsArn)!) } : {}) }));
      this.folder.observe(awsArn, actor.id, event, 'authenticated to the cluster as this user (EKS access)', 'EKS authentication');
    }
    // Impersonation: the requester acts as the impersonated identity, which then does the request.
    let doer = actor;
    const imp = isObject(raw['impersonatedUser']) ? raw['impersonatedUser'] : undefined;
    if (imp && typeof imp['username'] === 'string') {
      doer = this.identity(cluster, imp['username']);
      this.folder.observe(actor.id, doer.id, { ...event, action: `impersonate ${imp['username']}` }, 'impersonated it (Impersonate-User)', 'impersonate');
    }
    if (failed) return this.folder.skip('the request was denied or failed (response code ≥ 400): nothing reached', at);
    const target = this.target(cluster, verb, resource, sub, ns, name);
    if (!target || target.id === doer.id) return;
    this.folder.nodeOnce(target.id, target.node);
    this.folder.observe(doer.id, target.id, event, target.reason, target.technique);
  }

  /** What a request reached: the object itself when reaching it hands over credentials or code execution. */
  private target(cluster: string, verb: string, resource: string | undefined, sub: string | undefined, ns: string | undefined, name: string | undefined): { id: string; node: () => NodeFact; reason: string; technique: string } | undefined {
    const clusterId = ids.k8sCluster(cluster);
    if (resource === 'serviceaccounts' && sub === 'token' && ns && name) {
      const id = ids.k8sObject(cluster, ns, 'serviceaccount', name);
      return { id, node: () => ({ id, kind: 'k8s_service_account', name: `${ns}/${name}`, handles: [`${ns}/${name}`, saUserName(ns, name)], boundary: clusterId, stub: true }), reason: 'requested a token for the service account (TokenRequest)', technique: 'serviceaccounts/token' };
    }
    if (resource === 'pods' && sub && SENSITIVE_SUBRESOURCES.has(sub) && ns && name) {
      const id = ids.k8sObject(cluster, ns, 'pod', name);
      return { id, node: () => ({ id, kind: 'k8s_pod', name: `${ns}/${name}`, handles: [`${ns}/${name}`], boundary: clusterId, stub: true }), reason: `ran pods/${sub} on the pod`, technique: `pods/${sub}` };
    }
    if (resource === 'secrets' && name && ns && (verb === 'get' || verb === 'watch' || verb === 'list')) {
      const id = ids.k8sObject(cluster, ns, 'secret', name);
      return { id, node: () => ({ id, kind: 'k8s_secret', name: `${ns}/${name}`, handles: [`${ns}/${name}`], boundary: clusterId, stub: true }), reason: 'read the secret', technique: 'secrets' };
    }
    if (ns) {
      const id = ids.k8sNamespace(cluster, ns);
      return { id, node: () => ({ id, kind: 'k8s_namespace', name: ns, handles: [ns], boundary: clusterId, stub: true }), reason: 'called the Kubernetes API in the namespace', technique: 'Kubernetes API' };
    }
    return { id: clusterId, node: () => ({ id: clusterId, kind: 'k8s_cluster', name: cluster, handles: [cluster], props: { cluster }, stub: true }), reason: 'called the Kubernetes API on cluster-scoped resources', technique: 'Kubernetes API' };
  }

  /** The node of a request's user, stated once: a service account, a GCP service account (GKE), or a cluster user. */
  private identity(cluster: string, username: string): NodeFact {
    const key = `${cluster}\u0000${username}`;
    let node = this.identities.get(key);
    if (!node) {
      this.identities.set(key, (node = this.identityNode(cluster, username)));
      this.folder.node(node);
    }
    return node;
  }

  private identityNode(cluster: string, username: string): NodeFact {
    const clusterId = ids.k8sCluster(cluster);
    const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
    if (sa) {
      const id = ids.k8sObject(cluster, sa[1], 'serviceaccount', sa[2]!);
      return { id, kind: 'k8s_service_account', name: `${sa[1]}/${sa[2]}`, handles: [`${sa[1]}/${sa[2]}`, username], boundary: clusterId, stub: true };
    }
    if (/@[^@]+\.gserviceaccount\.com$/i.test(username)) {
      return { id: ids.gcpServiceAccount(username), kind: 'gcp_service_account', name: username.toLowerCase(), handles: [username], props: { email: username.toLowerCase() }, stub: true };
    }
    const id = ids.k8sObject(cluster, undefined, 'user', username);
    return { id, kind: 'k8s_user', name: username, handles: [username], props: { user: username }, boundary: clusterId, stub: true };
  }

  finish(): void {
    for (const c of this.clusters) this.folder.node({ id: ids.k8sCluster(c), kind: 'k8s_cluster', name: c, handles: [c], props: { cluster: c }, stub: true });
    if (this.early) this.folder.warnings.push({ message: `${this.early} event(s) of the RequestReceived and ResponseStarted stages were not counted: the same requests are logged again when they complete` });
    if (this.streams.size) this.folder.warnings.push({ message: `${this.streams.size} streaming request(s) (exec, attach, port-forward) were counted when they started; their completion is not in the file` });
    if (this.clusters.size > 1 && this.forced === undefined) this.folder.warnings.push({ message: `events of ${this.clusters.size} clusters (${[...this.clusters].join(', ')}), named by their log wrappers; pass --cluster to name them as your kubectl imports do` });
  }
}

/** arn:aws:sts::1:assumed-role/Name/session → arn:aws:iam::1:role/Name; IAM ARNs unchanged. */
function iamPrincipal(arn: string): string | undefined {
  const m = /^arn:(aws[a-z-]*):sts::(\d+):assumed-role\/([^/]+)\//.exec(arn);
  if (m) return `arn:${m[1]}:iam::${m[2]}:role/${m[3]}`;
  return /^arn:aws[a-z-]*:iam::\d+:(user|role)\//.test(arn) ? arn : undefined;
}

/** The API server's timestamps (2026-03-02T09:15:02.123456Z) as ISO with milliseconds, without a Date per event. */
function fastTime(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(v);
  if (!m) return isoTime(v);
  const ms = m[2] ? m[2].slice(0, 3).padEnd(3, '0') : '000';
  return ms === '000' ? `${m[1]}Z` : `${m[1]}.${ms}Z`;
}
