import { isObject } from '../model/fragment.js';
import type { NodeFact } from '../model/fragment.js';
import { arnAccount, ids } from '../model/ids.js';
import { ACCOUNT_ID } from './aws-util.js';
import type { NodeKind } from '../model/kinds.js';
import { ActivityFolder, isJsonLines, isoTime, type ObservedEvent } from './activity.js';
import { recordsOf, type RecordLists } from './log-records.js';
import { parseEmbeddedJson } from './json-syntax.js';
import { str } from './leaks.js';
import type { ImportInput, Importer } from './types.js';

// CloudTrail, in every shape responders hold it:
//  - S3 log files {"Records": [record, …]} (gzip-compressed as delivered; input.ts gunzips),
//  - `aws cloudtrail lookup-events` output {"Events": [{EventId, EventName, …, CloudTrailEvent: "<record as a JSON string>"}]}
//    or those events as JSON-lines,
//  - a single record, an array of records, or records as JSON-lines,
//  - EventBridge envelopes {"detail-type": "AWS API Call via CloudTrail", "detail": record}.
// Each usable record yields OBSERVED_USE facts: access key → the principal it acted as, principal → the role it
// assumed (and the temporary key it got → that role), principal → the resources the call named.

export const cloudtrail: Importer = {
  format: 'cloudtrail',
  title: 'AWS CloudTrail events (S3 log files, lookup-events, EventBridge, single records)',
  provider: 'aws',
  producedBy: 'CloudTrail S3 delivery (*.json.gz), aws cloudtrail lookup-events, EventBridge rules, CloudTrail Lake exports',
  emits: ['OBSERVED_USE', 'AUTHENTICATES_AS'],
  jsonLines: true,
  detect(probe) {
    if (!probe.looksJson) return 0;
    const h = probe.head;
    if (/"CloudTrailEvent"\s*:/.test(h) && /"EventName"\s*:/.test(h)) return 0.95;
    if (/"detail-type"\s*:\s*"AWS API Call via CloudTrail"/.test(h)) return 0.95;
    if (/"eventVersion"\s*:/.test(h) && /"eventSource"\s*:/.test(h) && (/"userIdentity"\s*:/.test(h) || /"Records"\s*:/.test(h))) return 0.95;
    if (/"Records"\s*:\s*\[\s*\]/.test(h)) return 0.9;
    // Digest files sit beside the logs in a trail's bucket; a responder importing the bucket gets them too.
    if (/"digestStartTime"\s*:/.test(h) && /"logFiles"\s*:/.test(h)) return 0.9;
    return 0;
  },
  async *parse(input) {
    const folder = new ActivityFolder(input.fileName);
    const actors = new Map<string, Actor | undefined>();
    let records = 0;
    for await (const { value, at } of entries(input)) {
      records++;
      readRecord(folder, actors, value, at);
    }
    if (records === 0) folder.warnings.push({ message: 'the file holds no CloudTrail record (an empty log or a digest file)' });
    yield folder.fragment();
  },
};

/**
 * The raw entries of the file, whatever its shape, each with its place. JSON-lines are streamed line by line; a large
 * document is streamed record by record; memory then holds the folded edges, never the file.
 */
async function* entries(input: ImportInput): AsyncIterable<{ value: unknown; at: string }> {
  if (await isJsonLines(input)) {
    for await (const row of input.jsonLinesStream()) {
      if ('error' in row) yield { value: MALFORMED, at: `line ${row.line}` };
      else yield { value: row.value, at: `line ${row.line}` };
    }
    return;
  }
  yield* recordsOf(input, RECORD_LISTS);
}

/** S3 log files keep their records in Records, lookup-events output in Events; a digest file holds none. */
const RECORD_LISTS: RecordLists = {
  lists: ['Records', 'Events'],
  notRecords: 'expected CloudTrail records: {"Records": […]}, {"Events": […]}, a record or an array of records',
  holdsNone: (root) => Array.isArray(root['logFiles']) && 'digestStartTime' in root,
};

const MALFORMED = Symbol('malformed');
const API_VERSION_SUFFIX = /(?:\d{8}(?:v\d+)?|\d{4}_\d{2}_\d{2})$/;

