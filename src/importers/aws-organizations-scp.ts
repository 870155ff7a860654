import { isObject } from '../model/fragment.js';
import { basename } from 'node:path';
import type { GraphFragment, JsonObject, NodeFact } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import { accountStubs, outputItems, policyDocument } from './aws-util.js';
import { ImportError, shown } from './errors.js';
import type { Importer } from './types.js';

// AWS Organizations service control policies, as saved from the CLI:
//   aws organizations describe-policy --policy-id P      {Policy: {PolicySummary: {Id, Arn, Name, AwsManaged, Type}, Content}}
//   aws organizations list-targets-for-policy --policy-id P   {Targets: [{TargetId, Arn, Name, Type}]}
//   aws organizations list-policies --filter SERVICE_CONTROL_POLICY   {Policies: [{Id, Arn, Name, AwsManaged, Type}]}
// one per file, several printed one after another, a JSON array of them, or the wrapper scripts write per policy:
// describe-policy's object with "Targets" added ({Policy: {…}, Targets: […]}).
//
// list-targets-for-policy does not name its policy. Its targets attach to the policy described in the same
// JSON value (wrapper), else to the only policy the file describes, else to the policy id in the file name
// (`targets-p-abcd1234.json`, what a loop over policy ids naturally writes) — with a warning, since a name is
// only a hint. Anything else is an error that says how to save the file.

const POLICY_ID = /(?<![0-9A-Za-z])p-(?:[0-9a-z]{8,128}|FullAWSAccess)(?![0-9A-Za-z])/;
const SCP_TYPE = 'SERVICE_CONTROL_POLICY';
const TARGET_TYPES = new Set(['ACCOUNT', 'ORGANIZATIONAL_UNIT', 'ROOT']);

