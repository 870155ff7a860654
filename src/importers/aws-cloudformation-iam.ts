import { isObject } from '../model/fragment.js';
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { EdgeFact, GraphFragment, Json, JsonObject, NodeFact } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import { accountOption, accountStubs, policyDocument } from './aws-util.js';
import { ImportError, jsonPath } from './errors.js';
import { lineColumn, parseJson } from './input.js';
import { checkYamlNesting, YamlWalkBudget } from './yaml.js';
import type { Importer } from './types.js';

// CloudFormation templates (YAML with the short-form tags !Ref !Sub !GetAtt !If …, or JSON): the IAM resources
// they declare, written with the node props a GAAD import writes, so a template and the deployed account merge.
//
// Intrinsic functions are resolved as far as the template allows: parameters with a Default, AWS::Partition
// ('aws'), AWS::AccountId from --account, conditions whose parameters have defaults, Refs and GetAtts of the
// template's own IAM resources. What stays unknown is kept as text, `${Name}`, so a reader sees the gap, and the
// file's warnings list it once.

const RESOURCE_TYPES = new Set([
  'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy',
  'AWS::IAM::InstanceProfile', 'AWS::IAM::OIDCProvider', 'AWS::IAM::SAMLProvider', 'AWS::IAM::UserToGroupAddition',
]);
const OWNER_TAGS = ['owner', 'Owner', 'team', 'Team', 'contact', 'Contact'];

