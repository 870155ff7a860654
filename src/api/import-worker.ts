// An import in a worker thread: the same runImport, on its own connection to the case, so the thread that serves
// the window (Electron's main process) or the browser (`blastmap serve`) stays free while a large estate is parsed,
// derived and committed. The engine starts it (engine.ts, `importWorker`); it reports progress, obeys a cancel and
// ends with the result or the error's plain shape.
import { parentPort, workerData } from 'node:worker_threads';
import type { ApiErrorShape, ImportResult } from './contract.js';
import { CaseStore } from '../store/case-store.js';
import { ApiError } from './errors.js';
import { runImport, type EngineImportRequest, type ImportProgress } from './import.js';

export interface ImportJob {
  path: string;
  nativeBinding?: string;
  request: EngineImportRequest;
  by?: string;
  /** ISO time: the import's "now", as the caller's clock has it. */
  now: string;
}

export type WorkerMessage = { type: 'progress'; progress: ImportProgress } | { type: 'done'; result: ImportResult } | { type: 'error'; error: ApiErrorShape };

async function main(port: NonNullable<typeof parentPort>, job: ImportJob): Promise<void> {
  const abort = new AbortController();
  port.on('message', (m: unknown) => {
    if (m === 'cancel') abort.abort();
  });
  const post = (m: WorkerMessage) => port.postMessage(m);
  let store: CaseStore | undefined;
  let outcome: WorkerMessage;
  try {
    store = CaseStore.open(job.path, job.nativeBinding ? { nativeBinding: job.nativeBinding } : {});
    const result = await runImport(store, job.request, {
      signal: abort.signal,
      now: new Date(job.now),
      ...(job.by ? { by: job.by } : {}),
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
    outcome = { type: 'done', result };
  } catch (err) {
    outcome = { type: 'error', error: err instanceof ApiError ? err.toJSON() : { code: 'internal', message: (err as Error)?.message ?? String(err) } };
  }
  // Closed (and checkpointed) before the answer: when the caller hears "done", the case is settled on disk.
  store?.close();
  post(outcome);
  // Nothing more to hear: let the thread end once the answer is out.
  port.unref();
}

if (parentPort) void main(parentPort, workerData as ImportJob);
