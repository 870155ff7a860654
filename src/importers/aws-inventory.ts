import { isObject } from '../model/fragment.js';
import type { GraphFragment, JsonObject, NodeFact } from '../model/fragment.js';
import { arnAccount, ids } from '../model/ids.js';
import type { NodeKind } from '../model/kinds.js';
import { inventoryMarker } from '../providers/aws/inventory.js';
import { accountOption, accountStubs, outputItems, type OutputItem } from './aws-util.js';
import { ImportError } from './errors.js';
import type { ImportContext, ImportInput } from './types.js';

// What the resource inventory importers share (Lambda, CloudFormation, SageMaker, EC2, ECS, CodeBuild, Glue):
// a resource node per record, a USES_ROLE edge to the role (or instance profile) it runs with, stubs for those,
// and the account marked as inventoried for the kind — that is what lets the escalation rules treat a resource
// that is not listed as absent. Values that may hold secrets (environment variables, buildspecs, user data) are
// never kept: only their names.

export class InventoryBuilder {
  readonly fragment: GraphFragment = { nodes: [], edges: [], warnings: [], aliases: [] };
  private readonly nodes = new Map<string, NodeFact>();
  private readonly inventoried = new Map<string, Set<NodeKind>>();
  private readonly accounts = new Set<string>();

  constructor(readonly file: string, private readonly ctx: ImportContext) {}

  /** A resource; its account comes from its ARN or boundary. Later facts about the same id merge into it. */
  resource(node: NodeFact): NodeFact {
    const prev = this.nodes.get(node.id);
    if (prev) {
      prev.props = { ...prev.props, ...node.props };
      if (!node.stub) prev.stub = false;
      return prev;
    }
    this.nodes.set(node.id, node);
    this.fragment.nodes.push(node);
    const account = node.boundary?.replace(/^aws:account:/, '') ?? arnAccount(node.id);
    if (account) this.accounts.add(account);
    return node;
  }

  /** The resource runs with the role (or instance profile) of this ARN; `at` is the record's place. */
  usesRole(from: string, arn: string, at: string): void {
    const account = arnAccount(arn);
    if (!account || !/^arn:aws[\w-]*:iam::\d{12}:(role|instance-profile)\//.test(arn)) {
      this.fragment.warnings.push({ message: `${JSON.stringify(arn)} is not an IAM role or instance profile ARN; the resource's role is unknown`, location: at });
      return;
    }
    const profile = arn.includes(':instance-profile/');
    if (!this.nodes.has(arn)) {
      const stub: NodeFact = { id: arn, kind: profile ? 'aws_instance_profile' : 'aws_role', name: arn.split('/').pop()!, handles: [arn], stub: true, boundary: ids.awsAccount(account) };
      this.nodes.set(arn, stub);
      this.fragment.nodes.push(stub);
      this.accounts.add(account);
    }
    this.fragment.edges.push({ from, to: arn, kind: 'USES_ROLE', props: { at } });
  }

  /** This output lists every resource of the kind in the account (its own, or --account for an empty list). */
  listing(kind: NodeKind, accounts: Iterable<string>): void {
    for (const a of accounts) {
      const set = this.inventoried.get(a) ?? new Set();
      set.add(kind);
      this.inventoried.set(a, set);
    }
  }

  /** The accounts a listing covers: those its records name, else --account, else none (with a warning). */
  listingAccounts(named: Set<string>, what: string, at: string): string[] {
    if (named.size) return [...named];
    const option = accountOption(this.file, this.ctx.options.account);
    if (option) return [option];
    this.fragment.warnings.push({ message: `the ${what} is empty and names no account: pass --account to record that the account has none`, location: at });
    return [];
  }

  finish(): GraphFragment {
    for (const account of new Set([...this.accounts, ...this.inventoried.keys()])) {
      const [acct, admin] = accountStubs(account);
      const marks: JsonObject = {};
      for (const kind of this.inventoried.get(account) ?? []) marks[inventoryMarker(kind)] = true;
      acct!.props = { ...acct!.props, ...marks };
      this.fragment.nodes.push(acct!, admin!);
    }
    return this.fragment;
  }
}

/** The records of a file of CLI outputs, each checked to be an object. */
export function objectItems(input: ImportInput, expected: string): (OutputItem & { value: Record<string, unknown> })[] {
  return outputItems(input).map((item) => {
    if (!isObject(item.value)) throw new ImportError(input.fileName, `expected ${expected}`, item.at());
    return item as OutputItem & { value: Record<string, unknown> };
  });
}

export function str(v: Record<string, unknown>, key: string): string | undefined {
  const x = v[key];
  return typeof x === 'string' && x !== '' ? x : undefined;
}

/** A required string field, or a bad-input error at its place. */
export function need(file: string, v: Record<string, unknown>, key: string, at: (...more: (string | number)[]) => string, pattern?: RegExp): string {
  const x = v[key];
  if (typeof x !== 'string' || x === '' || (pattern && !pattern.test(x))) throw new ImportError(file, `"${key}" must be ${pattern ? 'an ARN of the right kind' : 'a non-empty string'}, not ${JSON.stringify(x ?? null)}`, at(key));
  return x;
}

/** A date as the CLI prints it: ISO text, or seconds since the epoch (older CLI versions, CodeBuild). */
export function when(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) {
    // Past ±275,760 years a Date is invalid (found by the fuzzer: toISOString throws): such a number is no date.
    const d = new Date(v * 1000);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)) {
    const t = Date.parse(v.replace(/(\.\d{3})\d+/, '$1').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return Number.isNaN(t) ? undefined : new Date(t).toISOString();
  }
  return undefined;
}

/** Tags as the CLI prints them ([{Key, Value}] or [{key, value}] or a map) as a map. */
export function tagMap(v: unknown): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const t of v) {
      if (!isObject(t)) continue;
      const k = t['Key'] ?? t['key'];
      const val = t['Value'] ?? t['value'];
      if (typeof k === 'string') out[k] = typeof val === 'string' ? val : '';
    }
  } else if (isObject(v)) for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return Object.keys(out).length ? out : undefined;
}

/** Drops undefined members so props stay JSON. */
export function clean(o: Record<string, unknown>): JsonObject {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as JsonObject;
}

/** The region of an availability zone (us-east-2a → us-east-2), or undefined. */
export function regionOfZone(zone: unknown): string | undefined {
  return typeof zone === 'string' && /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(zone) ? zone.slice(0, -1) : undefined;
}
