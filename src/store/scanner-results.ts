import type { JsonObject, ScannerResult } from '../model/fragment.js';
import type { Sql } from './sql.js';

/** Posture-scanner results per source (migration 0010): kept as reported, matched to nodes by derivation. */
export class ScannerResultsTable {
  constructor(private readonly sql: Sql) {}

  add(sourceId: number, results: readonly ScannerResult[]): void {
    const ins = this.sql.stmt('INSERT INTO scanner_results (source_id, scanner, check_id, severity, status, title, resource, refs, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const r of results) {
      const data: JsonObject = { summary: r.summary, at: r.at };
      if (r.remediation) data['remediation'] = r.remediation;
      if (r.provider) data['provider'] = r.provider;
      if (r.account) data['account'] = r.account;
      if (r.region) data['region'] = r.region;
      ins.run(sourceId, r.scanner, r.checkId, r.severity, r.status, r.title, r.resource, JSON.stringify(r.refs), JSON.stringify(data));
    }
  }

  deleteSource(sourceId: number): void {
    this.sql.stmt('DELETE FROM scanner_results WHERE source_id = ?').run(sourceId);
  }

  *all(): IterableIterator<ScannerResult & { sourceId: number }> {
    for (const r of this.sql.stmt('SELECT * FROM scanner_results ORDER BY id').iterate() as Iterable<Record<string, unknown>>) {
      const data = JSON.parse(r['data'] as string) as Record<string, string | undefined>;
      yield {
        sourceId: r['source_id'] as number,
        scanner: r['scanner'] as string,
        checkId: r['check_id'] as string,
        severity: r['severity'] as ScannerResult['severity'],
        status: r['status'] as string,
        title: r['title'] as string,
        resource: r['resource'] as string,
        refs: JSON.parse(r['refs'] as string) as string[],
        summary: data['summary'] ?? '',
        at: data['at'] ?? '',
        ...(data['remediation'] ? { remediation: data['remediation'] } : {}),
        ...(data['provider'] ? { provider: data['provider'] } : {}),
        ...(data['account'] ? { account: data['account'] } : {}),
        ...(data['region'] ? { region: data['region'] } : {}),
      };
    }
  }

  count(): number {
    return (this.sql.stmt('SELECT count(*) AS n FROM scanner_results').get() as { n: number }).n;
  }

  /** Every node's id and handles (no props parsed): what scanner results are matched against. */
  *handleRows(): IterableIterator<{ id: string; kind: string; stub: boolean; handles: string[] }> {
    for (const r of this.sql.stmt('SELECT id, kind, stub, handles FROM nodes').iterate() as Iterable<{ id: string; kind: string; stub: number; handles: string }>) {
      yield { id: r.id, kind: r.kind, stub: r.stub === 1, handles: r.handles ? r.handles.split('\n') : [] };
    }
  }
}
