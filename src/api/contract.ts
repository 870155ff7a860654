// The engine API contract: types only. The CLI, the Electron IPC bridge and browser mode all speak it.
// Every method takes one argument and returns a Promise; errors are ApiError-shaped objects.
// The renderer may import this file and nothing else from src/.

import type { EdgeProps, Evidence, ImportWarning, Json, JsonObject, MarkKind } from '../model/fragment.js';
import type { AccessLevel, EdgeKind, NodeCategory, NodeKind, Provider } from '../model/kinds.js';

// The schema tables are data the UI legend reads; they are re-exported so the renderer needs nothing else from src/.
export { EDGE_KINDS, NODE_KINDS, NODE_CATEGORIES, ACCESS_LEVELS } from '../model/kinds.js';
export type { EdgeProps, Evidence, ImportWarning, Json, JsonObject, MarkKind, AccessLevel, EdgeKind, NodeCategory, NodeKind, Provider };
import type { CaseDiff, CompareCaseRequest, CompareSnapshotsRequest, PlanImpact, PlanImpactRequest, SnapshotInfo } from './contract-compare.js';
export type * from './contract-compare.js';

export interface NodeSummary {
  id: string;
  kind: NodeKind;
  category: NodeCategory;
  provider: Provider;
  name: string;
  /** The boundary node (account, cluster, project, tenant) this node lives in, when known. */
  boundary?: string;
  /** Known only as a reference from another object, never described by a source. */
  stub: boolean;
  marks: MarkKind[];
}

export interface SourceRef {
  id: number;
  fileName: string;
  format: string;
}

export interface SourceInfo extends SourceRef {
  label: string;
  sha256: string;
  importedAt: string;
  counts: { nodes: number; edges: number };
  warnings: ImportWarning[];
  /**
   * What the file is as a whole, when its importer says: a Terraform plan or state gives `terraform` ({ document:
   * 'plan' | 'state' | 'tfstate', describes, addressDigest, priorStateDigest, … }; see src/importers/terraform/meta.ts).
   */
  meta?: JsonObject;
}

export interface EdgeView {
  id: number;
  from: string;
  to: string;
  kind: EdgeKind;
  derived: boolean;
  /** Activity-log edge (OBSERVED_USE) rather than a permission. */
  observed: boolean;
  reason: string;
  technique?: string;
  /** The condition text when the edge depends on something that cannot be decided offline. */
  conditional?: string;
  accessLevel?: AccessLevel;
  evidence: Evidence[];
  firstSeen?: string;
  lastSeen?: string;
  count?: number;
  /** Imported edges: the source that stated them. Derived edges have none. */
  source?: SourceRef;
  props: EdgeProps;
}

export interface MarkView {
  nodeId: string;
  mark: MarkKind;
  note: string;
  by: string;
  at: string;
}

export interface NodeDetails {
  node: NodeSummary;
  props: JsonObject;
  handles: string[];
  sources: SourceRef[];
  /** Edges leaving and entering the node, each with the node at its other end. */
  out: { edge: EdgeView; other: NodeSummary }[];
  in: { edge: EdgeView; other: NodeSummary }[];
  marks: MarkView[];
  findings: Finding[];
  /** More edges exist than were returned. */
  truncated: boolean;
  /**
   * What activity logs show this node did or underwent (OBSERVED_USE in and out), one entry per other node with
   * the sources' edges merged, newest first; only activity overlapping [since, until] when those were given.
   */
  activity?: ObservedActivity[];
}

/** Observed activity between a node and one other node, merged across the log files that show it. */
export interface ObservedActivity {
  direction: 'out' | 'in';
  other: NodeSummary;
  firstSeen?: string;
  lastSeen?: string;
  /** Events in all the merged edges (the whole span of each, even when it only overlaps the window). */
  count: number;
  actions: string[];
  /** The stored edges merged into this entry (one per source file). */
  edgeIds: number[];
}

export interface CaseInfo {
  path: string;
  /** Tells this case from another of the same file name (a hash of where its file is; src/api/case-id.ts). */
  id?: string;
  schemaVersion: number;
  sources: SourceInfo[];
  counts: { nodes: number; edges: number; derivedEdges: number; findings: number; marks: number };
  /** The case's reference time when one was set (import --as-of); otherwise each import's own time is. */
  asOf?: string;
}

