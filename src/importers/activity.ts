// Shared by the activity-log importers (CloudTrail, GCP Cloud Audit Logs, Azure activity and Entra sign-in logs):
// folds events into one OBSERVED_USE edge per (from, to) with first/last seen, count, actions, source addresses, user
// agents and regions. Every list is bounded, so a million events from one address cost the same memory as ten.
import type { ImportInput } from './types.js';
import type { EdgeFact, EdgeProps, Evidence, GraphFragment, ImportWarning, NodeFact } from '../model/fragment.js';

/** Distinct values tracked per list; the edge keeps the top `TOP` by count. */
const TRACKED = 200;
const TOP = 20;

export interface ObservedEvent {
  /** ISO-8601 UTC. */
  time: string;
  /** The action, as IAM spells it where it can (s3:GetObject) or as the log does (google.iam.admin.v1.CreateServiceAccount). */
  action: string;
  ip?: string | undefined;
  userAgent?: string | undefined;
  region?: string | undefined;
  /** A role session name (AssumedRole identities, AssumeRole requests). */
  session?: string | undefined;
  /** Whether the call failed (errorCode / a non-zero status): it still proves who authenticated. */
  failed?: boolean;
  /** Where the event is in the file: JSON path or line. */
  at: string;
  eventId?: string | undefined;
  /** Who acted, by name, for the evidence sentence ("AssumeRole by ci-deployer"). */
  by: string;
}

class Counter {
  private readonly counts = new Map<string, number>();
  private dropped = 0;
  add(value: string | undefined): void {
    if (!value) return;
    const n = this.counts.get(value);
    if (n !== undefined) this.counts.set(value, n + 1);
    else if (this.counts.size < TRACKED) this.counts.set(value, 1);
    else this.dropped++;
  }
  get size(): number {
    return this.counts.size;
  }
  top(): { value: string; count: number }[] {
    const all = [...this.counts.entries()];
    if (all.length > 1) all.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return all.slice(0, TOP).map(([value, count]) => ({ value, count }));
  }
}

interface Aggregate {
  from: string;
  to: string;
  reason: string;
  technique: string;
  first: ObservedEvent;
  last: ObservedEvent;
  count: number;
  failed: number;
  actions: Counter;
  failedActions: Counter;
  ips: Counter;
  agents: Counter;
  regions: Counter;
  sessions: Counter;
}

export class ActivityFolder {
  private readonly edges = new Map<string, Aggregate>();
  private readonly nodes = new Map<string, NodeFact>();
  readonly warnings: ImportWarning[] = [];
  private readonly skipped = new Map<string, string[]>();
  private readonly skippedCount = new Map<string, number>();
  private readonly facts = new Map<string, EdgeFact>();

  constructor(readonly fileName: string) {}

  /** A node referenced by the log. The first statement of an id wins: logs describe nothing, they name. */
  node(fact: NodeFact): void {
    if (!this.nodes.has(fact.id)) this.nodes.set(fact.id, fact);
  }

  /** Like node(), building the fact only the first time the id is seen (most events name known nodes). */
  nodeOnce(id: string, make: () => NodeFact): void {
    if (!this.nodes.has(id)) this.nodes.set(id, make());
  }

  /** One event seen going from → to. `reason`/`technique` describe the edge the first time the pair is seen. */
  observe(from: string, to: string, event: ObservedEvent, reason: string, technique: string): void {
    const key = `${from}\u0000${to}`;
    let a = this.edges.get(key);
    if (!a) {
      a = { from, to, reason, technique, first: event, last: event, count: 0, failed: 0, actions: new Counter(), failedActions: new Counter(), ips: new Counter(), agents: new Counter(), regions: new Counter(), sessions: new Counter() };
      this.edges.set(key, a);
    }
    a.count++;
    if (event.time < a.first.time) a.first = event;
    if (event.time > a.last.time) a.last = event;
    if (event.failed) {
      a.failed++;
      a.failedActions.add(event.action);
    } else a.actions.add(event.action);
    a.ips.add(event.ip);
    a.agents.add(event.userAgent);
    a.regions.add(event.region);
    a.sessions.add(event.session);
  }

  /** A plain fact a log states (a key created for a user): kept once per (from, to, kind). */
  fact(edge: EdgeFact): void {
    const key = `${edge.kind}\u0000${edge.from}\u0000${edge.to}`;
    if (!this.facts.has(key)) this.facts.set(key, edge);
  }

  /** A record that could not be used: counted, its first positions reported. Never its content. */
  skip(why: string, at: string): void {
    const list = this.skipped.get(why) ?? [];
    if (list.length < 10) list.push(at);
    this.skipped.set(why, list);
    this.skippedCount.set(why, (this.skippedCount.get(why) ?? 0) + 1);
  }