function readRecord(folder: ActivityFolder, actors: Map<string, Actor | undefined>, raw: unknown, at: string): void {
  if (raw === MALFORMED) return folder.skip('not valid JSON', at);
  let record: unknown = raw;
  let where = at;
  if (isObject(record) && typeof record['CloudTrailEvent'] === 'string') {
    const parsed = parseEmbeddedJson(record['CloudTrailEvent']);
    if ('error' in parsed) return folder.skip(`CloudTrailEvent is not valid JSON: ${parsed.error}`, at);
    record = parsed.value;
    where = `${at}.CloudTrailEvent`;
  } else if (isObject(record) && isObject(record['detail']) && 'detail-type' in record) {
    record = record['detail'];
    where = `${at}.detail`;
  }
  if (!isObject(record)) return folder.skip('not a JSON object', at);
  const eventName = str(record['eventName']);
  const source = str(record['eventSource']);
  const time = isoTime(record['eventTime']);
  if (record['eventCategory'] === 'Insight' || record['eventType'] === 'AwsCloudTrailInsight') return folder.skip('CloudTrail Insights events record no caller', where);
  if (!eventName || !source || !time) return folder.skip('missing eventName, eventSource or eventTime', where);
  const ui = record['userIdentity'];
  if (!isObject(ui)) return folder.skip('no userIdentity', where);

  const region = str(record['awsRegion']);
  const recipient = str(record['recipientAccountId']);
  const service = source.replace(/\.amazonaws\.com$/, '');
  // Lambda and CloudFront name their events with the API version they were called through
  // (UpdateFunctionCode20150331v2, UpdateDistribution2017_03_25); IAM names the action without it.
  const action = `${service}:${eventName.replace(API_VERSION_SUFFIX, '')}`;
  const failed = record['errorCode'] !== undefined && record['errorCode'] !== null;
  // A log file names a handful of callers thousands of times: each is resolved once.
  // (A session ARN names its role and account; the other types are told apart by what they name.)
  const actorKey = `${String(ui['type'])}|${String(ui['arn'] ?? ui['accountId'])}|${String(ui['invokedBy'] ?? ui['identityProvider'])}|${String(ui['userName'])}`;
  let actor = actors.get(actorKey);
  if (actor === undefined && !actors.has(actorKey)) {
    actor = principalOf(ui);
    actors.set(actorKey, actor);
    if (actor) folder.node(actor.node);
  }
  if (!actor) {
    if (str(ui['userName']) === 'HIDDEN_DUE_TO_SECURITY_REASONS') return folder.skip('a failed sign-in with a user name that is no user of the account (AWS hides it)', where);
    return folder.skip(`userIdentity of type ${JSON.stringify(str(ui['type']) ?? 'unknown')} names no principal Blastmap models`, where);
  }
  const event: ObservedEvent = {
    time,
    action,
    ip: str(record['sourceIPAddress']),
    userAgent: str(record['userAgent']),
    region,
    session: actor.session,
    failed,
    at: where,
    eventId: str(record['eventID']),
    by: actor.node.name,
  };

  const call: Call = { folder, record, actor, event, eventName, action, where, params: isObject(record['requestParameters']) ? record['requestParameters'] : {}, account: recipient ?? actor.account, region };
  credentialFacts(call, str(ui['accessKeyId']));
  // A failed call proves who authenticated, not that anything was assumed or touched.
  if (failed) return;
  if (ASSUME.has(eventName)) assumeFacts(call);
  else if (eventName === 'GetSessionToken' || eventName === 'GetFederationToken') {
    const tempKey = issuedKey(record);
    if (tempKey) {
      folder.nodeOnce(ids.awsAccessKey(tempKey), () => keyNode(tempKey, actor.node));
      folder.observe(ids.awsAccessKey(tempKey), actor.node.id, event, `temporary key issued to this principal (${eventName})`, `sts:${eventName}`);
    }
  }
  takeoverFacts(call);
  for (const arn of resourcesOf(record, call.params, region, call.account)) {
    const kind = kindOfArn(arn);
    // OBSERVED_USE is walked by attack paths: calling an API on a user or role (GetRole, ListUserPolicies) is not
    // becoming it, so identities are reached only by assuming or taking them over.
    if (!kind || IDENTITY_KINDS.has(kind) || arn === actor.node.id) continue;
    folder.nodeOnce(arn, () => stub(arn, kind));
    folder.observe(actor.node.id, arn, event, 'called AWS APIs on it', action);
  }
}

/** One usable record, with what its facts are built from. */
interface Call {
  folder: ActivityFolder;
  record: Record<string, unknown>;
  params: Record<string, unknown>;
  actor: Actor;
  event: ObservedEvent;
  eventName: string;
  action: string;
  where: string;
  /** The account the call was made in. */
  account: string | undefined;
  region: string | undefined;
}

