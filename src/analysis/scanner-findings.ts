import { createHash } from 'node:crypto';
import type { JsonObject } from '../model/fragment.js';
import type { CaseStore, FindingRow } from '../store/case-store.js';

// Posture-scanner results (Prowler, ScoutSuite) → findings, rebuilt with Blastmap's own after every import. Each
// result is matched to the node it names — by id (an ARN is an AWS node's id), then by handle (resource ids, object
// ids, emails, namespace/name), in the order the importer listed them — so a result imported before the inventory
// that describes its resource finds its node once the inventory arrives. A result that matches nothing is kept,
// listed under the resource as the scanner named it.

const SCANNER_NAMES: Record<string, string> = { prowler: 'Prowler', scoutsuite: 'ScoutSuite' };

export function scannerFindings(store: CaseStore): FindingRow[] {
  if (!store.hasScannerResults()) return [];
  const results = [...store.scannerResults()];
  const wanted = new Set<string>();
  for (const r of results) for (const ref of r.refs) wanted.add(ref.toLowerCase());
  // One pass over the case's handles, keeping only those some result names; full nodes win over stubs.
  const byHandle = new Map<string, { id: string; stub: boolean }>();
  for (const n of store.nodeHandles()) {
    if (n.kind === 'admin') continue;
    for (const h of [n.id, ...n.handles]) {
      const key = h.toLowerCase();
      if (!wanted.has(key)) continue;
      const prev = byHandle.get(key);
      if (!prev || (prev.stub && !n.stub)) byHandle.set(key, { id: n.id, stub: n.stub });
    }
  }
  const sources = new Map(store.sources().map((s) => [s.id, s]));
  const out: FindingRow[] = [];
  for (const r of results) {
    let nodeId: string | undefined;
    for (const ref of r.refs) {
      nodeId = store.node(ref)?.id ?? byHandle.get(ref.toLowerCase())?.id;
      if (nodeId) break;
    }
    const source = sources.get(r.sourceId);
    const name = SCANNER_NAMES[r.scanner] ?? r.scanner;
    const where = [r.account, r.region].filter(Boolean).join(' ');
    const origin: JsonObject = { scanner: r.scanner, checkId: r.checkId, status: r.status, resource: r.resource, matched: Boolean(nodeId), ...(source ? { source: { id: source.id, fileName: source.fileName, format: source.format } } : {}) };
    out.push({
      id: `${r.scanner}:${createHash('sha256').update(`${r.checkId}\n${r.resource}\n${r.account ?? ''}\n${r.region ?? ''}`).digest('hex').slice(0, 16)}`,
      rule: `${r.scanner}:${r.checkId}`,
      severity: r.severity,
      nodeId: nodeId ?? (r.resource || `${r.scanner}:${r.checkId}`),
      title: r.title,
      summary: r.summary || `${name} reports ${r.checkId} as ${r.status} on ${r.resource}`,
      evidence: [{ type: 'scanner-result', summary: `${name} ${r.checkId}: ${r.status} on ${r.resource}${where ? ` (${where})` : ''}${nodeId ? '' : ' — no node of the case matches it'}`, location: r.at, data: { scanner: r.scanner, checkId: r.checkId, status: r.status, resource: r.resource, ...(r.provider ? { provider: r.provider } : {}), ...(r.account ? { account: r.account } : {}), ...(r.region ? { region: r.region } : {}) } }],
      remediation: r.remediation ?? '',
      origin,
    });
  }
  return out;
}
