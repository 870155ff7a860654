import { isObject } from '../model/fragment.js';
import type { GraphFragment, JsonObject, NodeFact } from '../model/fragment.js';
import { arnAccount, ids } from '../model/ids.js';
import { accountOption, accountStubs, outputItems, policyDocument, type OutputItem } from './aws-util.js';
import { ImportError, shown } from './errors.js';
import type { Importer } from './types.js';

// Resource policies as the CLI prints them:
//   aws s3api get-bucket-policy --bucket B               {Policy: "<JSON>"}            (the bucket is not named)
//   aws secretsmanager get-resource-policy --secret-id S  {ARN, Name, ResourcePolicy?: "<JSON>"}
//   aws kms get-key-policy --key-id K [--policy-name default]   {Policy: "<JSON>", PolicyName?}   (the key is not named)
//   aws kms describe-key --key-id K                       {KeyMetadata: {KeyId, Arn, AWSAccountId, …}}
//   aws lambda get-policy --function-name F               {Policy: "<JSON>", RevisionId}  (the function is named by its statements)
//   … --query Policy --output text                        the policy document alone
// one per file, several one after another, a JSON array of them, or objects that combine them
// ({Bucket, Policy}, {KeyMetadata, Policy}).
//
// A bucket is named by its policy: S3 accepts only statements on the bucket itself (arn:aws:s3:::B, …:B/*).
// A key policy says nothing of its key (Resource is "*"), so it needs describe-key beside it — in the same
// object, or as the only describe-key of the file — or a statement naming the key's ARN.

