// What an input may be, by design: a hostile or broken file is refused with a clear error before it can exhaust
// memory, the stack or the patience of whoever waits. The README's "Limits" section lists the same numbers.

export interface InputLimits {
  /** The largest file accepted at all: on disk, or once decompressed. */
  maxFileBytes: number;
  /**
   * The largest file a format may read whole (text(), json(), bytes). JSON documents take several times their size
   * in memory once parsed; formats that stream (CloudTrail, OpenGraph, Kubernetes Lists,
   * AzureHound, Kubernetes audit logs) go past this.
   */
  maxWholeBytes: number;
  /** gzip: decompressed ÷ compressed size may not exceed this once the output passes gzipRatioFloorBytes. */
  maxGzipRatio: number;
  /** Below this much output any gzip ratio is accepted (small, repetitive files compress very well). */
  gzipRatioFloorBytes: number;
  /** JSON and YAML nesting (objects, arrays, mappings, sequences inside each other). */
  maxDepth: number;
  /** One JSON-lines line, or one record of a streamed JSON document. */
  maxLineBytes: number;
  /**
   * Above this size (on disk) a file is `large`: importers that can stream a JSON document (CloudTrail, OpenGraph,
   * Kubernetes Lists, AzureHound, Kubernetes audit logs) do, rather than parse it whole. JSON-lines always stream.
   */
  streamAboveBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<InputLimits> = Object.freeze({
  maxFileBytes: 16 * 1024 * MiB,
  maxWholeBytes: 256 * MiB,
  maxGzipRatio: 100,
  gzipRatioFloorBytes: 32 * MiB,
  maxDepth: 200,
  maxLineBytes: 64 * MiB,
  streamAboveBytes: 64 * MiB,
});

/** Sizes as a user reads them: "256 MiB", "16 GiB", "812 bytes". */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * MiB) return `${+(bytes / (1024 * MiB)).toFixed(1)} GiB`;
  if (bytes >= MiB) return `${+(bytes / MiB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
