// Encrypting and decrypting files in the .blastmap.enc format (format.ts) with node:crypto: scrypt for the key,
// AES-256-GCM per chunk, so memory holds one chunk whatever the size of the case. Decryption writes only what it
// has authenticated, into a temporary file that is renamed into place when the last chunk checked out, and removed
// otherwise: a wrong passphrase or a tampered file leaves nothing behind.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { ApiError } from '../api/errors.js';
import { checkPrefix, DEFAULT_CHUNK, DEFAULT_KDF, encodePrefix, headerLength, MAC_LENGTH, nonce, NONCE_PREFIX_LENGTH, parseHeader, PREFIX_LENGTH, TAG_LENGTH, type PackHeader } from './format.js';

function scrypt(passphrase: string, salt: Buffer, kdf: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 64 * 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCb(passphrase.normalize('NFC'), salt, 64, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export interface EncryptOptions {
  kdf?: { N: number; r: number; p: number };
  chunkSize?: number;
  now?: Date;
}

async function readFull(fh: FileHandle, buf: Buffer, position: number): Promise<number> {
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

/** Encrypts `src` into `out` (written under a temporary name, renamed when complete). */
export async function encryptFile(src: string, out: string, passphrase: string, opts: EncryptOptions = {}): Promise<{ bytes: number; chunks: number }> {
  const kdf = opts.kdf ?? DEFAULT_KDF;
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK;
  const salt = randomBytes(16);
  const prefixBytes = randomBytes(NONCE_PREFIX_LENGTH);
  const header: PackHeader = { kdf: { name: 'scrypt', ...kdf, salt: salt.toString('base64') }, cipher: 'aes-256-gcm', chunkSize, noncePrefix: prefixBytes.toString('base64'), createdAt: (opts.now ?? new Date()).toISOString(), content: 'blastmap-case' };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const key = await scrypt(passphrase, salt, kdf);
  const encKey = key.subarray(0, 32);
  const head = Buffer.concat([encodePrefix(headerBytes), headerBytes]);
  const mac = createHmac('sha256', key.subarray(32)).update(head).digest();
  const partial = `${out}.partial-${process.pid}`;
  const input = await open(src, 'r');
  let output: FileHandle | undefined;
  try {
    output = await open(partial, 'wx', 0o600);
    await output.write(Buffer.concat([head, mac]));
    const size = (await input.stat()).size;
    let position = 0;
    let index = 0;
    let bytes = head.length + MAC_LENGTH;
    const buf = Buffer.alloc(chunkSize);
    // An empty file is one final, empty chunk; otherwise the chunk that reaches the end of the file is final.
    for (let last = false; !last; ) {
      const n = await readFull(input, buf, position);
      position += n;
      last = position >= size;
      const cipher = createCipheriv('aes-256-gcm', encKey, nonce(prefixBytes, index, last));
      cipher.setAAD(mac);
      const body = Buffer.concat([cipher.update(buf.subarray(0, n)), cipher.final(), cipher.getAuthTag()]);
      await output.write(body);
      bytes += body.length;
      index++;
    }
    await output.sync();
    await output.close();
    output = undefined;
    await rename(partial, out);
    return { bytes, chunks: index };
  } catch (err) {
    await output?.close().catch(() => undefined);
    await rm(partial, { force: true });
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new ApiError({ code: 'bad-input', message: `${out}: a pack is already being written there` });
    throw err;
  } finally {
    await input.close();
  }
}

/** Reads and checks an encrypted file's header: the parameters, then the passphrase against the header MAC. */
export async function openEncrypted(file: string, passphrase: string): Promise<{ header: PackHeader; key: Buffer; mac: Buffer; bodyStart: number; handle: FileHandle }> {
  const fh = await open(file, 'r');
  try {
    const prefix = Buffer.alloc(PREFIX_LENGTH);
    if ((await readFull(fh, prefix, 0)) < PREFIX_LENGTH) throw new ApiError({ code: 'bad-input', message: `${file}: not an encrypted Blastmap case (too short)` });
    checkPrefix(file, prefix);
    const headerBytes = Buffer.alloc(headerLength(file, prefix));
    if ((await readFull(fh, headerBytes, PREFIX_LENGTH)) < headerBytes.length) throw new ApiError({ code: 'bad-input', message: `${file}: the encrypted case is truncated (in its header)` });
    const header = parseHeader(file, prefix, headerBytes);
    const mac = Buffer.alloc(MAC_LENGTH);
    if ((await readFull(fh, mac, PREFIX_LENGTH + headerBytes.length)) < MAC_LENGTH) throw new ApiError({ code: 'bad-input', message: `${file}: the encrypted case is truncated (in its header)` });
    const key = await scrypt(passphrase, Buffer.from(header.kdf.salt, 'base64'), header.kdf);
    const expected = createHmac('sha256', key.subarray(32)).update(Buffer.concat([prefix, headerBytes])).digest();
    if (!timingSafeEqual(expected, mac)) throw new ApiError({ code: 'bad-input', message: `${file}: wrong passphrase (or the file's header was altered); nothing was written` });
    return { header, key: key.subarray(0, 32), mac, bodyStart: PREFIX_LENGTH + headerBytes.length + MAC_LENGTH, handle: fh };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** Decrypts `file` into `out`; every chunk is authenticated before it is written, and `out` appears only when all are. */
export async function decryptFile(file: string, out: string, passphrase: string): Promise<{ bytes: number }> {
  const { header, key, mac, bodyStart, handle } = await openEncrypted(file, passphrase);
  const partial = `${out}.partial-${process.pid}`;
  let output: FileHandle | undefined;
  try {
    const size = (await handle.stat()).size;
    const block = header.chunkSize + TAG_LENGTH;
    const buf = Buffer.alloc(block);
    const prefix = Buffer.from(header.noncePrefix, 'base64');
    output = await open(partial, 'wx', 0o600);
    let position = bodyStart;
    let index = 0;
    let bytes = 0;
    if (position >= size) throw damaged(file, 'it ends after its header');
    while (position < size) {
      const n = await readFull(handle, buf, position);
      if (n < TAG_LENGTH) throw damaged(file, `chunk ${index + 1} is cut short`);
      position += n;
      const last = position >= size;
      const decipher = createDecipheriv('aes-256-gcm', key, nonce(prefix, index, last));
      decipher.setAAD(mac);
      decipher.setAuthTag(buf.subarray(n - TAG_LENGTH, n));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(buf.subarray(0, n - TAG_LENGTH)), decipher.final()]);
      } catch {
        throw damaged(file, `chunk ${index + 1} failed authentication${last ? ' (or the file was cut short)' : ''}`);
      }
      await output.write(plain);
      bytes += plain.length;
      index++;
    }
    await output.sync();
    await output.close();
    output = undefined;
    await rename(partial, out);
    return { bytes };
  } catch (err) {
    await output?.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw err;
  } finally {
    await handle.close();
  }
}

function damaged(file: string, why: string): ApiError {
  return new ApiError({ code: 'bad-input', message: `${file}: the encrypted case is damaged or was altered (${why}); nothing was written` });
}
