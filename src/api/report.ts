// The report's data, gathered from the engine's own answers (triage, blast radius, paths, containment, findings,
// inventory, sources), redacted when asked, then laid out as one self-contained HTML file (src/report).
import { basename, extname } from 'node:path';
import { DETAIL_LIMIT, PATHS_PER_CREDENTIAL, type CaseLimits, type CredentialDetail, type ReportData } from '../report/model.js';
import { Redactor, registerNodes } from '../report/redact.js';
import { renderReport } from '../report/sections/index.js';
import type { CaseStore } from '../store/case-store.js';
import type { AnalysisViews } from './analysis.js';
import type { AttackPath, ExportedFile, Finding, InventoryRow, ReportRequest, TraversalOptions, TriageRow } from './contract.js';
import { sourceInfo } from './views.js';

export interface ReportInputs {
  store: CaseStore;
  analysis: AnalysisViews;
  triage: TriageRow[];
  findings: Finding[];
  inventory: InventoryRow[];
  now: Date;
}

export function gatherReport(inp: ReportInputs, req: ReportRequest): ReportData {
  const { store, analysis } = inp;
  const details: CredentialDetail[] = inp.triage.slice(0, DETAIL_LIMIT).map((row) => ({
    row,
    blast: analysis.blastRadius(row.node.id, {}),
    paths: crownPaths(analysis, row.node.id),
    containment: analysis.containment(row.node.id, undefined, {}),
  }));
  const sources = store.sources().map(sourceInfo);
  const stats = store.exportStats();
  const formats = [...new Set(sources.map((s) => s.format))].sort();
  const missing: string[] = [];
  if (!formats.some((f) => ACTIVITY_FORMATS.has(f))) missing.push('No activity logs (CloudTrail, GCP audit logs, Azure activity, Entra sign-in or audit logs) were imported: what identities could do is known, what they did is not, and use after an exposure cannot be seen.');
  if (!formats.some((f) => f === 'gitleaks' || f === 'trufflehog')) missing.push('No secret-scanner report was imported: credentials count as compromised only where someone marked them.');
  const limits: CaseLimits = { ...stats, formats, missing };
  const caseFile = basename(store.path);
  const data: ReportData = {
    title: `Blastmap report — ${caseFile}`,
    caseFile,
    generatedAt: inp.now.toISOString(),
    schemaVersion: store.schemaVersion,
    counts: store.counts(),
    sources,
    triage: inp.triage,
    details,
    findings: req.only === 'compromised' ? [] : inp.findings,
    inventory: req.only === 'compromised' ? [] : inp.inventory,
    limits,
    ...(req.only ? { only: req.only } : {}),
    redacted: Boolean(req.redactIds),
  };
  return req.redactIds ? redact(data, store) : data;
}

/** Below this many nodes every node of the case is registered for redaction; above, those the report names. */
const REDACT_ALL_NODES = 50_000;
/** The cloud activity logs: what shows use after an exposure. */
const ACTIVITY_FORMATS = new Set(['cloudtrail', 'gcp-audit-log', 'azure-activity-log', 'entra-sign-in-log', 'entra-audit-log']);

/** The paths a responder reads first (the UI's default target): to any admin node or node marked high value, shortest first. */
export function crownPaths(analysis: AnalysisViews, from: string, k: number = PATHS_PER_CREDENTIAL, opts: TraversalOptions = {}): AttackPath[] {
  const seen = new Set<string>();
  return [...analysis.paths(from, 'admin', { ...opts, k }), ...analysis.paths(from, 'high-value', { ...opts, k })]
    .sort((a, b) => a.cost - b.cost || Number(a.conditional) - Number(b.conditional))
    .filter((p) => {
      const sig = p.steps.map((s) => s.edge.id).join(',');
      if (seen.has(sig)) return false;
      seen.add(sig);
      return true;
    })
    .slice(0, k);
}

function redact(data: ReportData, store: CaseStore): ReportData {
  const r = new Redactor();
  for (const s of data.sources) r.alias(s.fileName, `file-${s.id}${extname(s.fileName)}`);
  for (const s of data.sources) r.alias(s.label, `file-${s.id}${extname(s.fileName)}`);
  // Free text (reasons, evidence, finding summaries) names nodes the data holds no summary of: leaks, trust
  // subjects, policies. Every node of the case is registered when there are not too many.
  if (data.counts.nodes <= REDACT_ALL_NODES) for (const n of store.allNodes()) r.node(n.id, n.kind, n.name, n.handles);
  else for (const kind of ['leak', 'federated_subject', 'repository', 'aws_account', 'aws_external_account', 'gcp_project', 'azure_subscription', 'azure_tenant', 'k8s_cluster'] as const) for (const n of store.nodesOfKind(kind)) r.node(n.id, n.kind, n.name, n.handles);
  registerNodes(r, data);
  const caseFile = `case-${r.hash(data.caseFile)}`;
  const out = r.deep(data);
  return { ...out, caseFile, title: `Blastmap report — ${caseFile}`, sources: out.sources.map((s) => ({ ...s, label: s.fileName })) };
}

export function reportFile(data: ReportData, stamp: string): ExportedFile {
  const { html, sections } = renderReport(data);
  const base = data.redacted ? 'report-redacted' : `report-${data.caseFile.replace(/\.blastmap$/, '').replace(/[^A-Za-z0-9.-]+/g, '-').slice(0, 40)}`;
  return { fileName: `blastmap-${base}-${stamp}.html`, mediaType: 'text/html;charset=utf-8', text: html, rows: sections };
}
