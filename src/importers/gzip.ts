// gzip with limits: a decompression bomb (a megabyte that inflates to gigabytes) is refused early, from the size
// the gzip trailer states when it is telling, else as soon as the output passes the cap — never after holding it.
import { constants, createGunzip, gunzipSync } from 'node:zlib';
import type { Readable } from 'node:stream';
import { ImportError } from './errors.js';
import { sizeText, type InputLimits } from './limits.js';

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** The most output a compressed input of this size may produce, and what bounds it. */
function allowance(compressedSize: number, limits: InputLimits, whole: boolean): { max: number; by: 'ratio' | 'whole' | 'file' } {
  const byRatio = Math.max(limits.gzipRatioFloorBytes, limits.maxGzipRatio * compressedSize);
  const cap = whole ? Math.min(limits.maxWholeBytes, limits.maxFileBytes) : limits.maxFileBytes;
  return byRatio < cap ? { max: byRatio, by: 'ratio' } : { max: cap, by: whole && limits.maxWholeBytes < limits.maxFileBytes ? 'whole' : 'file' };
}

function refusal(fileName: string, compressedSize: number, limits: InputLimits, by: 'ratio' | 'whole' | 'file', max: number): ImportError {
  if (by === 'ratio') {
    return new ImportError(fileName, `refused: ${sizeText(compressedSize)} of gzip decompresses to more than ${sizeText(max)} (over ${limits.maxGzipRatio}:1), which is what a decompression bomb does, not an export`);
  }
  if (by === 'whole') {
    return new ImportError(fileName, `the file is more than ${sizeText(max)} once decompressed: this format is read whole, up to ${sizeText(limits.maxWholeBytes)}; split the export into smaller files`);
  }
  return new ImportError(fileName, `the file is more than ${sizeText(max)} once decompressed; Blastmap reads files up to ${sizeText(limits.maxFileBytes)}`);
}

/**
 * Checks the size the gzip trailer states (ISIZE: the last member's size modulo 4 GiB, so never more than the truth)
 * before anything is decompressed.
 */
export function checkGzipTrailer(fileName: string, compressedSize: number, trailer: Uint8Array, limits: InputLimits, whole = false): void {
  if (trailer.length < 4 || compressedSize < 20) return;
  const stated = Buffer.from(trailer.buffer, trailer.byteOffset, trailer.byteLength).readUInt32LE(trailer.length - 4);
  const { max, by } = allowance(compressedSize, limits, whole);
  if (stated <= max) return;
  if (by !== 'ratio') throw refusal(fileName, compressedSize, limits, by, max);
  // A truncated file ends in arbitrary bytes: the trailer may be wrong, so say both.
  throw new ImportError(
    fileName,
    `refused: its gzip trailer says ${sizeText(compressedSize)} decompresses to ${sizeText(stated)} (over ${limits.maxGzipRatio}:1): a decompression bomb, or a damaged file`,
  );
}

const DESCRIBE: Record<string, string> = {
  Z_BUF_ERROR: 'the compressed data ends early (a truncated download?)',
  Z_DATA_ERROR: 'the compressed data is corrupt',
  Z_NEED_DICT: 'the compressed data needs a dictionary gzip files never have',
};

function unreadable(fileName: string, err: unknown): ImportError {
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  return new ImportError(fileName, `the file looks gzip-compressed but cannot be decompressed: ${DESCRIBE[code] ?? 'the data is not valid gzip'}`);
}

/** Decompresses a whole gzip buffer, refusing more output than the limits allow (memory never holds more). */
export function gunzipWhole(fileName: string, compressed: Buffer, limits: InputLimits): Buffer {
  const { max, by } = allowance(compressed.length, limits, true);
  checkGzipTrailer(fileName, compressed.length, compressed.subarray(-4), limits, true);
  try {
    return gunzipSync(compressed, { maxOutputLength: Math.max(1, Math.floor(max)) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException)?.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw refusal(fileName, compressed.length, limits, by, max);
    throw unreadable(fileName, err);
  }
}

/**
 * Decompresses a gzip stream chunk by chunk, failing as soon as the output passes what the limits allow. Only the
 * first `stopAfter` bytes are produced when given (the head a detector reads).
 */
export async function* gunzipChunks(fileName: string, source: Readable, compressedSize: number, limits: InputLimits, stopAfter = Infinity): AsyncIterable<Buffer> {
  const { max, by } = allowance(compressedSize, limits, false);
  const gunzip = createGunzip({ chunkSize: 256 * 1024, finishFlush: stopAfter === Infinity ? constants.Z_FINISH : constants.Z_SYNC_FLUSH });
  source.on('error', (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  let out = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      out += chunk.length;
      if (out > max) throw refusal(fileName, compressedSize, limits, by, max);
      yield chunk;
      if (out >= stopAfter) return;
    }
  } catch (err) {
    if (err instanceof ImportError) throw err;
    // A head read stops early on purpose; a truncated file then still gives what it has.
    if (stopAfter !== Infinity && out > 0) return;
    throw unreadable(fileName, err);
  } finally {
    source.unpipe(gunzip);
    source.destroy();
    gunzip.destroy();
  }
}
