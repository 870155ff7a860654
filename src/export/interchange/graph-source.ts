// What every interchange format writes: the case's nodes (with the ids edges name but no row describes, as stubs) and
// its edges, streamed from the store with the contract's views (category, marks, reason, evidence, source).
import type { EdgeView, NodeSummary } from '../../api/contract.js';
import type { Views } from '../../api/views.js';
import type { JsonObject } from '../../model/fragment.js';
import type { CaseStore } from '../../store/case-store.js';

export interface GraphNode {
  summary: NodeSummary;
  props: JsonObject;
  handles: string[];
}

export interface GraphSource {
  nodes(): IterableIterator<GraphNode>;
  edges(): IterableIterator<EdgeView>;
}

export function caseGraph(store: CaseStore, views: Views): GraphSource {
  return {
    *nodes() {
      for (const n of store.allNodes()) yield { summary: views.summary(n), props: n.props, handles: n.handles };
      for (const id of store.danglingEndpoints()) yield { summary: views.summaryOf(id), props: {}, handles: [id] };
    },
    *edges() {
      for (const e of store.allEdges()) yield views.edge(e);
    },
  };
}

const snakeCache = new Map<string, string>();
const pascalCache = new Map<string, string>();

/** snake_case from camelCase and anything else a strict property name refuses (memoised: keys repeat). */
export function snakeCase(key: string): string {
  let out = snakeCache.get(key);
  if (out === undefined) {
    out = toSnake(key);
    if (snakeCache.size < 100_000) snakeCache.set(key, out);
  }
  return out;
}

function toSnake(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 128);
}

/** PascalCase of a kind name: aws_access_key → AwsAccessKey, CAN_ASSUME → CanAssume. */
export function pascalCase(kind: string): string {
  let out = pascalCache.get(kind);
  if (out === undefined) pascalCache.set(kind, (out = toPascal(kind)));
  return out;
}

function toPascal(kind: string): string {
  return kind
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}
