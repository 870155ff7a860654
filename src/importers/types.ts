import type { GraphFragment } from '../model/fragment.js';
import type { EdgeKind, Provider } from '../model/kinds.js';
import type { JsonLine } from './json-lines.js';
import type { JsonPathParts, StreamChoice, StreamedValue } from './json-stream.js';
import type { InputLimits } from './limits.js';

/** Options a user may pass with an import. */
export interface ImportOptions {
  /** Force a format instead of detecting it. */
  format?: string;
  /** Kubernetes imports: the cluster the objects belong to. */
  cluster?: string;
  /** AWS imports that do not name their account (resource policies): the account id. */
  account?: string;
  /** GCP IAM policies that do not name their project (get-iam-policy output): the project id. */
  project?: string;
  /** GCP IAM policies of an organization (gcloud organizations get-iam-policy output): the organization's numeric id. */
  organization?: string;
  /** GCP IAM policies of a folder (gcloud resource-manager folders get-iam-policy output): the folder's numeric id. */
  folder?: string;
  /** Replace earlier whole-scope exports of the same format and boundaries (see analysis/compare/replace-rule.ts). */
  supersede?: boolean;
  /**
   * The case's reference time (ISO-8601), kept in the case for later imports: "now" for date conditions, key
   * expiry and credential ages (the time the exports were taken, when they are analysed later). 'now' clears it.
   */
  asOf?: string;
}

/** What an importer may ask of the case it imports into (files earlier in the same import included). */
export interface CaseKnowledge {
  /** AWS account ids of the IAM users the case holds, by user name. */
  awsUserAccounts(): ReadonlyMap<string, ReadonlySet<string>>;
  /** GCP project ids by project number, for the projects the case describes with both. */
  gcpProjectIds(): ReadonlyMap<string, string>;
  /** Azure service principals and managed identities the case holds, by client id (appId, lowercase): their node ids. */
  azureServicePrincipalsByAppId(): ReadonlyMap<string, string>;
  /** Entra users the case holds, by user principal name (lowercase): their node ids. */
  azureUsersByUpn(): ReadonlyMap<string, string>;
  /** User-assigned managed identities the case holds, by their ARM resource id (lowercase, as a handle or an alternativeName): their node ids. */
  azureManagedIdentitiesByPath(): ReadonlyMap<string, string>;
}

export interface ImportContext {
  /** The case as it stands, for importers with `readsCase` (absent when parsing outside an import). */
  known?: CaseKnowledge;
  options: ImportOptions;
  /** The case's reference time, for ages and "now"-relative facts: the time the import started, or the case's --as-of. */
  now: Date;
}

/** What a detector sees: the start of the file, decoded. Detection never parses whole files. */
export interface Probe {
  fileName: string;
  /** Up to the first 64 KiB of text, BOM removed. */
  head: string;
  /** Whether the head (trimmed) starts like JSON. */
  looksJson: boolean;
}

export interface Importer {
  /** Stable format id used in --format, the sources table and the docs. */
  format: string;
  title: string;
  provider: Provider;
  /** What produces this format, e.g. "aws iam get-account-authorization-details". */
  producedBy: string;
  /** The edge kinds this importer can emit (checked by the drift test). */
  emits: readonly EdgeKind[];
  /**
   * The importer reads `ctx.known` (to fill in what its format leaves out): its files are parsed after the other
   * files of the same import, so what those wrote is known.
   */
  readsCase?: boolean;
  /** The format may be JSON-lines (one JSON value per line): said when a JSON-lines file is not recognised. */
  jsonLines?: boolean;
  /** 0 = not this format, 1 = certain. The highest score wins; ties are an error. */
  detect(probe: Probe): number;
  /**
   * Pure transform: input → graph facts. Throw ImportError for bad input. A large input should yield
   * several fragments (a generator): they are written as they come, in the same transaction, and short-lived
   * fragments keep memory and garbage collection low. A node may appear in only one fragment of a source.
   */
  parse(input: ImportInput, ctx: ImportContext): GraphFragment | Promise<GraphFragment> | Iterable<GraphFragment> | AsyncIterable<GraphFragment>;
}

/** One file to import, with lazy decoders that report errors with the file and place. */
export interface ImportInput {
  fileName: string;
  /**
   * Decompressed bytes, read whole on first use. A file larger than the whole-read limit (limits.ts) is refused
   * here with a clear error: formats that may be that large stream instead (chunks, jsonLinesStream, jsonStream).
   */
  readonly bytes: Buffer;
  /** The first 64 KiB, decompressed: what detection sees. */
  readonly head: Buffer;
  /** Large enough (limits.streamAboveBytes, on disk) that an importer able to stream a JSON document should. */
  readonly large: boolean;
  /** A file on disk (not held in memory): where it is and its limits, for a worker thread to read it itself. */
  readonly file?: { path: string; limits: InputLimits };
  /** UTF-8 text, BOM removed. */
  text(): string;
  /** Parsed JSON; a syntax error (or nesting past the depth limit) becomes an ImportError naming line and column. */
  json(): unknown;
  /**
   * JSON-lines: each non-empty line parsed, with its 1-based line number. A line that is not JSON, nests too deep or
   * is too long comes as `error` (a description, never the text). Read from the disk line by line when the file has
   * not been loaded whole.
   */
  jsonLines(): Iterable<JsonLine>;
  /** The decompressed content in chunks, never held whole (gzip limits apply as it streams). */
  chunks(): AsyncIterable<Buffer>;
  /**
   * JSON-lines streamed: the rows of jsonLines(), one line in memory at a time. Lines with a prefix before their JSON
   * (a timestamp): `jsonStart` says where the JSON of a line starts, -1 to pass over the line.
   */
  jsonLinesStream(jsonStart?: (line: string) => number): AsyncIterable<JsonLine>;
  /**
   * One JSON document streamed (json-stream.ts): `choose` says, for each value by its JSON path, whether to walk
   * into it (an object or array), hand it over parsed, or skip it. Memory holds one value at a time.
   */
  jsonStream(choose: (path: JsonPathParts, container: boolean, array: boolean) => StreamChoice): AsyncIterable<StreamedValue>;
  /** The same values, an array at a time (those each chunk read completes): for formats with millions of small values. */
  jsonStreamBatches(choose: (path: JsonPathParts, container: boolean, array: boolean) => StreamChoice): AsyncIterable<StreamedValue[]>;
}
