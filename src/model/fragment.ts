import type { AccessLevel, EdgeKind, NodeKind } from './kinds.js';

/** Any JSON value: node and edge properties are stored as JSON. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** What made an edge or a node: a policy statement, a binding, a report line, a log event. */
export interface Evidence {
  /** What sort of record this is, e.g. 'policy-statement', 'trust-statement', 'binding', 'report-row', 'log-event'. */
  type: string;
  /** Plain words for people: "Statement AllowIAM of policy ci-deploy allows iam:CreateAccessKey on *". */
  summary: string;
  /** Where it came from: file name and place (line, JSON path, record), when known. */
  location?: string;
  /** The record itself (a policy statement, a binding) as imported; never a secret's value. */
  data?: Json;
}

export interface NodeFact {
  /** Canonical id (see ids.ts): stable across imports and sources. */
  id: string;
  kind: NodeKind;
  /** Display name. */
  name: string;
  /** Strings a user may paste to find this node: ARNs, key ids, emails, ns/name, app ids. */
  handles?: string[];
  props?: JsonObject;
  /** Id of the boundary node (account, cluster, project, tenant) this node lives in. */
  boundary?: string;
  /**
   * A node referenced but not described by this source (a trusted role in another file).
   * Its facts yield to a full description from any source.
   */
  stub?: boolean;
}

export interface EdgeProps {
  /** One sentence: why this edge exists, read as "<from> <reason> <to>" or a whole sentence. */
  reason?: string;
  /** The technique name, e.g. 'iam:CreateAccessKey' or 'pods/exec'. */
  technique?: string;
  evidence?: Evidence[];
  /** Set when the edge depends on a condition that cannot be decided offline: the condition text. */
  conditional?: string;
  accessLevel?: AccessLevel;
  actions?: string[];
  /**
   * For imported edges: where in the source file the statement is (line, JSON path, record). With no
   * `evidence`, the edge's evidence is that place in its source.
   */
  at?: string;
  /** Observed edges: ISO times and count. */
  firstSeen?: string;
  lastSeen?: string;
  count?: number;
  /** Rule- or importer-specific extras; stored as JSON. */
  [key: string]: unknown;
}

export interface EdgeFact {
  from: string;
  to: string;
  kind: EdgeKind;
  props?: EdgeProps;
}

export interface ImportWarning {
  message: string;
  /** Line, JSON path or record number. */
  location?: string;
}

export interface MarkRequest {
  nodeId: string;
  mark: MarkKind;
  note: string;
}
export type MarkKind = 'compromised' | 'high-value';

export interface GraphFragment {
  nodes: NodeFact[];
  edges: EdgeFact[];
  warnings: ImportWarning[];
  /** Two ids that name the same node (e.g. a credential-report key slot and its AKIA id): from → canonical. */
  aliases?: { from: string; to: string }[];
  /** Marks the source asks for (a leak report marks the credentials it exposes compromised). */
  marks?: MarkRequest[];
  /** What the file is as a whole (a Terraform plan and the state it changes); merged across a source's fragments. */
  sourceMeta?: JsonObject;
  /** Posture-scanner results (Prowler, ScoutSuite): findings of the source, matched to nodes after each import. */
  results?: ScannerResult[];
}

/** One failed check of a posture scanner on one resource, as the scanner reported it. */
export interface ScannerResult {
  scanner: string;
  checkId: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  /** The scanner's own status word (FAIL, danger, warning…). */
  status: string;
  title: string;
  /** The resource as the scanner names it (shown when no node matches). */
  resource: string;
  /** Handles to match a node by, best first: ARNs, resource ids, emails, namespace/name. */
  refs: string[];
  summary: string;
  remediation?: string;
  provider?: string;
  account?: string;
  region?: string;
  /** File and place of the result. */
  at: string;
}

export function emptyFragment(): GraphFragment {
  return { nodes: [], edges: [], warnings: [] };
}

/** A JSON object (not an array, not null): the one guard every reader of parsed input uses. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The same check, for values known to be JSON (parsed documents stored as props). */
export function isJsonObject(v: unknown): v is JsonObject {
  return isObject(v);
}
