import Database from 'better-sqlite3';

/** Pieces whose count is not the number of ids naming them, and ids named that no piece holds. */
export function evidenceMiscounted(path: string): { miscounted: unknown[]; missing: unknown[] } {
  const db = new Database(path, { readonly: true });
  try {
    const cited = `SELECT CAST(j.value AS INTEGER) AS id, count(*) AS n FROM edge_rows e, json_each('[' || e.evidence || ']') j WHERE e.evidence IS NOT NULL GROUP BY 1`;
    return {
      miscounted: db.prepare(`SELECT v.id, v.cites, c.n FROM evidence v LEFT JOIN (${cited}) c ON c.id = v.id WHERE coalesce(c.n, 0) != v.cites`).all(),
      missing: db.prepare(`SELECT c.id FROM (${cited}) c LEFT JOIN evidence v ON v.id = c.id WHERE v.id IS NULL`).all(),
    };
  } finally {
    db.close();
  }
}
