import type { Database } from 'better-sqlite3';

/** One schema step. Migrations run in order inside one transaction each and are never edited once shipped. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}
