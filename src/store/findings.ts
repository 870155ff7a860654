import type { Evidence, JsonObject } from '../model/fragment.js';
import { renderFindingForm, type FindingForm } from '../model/finding-forms.js';
import type { Sql } from './sql.js';
import type { FindingRow } from './types.js';

/** Posture findings, rebuilt after every import. */
export class FindingsTable {
  constructor(private readonly sql: Sql) {}

  replace(findings: FindingRow[]): void {
    this.sql.stmt('DELETE FROM findings').run();
    const ins = this.sql.stmt('INSERT OR REPLACE INTO findings (id, rule, severity, node_id, title, summary, evidence, remediation, origin, form) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const f of findings) ins.run(f.id, f.rule, f.severity, f.nodeId, ...findingText(f), f.remediation, f.origin ? JSON.stringify(f.origin) : null, f.form ? JSON.stringify(f.form) : null);
  }

  list(filter: { nodeId?: string } = {}): FindingRow[] {
    // A rule's own findings read its remediation from finding_remediations (stored once per rule, migration 0014).
    const select = 'SELECT f.*, r.text AS shared_text FROM findings f LEFT JOIN finding_remediations r ON f.shared_remediation = 1 AND r.rule = f.rule';
    const rows = filter.nodeId ? this.sql.stmt(`${select} WHERE f.node_id = ?`).all(filter.nodeId) : this.sql.stmt(select).all();
    return (rows as Record<string, unknown>[]).map((r) => {
      // A row stored as its form (migration 0015) has its text built again, as the rule built it.
      const text = typeof r['form'] === 'string' ? renderFindingForm(JSON.parse(r['form']) as FindingForm) : undefined;
      return {
        id: r['id'] as string,
        rule: r['rule'] as string,
        severity: r['severity'] as string,
        nodeId: r['node_id'] as string,
        title: text ? text.title : (r['title'] as string),
        summary: text ? text.summary : (r['summary'] as string),
        evidence: text ? text.evidence : (JSON.parse(r['evidence'] as string) as Evidence[]),
        remediation: (r['shared_remediation'] === 1 ? (r['shared_text'] as string | null) ?? '' : r['remediation']) as string,
        ...(typeof r['origin'] === 'string' ? { origin: JSON.parse(r['origin']) as JsonObject } : {}),
      };
    });
  }
}

/** A finding's title, summary and evidence columns: empty when it is stored as its form (then in the form column). */
export function findingText(f: FindingRow): [title: string, summary: string, evidence: string] {
  return f.form ? ['', '', '[]'] : [f.title, f.summary, JSON.stringify(f.evidence)];
}
