import { Option } from 'commander';
import { readFileSync } from 'node:fs';
import type { Engine } from '../api/engine.js';
import { ApiError } from '../api/errors.js';
import type { ImportProgress } from '../api/import.js';

/** Exit codes of the CLI contract. */
/** Exit codes of the CLI contract; `gate` is a CI gate that tripped (`plan-impact --fail-on`, `diff --fail-on`). */
export const EXIT = { ok: 0, badInput: 1, usage: 2, gate: 3 } as const;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stderr is a terminal (progress is shown only then). */
  errIsTty: boolean;
  /** Asks for a secret without echoing it (a terminal prompt); absent when there is no terminal. */
  readSecret?: (prompt: string) => Promise<string>;
}

/** A mistake in the command line itself: exit 2 with the message. */
export class UsageError extends Error {}

/** What every command is given: the output streams and the helpers shared by commands. */
export interface CliContext {
  io: CliIo;
  /** Prints one JSON document (the --json output). */
  json: (value: unknown) => void;
  /** Opens the case's engine for the duration of `fn`. */
  withEngine: (casePath: string, create: boolean, fn: (engine: Engine) => Promise<void>) => Promise<void>;
  /** Resolves a pasted handle to one node id, or fails with exit 2 and the candidates. */
  resolveRef: (engine: Engine, ref: string) => Promise<string>;
  /** The mandatory --case option. */
  caseOption: () => Option;
  /** Sets the exit code the command ends with (when it succeeded: a CI gate that tripped). */
  setExitCode: (code: number) => void;
}

export interface WindowFlags {
  excludeConditional?: boolean;
  observedOnly?: boolean;
  since?: string;
  until?: string;
}

export function traversalFlags(opts: WindowFlags): { includeConditional: boolean; observedOnly?: boolean; since?: string; until?: string } {
  for (const [flag, value] of [['--since', opts.since], ['--until', opts.until]] as const) {
    if (value !== undefined && Number.isNaN(Date.parse(value))) throw new UsageError(`${flag} expects an ISO date or time, got '${value}'`);
  }
  if ((opts.since || opts.until) && !opts.observedOnly) throw new UsageError('--since and --until apply to --observed-only');
  if (opts.since && opts.until && Date.parse(opts.since) > Date.parse(opts.until)) throw new UsageError('--since is after --until');
  return {
    includeConditional: !opts.excludeConditional,
    ...(opts.observedOnly ? { observedOnly: true } : {}),
    ...(opts.since ? { since: opts.since } : {}),
    ...(opts.until ? { until: opts.until } : {}),
  };
}

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`expected a whole number, got '${value}'`);
  return n;
}

export function readRefFile(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ApiError({ code: 'bad-input', message: `${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

export function progressLine(p: ImportProgress): string {
  if (p.phase === 'waiting') return `waiting for another process writing the case… ${Math.round((p.waitedMs ?? 0) / 1000)} s`;
  if (p.phase === 'deriving') return 'deriving edges and findings…';
  if (p.phase === 'done') return '';
  return `[${p.index + 1}/${p.total}] ${p.file}: ${p.phase}${p.nodes || p.edges ? ` (${p.nodes} nodes, ${p.edges} edges)` : ''}`;
}

const saidWaiting = new WeakSet<CliIo>();
/** Another process is writing the case: say so once (and count the seconds on a terminal). */
export function waiting(io: CliIo, waitedMs: number): void {
  if (io.errIsTty) io.err(`\r\x1b[Kwaiting for another process writing the case… ${Math.round(waitedMs / 1000)} s`);
  else if (!saidWaiting.has(io)) {
    saidWaiting.add(io);
    io.err('blastmap: another process is writing the case; waiting for it to finish…\n');
  }
}
