import { isObject } from '../../model/fragment.js';
import { awsAuthData, isAwsAuth } from '../eks-auth.js';
import { jsonPath } from '../errors.js';
import type { ImportInput } from '../types.js';
import { collect, KNOWN_KINDS, LAST_APPLIED, type Located } from './objects.js';
import { streamedItem } from './pods.js';

// A large `kubectl get -o json` List read as a stream: each item slimmed to what the builder reads as it comes
// (pods digested at once, see pods.ts), so the whole document is never held.

/** The objects of a JSON document read as a stream: a List's items (or a root array's elements) one at a time. */
export async function streamObjects(input: ImportInput): Promise<Located[]> {
  const file = input.fileName;
  const out: Located[] = [];
  const members: Record<string, unknown> = {};
  // kubectl prints a List's "kind" after its items: they wait (slimmed) until the root says what it is.
  const items: unknown[] = [];
  let rootArray = false;
  let listed = false;
  // Values an array at a time (those each chunk read completes): a promise per value is a cost of its own.
  for await (const batch of input.jsonStreamBatches((path, container, array) => {
    if (path.length === 0) {
      rootArray = array;
      return 'descend';
    }
    if (path.length === 1 && path[0] === 'items' && array) {
      listed = true;
      return 'descend';
    }
    return 'emit';
  })) {
    // Indexed loops here and in the builder: each runs once over tens of thousands of objects, and a for…of that is
    // not optimised yet allocates an iterator result per element.
    for (let k = 0; k < batch.length; k++) {
      const v = batch[k]!;
      if (v.path.length === 0) collect(file, v.value, '$', out);
      else if (typeof v.path[0] === 'number') collect(file, slim(v.value), jsonPath(v.path[0]), out);
      else if (v.path[0] === 'items' && v.path.length === 2) items.push(v.path[1] === items.length ? streamedItem(file, slim(v.value), items.length) : slim(v.value));
      else members[v.path[0]!] = v.value;
    }
  }
  if (!rootArray) collect(file, listed ? { ...members, items } : members, '$', out);
  return out;
}

/** What the builder never reads, dropped as objects stream in: managed fields, kubectl's copy, secret values, the bodies of unmodelled kinds. */
function slim(value: unknown): unknown {
  if (!isObject(value)) return value;
  const kind = typeof value['kind'] === 'string' ? value['kind'] : '';
  const meta = value['metadata'];
  if (isObject(meta)) {
    delete meta['managedFields'];
    if (isObject(meta['annotations'])) delete meta['annotations'][LAST_APPLIED];
  }
  if (kind === 'Secret') {
    for (const key of ['data', 'stringData']) if (isObject(value[key])) value[key] = Object.fromEntries(Object.keys(value[key]).map((k) => [k, '']));
  }
  if (kind.endsWith('List') && Array.isArray(value['items'])) value['items'] = (value['items'] as unknown[]).map(slim);
  else if (kind === 'ConfigMap' && isAwsAuth(value) && isObject(meta)) {
    return { apiVersion: value['apiVersion'], kind, metadata: { name: meta['name'], namespace: meta['namespace'], clusterName: meta['clusterName'] }, data: awsAuthData(value) };
  } else if (!KNOWN_KINDS.has(kind) && isObject(meta)) {
    return { apiVersion: value['apiVersion'], kind: value['kind'], metadata: { name: meta['name'], namespace: meta['namespace'], clusterName: meta['clusterName'] } };
  }
  return value;
}
