// The comparison part of the engine API contract (types only; contract.ts re-exports them): `blastmap diff`,
// `blastmap plan-impact`, the snapshots a case keeps, and the compare view.
import type { AccessLevel, EdgeKind, NodeCategory } from '../model/kinds.js';
import type { AttackPath, EdgeView, Finding, ImportFile, ImportRequest, NodeSummary, ReachedAccessLevel, Severity, SourceInfo } from './contract.js';

/** Edge kinds grouped the way a reader asks "what changed". */
export type ChangeFamily = 'trust' | 'grant' | 'membership' | 'credential' | 'activity' | 'other';

/** A graph state saved inside a case (automatically before a re-import replaces a source, or on request). */
export interface SnapshotInfo {
  id: number;
  takenAt: string;
  label: string;
  /** Taken by an import that replaced sources (true), or by `blastmap snapshot` (false). */
  auto: boolean;
  /** The sources the import that took it replaced (their state is the snapshot's). */
  replaced: { id: number; fileName: string; importedAt: string }[];
  counts: { nodes: number; edges: number; findings: number };
  bytes: number;
}

export interface DiffSide {
  /** In words: the case file, "snapshot 3 …", "the case after importing plan.json". */
  label: string;
  kind: 'case' | 'snapshot' | 'plan';
  path?: string;
  snapshot?: SnapshotInfo;
  sources: SourceInfo[];
  /** Nodes and traversable edges in the graph, and findings. */
  counts: { nodes: number; edges: number; findings: number };
}

export interface NodeChange {
  change: 'added' | 'removed' | 'changed';
  node: NodeSummary;
  /** For 'changed', in words: "deactivated", "renamed from …", "moved from … to …". */
  details?: string[];
}

export interface EdgeChange {
  change: 'added' | 'removed' | 'changed';
  family: ChangeFamily;
  kind: EdgeKind;
  from: NodeSummary;
  to: NodeSummary;
  technique?: string;
  /** The edge's own sentence, from the side that has it (after, for a change). */
  reason: string;
  accessBefore?: AccessLevel;
  accessAfter?: AccessLevel;
  /** Condition text on each side; absent when unconditional or absent on that side. */
  conditionBefore?: string;
  conditionAfter?: string;
  /** For 'changed', in words. */
  details?: string[];
  /** The edge as stored on the side that has it (after, for a change), when that side is a live case. */
  edge?: EdgeView;
}

export type ReachStatus = 'none' | 'conditional' | 'unconditional';

/** An origin that gained or lost a way to an admin or high-value node. */
export interface ReachChange {
  change: 'appeared' | 'disappeared' | 'now-unconditional' | 'now-conditional';
  origin: NodeSummary;
  /** Listing order: compromised or exposed credentials first, then credentials, then identities. */
  originClass: 'compromised' | 'credential' | 'identity';
  target: NodeSummary;
  targetClass: 'admin' | 'high-value';
  /** `steps`: the length of the path shown, on the side it is shown (paths are rendered for the first entries). */
  before: { status: ReachStatus; steps?: number };
  after: { status: ReachStatus; steps?: number };
  /**
   * A new credential of an identity that already reached the target: listed, but not counted as a new way in
   * (a rotated key of an admin user would otherwise trip a CI gate).
   */
  inheritedFrom?: NodeSummary;
  /** The shortest path that appeared (after) or was lost (before), for the first ones listed. */
  path?: AttackPath;
}

export interface BlastCounts {
  identities: number;
  credentials: number;
  resources: number;
  admins: number;
}

export interface BoundaryTallyView {
  identities: number;
  resources: number;
  credentials: number;
  admin: boolean;
}

export interface BlastDelta {
  origin: NodeSummary;
  originClass: 'compromised' | 'credential';
  presence: 'both' | 'added' | 'removed';
  before: BlastCounts;
  after: BlastCounts;
  adminGained: NodeSummary[];
  adminLost: NodeSummary[];
  /** Boundaries whose counts changed. */
  byBoundary: { boundary: NodeSummary; before: BoundaryTallyView; after: BoundaryTallyView }[];
  /** Access levels whose resource counts changed. */
  byAccessLevel: { level: ReachedAccessLevel; before: number; after: number }[];
}

