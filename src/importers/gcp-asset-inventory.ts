import { isObject } from '../model/fragment.js';
import type { GraphFragment, Json, JsonObject, NodeFact } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import type { NodeKind } from '../model/kinds.js';
import { memberStub, nodeIdOfAssetName, parseServiceAccountName, readBindings } from '../providers/gcp/iam.js';
import { ImportError, jsonPath } from './errors.js';
import { keyEdge, keyNodes } from './gcp-iam.js';
import type { Importer } from './types.js';

// Cloud Asset Inventory exports: `gcloud asset export --content-type=resource|iam-policy` written to GCS
// (JSON-lines, snake_case: asset_type, iam_policy), and the same assets as a JSON array or from the REST API
// (camelCase: assetType, iamPolicy). Hierarchy comes from resource.parent and ancestors; bindings are stored on
// their asset's node and applied (and inherited down the hierarchy) by the gcp-iam-bindings rule.

const ORG = 'cloudresourcemanager.googleapis.com/Organization';
const FOLDER = 'cloudresourcemanager.googleapis.com/Folder';
const PROJECT = 'cloudresourcemanager.googleapis.com/Project';
const SA = 'iam.googleapis.com/ServiceAccount';
const SA_KEY = 'iam.googleapis.com/ServiceAccountKey';

