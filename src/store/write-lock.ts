// Writing a case another process may be writing too. SQLite (WAL) lets readers go on during a write, but writers take
// turns: a second writer waits here, asynchronously and with progress, up to a timeout, and then fails with a `case`
// error saying who holds the case — never "database is locked". Readers never wait: a graph snapshot is saved only
// when the lock is free at once (it can always be rebuilt).
import type { Database as Db } from 'better-sqlite3';
import { busyError, isBusy } from './failures.js';

export interface WaitOptions {
  /** How long to wait for another process to finish writing (default: the case's busy timeout). */
  timeoutMs?: number;
  /** Called about every quarter second while waiting, with the time waited so far. */
  onWait?: (waitedMs: number) => void;
  signal?: AbortSignal | undefined;
}

/** BEGIN IMMEDIATE without SQLite's own (blocking) busy wait; true when the write lock was taken. */
function tryBegin(db: Db): boolean {
  const saved = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    db.exec('BEGIN IMMEDIATE');
    return true;
  } catch (err) {
    if (isBusy(err)) return false;
    throw err;
  } finally {
    db.pragma(`busy_timeout = ${saved}`);
  }
}

/** Takes the write lock, waiting (without blocking the event loop) while another process holds it. */
export async function beginWrite(db: Db, path: string, timeoutMs: number, options: WaitOptions = {}): Promise<void> {
  const limit = options.timeoutMs ?? timeoutMs;
  const started = Date.now();
  for (;;) {
    if (tryBegin(db)) return;
    const waited = Date.now() - started;
    if (waited >= limit) throw busyError(path, waited);
    options.onWait?.(waited);
    if (options.signal?.aborted) throw busyError(path, waited);
    await new Promise((resolve) => setTimeout(resolve, Math.min(250, limit - waited)));
  }
}

/** Runs `write` in a transaction of its own if the lock is free now; false (nothing done) when another process writes. */
export function writeIfFree(db: Db, write: () => void): boolean {
  if (db.inTransaction) {
    write();
    return true;
  }
  if (!tryBegin(db)) return false;
  try {
    write();
    db.exec('COMMIT');
    return true;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (isBusy(err)) return false;
    throw err;
  }
}

/** A checkpoint that never waits: the last process to close a case folds its WAL back; the others leave it. */
export function checkpointIfFree(db: Db): void {
  const saved = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // Busy (another process reads or writes) or read-only: the WAL stays for whoever closes last.
  } finally {
    db.pragma(`busy_timeout = ${saved}`);
  }
}
