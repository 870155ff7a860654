import type { Evidence, JsonObject } from '../model/fragment.js';
import type { Sql } from './sql.js';
import type { FindingRow } from './types.js';

/** Posture findings, rebuilt after every import. */
export class FindingsTable {
  constructor(private readonly sql: Sql) {}

  replace(findings: FindingRow[]): void {
    this.sql.stmt('DELETE FROM findings').run();
    const ins = this.sql.stmt('INSERT OR REPLACE INTO findings (id, rule, severity, node_id, title, summary, evidence, remediation, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const f of findings) ins.run(f.id, f.rule, f.severity, f.nodeId, f.title, f.summary, JSON.stringify(f.evidence), f.remediation, f.origin ? JSON.stringify(f.origin) : null);
  }

  list(filter: { nodeId?: string } = {}): FindingRow[] {
    const rows = filter.nodeId ? this.sql.stmt('SELECT * FROM findings WHERE node_id = ?').all(filter.nodeId) : this.sql.stmt('SELECT * FROM findings').all();
    return (rows as Record<string, unknown>[]).map((r) => ({
      id: r['id'] as string,
      rule: r['rule'] as string,
      severity: r['severity'] as string,
      nodeId: r['node_id'] as string,
      title: r['title'] as string,
      summary: r['summary'] as string,
      evidence: JSON.parse(r['evidence'] as string) as Evidence[],
      remediation: r['remediation'] as string,
      ...(typeof r['origin'] === 'string' ? { origin: JSON.parse(r['origin']) as JsonObject } : {}),
    }));
  }
}
