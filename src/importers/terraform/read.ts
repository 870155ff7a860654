import { isObject } from '../../model/fragment.js';
import { ImportError, jsonPath } from '../errors.js';

// Terraform documents normalised to one list of resource instances: `terraform show -json` of a state
// ({format_version, values: {root_module: {resources, child_modules}}}), of a plan (its after state: planned_values,
// with resource_changes for what changes and what is unknown until apply, prior_state for what it starts from,
// configuration for what unknown values refer to), and the raw state file (`terraform.tfstate`, version 4:
// resources[].instances[].attributes). Only managed resources are returned; data sources are read for the account.

export type DocumentKind = 'plan' | 'state' | 'tfstate';

export interface Instance {
  /** Full address: module.iam.aws_iam_role.ci["prod"]. */
  address: string;
  /** Address without instance keys (what configuration references name): module.iam.aws_iam_role.ci. */
  configAddress: string;
  type: string;
  name: string;
  /** The attributes (after apply, for a plan). Never copied wholesale into props: they hold secrets in clear. */
  values: Record<string, unknown>;
  /** Where the instance is in the file. */
  at: string;
  /** Plan only: create, update, replace, no-op (delete never reaches here: deleted resources are absent). */
  change?: string;
  /** Plan only: attributes known only after apply (after_unknown), top-level names. */
  unknown?: Set<string>;
}

export interface TerraformDocument {
  kind: DocumentKind;
  formatVersion?: string;
  terraformVersion?: string;
  instances: Instance[];
  /** Data sources (for the AWS account of aws_caller_identity and similar). */
  data: Instance[];
  /** Plan only: the addresses of the state the plan starts from, and what each action does. */
  priorAddresses?: string[];
  actions?: Record<string, number>;
  /** Raw state only. */
  lineage?: string;
  serial?: number;
  /** Plan only: configuration references of each resource's attributes, by config address. */
  refs: Map<string, Record<string, string[]>>;
}

export function readDocument(file: string, doc: unknown): TerraformDocument {
  if (!isObject(doc)) throw new ImportError(file, 'expected a Terraform state or plan JSON object', '$');
  if (typeof doc['version'] === 'number' && Array.isArray(doc['resources'])) return readStateFile(file, doc);
  if (typeof doc['version'] === 'number' && doc['version'] < 4) {
    throw new ImportError(file, `state file version ${doc['version']} (Terraform older than 0.12) is not read: run \`terraform state pull\` with Terraform 0.12 or later, or \`terraform show -json\``, '$.version');
  }
  const fv = typeof doc['format_version'] === 'string' ? doc['format_version'] : undefined;
  if (!fv) throw new ImportError(file, 'not a Terraform document: no "format_version" (terraform show -json) nor "version" with "resources" (terraform.tfstate)', '$');
  if (!/^[01]\./.test(fv)) throw new ImportError(file, `unsupported Terraform JSON format_version ${JSON.stringify(fv)} (this build reads 0.x and 1.x)`, '$.format_version');
  const tv = typeof doc['terraform_version'] === 'string' ? doc['terraform_version'] : undefined;
  const base = { formatVersion: fv, ...(tv ? { terraformVersion: tv } : {}), refs: new Map<string, Record<string, string[]>>() };
  if ('planned_values' in doc || 'resource_changes' in doc) return readPlan(file, doc, base);
  const values = doc['values'];
  const instances: Instance[] = [];
  const data: Instance[] = [];
  if (values !== undefined && values !== null) {
    if (!isObject(values)) throw new ImportError(file, 'expected "values" to be an object', '$.values');
    walkModule(file, values['root_module'], ['values', 'root_module'], instances, data);
  }
  return { kind: 'state', ...base, instances, data };
}

function readPlan(file: string, doc: Record<string, unknown>, base: Pick<TerraformDocument, 'formatVersion' | 'terraformVersion' | 'refs'>): TerraformDocument {
  const instances: Instance[] = [];
  const data: Instance[] = [];
  const planned = doc['planned_values'];
  if (planned !== undefined && planned !== null) {
    if (!isObject(planned)) throw new ImportError(file, 'expected "planned_values" to be an object', '$.planned_values');
    walkModule(file, planned['root_module'], ['planned_values', 'root_module'], instances, data);
  }
  // What each resource's change is, and which of its attributes are unknown until apply.
  const changes = new Map<string, { actions: string[]; unknown: Set<string> }>();
  const actions: Record<string, number> = {};
  const rc = doc['resource_changes'];
  if (rc !== undefined && rc !== null && !Array.isArray(rc)) throw new ImportError(file, 'expected "resource_changes" to be an array', '$.resource_changes');
  (Array.isArray(rc) ? rc : []).forEach((c, i) => {
    if (!isObject(c) || typeof c['address'] !== 'string') throw new ImportError(file, 'a resource change needs its "address"', jsonPath('resource_changes', i));
    if (c['mode'] === 'data') return;
    const change = isObject(c['change']) ? c['change'] : {};
    const list = Array.isArray(change['actions']) ? change['actions'].filter((a): a is string => typeof a === 'string') : [];
    const unknown = new Set(isObject(change['after_unknown']) ? Object.entries(change['after_unknown']).filter(([, v]) => v === true).map(([k]) => k) : []);
    changes.set(c['address'], { actions: list, unknown });
    const name = actionName(list);
    actions[name] = (actions[name] ?? 0) + 1;
  });
  for (const inst of instances) {
    const c = changes.get(inst.address);
    if (!c) continue;
    inst.change = actionName(c.actions);
    if (c.unknown.size) inst.unknown = c.unknown;
  }
  const priorAddresses: string[] = [];
  const prior = doc['prior_state'];
  if (isObject(prior) && isObject(prior['values'])) {
    const priorInstances: Instance[] = [];
    walkModule(file, prior['values']['root_module'], ['prior_state', 'values', 'root_module'], priorInstances, data);
    for (const p of priorInstances) priorAddresses.push(p.address);
  }
  const config = doc['configuration'];
  if (isObject(config)) readConfig(config['root_module'], '', base.refs);
  return { kind: 'plan', ...base, instances, data, priorAddresses, actions };
}

