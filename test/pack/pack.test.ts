// Pack and unpack: the case round-trips; the file holds no plaintext; a wrong passphrase, a tampered, truncated,
// extended or reordered file, a newer format or a file of something else each fail clearly and write nothing.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { encryptFile } from '../../src/pack/crypto.js';
import { MAGIC, PREFIX_LENGTH } from '../../src/pack/format.js';
import { isEncryptedFile, openEncryptedCopy, packCase, unpackCase } from '../../src/pack/pack.js';
import { FIXTURES } from '../helpers.js';

const PASS = 'correct horse battery staple';
// Cheap key derivation for tests (the format records the parameters; the defaults are exercised once below).
const FAST = { kdf: { N: 2 ** 10, r: 8, p: 1 }, chunkSize: 4096 };

describe('pack and unpack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-pack-'));
  const casePath = join(dir, 'case.blastmap');
  let packed: string;
  beforeAll(async () => {
    const engine = openEngine(casePath, { create: true });
    await engine.importFiles({ files: [{ path: join(FIXTURES, 'deliver', 'hostile-names.opengraph.json') }] });
    engine.close();
    packed = join(dir, 'case.blastmap.enc');
    await packCase(casePath, packed, PASS, FAST);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const counts = async (path: string) => {
    const e = openEngine(path);
    try {
      return (await e.caseInfo({})).counts;
    } finally {
      e.close();
    }
  };
  const leftovers = (d: string) => readdirSync(d).filter((f) => f.includes('partial') || f.includes('unpacking'));

  it('round-trips the case, and the file holds none of it in the clear', async () => {
    const out = join(dir, 'back.blastmap');
    await unpackCase(packed, out, PASS);
    expect(await counts(out)).toEqual(await counts(casePath));
    const bytes = readFileSync(packed);
    expect(bytes.subarray(0, 8).equals(MAGIC)).toBe(true);
    for (const s of ['SQLite format 3', 'he said', 'HYPERLINK', 'og:acct-hostile']) expect(bytes.includes(Buffer.from(s)), s).toBe(false);
    expect(isEncryptedFile(packed)).toBe(true);
    expect(isEncryptedFile(casePath)).toBe(false);
  });

  it('a wrong passphrase is named as such and writes nothing', async () => {
    const out = join(dir, 'wrong.blastmap');
    await expect(unpackCase(packed, out, 'not the passphrase')).rejects.toMatchObject({ code: 'bad-input', message: expect.stringContaining('wrong passphrase') });
    expect(existsSync(out)).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  });

  const tampered: [string, (b: Buffer) => Buffer, RegExp][] = [
    ['a flipped byte in the body', (b) => flip(b, b.length - 3000), /chunk \d+ failed authentication/],
    ['a flipped byte in the last tag', (b) => flip(b, b.length - 1), /failed authentication/],
    ['the last chunk cut off at a chunk boundary', (b) => b.subarray(0, b.length - lastChunkLength(b)), /failed authentication \(or the file was cut short\)/],
    ['a few bytes cut off the end', (b) => b.subarray(0, b.length - 7), /failed authentication|cut short/],
    ['bytes appended', (b) => Buffer.concat([b, Buffer.alloc(4112, 1)]), /failed authentication/],
    ['two chunks swapped', (b) => swapChunks(b), /chunk 1 failed authentication/],
    ['a header field changed', (b) => Buffer.from(b.toString('latin1').replace('"createdAt":"2', '"createdAt":"3'), 'latin1'), /wrong passphrase \(or the file's header was altered\)/],
    ['a newer format version', (b) => setByte(b, MAGIC.length, 9), /newer Blastmap \(format 9/],
    ['only the header', (b) => b.subarray(0, headerEnd(b)), /ends after its header/],
  ];
  it.each(tampered)('%s fails clearly and writes nothing', async (_name, change, message) => {
    const bad = join(dir, 'bad.enc');
    writeFileSync(bad, change(readFileSync(packed)));
    const out = join(dir, 'bad.blastmap');
    await expect(unpackCase(bad, out, PASS)).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(message) });
    expect(existsSync(out)).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  });

  it('refuses what is not an encrypted case, an existing target, and a short passphrase', async () => {
    await expect(unpackCase(casePath, join(dir, 'x.blastmap'), PASS)).rejects.toMatchObject({ message: expect.stringContaining('not an encrypted Blastmap case') });
    await expect(unpackCase(packed, casePath, PASS)).rejects.toMatchObject({ message: expect.stringContaining('already exists') });
    await expect(packCase(casePath, packed, PASS, FAST)).rejects.toMatchObject({ message: expect.stringContaining('already exists') });
    await expect(packCase(casePath, join(dir, 'short.enc'), 'short', FAST)).rejects.toMatchObject({ message: expect.stringContaining('at least 8 characters') });
    expect(existsSync(join(dir, 'short.enc'))).toBe(false);
  });

  it('an authenticated file that is not a case is refused after decryption, writing nothing', async () => {
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, 'not a database at all');
    const enc = join(dir, 'junk.enc');
    await encryptFile(junk, enc, PASS, FAST);
    const out = join(dir, 'junk.blastmap');
    await expect(unpackCase(enc, out, PASS)).rejects.toMatchObject({ message: expect.stringContaining('not a case this version opens') });
    expect(existsSync(out)).toBe(false);
  });

  it('packs what is still in the WAL of a case another connection holds open', async () => {
    const live = join(dir, 'live.blastmap');
    const engine = openEngine(live, { create: true });
    try {
      await engine.importFiles({ files: [{ path: join(FIXTURES, 'bloodhound', 'opengraph-minimal.json') }] });
      expect(existsSync(`${live}-wal`)).toBe(true);
      const enc = join(dir, 'live.enc');
      await packCase(live, enc, PASS, FAST);
      const back = join(dir, 'live-back.blastmap');
      await unpackCase(enc, back, PASS);
      expect((await counts(back)).nodes).toBe((await engine.caseInfo({})).counts.nodes);
    } finally {
      engine.close();
    }
  });

  it('opens a decrypted copy in a private directory and wipes it', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'blastmap-open-enc-'));
    try {
      const copy = await openEncryptedCopy(packed, PASS, { parent });
      expect(copy.path.startsWith(parent)).toBe(true);
      expect((await counts(copy.path)).nodes).toBeGreaterThan(0);
      copy.wipe();
      expect(readdirSync(parent)).toEqual([]);
      await expect(openEncryptedCopy(packed, 'wrong passphrase', { parent })).rejects.toMatchObject({ message: expect.stringContaining('wrong passphrase') });
      expect(readdirSync(parent)).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('the default key derivation (scrypt N=2^17) round-trips too', async () => {
    const enc = join(dir, 'default.enc');
    await packCase(casePath, enc, PASS);
    const header = JSON.parse(readFileSync(enc).subarray(PREFIX_LENGTH, headerEnd(readFileSync(enc)) - 32).toString('utf8'));
    expect(header.kdf).toMatchObject({ name: 'scrypt', N: 131072, r: 8, p: 1 });
    expect(header.cipher).toBe('aes-256-gcm');
    const out = join(dir, 'default.blastmap');
    await unpackCase(enc, out, PASS);
    expect(await counts(out)).toEqual(await counts(casePath));
  });
});

function flip(b: Buffer, at: number): Buffer {
  const c = Buffer.from(b);
  c[at] = c[at]! ^ 0x40;
  return c;
}

function setByte(b: Buffer, at: number, v: number): Buffer {
  const c = Buffer.from(b);
  c[at] = v;
  return c;
}

/** Where the body starts: prefix, header and its 32-byte MAC. */
function headerEnd(b: Buffer): number {
  return PREFIX_LENGTH + b.readUInt32BE(MAGIC.length + 1) + 32;
}

/** The tests pack with 4 KiB chunks: each full chunk is 4096 bytes plus its 16-byte tag. */
function lastChunkLength(b: Buffer): number {
  const body = b.length - headerEnd(b);
  return body % 4112 || 4112;
}

function swapChunks(b: Buffer): Buffer {
  const start = headerEnd(b);
  const first = b.subarray(start, start + 4112);
  const second = b.subarray(start + 4112, start + 8224);
  return Buffer.concat([b.subarray(0, start), second, first, b.subarray(start + 8224)]);
}
