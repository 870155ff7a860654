import { isObject } from '../model/fragment.js';
import type { NodeFact } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import { ActivityFolder, isJsonLines, isoTime, type ObservedEvent } from './activity.js';
import { recordsOf, type RecordLists } from './log-records.js';
import { str } from './leaks.js';
import { memberStub, parseMember } from '../providers/gcp/iam.js';
import type { ImportInput, Importer } from './types.js';

// GCP Cloud Audit Logs as Cloud Logging exports them: JSON-lines from a sink or `gcloud logging read --format=json`
// (an array), each entry {logName, timestamp, resource: {type, labels}, protoPayload: {@type: …AuditLog,
// authenticationInfo: {principalEmail, serviceAccountDelegationInfo: [{firstPartyPrincipal: {principalEmail}}]},
// methodName, serviceName, resourceName, requestMetadata: {callerIp, callerSuppliedUserAgent}, status}}; and the rows
// of a BigQuery sink's tables exported as JSON (the same payload as protopayload_auditlog).
// Facts: principal → the resource the call named (OBSERVED_USE), and along an impersonation chain each service
// account → the next (the delegation history is ordered from the original caller).
// Some entries name the project by its number in resourceName (projects/123456789012/zones/…/instances/vm), others
// (and Cloud Asset Inventory) by its id: with the entry's own project id (resource.labels.project_id, logName: the
// log of a resource is written to its project) or a project the case knows, the number form is aliased to the id
// form, so one VM is one node wherever the id form is stated; the project number is aliased to the project. An
// entry without a resourceName (system events) shows who acted, not what was reached: counted and said.

