// The thread side of the OpenGraph edge worker (opengraph-edges.ts): starts it on a file on disk, hands over its
// messages in order, and stops it. Edges come as typed arrays of numbers into tables of the distinct edge kinds and
// edge ends, sent once each: a structured clone of a million parsed edge objects would cost about as much as parsing
// them here.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ImportError, SeveralJsonValuesError } from './errors.js';
import type { InputLimits } from './limits.js';
import type { ImportInput } from './types.js';

export interface EdgeJob {
  fileName: string;
  path: string;
  limits: InputLimits;
  /** Edges the worker may post ahead of those the importing thread took. */
  ahead: number;
}

/** Edges read from one chunk of the file: edge e is index[e], of kinds[kind[e]], from ends[start[e]] to ends[end[e]]. */
export interface EdgeBatch {
  type: 'edges';
  /** Kinds and ends first seen in this batch, appended to the tables of those before. */
  kinds: string[];
  ends: [value: string | number, matchBy: 'id' | 'name', kind: string | null][];
  index: Uint32Array;
  kind: Uint32Array;
  start: Uint32Array;
  end: Uint32Array;
  /** The edges (positions in this batch, ascending) with a "properties" object, and each one's JSON. */
  extraAt: number[];
  extras: string[];
}

export interface ErrorShape {
  name: string;
  message: string;
  file?: string;
  detail?: string;
  location?: string;
}

export type EdgeMessage = { type: 'ready' } | EdgeBatch | { type: 'end' } | { type: 'error'; error: ErrorShape };
/** From the importing thread: it took a batch of this many edges off the queue. */
export interface TakenMessage {
  edges: number;
}
/** Edges the worker may post ahead of those taken by default: enough to keep both threads busy, ~50 MB at most. */
export const EDGES_AHEAD = 500_000;

export interface EdgeWorker {
  /** Whether the worker runs (false: it could not start; the caller reads the edges itself). */
  started(): Promise<boolean>;
  /** The next batch, the end, or the error that ended the reading (in the file's order). */
  next(): Promise<EdgeBatch | { type: 'end' } | { type: 'error'; error: ErrorShape }>;
  stop(): void;
  /** Edges posted by the worker and not yet taken by next(). */
  buffered(): number;
}

let running = 0;
/** Edge workers started and not yet ended (tests check that an abandoned reading leaves none behind). */
export function edgeWorkersRunning(): number {
  return running;
}

/** The worker's script: built beside the bundle (dist/opengraph-edges.js), or the source when run from it. */
function script(): { url: URL; source: boolean } | undefined {
  const built = new URL('./opengraph-edges.js', import.meta.url);
  if (built.protocol !== 'file:') return undefined;
  if (existsSync(fileURLToPath(built))) return { url: built, source: false };
  const source = new URL('./opengraph-edges.ts', import.meta.url);
  return existsSync(fileURLToPath(source)) ? { url: source, source: true } : undefined;
}

/**
 * The worker's heap: a young generation larger than a new thread's, so that the edges it parses (garbage once
 * posted) are collected in fewer scavenges, with less copied from one to the next (a tenth of the thread's time).
 */
const LIMITS = { maxYoungGenerationSizeMb: 64 };

/** Starts reading the edges of a file on disk in a worker; undefined when the input is not a file or there is no worker. */
export function startEdgeWorker(input: ImportInput, ahead = EDGES_AHEAD): EdgeWorker | undefined {
  const file = input.file;
  const where = file && script();
  if (!file || !where) return undefined;
  const job: EdgeJob = { fileName: input.fileName, path: file.path, limits: { ...file.limits }, ahead };
  let worker: Worker;
  try {
    // From the sources (tests, tsx), the worker registers tsx's loader first: a worker does not inherit it (Node 20).
    worker = where.source
      ? new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(where.url.href)}); })`, { eval: true, workerData: job, resourceLimits: LIMITS })
      : new Worker(where.url, { workerData: job, resourceLimits: LIMITS });
  } catch {
    return undefined;
  }
  running++;
  worker.once('exit', () => running--);
  const queue: EdgeMessage[] = [];
  let waiting: ((m: EdgeMessage) => void) | undefined;
  let ready = false;
  let over = false;
  let buffered = 0;
  const deliver = (m: EdgeMessage) => {
    if (over) return;
    if (m.type === 'edges') buffered += m.index.length;
    if (m.type === 'ready') ready = true;
    if (m.type === 'end' || m.type === 'error') over = true;
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w(m);
    } else queue.push(m);
  };
  const take = () => new Promise<EdgeMessage>((resolve) => (queue.length ? resolve(queue.shift()!) : (waiting = resolve)));
  worker.on('message', deliver);
  // A worker that dies (or cannot load) says so as an error: before it was ready, the caller reads the edges itself.
  const died = (why: string) => deliver({ type: 'error', error: { name: ready ? 'Error' : 'Unavailable', message: `the OpenGraph edge reader ${why}` } });
  worker.on('error', (err) => died(`failed: ${err.message}`));
  worker.on('exit', (code) => died(`stopped (exit code ${code})`));
  let first: Promise<boolean> | undefined;
  return {
    started: () =>
      (first ??= take().then((m) => {
        if (m.type === 'ready') return true;
        if (m.type === 'error' && m.error.name === 'Unavailable') {
          void worker.terminate();
          return false;
        }
        // Anything else first is the worker's own answer: keep it for next().
        queue.unshift(m);
        return true;
      })),
    next: async () => {
      const m = await take();
      if (m.type === 'edges') {
        buffered -= m.index.length;
        worker.postMessage({ edges: m.index.length } satisfies TakenMessage);
      }
      return m.type === 'ready' ? { type: 'error', error: { name: 'Error', message: 'the OpenGraph edge reader said ready twice' } } : m;
    },
    buffered: () => buffered,
    stop: () => {
      over = true;
      worker.removeAllListeners('message');
      void worker.terminate();
    },
  };
}

/** An error the worker ended with, as it was thrown there (an ImportError keeps its file and place). */
export function errorFrom(e: ErrorShape): Error {
  if (e.name === 'SeveralJsonValuesError' && e.file !== undefined && e.location !== undefined) return new SeveralJsonValuesError(e.file, e.location);
  if (e.name === 'ImportError' && e.file !== undefined && e.detail !== undefined) return new ImportError(e.file, e.detail, e.location);
  return new Error(e.message);
}

/** An error as the worker posts it. */
export function errorShape(err: unknown): ErrorShape {
  if (err instanceof ImportError) return { name: err.name, message: err.message, file: err.file, detail: err.detail, ...(err.location !== undefined ? { location: err.location } : {}) };
  return { name: 'Error', message: (err as Error)?.message ?? String(err) };
}
