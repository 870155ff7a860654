import { isJsonObject } from '../model/fragment.js';
import type { GraphFragment, ImportWarning, Json, JsonObject, NodeFact } from '../model/fragment.js';
import { arnAccount, ids } from '../model/ids.js';
import { ImportError, jsonPath } from './errors.js';
import { appendedJsonValues, parseEmbeddedJson } from './json-syntax.js';
import type { Importer } from './types.js';

// `aws iam get-account-authorization-details`: {UserDetailList, GroupDetailList, RoleDetailList, Policies}, as the
// CLI prints it (documents decoded), as the Query API returns it (documents URL-encoded strings), or several pages
// concatenated (`--no-paginate` output saved page by page, with Marker/IsTruncated). Any list may be missing.

const KIND_WORDS: Partial<Record<NodeFact['kind'], string>> = { aws_user: 'user', aws_group: 'group', aws_role: 'role', aws_managed_policy: 'customer managed policy' };

const OWNER_TAGS = ['owner', 'Owner', 'OWNER', 'team', 'Team', 'contact', 'Contact'];

export const awsGaad: Importer = {
  format: 'aws-gaad',
  title: 'AWS IAM account authorization details',
  provider: 'aws',
  producedBy: 'aws iam get-account-authorization-details',
  emits: ['MEMBER_OF'],
  detect(probe) {
    if (!probe.looksJson) return 0;
    const keys = ['"UserDetailList"', '"RoleDetailList"', '"GroupDetailList"'].filter((k) => probe.head.includes(k)).length;
    if (keys >= 2) return 0.95;
    if (keys === 1) return 0.9;
    return /"Policies"\s*:\s*\[/.test(probe.head) && probe.head.includes('"PolicyVersionList"') ? 0.85 : 0;
  },
  parse(input, ctx) {
    const file = input.fileName;
    const pages = readPages(file, input.text(), () => input.json());
    const fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
    // The account ARNs do not name (hand-edited exports): --account, else the one most ARNs name.
    const account = ctx.options.account ?? accountOf(pages);
    if (!account) throw new ImportError(file, 'no account id found in any ARN; pass --account', '$');
    // A merged export holds several accounts: each entity belongs to the account its own ARN names, and each
    // account gets its boundary and admin node.
    const perAccount = new Map<string, Map<string, number>>();
    // The same tallies by boundary id, which every entity carries.
    const perBoundary = new Map<string, Map<string, number>>();
    const boundaryOf = (arn: string): string => {
      const acct = arnAccount(arn) ?? account;
      const b = ids.awsAccount(acct);
      if (!perAccount.has(acct)) {
        const tally = new Map<string, number>();
        perAccount.set(acct, tally);
        perBoundary.set(b, tally);
        fragment.nodes.push({ id: b, kind: 'aws_account', name: acct, handles: [acct, b], props: { accountId: acct } });
        fragment.nodes.push({ id: ids.admin(b), kind: 'admin', name: `Admin of AWS account ${acct}`, boundary: b });
      }
      return b;
    };
    const seen = new Set<string>();
    const add = (n: NodeFact) => {
      // Pages of one export never repeat an entity; a concatenation of two exports may: keep the first.
      if (seen.has(n.id)) return;
      seen.add(n.id);
      fragment.nodes.push(n);
      const tally = n.boundary ? perBoundary.get(n.boundary) : undefined;
      const what = KIND_WORDS[n.kind];
      if (tally && what) tally.set(what, (tally.get(what) ?? 0) + 1);
    };
    // ARNs in the file name the account; a hand-edited 'aws' account (CloudMapper's demo) is mapped to the file's.
    const fix = (arn: string) => (arnAccount(arn) || !/^arn:[^:]+:iam::[^:]*:(user|group|role|instance-profile)\//.test(arn) ? arn : arn.replace(/^(arn:[^:]+:iam::)[^:]*:/, `$1${account}:`));

    // GroupList holds names only; the group's ARN (with its path) comes from GroupDetailList, in the user's account.
    const groupArns = new Map<string, string>();
    for (const { doc } of pages) {
      const groups = doc['GroupDetailList'];
      if (Array.isArray(groups)) {
        for (const g of groups) {
          if (!isJsonObject(g) || typeof g['GroupName'] !== 'string' || typeof g['Arn'] !== 'string') continue;
          const groupArn = fix(g['Arn']);
          groupArns.set(`${arnAccount(groupArn) ?? account}/${g['GroupName']}`, groupArn);
        }
      }
    }

    // Attached policies the export does not describe (a filtered export): their permissions cannot be evaluated.
    const attachedAt = new Map<string, string>();
    pages.forEach((page, p) => {
      const at = (...parts: (string | number)[]) => (pages.length > 1 ? `page ${p + 1} ` : '') + jsonPath(...parts);
      const list = (key: string): JsonObject[] => {
        const v = page.doc[key];
        if (v === undefined || v === null) return [];
        if (!Array.isArray(v)) throw new ImportError(file, `expected "${key}" to be an array`, at(key));
        v.forEach((item, i) => {
          if (!isJsonObject(item)) throw new ImportError(file, 'expected an object', at(key, i));
        });
        return v as JsonObject[];
      };
      // Places are spelled out only for an error or a warning (an export holds tens of thousands of entities).
      const str = (o: JsonObject, key: string, where: Where): string => {
        const v = o[key];
        if (typeof v !== 'string' || !v) throw new ImportError(file, `"${key}" must be a non-empty string`, `${place(where)}.${key}`);
        return v;
      };
      const opt = (o: JsonObject, key: string): string | undefined => (typeof o[key] === 'string' ? (o[key] as string) : undefined);
      const inline = (o: JsonObject, key: string, where: Where): Json[] =>
        arr(o[key], () => `${place(where)}.${key}`).map((pol, i) => {
          const w = () => `${place(where)}.${key}[${i}]`;
          if (!isJsonObject(pol)) throw new ImportError(file, 'expected an inline policy object', w());
          return { name: str(pol, 'PolicyName', w), document: policyDocument(file, pol['PolicyDocument'], () => `${w()}.PolicyDocument`) };
        });
      const attached = (o: JsonObject, where: Where): Json[] =>
        arr(o['AttachedManagedPolicies'], () => `${place(where)}.AttachedManagedPolicies`).map((a, i) => {
          const w = () => `${place(where)}.AttachedManagedPolicies[${i}]`;
          if (!isJsonObject(a)) throw new ImportError(file, 'expected {PolicyName, PolicyArn}', w());
          const policyArn = fix(str(a, 'PolicyArn', w));
          if (!attachedAt.has(policyArn)) attachedAt.set(policyArn, w());
          return policyArn;
        });
      const arr = (v: Json | undefined, where: Where): Json[] => {
        if (v === undefined || v === null) return [];
        if (!Array.isArray(v)) throw new ImportError(file, 'expected an array', place(where));
        return v;
      };
      const permissionsBoundaryOf = (o: JsonObject): string | undefined => {
        const pb = o['PermissionsBoundary'];
        return isJsonObject(pb) && typeof pb['PermissionsBoundaryArn'] === 'string' ? fix(pb['PermissionsBoundaryArn']) : undefined;
      };

      list('UserDetailList').forEach((u, i) => {
        const w = at('UserDetailList', i);
        const arn = fix(str(u, 'Arn', w));
        const name = str(u, 'UserName', w);
        const tags = tagsOf(u['Tags']);
        const groups = arr(u['GroupList'], `${w}.GroupList`).filter((g): g is string => typeof g === 'string');
        const pb = permissionsBoundaryOf(u);
        const userAccount = arnAccount(arn) ?? account;
        add({
          id: ids.awsArn(arn),
          kind: 'aws_user',
          name,
          boundary: boundaryOf(arn),
          handles: [arn, name, ...(opt(u, 'UserId') ? [opt(u, 'UserId')!] : [])],
          props: clean({
            userName: name,
            userId: opt(u, 'UserId'),
            path: opt(u, 'Path'),
            createdAt: isoDate(u['CreateDate']),
            tags,
            owner: ownerOf(tags),
            accountId: userAccount,
            permissionsBoundary: pb,
            inlinePolicies: inline(u, 'UserPolicyList', w),
            attachedPolicies: attached(u, w),
            groups,
          }),
        });
        const partition = partitionOf(arn);
        // Outputs that name a user but not its path (CloudTrail sign-in events, list-access-keys) build its ARN
        // without the path: the same user.
        const plain = ids.awsUserArnWithoutPath(userAccount, name, partition);
        if (plain !== arn) (fragment.aliases ??= []).push({ from: plain, to: ids.awsArn(arn) });
        for (const g of groups) fragment.edges.push({ from: arn, to: groupArns.get(`${userAccount}/${g}`) ?? `arn:${partition}:iam::${userAccount}:group/${g}`, kind: 'MEMBER_OF', props: { at: `${w}.GroupList` } });
      });

      list('GroupDetailList').forEach((g, i) => {
        const w = () => at('GroupDetailList', i);
        const arn = fix(str(g, 'Arn', w));
        const name = str(g, 'GroupName', w);
        add({
          id: ids.awsArn(arn),
          kind: 'aws_group',
          name,
          boundary: boundaryOf(arn),
          handles: [arn, name, ...(opt(g, 'GroupId') ? [opt(g, 'GroupId')!] : [])],
          props: clean({ groupName: name, groupId: opt(g, 'GroupId'), path: opt(g, 'Path'), createdAt: isoDate(g['CreateDate']), inlinePolicies: inline(g, 'GroupPolicyList', w), attachedPolicies: attached(g, w) }),
        });
      });

      list('RoleDetailList').forEach((r, i) => {
        const w = () => at('RoleDetailList', i);
        const arn = fix(str(r, 'Arn', w));
        const name = str(r, 'RoleName', w);
        const tags = tagsOf(r['Tags']);
        const lastUsed = isJsonObject(r['RoleLastUsed']) ? r['RoleLastUsed'] : undefined;
        const profiles = arr(r['InstanceProfileList'], () => `${w()}.InstanceProfileList`).filter(isJsonObject);
        const pb = permissionsBoundaryOf(r);
        const trustPolicy = r['AssumeRolePolicyDocument'] === undefined ? undefined : policyDocument(file, r['AssumeRolePolicyDocument'], () => `${w()}.AssumeRolePolicyDocument`);
        add({
          id: ids.awsArn(arn),
          kind: 'aws_role',
          name,
          boundary: boundaryOf(arn),
          handles: [arn, name, ...(opt(r, 'RoleId') ? [opt(r, 'RoleId')!] : [])],
          props: clean({
            roleName: name,
            roleId: opt(r, 'RoleId'),
            path: opt(r, 'Path'),
            createdAt: isoDate(r['CreateDate']),
            tags,
            owner: ownerOf(tags),
            accountId: arnAccount(arn) ?? account,
            trustPolicy,
            inlinePolicies: inline(r, 'RolePolicyList', w),
            attachedPolicies: attached(r, w),
            permissionsBoundary: pb,
            // Unused roles carry RoleLastUsed {} : known never used only when the key is present.
            lastUsedAt: lastUsed ? (isoDate(lastUsed['LastUsedDate']) ?? null) : undefined,
            lastUsedRegion: lastUsed ? opt(lastUsed, 'Region') : undefined,
            instanceProfiles: profiles.map((ip) => fix(String(ip['Arn'] ?? ''))).filter(Boolean),
            maxSessionDuration: typeof r['MaxSessionDuration'] === 'number' ? r['MaxSessionDuration'] : undefined,
          }),
        });
        // EKS's aws-auth ConfigMap names a role by its ARN without the IAM path: the same role.
        const plainRole = `arn:${partitionOf(arn)}:iam::${arnAccount(arn) ?? account}:role/${name}`;
        if (plainRole !== arn) (fragment.aliases ??= []).push({ from: plainRole, to: ids.awsArn(arn) });
        deletedPrincipals(trustPolicy).forEach((uid) =>
          fragment.warnings.push({ message: `the trust policy of role ${name} names ${uid}, the unique id of a deleted principal: it matches nobody until rewritten`, location: `${w()}.AssumeRolePolicyDocument` }),
        );
        profiles.forEach((ip, k) => {
          const ipArn = typeof ip['Arn'] === 'string' ? fix(ip['Arn']) : undefined;
          if (!ipArn) throw new ImportError(file, '"Arn" must be a non-empty string', `${w()}.InstanceProfileList[${k}].Arn`);
          const roles = arr(ip['Roles'], () => `${w()}.InstanceProfileList[${k}].Roles`)
            .filter(isJsonObject)
            .map((x) => (typeof x['Arn'] === 'string' ? fix(x['Arn']) : ''))
            .filter(Boolean);
          add({
            id: ids.awsArn(ipArn),
            kind: 'aws_instance_profile',
            name: opt(ip, 'InstanceProfileName') ?? ipArn.split('/').pop()!,
            boundary: boundaryOf(ipArn),
            handles: [ipArn, ...(opt(ip, 'InstanceProfileId') ? [opt(ip, 'InstanceProfileId')!] : [])],
            props: { roles: roles.length ? roles : [arn] },
          });
        });
      });

      list('Policies').forEach((pol, i) => {
        const w = () => at('Policies', i);
        const arn = fix(str(pol, 'Arn', w));
        const name = str(pol, 'PolicyName', w);
        const defaultVersionId = opt(pol, 'DefaultVersionId');
        const versions = arr(pol['PolicyVersionList'], () => `${w()}.PolicyVersionList`).map((v, k) => {
          const vw = () => `${w()}.PolicyVersionList[${k}]`;
          if (!isJsonObject(v)) throw new ImportError(file, 'expected a policy version object', vw());
          const doc = v['Document'];
          return clean({
            versionId: opt(v, 'VersionId'),
            isDefault: v['IsDefaultVersion'] === true || (defaultVersionId !== undefined && v['VersionId'] === defaultVersionId),
            createdAt: isoDate(v['CreateDate']),
            document: isDecodedDocument(doc) ? doc : policyDocument(file, doc, () => `${vw()}.Document`),
          });
        });
        const def = versions.find((v) => v['isDefault'] === true);
        if (!def) fragment.warnings.push({ message: `policy ${name} has no default version in the export; its permissions are unknown`, location: w() });
        add({
          id: ids.awsArn(arn),
          kind: 'aws_managed_policy',
          name,
          boundary: arnAccount(arn) ? boundaryOf(arn) : undefined,
          handles: [arn, ...(opt(pol, 'PolicyId') ? [opt(pol, 'PolicyId')!] : [])],
          props: clean({
            policyName: name,
            policyId: opt(pol, 'PolicyId'),
            path: opt(pol, 'Path'),
            awsManaged: arn.includes(':iam::aws:policy/'),
            defaultVersionId,
            document: def?.['document'],
            versions,
            attachmentCount: typeof pol['AttachmentCount'] === 'number' ? pol['AttachmentCount'] : undefined,
            permissionsBoundaryUsageCount: typeof pol['PermissionsBoundaryUsageCount'] === 'number' ? pol['PermissionsBoundaryUsageCount'] : undefined,
            createdAt: isoDate(pol['CreateDate']),
            updatedAt: isoDate(pol['UpdateDate']),
          }),
        });
      });
      if (page.doc['IsTruncated'] === true && p === pages.length - 1) {
        fragment.warnings.push({ message: 'the export is truncated (IsTruncated: true): entities after the last Marker are missing', location: at('IsTruncated') });
      }
    });
    if (!perAccount.size) boundaryOf(`arn:aws:iam::${account}:root`);
    if (perAccount.size > 1) {
      const each = [...perAccount].map(([acct, tally]) => `${acct} (${[...tally].map(([what, n]) => `${n} ${n === 1 ? what : what.replace(/y$/, 'ie')}${n === 1 ? '' : 's'}`).join(', ')})`);
      fragment.warnings.push({ message: `the export mixes ${perAccount.size} AWS accounts: ${each.join('; ')}. Each user, group, role and policy is filed under the account its own ARN names`, location: '$' });
    }
    const missing = [...attachedAt].filter(([policyArn]) => !seen.has(policyArn));
    if (missing.length) fragment.warnings.push(...missingPolicies(missing, pages));
    return fragment;
  },
};

const AWS_MANAGED = ':iam::aws:policy/';

/**
 * The attached managed policies the file does not describe. When the file says why (`--filter Role`, or User or
 * Group, leaves out the Policies list; `--filter LocalManagedPolicy` the AWS managed policies; `--filter
 * AWSManagedPolicy` the customer managed ones), one warning with the count, the first few names and the reason, placed
 * where the first is attached: a role-only export of a real account attaches dozens, which were a line each.
 * Otherwise (a policy missing from a whole export), one warning per policy, each where it is attached.
 */
function missingPolicies(missing: [string, string][], pages: Page[]): ImportWarning[] {
  const listed = pages.flatMap(({ doc }) => (Array.isArray(doc['Policies']) ? [doc['Policies']] : []));
  const listedArns = listed.flat().map((p) => (isJsonObject(p) && typeof p['Arn'] === 'string' ? p['Arn'] : ''));
  const awsOnly = missing.every(([arn]) => arn.includes(AWS_MANAGED));
  const localOnly = missing.every(([arn]) => !arn.includes(AWS_MANAGED));
  let why: string | undefined;
  if (!listed.length) why = 'the file has no Policies list: it was exported with --filter without LocalManagedPolicy and AWSManagedPolicy (aws iam get-account-authorization-details --filter Role, for one)';
  else if (awsOnly && !listedArns.some((a) => a.includes(AWS_MANAGED))) why = 'its Policies list holds no AWS managed policy: it was exported with --filter LocalManagedPolicy, without AWSManagedPolicy';
  else if (localOnly && listedArns.length > 0 && listedArns.every((a) => a.includes(AWS_MANAGED))) why = 'its Policies list holds only AWS managed policies: it was exported with --filter AWSManagedPolicy, without LocalManagedPolicy';
  const adminNote = (arns: string[]) => (arns.some((arn) => arn.endsWith(':policy/AdministratorAccess')) ? ' (AdministratorAccess is known by name and counted as * on *)' : '');
  if (!why) return missing.map(([arn, where]) => ({ message: `policy ${arn} is attached but not in the export's Policies list: its permissions are not evaluated${adminNote([arn])}`, location: where }));
  const n = missing.length;
  const names = missing.slice(0, 5).map(([arn]) => arn.slice(arn.lastIndexOf('/') + 1));
  const more = n > names.length ? ` and ${n - names.length} more` : '';
  const message = `${n} attached managed ${n === 1 ? 'policy is' : 'policies are'} not in the file (${names.join(', ')}${more}): ${why}; their permissions are not evaluated${adminNote(missing.map(([arn]) => arn))}. Export again without --filter (or with LocalManagedPolicy and AWSManagedPolicy in it) to have them`;
  return [{ message, location: missing[0]![1] }];
}

/** AWS replaces a deleted principal in a trust policy by its unique id (AIDA…, AROA…). */
function deletedPrincipals(trust: Json | undefined): string[] {
  const out: string[] = [];
  const statements = isJsonObject(trust) ? trust['Statement'] : undefined;
  for (const st of Array.isArray(statements) ? statements : isJsonObject(statements) ? [statements] : []) {
    const principal = isJsonObject(st) ? st['Principal'] : undefined;
    const aws = isJsonObject(principal) ? principal['AWS'] : undefined;
    for (const v of Array.isArray(aws) ? aws : [aws]) if (typeof v === 'string' && /^A(IDA|ROA)[A-Z0-9]{12,}$/.test(v)) out.push(v);
  }
  return out;
}

interface Page {
  doc: JsonObject;
}

/** One JSON document, or several concatenated (one page per `aws … --max-items` call saved to the same file). */
function readPages(file: string, text: string, parseOne: () => unknown): Page[] {
  const trimmed = text.trim();
  let single: unknown;
  try {
    single = parseOne();
  } catch (err) {
    const docs = splitConcatenated(file, trimmed);
    if (!docs) throw err;
    return docs.map((d, i) => {
      if (!isJsonObject(d)) throw new ImportError(file, 'expected a JSON object', `page ${i + 1} $`);
      return { doc: d };
    });
  }
  if (Array.isArray(single) && single.every(isJsonObject)) return (single as JsonObject[]).map((doc) => ({ doc }));
  if (!isJsonObject(single)) throw new ImportError(file, 'expected a JSON object with UserDetailList, GroupDetailList, RoleDetailList or Policies', '$');
  return [{ doc: single }];
}

/** `{…}{…}` / `{…}\n{…}` as documents; undefined unless it is several that all parse. */
function splitConcatenated(file: string, text: string): unknown[] | undefined {
  try {
    const docs = Array.from(appendedJsonValues(file, text), (d) => d.value);
    return docs.length > 1 ? docs : undefined;
  } catch {
    return undefined;
  }
}

/** The account most ARNs in the file name (a few entries of hand-edited exports name another). */
function accountOf(pages: Page[]): string | undefined {
  const counts = new Map<string, number>();
  for (const { doc } of pages) {
    for (const key of ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies']) {
      const list = doc[key];
      if (!Array.isArray(list)) continue;
      for (const item of list) {
        const arn = isJsonObject(item) && typeof item['Arn'] === 'string' ? item['Arn'] : undefined;
        const acct = arn ? arnAccount(arn) : undefined;
        if (acct) counts.set(acct, (counts.get(acct) ?? 0) + 1);
      }
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** The partition of an ARN (its second field), 'aws' when it has none: without an array of its fields per user. */
function partitionOf(arn: string): string {
  const a = arn.indexOf(':');
  if (a === -1) return 'aws';
  const b = arn.indexOf(':', a + 1);
  return arn.slice(a + 1, b === -1 ? undefined : b);
}

/** Where in the file, spelled out when asked (for an error). */
type Where = string | (() => string);
const place = (where: Where): string => (typeof where === 'string' ? where : where());

/** A policy document as stored: decoded JSON; URL-encoded strings (the Query API's form) are decoded first. */
export function policyDocument(file: string, raw: Json | undefined, where: Where): JsonObject {
  let doc: unknown = raw;
  if (typeof raw === 'string') {
    let text = raw;
    if (!raw.trimStart().startsWith('{')) {
      try {
        text = decodeURIComponent(raw.replace(/\+/g, '%20'));
      } catch {
        throw new ImportError(file, 'the policy document is neither JSON nor URL-encoded JSON', place(where));
      }
    }
    const parsed = parseEmbeddedJson(text);
    if ('error' in parsed) throw new ImportError(file, `the policy document is not valid JSON: ${parsed.error}`, place(where));
    doc = parsed.value;
  }
  if (!isJsonObject(doc)) throw new ImportError(file, 'expected a policy document object', place(where));
  const st = doc['Statement'];
  if (st !== undefined && !isJsonObject(st) && !Array.isArray(st)) throw new ImportError(file, '"Statement" must be an object or an array', `${place(where)}.Statement`);
  return doc as JsonObject;
}

/** A document as the CLI prints it (decoded, its Statement absent, an object or an array): what policyDocument returns unchanged. */
function isDecodedDocument(doc: Json | undefined): doc is JsonObject {
  if (!isJsonObject(doc)) return false;
  const st = doc['Statement'];
  return st === undefined || Array.isArray(st) || isJsonObject(st);
}

/** ISO-8601 in UTC from the shapes exports use: 'Z', '+00:00', a space for 'T', no zone (UTC), millis. */
export function isoDate(v: Json | undefined): string | undefined {
  if (typeof v !== 'string' || !v) return undefined;
  // An export repeats a handful of dates (one per batch of roles created together) tens of thousands of times, and
  // Date parsing is the slow part: each text is parsed once (the answer depends on the text alone).
  const seen = isoDates.get(v);
  if (seen !== undefined || isoDates.has(v)) return seen;
  let s = v.trim().replace(' ', 'T');
  if (!/(Z|[+-]\d\d:?\d\d)$/.test(s)) s += 'Z';
  const d = new Date(s);
  const iso = Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace('.000Z', 'Z');
  if (isoDates.size >= ISO_DATES_KEPT) isoDates.clear();
  isoDates.set(v, iso);
  return iso;
}
const isoDates = new Map<string, string | undefined>();
/** Enough for the distinct dates of any export; a file of all-different dates just parses each. */
const ISO_DATES_KEPT = 10_000;

function tagsOf(v: Json | undefined): Record<string, string> | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const t of v) if (isJsonObject(t) && typeof t['Key'] === 'string') out[t['Key']] = typeof t['Value'] === 'string' ? t['Value'] : '';
  return out;
}

function ownerOf(tags: Record<string, string> | undefined): string | undefined {
  if (!tags) return undefined;
  for (const k of OWNER_TAGS) if (tags[k]) return tags[k];
  return undefined;
}

/** Drops undefined members so props stay JSON. */
function clean(o: Record<string, Json | Record<string, string> | undefined>): JsonObject {
  const out: JsonObject = {};
  // for…in, not Object.entries: the same keys in the same order, without an array of pairs per entity.
  for (const k in o) {
    const v = o[k];
    if (v !== undefined) out[k] = v as Json;
  }
  return out;
}

