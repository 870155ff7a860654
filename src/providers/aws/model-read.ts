import { isJsonObject } from '../../model/fragment.js';
import type { DeriveContext } from '../../analysis/edges/types.js';
import type { Json } from '../../model/fragment.js';
import { arnAccount, ids } from '../../model/ids.js';
import type { StoredNode } from '../../store/case-store.js';
import type { Principal, ScpLayer } from './model.js';
import { statementsOf, strings, type PolicyRef, type Statement, type Variables } from './policy.js';

// What the AWS model reads from the case's nodes: each user's and role's identity statements in blocks (its inline
// policies, each attached managed policy, each group's), its boundary and policy-variable values; and the SCP
// layers over each account.

interface ModelParts {
  policies: Map<string, { statements: Statement[] }>;
  groups: Map<string, { members: string[] }>;
  groupsByName: Map<string, string>;
  groupBlocks: Map<string, readonly Statement[][]>;
}

/** A user or role of the case as the model holds it (undefined for stubs and ARNs without an account); its identity blocks go to `blocks`. */
export function principalOf(ctx: DeriveContext, node: StoredNode, kind: 'aws_user' | 'aws_role', parts: ModelParts, asOf: number, blocks: Statement[][]): Principal | undefined {
  if (node.stub) return undefined;
  const account = arnAccount(node.id);
  if (!account) return undefined;
  const props = node.props;
  const user = kind === 'aws_user';
  const name = String(props[user ? 'userName' : 'roleName'] ?? node.name);
  const label = `${user ? 'user' : 'role'} ${name}`;
  const groupArns: string[] = [];
  if (user) {
    const names = strings(props['groups'] as Json);
    for (let i = 0; i < names.length; i++) {
      const arn = parts.groupsByName.get(`${account}/${names[i]}`);
      if (arn) groupArns.push(arn);
    }
    // Sources that state membership only as edges (no props.groups): read the edges.
    if (!names.length) for (const e of ctx.out(node.id, 'MEMBER_OF')) if (parts.groups.has(e.dst) && !groupArns.includes(e.dst)) groupArns.push(e.dst);
  }
  const attachedPolicies = strings(props['attachedPolicies'] as Json);
  // Its own blocks, then each group's: the statements in the order they always came in.
  addBlocks(node, parts.policies, label, attachedPolicies, blocks);
  for (let i = 0; i < groupArns.length; i++) {
    const g = groupArns[i]!;
    parts.groups.get(g)!.members.push(node.id);
    const own = parts.groupBlocks.get(g)!;
    for (let j = 0; j < own.length; j++) blocks.push(own[j]!);
  }
  const identity: Statement[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    for (let j = 0; j < b.length; j++) identity.push(b[j]!);
  }
  const boundaryArn = typeof props['permissionsBoundary'] === 'string' ? props['permissionsBoundary'] : undefined;
  const boundaryPolicy = boundaryArn ? parts.policies.get(boundaryArn) : undefined;
  const tags = isJsonObject(props['tags']) ? (props['tags'] as Record<string, string>) : undefined;
  const userId = String(props[user ? 'userId' : 'roleId'] ?? '') || undefined;
  const vars: Variables = new Map();
  vars.set('aws:principalaccount', account);
  vars.set('aws:principalarn', node.id);
  if (user) {
    vars.set('aws:username', name);
    if (userId) vars.set('aws:userid', userId);
  } else vars.set('aws:username', null);
  if (tags) {
    vars.set('aws:principaltag/*', null);
    for (const k of Object.keys(tags)) vars.set(`aws:principaltag/${k.toLowerCase()}`, tags[k]!);
  }
  return {
    id: node.id,
    arn: node.id,
    kind,
    name,
    account,
    node,
    userId,
    tags,
    identity,
    boundary: boundaryArn ? (boundaryPolicy ? boundaryPolicy.statements.map((s) => ({ ...s, ref: { ...s.ref, kind: 'boundary' as const, label: `permissions boundary ${s.ref.label.replace(/^managed policy /, '')}` } })) : 'missing') : undefined,
    boundaryArn,
    groups: groupArns,
    attachedPolicies,
    vars,
    asOf,
  };
}