export interface FormatInfo {
  format: string;
  title: string;
  provider: Provider;
  producedBy: string;
}

/** A file given by path (CLI, Electron) or by content (browser-mode upload, drag and drop). */
export type ImportFile = { path: string } | { name: string; contentBase64: string };

export interface ImportRequest {
  files: ImportFile[];
  /**
   * asOf: the case's reference time (ISO-8601), kept in the case for later imports — what date conditions
   * (aws:CurrentTime, aws:TokenIssueTime), key expiry and credential ages are decided against; 'now' clears it.
   * supersede: also replace earlier whole-scope exports of the same format and boundaries (plan-impact's scope rule).
   */
  options?: { format?: string; cluster?: string; account?: string; project?: string; organization?: string; folder?: string; asOf?: string; supersede?: boolean };
}

export interface ImportResult {
  sources: SourceInfo[];
  warnings: { file: string; message: string; location?: string }[];
  counts: CaseInfo['counts'];
  elapsedMs: number;
}

export interface SearchHit {
  node: NodeSummary;
  /** The handle or name that matched. */
  matched: string;
}

export type ResolveResult =
  | { status: 'found'; node: NodeSummary }
  | { status: 'ambiguous' | 'unknown'; candidates: NodeSummary[] };

export interface TraversalOptions {
  maxDepth?: number;
  /** Follow edges whose condition could not be decided offline (default true: they are shown, flagged). */
  includeConditional?: boolean;
  /** Follow only what activity logs show happened, within [since, until]. */
  observedOnly?: boolean;
  since?: string;
  until?: string;
}

export interface PathStep {
  edge: EdgeView;
  from: NodeSummary;
  to: NodeSummary;
  /**
   * Other edges joining the same two nodes (another source's statement, observed use beside a permission): paths
   * are ranked as routes, so a step that several edges can take is one step with the others listed here.
   */
  alternatives?: EdgeView[];
}

export interface AttackPath {
  steps: PathStep[];
  /** True when any step is conditional. */
  conditional: boolean;
  cost: number;
}

export interface ReachedNode {
  node: NodeSummary;
  depth: number;
  /** Node ids from the origin to this node along the path used. */
  path: string[];
  conditional: boolean;
  /**
   * Set when the node is reached only because the admin node of its boundary is (its path ends at that admin
   * node): the admin node's id. Such nodes come after the others in each list, high-value ones first.
   */
  viaAdmin?: string;
}

/** Access levels of a reached resource: the CAN_ACCESS levels, and 'admin' when its boundary's admin is reached. */
export type ReachedAccessLevel = AccessLevel | 'admin';

export interface ReachedResource extends ReachedNode {
  /** Highest access level reached on the resource, and through which identity ('admin': the boundary's admin node). */
  accessLevel?: ReachedAccessLevel;
  via?: string;
}

/** One identity or credential that can reach a node (reachers: the reverse of blast radius). */
export interface Reacher {
  node: NodeSummary;
  /** Steps of its shortest route to the node, or to the node's admin node when it reaches it only through admin. */
  depth: number;
  /** Shortest routes from it to the node itself (0 when only through admin). */
  paths: number;
  /** Shortest routes from it to the admin node of the node's boundary (0 when it does not reach it). */
  adminPaths: number;
  /** It reaches the node by a route of edges. */
  direct: boolean;
  /** It reaches the admin node of the node's boundary, which holds everything inside. */
  throughAdmin: boolean;
  /** Every route it has (direct or through admin) needs a condition that cannot be decided offline. */
  conditional: boolean;
}

export interface Reachers {
  target: NodeSummary;
  /** The admin node of the target's boundary, when it has one: its reachers reach the target through it. */
  admin?: NodeSummary;
  /** Direct reachers first (nearest first, most routes first), then those that reach it only through admin. */
  reachers: Reacher[];
  counts: { identities: number; credentials: number; direct: number; throughAdmin: number; onlyThroughAdmin: number };
  /** More reachers than the limit: the list holds the first ones, the counts are complete. */
  truncated: boolean;
  elapsedMs: number;
}

