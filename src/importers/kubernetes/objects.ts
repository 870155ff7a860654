import { isObject } from '../../model/fragment.js';
import type { JsonObject } from '../../model/fragment.js';
import { flat } from '../../model/flat.js';
import { ImportError, jsonPath, SeveralJsonValuesError } from '../errors.js';
import { appendedJsonValues } from '../json-syntax.js';
import { lineColumn, parseJson } from '../input.js';
import { HELM_MESSAGE, helmTemplateLine } from '../templates.js';
import { parseYamlDocuments, yamlDocumentToJs } from '../yaml.js';

// Reading Kubernetes objects out of a whole document (JSON, or YAML manifests) with the place each came from, and
// what every object gives whatever its kind (namespace, common props). Large JSON Lists are read by stream.ts.

export const KNOWN_KINDS = new Set(['ServiceAccount', 'Secret', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'Pod', 'Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Namespace', 'List']);
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export interface Located {
  obj: Record<string, unknown>;
  /** JSON path or YAML document and line. */
  at: string;
}

export function readObjects(file: string, text: string): Located[] {
  const trimmed = text.trimStart();
  const out: Located[] = [];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let root: unknown;
    try {
      root = parseJson(file, text);
    } catch (err) {
      if (!(err instanceof SeveralJsonValuesError)) throw err;
      // `kubectl get … -o json` run once per namespace or kind and appended to one file (kubectl reads such files too).
      let n = 0;
      for (const { value, start } of appendedJsonValues(file, text)) collectRoot(file, value, `document ${++n} (line ${start.line}, column ${start.column})`, out);
      return out;
    }
    collectRoot(file, root, undefined, out);
    return out;
  }
  const helm = helmTemplateLine(text);
  if (helm !== undefined) throw new ImportError(file, HELM_MESSAGE, `line ${helm}`);
  const docs = parseYamlDocuments(file, text);
  const list = Array.isArray(docs) ? docs : [docs];
  // Lines are counted forward from the previous document: a manifest of thousands of documents stays linear.
  let counted = { offset: 0, line: 1 };
  list.forEach((doc, i) => {
    const offset = doc.contents?.range?.[0] ?? doc.range[0];
    counted = { offset, line: counted.line + lineColumn(text.slice(counted.offset, offset), offset - counted.offset).line - 1 };
    const line = counted.line;
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      throw new ImportError(file, `invalid YAML: ${err.message.split('\n')[0]}`, `document ${i + 1}, ${pos ? `line ${pos.line}, column ${pos.col}` : `line ${line}`}`);
    }
    const value: unknown = yamlDocumentToJs(file, doc, `document ${i + 1} (line ${line})`);
    if (value === null || value === undefined) return;
    collect(file, value, `document ${i + 1} (line ${line})`, out);
  });
  return out;
}

/** A JSON document's objects: an array of them, or one (a List among them); `within` names the document when the file holds several. */
function collectRoot(file: string, root: unknown, within: string | undefined, out: Located[]): void {
  if (Array.isArray(root)) root.forEach((o, i) => collect(file, o, within ? `${within}: ${jsonPath(i)}` : jsonPath(i), out));
  else collect(file, root, within ?? '$', out);
}

export function collect(file: string, value: unknown, at: string, out: Located[]): void {
  if (!isObject(value)) throw new ImportError(file, 'expected a Kubernetes object (with "kind" and "metadata")', at);
  const kind = value['kind'];
  if (typeof kind !== 'string' || !kind) throw new ImportError(file, 'a Kubernetes object needs a string "kind"', join(at, 'kind'));
  // kubectl prints kind List; the API itself answers PodList, RoleBindingList…
  if (kind === 'List' || (kind.endsWith('List') && Array.isArray(value['items']))) {
    const items = value['items'];
    if (!Array.isArray(items)) throw new ImportError(file, `expected "items" to be an array in a ${kind}`, join(at, 'items'));
    // join(at, 'items', i) is the prefix plus [i]: built once, not per item.
    const prefix = join(at, 'items');
    items.forEach((item, i) => collect(file, item, flat`${prefix}[${i}]`, out));
    return;
  }
  const meta = value['metadata'];
  if (!isObject(meta) || typeof meta['name'] !== 'string' || !meta['name']) throw new ImportError(file, `a ${kind} needs "metadata.name"`, join(at, 'metadata', 'name'));
  out.push({ obj: value, at });
}

/** Appends to a JSON path; YAML locations ("document 2 (line 14)") get the path after a colon. */
export function join(at: string, ...parts: (string | number)[]): string {
  let tail = '';
  for (const part of parts) tail += typeof part === 'number' ? `[${part}]` : namePath(part);
  return at.startsWith('$') ? flat`${at}${tail}` : `${at}: $${tail}`;
}

/** The path step of a property name (the few names this importer joins, each worked out once: a pod or binding joins one). */
const NAME_PATHS = new Map<string, string>();
function namePath(name: string): string {
  let step = NAME_PATHS.get(name);
  if (step === undefined) NAME_PATHS.set(name, (step = jsonPath(name).slice(1)));
  return step;
}

export function baseProps(file: string, o: Located): JsonObject {
  const meta = o.obj['metadata'] as Record<string, unknown>;
  const props: JsonObject = { objectKind: String(o.obj['kind']), at: o.at, sourceFile: file };
  if (typeof meta['uid'] === 'string') props['uid'] = meta['uid'];
  if (typeof meta['creationTimestamp'] === 'string') props['createdAt'] = meta['creationTimestamp'];
  const labels = stringMap(meta['labels']);
  if (labels) props['labels'] = labels;
  const annotations = stringMap(meta['annotations'], LAST_APPLIED);
  if (annotations && !isEmpty(annotations)) props['annotations'] = annotations;
  const owner = annotations?.['owner'] ?? labels?.['owner'] ?? annotations?.['team'] ?? labels?.['team'] ?? annotations?.['contact'];
  if (owner) props['owner'] = owner;
  return props;
}

export function nsOf(o: Located): string {
  const ns = (o.obj['metadata'] as Record<string, unknown>)['namespace'];
  if (typeof ns === 'string' && ns) return ns;
  // Manifests often leave the namespace to `kubectl apply -n`; the default namespace is what they land in without it.
  return 'default';
}

/** The string values of an object (but `skip`); for…in, not Object.entries: no pair array per key of 50,000 pods. */
function stringMap(v: unknown, skip?: string): Record<string, string> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const k in v) {
    const val = v[k];
    if (typeof val === 'string' && k !== skip) out[k] = val;
  }
  return out;
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}