export const awsCloudFormationIam: Importer = {
  format: 'aws-cloudformation-iam',
  title: 'AWS CloudFormation template (IAM roles, users, groups, policies, OIDC providers)',
  provider: 'aws',
  producedBy: 'CloudFormation templates in YAML or JSON (aws cloudformation get-template, or the file in a repository); --account fills AWS::AccountId',
  emits: ['MEMBER_OF', 'AUTHENTICATES_AS'],
  detect(probe) {
    const h = probe.head;
    // A resource map whose entries have IAM types; "Resources" alone also names CloudTrail event fields.
    const resources = probe.looksJson ? /"Resources"\s*:\s*\{/.test(h) : /^Resources:[ \t]*(#.*)?$/m.test(h);
    const iam = probe.looksJson ? /"Type"\s*:\s*"AWS::IAM::/.test(h) : /^\s+Type:\s*["']?AWS::IAM::/m.test(h);
    const version = /["']?AWSTemplateFormatVersion["']?\s*:/.test(h);
    // A JSON template's IAM role and Lambda function carry keys the AWS CLI outputs also have ("PolicyName",
    // "RoleName", "Functions", "FunctionArn"): the template's own markers outrank them.
    // SAM templates often leave out the version: the transform says what they are.
    const sam = probe.looksJson ? /"Transform"\s*:\s*(\[[^\]]*)?"AWS::Serverless-2016-10-31"/.test(h) : /^Transform:[^\n]*(\n[ \t]*-[^\n]*)*AWS::Serverless-2016-10-31/m.test(h);
    if (resources && (iam || version || sam)) return 0.97;
    // `aws cloudformation get-template` wraps the template: an object, or the YAML text as a string.
    if (probe.looksJson && /"TemplateBody"\s*:/.test(h)) return 0.97;
    if (version) return 0.7;
    return 0;
  },
  parse(input, ctx) {
    const file = input.fileName;
    const text = input.text();
    let template = text.trimStart().startsWith('{') ? input.json() : parseYamlTemplate(file, text);
    if (isObject(template) && !('Resources' in template) && 'TemplateBody' in template) template = templateBody(file, template['TemplateBody']);
    if (!isObject(template)) throw new ImportError(file, 'expected a CloudFormation template (a mapping with "Resources")', '$');
    const resources = template['Resources'];
    if (!isObject(resources)) throw new ImportError(file, 'the template has no "Resources" mapping', '$.Resources');
    const account = accountOption(file, ctx.options.account);
    const sam = serverlessRoles(template, resources);
    const fragment = new TemplateReader(file, template, { ...resources, ...sam.roles }, account).read();
    fragment.warnings.push(...sam.warnings);
    return fragment;
  },
};

/** get-template's TemplateBody: the template as an object (a JSON template), or its text (YAML, or JSON as text). */
function templateBody(file: string, body: unknown): unknown {
  if (typeof body !== 'string') return body;
  const where = (place: string) => `$.TemplateBody (${place})`;
  try {
    return body.trimStart().startsWith('{') ? parseJson(file, body) : parseYamlTemplate(file, body);
  } catch (e) {
    // The place the parser gives is inside the string: say so.
    if (e instanceof ImportError) throw new ImportError(file, e.detail, where(e.location ?? 'its text'));
    throw e;
  }
}

// --- SAM (Transform: AWS::Serverless-2016-10-31) ----------------------------------------------------

// A SAM function or state machine without a Role gets one from the transform: logical id <Id>Role, trusting the
// service, with the managed policies SAM adds and the function's Policies (managed policy names or ARNs, policy
// documents). SAM's policy templates (S3ReadPolicy: {BucketName}, …) are expanded by SAM from its own catalogue:
// they are named in a warning, not guessed.
const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';
const SAM_EVENT_POLICIES: Record<string, string> = { Kinesis: 'AWSLambdaKinesisExecutionRole', DynamoDB: 'AWSLambdaDynamoDBExecutionRole', SQS: 'AWSLambdaSQSQueueExecutionRole', MSK: 'AWSLambdaMSKExecutionRole' };
const SAM_SERVICE_ROLE_POLICIES = new Set(['AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole', 'AWSLambdaKinesisExecutionRole', 'AWSLambdaDynamoDBExecutionRole', 'AWSLambdaSQSQueueExecutionRole', 'AWSLambdaRole', 'AWSLambdaMSKExecutionRole']);

function serverlessRoles(template: Record<string, unknown>, resources: Record<string, unknown>): { roles: Record<string, Json>; warnings: { message: string; location: string }[] } {
  const roles: Record<string, Json> = {};
  const warnings: { message: string; location: string }[] = [];
  const transform = template['Transform'];
  if (!(transform === SAM_TRANSFORM || (Array.isArray(transform) && transform.includes(SAM_TRANSFORM)))) return { roles, warnings };
  const globals = isObject(template['Globals']) && isObject(template['Globals']['Function']) ? template['Globals']['Function'] : {};
  const managed = (name: string): Json => ({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::aws:policy/${SAM_SERVICE_ROLE_POLICIES.has(name) ? 'service-role/' : ''}${name}` });
  const connectors = Object.entries(resources).filter(([, r]) => isObject(r) && (r['Type'] === 'AWS::Serverless::Connector' || (isObject(r['Properties']) && r['Properties']['Connectors'] !== undefined)));
  if (connectors.length) warnings.push({ message: `SAM connectors are not expanded (SAM writes their policies at deploy time): the access they grant is missing (${connectors.map(([id]) => id).join(', ')})`, location: jsonPath('Resources', connectors[0]![0]) });
  for (const [id, raw] of Object.entries(resources)) {
    if (!isObject(raw) || (raw['Type'] !== 'AWS::Serverless::Function' && raw['Type'] !== 'AWS::Serverless::StateMachine')) continue;
    const fn = raw['Type'] === 'AWS::Serverless::Function';
    const props = isObject(raw['Properties']) ? raw['Properties'] : {};
    if (props['Role'] !== undefined || resources[`${id}Role`] !== undefined) continue;
    const service = fn ? 'lambda.amazonaws.com' : 'states.amazonaws.com';
    const attached: Json[] = fn ? [managed('AWSLambdaBasicExecutionRole')] : [];
    if (fn && (props['Tracing'] ?? globals['Tracing']) === 'Active') attached.push(managed('AWSXrayWriteOnlyAccess'));
    if (fn && (props['VpcConfig'] ?? globals['VpcConfig']) !== undefined) attached.push(managed('AWSLambdaVPCAccessExecutionRole'));
    if (!fn && isObject(props['Tracing']) && props['Tracing']['Enabled'] === true) attached.push(managed('AWSXrayWriteOnlyAccess'));
    // Stream and queue event sources are polled with the function's role.
    for (const event of fn && isObject(props['Events']) ? Object.values(props['Events']) : []) {
      const policy = isObject(event) && typeof event['Type'] === 'string' ? SAM_EVENT_POLICIES[event['Type']] : undefined;
      if (policy && !attached.some((a) => JSON.stringify(a) === JSON.stringify(managed(policy)))) attached.push(managed(policy));
    }
    const inline: Json[] = [];
    const templates: string[] = [];
    const policies = props['Policies'];
    const list = policies === undefined ? [] : Array.isArray(policies) ? policies : [policies];
    list.forEach((p, i) => {
      if (typeof p === 'string') {
        const arn = p.startsWith('arn:') ? p : managed(p);
        if (!attached.some((a) => JSON.stringify(a) === JSON.stringify(arn))) attached.push(arn);
      }
      else if (isObject(p) && 'Statement' in p) inline.push({ PolicyName: `${id}RolePolicy${i}`, PolicyDocument: p as Json });
      else if (isObject(p) && Object.keys(p).length === 1 && /^(Ref|Fn::)/.test(Object.keys(p)[0]!)) attached.push(p as Json);
      else if (isObject(p)) templates.push(...Object.keys(p));
    });
    if (templates.length) warnings.push({ message: `${id}: SAM policy templates ${templates.join(', ')} are not expanded (SAM writes their statements at deploy time): role ${id}Role lacks what they grant`, location: jsonPath('Resources', id, 'Properties', 'Policies') });
    const role: JsonObject = {
      AssumeRolePolicyDocument: (props['AssumeRolePolicyDocument'] as Json | undefined) ?? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: [service] }, Action: ['sts:AssumeRole'] }] },
      ManagedPolicyArns: attached,
      Policies: inline,
      Tags: [{ Key: 'lambda:createdBy', Value: 'SAM' }],
    };
    const boundary = props['PermissionsBoundary'] ?? globals['PermissionsBoundary'];
    if (boundary !== undefined) role['PermissionsBoundary'] = boundary as Json;
    const path = props['RolePath'] ?? globals['RolePath'];
    if (path !== undefined) role['Path'] = path as Json;
    roles[`${id}Role`] = { Type: 'AWS::IAM::Role', Properties: role, ...(typeof raw['Condition'] === 'string' ? { Condition: raw['Condition'] } : {}) };
  }
  return { roles, warnings };
}

// --- YAML with CloudFormation tags -----------------------------------------------------------------

function parseYamlTemplate(file: string, text: string): unknown {
  // The short-form tags are left unresolved by the parser (a warning each) and read from the syntax tree below,
  // where they become the long form ({"Fn::Sub": …}) the JSON template format uses.
  checkYamlNesting(file, text);
  const doc = parseDocument(text, { schema: 'core', prettyErrors: false, logLevel: 'error' });
  const error = doc.errors[0];
  if (error) {
    const { line, column } = lineColumn(text, error.pos[0]);
    throw new ImportError(file, `the template is not valid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, `line ${line}, column ${column}`);
  }
  // Aliases are followed by hand here: bounded, or a few lines of aliases expand exponentially (or forever).
  return toJs(doc, doc.contents, new YamlWalkBudget(file, 100 * text.length + 1000), 0);
}

function toJs(doc: Document, node: unknown, budget: YamlWalkBudget, depth: number): Json {
  if (node === null || node === undefined) return null;
  budget.step(depth);
  if (isAlias(node)) return toJs(doc, node.resolve(doc), budget, depth + 1);
  let value: Json;
  if (isScalar(node)) value = (node.value ?? null) as Json;
  else if (isMap(node)) {
    const out: JsonObject = {};
    for (const pair of node.items) out[String(isScalar(pair.key) ? pair.key.value : toJs(doc, pair.key, budget, depth + 1))] = toJs(doc, pair.value, budget, depth + 1);
    value = out;
  } else if (isSeq(node)) value = node.items.map((item) => toJs(doc, item, budget, depth + 1));
  else value = null;
  const tag = (node as YamlNode).tag;
  if (!tag || !tag.startsWith('!') || tag.startsWith('!!')) return value;
  const name = tag.slice(1);
  if (name === 'Ref') return { Ref: value };
  if (name === 'Condition') return { Condition: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot > 0 ? [value.slice(0, dot), value.slice(dot + 1)] : [value] };
  }
  return { [`Fn::${name}`]: value };
}

// --- resolving intrinsics ---------------------------------------------------------------------------

const NO_VALUE = Symbol('AWS::NoValue');
type Value = Json | typeof NO_VALUE;

interface Declared {
  logicalId: string;
  type: string;
  props: Record<string, unknown>;
  /** Physical id (Ref) and attributes (GetAtt), once known. */
  ref?: string;
  attrs: Record<string, string>;
}

class TemplateReader {
  private readonly fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
  private readonly params = new Map<string, Json>();
  private readonly conditions = new Map<string, boolean | undefined>();
  private readonly declared = new Map<string, Declared>();
  private readonly unresolved = new Set<string>();
  private readonly partition = 'aws';
  /** Unknowns met while evaluating one condition. */
  private probe: Set<string> | undefined;

  constructor(
    private readonly file: string,
    private readonly template: Record<string, unknown>,
    private readonly resources: Record<string, unknown>,
    private readonly account: string | undefined,
  ) {}

  read(): GraphFragment {
    const params = this.template['Parameters'];
    if (isObject(params)) {
      for (const [name, spec] of Object.entries(params)) {
        if (!isObject(spec) || spec['Default'] === undefined) continue;
        const value = spec['Default'] as Json;
        // List parameters take their default as one comma-separated string.
        const list = typeof spec['Type'] === 'string' && /^(CommaDelimitedList|List<.*>)$/.test(spec['Type']) && typeof value === 'string';
        this.params.set(name, list ? value.split(',').map((v) => v.trim()) : value);
      }
    }
    const conditions = this.template['Conditions'];
    if (isObject(conditions)) for (const name of Object.keys(conditions)) this.condition(name, conditions);

    // Names and ARNs first: resources refer to each other in any order.
    for (const [logicalId, raw] of Object.entries(this.resources)) {
      if (!isObject(raw)) throw new ImportError(this.file, 'expected a resource with a "Type"', jsonPath('Resources', logicalId));
      const type = raw['Type'];
      if (isObject(type) && Object.keys(type).length === 1) {
        // A tag in place of the type (Rain's `!Rain::Module file.yml`): the authoring tool expands it before deploying.
        this.fragment.warnings.push({ message: `${logicalId} has the type !${Object.keys(type)[0]!.replace(/^Fn::/, '')}, which the template's authoring tool expands before deploying: what it declares is not read (import the packaged template)`, location: jsonPath('Resources', logicalId, 'Type') });
        continue;
      }
      if (typeof type !== 'string') throw new ImportError(this.file, 'the resource has no "Type"', jsonPath('Resources', logicalId, 'Type'));
      if (!RESOURCE_TYPES.has(type)) continue;
      const cond = raw['Condition'];
      if (typeof cond === 'string') {
        const holds = this.conditions.get(cond);
        if (holds === false) continue;
        if (holds === undefined) this.fragment.warnings.push({ message: `${logicalId} is created only when condition ${cond} holds, which depends on parameters without defaults; it is imported`, location: jsonPath('Resources', logicalId, 'Condition') });
      }
      const props = isObject(raw['Properties']) ? raw['Properties'] : {};
      this.declared.set(logicalId, { logicalId, type, props, attrs: {} });
    }
    for (const d of this.declared.values()) this.name(d);

    const roles = new Map<string, NodeFact>();
    const users = new Map<string, NodeFact>();
    const groups = new Map<string, NodeFact>();
    for (const d of this.declared.values()) {
      const at = (...more: string[]) => jsonPath('Resources', d.logicalId, 'Properties', ...more);
      switch (d.type) {
        case 'AWS::IAM::Role': roles.set(d.ref!, this.role(d, at)); break;
        case 'AWS::IAM::User': users.set(d.ref!, this.user(d, at)); break;
        case 'AWS::IAM::Group': groups.set(d.ref!, this.group(d, at)); break;
        default: break;
      }
    }
    const principal = (kind: 'role' | 'user' | 'group', name: string): NodeFact => {
      const map = kind === 'role' ? roles : kind === 'user' ? users : groups;
      let node = map.get(name);
      if (!node) {
        // A principal the template does not create (made elsewhere): a stub, so its policies attach.
        const arn = this.arn(`${kind}/${name}`);
        const nameProp = kind === 'role' ? 'roleName' : kind === 'user' ? 'userName' : 'groupName';
        node = { id: arn, kind: kind === 'role' ? 'aws_role' : kind === 'user' ? 'aws_user' : 'aws_group', name, handles: [arn, name], stub: true, ...this.boundary(), props: { [nameProp]: name } };
        map.set(name, node);
      }
      return node;
    };
    const list = (v: unknown, at: string): string[] => {
      const resolved = this.resolve(v, at);
      return Array.isArray(resolved) ? resolved.filter((x): x is string => typeof x === 'string') : [];
    };

    for (const d of this.declared.values()) {
      const at = (...more: string[]) => jsonPath('Resources', d.logicalId, 'Properties', ...more);
      const p = d.props;
      if (d.type === 'AWS::IAM::Policy' || d.type === 'AWS::IAM::ManagedPolicy') {
        const document = this.document(p['PolicyDocument'], at('PolicyDocument'));
        if (!isObject(document)) throw new ImportError(this.file, 'the policy has no PolicyDocument', at('PolicyDocument'));
        const targets = [
          ...list(p['Roles'], at('Roles')).map((n) => principal('role', n)),
          ...list(p['Users'], at('Users')).map((n) => principal('user', n)),
          ...list(p['Groups'], at('Groups')).map((n) => principal('group', n)),
        ];
        if (d.type === 'AWS::IAM::Policy') {
          const name = this.str(p['PolicyName'], at('PolicyName')) ?? d.logicalId;
          for (const t of targets) pushTo(t, 'inlinePolicies', { name, document });
        } else {
          const arn = d.ref!;
          const name = arn.slice(arn.lastIndexOf('/') + 1);
          const desc = this.str(p['Description'], at('Description'));
          this.fragment.nodes.push({
            id: arn, kind: 'aws_managed_policy', name, handles: [arn, name, d.logicalId], ...this.boundary(),
            props: { policyName: name, path: this.str(p['Path'], at('Path')) ?? '/', awsManaged: false, document, ...(desc ? { description: desc } : {}), cfnLogicalId: d.logicalId },
          });
          for (const t of targets) pushTo(t, 'attachedPolicies', arn);
        }
      } else if (d.type === 'AWS::IAM::InstanceProfile') {
        const roleArns = list(p['Roles'], at('Roles')).map((n) => principal('role', n).id);
        this.fragment.nodes.push({ id: d.ref!, kind: 'aws_instance_profile', name: d.attrs['name']!, handles: [d.ref!, d.attrs['name']!, d.logicalId], ...this.boundary(), props: { instanceProfileName: d.attrs['name']!, roles: roleArns, cfnLogicalId: d.logicalId } });
        for (const arn of roleArns) {
          const role = [...roles.values()].find((r) => r.id === arn);
          if (role) pushTo(role, 'instanceProfiles', d.ref!);
        }
      } else if (d.type === 'AWS::IAM::OIDCProvider' || d.type === 'AWS::IAM::SAMLProvider') {
        const oidc = d.type === 'AWS::IAM::OIDCProvider';
        const props: JsonObject = { providerType: oidc ? 'OIDC' : 'SAML', cfnLogicalId: d.logicalId };
        if (oidc) {
          props['url'] = this.str(p['Url'], at('Url')) ?? '';
          props['clientIdList'] = list(p['ClientIdList'], at('ClientIdList'));
          props['thumbprintList'] = list(p['ThumbprintList'], at('ThumbprintList'));
        }
        const tags = this.tags(p['Tags'], at('Tags'));
        if (tags) props['tags'] = tags;
        const name = d.ref!.slice(d.ref!.indexOf('-provider/') + 10);
        this.fragment.nodes.push({ id: d.ref!, kind: 'aws_identity_provider', name, handles: [d.ref!, name, d.logicalId], ...this.boundary(), props });
      } else if (d.type === 'AWS::IAM::UserToGroupAddition') {
        const group = this.str(p['GroupName'], at('GroupName'));
        if (!group) continue;
        for (const u of list(p['Users'], at('Users'))) pushTo(principal('user', u), 'groups', group);
      }
    }

    for (const user of users.values()) {
      for (const g of (user.props?.['groups'] as string[] | undefined) ?? []) {
        const group = groups.get(g);
        const to = group?.id ?? this.arn(`group/${g}`);
        this.fragment.edges.push({ from: user.id, to, kind: 'MEMBER_OF', props: { reason: 'is a member of the group (the template adds it)', ...(user.props?.['cfnLogicalId'] ? { at: jsonPath('Resources', user.props['cfnLogicalId'] as string) } : {}) } });
        if (!group) principal('group', g);
      }
    }
    this.fragment.nodes.push(...roles.values(), ...users.values(), ...groups.values());
    // Which template values a node's props depend on but the template leaves open: rules must not read `${X}`
    // as a literal (in a trust condition it would look like a match for nothing, or an IAM policy variable).
    for (const node of this.fragment.nodes) {
      if (!node.props) continue;
      const text = JSON.stringify(node.props);
      const open = [...this.unresolved].filter((name) => text.includes(`\${${name}}`));
      if (open.length) node.props['cfnUnresolved'] = open.sort();
    }
    if (this.account) this.fragment.nodes.push(...accountStubs(this.account));
    if (this.unresolved.size) {
      const names = [...this.unresolved].sort();
      const hint = names.includes('AWS::AccountId') ? ' (pass --account to fill AWS::AccountId)' : '';
      this.fragment.warnings.push({ message: `kept as text, unknown offline: ${names.map((n) => `\${${n}}`).join(', ')}${hint}` });
    }
    return this.fragment;
  }

  private boundary(): { boundary?: string } {
    return this.account ? { boundary: ids.awsAccount(this.account) } : {};
  }

  private arn(resource: string): string {
    return `arn:${this.partition}:iam::${this.account ?? this.placeholder('AWS::AccountId')}:${resource}`;
  }

  private placeholder(name: string): string {
    this.unresolved.add(name);
    this.probe?.add(name);
    return `\${${name}}`;
  }

  /** Physical names and ARNs of the template's IAM resources: what Ref and GetAtt give. */
  private name(d: Declared): void {
    const at = (...more: string[]) => jsonPath('Resources', d.logicalId, 'Properties', ...more);
    const path = () => {
      const p = this.str(d.props['Path'], at('Path')) ?? '/';
      return p.endsWith('/') ? p : `${p}/`;
    };
    const named = (prop: string, kind: string) => {
      const given = this.str(d.props[prop], at(prop));
      const name = given ?? d.logicalId;
      const arn = this.arn(`${kind}${path()}${name}`);
      d.attrs['name'] = name;
      d.attrs['Arn'] = arn;
      if (!given) d.attrs['generated'] = 'true';
      return { name, arn };
    };
    switch (d.type) {
      case 'AWS::IAM::Role': d.ref = named('RoleName', 'role').name; break;
      case 'AWS::IAM::User': d.ref = named('UserName', 'user').name; break;
      case 'AWS::IAM::Group': d.ref = named('GroupName', 'group').name; break;
      case 'AWS::IAM::InstanceProfile': d.ref = named('InstanceProfileName', 'instance-profile').arn; break;
      case 'AWS::IAM::ManagedPolicy': d.ref = named('ManagedPolicyName', 'policy').arn; d.attrs['PolicyArn'] = d.ref; break;
      case 'AWS::IAM::Policy': d.ref = this.str(d.props['PolicyName'], at('PolicyName')) ?? d.logicalId; break;
      case 'AWS::IAM::OIDCProvider': {
        const url = (this.str(d.props['Url'], at('Url')) ?? d.logicalId).replace(/^https:\/\//, '');
        d.ref = this.arn(`oidc-provider/${url}`);
        d.attrs['Arn'] = d.ref;
        break;
      }
      case 'AWS::IAM::SAMLProvider': {
        const name = this.str(d.props['Name'], at('Name')) ?? d.logicalId;
        d.ref = this.arn(`saml-provider/${name}`);
        d.attrs['Arn'] = d.ref;
        break;
      }
      default: break;
    }
  }

  private role(d: Declared, at: (...m: string[]) => string): NodeFact {
    const p = d.props;
    const arn = d.attrs['Arn']!;
    const name = d.ref!;
    const trust = this.document(p['AssumeRolePolicyDocument'], at('AssumeRolePolicyDocument'));
    if (!isObject(trust)) throw new ImportError(this.file, 'the role has no AssumeRolePolicyDocument', at('AssumeRolePolicyDocument'));
    const props: JsonObject = { roleName: name, path: this.str(p['Path'], at('Path')) ?? '/', trustPolicy: trust, ...this.principalCommon(p, at) };
    const max = this.resolve(p['MaxSessionDuration'], at('MaxSessionDuration'));
    if (typeof max === 'number' || (typeof max === 'string' && /^\d+$/.test(max))) props['maxSessionDuration'] = Number(max);
    return this.principalNode(d, 'aws_role', arn, name, props);
  }

  private user(d: Declared, at: (...m: string[]) => string): NodeFact {
    const p = d.props;
    const arn = d.attrs['Arn']!;
    const name = d.ref!;
    const props: JsonObject = { userName: name, path: this.str(p['Path'], at('Path')) ?? '/', groups: this.strings(p['Groups'], at('Groups')), ...this.principalCommon(p, at) };
    const login = this.resolve(p['LoginProfile'], at('LoginProfile'));
    if (isObject(login)) {
      // A console password set by the template; its value is never kept.
      const id = ids.awsPassword(arn);
      const reset = login['PasswordResetRequired'];
      this.fragment.nodes.push({ id, kind: 'aws_password', name: `console password of ${name}`, handles: [id], ...this.boundary(), props: { active: true, managedBy: 'user', ownerId: arn, userName: name, ...(typeof reset === 'boolean' ? { passwordResetRequired: reset } : {}) } });
      this.fragment.edges.push({ from: id, to: arn, kind: 'AUTHENTICATES_AS', props: { reason: 'authenticates as the user the template gives it to (LoginProfile)', at: at('LoginProfile') } } satisfies EdgeFact);
    }
    return this.principalNode(d, 'aws_user', arn, name, props);
  }

  private group(d: Declared, at: (...m: string[]) => string): NodeFact {
    const p = d.props;
    const props: JsonObject = { groupName: d.ref!, path: this.str(p['Path'], at('Path')) ?? '/', inlinePolicies: this.inline(p['Policies'], at('Policies')), attachedPolicies: this.strings(p['ManagedPolicyArns'], at('ManagedPolicyArns')) };
    return this.principalNode(d, 'aws_group', d.attrs['Arn']!, d.ref!, props);
  }

  private principalNode(d: Declared, kind: 'aws_role' | 'aws_user' | 'aws_group', arn: string, name: string, props: JsonObject): NodeFact {
    props['cfnLogicalId'] = d.logicalId;
    // Without a name property CloudFormation names it <stack>-<logical id>-<random>: the ARN here is a stand-in.
    if (d.attrs['generated']) props['nameGenerated'] = true;
    // An unresolved name (`${RoleName}`) reads worse than the logical id people know from the template.
    return { id: arn, kind, name: name.includes('${') ? d.logicalId : name, handles: [arn, name, d.logicalId], ...this.boundary(), props };
  }

  private principalCommon(p: Record<string, unknown>, at: (...m: string[]) => string): JsonObject {
    const out: JsonObject = { inlinePolicies: this.inline(p['Policies'], at('Policies')), attachedPolicies: this.strings(p['ManagedPolicyArns'], at('ManagedPolicyArns')) };
    const boundary = this.str(p['PermissionsBoundary'], at('PermissionsBoundary'));
    if (boundary) out['permissionsBoundary'] = boundary;
    const tags = this.tags(p['Tags'], at('Tags'));
    if (tags) {
      out['tags'] = tags;
      const owner = OWNER_TAGS.map((k) => tags[k]).find((v) => typeof v === 'string' && v);
      if (owner) out['owner'] = owner;
    }
    return out;
  }

  private inline(v: unknown, at: string): Json[] {
    const resolved = this.resolve(v, at);
    if (resolved === null || resolved === undefined) return [];
    if (!Array.isArray(resolved)) throw new ImportError(this.file, 'expected Policies to be a list of {PolicyName, PolicyDocument}', at);
    return resolved.map((pol, i) => {
      if (!isObject(pol) || (!isObject(pol['PolicyDocument']) && typeof pol['PolicyDocument'] !== 'string')) throw new ImportError(this.file, 'expected {PolicyName, PolicyDocument}', `${at}[${i}]`);
      const document = typeof pol['PolicyDocument'] === 'string' ? policyDocument(this.file, pol['PolicyDocument'], `${at}[${i}].PolicyDocument`) : pol['PolicyDocument'];
      return { name: typeof pol['PolicyName'] === 'string' ? pol['PolicyName'] : `policy-${i}`, document };
    });
  }

  /** A policy document: an object, or (CloudFormation accepts it) the same as a JSON string. */
  private document(v: unknown, at: string): Json {
    const r = this.resolve(v, at);
    return typeof r === 'string' ? policyDocument(this.file, r, at) : r;
  }

  private tags(v: unknown, at: string): Record<string, string> | undefined {
    const resolved = this.resolve(v, at);
    if (!Array.isArray(resolved)) return undefined;
    const out: Record<string, string> = {};
    for (const t of resolved) if (isObject(t) && typeof t['Key'] === 'string') out[t['Key']] = asText(t['Value'] ?? '');
    return Object.keys(out).length ? out : undefined;
  }

  private str(v: unknown, at: string): string | undefined {
    const r = this.resolve(v, at);
    return typeof r === 'string' ? r : typeof r === 'number' ? String(r) : undefined;
  }

  private strings(v: unknown, at: string): string[] {
    const r = this.resolve(v, at);
    return Array.isArray(r) ? r.filter((x): x is string => typeof x === 'string') : [];
  }

  /** A template value with its intrinsics resolved; unknowns become `${Name}` text, AWS::NoValue disappears. */
  resolve(v: unknown, at: string): Json {
    const r = this.value(v, at);
    return r === NO_VALUE ? null : r;
  }

  private value(v: unknown, at: string): Value {
    if (Array.isArray(v)) return v.map((x, i) => this.value(x, `${at}[${i}]`)).filter((x): x is Json => x !== NO_VALUE);
    if (!isObject(v)) return (v ?? null) as Json;
    const keys = Object.keys(v);
    if (keys.length === 1) {
      const fn = keys[0]!;
      const arg = v[fn];
      if (fn === 'Ref') return this.ref(asText(arg));
      if (fn.startsWith('Fn::') || fn === 'Condition') return this.intrinsic(fn, arg, `${at}.${fn}`);
    }
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) {
      const r = this.value(x, `${at}.${k}`);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  private ref(name: string): Value {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name === 'AWS::Partition') return this.partition;
    if (name === 'AWS::URLSuffix') return 'amazonaws.com';
    if (name === 'AWS::AccountId') return this.account ?? this.placeholder(name);
    if (this.params.has(name)) return this.params.get(name)!;
    const d = this.declared.get(name);
    if (d?.ref) return d.ref;
    return this.placeholder(name);
  }

  private intrinsic(fn: string, arg: unknown, at: string): Value {
    switch (fn) {
      case 'Fn::Sub': return this.sub(arg, at);
      case 'Fn::GetAtt': {
        const parts = Array.isArray(arg) ? arg.map(asText) : asText(arg).split(/\.(.*)/s).filter(Boolean);
        const [res, attr] = [parts[0] ?? '', parts[1] ?? ''];
        return this.declared.get(res)?.attrs[attr] ?? this.placeholder(`${res}.${attr}`);
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3) throw new ImportError(this.file, 'Fn::If takes [condition, value if true, value if false]', at);
        const holds = this.conditions.get(asText(arg[0]));
        if (holds === undefined) {
          this.fragment.warnings.push({ message: `condition ${asText(arg[0])} depends on parameters without defaults; its true branch is used`, location: at });
        }
        return this.value(holds === false ? arg[2] : arg[1], at);
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new ImportError(this.file, 'Fn::Join takes [delimiter, list]', at);
        const list = this.value(arg[1], at);
        return Array.isArray(list) ? list.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(asText(arg[0])) : this.placeholder('Fn::Join');
      }
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new ImportError(this.file, 'Fn::Select takes [index, list]', at);
        const list = this.value(arg[1], at);
        const i = Number(this.value(arg[0], at));
        return Array.isArray(list) && Number.isInteger(i) && i >= 0 && i < list.length ? list[i]! : this.placeholder('Fn::Select');
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new ImportError(this.file, 'Fn::Split takes [delimiter, string]', at);
        const s = this.value(arg[1], at);
        return typeof s === 'string' ? s.split(asText(arg[0])) : this.placeholder('Fn::Split');
      }
      case 'Fn::FindInMap': {
        const mappings = this.template['Mappings'];
        const keys = Array.isArray(arg) ? arg.map((k) => this.value(k, at)) : [];
        let cur: unknown = mappings;
        for (const k of keys) cur = isObject(cur) && typeof k === 'string' ? cur[k] : undefined;
        return cur === undefined ? this.placeholder(`Fn::FindInMap:${keys.map(asText).join('.')}`) : this.value(cur, at);
      }
      case 'Fn::Base64': return this.value(arg, at);
      case 'Fn::ImportValue': return this.placeholder(`ImportValue:${asText(this.value(arg, at))}`);
      case 'Fn::Equals':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not':
      case 'Condition': {
        const b = this.evaluate(fn, arg);
        return b === undefined ? this.placeholder(fn) : b;
      }
      default: return this.placeholder(fn);
    }
  }

  private sub(arg: unknown, at: string): Value {
    const [text, vars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
    if (typeof text !== 'string') throw new ImportError(this.file, 'Fn::Sub needs a string', at);
    const local = isObject(vars) ? vars : {};
    return text.replace(/\$\{(!?)([^}]*)\}/g, (_, bang: string, name: string) => {
      if (bang) return `\${${name}}`;
      if (name in local) {
        const r = this.value(local[name], at);
        return typeof r === 'string' || typeof r === 'number' ? String(r) : this.placeholder(name);
      }
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::')) {
        const r = this.intrinsic('Fn::GetAtt', [name.slice(0, dot), name.slice(dot + 1)], at);
        return typeof r === 'string' ? r : this.placeholder(name);
      }
      const r = this.ref(name);
      return typeof r === 'string' || typeof r === 'number' ? String(r) : this.placeholder(name);
    });
  }

  private condition(name: string, all: Record<string, unknown>, stack: string[] = []): boolean | undefined {
    if (this.conditions.has(name)) return this.conditions.get(name);
    if (stack.includes(name) || !(name in all)) return undefined;
    const def = all[name];
    const fn = isObject(def) ? Object.keys(def)[0] : undefined;
    const result = fn && isObject(def) ? this.evaluate(fn, def[fn], [...stack, name], all) : undefined;
    this.conditions.set(name, result);
    return result;
  }

  private evaluate(fn: string, arg: unknown, stack: string[] = [], all: Record<string, unknown> = isObject(this.template['Conditions']) ? this.template['Conditions'] : {}): boolean | undefined {
    const sub = (x: unknown): boolean | undefined => {
      if (!isObject(x)) return undefined;
      const f = Object.keys(x)[0];
      return f ? this.evaluate(f, x[f], stack, all) : undefined;
    };
    switch (fn) {
      case 'Condition': return this.condition(asText(arg), all, stack);
      case 'Fn::Not': return Array.isArray(arg) ? negate(sub(arg[0])) : undefined;
      case 'Fn::And': {
        const r = Array.isArray(arg) ? arg.map(sub) : [];
        return r.includes(false) ? false : r.length && r.every((b) => b === true) ? true : undefined;
      }
      case 'Fn::Or': {
        const r = Array.isArray(arg) ? arg.map(sub) : [];
        return r.includes(true) ? true : r.length && r.every((b) => b === false) ? false : undefined;
      }
      case 'Fn::Equals': {
        if (!Array.isArray(arg) || arg.length !== 2) return undefined;
        const outer = this.probe;
        this.probe = new Set();
        const [a, b] = arg.map((x) => JSON.stringify(this.value(x, 'Conditions')));
        const unknown = this.probe.size > 0;
        this.probe = outer;
        // A comparison with an unknown value is unknown, not false.
        return unknown ? undefined : a === b;
      }
      default: return undefined;
    }
  }
}

function negate(b: boolean | undefined): boolean | undefined {
  return b === undefined ? undefined : !b;
}

function pushTo(node: NodeFact, prop: string, value: Json): void {
  node.props ??= {};
  const list = Array.isArray(node.props[prop]) ? (node.props[prop] as Json[]) : [];
  if (!list.some((x) => JSON.stringify(x) === JSON.stringify(value))) list.push(value);
  node.props[prop] = list;
}

/** A template value as text in a name or a placeholder: scalars as written, anything else as short JSON (never "[object Object]"). */
function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return '';
  const json = JSON.stringify(v) ?? '';
  return json.length > 100 ? `${json.slice(0, 100)}…` : json;
}