function inlineStatements(node: StoredNode, owner: string): Statement[] {
  // GAAD and templates list a principal's inline policies; outputs of one get-role-policy each store theirs under
  // inlinePolicy:<name> (aws-iam-cli), so several files add up. A name listed both ways counts once.
  const listed = Array.isArray(node.props['inlinePolicies']) ? (node.props['inlinePolicies'] as Json[]) : [];
  let names: Set<string> | undefined;
  // for…in, not Object.entries: most principals have no such key, and a pair array per prop per principal adds up.
  let list = listed;
  for (const k in node.props) {
    if (!k.startsWith('inlinePolicy:')) continue;
    names ??= new Set(listed.map((p) => (isJsonObject(p) ? String(p['name'] ?? '') : '')));
    if (!names.has(k.slice('inlinePolicy:'.length))) {
      if (list === listed) list = [...listed];
      list.push(node.props[k]!);
    }
  }
  if (!list.length) return [];
  return list.flatMap((pol) => {
    if (!isJsonObject(pol)) return [];
    const name = String(pol['name'] ?? '');
    const ref: PolicyRef = { label: `inline policy ${name} of ${owner}`, location: `${node.id} inline policy ${name}`, kind: 'identity' };
    return statementsOf(pol['document'], ref);
  });
}

/** A principal's or group's identity blocks: its inline policies' statements, then each attached policy's (none empty). */
export function blocksOf(node: StoredNode, policies: Map<string, { statements: Statement[] }>, owner: string): Statement[][] {
  const blocks: Statement[][] = [];
  addBlocks(node, policies, owner, strings(node.props['attachedPolicies'] as Json), blocks);
  return blocks;
}

function addBlocks(node: StoredNode, policies: Map<string, { statements: Statement[] }>, owner: string, attached: readonly string[], blocks: Statement[][]): void {
  const inline = inlineStatements(node, owner);
  if (inline.length) blocks.push(inline);
  for (let i = 0; i < attached.length; i++) {
    const arn = attached[i]!;
    const block = policies.get(arn)?.statements ?? missingPolicy(arn, owner);
    if (block.length) blocks.push(block);
  }
}

// A managed policy attached but absent from the case (another file, or AWS-managed and not exported): AWS
// AdministratorAccess is known by name; others grant nothing we can see.
function missingPolicy(arn: string, owner: string): Statement[] {
  if (arn.endsWith(':iam::aws:policy/AdministratorAccess')) {
    return statementsOf({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, { label: `managed policy AdministratorAccess (attached to ${owner}; its well-known document)`, location: arn, kind: 'identity' });
  }
  return [];
}

export function scpLayers(ctx: DeriveContext, accounts: Set<string>): { scps: Map<string, ScpLayer[]>; notes: Map<string, string[]> } {
  const scps = new Map<string, ScpLayer[]>();
  const notes = new Map<string, string[]>();
  const nodes = [...ctx.nodesOfKind('aws_scp')];
  if (!nodes.length) return { scps, notes };
  for (const account of accounts) {
    const acct = ctx.node(ids.awsAccount(account));
    // SCPs never restrict the organization's management account.
    if (acct?.props['isManagementAccount'] === true || acct?.props['managementAccountId'] === account) continue;
    const ous = strings((acct?.props['organizationalUnits'] ?? acct?.props['parentIds']) as Json);
    const layers = new Map<string, ScpLayer>();
    for (const node of nodes) {
      const name = String(node.props['policyName'] ?? node.name);
      const targets = Array.isArray(node.props['targets']) ? (node.props['targets'] as Json[]).filter(isJsonObject) : [];
      for (const t of targets) {
        const type = String(t['type'] ?? '');
        const id = String(t['targetId'] ?? '');
        let layerKey: string | undefined;
        if (type === 'ROOT') layerKey = 'root';
        else if (type === 'ACCOUNT' && id === account) layerKey = 'account';
        else if (type === 'ORGANIZATIONAL_UNIT') {
          if (ous.includes(id)) layerKey = `ou:${id}`;
          else if (!ous.length) {
            const list = notes.get(account) ?? [];
            list.push(`SCP ${name} targets OU ${id}; the OU of account ${account} is not in the case, so it is not applied`);
            notes.set(account, list);
          }
        }
        if (!layerKey) continue;
        const layer = layers.get(layerKey) ?? { label: layerKey, statements: [] };
        layer.statements.push(...statementsOf(node.props['document'], { label: `SCP ${name}`, location: node.id, kind: 'scp' }));
        layers.set(layerKey, layer);
      }
    }
    if (layers.size) scps.set(account, [...layers.values()]);
  }
  return { scps, notes };
}
