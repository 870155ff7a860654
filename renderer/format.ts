// Words for people: kind labels, ages, edge sentences. Pure functions (unit-tested).
import { EDGE_KINDS, NODE_KINDS, type EdgeView, type Json, type NodeSummary } from './contract';

export function kindLabel(kind: string): string {
  return (NODE_KINDS as Record<string, { label: string } | undefined>)[kind]?.label ?? kind;
}

export function edgeVerb(kind: string): string {
  return (EDGE_KINDS as Record<string, { verb: string } | undefined>)[kind]?.verb ?? kind.toLowerCase().replace(/_/g, ' ');
}

const UNITS: [number, string][] = [
  [365 * 24 * 3600, 'year'],
  [30 * 24 * 3600, 'month'],
  [7 * 24 * 3600, 'week'],
  [24 * 3600, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
];

/** "3 days ago", "in 2 months", "just now"; the input unchanged when it is not a date. */
export function relativeTime(iso: string, now: Date = new Date()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const seconds = Math.round((now.getTime() - t) / 1000);
  const abs = Math.abs(seconds);
  for (const [size, unit] of UNITS) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      const words = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return seconds >= 0 ? `${words} ago` : `in ${words}`;
    }
  }
  return 'just now';
}

/** A credential's last use: null means the source says never; absent means the source does not say. */
export function lastUsed(value: Json | undefined, now: Date = new Date()): string {
  if (value === null) return 'never used';
  if (typeof value !== 'string' || !value) return 'last use unknown';
  return `last used ${relativeTime(value, now)}`;
}

/** Age from a creation time: "created 2 years ago (2023-04-01)". */
export function age(value: Json | undefined, now: Date = new Date()): string {
  if (typeof value !== 'string' || !value) return 'age unknown';
  return `created ${relativeTime(value, now)} (${value.slice(0, 10)})`;
}

/** "ci-deploy can assume prod-deployer": the edge in plain words. */
export function edgeSentence(edge: Pick<EdgeView, 'kind' | 'technique'>, from: Pick<NodeSummary, 'name'>, to: Pick<NodeSummary, 'name'>): string {
  const verb = edge.kind === 'OPENGRAPH_EDGE' && edge.technique ? `has ${/^[aeiou]/i.test(edge.technique) ? 'an' : 'a'} ${edge.technique} edge to` : edgeVerb(edge.kind);
  return `${from.name} ${verb} ${to.name}`;
}

/** A property value as one line of text (objects as compact JSON). */
export function propText(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${groupDigits(n)} ${n === 1 ? word : many}`;
}

// Counts are written without Intl where they can be: a page's first Intl number format loads ICU's data, tens of
// milliseconds on the first screen's path (the toolbar's counts, the estate map's labels). Both give what
// toLocaleString('en-US') and Intl's compact notation give (test/renderer/format.test.ts compares them).

/** "12,345": a count with en-US digit grouping. */
export function groupDigits(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || Object.is(n, -0)) return n.toLocaleString('en-US');
  const s = String(n);
  let out = s.slice(0, ((s.length - 1) % 3) + 1);
  for (let i = out.length; i < s.length; i += 3) out += `,${s.slice(i, i + 3)}`;
  return out;
}

let compact: Intl.NumberFormat | undefined;
const COMPACT_UNITS = ['K', 'M', 'B', 'T'];

/** A count for a narrow cell: exact below 10,000, then 20.4K, 1.2M (the exact figure goes in a title). */
export function compactCount(n: number): string {
  if (n < 10_000) return groupDigits(n);
  if (!Number.isSafeInteger(n) || n >= 1e12) return (compact ??= new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 })).format(n);
  // Thousands, millions, billions: tenths of the unit, rounded half up; a count that rounds to 1,000 of a unit is
  // 1 of the next ("999.95K" is "1M"). n / 10^k is exact at the halves (integers below 10^12).
  let unit = Math.floor((String(n).length - 1) / 3) - 1;
  let tenths = Math.round(n / 10 ** (unit * 3 + 2));
  if (tenths >= 10_000) tenths = Math.round(n / 10 ** (++unit * 3 + 2));
  return `${Math.floor(tenths / 10)}${tenths % 10 ? `.${tenths % 10}` : ''}${COMPACT_UNITS[unit]}`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A boundary's id as a reader names it when its node is not loaded: the account, cluster, project or
 * subscription itself, without the id scheme ("k8s:prod-eks" → "prod-eks").
 */
export function boundaryLabel(id: string): string {
  const m = /^(?:aws:account:|k8s:|gcp:(?:project|folder|organization):|azure:(?:tenant|subscription):)(.+)$/.exec(id);
  return m ? m[1]! : id;
}

/** "Bench_CanAssume" → "can assume", "AdminTo" → "admin to": an OpenGraph kind as words. */
export function humanKind(kind: string): string {
  return kind
    .replace(/^[A-Za-z0-9]+_(?=[A-Z])/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
}

/** The short plain-word label an edge carries on the canvas: "can assume", "authenticates as", "write access". */
export function edgeLabel(edge: Pick<EdgeView, 'kind' | 'technique' | 'accessLevel'>): string {
  if (edge.kind === 'OPENGRAPH_EDGE') return edge.technique ? humanKind(edge.technique) : 'has an edge to';
  if (edge.kind === 'ADMIN_OF') return 'admin of';
  if (edge.kind === 'CAN_ACCESS' && edge.accessLevel) return `${edge.accessLevel.toLowerCase()} access`;
  return edgeVerb(edge.kind);
}

/** The provider a boundary id belongs to, from its id scheme ("aws:account:…" → aws), or undefined. */
export function providerOfBoundary(id: string): string | undefined {
  const m = /^(aws|k8s|gcp|azure|vault|github|og)[:]/.exec(id);
  if (!m) return undefined;
  return m[1] === 'og' ? 'opengraph' : m[1];
}

/**
 * An admin node as people see it: it belongs to its boundary's provider (the admin of an AWS account is AWS), not
 * to the catch-all "generic" the model gives every admin node. Everything else is unchanged.
 */
export function withBoundaryProvider<T extends Pick<NodeSummary, 'category' | 'provider' | 'boundary'>>(n: T): T {
  if (n.category !== 'admin' || !n.boundary) return n;
  const provider = providerOfBoundary(n.boundary);
  return provider && provider !== n.provider ? { ...n, provider: provider as NodeSummary['provider'] } : n;
}