/** The credential that signed the call → the principal it acted as: the access key, or the password at sign-in. */
function credentialFacts({ folder, record, actor, event, eventName }: Call, keyId: string | undefined): void {
  if (keyId && /^[A-Za-z0-9_]{4,128}$/.test(keyId)) {
    const key = ids.awsAccessKey(keyId);
    const temporary = keyId.startsWith('ASIA');
    folder.nodeOnce(key, () => keyNode(keyId, actor.node));
    folder.observe(key, actor.node.id, event, temporary ? `temporary key of a session of this ${actor.node.kind === 'aws_role' ? 'role' : 'principal'} was used` : 'the key was used to sign requests as this principal', temporary ? 'session credentials' : 'access key');
  }
  if (eventName === 'ConsoleLogin' && actor.node.kind === 'aws_user') {
    const response = isObject(record['responseElements']) ? record['responseElements'] : {};
    const user = actor.node;
    const password = ids.awsPassword(user.id);
    folder.nodeOnce(password, () => ({ id: password, kind: 'aws_password', name: `console password of ${user.name}`, handles: [], stub: true, ...(user.boundary ? { boundary: user.boundary } : {}), props: { ownerId: user.id } }));
    folder.observe(password, user.id, { ...event, failed: event.failed === true || response['ConsoleLogin'] !== 'Success' }, 'the console password was used to sign in', 'console sign-in');
  }
}

/** AssumeRole*: the caller → the role, and the session's temporary key → the role. */
function assumeFacts({ folder, record, params, actor, event, eventName }: Call): void {
  const roleArn = str(params['roleArn']);
  if (!roleArn) return;
  const session = str(params['roleSessionName']);
  folder.nodeOnce(roleArn, () => stub(roleArn, 'aws_role'));
  folder.observe(actor.node.id, roleArn, { ...event, session }, `assumed the role (${eventName})`, `sts:${eventName}`);
  const tempKey = issuedKey(record);
  if (tempKey) {
    folder.nodeOnce(ids.awsAccessKey(tempKey), () => keyNode(tempKey, stub(roleArn, 'aws_role')));
    folder.observe(ids.awsAccessKey(tempKey), roleArn, { ...event, session }, 'temporary key issued for a session of this role', `sts:${eventName}`);
  }
}

/**
 * A new key or password for a user, or a rewritten trust policy, hands the identity to the caller: a path that was
 * walked, not merely an API call naming it. The ARN is built with the default path '/'.
 */
function takeoverFacts({ folder, record, params, actor, event, action, where, account }: Call): void {
  const takeover = TAKEOVER[action];
  const targetName = takeover ? str(params[takeover.param]) : undefined;
  if (!takeover || !targetName || !account) return;
  const target = `arn:aws:iam::${account}:${takeover.kind === 'aws_user' ? 'user' : 'role'}/${targetName}`;
  // A new key or password goes to the caller; a trust policy is the caller's way in only when it names the caller
  // (Stratus Red Team's backdoor opens a role to an outside account, which the caller is not).
  if (action === 'iam:UpdateAssumeRolePolicy' && trustAdmits(params['policyDocument'], actor) === false) {
    folder.note("a role's trust policy rewritten to admit others, not the caller: no path drawn for the caller", where);
    return;
  }
  folder.nodeOnce(target, () => stub(target, takeover.kind));
  folder.observe(actor.node.id, target, event, takeover.reason, action);
  const created = isObject(record['responseElements']) && isObject(record['responseElements']['accessKey']) ? str(record['responseElements']['accessKey']['accessKeyId']) : undefined;
  if (!created) return;
  const key = ids.awsAccessKey(created);
  folder.nodeOnce(key, () => keyNode(created, stub(target, 'aws_user')));
  folder.fact({
    from: key,
    to: target,
    kind: 'AUTHENTICATES_AS',
    props: {
      reason: `created for ${targetName} by ${actor.node.name} (iam:CreateAccessKey)`,
      evidence: [{ type: 'log-event', summary: `CreateAccessKey for ${targetName} by ${actor.node.name} at ${event.time}${event.ip ? ` from ${event.ip}` : ''}`, location: `${folder.fileName} ${where}`, data: { eventId: event.eventId ?? null, time: event.time } }],
      at: where,
    },
  });
}

/**
 * Whether a trust policy written by the caller lets the caller assume the role: an Allow naming it (its ARN, its
 * session's role, its account, or anyone). Undefined when the document is not in the record (CloudTrail leaves
 * out large request parameters) or cannot be read.
 */