export const awsOrganizationsScp: Importer = {
  format: 'aws-organizations-scp',
  title: 'AWS Organizations service control policies (describe-policy, list-targets-for-policy, list-policies JSON)',
  provider: 'aws',
  producedBy: 'aws organizations describe-policy / list-targets-for-policy / list-policies --filter SERVICE_CONTROL_POLICY',
  emits: [],
  detect(probe) {
    if (!probe.looksJson) return 0;
    const h = probe.head;
    if (/"PolicySummary"\s*:/.test(h) && /"Content"\s*:/.test(h)) return 0.95;
    if (/"Targets"\s*:\s*\[/.test(h) && /"TargetId"\s*:/.test(h)) return 0.9;
    if (/"Policies"\s*:\s*\[/.test(h) && /"AwsManaged"\s*:/.test(h) && /"Type"\s*:\s*"[A-Z_]+_POLICY"/.test(h)) return 0.9;
    return 0;
  },
  parse(input) {
    const file = input.fileName;
    const items = outputItems(input);

    const fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
    const described = new Map<string, NodeFact>();
    const listed: NodeFact[] = [];
    const looseTargets: { targets: JsonObject[]; at: string; org?: OrgRef }[] = [];
    const accounts = new Set<string>();
    for (const { value, at } of items) {
      if (!isObject(value)) throw new ImportError(file, 'expected an Organizations output object', at());
      if (typeof value['NextToken'] === 'string') {
        fragment.warnings.push({ message: 'this output is one page of several (NextToken): later pages are missing; run the command without --max-items', location: at() });
      }
      let policy: NodeFact | undefined;
      if (value['Policy'] !== undefined) {
        policy = readDescribed(file, value['Policy'], (...m) => at('Policy', ...m));
        if (policy) described.set(policy.id, policy);
      }
      if (value['Targets'] !== undefined) {
        const { targets, org } = readTargets(file, value['Targets'], (...m) => at('Targets', ...m), accounts);
        if (policy) policy.props!['targets'] = targets;
        else looseTargets.push({ targets, at: at('Targets'), ...(org ? { org } : {}) });
      }
      if (value['Policies'] !== undefined) listed.push(...readListed(file, value['Policies'], (...m) => at('Policies', ...m), fragment));
      if (value['Policy'] === undefined && value['Targets'] === undefined && value['Policies'] === undefined) {
        throw new ImportError(file, 'expected "Policy" (describe-policy), "Targets" (list-targets-for-policy) or "Policies" (list-policies)', at());
      }
    }

    const fromDescribe = new Map(described);
    for (const loose of looseTargets) {
      const found = attachTo(file, loose, fromDescribe, fragment);
      const policy = described.get(found.id) ?? found;
      described.set(policy.id, policy);
      policy.props!['targets'] = [...((policy.props!['targets'] as JsonObject[] | undefined) ?? []), ...loose.targets];
    }
    for (const p of described.values()) fragment.nodes.push(p);
    for (const p of listed) if (!described.has(p.id)) fragment.nodes.push(p);
    for (const account of accounts) fragment.nodes.push(...accountStubs(account));
    return fragment;
  },
};

interface OrgRef {
  management: string;
  orgId: string;
}

function readDescribed(file: string, raw: unknown, at: (...m: (string | number)[]) => string): NodeFact | undefined {
  if (!isObject(raw) || !isObject(raw['PolicySummary'])) throw new ImportError(file, 'expected {PolicySummary: {…}, Content: "<policy JSON>"}', at());
  const summary = raw['PolicySummary'];
  const node = summaryNode(file, summary, (...m) => at('PolicySummary', ...m));
  if (summary['Type'] !== undefined && summary['Type'] !== SCP_TYPE) return undefined;
  node.props!['document'] = policyDocument(file, raw['Content'], at('Content'));
  node.stub = false;
  return node;
}

function readListed(file: string, raw: unknown, at: (...m: (string | number)[]) => string, fragment: GraphFragment): NodeFact[] {
  if (!Array.isArray(raw)) throw new ImportError(file, 'expected an array of policy summaries', at());
  const out: NodeFact[] = [];
  raw.forEach((summary, i) => {
    if (!isObject(summary)) throw new ImportError(file, 'expected a policy summary {Id, Arn, Name, Type, AwsManaged}', at(i));
    if (summary['Type'] !== undefined && summary['Type'] !== SCP_TYPE) {
      const type = summary['Type'];
      const name = typeof summary['Name'] === 'string' ? summary['Name'] : shown(summary['Id']);
      fragment.warnings.push({ message: `${name} skipped: ${typeof type === 'string' ? `a ${type}` : `its Type is ${shown(type)}`}, not a service control policy`, location: at(i) });
      return;
    }
    out.push(summaryNode(file, summary, (...m) => at(i, ...m)));
  });
  return out;
}

/** The policy as its summary describes it: a stub until its content is known. */
function summaryNode(file: string, s: Record<string, unknown>, at: (...m: (string | number)[]) => string): NodeFact {
  const arn = s['Arn'];
  const id = s['Id'];
  if (typeof arn !== 'string' || !/^arn:[\w-]+:organizations::(\d{12}|aws):policy\//.test(arn)) throw new ImportError(file, `Arn ${shown(arn)} is not an Organizations policy ARN`, at('Arn'));
  const name = typeof s['Name'] === 'string' ? s['Name'] : typeof id === 'string' ? id : arn;
  const management = arn.split(':')[4]!;
  const props: JsonObject = { policyName: name, awsManaged: s['AwsManaged'] === true || management === 'aws' };
  if (typeof id === 'string') props['policyId'] = id;
  if (typeof s['Description'] === 'string') props['description'] = s['Description'];
  return {
    id: ids.awsArn(arn),
    kind: 'aws_scp',
    name,
    handles: [arn, name, ...(typeof id === 'string' ? [id] : [])],
    ...(management !== 'aws' ? { boundary: ids.awsAccount(management) } : {}),
    props,
    stub: true,
  };
}

function readTargets(file: string, raw: unknown, at: (...m: (string | number)[]) => string, accounts: Set<string>): { targets: JsonObject[]; org?: OrgRef } {
  if (!Array.isArray(raw)) throw new ImportError(file, 'expected an array of targets', at());
  let org: OrgRef | undefined;
  const targets = raw.map((t, i): JsonObject => {
    if (!isObject(t)) throw new ImportError(file, 'expected a target {TargetId, Arn, Name, Type}', at(i));
    const targetId = t['TargetId'];
    const type = t['Type'];
    if (typeof targetId !== 'string' || !targetId) throw new ImportError(file, 'a target needs its TargetId', at(i, 'TargetId'));
    if (typeof type !== 'string' || !TARGET_TYPES.has(type)) throw new ImportError(file, `Type ${shown(type)} is not ACCOUNT, ORGANIZATIONAL_UNIT or ROOT`, at(i, 'Type'));
    if (type === 'ACCOUNT') accounts.add(targetId);
    // arn:aws:organizations::<management account>:account/o-xxxx/<id>: names the organization.
    const m = typeof t['Arn'] === 'string' ? /^arn:[\w-]+:organizations::(\d{12}):\w+\/(o-[0-9a-z]+)\//.exec(t['Arn']) : null;
    if (m) org ??= { management: m[1]!, orgId: m[2]! };
    const target: JsonObject = { targetId, type };
    if (typeof t['Name'] === 'string') target['name'] = t['Name'];
    if (typeof t['Arn'] === 'string') target['arn'] = t['Arn'];
    return target;
  });
  return org ? { targets, org } : { targets };
}

/**
 * The policy bare targets belong to: the one the file name's policy id names (described in the file, or placed
 * by the organization the targets' ARNs name), else the only policy the file describes.
 */
function attachTo(file: string, loose: { at: string; org?: OrgRef }, described: Map<string, NodeFact>, fragment: GraphFragment): NodeFact {
  const hint = POLICY_ID.exec(basename(file))?.[0];
  const how = 'save describe-policy and list-targets-for-policy of one policy together (one file, or {"Policy": …, "Targets": […]}), or put the policy id in the targets file\'s name (targets-p-abcd1234.json)';
  if (hint) {
    const match = [...described.values()].find((p) => p.props?.['policyId'] === hint);
    if (match) return match;
    if (described.size > 0) throw new ImportError(file, `the file name names policy ${hint} but the file describes ${[...described.values()].map((p) => String(p.props?.['policyId'] ?? p.id)).join(', ')}; which policy do the targets belong to? ${how}`, loose.at);
  } else {
    if (described.size === 1) return [...described.values()][0]!;
    if (described.size > 1) throw new ImportError(file, `list-targets-for-policy output does not name its policy and the file describes ${described.size}; ${how}`, loose.at);
    throw new ImportError(file, `list-targets-for-policy output does not name its policy; ${how}`, loose.at);
  }
  const arn = hint === 'p-FullAWSAccess'
    ? 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess'
    : loose.org
      ? `arn:aws:organizations::${loose.org.management}:policy/${loose.org.orgId}/service_control_policy/${hint}`
      : undefined;
  if (!arn) throw new ImportError(file, `the targets carry no ARN naming the organization, so policy ${hint} (from the file name) cannot be placed; ${how}`, loose.at);
  fragment.warnings.push({ message: `targets attached to policy ${hint}, taken from the file name (list-targets-for-policy output does not name its policy)`, location: loose.at });
  return {
    id: ids.awsArn(arn),
    kind: 'aws_scp',
    name: hint,
    handles: [arn, hint],
    ...(loose.org ? { boundary: ids.awsAccount(loose.org.management) } : {}),
    props: { policyId: hint, awsManaged: hint === 'p-FullAWSAccess' },
    stub: true,
  };
}
