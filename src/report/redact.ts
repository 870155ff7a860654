// Redaction for sharing (--redact-ids): every node's id and name becomes a pseudonym ("IAM user 3fa2c1"), and what
// is left of account ids, ARNs, key ids, emails, URLs, UUIDs and IP addresses in free text is replaced too. The
// pseudonyms are keyed by a random salt made for each report: stable within the report (the same thing keeps its
// name), unlinkable across reports, and not reversible by hashing candidate account ids.
import { createHmac, randomBytes } from 'node:crypto';
import { NODE_KINDS, type NodeKind } from '../model/kinds.js';

/** Keys whose values are Blastmap's own words or are not identifying (kinds, levels, hashes, times). */
const KEEP = new Set([
  'kind',
  'category',
  'provider',
  'severity',
  'rule',
  'accessLevel',
  'type',
  'sha256',
  'importedAt',
  'generatedAt',
  'format',
  'tier',
  'status',
  'marks',
  'mark',
  'firstSeen',
  'lastSeen',
  'exposedAt',
  'lastUsedAt',
  'at',
  'kindLabel',
  'ownerSource',
  'only',
]);

const PATTERNS: [RegExp, (m: string, h: string) => string][] = [
  [/https?:\/\/[^\s"'<>()]+/g, (_m, h) => `https://redacted.invalid/${h}`],
  [/\brepo:[^\s"'<>,;()]+/g, (_m, h) => `repo:redacted-${h}`],
  [/arn:aws[a-z-]*:[^\s"'<>,;()]*/g, (_m, h) => `arn:redacted:${h}`],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, (_m, h) => `user-${h}@redacted.invalid`],
  [/\b(AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|APKA|AIPA)[A-Z0-9]{12,}\b/g, (m, h) => `${m.slice(0, 4)}…${h}`],
  [/\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, (_m, h) => `uuid-${h}`],
  [/(?<![\d.])\d{12}(?![\d])/g, (_m, h) => `acct-${h}`],
  [/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, (_m, h) => `ip-${h}`],
];

export class Redactor {
  private readonly known = new Map<string, string>();
  /** Known strings by their first three characters, longest first: one scan of a text finds every one of them. */
  private byPrefix: Map<string, string[]> | undefined;

  constructor(private readonly salt: Buffer = randomBytes(16)) {}

  hash(text: string): string {
    return createHmac('sha256', this.salt).update(text).digest('hex').slice(0, 6);
  }

  /** Registers a node: its id, name and handles all read as one pseudonym. */
  node(id: string, kind: string, name: string, handles: readonly string[] = []): void {
    const label = NODE_KINDS[kind as NodeKind]?.label ?? 'node';
    const h = this.hash(id);
    const pseudonym = `${label} ${h}`;
    for (const s of [name, ...handles]) if (s && s !== id) this.add(s, pseudonym);
    this.add(id, `${kind}:${h}`);
  }

  /** Registers a string to replace wherever it appears (a source file's name). */
  alias(text: string, replacement: string): void {
    this.add(text, replacement);
  }

  private add(text: string, replacement: string): void {
    if (text.length < 3 || this.known.has(text)) return;
    this.known.set(text, replacement);
    this.byPrefix = undefined;
  }

  /** A string with every known name and id replaced, then every identifying pattern left in it. */
  text(s: string): string {
    if (!s) return s;
    let out = this.replaceKnown(s);
    for (const [re, make] of PATTERNS) out = out.replace(re, (m) => make(m, this.hash(m)));
    return out;
  }

  private replaceKnown(s: string): string {
    if (!this.byPrefix) {
      this.byPrefix = new Map();
      for (const k of this.known.keys()) {
        const p = k.slice(0, 3);
        const list = this.byPrefix.get(p);
        if (list) list.push(k);
        else this.byPrefix.set(p, [k]);
      }
      for (const list of this.byPrefix.values()) list.sort((a, b) => b.length - a.length);
    }
    let out = '';
    let i = 0;
    let copied = 0;
    while (i <= s.length - 3) {
      const hit = this.byPrefix.get(s.slice(i, i + 3))?.find((k) => s.startsWith(k, i));
      if (hit) {
        out += s.slice(copied, i) + this.known.get(hit)!;
        i += hit.length;
        copied = i;
      } else i++;
    }
    return copied === 0 ? s : out + s.slice(copied);
  }

  /** A deep copy with every string redacted, except under keys that hold Blastmap's own vocabulary. */
  deep<T>(value: T, key?: string): T {
    if (typeof value === 'string') return (key !== undefined && KEEP.has(key) ? value : this.text(value)) as T;
    if (Array.isArray(value)) return value.map((v) => this.deep(v, key)) as T;
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.deep(v, k);
      return out as T;
    }
    return value;
  }
}

/** Registers every node summary found anywhere in a value ({id, kind, name, category}). */
export function registerNodes(r: Redactor, value: unknown, seen = new Set<object>()): void {
  if (!value || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const v of value) registerNodes(r, v, seen);
    return;
  }
  const o = value as Record<string, unknown>;
  if (typeof o['id'] === 'string' && typeof o['kind'] === 'string' && typeof o['name'] === 'string' && typeof o['category'] === 'string') r.node(o['id'], o['kind'], o['name']);
  for (const v of Object.values(o)) registerNodes(r, v, seen);
}
