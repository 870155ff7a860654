// blastmap pack / unpack, and opening an encrypted case for the app: the case is copied consistently (SQLite's
// VACUUM INTO: WAL folded in, free pages dropped) into a private temporary directory, encrypted from there, and the
// copy removed; unpacking decrypts next to the target and renames into place only once the whole file checked out
// and opens as a case.
import { closeSync, existsSync, mkdtempSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ApiError } from '../api/errors.js';
import { CaseStore } from '../store/case-store.js';
import { decryptFile, encryptFile, type EncryptOptions } from './crypto.js';
import { isEncryptedCase, MAGIC } from './format.js';

/** Passphrases shorter than this are refused when packing: the file may travel, and scrypt only slows guessing. */
export const MIN_PASSPHRASE = 8;

export interface PackOptions extends EncryptOptions {
  nativeBinding?: string;
}

export async function packCase(casePath: string, out: string, passphrase: string, opts: PackOptions = {}): Promise<{ bytes: number }> {
  if (passphrase.length < MIN_PASSPHRASE) throw new ApiError({ code: 'bad-input', message: `the passphrase must be at least ${MIN_PASSPHRASE} characters` });
  if (existsSync(out)) throw new ApiError({ code: 'bad-input', message: `${out} already exists; pack writes a new file` });
  const dir = privateDir();
  try {
    const copy = join(dir, 'case.blastmap');
    const store = openStore(casePath, opts.nativeBinding);
    try {
      store.copyTo(copy);
    } finally {
      store.close();
    }
    const { bytes } = await encryptFile(copy, out, passphrase, opts);
    return { bytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function unpackCase(file: string, out: string, passphrase: string, opts: { nativeBinding?: string } = {}): Promise<{ bytes: number }> {
  if (existsSync(out)) throw new ApiError({ code: 'bad-input', message: `${out} already exists; unpack writes a new case file` });
  // Decrypted next to the target (same filesystem, so the rename is atomic), then checked as a case.
  const staging = join(dirname(resolve(out)), `.${Date.now()}-${process.pid}.unpacking`);
  try {
    const { bytes } = await decryptFile(file, staging, passphrase);
    checkCase(file, staging, opts.nativeBinding);
    renameSync(staging, out);
    return { bytes };
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(staging + suffix, { force: true });
  }
}

/**
 * Decrypts an encrypted case into a directory only this user can read, for the app to work on; `wipe` removes it
 * (call it when the case is closed).
 */
export async function openEncryptedCopy(file: string, passphrase: string, opts: { nativeBinding?: string; parent?: string } = {}): Promise<{ path: string; wipe: () => void }> {
  const dir = privateDir(opts.parent);
  const wipe = () => rmSync(dir, { recursive: true, force: true });
  try {
    const path = join(dir, 'case.blastmap');
    await decryptFile(file, path, passphrase);
    checkCase(file, path, opts.nativeBinding);
    return { path, wipe };
  } catch (err) {
    wipe();
    throw err;
  }
}

/** Whether a file is an encrypted case (by its first bytes, whatever its name). */
export function isEncryptedFile(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(MAGIC.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && isEncryptedCase(head);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function privateDir(parent = tmpdir()): string {
  // mkdtemp makes the directory 0700: only this user can read the plaintext copy.
  return mkdtempSync(join(parent, 'blastmap-case-'));
}

function openStore(path: string, nativeBinding?: string): CaseStore {
  try {
    return CaseStore.open(path, nativeBinding ? { nativeBinding } : {});
  } catch (err) {
    throw new ApiError({ code: 'case', message: (err as Error).message });
  }
}

/** The decrypted bytes must be a case this version opens (an authenticated file of something else is refused). */
function checkCase(file: string, path: string, nativeBinding?: string): void {
  try {
    CaseStore.open(path, nativeBinding ? { nativeBinding } : {}).close();
  } catch (err) {
    throw new ApiError({ code: 'bad-input', message: `${file}: decrypted, but the content is not a case this version opens (${(err as Error).message}); nothing was written` });
  }
}
