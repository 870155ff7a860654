import { isObject } from '../../model/fragment.js';
import type { EdgeFact, GraphFragment, JsonObject, NodeFact } from '../../model/fragment.js';
import { mergeFacts } from '../../store/rows.js';
import type { ImportContext } from '../types.js';
import type { Instance, TerraformDocument } from './read.js';

/** What each provider's mapper gets: the document, helpers to read attributes, and where to put facts. */
export class TfContext {
  readonly fragment: GraphFragment = { nodes: [], edges: [], warnings: [] };
  private readonly nodes = new Map<string, NodeFact>();
  /** Node ids by config address (no instance keys), so a value unknown until apply can name its resource's node. */
  private readonly byAddress = new Map<string, { id: string; inst: Instance }>();

  constructor(
    readonly file: string,
    readonly ctx: ImportContext,
    readonly doc: TerraformDocument,
  ) {}

  warn(message: string, location?: string): void {
    this.fragment.warnings.push({ message, ...(location ? { location } : {}) });
  }

  /** Props every node a resource makes carries: its Terraform address and, in a plan, its change. */
  tf(inst: Instance): JsonObject {
    return { terraformAddress: inst.address, ...(inst.change ? { terraformChange: inst.change } : {}), at: inst.at };
  }

  /** A string attribute; undefined when absent, empty or unknown until apply. */
  str(inst: Instance, attr: string): string | undefined {
    const v = inst.values[attr];
    return typeof v === 'string' && v ? v : undefined;
  }

  strings(inst: Instance, attr: string): string[] {
    const v = inst.values[attr];
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.length > 0) : [];
  }

  /** Nested blocks are lists in Terraform's JSON (metadata, role_ref, rule…): the list, objects only. */
  blocks(v: unknown): Record<string, unknown>[] {
    return Array.isArray(v) ? v.filter(isObject) : isObject(v) ? [v] : [];
  }

  isUnknown(inst: Instance, attr: string): boolean {
    return inst.unknown?.has(attr) ?? false;
  }

  /** For an attribute unknown until apply: the resource (config address) and attribute its expression refers to. */
  ref(inst: Instance, attr: string): { address: string; attr: string } | undefined {
    const refs = this.doc.refs.get(inst.configAddress)?.[attr] ?? [];
    for (const r of refs) {
      // Terraform 0.12 lists the resource alone (aws_iam_role.r); later versions add the attribute (aws_iam_role.r.id).
      const m = /^((?:module\.[^.]+\.)*(?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)(?:\.([a-z0-9_]+))?/.exec(r.replace(/\[[^\]]*\]/g, ''));
      if (m && this.byAddress.has(m[1]!)) return { address: m[1]!, attr: m[2] ?? '' };
    }
    return undefined;
  }

  /** The node a resource made (by config address), for references. */
  nodeOf(address: string): { id: string; inst: Instance } | undefined {
    return this.byAddress.get(address);
  }

  /** Records which node a resource instance made (the first instance of a config address wins). */
  made(inst: Instance, id: string): void {
    if (!this.byAddress.has(inst.configAddress)) this.byAddress.set(inst.configAddress, { id, inst });
  }

  node(fact: NodeFact): void {
    const prev = this.nodes.get(fact.id);
    this.nodes.set(fact.id, prev ? mergeFacts(prev, fact) : fact);
  }

  /** A node stated only if no statement of it exists yet (stubs for what a resource names). */
  stub(fact: NodeFact): void {
    if (!this.nodes.has(fact.id)) this.nodes.set(fact.id, { ...fact, stub: true });
  }

  existing(id: string): NodeFact | undefined {
    return this.nodes.get(id);
  }

  edge(edge: EdgeFact): void {
    this.fragment.edges.push(edge);
  }

  finish(): GraphFragment {
    this.fragment.nodes.push(...this.nodes.values());
    return this.fragment;
  }
}

/** A policy document stored as JSON text in Terraform attributes: parsed, or undefined with a warning. */
export function parsePolicy(tf: TfContext, inst: Instance, attr: string): JsonObject | undefined {
  const raw = inst.values[attr];
  if (raw === undefined || raw === null || raw === '') {
    if (tf.isUnknown(inst, attr)) tf.warn(`${inst.address}: ${attr} is known only after apply (it is computed from other resources); the policy is not evaluated`, inst.at);
    return undefined;
  }
  if (isObject(raw)) return raw as JsonObject;
  if (typeof raw !== 'string') return undefined;
  try {
    const doc = JSON.parse(raw) as unknown;
    if (isObject(doc)) return doc as JsonObject;
  } catch {
    // reported below
  }
  tf.warn(`${inst.address}: ${attr} is not a JSON policy document; the policy is not evaluated`, `${inst.at}.values.${attr}`);
  return undefined;
}
