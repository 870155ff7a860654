// The encrypted case format (.blastmap.enc), version 1:
//
//   magic "BMAPENC\0" (8 bytes) | version (1 byte) | header length N (uint32 BE) | header (N bytes of JSON) |
//   header MAC (32 bytes) | chunks
//
// The header says how the key was derived (scrypt and its parameters, a random salt) and how the body is encrypted
// (AES-256-GCM in chunks of `chunkSize` plaintext bytes, each with a 16-byte tag). scrypt(passphrase, salt) gives
// 64 bytes: the first 32 are the encryption key, the last 32 the key of the header MAC (HMAC-SHA256 over everything
// before it), which authenticates the header and tells a wrong passphrase apart from a damaged body. Chunk i uses
// the nonce noncePrefix (7 bytes) | i (uint32 BE) | last (1 byte: 1 for the final chunk, else 0) and the header MAC
// as additional data: chunks cannot be reordered, dropped, truncated at a chunk boundary or moved to another file.
import { ApiError } from '../api/errors.js';

export const MAGIC = Buffer.from('BMAPENC\0', 'latin1');
export const FORMAT_VERSION = 1;
export const PREFIX_LENGTH = MAGIC.length + 1 + 4;
export const MAC_LENGTH = 32;
export const TAG_LENGTH = 16;
export const NONCE_PREFIX_LENGTH = 7;

export interface PackHeader {
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: 'aes-256-gcm';
  chunkSize: number;
  noncePrefix: string;
  createdAt: string;
  /** What was packed: a Blastmap case (the file name is not kept: it may name the client). */
  content: 'blastmap-case';
}

/** Defaults: scrypt N=2^17, r=8 (128 MiB, about half a second), 1 MiB chunks. */
export const DEFAULT_KDF = { N: 2 ** 17, r: 8, p: 1 } as const;
export const DEFAULT_CHUNK = 1 << 20;

/** Bounds on what a header may ask for, so a crafted file cannot make unpack allocate or compute without limit. */
const LIMITS = { maxN: 2 ** 20, maxR: 32, maxP: 16, maxChunk: 64 << 20, maxHeader: 64 * 1024 };

export function encodePrefix(header: Buffer): Buffer {
  const prefix = Buffer.alloc(PREFIX_LENGTH);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt8(FORMAT_VERSION, MAGIC.length);
  prefix.writeUInt32BE(header.length, MAGIC.length + 1);
  return prefix;
}

export function nonce(prefix: Buffer, index: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0, 0, NONCE_PREFIX_LENGTH);
  n.writeUInt32BE(index, NONCE_PREFIX_LENGTH);
  n.writeUInt8(last ? 1 : 0, 11);
  return n;
}

export function isEncryptedCase(head: Buffer): boolean {
  return head.length >= MAGIC.length && head.subarray(0, MAGIC.length).equals(MAGIC);
}

/** Checks the magic and the format version; `file` names the file in errors. */
export function checkPrefix(file: string, prefix: Buffer): void {
  if (!isEncryptedCase(prefix)) throw new ApiError({ code: 'bad-input', message: `${file}: not an encrypted Blastmap case (no BMAPENC header)` });
  const version = prefix.readUInt8(MAGIC.length);
  if (version > FORMAT_VERSION) throw new ApiError({ code: 'bad-input', message: `${file}: encrypted with a newer Blastmap (format ${version}; this version reads format ${FORMAT_VERSION}). Upgrade Blastmap to open it.` });
  if (version < 1) throw new ApiError({ code: 'bad-input', message: `${file}: unknown encrypted-case format ${version}` });
}

/** Parses and checks the header; `file` names the file in errors. */
export function parseHeader(file: string, prefix: Buffer, headerBytes: Buffer): PackHeader {
  checkPrefix(file, prefix);
  let h: PackHeader;
  try {
    h = JSON.parse(headerBytes.toString('utf8')) as PackHeader;
  } catch {
    throw new ApiError({ code: 'bad-input', message: `${file}: the encrypted case's header is damaged` });
  }
  const k = h?.kdf;
  const ok =
    k?.name === 'scrypt' &&
    Number.isInteger(k.N) && k.N >= 2 ** 10 && k.N <= LIMITS.maxN && (k.N & (k.N - 1)) === 0 &&
    Number.isInteger(k.r) && k.r >= 1 && k.r <= LIMITS.maxR &&
    Number.isInteger(k.p) && k.p >= 1 && k.p <= LIMITS.maxP &&
    typeof k.salt === 'string' && Buffer.from(k.salt, 'base64').length >= 16 &&
    h.cipher === 'aes-256-gcm' &&
    Number.isInteger(h.chunkSize) && h.chunkSize >= 1024 && h.chunkSize <= LIMITS.maxChunk &&
    typeof h.noncePrefix === 'string' && Buffer.from(h.noncePrefix, 'base64').length === NONCE_PREFIX_LENGTH;
  if (!ok) throw new ApiError({ code: 'bad-input', message: `${file}: the encrypted case's header asks for parameters this version does not accept` });
  return h;
}

export function headerLength(file: string, prefix: Buffer): number {
  const n = prefix.readUInt32BE(MAGIC.length + 1);
  if (n < 2 || n > LIMITS.maxHeader) throw new ApiError({ code: 'bad-input', message: `${file}: the encrypted case's header is damaged` });
  return n;
}