export interface BoundaryCount {
  boundary: NodeSummary;
  /** Everything reached in the boundary, including what is reached through its admin node. */
  identities: number;
  resources: number;
  credentials: number;
  admin: boolean;
  /** Nodes marked high value reached in this boundary (absent when none). */
  highValue?: number;
  /** Of those counts, what is reached only through the boundary's admin node (present when admin is true). */
  viaAdmin?: { identities: number; resources: number; credentials: number };
}

export interface BlastRadius {
  origin: NodeSummary;
  identities: ReachedNode[];
  credentials: ReachedNode[];
  resources: ReachedResource[];
  admins: ReachedNode[];
  /** Reached nodes marked high value (tier-zero groups, crown-jewel buckets…), whatever their category, nearest first. */
  highValue?: ReachedNode[];
  byBoundary: BoundaryCount[];
  byAccessLevel: Partial<Record<ReachedAccessLevel, number>>;
  elapsedMs: number;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export interface Finding {
  id: string;
  rule: string;
  severity: Severity;
  title: string;
  nodeId: string;
  node?: NodeSummary;
  summary: string;
  evidence: Evidence[];
  remediation: string;
  /**
   * Present when a posture scanner reported it (Prowler, ScoutSuite): the scanner, its check id and status, the
   * resource as the scanner named it, and whether a node of the case matched it (`rule` is `<scanner>:<checkId>`;
   * an unmatched result keeps the resource as `nodeId` and has no `node`).
   */
  origin?: { scanner: string; checkId: string; status: string; resource: string; matched: boolean; source?: SourceRef };
}

export interface ContainmentCut {
  /** What to do, e.g. "Deactivate access key AKIA… of ci-bot". */
  action: string;
  /** Relative cost of the cut (a key revocation 1, a trust-policy change 3, removing admin rights 10). */
  cost: number;
  edge: EdgeView;
  from: NodeSummary;
  to: NodeSummary;
  /** How many of the paths found before the cut go through it. */
  pathsCut: number;
  /** Other edges the same action removes (the same step stated by another source, a credential's observed use). */
  alsoRemoves?: EdgeView[];
}

export interface ContainmentPlan {
  origin: NodeSummary;
  targets: NodeSummary[];
  cuts: ContainmentCut[];
  pathsBefore: number;
  /** Paths left after applying every cut (0 when the plan is complete). */
  pathsAfter: number;
  /** Total cost of the cuts: the minimum over every set of cuts that disconnects the origin from the targets. */
  cost: number;
  /** Path counts are of the shortest paths, at most this many. */
  pathLimit: number;
  /** Paths left after the cuts, when any (a complete plan has none). */
  remaining?: AttackPath[];
}

export interface Subgraph {
  nodes: NodeSummary[];
  edges: EdgeView[];
  truncated: boolean;
}

/** What lives in a boundary (or outside every boundary): nodes by category, who holds admin, findings by severity. */
export interface EstateCounts {
  /** Nodes drawn inside it (the boundary node itself excluded). */
  nodes: number;
  identities: number;
  credentials: number;
  resources: number;
  groups: number;
  /** Principals holding admin of the boundary (a direct ADMIN_OF to its admin node). */
  admins: number;
  findings: Partial<Record<Severity, number>>;
}

export interface EstateBoundary extends EstateCounts {
  boundary: NodeSummary;
}

/** Traversable edges from one boundary into another, aggregated ("12 roles of B trust A"); null is outside any. */
export interface EstateTrust {
  from: string | null;
  to: string | null;
  edges: number;
  /** Distinct nodes the edges leave from, and reach. */
  sources: number;
  targets: number;
  targetKinds: Partial<Record<NodeKind, number>>;
  edgeKinds: Partial<Record<EdgeKind, number>>;
  conditional: number;
  observed: number;
}

/** The first screen: the estate as boundaries, the trust between them, what is marked and the worst findings. */
export interface EstateOverview {
  boundaries: EstateBoundary[];
  /** Nodes that belong to no boundary (OpenGraph objects, leaks…). */
  outside: EstateCounts;
  trust: EstateTrust[];
  /** Marked nodes (compromised, high value), at most `markedLimit`. */
  marked: NodeSummary[];
  /** The most severe findings, at most `findingLimit`. */
  topFindings: Finding[];
  elapsedMs: number;
}

/** A named view of the explorer, kept in the case; `state` is the renderer's own JSON. */
export interface SavedView {
  name: string;
  state: JsonObject;
  savedAt: string;
}

/** The state of one box of a containment checklist, kept in the case. */
export interface ContainmentCheck {
  origin: string;
  /** The cut's step: "<from id> <edge kind> <to id>" (stable across imports, unlike edge row ids). */
  cut: string;
  checked: boolean;
  by: string;
  at: string;
}

export interface ApiErrorShape {
  code: 'bad-input' | 'not-found' | 'ambiguous' | 'case' | 'internal' | 'cancelled';
  message: string;
  file?: string;
  location?: string;
  candidates?: NodeSummary[];
}

export interface ImportProgressView {
  file: string;
  /** 0-based index of the file being read, of `total`. */
  index: number;
  total: number;
  /** 'indexing': the graph index is built and saved before the import commits, so the first analysis is not kept waiting. */
  phase: 'reading' | 'parsing' | 'writing' | 'deriving' | 'indexing' | 'done' | 'waiting';
  nodes: number;
  edges: number;
  /** phase 'waiting': how long the import has waited for another process writing the case. */
  waitedMs?: number;
}

/** How much an identity can do, highest first: admin-equivalent, reaches an admin or high-value node, write, read. */
export type PrivilegeTier = 'admin' | 'reaches-high-value' | 'write' | 'read' | 'none';

/** One non-human identity of the inventory: what it is, who owns it, its credentials, its reach and its activity. */
export interface InventoryRow {
  node: NodeSummary;
  /** The kind in words ("IAM role", "Service account"). */
  kindLabel: string;
  boundary?: NodeSummary;
  /** The owner recorded on the identity, when any. */
  owner?: string;
  /** Where it was found: an owner field or annotation, an owner/team/contact tag or label, or an OWNS edge. */
  ownerSource?: 'field' | 'tag' | 'owner-edge';
  credentials: {
    total: number;
    active: number;
    compromised: number;
    /** Age in days of the oldest active credential (since it was created or last rotated). */
    oldestDays?: number;
    /** Most recent use of any of its credentials (or of the identity itself, when a source says). */
    lastUsedAt?: string;
    /** Active credentials with no recorded use. */
    neverUsed: number;
    /** Active user-managed keys not rotated for more than 90 days. */
    rotationOverdue: number;
  };
  tier: PrivilegeTier;
  /** Why that tier, in words (the admin node, the target reached and in how many steps, the grant). */
  tierReason: string;
  /** What activity logs show the identity and its credentials doing (OBSERVED_USE out of them). */
  activity?: { firstSeen?: string; lastSeen?: string; events: number };
  /** Findings on the identity and its credentials, per severity. */
  findings: Partial<Record<Severity, number>>;
  marks: MarkKind[];
}

/** One compromised or exposed credential, ranked by what it reaches. */
export interface TriageRow {
  /** 1-based rank: score, then admin boundaries, then id (stable across runs). */
  rank: number;
  node: NodeSummary;
  /** The identities it authenticates as. */
  holders: NodeSummary[];
  /** Why it is listed: each leak that exposes it, and a compromised mark. */
  reasons: string[];
  status: 'active' | 'inactive' | 'unknown';
  /** Last use a source records (null: never used). */
  lastUsedAt?: string | null;
  /** When it was first exposed: the earliest leak date (commit date), else when a person marked it compromised (a scanner's leak without a date leaves it unknown). */
  exposedAt?: string;
  /** Use that activity logs show after it was exposed. */
  usedAfterExposure?: { firstSeen?: string; lastSeen: string; events: number; actions: string[] };
  reach: {
    /** Boundaries it is admin of (any admin node reached). */
    adminOf: NodeSummary[];
    /** Nodes marked high value it reaches. */
    highValue: NodeSummary[];
    byAccessLevel: Partial<Record<AccessLevel, number>>;
    /** Resources reached over edges stating no access level. */
    unstatedAccess: number;
    identities: number;
    credentials: number;
    resources: number;
  };
  /** The containment plan's size and cost (absent when it was not computed: past the first 200 rows). */
  containment?: { cost: number; cuts: number; pathsBefore: number; pathsAfter: number; firstAction?: string };
  score: number;
  /** The score, explained: each part with its points (they add up to `score`). */
  scoreParts: { label: string; points: number }[];
}

export type ExportTableName = 'findings' | 'nodes' | 'edges' | 'inventory' | 'triage' | 'blast-radius' | 'paths' | 'containment';

/** A table to export. `from`/`to`/`k`/`targets` and the traversal options apply to blast-radius, paths and containment. */
export interface ExportTableRequest extends TraversalOptions {
  table: ExportTableName;
  /** csv, json (an array of row objects), or markdown (containment only: the plan as a checklist). */
  format: 'csv' | 'json' | 'markdown';
  from?: string;
  to?: string;
  k?: number;
  targets?: string[];
  /** blast-radius: one list, or every reached node ('all', the default), or the per-boundary counts. */
  list?: 'all' | 'admins' | 'identities' | 'credentials' | 'resources' | 'boundaries';
  /** containment: indexes of the cuts already done (ticked in the Markdown checklist, `done` in CSV/JSON). */
  done?: number[];
}

/** A file the engine made for the caller to save (a table, a report). */
export interface ExportedFile {
  fileName: string;
  mediaType: string;
  text: string;
  /** Rows written (tables), sections (reports). */
  rows: number;
}

export interface ReportRequest {
  /** Only the compromised credentials' part (triage, blast radius, paths, containment), no posture or inventory. */
  only?: 'compromised';
  /** Replace account ids, names and ids by stable pseudonyms, for sharing. */
  redactIds?: boolean;
}

export interface BlastmapApi {
  caseInfo(arg: Record<string, never>): Promise<CaseInfo>;
  formats(arg: Record<string, never>): Promise<FormatInfo[]>;
  importFiles(arg: ImportRequest): Promise<ImportResult>;
  /** The running import's progress, or null. Answers at once, even while an import runs. */
  importProgress(arg: Record<string, never>): Promise<ImportProgressView | null>;
  /** Cancels the running import (it rolls back; nothing changes). Answers at once. */
  cancelImport(arg: Record<string, never>): Promise<{ cancelled: boolean }>;
  search(arg: { text: string; limit?: number }): Promise<SearchHit[]>;
  resolve(arg: { ref: string }): Promise<ResolveResult>;
  node(arg: { id: string; edgeLimit?: number; since?: string; until?: string }): Promise<NodeDetails>;
  neighbors(arg: { ids: string[]; limit?: number }): Promise<Subgraph>;
  overview(arg: { limit?: number }): Promise<Subgraph>;
  mark(arg: { ids: string[]; mark: MarkKind; note?: string; by?: string }): Promise<MarkView[]>;
  unmark(arg: { ids: string[]; mark: MarkKind }): Promise<{ removed: number }>;
  blastRadius(arg: { from: string } & TraversalOptions): Promise<BlastRadius>;
  paths(arg: { from: string; to: string | 'admin' | 'high-value'; k?: number } & TraversalOptions): Promise<AttackPath[]>;
  findings(arg: { severity?: Severity; rule?: string }): Promise<Finding[]>;
  containment(arg: { from: string; targets?: string[] } & TraversalOptions): Promise<ContainmentPlan>;
  /** The estate overview for the explorer's first screen. */
  estate(arg: { markedLimit?: number; findingLimit?: number }): Promise<EstateOverview>;
  savedViews(arg: Record<string, never>): Promise<SavedView[]>;
  /** Saves (or replaces) a named view. */
  saveView(arg: { name: string; state: JsonObject }): Promise<SavedView>;
  deleteView(arg: { name: string }): Promise<{ removed: number }>;
  containmentChecks(arg: { origin: string }): Promise<ContainmentCheck[]>;
  setContainmentCheck(arg: { origin: string; cut: string; checked: boolean; by?: string }): Promise<ContainmentCheck>;
  /** Compares the open case with another case file (read-only; an upload is read from a private temporary copy). */
  compareCase(arg: CompareCaseRequest): Promise<CaseDiff>;
  /** The graph states this case keeps (taken before re-imports replaced sources, or on request). */
  snapshots(arg: Record<string, never>): Promise<SnapshotInfo[]>;
  takeSnapshot(arg: { label?: string }): Promise<SnapshotInfo>;
  /** Compares two states of this case: a snapshot and the case as it is, or two snapshots. */
  compareSnapshots(arg: CompareSnapshotsRequest): Promise<CaseDiff>;
  /** What importing the file(s) would change: imported into a private copy of the case, compared, copy removed. */
  planImpact(arg: PlanImpactRequest): Promise<PlanImpact>;
  /** Every identity and credential that can reach the node, directly and through its boundary's admin, with route counts. */
  reachers(arg: { id: string; limit?: number } & TraversalOptions): Promise<Reachers>;
  /** Every non-human identity across providers, ordered by boundary, tier and name. */
  inventory(arg: Record<string, never>): Promise<InventoryRow[]>;
  /** Every compromised or exposed credential, ranked by what it reaches. */
  triage(arg: { includeConditional?: boolean }): Promise<TriageRow[]>;
  /** A table as CSV, JSON or (containment) Markdown text, for the UI to save. */
  exportTable(arg: ExportTableRequest): Promise<ExportedFile>;
  /** The case report: one self-contained HTML file. */
  report(arg: ReportRequest): Promise<ExportedFile>;
}

export type ApiMethod = keyof BlastmapApi;
export type ApiArg<M extends ApiMethod> = Parameters<BlastmapApi[M]>[0];
export type ApiResult<M extends ApiMethod> = Awaited<ReturnType<BlastmapApi[M]>>;

/** The method list the preload, the IPC handlers and the HTTP server loop over. */
export const API_METHODS = [
  'caseInfo',
  'formats',
  'importFiles',
  'importProgress',
  'cancelImport',
  'search',
  'resolve',
  'node',
  'neighbors',
  'overview',
  'mark',
  'unmark',
  'blastRadius',
  'paths',
  'findings',
  'containment',
  'estate',
  'savedViews',
  'saveView',
  'deleteView',
  'containmentChecks',
  'setContainmentCheck',
  'compareCase',
  'snapshots',
  'takeSnapshot',
  'compareSnapshots',
  'planImpact',
  'reachers',
  'inventory',
  'triage',
  'exportTable',
  'report',
] as const satisfies readonly ApiMethod[];

/** Menu and shell commands the Electron shell sends to the renderer. */
export type ShellCommand = 'open-case' | 'new-case' | 'import' | 'export-png' | 'export-svg' | 'toggle-theme' | 'show-help' | 'fit' | 'export-report' | 'unlock-case';

/**
 * Services of the host around the renderer. Electron provides native dialogs, menus, drag-and-drop
 * paths and recent cases; browser mode provides what a page can (file inputs), with mode 'browser'.
 */
export interface ShellServices {
  mode: 'electron' | 'browser';
  /** Native file picker for exports; browser mode returns [] (the renderer uses an <input type=file>). */
  pickImportFiles(arg: Record<string, never>): Promise<ImportFile[]>;
  /** The filesystem path of a dropped File (Electron), or null (browser: send its content instead). */
  pathOfDroppedFile(file: File): string | null;
  /** Open or create another case (Electron: dialogs and a new engine); browser mode: not available. */
  openCase(arg: { create: boolean }): Promise<CaseInfo | null>;
  recentCases(arg: Record<string, never>): Promise<string[]>;
  /** A case file to compare with, from a native dialog (Electron; the path is then allowed to compareCase). Browser mode: null. */
  pickCaseFile?(arg: Record<string, never>): Promise<ImportFile | null>;
  onCommand(listener: (command: ShellCommand) => void): () => void;
  /**
   * Electron: the passphrase of the encrypted case (.blastmap.enc) the shell is waiting to open (it sent
   * 'unlock-case'); the case then opens from a private decrypted copy. Browser mode: null (serve asks in its terminal).
   */
  unlockCase(arg: { passphrase: string }): Promise<CaseInfo | null>;
}

/** What the renderer finds on window.blastmap. */
export interface RendererBridge {
  api: BlastmapApi;
  shell: ShellServices;
}

// Fails to compile when a method of BlastmapApi is missing from API_METHODS.
type MissingMethods = Exclude<ApiMethod, (typeof API_METHODS)[number]>;
export const API_METHODS_COMPLETE: [MissingMethods] extends [never] ? true : never = true;
