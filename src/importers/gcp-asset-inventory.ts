import { isObject } from '../model/fragment.js';
import type { GraphFragment, Json, JsonObject, NodeFact } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import type { NodeKind } from '../model/kinds.js';
import { memberStub, nodeIdOfAssetName, parseServiceAccountName, readBindings } from '../providers/gcp/iam.js';
import { ImportError, jsonPath } from './errors.js';
import { keyEdge, keyNodes } from './gcp-iam.js';
import type { ImportInput, Importer } from './types.js';

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
    if (typed && /"name"\s*:\s*"\/\/[a-z0-9.-]+\//.test(probe.head)) return 0.95;
    // gcloud asset search-all-iam-policies: {resource: "//…", policy: {bindings}}, as an array or the REST {results}.
    return /"resource"\s*:\s*"\/\/[a-z0-9.-]+\//.test(probe.head) && /"policy"\s*:\s*\{/.test(probe.head) && /"bindings"\s*:/.test(probe.head) ? 0.9 : 0;
  },
  *parse(input, ctx) {
    const file = input.fileName;
    // Assets are read as their lines are parsed: a parsed line is garbage by the next one, instead of every line
    // of the file held (and promoted to the old generation) until the last is parsed.
    const head = input.text().trimStart();
    const records = (head.startsWith('[') || /^\{\s*"results"\s*:/.test(head) ? arrayRecords(input) : lineRecords(input))[Symbol.iterator]();
    const fragment: GraphFragment = { nodes: [], edges: [], warnings: [], aliases: [] };
    const nodes = new Map<string, NodeFact>();
    const projects = new Set<string>();
    const aliased = new Set<string>();
    const put = (n: NodeFact) => {
      const prev = nodes.get(n.id);
      if (!prev) return void nodes.set(n.id, n);
      // One asset line may carry the resource and another its policy, and a member is named by every policy it is
      // in: merged into one statement, in place (the objects are this parse's own; a member of 2,000 projects'
      // policies would otherwise copy its node, props and handles 2,000 times). A stub takes the other's fields.
      const props = prev.props ?? {};
      if (n.props) Object.assign(props, n.props);
      const handles = [...new Set(prev.handles ?? [])];
      for (const h of n.handles ?? []) if (!handles.includes(h)) handles.push(h);
      const stub = Boolean(prev.stub && n.stub);
      if (prev.stub) Object.assign(prev, n);
      prev.stub = stub;
      prev.props = props;
      prev.handles = handles;
    };

    const parentIds = new Map<string, string>();
    const idOfParent = (parentName: string): string => {
      let id = parentIds.get(parentName);
      if (id === undefined) parentIds.set(parentName, (id = nodeIdOfAssetName(parentName)));
      return id;
    };
    const readAsset = ({ value: raw, at }: AssetRecord): void => {
      if (!isObject(raw)) throw new ImportError(file, 'expected an asset object', at);
      const value = fromSearchResult(raw) ?? raw;
      const name = value['name'];
      const type = value['asset_type'] ?? value['assetType'];
      if (typeof name !== 'string' || !name.startsWith('//')) throw new ImportError(file, 'an asset needs its full resource "name" (//service.googleapis.com/…)', `${at} .name`);
      if (typeof type !== 'string') throw new ImportError(file, 'an asset needs "asset_type"', `${at} .asset_type`);
      const resource = isObject(value['resource']) ? value['resource'] : undefined;
      const data = resource && isObject(resource['data']) ? resource['data'] : undefined;
      const parentName = typeof resource?.['parent'] === 'string' ? resource['parent'] : undefined;
      const ancestors = Array.isArray(value['ancestors']) ? value['ancestors'].filter((a): a is string => typeof a === 'string') : [];
      const policy = value['iam_policy'] ?? value['iamPolicy'];
      const policyKey = value === raw ? 'iam_policy' : 'policy';
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
        return;
      }
      const id = nodeIdOfAssetName(name);
      node = assetNode(type, name, id, data, described);
      if (parentName) node.props!['parent'] = idOfParent(parentName);
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
      // A search result names a project by its id and states its number beside it: one project.
      if (type === PROJECT && !data && value !== raw && typeof raw['project'] === 'string') {
        const number = nodeIdOfAssetName(raw['project']);
        if (number !== id && number.startsWith('gcp:project:') && !aliased.has(number)) {
          aliased.add(number);
          fragment.aliases!.push({ from: number, to: id }, { from: ids.admin(number), to: ids.admin(id) });
        }
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
        if (!isObject(policy)) throw new ImportError(file, `expected "${policyKey}" to be an object`, `${at} .${policyKey}`);
        const bindings = readBindings(
          policy,
          (...parts) => `${at} ${jsonPath(policyKey, ...parts)}`,
          file,
          (m) => {
            const stub = memberStub(m);
            if (stub) put(stub);
          },
          (message, location) => fragment.warnings.push({ message, location }),
        );
        if (!bindings) throw new ImportError(file, 'expected "bindings" to be an array', `${at} .${policyKey}.bindings`);
        node.props!['iamBindings'] = bindings as unknown as Json[];
      }
      put(node);
    };
    const bad = (err: unknown): never => {
      // A line that is not JSON is reported before any asset's problem, wherever it is in the file: read the rest.
      for (let r = records.next(); !r.done; r = records.next());
      throw err;
    };
    for (let r = records.next(); !r.done; r = records.next()) {
      try {
        readAsset(r.value);
      } catch (err) {
        bad(err);
      }
    }
    fragment.nodes.push(...nodes.values());
    yield fragment;
  },
};

