import { isObject } from '../model/fragment.js';
import { basename } from 'node:path';
import type { EdgeFact, GraphFragment, Json, JsonObject, NodeFact } from '../model/fragment.js';
import { arnAccount, ids } from '../model/ids.js';
import { accountOption, accountStubs, awsDate, outputItems, policyDocument, type OutputItem } from './aws-util.js';
import { ImportError } from './errors.js';
import type { Importer } from './types.js';
import { str, unique } from './json-values.js';

// The IAM read calls people run when get-account-authorization-details is not allowed, one output per file or many
// appended to one file (a script looping over roles): get-role / list-roles, get-user / list-users, get-group /
// list-groups / list-groups-for-user, list-policies / get-policy / get-policy-version, list-attached-{role,user,group}-
// policies, get-{role,user,group}-policy. Written with the props a GAAD import writes, onto the same ARNs, so the
// AWS rules evaluate them as if GAAD had been imported. Outputs that do not name their principal (list-attached-*,
// list-groups-for-user, get-policy-version) belong to the get-role / get-user / get-group / get-policy output before
// them in the file, to the name they were given ("RoleName": … added to the output), or to the name in the file name
// (list-attached-role-policies-<role>.json). An inline policy is stored under its own key (inlinePolicy:<name>), so
// one file per policy adds up instead of each replacing the last.

const OWNER_TAGS = ['owner', 'Owner', 'OWNER', 'team', 'Team', 'contact', 'Contact'];
type Kind = 'role' | 'user' | 'group';