export const gcpAssetInventory: Importer = {
  format: 'gcp-asset-inventory',
  title: 'GCP Cloud Asset Inventory export (resources and IAM policies; JSON-lines or JSON array)',
  provider: 'gcp',
  producedBy: 'gcloud asset export --content-type=resource|iam-policy (GCS JSON-lines); gcloud asset list --format=json; Asset API',
  emits: ['AUTHENTICATES_AS'],
  jsonLines: true,
  detect(probe) {
    const typed = /"(asset_type|assetType)"\s*:\s*"[a-z0-9.-]+\.(googleapis\.com|k8s\.io)\//.test(probe.head) || /"(asset_type|assetType)"\s*:\s*"k8s\.io\//.test(probe.head);
    return typed && /"name"\s*:\s*"\/\/[a-z0-9.-]+\//.test(probe.head) ? 0.95 : 0;
  },
  *parse(input, ctx) {
    const file = input.fileName;
    const records: { value: unknown; at: string }[] = [];
    if (input.text().trimStart().startsWith('[')) {
      const doc = input.json();
      if (!Array.isArray(doc)) throw new ImportError(file, 'expected an array of assets', '$');
      doc.forEach((value: unknown, i) => records.push({ value, at: jsonPath(i) }));
    } else {
      for (const row of input.jsonLines()) {
        if ('error' in row) throw new ImportError(file, `invalid JSON: ${row.error}`, `line ${row.line}`);
        records.push({ value: row.value, at: `line ${row.line}` });
      }
    }

    const fragment: GraphFragment = { nodes: [], edges: [], warnings: [], aliases: [] };
    const nodes = new Map<string, NodeFact>();
    const projects = new Set<string>();
    const aliased = new Set<string>();
    const put = (n: NodeFact) => {
      const prev = nodes.get(n.id);
      if (!prev) return void nodes.set(n.id, n);
      // One asset line may carry the resource and another its policy: merge them into one statement.
      nodes.set(n.id, { ...prev, ...(prev.stub ? n : {}), stub: Boolean(prev.stub && n.stub), props: { ...prev.props, ...n.props }, handles: [...new Set([...(prev.handles ?? []), ...(n.handles ?? [])])] });
    };

    for (const { value, at } of records) {
      if (!isObject(value)) throw new ImportError(file, 'expected an asset object', at);
      const name = value['name'];
      const type = value['asset_type'] ?? value['assetType'];
      if (typeof name !== 'string' || !name.startsWith('//')) throw new ImportError(file, 'an asset needs its full resource "name" (//service.googleapis.com/…)', `${at} .name`);
      if (typeof type !== 'string') throw new ImportError(file, 'an asset needs "asset_type"', `${at} .asset_type`);
      const resource = isObject(value['resource']) ? value['resource'] : undefined;
      const data = resource && isObject(resource['data']) ? resource['data'] : undefined;
      const parentName = typeof resource?.['parent'] === 'string' ? resource['parent'] : undefined;
      const ancestors = Array.isArray(value['ancestors']) ? value['ancestors'].filter((a): a is string => typeof a === 'string') : [];
      const policy = value['iam_policy'] ?? value['iamPolicy'];
      const where = `${file} ${at}`;

      // The node this asset is, by type. Assets seen only through their policy are stubs.
      const described = data !== undefined;
      let node: NodeFact;
      if (type === SA_KEY) {
        const parsed = parseServiceAccountName(name.replace(/^\/\/iam\.googleapis\.com\//, ''));
        const dataName = data && typeof data['name'] === 'string' ? parseServiceAccountName(data['name']) : undefined;
        if (!parsed?.keyId) throw new ImportError(file, 'a ServiceAccountKey name ends in …/serviceAccounts/SA/keys/KEY_ID', `${at} .name`);
        // The data's name has the email where the asset name has the unique id; prefer the email.
        const account = dataName?.account ?? parsed.account;
        const keyFacts = keyNodes(parsed.keyId, account, parsed.project, data ?? {}, where, ctx, projects);
        for (const n of keyFacts) put(n);
        fragment.edges.push(keyEdge(keyFacts[0]!, account, where, ctx.now));
        if (account !== parsed.account) fragment.aliases!.push({ from: ids.gcpServiceAccount(parsed.account), to: ids.gcpServiceAccount(account) });
        continue;
      }
      const id = nodeIdOfAssetName(name);
      node = assetNode(type, name, id, data, described);
      if (parentName) node.props!['parent'] = nodeIdOfAssetName(parentName);
      if (ancestors.length) node.props!['ancestors'] = ancestors.map(nodeIdOfAssetName);
      node.props!['at'] = where;

      if (type === PROJECT && data) {
        const projectId = typeof data['projectId'] === 'string' ? data['projectId'] : undefined;
        const number = typeof data['projectNumber'] === 'string' || typeof data['projectNumber'] === 'number' ? String(data['projectNumber']) : undefined;
        const canonical = projectId ? ids.gcpProject(projectId) : id;
        // Asset names use the project number; IAM listings and emails use the project id.
        for (const alias of [id, number ? ids.gcpProject(number) : undefined]) {
          if (alias && alias !== canonical && !aliased.has(alias)) {
            aliased.add(alias);
            fragment.aliases!.push({ from: alias, to: canonical }, { from: ids.admin(alias), to: ids.admin(canonical) });
          }
        }
        node = { ...node, id: canonical };
      }
      if (type === SA && data && typeof data['email'] === 'string') {
        const canonical = ids.gcpServiceAccount(data['email']);
        if (canonical !== id) fragment.aliases!.push({ from: id, to: canonical });
        node = { ...node, id: canonical };
      }
      if (NODE_BOUNDARY_KINDS.has(node.kind)) {
        put({ id: ids.admin(node.id), kind: 'admin', name: `Admin of ${node.name}`, boundary: node.id, ...(described ? {} : { stub: true }) });
      } else {
        const project = projectOf(node, ancestors);
        if (project) node.boundary = project;
      }

      if (policy !== undefined) {
        if (!isObject(policy)) throw new ImportError(file, 'expected "iam_policy" to be an object', `${at} .iam_policy`);
        const bindings = readBindings(
          policy,
          (...parts) => `${at} ${jsonPath('iam_policy', ...parts)}`,
          file,
          (m) => {
            const stub = memberStub(m);
            if (stub) put(stub);
          },
          (message, location) => fragment.warnings.push({ message, location }),
        );
        if (!bindings) throw new ImportError(file, 'expected "bindings" to be an array', `${at} .iam_policy.bindings`);
        node.props!['iamBindings'] = bindings as unknown as Json[];
      }
      put(node);
    }
    fragment.nodes.push(...nodes.values());
    yield fragment;
  },
};

const NODE_BOUNDARY_KINDS = new Set<NodeKind>(['gcp_organization', 'gcp_folder', 'gcp_project']);

function assetNode(type: string, name: string, id: string, data: Record<string, unknown> | undefined, described: boolean): NodeFact {
  const stub = described ? {} : { stub: true };
  const s = (k: string) => (data && typeof data[k] === 'string' && data[k] ? (data[k] as string) : undefined);
  const short = name.replace(/^\/\/[^/]+\//, '');
  const last = short.split('/').pop() ?? short;
  const props: JsonObject = { assetType: type, assetName: name };
  switch (type) {
    case ORG:
      return { id, kind: 'gcp_organization', name: s('displayName') ?? short, handles: [short, name], props: { ...props, ...(s('displayName') ? { displayName: s('displayName')! } : {}) }, ...stub };
    case FOLDER:
      return { id, kind: 'gcp_folder', name: s('displayName') ?? short, handles: [short, name], props: { ...props, ...(s('displayName') ? { displayName: s('displayName')! } : {}) }, ...stub };
    case PROJECT: {
      const projectId = s('projectId');
      const number = data?.['projectNumber'] !== undefined ? String(data['projectNumber']) : last;
      return {
        id,
        kind: 'gcp_project',
        name: projectId ?? `project ${number}`,
        handles: [...new Set([projectId, number, name, s('name')].filter((h): h is string => Boolean(h)))],
        props: { ...props, projectNumber: number, ...(projectId ? { projectId, displayName: s('name') ?? projectId } : {}) },
        ...stub,
      };
    }
    case SA: {
      const email = s('email')?.toLowerCase();
      const projectId = s('projectId');
      return {
        id,
        kind: 'gcp_service_account',
        name: email ?? `service account ${last}`,
        handles: [...new Set([email, s('uniqueId'), s('oauth2ClientId'), last].filter((h): h is string => Boolean(h)))],
        props: {
          ...props,
          ...(email ? { email } : {}),
          ...(s('uniqueId') ? { uniqueId: s('uniqueId')! } : {}),
          ...(s('displayName') ? { displayName: s('displayName')! } : {}),
          ...(projectId ? { projectId, accountId: projectId } : {}),
          ...(data ? { disabled: data['disabled'] === true } : {}),
        },
        ...stub,
      };
    }
    default:
      return { id, kind: 'gcp_resource', name: `${last} (${type.split('/').pop()})`, handles: [name, short], props: { ...props, ...(data && s('displayName') ? { displayName: s('displayName')! } : {}) }, ...stub };
  }
}

/** The project a resource lives in: its ancestors when exported, else its parent when that is a project. */
function projectOf(node: NodeFact, ancestors: string[]): string | undefined {
  const fromAncestors = ancestors.find((a) => a.startsWith('projects/'));
  if (fromAncestors) return nodeIdOfAssetName(fromAncestors);
  const parent = node.props?.['parent'];
  if (typeof parent === 'string' && parent.startsWith('gcp:project:')) return parent;
  const projectId = node.props?.['projectId'];
  return typeof projectId === 'string' ? ids.gcpProject(projectId) : undefined;
}
