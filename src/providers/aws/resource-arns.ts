import { arnAccount } from '../../model/ids.js';
import type { NodeKind } from '../../model/kinds.js';
import { resourceTypesOfArn } from './catalog.js';

// What a resource ARN written in a policy names: the node it stands for (an S3 object path names its bucket; a
// function ARN with a version names the function), or nothing when it is a pattern, an IAM principal or a
// policy. The kinds the case already models get their own node kind; every other resource is an aws_resource.

export interface NamedResource {
  id: string;
  kind: NodeKind;
  name: string;
  account?: string;
  service: string;
}

const KINDS: [RegExp, NodeKind][] = [
  [/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:/, 'aws_secret'],
  [/^arn:aws[\w-]*:kms:[\w-]+:\d{12}:key\//, 'aws_kms_key'],
  [/^arn:aws[\w-]*:lambda:[\w-]+:\d{12}:function:/, 'aws_lambda'],
  [/^arn:aws[\w-]*:ec2:[\w-]+:\d{12}:instance\//, 'aws_instance'],
  [/^arn:aws[\w-]*:cloudformation:[\w-]+:\d{12}:stack\//, 'aws_cfn_stack'],
  [/^arn:aws[\w-]*:codebuild:[\w-]+:\d{12}:project\//, 'aws_codebuild_project'],
  [/^arn:aws[\w-]*:sagemaker:[\w-]+:\d{12}:notebook-instance\//, 'aws_sagemaker_notebook'],
  [/^arn:aws[\w-]*:ecs:[\w-]+:\d{12}:task-definition\//, 'aws_ecs_task_definition'],
  [/^arn:aws[\w-]*:glue:[\w-]+:\d{12}:devEndpoint\//, 'aws_glue_dev_endpoint'],
];

/** Services whose ARNs name principals, policies or sessions rather than resources an identity acts on. */
const NOT_RESOURCES = new Set(['iam', 'sts', 'organizations']);

const cache = new Map<string, NamedResource | null>();

/** What the ARN names (remembered: a case repeats the same ARNs across thousands of statements). */
export function namedResource(arn: string): NamedResource | undefined {
  let v = cache.get(arn);
  if (v === undefined) {
    if (cache.size > 200_000) cache.clear();
    cache.set(arn, (v = parse(arn) ?? null));
  }
  return v ?? undefined;
}

function parse(arn: string): NamedResource | undefined {
  if (!arn.startsWith('arn:') || arn.includes('${')) return undefined;
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  const service = parts[2]!;
  if (!service || NOT_RESOURCES.has(service) || /[*?]/.test(service)) return undefined;
  if (service === 's3') {
    // arn:aws:s3:::bucket or arn:aws:s3:::bucket/key…: the bucket (an object pattern still names its bucket).
    const m = /^arn:(aws[\w-]*):s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/.*)?$/.exec(arn);
    if (!m || parts[3] || parts[4]) return undefined;
    return { id: `arn:${m[1]}:s3:::${m[2]}`, kind: 'aws_bucket', name: m[2]!, service };
  }
  if (/[*?]/.test(arn)) return undefined;
  const account = arnAccount(arn);
  for (const [re, kind] of KINDS) {
    if (!re.test(arn)) continue;
    // A function ARN with a version or alias names the function.
    const id = kind === 'aws_lambda' ? parts.slice(0, 7).join(':') : arn;
    return { id, kind, name: lastSegment(id, kind), ...(account ? { account } : {}), service };
  }
  const rest = parts.slice(5).join(':');
  // Only an ARN of one of the service's resource types names a resource (the catalogue's ARN formats).
  if (!rest || !resourceTypesOfArn(arn).length) return undefined;
  return { id: arn, kind: 'aws_resource', name: lastSegment(arn, 'aws_resource'), ...(account ? { account } : {}), service };
}

function lastSegment(arn: string, kind: NodeKind): string {
  if (kind === 'aws_lambda') return arn.split(':')[6] ?? arn;
  if (kind === 'aws_secret') return (arn.split(':secret:')[1] ?? arn).replace(/-[A-Za-z0-9]{6}$/, '');
  if (kind === 'aws_cfn_stack') return arn.split('/')[1] ?? arn;
  const rest = arn.split(':').slice(5).join(':');
  return rest.split('/').filter(Boolean).pop() ?? rest;
}
