import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { MIGRATIONS } from './migrations/index.js';
import type { Migration } from './migrations/types.js';
import { CaseError } from './types.js';

/** The page size of a new case file (older cases keep theirs); the benches' raw baselines use it too. */
export const CASE_PAGE_SIZE = 16_384;

/** 'BMAP' — marks a SQLite file as a Blastmap case. */
const APPLICATION_ID = 0x424d4150;
const SQLITE_MAGIC = 'SQLite format 3\0';

export interface OpenOptions {
  create?: boolean;
  readonly?: boolean;
  migrations?: readonly Migration[];
  /** The better-sqlite3 addon to load instead of the default (Electron needs its own ABI build). */
  nativeBinding?: string;
  /** How long a writer waits while another process writes the case (default BLASTMAP_BUSY_TIMEOUT_MS, else 30 s). */
  busyTimeoutMs?: number;
}

/**
 * Opens a case's SQLite file: refuses what is not a case (before SQLite touches it), a newer schema, and
 * migrates an older one. Returns the connection, set up for WAL.
 */
export function openCaseDatabase(path: string, options: OpenOptions): Db {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const exists = existsSync(path);
  if (!exists && !options.create) throw new CaseError(`${path}: no such case file (use import to create one)`);
  if (exists) checkHeader(path);
  let db: Db;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: !options.create, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  } catch (err) {
    throw new CaseError(`${path}: cannot open the case: ${(err as Error).message}`);
  }
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
    if (appId !== APPLICATION_ID && tables > 0) {
      throw new CaseError(`${path}: this SQLite database is not a Blastmap case`);
    }
    if (version > latest) {
      throw new CaseError(`${path}: the case was written by a newer Blastmap (schema ${version}; this version reads up to ${latest}). Upgrade Blastmap to open it.`);
    }
    if (!options.readonly) {
      // A new case gets 16 KiB pages (SQLite's default is 4): an import writes tens of MB in one transaction, and
      // larger pages mean fewer b-tree pages to fill and fewer WAL frames to write and checkpoint (a 70k-node
      // Kubernetes import's commit costs half the CPU). Only settable before the first table; older cases keep theirs.
      if (tables === 0) db.pragma(`page_size = ${CASE_PAGE_SIZE}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    if (!options.readonly) migrate(db, version, migrations);
    else if (version < latest) throw new CaseError(`${path}: the case needs an upgrade; open it once read-write`);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof CaseError) throw err;
    throw new CaseError(`${path}: the case file is damaged or unreadable: ${(err as Error).message}`);
  }
}

/** One transaction per migration file, each stamping the schema version it reaches. */
function migrate(db: Db, from: number, migrations: readonly Migration[]): void {
  for (const m of migrations) {
    if (m.version <= from) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

/** Refuses files that are not SQLite before SQLite touches them, so a wrong file is never modified. */
function checkHeader(path: string): void {
  const size = statSync(path).size;
  if (size === 0) return; // An empty file becomes a new case.
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    if (buf.toString('latin1') !== SQLITE_MAGIC) {
      throw new CaseError(`${path}: not a Blastmap case (the file is not an SQLite database)`);
    }
  } finally {
    closeSync(fd);
  }
}