/**
 * A result of `gcloud asset search-all-iam-policies` (REST searchAllIamPolicies): {resource, assetType, project,
 * folders, organization, policy}, the policy set on one resource and where the resource sits, read as the asset of
 * an iam-policy export would be (ancestors from the project, folders and organization, nearest first). Older (v1p1beta1)
 * results have no assetType: a project, folder or organization is known by its name, anything else is a resource.
 */
function fromSearchResult(value: Record<string, unknown>): Record<string, unknown> | undefined {
  const resource = value['resource'];
  if (value['name'] !== undefined || typeof resource !== 'string' || !resource.startsWith('//') || !isObject(value['policy'])) return undefined;
  const crm = /^\/\/cloudresourcemanager\.googleapis\.com\/(projects|folders|organizations)\/[^/]+$/.exec(resource)?.[1];
  const assetType = typeof value['assetType'] === 'string' ? value['assetType'] : crm ? CRM_TYPES[crm]! : `${resource.slice(2, resource.indexOf('/', 2))}/Unknown`;
  const self = crm ? [resource.slice('//cloudresourcemanager.googleapis.com/'.length)] : [];
  const folders = Array.isArray(value['folders']) ? value['folders'].filter((f): f is string => typeof f === 'string') : [];
  const up = [value['project'], ...folders, value['organization']].filter((a): a is string => typeof a === 'string' && a.length > 0);
  return { name: resource, assetType, iamPolicy: value['policy'], ancestors: [...new Set([...self, ...up])] };
}

const CRM_TYPES: Record<string, string> = { projects: PROJECT, folders: FOLDER, organizations: ORG };

interface AssetRecord {
  value: unknown;
  at: string;
}

function* arrayRecords(input: ImportInput): Iterable<AssetRecord> {
  const doc = input.json();
  // The REST searchAllIamPolicies response: {results: […], nextPageToken}.
  if (isObject(doc) && Array.isArray(doc['results'])) {
    for (let i = 0; i < doc['results'].length; i++) yield { value: doc['results'][i] as unknown, at: jsonPath('results', i) };
    return;
  }
  if (!Array.isArray(doc)) throw new ImportError(input.fileName, 'expected an array of assets', '$');
  for (let i = 0; i < doc.length; i++) yield { value: doc[i] as unknown, at: jsonPath(i) };
}

function* lineRecords(input: ImportInput): Iterable<AssetRecord> {
  for (const row of input.jsonLines()) {
    if ('error' in row) throw new ImportError(input.fileName, `invalid JSON: ${row.error}`, `line ${row.line}`);
    yield { value: row.value, at: `line ${row.line}` };
  }
}

const NODE_BOUNDARY_KINDS = new Set<NodeKind>(['gcp_organization', 'gcp_folder', 'gcp_project']);

function assetNode(type: string, name: string, id: string, data: Record<string, unknown> | undefined, described: boolean): NodeFact {
  // Built key by key, in the order the props have always had (62,000 assets: no closures or spread copies per asset).
  const slash = name.startsWith('//') ? name.indexOf('/', 2) : -1;
  const short = slash > 2 ? name.slice(slash + 1) : name;
  const last = short.slice(short.lastIndexOf('/') + 1);
  const props: JsonObject = { assetType: type, assetName: name };
  let node: NodeFact;
  switch (type) {
    case ORG:
    case FOLDER: {
      const displayName = text(data, 'displayName');
      if (displayName) props['displayName'] = displayName;
      node = { id, kind: type === ORG ? 'gcp_organization' : 'gcp_folder', name: displayName ?? short, handles: [short, name], props };
      break;
    }
    case PROJECT: {
      const projectId = text(data, 'projectId');
      const number = data?.['projectNumber'] !== undefined ? String(data['projectNumber']) : last;
      const displayName = text(data, 'name');
      props['projectNumber'] = number;
      if (projectId) {
        props['projectId'] = projectId;
        props['displayName'] = displayName ?? projectId;
      }
      node = { id, kind: 'gcp_project', name: projectId ?? `project ${number}`, handles: handlesOf(projectId, number, name, displayName), props };
      break;
    }
    case SA: {
      const email = text(data, 'email')?.toLowerCase();
      const projectId = text(data, 'projectId');
      const uniqueId = text(data, 'uniqueId');
      const displayName = text(data, 'displayName');
      if (email) props['email'] = email;
      if (uniqueId) props['uniqueId'] = uniqueId;
      if (displayName) props['displayName'] = displayName;
      if (projectId) {
        props['projectId'] = projectId;
        props['accountId'] = projectId;
      }
      if (data) props['disabled'] = data['disabled'] === true;
      node = { id, kind: 'gcp_service_account', name: email ?? `service account ${last}`, handles: handlesOf(email, uniqueId, text(data, 'oauth2ClientId'), last), props };
      break;
    }
    default: {
      const displayName = text(data, 'displayName');
      if (displayName) props['displayName'] = displayName;
      node = { id, kind: 'gcp_resource', name: `${last} (${type.slice(type.lastIndexOf('/') + 1)})`, handles: [name, short], props };
    }
  }
  if (!described) node.stub = true;
  return node;
}

/** A non-empty string field of the asset's data. */
function text(data: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = data?.[key];
  return typeof v === 'string' && v ? v : undefined;
}

/** The handles given, without the empty ones and repeats, in order. */
function handlesOf(...handles: (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const h of handles) if (h && !out.includes(h)) out.push(h);
  return out;
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
