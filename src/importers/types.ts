import type { GraphFragment } from '../model/fragment.js';
import type { EdgeKind, Provider } from '../model/kinds.js';
import type { JsonLine } from './json-lines.js';
import type { JsonPathParts, StreamChoice, StreamedValue } from './json-stream.js';

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
}

export interface ImportContext {
  options: ImportOptions;
  /** The time the import started, for ages and "now"-relative facts. */
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
  /** JSON-lines streamed: the rows of jsonLines(), one line in memory at a time. */
  jsonLinesStream(): AsyncIterable<JsonLine>;
  /**
   * One JSON document streamed (json-stream.ts): `choose` says, for each value by its JSON path, whether to walk
   * into it (an object or array), hand it over parsed, or skip it. Memory holds one value at a time.
   */
  jsonStream(choose: (path: JsonPathParts, container: boolean, array: boolean) => StreamChoice): AsyncIterable<StreamedValue>;
}