export const awsIamCli: Importer = {
  format: 'aws-iam-cli',
  title: 'AWS IAM read outputs (get-role, list-roles, list-users, list-policies, get-policy-version, list-attached-*-policies, get-*-policy…)',
  provider: 'aws',
  producedBy: 'aws iam get-role | list-roles | get-user | list-users | get-group | list-groups | list-policies | get-policy | get-policy-version | list-attached-role-policies | get-role-policy …',
  emits: ['MEMBER_OF'],
  detect(probe) {
    if (!probe.looksJson) return 0;
    const h = probe.head;
    // GAAD, SCPs and resource policies have their own importers.
    if (/"(UserDetailList|RoleDetailList|GroupDetailList|PolicyVersionList|PolicySummary|AccessKeyMetadata)"/.test(h)) return 0;
    if (/"(Role|User|Group)"\s*:\s*\{/.test(h) && /"(RoleName|UserName|GroupName)"\s*:/.test(h)) return 0.9;
    if (/"(Roles|Users|Groups)"\s*:\s*\[/.test(h) && /"(RoleName|UserName|GroupName)"\s*:/.test(h) && /"Arn"\s*:/.test(h)) return 0.9;
    if (/"Polic(y|ies)"\s*:\s*[[{]/.test(h) && /"DefaultVersionId"\s*:/.test(h)) return 0.9;
    if (/"PolicyVersion"\s*:\s*\{/.test(h) && /"Document"\s*:/.test(h)) return 0.9;
    if (/"AttachedPolicies"\s*:\s*\[/.test(h) || /"PolicyNames"\s*:\s*\[/.test(h)) return 0.9;
    if (/"PolicyDocument"\s*:/.test(h) && /"PolicyName"\s*:/.test(h) && /"(RoleName|UserName|GroupName)"\s*:/.test(h)) return 0.9;
    return 0;
  },
  parse(input, ctx) {
    return new CliReader(input.fileName, accountOption(input.fileName, ctx.options.account)).read(outputItems(input));
  },
};

class CliReader {
  private readonly fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
  private readonly nodes = new Map<string, NodeFact>();
  private account: string | undefined;
  private partition = 'aws';
  /** The principal and the policy the last get-* output described: later outputs without names belong to them. */
  private current: { kind: Kind; name: string; arn: string } | undefined;
  private currentPolicy: string | undefined;

  constructor(
    private readonly file: string,
    private readonly forcedAccount: string | undefined,
  ) {}

  read(items: OutputItem[]): GraphFragment {
    this.account = this.forcedAccount ?? accountIn(items);
    for (const item of items) this.item(item);
    if (this.account) for (const n of accountStubs(this.account)) this.fragment.nodes.push(n);
    this.fragment.nodes.push(...this.nodes.values());
    return this.fragment;
  }

  private item({ value: v, at }: OutputItem): void {
    if (!isObject(v)) throw new ImportError(this.file, 'expected an IAM CLI output object', at());
    if ('UserDetailList' in v || 'RoleDetailList' in v) throw new ImportError(this.file, 'this is get-account-authorization-details output: import it as aws-gaad', at());
    for (const kind of ['role', 'user', 'group'] as const) {
      const one = v[cap(kind)];
      const many = v[`${cap(kind)}s`];
      if (isObject(one)) {
        const node = this.principal(kind, one, at(cap(kind)));
        this.current = { kind, name: node.name, arn: node.id };
        // get-group lists the group's members.
        if (kind === 'group' && Array.isArray(v['Users'])) v['Users'].forEach((u, i) => isObject(u) && this.member(this.principal('user', u, at('Users', i)), node, at('Users', i)));
        return;
      }
      if (Array.isArray(many)) {
        // list-groups-for-user: the groups of the user the output before it described.
        const forUser = kind === 'group' && this.current?.kind === 'user' ? this.current : undefined;
        many.forEach((o, i) => {
          if (!isObject(o)) throw new ImportError(this.file, `expected a ${kind} object`, at(`${cap(kind)}s`, i));
          const node = this.principal(kind, o, at(`${cap(kind)}s`, i));
          if (forUser) this.member(this.ref('user', forUser.name, forUser.arn), node, at(`${cap(kind)}s`, i));
        });
        return;
      }
    }
    if (isObject(v['Policy'])) {
      this.currentPolicy = this.policy(v['Policy'], at('Policy')).id;
      return;
    }
    if (Array.isArray(v['Policies'])) {
      v['Policies'].forEach((p, i) => {
        if (!isObject(p)) throw new ImportError(this.file, 'expected a policy object', at('Policies', i));
        this.policy(p, at('Policies', i));
      });
      return;
    }
    if (isObject(v['PolicyVersion'])) return this.version(v, at);
    if (Array.isArray(v['AttachedPolicies'])) return this.attached(v, at);
    if (Array.isArray(v['PolicyNames'])) {
      this.fragment.warnings.push({ message: 'list-*-policies gives policy names only; get-role-policy / get-user-policy / get-group-policy give their documents', location: at('PolicyNames') });
      return;
    }
    if (v['PolicyDocument'] !== undefined && typeof v['PolicyName'] === 'string') return this.inline(v, at);
    throw new ImportError(this.file, 'not an IAM output this importer reads (Role, Roles, User, Users, Group, Groups, Policy, Policies, PolicyVersion, AttachedPolicies, PolicyDocument)', at());
  }

  private principal(kind: Kind, o: Record<string, unknown>, at: string): NodeFact {
    const name = str(o[`${cap(kind)}Name`]);
    if (!name) throw new ImportError(this.file, `a ${kind} needs "${cap(kind)}Name"`, at);
    const arn = str(o['Arn']) ?? this.arnOf(kind, name, at);
    if (arnAccount(arn)) this.partition = arn.split(':')[1] ?? this.partition;
    const tags = tagsOf(o['Tags']);
    const owner = tags ? OWNER_TAGS.map((k) => tags[k]).find(Boolean) : undefined;
    const pb = isObject(o['PermissionsBoundary']) ? str(o['PermissionsBoundary']['PermissionsBoundaryArn']) : undefined;
    const lastUsed = isObject(o['RoleLastUsed']) ? o['RoleLastUsed'] : undefined;
    const props: JsonObject = clean({
      [`${kind}Name`]: name,
      [`${kind}Id`]: str(o[`${cap(kind)}Id`]),
      path: str(o['Path']),
      createdAt: awsDate(o['CreateDate']),
      description: str(o['Description']),
      tags,
      owner,
      accountId: arnAccount(arn) ?? this.account,
      permissionsBoundary: pb,
      trustPolicy: o['AssumeRolePolicyDocument'] === undefined ? undefined : policyDocument(this.file, o['AssumeRolePolicyDocument'], `${at}.AssumeRolePolicyDocument`),
      maxSessionDuration: typeof o['MaxSessionDuration'] === 'number' ? o['MaxSessionDuration'] : undefined,
      // get-role says when the role was last used; {} means never.
      lastUsedAt: lastUsed ? (awsDate(lastUsed['LastUsedDate']) ?? null) : undefined,
      lastUsedRegion: lastUsed ? str(lastUsed['Region']) : undefined,
      passwordLastUsed: awsDate(o['PasswordLastUsed']),
      at,
    });
    return this.put({ id: arn, kind: `aws_${kind}`, name, handles: unique([arn, name, str(o[`${cap(kind)}Id`])]), props, ...this.boundaryOf(arn) });
  }

  private policy(p: Record<string, unknown>, at: string): NodeFact {
    const arn = str(p['Arn']);
    const name = str(p['PolicyName']);
    if (!arn || !name) throw new ImportError(this.file, 'a policy needs "Arn" and "PolicyName"', at);
    const acct = arnAccount(arn);
    return this.put({
      id: arn,
      kind: 'aws_managed_policy',
      name,
      handles: unique([arn, str(p['PolicyId'])]),
      ...(acct ? { boundary: ids.awsAccount(acct) } : {}),
      props: clean({
        policyName: name,
        policyId: str(p['PolicyId']),
        path: str(p['Path']),
        awsManaged: arn.includes(':iam::aws:policy/'),
        defaultVersionId: str(p['DefaultVersionId']),
        attachmentCount: typeof p['AttachmentCount'] === 'number' ? p['AttachmentCount'] : undefined,
        permissionsBoundaryUsageCount: typeof p['PermissionsBoundaryUsageCount'] === 'number' ? p['PermissionsBoundaryUsageCount'] : undefined,
        description: str(p['Description']),
        createdAt: awsDate(p['CreateDate']),
        updatedAt: awsDate(p['UpdateDate']),
        at,
      }),
    });
  }

  private version(v: Record<string, unknown>, at: OutputItem['at']): void {
    const pv = v['PolicyVersion'] as Record<string, unknown>;
    const arn = str(v['PolicyArn']) ?? str(pv['PolicyArn']) ?? this.currentPolicy;
    if (!arn) throw new ImportError(this.file, 'a policy version does not name its policy: save it after the policy\'s get-policy output in the same file, or add "PolicyArn" to it', at('PolicyVersion'));
    const document = policyDocument(this.file, pv['Document'], at('PolicyVersion', 'Document'));
    const versionId = str(pv['VersionId']) ?? 'v?';
    const isDefault = pv['IsDefaultVersion'] === true;
    const prev = this.nodes.get(arn);
    const name = prev?.name ?? arn.split('/').pop()!;
    // Only the default version is what the policy grants; other versions are kept for the record.
    const props: JsonObject = isDefault ? { policyName: name, defaultVersionId: versionId, document } : { policyName: name, [`policyVersion:${versionId}`]: document };
    this.put({ id: arn, kind: 'aws_managed_policy', name, handles: [arn], props, stub: !prev, ...(arnAccount(arn) ? { boundary: ids.awsAccount(arnAccount(arn)!) } : {}) });
  }

  private attached(v: Record<string, unknown>, at: OutputItem['at']): void {
    const owner = this.owner(v, at, 'list-attached-(role|user|group)-policies');
    const arns = (v['AttachedPolicies'] as unknown[]).map((p, i) => {
      const arn = isObject(p) ? str(p['PolicyArn']) : undefined;
      if (!arn) throw new ImportError(this.file, 'an attached policy needs "PolicyArn"', at('AttachedPolicies', i));
      return arn;
    });
    if (v['IsTruncated'] === true) this.fragment.warnings.push({ message: `the attached policies of ${owner.name} are truncated (IsTruncated): policies after the Marker are missing`, location: at('IsTruncated') });
    // The whole list of the principal's attachments: it replaces what an earlier listing said.
    this.put({ ...owner, props: { ...owner.props, attachedPolicies: arns } });
  }

  private inline(v: Record<string, unknown>, at: OutputItem['at']): void {
    const owner = this.owner(v, at, 'get-(role|user|group)-policy');
    const name = v['PolicyName'] as string;
    const document = policyDocument(this.file, v['PolicyDocument'], at('PolicyDocument'));
    this.put({ ...owner, props: { ...owner.props, [`inlinePolicy:${name}`]: { name, document } } });
  }

  /** The principal an output belongs to: named in it, the get-* output before it, or the file name. */
  private owner(v: Record<string, unknown>, at: OutputItem['at'], command: string): NodeFact {
    for (const kind of ['role', 'user', 'group'] as const) {
      const name = str(v[`${cap(kind)}Name`]);
      if (name) return this.ref(kind, name, this.current?.kind === kind && this.current.name === name ? this.current.arn : undefined);
    }
    if (this.current) return this.ref(this.current.kind, this.current.name, this.current.arn);
    const m = new RegExp(`^${command}[-_.](.+?)(?:\\.json)?(?:\\.gz)?$`).exec(basename(this.file));
    if (m) {
      this.fragment.warnings.push({ message: `the ${m[1]} ${m[2]} is taken from the file name`, location: at() });
      return this.ref(m[1] as Kind, m[2]!, undefined);
    }
    throw new ImportError(this.file, `this output does not name its ${command.includes('group') ? 'role, user or group' : 'principal'}: save it after the principal's get-role / get-user / get-group output in the same file, add "RoleName" (or UserName, GroupName) to it, or name the file ${command.replace('(role|user|group)', 'role')}-<name>.json`, at());
  }

  /** A principal named but not described here: a stub that carries what this file adds to it. */
  private ref(kind: Kind, name: string, arn: string | undefined): NodeFact {
    const id = arn ?? this.arnOf(kind, name, '$');
    const existing = this.nodes.get(id);
    if (existing) return existing;
    return this.put({ id, kind: `aws_${kind}`, name, handles: [id, name], stub: true, props: { [`${kind}Name`]: name }, ...this.boundaryOf(id) });
  }

  private member(user: NodeFact, group: NodeFact, at: string): void {
    this.fragment.edges.push({ from: user.id, to: group.id, kind: 'MEMBER_OF', props: { reason: 'is a member of the group', at } } satisfies EdgeFact);
  }

  private boundaryOf(arn: string): { boundary?: string } {
    const acct = arnAccount(arn) ?? this.account;
    return acct ? { boundary: ids.awsAccount(acct) } : {};
  }

  private arnOf(kind: Kind, name: string, at: string): string {
    if (!this.account) throw new ImportError(this.file, `the ${kind} ${name} is named without an ARN and no ARN in the file names the account: pass --account`, at);
    // Outputs that name a principal only by name do not give its path: the ARN is the path-less one.
    return `arn:${this.partition}:iam::${this.account}:${kind}/${name}`;
  }

  /** One statement per node in this file: later outputs add to what earlier ones said. */
  private put(n: NodeFact): NodeFact {
    const prev = this.nodes.get(n.id);
    const merged: NodeFact = prev ? { ...prev, ...n, stub: Boolean(prev.stub && n.stub), name: n.stub ? prev.name : n.name, handles: unique([...(prev.handles ?? []), ...(n.handles ?? [])]), props: { ...(prev.props ?? {}), ...(n.props ?? {}) } } : n;
    this.nodes.set(n.id, merged);
    return merged;
  }
}

function accountIn(items: OutputItem[]): string | undefined {
  const text = JSON.stringify(items.map((i) => i.value));
  return /arn:aws[a-z-]*:iam::(\d{12}):/.exec(text)?.[1];
}

function tagsOf(v: unknown): Record<string, string> | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const t of v) if (isObject(t) && typeof t['Key'] === 'string') out[t['Key']] = typeof t['Value'] === 'string' ? t['Value'] : '';
  return Object.keys(out).length ? out : undefined;
}

function clean(o: Record<string, Json | Record<string, string> | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v as Json;
  return out;
}

function cap(kind: Kind): string {
  return kind[0]!.toUpperCase() + kind.slice(1);
}
