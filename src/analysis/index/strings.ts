// A table of strings kept as one UTF-8 buffer and the offsets into it: two million node ids cost two typed
// arrays instead of two million heap strings (which the garbage collector would walk on every major pass), load
// from a snapshot with two copies, and are decoded one at a time when a result shows them.

export class StringTable {
  private readonly view: Buffer;

  constructor(
    /** UTF-8 bytes of every string, back to back. */
    readonly bytes: Uint8Array,
    /** String i is bytes[offsets[i]] .. bytes[offsets[i + 1]]. */
    readonly offsets: Uint32Array,
  ) {
    this.view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.offsets.length - 1;
  }

  get(i: number): string {
    return this.view.toString('utf8', this.offsets[i], this.offsets[i + 1]);
  }

  /** Every string, in order (for a lookup map, built only when asked for). */
  *[Symbol.iterator](): IterableIterator<string> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}

/** Builds a table from strings set by index (unset ones are empty), encoding them in batches. */
export class StringTableBuilder {
  private readonly parts: (string | undefined)[];

  constructor(size: number) {
    this.parts = new Array<string | undefined>(size);
  }

  set(i: number, s: string): void {
    this.parts[i] = s;
  }

  has(i: number): boolean {
    return this.parts[i] !== undefined;
  }

  build(): StringTable {
    const n = this.parts.length;
    const offsets = new Uint32Array(n + 1);
    const chunks: Buffer[] = [];
    let at = 0;
    // Batches: one Buffer.from per few thousand strings, then byte lengths from the encoded batch.
    const BATCH = 4096;
    for (let start = 0; start < n; start += BATCH) {
      const end = Math.min(n, start + BATCH);
      const lengths = new Array<number>(end - start);
      let text = '';
      for (let i = start; i < end; i++) {
        const s = this.parts[i] ?? '';
        lengths[i - start] = s.length;
        text += s;
      }
      const buf = Buffer.from(text, 'utf8');
      chunks.push(buf);
      if (buf.length === text.length) {
        // ASCII only (the common case): byte lengths are string lengths.
        for (let i = start; i < end; i++) {
          offsets[i] = at;
          at += lengths[i - start]!;
        }
      } else {
        for (let i = start; i < end; i++) {
          offsets[i] = at;
          at += Buffer.byteLength(this.parts[i] ?? '', 'utf8');
        }
      }
    }
    offsets[n] = at;
    return new StringTable(Buffer.concat(chunks, at), offsets);
  }
}
