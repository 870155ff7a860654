// What a report shows, gathered by the engine (src/api/report.ts) before any HTML is written, so redaction can pass
// over the data once and the sections only lay it out.
import type { AttackPath, BlastRadius, CaseInfo, ContainmentPlan, Finding, InventoryRow, SourceInfo, TriageRow } from '../api/contract.js';

export interface CredentialDetail {
  row: TriageRow;
  blast: BlastRadius;
  paths: AttackPath[];
  containment: ContainmentPlan;
}

export interface CaseLimits {
  conditionalEdges: number;
  derivedEdges: number;
  /** Nodes only referenced, never described by a source. */
  stubNodes: number;
  /** Accounts trusted by the case but not imported. */
  externalBoundaries: number;
  /** Formats imported, and the kinds of evidence the case lacks. */
  formats: string[];
  missing: string[];
}

export interface ReportData {
  title: string;
  caseFile: string;
  generatedAt: string;
  schemaVersion: number;
  counts: CaseInfo['counts'];
  sources: SourceInfo[];
  triage: TriageRow[];
  /** The compromised credentials shown in detail (the first of the triage ranking). */
  details: CredentialDetail[];
  findings: Finding[];
  inventory: InventoryRow[];
  limits: CaseLimits;
  only?: 'compromised';
  redacted: boolean;
}

/** How many credentials get a section of their own (blast radius, paths, containment). */
export const DETAIL_LIMIT = 25;
/** Paths shown per credential. */
export const PATHS_PER_CREDENTIAL = 3;
/** Inventory rows in the report (the CSV export has them all). */
export const INVENTORY_LIMIT = 3000;
/** Nodes listed under each finding rule. */
export const FINDING_NODES_LIMIT = 50;