/** The plan action of a resource change in one word. */
function actionName(actions: string[]): string {
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  return actions[0] ?? 'no-op';
}

function walkModule(file: string, mod: unknown, path: (string | number)[], out: Instance[], data: Instance[]): void {
  if (mod === undefined || mod === null) return;
  if (!isObject(mod)) throw new ImportError(file, 'expected a module object', jsonPath(...path));
  const resources = mod['resources'];
  if (resources !== undefined && !Array.isArray(resources)) throw new ImportError(file, 'expected "resources" to be an array', jsonPath(...path, 'resources'));
  (Array.isArray(resources) ? resources : []).forEach((r, i) => {
    const at = jsonPath(...path, 'resources', i);
    if (!isObject(r)) throw new ImportError(file, 'expected a resource object', at);
    const address = r['address'];
    const type = r['type'];
    const name = r['name'];
    if (typeof address !== 'string' || typeof type !== 'string' || typeof name !== 'string') throw new ImportError(file, 'a resource needs "address", "type" and "name"', at);
    const values = r['values'];
    // A planned resource whose every value is unknown until apply has no "values" at all.
    if (values !== undefined && values !== null && !isObject(values)) throw new ImportError(file, 'expected "values" to be an object', `${at}.values`);
    const inst: Instance = { address, configAddress: configAddressOf(address), type, name, values: isObject(values) ? values : {}, at };
    (r['mode'] === 'data' ? data : out).push(inst);
  });
  const children = mod['child_modules'];
  if (children !== undefined && !Array.isArray(children)) throw new ImportError(file, 'expected "child_modules" to be an array', jsonPath(...path, 'child_modules'));
  (Array.isArray(children) ? children : []).forEach((c, i) => walkModule(file, c, [...path, 'child_modules', i], out, data));
}

function readStateFile(file: string, doc: Record<string, unknown>): TerraformDocument {
  const version = doc['version'] as number;
  if (version !== 4) throw new ImportError(file, `state file version ${version} is not read (this build reads version 4, Terraform 0.12 and later)`, '$.version');
  const instances: Instance[] = [];
  const data: Instance[] = [];
  (doc['resources'] as unknown[]).forEach((r, i) => {
    const at = jsonPath('resources', i);
    if (!isObject(r)) throw new ImportError(file, 'expected a resource object', at);
    const type = r['type'];
    const name = r['name'];
    if (typeof type !== 'string' || typeof name !== 'string') throw new ImportError(file, 'a resource needs "type" and "name"', at);
    const module = typeof r['module'] === 'string' && r['module'] ? `${r['module']}.` : '';
    const prefix = `${module}${r['mode'] === 'data' ? 'data.' : ''}${type}.${name}`;
    const list = r['instances'];
    if (!Array.isArray(list)) throw new ImportError(file, 'expected "instances" to be an array', `${at}.instances`);
    list.forEach((x, j) => {
      const where = `${at}.instances[${j}]`;
      if (!isObject(x)) throw new ImportError(file, 'expected an instance object', where);
      const key = x['index_key'];
      const address = `${prefix}${typeof key === 'number' ? `[${key}]` : typeof key === 'string' ? `[${JSON.stringify(key)}]` : ''}`;
      const attrs = x['attributes'];
      if (attrs !== undefined && attrs !== null && !isObject(attrs)) throw new ImportError(file, 'expected "attributes" to be an object', `${where}.attributes`);
      // Before 0.12 attributes were flattened strings ("tags.%"); the 0.12+ shape is nested JSON.
      const values = isObject(attrs) ? attrs : {};
      const inst: Instance = { address, configAddress: configAddressOf(address), type, name, values, at: where };
      (r['mode'] === 'data' ? data : instances).push(inst);
    });
  });
  return {
    kind: 'tfstate',
    ...(typeof doc['terraform_version'] === 'string' ? { terraformVersion: doc['terraform_version'] } : {}),
    instances,
    data,
    ...(typeof doc['lineage'] === 'string' ? { lineage: doc['lineage'] } : {}),
    ...(typeof doc['serial'] === 'number' ? { serial: doc['serial'] } : {}),
    refs: new Map(),
  };
}

/** module.a["x"].aws_iam_role.r[0] → module.a.aws_iam_role.r */
export function configAddressOf(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|\d+)\]/g, '');
}

/** The references of each configured resource's attributes (plan configuration), by module-qualified address. */
function readConfig(mod: unknown, prefix: string, out: Map<string, Record<string, string[]>>): void {
  if (!isObject(mod)) return;
  for (const r of Array.isArray(mod['resources']) ? mod['resources'] : []) {
    if (!isObject(r) || typeof r['address'] !== 'string' || !isObject(r['expressions'])) continue;
    const refs: Record<string, string[]> = {};
    for (const [attr, expr] of Object.entries(r['expressions'])) {
      if (isObject(expr) && Array.isArray(expr['references'])) refs[attr] = expr['references'].filter((x): x is string => typeof x === 'string').map((x) => `${prefix}${x}`);
    }
    out.set(`${prefix}${r['address']}`, refs);
  }
  if (isObject(mod['module_calls'])) {
    for (const [name, call] of Object.entries(mod['module_calls'])) {
      if (isObject(call)) readConfig(call['module'], `${prefix}module.${name}.`, out);
    }
  }
}
