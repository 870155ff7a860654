import { isObject } from '../model/fragment.js';
import type { GraphFragment, JsonObject, NodeFact } from '../model/fragment.js';
import { ids } from '../model/ids.js';
import { projectNodes } from '../providers/gcp/iam.js';
import { ImportError, jsonPath } from './errors.js';
import type { Importer } from './types.js';

// IAM roles as gcloud prints them:
//   gcloud iam roles describe ROLE --project P | --organization O --format=json
//     {description, etag, includedPermissions: [...], name: "projects/P/roles/R", stage, title, deleted?}
//   gcloud iam roles list --project P | --organization O --format=json: an array of the same without
//     includedPermissions (the list view omits them); REST roles.list ({roles: [...]}, with view=FULL they are in).
// A role is stored as a node its bindings resolve through (gcp-iam-bindings): its permissions say what it grants.

const ROLE_NAME = /^(?:(projects|organizations)\/([^/]+)\/)?roles\/[A-Za-z0-9_.]+$/;

export const gcpCustomRoles: Importer = {
  format: 'gcp-custom-roles',
  title: 'GCP IAM roles (gcloud iam roles describe / list)',
  provider: 'gcp',
  producedBy: 'gcloud iam roles describe|list [--project P | --organization O] --format=json; GET iam.googleapis.com/v1/projects/P/roles',
  emits: [],
  detect(probe) {
    if (!probe.looksJson || /"asset_?[tT]ype"/.test(probe.head)) return 0;
    const named = /"name"\s*:\s*"(projects|organizations)\/[^/"]+\/roles\/[^"]+"/.test(probe.head) || /"name"\s*:\s*"roles\/[^"]+"/.test(probe.head);
    if (!named || /"bindings"\s*:/.test(probe.head)) return 0;
    if (/"includedPermissions"\s*:/.test(probe.head)) return 0.95;
    return /"(stage|etag)"\s*:/.test(probe.head) && /"title"\s*:/.test(probe.head) ? 0.85 : 0;
  },
  parse(input) {
    const file = input.fileName;
    const doc = input.json();
    const { list, base } = Array.isArray(doc) ? { list: doc, base: [] as (string | number)[] } : isObject(doc) && Array.isArray(doc['roles']) ? { list: doc['roles'] as unknown[], base: ['roles'] } : { list: [doc], base: undefined };
    const fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
    const scopes = new Map<string, NodeFact[]>();
    let withoutPermissions = 0;
    list.forEach((raw, i) => {
      const at = base ? jsonPath(...base, i) : '$';
      if (!isObject(raw)) throw new ImportError(file, 'expected an IAM role object', at);
      const name = raw['name'];
      const m = typeof name === 'string' ? ROLE_NAME.exec(name) : null;
      if (typeof name !== 'string' || !m) throw new ImportError(file, 'a role needs its "name" (projects/P/roles/R, organizations/O/roles/R or roles/R)', `${at}.name`);
      const perms = raw['includedPermissions'];
      if (perms !== undefined && (!Array.isArray(perms) || perms.some((p) => typeof p !== 'string'))) throw new ImportError(file, '"includedPermissions" must be an array of permission names', `${at}.includedPermissions`);
      if (perms === undefined) withoutPermissions++;
      const boundary = m[1] === 'projects' ? ids.gcpProject(m[2]!) : m[1] === 'organizations' ? ids.gcpOrganization(m[2]!) : undefined;
      if (m[1] === 'projects' && !scopes.has(boundary!)) scopes.set(boundary!, projectNodes(m[2]!, true));
      if (m[1] === 'organizations' && !scopes.has(boundary!)) scopes.set(boundary!, [{ id: boundary!, kind: 'gcp_organization', name: m[2]!, handles: [m[2]!], stub: true }]);
      const title = typeof raw['title'] === 'string' && raw['title'] ? raw['title'] : name.split('/').pop()!;
      const props: JsonObject = { roleName: name, title, at, sourceFile: file, ...(perms !== undefined ? { permissions: perms as string[] } : {}) };
      for (const k of ['description', 'stage', 'etag'] as const) if (typeof raw[k] === 'string' && raw[k]) props[k] = raw[k] as string;
      if (raw['deleted'] === true) props['deleted'] = true;
      fragment.nodes.push({ id: ids.gcpRole(name), kind: 'gcp_role', name: title, handles: [name], props, ...(boundary ? { boundary } : {}) });
    });
    for (const nodes of scopes.values()) fragment.nodes.push(...nodes);
    if (withoutPermissions) {
      fragment.warnings.push({ message: `${withoutPermissions} role(s) without their permissions (gcloud iam roles list omits them): bindings to them grant nothing Blastmap can see until each is described (gcloud iam roles describe ROLE --project P --format=json)` });
    }
    return fragment;
  },
};