function trustAdmits(raw: unknown, actor: Actor): boolean | undefined {
  const parsed = typeof raw === 'string' ? parseEmbeddedJson(raw) : undefined;
  const doc = parsed && 'value' in parsed ? parsed.value : undefined;
  if (!isObject(doc)) return undefined;
  const account = actor.account ?? arnAccount(actor.node.id);
  const me = new Set(['*', actor.node.id, ...(account ? [account, `arn:aws:iam::${account}:root`] : [])]);
  const statements = Array.isArray(doc['Statement']) ? doc['Statement'] : [doc['Statement']];
  return statements.some((st) => {
    if (!isObject(st) || st['Effect'] !== 'Allow') return false;
    const principal = st['Principal'];
    if (principal === '*') return true;
    if (!isObject(principal)) return false;
    const aws = principal['AWS'];
    return (Array.isArray(aws) ? aws : [aws]).some((v) => typeof v === 'string' && (me.has(v) || roleOfSession(v) === actor.node.id));
  });
}

/** The temporary access key id an STS call returned. */
function issuedKey(record: Record<string, unknown>): string | undefined {
  const response = record['responseElements'];
  return isObject(response) && isObject(response['credentials']) ? str(response['credentials']['accessKeyId']) : undefined;
}

const ASSUME = new Set(['AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML']);
const TAKEOVER: Record<string, { param: string; kind: 'aws_user' | 'aws_role'; reason: string }> = {
  'iam:CreateAccessKey': { param: 'userName', kind: 'aws_user', reason: 'created an access key for it (the key acts as it)' },
  'iam:CreateLoginProfile': { param: 'userName', kind: 'aws_user', reason: 'set its console password' },
  'iam:UpdateLoginProfile': { param: 'userName', kind: 'aws_user', reason: 'changed its console password' },
  'iam:UpdateAssumeRolePolicy': { param: 'roleName', kind: 'aws_role', reason: 'rewrote its trust policy' },
};
const IDENTITY_KINDS = new Set<NodeKind>(['aws_user', 'aws_role', 'aws_group', 'aws_instance_profile']);

interface Actor {
  node: NodeFact;
  account?: string | undefined;
  session?: string | undefined;
}