export const gcpAuditLog: Importer = {
  format: 'gcp-audit-log',
  title: 'GCP Cloud Audit Logs (Cloud Logging JSON / JSON-lines)',
  provider: 'gcp',
  producedBy: 'gcloud logging read --format=json, a Cloud Logging sink to GCS / BigQuery export as JSON',
  emits: ['OBSERVED_USE'],
  readsCase: true,
  jsonLines: true,
  detect(probe) {
    if (!probe.looksJson) return 0;
    const h = probe.head;
    if (/"protoPayload"\s*:/.test(h) && (/google\.cloud\.audit\.AuditLog/.test(h) || /cloudaudit\.googleapis\.com/.test(h))) return 0.95;
    // Rows of a BigQuery sink's audit tables, exported or queried as JSON.
    if (/"protopayload_auditlog"\s*:\s*\{/.test(h)) return 0.95;
    return 0;
  },
  async *parse(input, ctx) {
    const folder = new ActivityFolder(input.fileName);
    const projects = new ProjectNames(ctx.known?.gcpProjectIds());
    for await (const { value, at } of entries(input)) readEntry(folder, value, at, projects);
    const fragment = folder.fragment();
    fragment.aliases = projects.aliases();
    yield fragment;
  },
};

/** Project number → project id, from the entries read (and the case); what used them becomes aliases. */
class ProjectNames {
  private readonly learned = new Map<string, string>();
  private readonly resources = new Map<string, string>();
  private readonly accounts = new Map<string, string>();
  constructor(private readonly known: ReadonlyMap<string, string> | undefined) {}
  learn(number: string, id: string): void {
    if (!this.learned.has(number)) this.learned.set(number, id);
  }
  idOf(number: string): string | undefined {
    return this.learned.get(number) ?? this.known?.get(number);
  }
  sameResource(numberForm: string, idForm: string): void {
    this.resources.set(numberForm, idForm);
  }
  /** A service account's unique id and its email, as the entry's resource labels pair them. */
  sameAccount(uniqueId: string, email: string): void {
    if (!this.accounts.has(uniqueId)) this.accounts.set(uniqueId, email);
  }
  aliases(): { from: string; to: string }[] {
    const projects = [...this.learned].flatMap(([n, id]) => [{ from: ids.gcpProject(n), to: ids.gcpProject(id) }, { from: ids.admin(ids.gcpProject(n)), to: ids.admin(ids.gcpProject(id)) }]);
    const accounts = [...this.accounts].map(([uniqueId, email]) => ({ from: ids.gcpServiceAccount(uniqueId), to: ids.gcpServiceAccount(email) }));
    return [...projects, ...[...this.resources].map(([from, to]) => ({ from, to })), ...accounts];
  }
}

const MALFORMED = Symbol('malformed');

/**
 * The entries of the file, each with its place. JSON-lines are streamed line by line; a document is an array of
 * entries, {"entries": […]} or one entry (log-records.ts; streamed entry by entry when large).
 */
async function* entries(input: ImportInput): AsyncIterable<{ value: unknown; at: string }> {
  if (await isJsonLines(input)) {
    for await (const row of input.jsonLinesStream()) yield { value: 'error' in row ? MALFORMED : row.value, at: `line ${row.line}` };
    return;
  }
  yield* recordsOf(input, ENTRY_LISTS);
}

const ENTRY_LISTS: RecordLists = { lists: ['entries'], notRecords: 'expected log entries: JSON-lines, an array of entries or {"entries": […]}' };

function readEntry(folder: ActivityFolder, raw: unknown, at: string, projects: ProjectNames): void {
  if (raw === MALFORMED) return folder.skip('not valid JSON', at);
  if (!isObject(raw)) return folder.skip('not a JSON object', at);
  // A sink to BigQuery writes the audit payload as the column protopayload_auditlog (its fields camelCase, no @type).
  const bigQuery = isObject(raw['protopayload_auditlog']) ? raw['protopayload_auditlog'] : undefined;
  const payload = bigQuery ?? raw['protoPayload'];
  // Panther's data lake stores the payload's `@type` as `at_sign_type`; its exports keep that name.
  if (!isObject(payload) || (!bigQuery && !String(payload['@type'] ?? payload['at_sign_type'] ?? '').endsWith('google.cloud.audit.AuditLog'))) return folder.skip('not a Cloud Audit Log entry (no AuditLog protoPayload)', at);
  const auth = isObject(payload['authenticationInfo']) ? payload['authenticationInfo'] : {};
  const email = str(auth['principalEmail']);
  const method = str(payload['methodName']);
  const time = gcpTime(raw['timestamp']) ?? gcpTime(raw['receiveTimestamp']);
  if (!method || !time) return folder.skip('missing methodName or timestamp', at);
  // principalSubject says what the caller is ("user:…", "serviceAccount:…"); older entries only have the email. A
  // workload-identity-federation caller has no email, only its principal:// subject, the member a binding names.
  const subject = str(auth['principalSubject']);
  const federated = !email && subject && /^principal(Set)?:\/\//.test(subject) ? parseMember(subject) : undefined;
  const federatedNode = federated ? memberStub(federated) : undefined;
  if (!email && !federatedNode) return folder.skip('no principalEmail (anonymous or redacted caller)', at);
  const labels = isObject(raw['resource']) && isObject(raw['resource']['labels']) ? raw['resource']['labels'] : {};
  const project = str(labels['project_id']) ?? /^projects\/([^/]+)\//.exec(str(raw['logName']) ?? '')?.[1];
  const principal = federatedNode ?? memberNode(email!, subject?.startsWith('serviceAccount:') ? true : subject?.startsWith('user:') ? false : undefined);
  folder.node(principal);
  const meta = isObject(payload['requestMetadata']) ? payload['requestMetadata'] : {};
  const status = isObject(payload['status']) ? payload['status'] : {};
  // BigQuery exports write INT64 values as strings ("7").
  const code = typeof status['code'] === 'string' && /^\d+$/.test(status['code']) ? Number(status['code']) : status['code'];
  const failed = typeof code === 'number' && code !== 0;
  const location = isObject(payload['resourceLocation']) && Array.isArray(payload['resourceLocation']['currentLocations']) ? str(payload['resourceLocation']['currentLocations'][0]) : undefined;
  const event: ObservedEvent = {
    time,
    action: method,
    // Panther's exports spell it callerIP.
    ip: str(meta['callerIp']) ?? str(meta['callerIP']),
    userAgent: str(meta['callerSuppliedUserAgent']),
    region: location ?? str(labels['zone']) ?? str(labels['location']),
    failed,
    at,
    eventId: str(raw['insertId']),
    by: email ?? principal.name,
  };

  // A call signed with a service-account key names the key: the GCP counterpart of CloudTrail's accessKeyId.
  const keyName = str(auth['serviceAccountKeyName']);
  const keyId = keyName ? /\/keys\/([^/]+)$/.exec(keyName)?.[1] : undefined;
  if (keyId) {
    const key = ids.gcpKey(keyId);
    folder.nodeOnce(key, () => ({ id: key, kind: 'gcp_sa_key', name: keyId, handles: [keyId, keyName!], stub: true, ...(principal.boundary ? { boundary: principal.boundary } : {}), props: { managedBy: 'user', ownerId: principal.id } }));
    folder.observe(key, principal.id, event, 'the key was used to sign requests as this service account', 'service account key');
  }
  // The delegation history runs from the original caller to the last service account before principalEmail.
  const chain: NodeFact[] = [];
  if (Array.isArray(auth['serviceAccountDelegationInfo'])) {
    for (const d of auth['serviceAccountDelegationInfo']) {
      const first = isObject(d) && isObject(d['firstPartyPrincipal']) ? str(d['firstPartyPrincipal']['principalEmail']) : undefined;
      // Only service accounts can be delegated through, whatever their domain; but the original caller, first in the
      // history, may be a user, which the entry's principalSubject says ("user:…").
      const said = isObject(d) ? str(d['principalSubject']) : undefined;
      if (first) chain.push(memberNode(first, !said?.startsWith('user:')));
    }
  }
  if (chain.length) {
    const nodes = [...chain, principal];
    for (const n of nodes) folder.node(n);
    for (let i = 0; i + 1 < nodes.length; i++) {
      folder.observe(nodes[i]!.id, nodes[i + 1]!.id, event, 'acted through it (service account delegation)', 'service account impersonation');
    }
  }
  // A denied call shows who tried, not what they reached.
  if (failed) return folder.skip('the call failed or was denied (status code ≠ 0): no resource reached', at);
  const resourceName = str(payload['resourceName']);
  if (!resourceName) return folder.skip('the entry names no resource (no resourceName, as system events): who acted is recorded, not what was reached', at);
  const service = str(payload['serviceName']);
  const resource = accountByUniqueId(resourceName, raw['resource'], payload['request'], projects) ?? resourceNode(resourceName, service, project);
  if (!resource || resource.id === principal.id) return;
  const idForm = idFormOf(resourceName, project, projects);
  // A service account is one node by its email whichever project form names it.
  if (idForm && resource.kind !== 'gcp_service_account') {
    const same = resourceNode(idForm, service, project);
    if (same && same.id !== resource.id) projects.sameResource(resource.id, same.id);
  }
  // OBSERVED_USE is walked by attack paths: a call on a service account is becoming it only when it mints its
  // credentials (a key, a token, a signature); reading its policy is not.
  if (resource.kind === 'gcp_service_account' && !ACTS_AS.test(method)) return;
  folder.node(resource);
  folder.observe(principal.id, resource.id, event, 'called Google Cloud APIs on it', method);
}

/**
 * Cloud Logging times are UTC: RFC 3339 with nanoseconds, or as BigQuery writes them ("2024-01-01 10:00:00.123456 UTC")
 * and some tools without any zone ("2024-08-29 19:30:36.339983306"), which must not be read as local time.
 */
function gcpTime(v: unknown): string | undefined {
  const m = typeof v === 'string' ? /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d{1,3})?\d*\s*(?:UTC|Z)?$/i.exec(v.trim()) : null;
  return m ? isoTime(`${m[1]}T${m[2]}${m[3] ?? ''}Z`) : isoTime(v);
}