export const awsResourcePolicy: Importer = {
  format: 'aws-resource-policy',
  title: 'AWS resource policies (S3 bucket policy, Secrets Manager resource policy, KMS key policy, Lambda function policy)',
  provider: 'aws',
  producedBy: 'aws s3api get-bucket-policy (or its --query Policy --output text); aws secretsmanager get-resource-policy; aws kms get-key-policy (with aws kms describe-key); aws lambda get-policy',
  emits: [],
  detect(probe) {
    if (!probe.looksJson) return 0;
    const h = probe.head;
    if (/"ResourcePolicy"\s*:/.test(h) && /"ARN"\s*:\s*"arn:[\w-]+:secretsmanager:/.test(h)) return 0.95;
    // get-resource-policy of a secret without a policy prints only its ARN and Name.
    if (SECRET_WITHOUT_POLICY.test(h)) return 0.9;
    if (/"KeyMetadata"\s*:\s*\{/.test(h)) return 0.9;
    if (/^[\s[]*\{\s*("(Bucket|PolicyName)"\s*:\s*"[^"]*"\s*,\s*)?"Policy"\s*:\s*"/.test(h)) return 0.85;
    // get-policy as the Lambda documentation prints it: the policy as an object.
    if (/^[\s[]*\{\s*"Policy"\s*:\s*\{/.test(h) && /arn:[\w-]+:lambda:/.test(h)) return 0.85;
    // A policy document alone that names principals: a resource policy (identity policies name none).
    if (/^\s*\{\s*"(Version|Id|Statement)"\s*:/.test(h) && /"Statement"\s*:/.test(h) && /"(Not)?Principal"\s*:/.test(h)) return 0.6;
    return 0;
  },
  parse(input, ctx) {
    const file = input.fileName;
    const items = outputItems(input);
    const fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
    const accounts = new Set<string>();
    const account = accountOption(file, ctx.options.account);
    const keys: { meta: KeyMeta; at: string }[] = [];
    const keyPolicies: { policy: JsonObject; name?: string; at: string }[] = [];
    const push = (node: NodeFact) => {
      fragment.nodes.push(node);
      const acct = node.boundary?.replace(/^aws:account:/, '');
      if (acct) accounts.add(acct);
    };

    for (const item of items) {
      const { value, at } = item;
      if (!isObject(value)) throw new ImportError(file, 'expected a get-bucket-policy, get-resource-policy, get-key-policy or describe-key output object', at());
      if (typeof value['ARN'] === 'string' && ('ResourcePolicy' in value || 'Name' in value)) {
        push(secretNode(file, value, at));
        continue;
      }
      const meta = isObject(value['KeyMetadata']) ? readKeyMeta(file, value['KeyMetadata'], (...m) => at('KeyMetadata', ...m)) : undefined;
      // The document alone, as AWS's docs save a bucket policy (get-bucket-policy --query Policy --output text).
      const bare = value['Policy'] === undefined && !meta && 'Statement' in value;
      if (value['Policy'] === undefined && !bare) {
        if (!meta) throw new ImportError(file, 'expected "Policy" (get-bucket-policy, get-key-policy), "ResourcePolicy" with "ARN" (get-resource-policy) or "KeyMetadata" (describe-key)', at());
        keys.push({ meta, at: at('KeyMetadata') });
        continue;
      }
      const policyAt = bare ? at() : at('Policy');
      const policy = policyDocument(file, bare ? value : value['Policy'], policyAt);
      const policyName = typeof value['PolicyName'] === 'string' ? value['PolicyName'] : undefined;
      const fn = meta || value['Bucket'] !== undefined ? undefined : functionOf(file, policy, policyAt);
      if (fn) {
        push(fn);
        continue;
      }
      const bucket = typeof value['Bucket'] === 'string' ? value['Bucket'] : bucketOf(file, policy, policyAt);
      if (meta) {
        push(keyNode(meta, policy, policyName));
      } else if (bucket && policyName === undefined) {
        push({ id: ids.awsArn(`arn:aws:s3:::${bucket}`), kind: 'aws_bucket', name: bucket, handles: [`arn:aws:s3:::${bucket}`, bucket, `s3://${bucket}`], ...(account ? { boundary: ids.awsAccount(account) } : {}), props: { bucketName: bucket, resourcePolicy: policy } });
      } else if (isKeyPolicy(policy) || policyName !== undefined) {
        keyPolicies.push({ policy, at: policyAt, ...(policyName ? { name: policyName } : {}) });
      } else {
        throw new ImportError(file, 'cannot tell which resource this policy is for: it names no S3 bucket and no KMS action', policyAt);
      }
    }

    // Key policies without their key: pair with the file's only describe-key, or a key ARN the policy names.
    const unpaired = [...keys];
    for (const kp of keyPolicies) {
      const named = keyArnIn(kp.policy);
      let meta: KeyMeta | undefined;
      if (named) meta = unpaired.find((k) => k.meta.arn === named)?.meta ?? keyMetaFromArn(named);
      else if (unpaired.length === 1 && keyPolicies.length === 1) meta = unpaired[0]!.meta;
      if (!meta) {
        throw new ImportError(
          file,
          'get-key-policy output does not name its key; save it with describe-key of the same key, e.g. ' +
            '`{ aws kms describe-key --key-id K; aws kms get-key-policy --key-id K --policy-name default; } > key.json`',
          kp.at,
        );
      }
      const m = meta;
      const i = unpaired.findIndex((k) => k.meta.arn === m.arn);
      if (i >= 0) unpaired.splice(i, 1);
      push(keyNode(meta, kp.policy, kp.name));
    }
    // describe-key alone still describes the key (its policy unknown).
    for (const k of unpaired) push(keyNode(k.meta, undefined, undefined));
    for (const a of accounts) fragment.nodes.push(...accountStubs(a));
    return fragment;
  },
};

type Item = OutputItem;

interface KeyMeta {
  arn: string;
  keyId: string;
  account: string;
  props: JsonObject;
}

const SECRET_WITHOUT_POLICY = /^[\s[]*\{\s*"(ARN|Name)"\s*:\s*"[^"]*"\s*,\s*"(ARN|Name)"\s*:\s*"[^"]*"\s*\}/;

function secretNode(file: string, v: Record<string, unknown>, at: Item['at']): NodeFact {
  const arn = v['ARN'] as string;
  const account = arnAccount(arn);
  if (!/^arn:[\w-]+:secretsmanager:[\w-]+:\d{12}:secret:.+/.test(arn) || !account) throw new ImportError(file, `ARN ${shown(arn)} is not a Secrets Manager secret ARN`, at('ARN'));
  const name = typeof v['Name'] === 'string' ? v['Name'] : arn.split(':secret:')[1]!;
  // get-resource-policy without a ResourcePolicy member: the secret has no resource policy (null), which is not
  // the same as unknown. Another output naming the secret (describe-secret) says nothing of its policy.
  const onlyNamed = Object.keys(v).every((k) => k === 'ARN' || k === 'Name' || k === 'ResourcePolicy');
  const policy = v['ResourcePolicy'] === undefined || v['ResourcePolicy'] === null ? (onlyNamed ? null : undefined) : policyDocument(file, v['ResourcePolicy'], at('ResourcePolicy'));
  return { id: ids.awsArn(arn), kind: 'aws_secret', name, handles: [arn, name], boundary: ids.awsAccount(account), props: { secretName: name, ...(policy !== undefined ? { resourcePolicy: policy } : {}) } };
}

function readKeyMeta(file: string, m: Record<string, unknown>, at: Item['at']): KeyMeta {
  const arn = m['Arn'];
  if (typeof arn !== 'string' || !/^arn:[\w-]+:kms:[\w-]+:\d{12}:key\/.+/.test(arn)) throw new ImportError(file, `Arn ${shown(arn)} is not a KMS key ARN`, at('Arn'));
  const meta = keyMetaFromArn(arn);
  for (const [field, prop] of [['KeyState', 'keyState'], ['KeyManager', 'keyManager'], ['Description', 'description'], ['KeyUsage', 'keyUsage'], ['KeySpec', 'keySpec'], ['Origin', 'origin'], ['MultiRegion', 'multiRegion'], ['Enabled', 'enabled']] as const) {
    const v = m[field];
    if (typeof v === 'string' || typeof v === 'boolean') meta.props[prop] = v;
  }
  return meta;
}

function keyMetaFromArn(arn: string): KeyMeta {
  const keyId = arn.slice(arn.indexOf(':key/') + 5);
  return { arn, keyId, account: arnAccount(arn)!, props: {} };
}

function keyNode(meta: KeyMeta, policy: JsonObject | undefined, policyName: string | undefined): NodeFact {
  const props: JsonObject = { keyId: meta.keyId, ...meta.props };
  if (policy) props['keyPolicy'] = policy;
  if (policyName) props['keyPolicyName'] = policyName;
  const alias = meta.props['description'];
  return { id: ids.awsArn(meta.arn), kind: 'aws_kms_key', name: typeof alias === 'string' && alias ? `${alias} (${meta.keyId})` : meta.keyId, handles: [meta.arn, meta.keyId], boundary: ids.awsAccount(meta.account), props };
}

function statements(policy: JsonObject): Record<string, unknown>[] {
  const s: unknown = policy['Statement'];
  return (Array.isArray(s) ? (s as unknown[]) : [s]).filter(isObject);
}

function strings(v: unknown): string[] {
  return typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The one bucket a bucket policy's statements are about, or undefined when they name none. */
function bucketOf(file: string, policy: JsonObject, at: string): string | undefined {
  const buckets = new Set<string>();
  for (const st of statements(policy)) {
    for (const r of [...strings(st['Resource']), ...strings(st['NotResource'])]) {
      const m = /^arn:[\w-]+:s3:::([^/*?]+)/.exec(r);
      if (m) buckets.add(m[1]!);
    }
  }
  if (buckets.size > 1) throw new ImportError(file, `the policy names several buckets (${[...buckets].join(', ')}); a bucket policy is about one bucket`, at);
  return [...buckets][0];
}

function isKeyPolicy(policy: JsonObject): boolean {
  return statements(policy).some((st) => [...strings(st['Action']), ...strings(st['NotAction'])].some((a) => /^kms:/i.test(a)));
}

function keyArnIn(policy: JsonObject): string | undefined {
  for (const st of statements(policy)) for (const r of strings(st['Resource'])) if (/^arn:[\w-]+:kms:[\w-]+:\d{12}:key\/[\w-]+$/.test(r)) return r;
  return undefined;
}

/** A Lambda function policy: its statements name one function (the ARN, perhaps with a qualifier). */
function functionOf(file: string, policy: JsonObject, at: string): NodeFact | undefined {
  const fns = new Set<string>();
  for (const st of statements(policy)) {
    for (const r of strings(st['Resource'])) {
      const m = /^(arn:[\w-]+:lambda:[\w-]+:\d{12}:function:[\w-]+)/.exec(r);
      if (m) fns.add(m[1]!);
    }
  }
  if (!fns.size) return undefined;
  if (fns.size > 1) throw new ImportError(file, `the policy names several functions (${[...fns].join(', ')}); a function policy is about one function`, at);
  const arn = [...fns][0]!;
  const name = arn.split(':')[6]!;
  // A stub: the policy proves the function exists; list-functions or get-function describe it.
  return { id: ids.awsArn(arn), kind: 'aws_lambda', name, handles: [arn, name], boundary: ids.awsAccount(arnAccount(arn)!), stub: true, props: { functionName: name, resourcePolicy: policy } };
}