  /** A record used, with something worth saying about how (counted like skip(), its first positions reported). */
  note(why: string, at: string): void {
    this.skip(`\u0000${why}`, at);
  }

  get edgeCount(): number {
    return this.edges.size;
  }

  fragment(): GraphFragment {
    const edges: EdgeFact[] = [];
    for (const a of this.edges.values()) {
      const actionCounts = a.actions.top();
      const props: EdgeProps = {
        reason: a.reason,
        technique: a.technique,
        firstSeen: a.first.time,
        lastSeen: a.last.time,
        count: a.count,
        actions: actionCounts.map((t) => t.value),
        actionCounts,
        sourceIps: a.ips.top(),
        userAgents: a.agents.top(),
        regions: a.regions.top().map((t) => t.value),
        at: a.first.at,
        evidence: this.evidence(a),
      };
      if (a.failed) {
        props['failed'] = a.failed;
        props['failedActions'] = a.failedActions.top();
      }
      if (a.sessions.size) props['sessions'] = a.sessions.top().map((t) => t.value);
      edges.push({ from: a.from, to: a.to, kind: 'OBSERVED_USE', props });
    }
    edges.push(...this.facts.values());
    const warnings = [...this.warnings];
    for (const [why, at] of this.skipped) {
      const n = this.skippedCount.get(why)!;
      const note = why.startsWith('\u0000');
      warnings.push({ message: note ? `${n} record(s): ${why.slice(1)}` : `${n} record(s) skipped: ${why}`, location: `${at.join('; ')}${n > at.length ? '; …' : ''}` });
    }
    return { nodes: [...this.nodes.values()], edges, warnings };
  }

  private evidence(a: Aggregate): Evidence[] {
    const ev = (e: ObservedEvent, which: string): Evidence => ({
      type: 'log-event',
      summary: `${which}: ${e.action} by ${e.by} at ${e.time}${e.ip ? ` from ${e.ip}` : ''}${e.failed ? ' (failed)' : ''}`,
      location: `${this.fileName} ${e.at}`,
      data: { time: e.time, action: e.action, ...(e.eventId ? { eventId: e.eventId } : {}), ...(e.ip ? { sourceIp: e.ip } : {}) },
    });
    const out = [ev(a.first, a.count > 1 ? 'first seen' : 'seen')];
    if (a.count > 1) out.push(ev(a.last, `last seen (${a.count} events)`));
    return out;
  }
}

/** ISO-8601 UTC from the time formats logs use ("2022-02-08 09:23:37+11:00", epoch seconds), or undefined. */
export function isoTime(v: unknown): string | undefined {
  if (typeof v === 'string') {
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(v)) return v;
    const d = new Date(v.includes('T') ? v : v.replace(' ', 'T'));
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace('.000Z', 'Z');
  }
  if (typeof v === 'number' && Number.isFinite(v)) {
    // Past ±275,760 years a Date is invalid (1e16 ms is): such a time is no time.
    const d = new Date(v > 1e12 ? v : v * 1000);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace('.000Z', 'Z');
  }
  return undefined;
}

/**
 * Whether a file is JSON-lines, read from its start only: its first line is a JSON value and something follows it.
 * A first line longer than 4 MiB is a document on one line (records are at most a few hundred KiB).
 */
export async function isJsonLines(input: ImportInput): Promise<boolean> {
  // The head (64 KiB, already read) settles it unless the first line runs past it.
  const head = input.head.toString('utf8');
  const first = head.search(/\S/);
  const newline = first === -1 ? -1 : head.indexOf('\n', first);
  if (newline !== -1 && head.slice(newline).trim() !== '') return looksJsonLines(head);
  const pieces: Buffer[] = [];
  let size = 0;
  for await (const chunk of input.chunks()) {
    pieces.push(chunk);
    size += chunk.length;
    const text = Buffer.concat(pieces).toString('utf8');
    const start = text.search(/\S/);
    const end = start === -1 ? -1 : text.indexOf('\n', start);
    // The first line and a look past it: decided (a first line alone, to the end of the file, is a document).
    if (end !== -1 && text.slice(end).trim() !== '') return looksJsonLines(text);
    if (size > 4 * 1024 * 1024) return false;
  }
  return looksJsonLines(Buffer.concat(pieces).toString('utf8'));
}

/**
 * A JSON text that is several JSON values, one per line (JSON-lines), rather than one value: decided from the
 * first line alone, so a one-line 1 GB log file is parsed once.
 */
export function looksJsonLines(text: string): boolean {
  const start = text.search(/\S/);
  if (start === -1) return false;
  const end = text.indexOf('\n', start);
  if (end === -1 || text.slice(end).trim() === '') return false;
  try {
    JSON.parse(text.slice(start, end));
    return true;
  } catch {
    return false;
  }
}