const ACTS_AS = /(CreateServiceAccountKey|GenerateAccessToken|GenerateIdToken|SignBlob|SignJwt)$/;

function memberNode(email: string, serviceAccount = /\.gserviceaccount\.com$/i.test(email)): NodeFact {
  if (serviceAccount) {
    const project = /@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/i.exec(email)?.[1];
    return { id: ids.gcpServiceAccount(email), kind: 'gcp_service_account', name: email, handles: [email], stub: true, ...(project ? { boundary: ids.gcpProject(project) } : {}) };
  }
  const member = `user:${email}`;
  return { id: ids.gcpMember(member), kind: 'gcp_user', name: email, handles: [email, member], stub: true };
}

/**
 * A resource name that names its project by number, rewritten with the project's id (the entry's own project, or
 * one the case knows); undefined when it names no project number or the id is not known.
 */
function idFormOf(name: string, project: string | undefined, projects: ProjectNames): string | undefined {
  const m = /^((?:\/\/[^/]+\/)?projects\/)(\d+)(\/|$)/.exec(name);
  if (!m) return undefined;
  const number = m[2]!;
  if (project && !/^\d+$/.test(project)) projects.learn(number, project);
  const id = projects.idOf(number);
  return id ? `${m[1]}${id}${m[3]}${name.slice(m[0].length)}` : undefined;
}

