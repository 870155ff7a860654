import type { Sql } from './sql.js';

export interface SavedViewRow {
  name: string;
  /** The renderer's JSON, as it was given. */
  state: string;
  savedAt: string;
}

export interface ContainmentCheckRow {
  origin: string;
  cut: string;
  checked: boolean;
  by: string;
  at: string;
}

/** The explorer's workspace kept in the case: named saved views and the containment checklist's boxes. */
export class WorkspaceTables {
  constructor(private readonly sql: Sql) {}

  views(): SavedViewRow[] {
    return (this.sql.stmt('SELECT name, state, saved_at FROM saved_views ORDER BY name').all() as { name: string; state: string; saved_at: string }[]).map((r) => ({ name: r.name, state: r.state, savedAt: r.saved_at }));
  }

  /** Saves under `name`, replacing a view of the same name. */
  saveView(name: string, state: string, at: string): SavedViewRow {
    this.sql.stmt('INSERT INTO saved_views (name, state, saved_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at').run(name, state, at);
    return { name, state, savedAt: at };
  }

  deleteView(name: string): number {
    return this.sql.stmt('DELETE FROM saved_views WHERE name = ?').run(name).changes;
  }

  checks(origin: string): ContainmentCheckRow[] {
    return (this.sql.stmt('SELECT origin, cut, checked, by, at FROM containment_checks WHERE origin = ? ORDER BY cut').all(origin) as { origin: string; cut: string; checked: number; by: string; at: string }[]).map((r) => ({ ...r, checked: r.checked === 1 }));
  }

  setCheck(origin: string, cut: string, checked: boolean, by: string, at: string): ContainmentCheckRow {
    this.sql.stmt('INSERT INTO containment_checks (origin, cut, checked, by, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(origin, cut) DO UPDATE SET checked = excluded.checked, by = excluded.by, at = excluded.at').run(origin, cut, checked ? 1 : 0, by, at);
    return { origin, cut, checked, by, at };
  }
}
