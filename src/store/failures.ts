// What SQLite says when the case cannot be written, in words a user can act on, naming the case file. These are
// `case` errors: the input was fine, the case file (or another process, or the disk) was not.
import { CaseError } from './types.js';

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : '';
}

export function isBusy(err: unknown): boolean {
  const code = codeOf(err);
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

export function busyError(path: string, waitedMs: number): CaseError {
  return new CaseError(
    `${path}: the case is being written by another process (an import or a mark in another window or terminal)${waitedMs > 0 ? `; waited ${Math.round(waitedMs / 1000)} s` : ''}. Try again when it has finished.`,
  );
}

/** The CaseError for an SQLite failure to read or write the case, or undefined for anything else. */
export function caseFailure(err: unknown, path: string): CaseError | undefined {
  if (err instanceof CaseError) return err;
  const code = codeOf(err);
  if (!code.startsWith('SQLITE_')) return undefined;
  if (isBusy(err)) return busyError(path, 0);
  if (code === 'SQLITE_FULL') return new CaseError(`${path}: the disk is full (or the case reached its size limit): the case could not be written; nothing was changed`);
  if (code.startsWith('SQLITE_IOERR')) {
    return new CaseError(`${path}: the case file could not be written or read (an I/O error: a full disk, a file-size limit such as ulimit -f, or a failing disk); nothing was changed`);
  }
  if (code.startsWith('SQLITE_READONLY')) return new CaseError(`${path}: the case file is read-only here; nothing was changed`);
  if (code.startsWith('SQLITE_CANTOPEN')) return new CaseError(`${path}: the case file (or its -wal and -shm files beside it) cannot be opened`);
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return new CaseError(`${path}: the case file is damaged`);
  return undefined;
}
