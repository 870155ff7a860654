// Decompression bombs for the tests, made in milliseconds: the deflate block one MiB of spaces compresses to (after
// a sync flush it refers back only to spaces) repeated, closed by a trailer that states the size or lies about it.
import { constants, crc32, createDeflateRaw, gzipSync, type DeflateRaw } from 'node:zlib';

const MiB = 1024 * 1024;

function flushed(deflate: DeflateRaw, data: Buffer | undefined, kind: number): Promise<Buffer> {
  const out: Buffer[] = [];
  const onData = (c: Buffer) => out.push(c);
  deflate.on('data', onData);
  if (data) deflate.write(data);
  return new Promise((done) =>
    deflate.flush(kind, () => {
      deflate.off('data', onData);
      done(Buffer.concat(out));
    }),
  );
}

/** One gzip member inflating to `prefix` + `mib` MiB of spaces; ISIZE states the truth unless `statedSize` is given. */
export async function gzipBomb(mib: number, options: { statedSize?: number; prefix?: string } = {}): Promise<Buffer> {
  const prefix = Buffer.from(options.prefix ?? '{"Records": [');
  const block = Buffer.alloc(MiB, 0x20);
  const deflate = createDeflateRaw({ level: 9 });
  const first = await flushed(deflate, Buffer.concat([prefix, block]), constants.Z_SYNC_FLUSH);
  const repeat = await flushed(deflate, block, constants.Z_SYNC_FLUSH);
  const last = await flushed(deflate, undefined, constants.Z_FINISH);
  deflate.destroy();
  // A valid CRC-32, so that the file is a real gzip file (decompressing it all would succeed).
  let crc = crc32(prefix);
  for (let i = 0; i < mib; i++) crc = crc32(block, crc);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc, 0);
  trailer.writeUInt32LE((options.statedSize ?? prefix.length + mib * MiB) % 2 ** 32, 4);
  return Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]), first, ...Array.from({ length: mib - 1 }, () => repeat), last, trailer]);
}

/** Several honest gzip members of `memberMiB` each (concatenated members are valid gzip): each trailer tells a modest size. */
export function multiMemberBomb(members: number, memberMiB: number, prefix = '{"Records": ['): Buffer {
  const member = gzipSync(Buffer.alloc(memberMiB * MiB, 0x20), { level: 9 });
  return Buffer.concat([gzipSync(Buffer.from(prefix)), ...Array.from({ length: members }, () => member)]);
}
