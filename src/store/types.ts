import type { EdgeProps, Evidence, ImportWarning, JsonObject, MarkKind } from '../model/fragment.js';
import type { EdgeKind, NodeKind } from '../model/kinds.js';
import type { FindingForm } from '../model/finding-forms.js';

/** node_facts.source_id of nodes made by derivation rules. */
export const DERIVED_SOURCE = 0;

export class CaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaseError';
  }
}

export interface StoredNode {
  id: string;
  kind: NodeKind;
  name: string;
  stub: boolean;
  boundary: string | null;
  handles: string[];
  props: JsonObject;
  sources: number[];
}

export interface StoredEdge {
  id: number;
  src: string;
  dst: string;
  kind: EdgeKind;
  sourceId: number | null;
  derived: boolean;
  conditional: boolean;
  firstSeen: string | null;
  lastSeen: string | null;
  props: EdgeProps;
  /** Derived edges: the rule that derived it (the first, when several did). */
  rule?: string;
}

export interface SourceRow {
  id: number;
  label: string;
  fileName: string;
  format: string;
  sha256: string;
  importedAt: string;
  options: JsonObject;
  counts: { nodes: number; edges: number };
  warnings: ImportWarning[];
  /** What the importer said about the file as a whole (migration 0010); {} when nothing. */
  meta: JsonObject;
}

export interface MarkRow {
  id: number;
  nodeId: string;
  mark: MarkKind;
  note: string;
  by: string;
  at: string;
  sourceId: number | null;
}

export interface FindingRow {
  id: string;
  rule: string;
  severity: string;
  nodeId: string;
  title: string;
  summary: string;
  evidence: Evidence[];
  remediation: string;
  /** Findings made from a posture scanner's result: which scanner, check and resource (migration 0010). */
  origin?: JsonObject;
  /** Written only: what the text was made from, stored instead of it (migration 0015); rows read back hold the text. */
  form?: FindingForm;
}