export interface FindingChange {
  change: 'new' | 'fixed' | 'changed';
  /** The finding as it is after ('new', 'changed') or was before ('fixed'). */
  finding: Finding;
  before?: Finding;
  details?: string[];
}

export interface KeyRotation {
  holder: NodeSummary;
  retired: { credential: NodeSummary; how: 'removed' | 'deactivated' }[];
  introduced: NodeSummary[];
}

/** Something the comparison did not do in full, said plainly. */
export interface DiffBound {
  what: 'paths-targets' | 'paths-listed' | 'paths-rendered' | 'blast-origins' | 'nodes-listed' | 'edges-listed';
  total: number;
  included: number;
  note: string;
}

export interface ChangeCount {
  added: number;
  removed: number;
  changed: number;
}

export interface DiffSummary {
  nodes: Partial<Record<NodeCategory, ChangeCount>>;
  edges: Partial<Record<ChangeFamily, ChangeCount>>;
  paths: {
    appeared: number;
    disappeared: number;
    nowUnconditional: number;
    nowConditional: number;
    /**
     * Origins newly reaching an admin node (new credentials of identities that already reached it not counted), and
     * those that are compromised or exposed credentials.
     */
    newAdminOrigins: number;
    newAdminFromCompromised: number;
    /** Origin–admin pairs that appeared (what `--fail-on new-admin-path` counts). */
    newAdminPaths: number;
    lostAdminOrigins: number;
  };
  blastRadius: { grew: number; shrank: number; adminGained: number; adminLost: number; affected: number; compared: number };
  findings: { new: number; fixed: number; changed: number; newBySeverity: Partial<Record<Severity, number>>; fixedBySeverity: Partial<Record<Severity, number>> };
  keysRotated: number;
}

export interface CaseDiff {
  before: DiffSide;
  after: DiffSide;
  summary: DiffSummary;
  nodes: NodeChange[];
  edges: EdgeChange[];
  paths: ReachChange[];
  blastRadius: BlastDelta[];
  findings: FindingChange[];
  rotations: KeyRotation[];
  /** What was bounded to keep the comparison affordable (empty when everything was compared and listed). */
  bounds: DiffBound[];
  elapsedMs: number;
}

export interface DiffLimits {
  /** Credentials whose blast radius is compared on both sides (default 100). */
  maxOrigins?: number;
  /** Admin and high-value targets compared (default 1000). */
  maxTargets?: number;
  /** Entries listed per list (nodes, edges, paths; default 500); counts are always complete. */
  maxListed?: number;
  /** Paths rendered step by step (default 25). */
  maxPaths?: number;
}

export interface PlanImpact {
  diff: CaseDiff;
  /** The sources the file(s) became in the private copy. */
  imported: SourceInfo[];
  /** Sources of the case the import replaced in the copy, and by which rule. */
  replaced: { source: SourceInfo; rule: string }[];
  /** What a CI gate reads: appeared paths to admin (origin–admin pairs) and new critical findings. */
  gate: { newAdminPaths: number; newCritical: number; newHigh: number };
}

export interface CompareCaseRequest {
  /** The other case file: a path (CLI, Electron) or its content (browser-mode upload). */
  other: ImportFile;
  /** Whether the other case is the state before (default) or after the open one. */
  otherIs?: 'before' | 'after';
  limits?: DiffLimits;
}

export interface CompareSnapshotsRequest {
  /** A snapshot id, 'latest', an ISO time (the state before the first re-import after it) or a replaced file's name. */
  before: string;
  /** The same, or 'current' (default): the case as it is. */
  after?: string;
  limits?: DiffLimits;
}

export interface PlanImpactRequest {
  files: ImportFile[];
  options?: ImportRequest['options'];
  /**
   * Which sources of the case the file replaces in the private copy: 'scope' (default: the same file, and earlier
   * sources of the same format, or of the same declared state, that describe no boundary the file does not) or
   * 'same-file' (only what a re-import replaces: the same path or the same content).
   */
  replace?: 'scope' | 'same-file';
  /** Sources the file also replaces, by id or file name (for per-object exports the scope rule leaves alone). */
  replaces?: string[];
  limits?: DiffLimits;
}
