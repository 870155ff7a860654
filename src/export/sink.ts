// Where exports write: a file (buffered, written under a temporary name and renamed into place when complete, so a
// failed export leaves nothing behind), standard output, or a string for the API. Writes are synchronous: exports
// run one row at a time from SQLite's iterators, so memory holds one buffer, never the whole export.
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { ApiError } from '../api/errors.js';

export interface TextSink {
  write(text: string): void;
}

const FLUSH_AT = 1 << 20;
/** Room for the next write before it is encoded straight into the buffer (UTF-8 is at most 3 bytes per UTF-16 unit). */
const BUFFER_SIZE = 4 << 20;

/**
 * A file written whole or not at all: `commit()` renames it into place, `abort()` removes what was written. Text is
 * encoded straight into one reused buffer: joining many small strings first costs more than writing them.
 */
export class FileSink implements TextSink {
  private readonly fd: number;
  private readonly partial: string;
  private readonly buf = Buffer.allocUnsafe(BUFFER_SIZE);
  private pos = 0;
  bytes = 0;

  constructor(readonly path: string) {
    this.partial = `${path}.partial-${process.pid}`;
    try {
      this.fd = openSync(this.partial, 'w', 0o600);
    } catch (err) {
      throw new ApiError({ code: 'bad-input', message: `${path}: cannot write the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
    }
  }

  write(text: string): void {
    const worst = text.length * 3;
    if (this.pos + worst > BUFFER_SIZE) this.flush();
    if (worst > BUFFER_SIZE) {
      this.writeAll(Buffer.from(text, 'utf8'));
      return;
    }
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  private flush(): void {
    if (this.pos === 0) return;
    this.writeAll(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }

  private writeAll(data: Buffer): void {
    let off = 0;
    while (off < data.length) off += writeSync(this.fd, data, off);
    this.bytes += data.length;
  }

  commit(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.partial, this.path);
  }

  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      // Already closed.
    }
    rmSync(this.partial, { force: true });
  }
}

/** Collects text for an API answer, refusing to grow past `limit` characters (a browser holds the result whole). */
export class StringSink implements TextSink {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly limit = 256 * 1024 * 1024, private readonly what = 'the export') {}

  write(text: string): void {
    this.size += text.length;
    if (this.size > this.limit) throw new ApiError({ code: 'bad-input', message: `${this.what} is larger than ${Math.round(this.limit / 1024 / 1024)} MB: use the command line (blastmap export … --out FILE), which streams it to a file` });
    this.parts.push(text);
  }

  text(): string {
    return this.parts.join('');
  }
}

/** Runs `fn` against a file sink, keeping the file only when it succeeds. */
export function withFile<T>(path: string, fn: (sink: FileSink) => T): T {
  const sink = new FileSink(path);
  try {
    const out = fn(sink);
    sink.commit();
    return out;
  } catch (err) {
    sink.abort();
    throw err;
  }
}

/** As withFile, for work that awaits. */
export async function withFileAsync<T>(path: string, fn: (sink: FileSink) => Promise<T>): Promise<T> {
  const sink = new FileSink(path);
  try {
    const out = await fn(sink);
    sink.commit();
    return out;
  } catch (err) {
    sink.abort();
    throw err;
  }
}

/** Forwards text to a writer (standard output) in chunks of about a megabyte. */
export class ForwardSink implements TextSink {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly out: (text: string) => void) {}

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (!this.parts.length) return;
    this.out(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}
