// Browser-mode uploads, streamed: the body of an importFiles call ({files: [{name, contentBase64}], options}) is read
// as it arrives, each file's base64 decoded straight into a private temporary file, so a large export costs the server
// no more memory than the CLI reading the same file from disk. The temporary files die with the call (and, should
// the server be killed, are swept at its next start).
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportError } from '../importers/errors.js';
import { JsonStreamScanner, type JsonPathParts, type StreamedValue } from '../importers/json-stream.js';
import { DEFAULT_LIMITS } from '../importers/limits.js';

const PREFIX = 'blastmap-upload-';

export interface ParsedUpload {
  /** The call's argument with each contentBase64 emptied (the bytes are in `paths`), for the schema check. */
  arg: { files: Record<string, unknown>[]; options?: unknown };
  /** Where each file's bytes are, by index in `files`. */
  paths: string[];
  /** Removes the temporary files. */
  dispose(): void;
}

export class UploadError extends Error {
  constructor(
    readonly status: 400 | 408 | 413,
    message: string,
  ) {
    super(message);
  }
}

/** A directory of our own for this call's files (0700), under the system's temporary directory. */
function uploadDir(): string {
  const root = join(tmpdir());
  mkdirSync(root, { recursive: true });
  return mkdtempSync(join(root, `${PREFIX}${process.pid}-`));
}

/** Removes upload directories left by servers that were killed (their process is gone). */
export function sweepStaleUploads(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Base64 text in pieces → bytes in a file: whole quads are decoded as they come, the rest waits for the next piece. */
class Base64ToFile {
  private carry = '';
  private escaped = false;
  private readonly fd: number;
  private closed = false;
  bytes = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'wx', 0o600);
  }

  write(raw: Buffer): void {
    let text = raw.toString('latin1');
    // JSON may escape '/' as '\/'; base64 has no other use for a backslash.
    if (this.escaped) text = `\\${text}`;
    this.escaped = text.endsWith('\\') && !text.endsWith('\\\\');
    if (this.escaped) text = text.slice(0, -1);
    if (text.includes('\\')) {
      if (/\\[^/]/.test(text)) throw new UploadError(400, 'contentBase64 must be base64 text');
      text = text.replace(/\\\//g, '/');
    }
    const all = this.carry + text;
    const whole = all.length - (all.length % 4);
    this.carry = all.slice(whole);
    if (whole > 0) this.out(Buffer.from(all.slice(0, whole), 'base64'));
  }

  end(): void {
    if (this.carry) this.out(Buffer.from(this.carry, 'base64'));
    this.carry = '';
    this.close();
  }

  /**
   * Closes the file once. Never twice: by then the number may belong to another descriptor (an import worker's event
   * loop opened one, and closing it under libuv aborted the whole server).
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private out(bytes: Buffer): void {
    this.bytes += bytes.length;
    writeSync(this.fd, bytes);
  }
}

/**
 * Reads an importFiles body from the request into temporary files. Fails with 413 past `maxBody` bytes, 408 when
 * the client sends nothing for `idleMs`, 400 when it is not the JSON of an importFiles call.
 */
export async function receiveUpload(req: IncomingMessage, maxBody: number, idleMs: number): Promise<ParsedUpload> {
  const dir = uploadDir();
  const writers = new Map<number, Base64ToFile>();
  const dispose = () => {
    for (const w of writers.values()) w.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const files: Record<string, unknown>[] = [];
  const arg: ParsedUpload['arg'] = { files };
  const fileAt = (i: number) => (files[i] ??= {});
  const sink = {
    chunk: (path: JsonPathParts, raw: Buffer) => {
      const i = path[1] as number;
      let w = writers.get(i);
      if (!w) writers.set(i, (w = new Base64ToFile(join(dir, String(i)))));
      w.write(raw);
    },
    end: (path: JsonPathParts) => {
      const i = path[1] as number;
      if (!writers.has(i)) writers.set(i, new Base64ToFile(join(dir, String(i))));
      writers.get(i)!.end();
      fileAt(i)['contentBase64'] = '';
    },
  };
  const choose = (path: JsonPathParts, container: boolean) => {
    if (path.length === 0) return 'descend' as const;
    if (path[0] === 'files' && path.length === 1 && container) return 'descend' as const;
    if (path[0] === 'files' && path.length === 2 && container) return 'descend' as const;
    if (path[0] === 'files' && path.length === 3 && path[2] === 'contentBase64') return 'sink' as const;
    return 'emit' as const;
  };
  const scanner = new JsonStreamScanner('the request body', choose, { maxDepth: 64, maxLineBytes: DEFAULT_LIMITS.maxLineBytes }, sink);
  const values: StreamedValue[] = [];
  const take = () => {
    for (const v of values) {
      if (v.path.length === 1) (arg as Record<string, unknown>)[String(v.path[0])] = v.value;
      else if (v.path[0] === 'files' && v.path.length === 2) files[v.path[1] as number] = v.value as Record<string, unknown>;
      else if (v.path[0] === 'files' && v.path.length === 3) fileAt(v.path[1] as number)[String(v.path[2])] = v.value;
    }
    values.length = 0;
  };
  try {
    let size = 0;
    await consume(req, idleMs, (chunk) => {
      size += chunk.length;
      if (size > maxBody) throw new UploadError(413, `request body larger than ${maxBody} bytes`);
      scanner.push(chunk, values);
      take();
    });
    scanner.end(values);
    take();
  } catch (err) {
    dispose();
    if (err instanceof ImportError) throw new UploadError(400, `the request body is not JSON: ${err.message.replace(/^the request body /, '')}`);
    throw err;
  }
  return { arg, paths: files.map((_, i) => join(dir, String(i))), dispose };
}

/** Feeds the request's chunks to `onChunk`, failing when the client falls silent for `idleMs`. */
export function consume(req: IncomingMessage, idleMs: number, onChunk: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(new UploadError(408, `the request body stalled: nothing for ${Math.round(idleMs / 1000)} s`)), idleMs);
    };
    const fail = (err: unknown) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.resume();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      arm();
      try {
        onChunk(chunk);
      } catch (err) {
        fail(err);
      }
    };
    arm();
    req.on('data', onData);
    req.on('end', () => {
      clearTimeout(timer);
      resolve();
    });
    req.on('error', fail);
  });
}