/** The principal a userIdentity acted as: the IAM user, the role behind a session, root, a federated subject. */
function principalOf(ui: Record<string, unknown>): Actor | undefined {
  const type = str(ui['type']);
  const account = str(ui['accountId']);
  const arn = str(ui['arn']);
  const ctx = isObject(ui['sessionContext']) ? ui['sessionContext'] : {};
  const issuer = isObject(ctx['sessionIssuer']) ? ctx['sessionIssuer'] : {};
  switch (type) {
    case 'IAMUser': {
      if (arn) return { node: stub(arn, 'aws_user'), account };
      // Sign-in events (CheckMfa, a failed ConsoleLogin) name the user and account but give no ARN; the path is
      // unknown, so the ARN is built without it (a GAAD or credential report aliases it to the real one).
      // AWS hides a name typed at a failed sign-in that is no user of the account.
      const userName = str(ui['userName']);
      if (!userName || !account || !ACCOUNT_ID.test(account) || userName === 'HIDDEN_DUE_TO_SECURITY_REASONS') return undefined;
      const userArn = ids.awsUserArnWithoutPath(account, userName);
      return { node: { ...stub(userArn, 'aws_user'), handles: [userArn, userName] }, account };
    }
    case 'Root': {
      const acct = account ?? (arn ? arnAccount(arn) : undefined);
      return acct ? { node: { id: ids.awsRoot(acct), kind: 'aws_root', name: `root of ${acct}`, handles: [ids.awsRoot(acct)], stub: true, boundary: ids.awsAccount(acct) }, account: acct } : undefined;
    }
    case 'AssumedRole': {
      const roleArn = str(issuer['arn']) ?? (arn ? roleOfSession(arn) : undefined);
      const session = arn?.split('/').slice(2).join('/') || undefined;
      return roleArn ? { node: stub(roleArn, 'aws_role'), account, session } : undefined;
    }
    case 'FederatedUser': {
      const userArn = str(issuer['arn']);
      return userArn ? { node: stub(userArn, 'aws_user'), account, session: arn?.split('/').pop() } : undefined;
    }
    case 'WebIdentityUser':
    case 'SAMLUser': {
      const provider = str(ui['identityProvider']);
      const subject = str(ui['userName']) ?? str(ui['principalId']);
      if (!provider || !subject) return undefined;
      const issuerName = provider.replace(/^arn:aws[a-z-]*:iam::\d{12}:(oidc|saml)-provider\//, '');
      const id = ids.federatedSubject(issuerName, subject);
      return { node: { id, kind: 'federated_subject', name: subject, handles: [subject], stub: true, props: { issuer: issuerName, subject, wildcard: false } }, account };
    }
    case 'AWSService': {
      const by = str(ui['invokedBy']);
      return by ? { node: { id: ids.awsService(by), kind: 'aws_service', name: by, handles: [by], stub: true } } : undefined;
    }
    default:
      return undefined;
  }
}

/** arn:aws:sts::111:assumed-role/Name/session → arn:aws:iam::111:role/Name (the path is not in the session ARN). */
function roleOfSession(arn: string): string | undefined {
  const m = /^arn:(aws[a-z-]*):sts::(\d+):assumed-role\/([^/]+)\//.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : undefined;
}

function keyNode(keyId: string, owner: NodeFact): NodeFact {
  const temporary = keyId.startsWith('ASIA');
  return {
    id: ids.awsAccessKey(keyId),
    kind: 'aws_access_key',
    name: keyId,
    handles: [keyId],
    stub: true,
    ...(owner.boundary ? { boundary: owner.boundary } : {}),
    props: { temporary, managedBy: temporary ? 'system' : 'user', ownerId: owner.id },
  };
}

function stub(arn: string, kind: NodeKind): NodeFact {
  const account = arnAccount(arn);
  const name = kind === 'aws_bucket' ? arn.slice('arn:aws:s3:::'.length) : (arn.split(/[/:]/).pop() ?? arn);
  return { id: ids.awsArn(arn), kind, name, handles: [arn], stub: true, ...(account ? { boundary: ids.awsAccount(account) } : {}) };
}

function kindOfArn(arn: string): NodeKind | undefined {
  const m = /^arn:aws[a-z-]*:([^:]+):[^:]*:[^:]*:(.*)$/.exec(arn);
  if (!m) return undefined;
  const [, service, rest] = m as unknown as [string, string, string];
  if (service === 's3') return rest.includes('/') ? undefined : 'aws_bucket';
  if (service === 'secretsmanager' && rest.startsWith('secret:')) return 'aws_secret';
  if (service === 'kms' && rest.startsWith('key/')) return 'aws_kms_key';
  if (service === 'lambda' && rest.startsWith('function:')) return 'aws_lambda';
  if (service === 'ec2' && rest.startsWith('instance/')) return 'aws_instance';
  if (service === 'iam') {
    if (rest.startsWith('role/')) return 'aws_role';
    if (rest.startsWith('user/')) return 'aws_user';
    if (rest.startsWith('group/')) return 'aws_group';
    if (rest.startsWith('instance-profile/')) return 'aws_instance_profile';
  }
  return undefined;
}

/** ARNs a record names: its resources list and the well-known request parameters. */
function resourcesOf(record: Record<string, unknown>, params: Record<string, unknown>, region: string | undefined, account: string | undefined): string[] {
  const out = new Set<string>();
  if (Array.isArray(record['resources'])) {
    for (const r of record['resources']) {
      const arn = isObject(r) ? str(r['ARN']) ?? str(r['arn']) : undefined;
      if (arn) out.add(arn.replace(/^(arn:aws[a-z-]*:s3:::[^/]+)\/.*$/, '$1'));
    }
  }
  const bucket = str(params['bucketName']);
  if (bucket) out.add(`arn:aws:s3:::${bucket}`);
  const secret = str(params['secretId']);
  if (secret?.startsWith('arn:')) out.add(secret);
  const keyId = str(params['keyId']);
  if (keyId?.startsWith('arn:') && keyId.includes(':key/')) out.add(keyId);
  else if (keyId && /^[0-9a-f-]{36}$/.test(keyId) && region && account) out.add(`arn:aws:kms:${region}:${account}:key/${keyId}`);
  const fn = str(params['functionName']);
  if (fn?.startsWith('arn:')) out.add(fn.replace(/^(arn:[^:]+:lambda:[^:]+:\d+:function:[^:]+).*$/, '$1'));
  else if (fn && region && account) out.add(`arn:aws:lambda:${region}:${account}:function:${fn}`);
  const items = isObject(params['instancesSet']) && Array.isArray(params['instancesSet']['items']) ? params['instancesSet']['items'] : [];
  for (const it of items) {
    const id = isObject(it) ? str(it['instanceId']) : undefined;
    if (id && region && account) out.add(`arn:aws:ec2:${region}:${account}:instance/${id}`);
  }
  return [...out];
}