/**
 * The service account of a call that names it by unique id (`projects/-/serviceAccounts/114885146936855121342`, as
 * key creation, token minting and signing entries do): its email from the entry's `service_account` resource labels
 * (`unique_id`, `email_id`) or the request's name, else the account by its unique id, which the IAM importers alias
 * to the email.
 */
function accountByUniqueId(name: string, resource: unknown, request: unknown, projects: ProjectNames): NodeFact | undefined {
  const uniqueId = /^projects\/[^/]+\/serviceAccounts\/(\d+)$/.exec(name)?.[1];
  if (!uniqueId) return undefined;
  const labels = isObject(resource) && resource['type'] === 'service_account' && isObject(resource['labels']) ? resource['labels'] : {};
  const labelled = str(labels['unique_id']) === uniqueId ? str(labels['email_id']) : undefined;
  const requested = isObject(request) ? /^projects\/[^/]+\/serviceAccounts\/([^/]+@[^/]+)$/.exec(str(request['name']) ?? '')?.[1] : undefined;
  const email = labelled?.includes('@') ? labelled : requested;
  if (!email) return { id: ids.gcpServiceAccount(uniqueId), kind: 'gcp_service_account', name: `service account ${uniqueId}`, handles: [uniqueId], stub: true };
  projects.sameAccount(uniqueId, email);
  const node = memberNode(email, true);
  return { ...node, handles: [...(node.handles ?? []), uniqueId] };
}

/** A resource by its name: a project, a service account, or any other resource by its full resource name. */
function resourceNode(name: string | undefined, service: string | undefined, project: string | undefined): NodeFact | undefined {
  if (!name) return undefined;
  const boundary = project ? { boundary: ids.gcpProject(project) } : {};
  const proj = /^projects\/([^/]+)$/.exec(name);
  if (proj) return { id: ids.gcpProject(proj[1]!), kind: 'gcp_project', name: proj[1]!, handles: [proj[1]!], stub: true };
  const sa = /^projects\/[^/]+\/serviceAccounts\/([^/]+@[^/]+)$/.exec(name);
  if (sa) return memberNode(sa[1]!);
  // Objects fold into their bucket, as S3 objects do: data-access logs name millions of them.
  const scoped = service === 'storage.googleapis.com' ? name.replace(/\/objects\/.*$/, '') : name;
  const full = scoped.startsWith('//') ? scoped : `//${service ?? 'unknown.googleapis.com'}/${scoped}`;
  return { id: ids.gcpResource(full), kind: 'gcp_resource', name: scoped.split('/').pop() || scoped, handles: [full, scoped], stub: true, ...boundary };
}
