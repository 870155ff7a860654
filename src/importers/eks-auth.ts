import { isObject } from '../model/fragment.js';
import type { ImportWarning, NodeFact } from '../model/fragment.js';
import { arnAccount, ids } from '../model/ids.js';
import { ImportError } from './errors.js';
import { parseYamlDocuments, yamlDocumentToJs } from './yaml.js';

// How EKS maps IAM principals to Kubernetes users, shared by the kubernetes importer (the aws-auth ConfigMap) and
// the eks-access-entries importer. The aws-auth ConfigMap (kube-system/aws-auth) holds YAML inside its string values:
//   data.mapRoles: "- rolearn: arn:aws:iam::111122223333:role/ops\n  username: ops:{{SessionName}}\n  groups: [system:masters]"
//   data.mapUsers: "- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n  groups: […]"
//   data.mapAccounts: "- \"111122223333\""
// The authenticator (aws-iam-authenticator) decodes them with Go's JSON rules: key names match case-insensitively.
// A role ARN there must not carry the IAM path (EKS compares the path-less ARN of the caller's session); the GAAD
// importer aliases a role's path-less ARN to its full one so both name one node.

export const AWS_AUTH = { namespace: 'kube-system', name: 'aws-auth' } as const;
const AWS_AUTH_KEYS = ['mapRoles', 'mapUsers', 'mapAccounts'] as const;

/** Whether a Kubernetes object is the aws-auth ConfigMap (any other ConfigMap's data is never read). */
export function isAwsAuth(obj: Record<string, unknown>): boolean {
  const meta = obj['metadata'];
  return obj['kind'] === 'ConfigMap' && isObject(meta) && meta['name'] === AWS_AUTH.name && meta['namespace'] === AWS_AUTH.namespace;
}

/** The aws-auth data keys Blastmap reads, and nothing else of the object (what a streamed import keeps of it). */
export function awsAuthData(obj: Record<string, unknown>): Record<string, unknown> | undefined {
  const data = obj['data'];
  if (!isObject(data)) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of AWS_AUTH_KEYS) if (data[k] !== undefined) out[k] = data[k];
  return out;
}

export interface AwsAuthMapping {
  key: 'mapRoles' | 'mapUsers';
  index: number;
  /** The mapping's place: `<data path>.mapRoles[2]`. */
  at: string;
  arn: string;
  principalKind: 'aws_role' | 'aws_user';
  username: string;
  groups: string[];
}

export interface AwsAuth {
  mappings: AwsAuthMapping[];
  accounts: string[];
  warnings: ImportWarning[];
}

/** The mappings of aws-auth's data (at `dataAt`); bad YAML or a malformed mapping is an ImportError naming the place. */
export function readAwsAuth(file: string, data: unknown, dataAt: string): AwsAuth {
  const out: AwsAuth = { mappings: [], accounts: [], warnings: [] };
  if (data === undefined || data === null) return out;
  if (!isObject(data)) throw new ImportError(file, 'the data of ConfigMap kube-system/aws-auth must be an object', dataAt);
  for (const key of ['mapRoles', 'mapUsers'] as const) {
    const at = `${dataAt}.${key}`;
    const list = embeddedList(file, data[key], at, key);
    list.forEach((raw, index) => {
      const place = `${at}[${index}]`;
      if (!isObject(raw)) throw new ImportError(file, `each entry of aws-auth ${key} must be a mapping (rolearn/userarn, username, groups)`, place);
      const field = (name: string) => Object.entries(raw).find(([k]) => k.toLowerCase() === name)?.[1];
      const arnKey = key === 'mapRoles' ? 'rolearn' : 'userarn';
      const arn = field(arnKey);
      if (typeof arn !== 'string' || !arn.trim()) throw new ImportError(file, `an aws-auth ${key} entry needs "${arnKey}"`, place);
      const principalKind = key === 'mapRoles' ? 'aws_role' : 'aws_user';
      const want = key === 'mapRoles' ? ':role/' : ':user/';
      if (!arn.startsWith('arn:') || !arn.includes(want) || !arnAccount(arn)) throw new ImportError(file, `"${arnKey}" must be an IAM ${key === 'mapRoles' ? 'role' : 'user'} ARN`, place);
      const groupsRaw = field('groups') ?? [];
      if (!Array.isArray(groupsRaw) || groupsRaw.some((g) => typeof g !== 'string')) throw new ImportError(file, `"groups" of an aws-auth ${key} entry must be a list of group names`, place);
      const username = field('username');
      if (username !== undefined && typeof username !== 'string') throw new ImportError(file, `"username" of an aws-auth ${key} entry must be a string`, place);
      if (!username) {
        out.warnings.push({ message: `aws-auth ${key} entry for ${arn} has no username: there is no Kubernetes user to draw`, location: place });
        return;
      }
      if (key === 'mapRoles' && arn.slice(arn.indexOf(':role/') + 6).includes('/')) {
        // EKS matches the path-less ARN of the caller's role session: an ARN with a path matches nobody.
        out.warnings.push({ message: `aws-auth mapRoles entry ${arn} includes an IAM path: EKS compares role ARNs without their path, so this entry matches no one; not drawn`, location: place });
        return;
      }
      out.mappings.push({ key, index, at: place, arn: arn.trim(), principalKind, username, groups: groupsRaw as string[] });
    });
  }
  const accounts = embeddedList(file, data['mapAccounts'], `${dataAt}.mapAccounts`, 'mapAccounts');
  accounts.forEach((a, i) => {
    // YAML reads an unquoted account id as a number: its digits are the id (leading zeros need quotes in YAML).
    const id = typeof a === 'number' ? String(a).padStart(12, '0') : a;
    if (typeof id !== 'string' || !/^\d{12}$/.test(id)) throw new ImportError(file, 'each entry of aws-auth mapAccounts must be a 12-digit AWS account id', `${dataAt}.mapAccounts[${i}]`);
    out.accounts.push(id);
  });
  return out;
}

/** A YAML list held in a string value of the ConfigMap ([] when the key is absent or empty). */
function embeddedList(file: string, text: unknown, at: string, key: string): unknown[] {
  if (text === undefined || text === null) return [];
  if (typeof text !== 'string') throw new ImportError(file, `aws-auth ${key} must be a string holding YAML`, at);
  if (!text.trim()) return [];
  const docs = parseYamlDocuments(file, text);
  const doc = docs[0];
  if (!doc) return [];
  const err = doc.errors[0] ?? docs[1]?.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    throw new ImportError(file, `invalid YAML in aws-auth ${key}: ${err.message.split('\n')[0]}`, `${at}${pos ? `, line ${pos.line}, column ${pos.col} of its text` : ''}`);
  }
  if (docs.length > 1) throw new ImportError(file, `aws-auth ${key} holds more than one YAML document`, at);
  const value = yamlDocumentToJs(file, doc, at);
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new ImportError(file, `aws-auth ${key} must be a YAML list`, at);
  return value;
}

/** A role or user named by ARN, as the GAAD importer and the k8s-federation rule name it: a stub in its account. */
export function iamPrincipalStub(arn: string, kind: 'aws_role' | 'aws_user'): NodeFact {
  const account = arnAccount(arn);
  return { id: ids.awsArn(arn), kind, name: arn.split('/').pop() ?? arn, handles: [arn], stub: true, ...(account ? { boundary: ids.awsAccount(account) } : {}), props: {} };
}
