import { isObject } from '../model/fragment.js';
import type { GraphFragment, JsonObject, NodeFact } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import { accountOption, accountStubs, awsDate, jsonValues } from './aws-util.js';
import { ImportError, jsonPath, shown } from './errors.js';
import type { Importer } from './types.js';

// `aws iam list-access-keys [--user-name U]` ({AccessKeyMetadata: [{UserName, AccessKeyId, Status, CreateDate}]}),
// one output or several in one file (printed one after another, or as a JSON array of outputs), and
// `aws iam get-access-key-last-used` ({UserName, AccessKeyLastUsed: {LastUsedDate?, ServiceName, Region}}) when a
// script has added the AccessKeyId it asked about (the CLI output does not repeat it).
//
// The outputs name users but not their account: --account supplies it, or the case does when the user names are
// those of exactly one account it holds (or that another file of the same import brings), with a warning. Users
// are written as the ARN without a path (all the output allows) with the user name as a handle; a credential
// report or GAAD import aliases that ARN to the user's real one when it has a path.

const KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{12,124}$/;

export const awsAccessKeys: Importer = {
  format: 'aws-access-keys',
  title: 'AWS IAM access keys (list-access-keys / get-access-key-last-used JSON)',
  provider: 'aws',
  producedBy: 'aws iam list-access-keys [--user-name U] (one output or several per file; --account, unless the case knows its users); aws iam get-access-key-last-used with AccessKeyId added',
  emits: ['AUTHENTICATES_AS'],
  readsCase: true,
  detect(probe) {
    if (!probe.looksJson) return 0;
    if (/"AccessKeyMetadata"\s*:\s*\[/.test(probe.head)) return 0.95;
    if (/"AccessKeyLastUsed"\s*:\s*\{/.test(probe.head)) return 0.9;
    return 0;
  },
  parse(input, ctx) {
    const file = input.fileName;
    const values = jsonValues(input);
    if (values.length === 0) throw new ImportError(file, 'the file holds no JSON value', 'line 1');
    const outputs: { value: unknown; path: (string | number)[] }[] = [];
    for (const [i, { value }] of values.entries()) {
      const base: (string | number)[] = values.length > 1 ? [`#${i + 1}`] : [];
      if (Array.isArray(value)) value.forEach((v, j) => outputs.push({ value: v, path: [...base, j] }));
      else outputs.push({ value, path: base });
    }

    const keys = new Map<string, { node: NodeFact; at: string }>();
    const lastUsed: { keyId: string; props: JsonObject }[] = [];
    const fragment: GraphFragment = { nodes: [], edges: [], warnings: [], aliases: [] };
    let account: string | undefined;
    const needAccount = () => {
      account ??= accountOption(file, ctx.options.account) ?? inferAccount(file, userNames(outputs), ctx, fragment);
      return account;
    };
    // The account's id, made once for all its keys and users.
    let boundary: string | undefined;
    const accountBoundary = () => (boundary ??= ids.awsAccount(needAccount()));

    for (const { value, path } of outputs) {
      const where = (...more: (string | number)[]) => at(path, more);
      if (!isObject(value)) throw new ImportError(file, 'expected a list-access-keys or get-access-key-last-used output object', where());
      const list = value['AccessKeyMetadata'];
      if (value['IsTruncated'] === true || typeof value['NextToken'] === 'string' || typeof value['Marker'] === 'string') {
        fragment.warnings.push({ message: 'this output is one page of several (IsTruncated/NextToken): keys on later pages are missing; run the command without --max-items', location: where() });
      }
      if (Array.isArray(list)) {
        list.forEach((raw, i) => {
          const node = readKey(file, raw, () => where('AccessKeyMetadata', i), accountBoundary());
          const prev = keys.get(node.id)?.node;
          if (prev && prev.props?.['createdAt'] !== node.props?.['createdAt']) {
            fragment.warnings.push({ message: `${node.name} is listed twice with different creation times; the later entry is used`, location: where('AccessKeyMetadata', i) });
          }
          keys.set(node.id, { node, at: where('AccessKeyMetadata', i) });
        });
        continue;
      }
      if (isObject(value['AccessKeyLastUsed'])) {
        const keyId = value['AccessKeyId'];
        if (typeof keyId !== 'string' || !KEY_ID.test(keyId)) {
          fragment.warnings.push({ message: 'get-access-key-last-used output skipped: it does not name the access key (add "AccessKeyId" to each saved output)', location: where() });
          continue;
        }
        lastUsed.push({ keyId, props: readLastUsed(file, value['AccessKeyLastUsed'], where('AccessKeyLastUsed')) });
        continue;
      }
      throw new ImportError(file, 'expected "AccessKeyMetadata": [...] (list-access-keys) or "AccessKeyLastUsed": {...} (get-access-key-last-used)', where());
    }

    for (const { keyId, props } of lastUsed) {
      const key = keys.get(ids.awsAccessKey(keyId))?.node;
      if (key) key.props = { ...key.props, ...props };
      else {
        // The key is described elsewhere (another file); this adds its last use.
        const acct = needAccount();
        fragment.nodes.push({ id: ids.awsAccessKey(keyId), kind: 'aws_access_key', name: keyId, handles: [keyId], boundary: ids.awsAccount(acct), stub: true, props });
      }
    }

    const users = new Map<string, NodeFact>();
    for (const { node: key, at: place } of keys.values()) {
      fragment.nodes.push(key);
      const userName = key.props!['userName'] as string;
      const acct = account!;
      const userArn = ids.awsUserArnWithoutPath(acct, userName);
      if (!users.has(userArn)) {
        users.set(userArn, { id: userArn, kind: 'aws_user', name: userName, handles: [userArn, userName], boundary: key.boundary!, stub: true, props: { userName, accountId: acct } });
      }
      fragment.edges.push({ from: key.id, to: userArn, kind: 'AUTHENTICATES_AS', props: { reason: 'authenticates as the user it belongs to (list-access-keys)', at: place } });
      const created = key.props!['createdAt'];
      if (typeof created === 'string') fragment.aliases!.push({ from: ids.awsKeyRendezvous(acct, userName, created), to: key.id });
    }
    fragment.nodes.push(...users.values());
    if (account) fragment.nodes.push(...accountStubs(account));
    return fragment;
  },
};

/** The user names the outputs mention (keys' owners, last-use outputs' UserName). */
function userNames(outputs: { value: unknown }[]): Set<string> {
  const names = new Set<string>();
  for (const { value } of outputs) {
    if (!isObject(value)) continue;
    if (typeof value['UserName'] === 'string' && value['UserName']) names.add(value['UserName']);
    const list = value['AccessKeyMetadata'];
    if (Array.isArray(list)) for (const k of list) if (isObject(k) && typeof k['UserName'] === 'string' && k['UserName']) names.add(k['UserName']);
  }
  return names;
}

/**
 * The account of outputs that do not name it: the one account that has a user of each name the case knows (the
 * case as it stands, with the import's other files). Refused when the names match no account or several.
 */
function inferAccount(file: string, names: Set<string>, ctx: Parameters<Importer['parse']>[1], fragment: GraphFragment): string {
  const pass = 'pass --account <12-digit account id>';
  const known = ctx.known?.awsUserAccounts();
  let candidates: Set<string> | undefined;
  const matched: string[] = [];
  for (const name of names) {
    const accounts = known?.get(name);
    if (!accounts?.size) continue;
    matched.push(name);
    candidates = candidates ? new Set([...candidates].filter((a) => accounts.has(a))) : new Set(accounts);
  }
  if (!candidates) {
    throw new ImportError(file, `list-access-keys output does not say which AWS account its users are in, and none of its users (${[...names].slice(0, 5).join(', ') || 'none'}) is in the case or this import; ${pass}`);
  }
  if (candidates.size !== 1) {
    const each = matched.slice(0, 5).map((n) => `${n} in ${[...known!.get(n)!].join(' and ')}`).join('; ');
    throw new ImportError(file, `list-access-keys output does not say which AWS account its users are in, and their names fit ${candidates.size ? `${candidates.size} accounts` : 'no single account'} (${each}); ${pass}`);
  }
  const account = [...candidates][0]!;
  const unmatched = [...names].filter((n) => !matched.includes(n));
  fragment.warnings.push({
    message: `no --account given: the keys are filed under account ${account}, the only account with users named ${matched.slice(0, 5).join(', ')}${matched.length > 5 ? ` and ${matched.length - 5} more` : ''}${unmatched.length ? ` (${unmatched.length} other user name${unmatched.length === 1 ? ' is' : 's are'} not in the case: ${unmatched.slice(0, 5).join(', ')})` : ''}`,
  });
  return account;
}

function at(base: (string | number)[], more: (string | number)[]): string {
  const [first, ...rest] = base;
  // Several outputs in one file: "output #2, $.AccessKeyMetadata[0]".
  if (typeof first === 'string' && first.startsWith('#')) return `output ${first}, ${jsonPath(...rest, ...more)}`;
  return jsonPath(...base, ...more);
}

function readKey(file: string, raw: unknown, where: () => string, boundary: string): NodeFact {
  if (!isObject(raw)) throw new ImportError(file, 'expected an access key entry {UserName, AccessKeyId, Status, CreateDate}', where());
  const keyId = raw['AccessKeyId'];
  const userName = raw['UserName'];
  const status = raw['Status'];
  if (typeof keyId !== 'string' || !KEY_ID.test(keyId)) throw new ImportError(file, keyId === undefined ? 'the entry has no AccessKeyId' : `AccessKeyId ${shown(keyId)} is not an access key id (AKIA…)`, `${where()}.AccessKeyId`);
  if (typeof userName !== 'string' || !userName) {
    throw new ImportError(file, 'the entry has no UserName (the root user\'s own keys are listed without one; they are in the credential report)', `${where()}.UserName`);
  }
  if (status !== 'Active' && status !== 'Inactive') throw new ImportError(file, `Status ${shown(status)} is neither Active nor Inactive`, `${where()}.Status`);
  const createdAt = awsDate(raw['CreateDate']);
  if (raw['CreateDate'] !== undefined && !createdAt) throw new ImportError(file, `CreateDate ${shown(raw['CreateDate'])} is not a date`, `${where()}.CreateDate`);
  // No ownerId: the user's real ARN may have a path this output does not show; the AUTHENTICATES_AS edge, read
  // through the store's aliases, names the owner.
  const props: JsonObject = { userName, status, active: status === 'Active', managedBy: 'user' };
  if (createdAt) props['createdAt'] = createdAt;
  return { id: ids.awsAccessKey(keyId), kind: 'aws_access_key', name: keyId, handles: [keyId], boundary, props };
}

function readLastUsed(file: string, raw: Record<string, unknown>, where: string): JsonObject {
  const date = raw['LastUsedDate'];
  const props: JsonObject = {};
  if (date === undefined || date === null) props['lastUsedAt'] = null;
  else {
    const d = awsDate(date);
    if (!d) throw new ImportError(file, `LastUsedDate ${shown(date)} is not a date`, `${where}.LastUsedDate`);
    props['lastUsedAt'] = d;
  }
  // Never used: ServiceName and Region read 'N/A'.
  for (const [field, prop] of [['ServiceName', 'lastUsedService'], ['Region', 'lastUsedRegion']] as const) {
    const v = raw[field];
    if (typeof v === 'string' && v && v !== 'N/A') props[prop] = v;
  }
  return props;
}
