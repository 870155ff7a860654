import type { JsonObject } from '../model/fragment.js';

/**
 * The props objects an open write transaction turned into node rows' JSON, by node id, with the JSON written.
 *
 * Derivation reads back the very nodes the import just wrote, and parsing their props again (policy versions,
 * RBAC rules) was a large share of it. A rule reading a row whose props text is the one written here gets the object
 * the text was made of instead: only an object JSON gives back unchanged is kept (no undefined, no non-finite
 * number, plain objects and arrays only), so the rule sees what a parse would give. Importers and rules treat props
 * as read-only (RuleNode objects are shared between rules already). Each entry is handed out once (a later read of
 * the node parses as before), and all are forgotten when the transaction ends.
 */
export class PropsMemo {
  private readonly byId = new Map<string, PropsEntry>();
  /** The node kinds rules read (others are not kept: keeping what nobody reads back costs the GC); undefined: all. */
  kinds: ReadonlySet<string> | undefined = new Set();

  /**
   * A row of `id` (a node of `kind`) was written with `json`, the text of `props`; `exact` when the caller knows
   * `props` passes jsonExact (made only of objects that did), so it is not walked again.
   */
  wrote(id: string, kind: string, json: string, props: JsonObject, exact = false): void {
    if (json.length > MIN_JSON && (!this.kinds || this.kinds.has(kind)) && (exact || jsonExact(props))) this.byId.set(id, { json, props });
    else this.byId.delete(id);
  }

  /** A row of `id` was written from text alone. */
  forget(id: string): void {
    this.byId.delete(id);
  }

  /** The object written as `json` for `id`, if it was (and was not handed out already); else undefined. */
  take(id: string, json: string): JsonObject | undefined {
    const e = this.byId.get(id);
    if (e === undefined) return undefined;
    this.byId.delete(id);
    return e.json === json ? e.props : undefined;
  }

  /** The transaction ended: nothing is kept, for any kind, until told again. */
  clear(): void {
    this.byId.clear();
    this.kinds = new Set();
  }
}

interface PropsEntry {
  readonly json: string;
  readonly props: JsonObject;
}

/** Below this, parsing is about as cheap as keeping the object: `{}` and a few short fields are not kept. */
const MIN_JSON = 2;

/** Whether JSON.parse(JSON.stringify(v)) gives back v exactly (same keys, values and prototypes). */
export function jsonExact(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (Array.isArray(v)) {
        if (Object.getPrototypeOf(v) !== Array.prototype) return false;
        // A hole or an undefined item reads back as null.
        for (let i = 0; i < v.length; i++) if (!jsonExact(v[i])) return false;
        return true;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      const o = v as Record<string, unknown>;
      for (const k in o) if (!jsonExact(o[k])) return false;
      return true;
    }
    default:
      return false;
  }
}
