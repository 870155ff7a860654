import { isNodeKind, NODE_KINDS } from '../model/kinds.js';

/**
 * What the open write transaction changed in the graph: edge rows added and removed (with what the graph index and
 * the derivation need of them), node rows written and deleted, and whether aliases changed. The import reads it to
 * patch the previous graph index instead of reading every edge back, and the derivation to re-run only the rules
 * whose inputs changed. Past a size it stops recording details (`overflow`): a change that large is worked out
 * from the whole case, which costs no more than the change itself.
 */
export class ChangeLog {
  private tx: Journal | undefined;

  begin(): void {
    this.tx = new Journal();
  }

  end(): void {
    this.tx = undefined;
  }

  /** The open transaction's journal (an empty one outside transactions, which nothing reads). */
  get journal(): Journal {
    return (this.tx ??= new Journal());
  }
}

/**
 * The scope of a node for the derivation: the boundary it lives in, a boundary node its own id, '' for neither.
 * A rule that works boundary by boundary reads and writes by these.
 */
export function scopeOf(id: string, kind: string, boundary: string | null): string {
  if (boundary) return boundary;
  return isNodeKind(kind) && NODE_KINDS[kind].category === 'boundary' ? id : '';
}

/** An edge row as the graph index and the derivation see it. */
export interface EdgeChange {
  id: number;
  src: number;
  dst: number;
  /** Code in edge_kinds. */
  kind: number;
  conditional: boolean;
  firstSeen: string | null;
  lastSeen: string | null;
  accessLevel: string | null;
}

/** A node row as the graph index keeps it; null when the row is gone. */
export interface NodeState {
  kind: string;
  name: string;
  boundary: string | null;
  stub: number;
}

/** Edges added or removed past this many in one transaction are not listed one by one (15 bytes each). */
const MAX_EDGES = 30_000_000;
/** Node rows likewise. */
const MAX_NODES = 1_000_000;

export class Journal {
  /** Added edge rows, in the order written (column arrays, grown by doubling). */
  private addedIds = new Uint32Array(1024);
  private addedSrc = new Int32Array(1024);
  private addedDst = new Int32Array(1024);
  private addedKind = new Uint16Array(1024);
  private addedFlags = new Uint8Array(1024);
  private addedExtra = new Map<number, { firstSeen: string | null; lastSeen: string | null; accessLevel: string | null }>();
  private added = 0;
  /** Removed edge rows: id, src, dst, kind. */
  private removedRows: number[] = [];
  /**
   * Per removed id, how many rows had been added when it was last removed: an id freed by a delete is handed out
   * again by the next insert, so a removal takes out an added row only if it came after it.
   */
  private removedAfter = new Map<number, number>();
  /** Node rows by number: their state after the transaction (null: deleted). */
  readonly nodes = new Map<number, NodeState | null>();
  /** Node kinds that changed, before or after, with the scopes they changed in (always recorded: few). */
  readonly nodeKinds = new Map<string, Set<string>>();
  /** Node rows deleted: their kind and scope, for the edges that named them. */
  readonly deleted = new Map<number, { kind: string; scope: string }>();
  /** Codes of the edge kinds added or removed (always recorded). */
  readonly edgeKinds = new Set<number>();
  aliasesChanged = false;
  /** Too many edges to list: readers work from the whole case. */
  edgesOverflow = false;
  /** Too many node rows to list. */
  nodesOverflow = false;

  get edgeCount(): number {
    return this.added + this.removedRows.length / 4;
  }

  /** An edge row was inserted (arguments as EdgeChange's fields: no object per row of a million-edge load). */
  edgeAdded(id: number, src: number, dst: number, kind: number, conditional: boolean, firstSeen: string | null, lastSeen: string | null, accessLevel: string | null): void {
    if (kind !== this.lastKind) {
      this.edgeKinds.add(kind);
      this.lastKind = kind;
    }
    if (this.edgesOverflow) return;
    if (this.added === this.addedIds.length) {
      if (this.added + this.removedRows.length / 4 >= MAX_EDGES) {
        this.overflowEdges();
        return;
      }
      this.grow();
    }
    const i = this.added++;
    this.addedIds[i] = id;
    this.addedSrc[i] = src;
    this.addedDst[i] = dst;
    this.addedKind[i] = kind;
    this.addedFlags[i] = conditional ? 1 : 0;
    if (firstSeen !== null || lastSeen !== null || accessLevel !== null) this.addedExtra.set(i, { firstSeen, lastSeen, accessLevel });
  }
  private lastKind = -1;

  /** Rows deleted: [id, src, dst, kind] each. */
  edgesRemoved(rows: Iterable<[number, number, number, number]>): void {
    for (const [id, src, dst, kind] of rows) {
      this.edgeKinds.add(kind);
      if (this.edgesOverflow) continue;
      if (this.added + this.removedRows.length / 4 >= MAX_EDGES) {
        this.overflowEdges();
        continue;
      }
      this.removedRows.push(id, src, dst, kind);
      this.removedAfter.set(id, this.added);
    }
  }

  /** A node row was written (inserted or rewritten); `before` is its row before, when it had one. */
  nodeWritten(nid: number, id: string, state: NodeState, before: { kind: string; boundary: string | null } | null): void {
    this.noteKind(state.kind, scopeOf(id, state.kind, state.boundary));
    if (before) this.noteKind(before.kind, scopeOf(id, before.kind, before.boundary));
    if (this.nodesOverflow) return;
    if (this.nodes.size >= MAX_NODES && !this.nodes.has(nid)) {
      this.nodesOverflow = true;
      this.nodes.clear();
      return;
    }
    this.nodes.set(nid, state);
  }

  nodeDeleted(nid: number, before: { kind: string; boundary: string | null; id: string }): void {
    this.noteKind(before.kind, scopeOf(before.id, before.kind, before.boundary));
    if (this.deleted.size < MAX_NODES) this.deleted.set(nid, { kind: before.kind, scope: scopeOf(before.id, before.kind, before.boundary) });
    if (this.nodesOverflow) return;
    this.nodes.set(nid, null);
  }

  /**
   * The added rows as columns, in the order written, with whether each is still present (a row added then removed
   * in the same transaction is not). Surviving rows are in increasing id order: a row id is reused only after the
   * rows above it were deleted.
   */
  addedColumns(): { count: number; ids: Uint32Array; src: Int32Array; dst: Int32Array; kind: Uint16Array; conditional: Uint8Array; extra: ReadonlyMap<number, { firstSeen: string | null; lastSeen: string | null; accessLevel: string | null }>; present: (i: number) => boolean } {
    const after = this.removedAfter;
    const ids = this.addedIds;
    return { count: this.added, ids, src: this.addedSrc, dst: this.addedDst, kind: this.addedKind, conditional: this.addedFlags, extra: this.addedExtra, present: after.size ? (i) => !((after.get(ids[i]!) ?? -1) > i) : () => true };
  }

  /** Every added row still present (a row added then removed in the same transaction is left out). */
  *addedEdges(): IterableIterator<EdgeChange> {
    const { present } = this.addedColumns();
    for (let i = 0; i < this.added; i++) {
      const id = this.addedIds[i]!;
      if (!present(i)) continue;
      const extra = this.addedExtra.get(i);
      yield { id, src: this.addedSrc[i]!, dst: this.addedDst[i]!, kind: this.addedKind[i]!, conditional: this.addedFlags[i] === 1, firstSeen: extra?.firstSeen ?? null, lastSeen: extra?.lastSeen ?? null, accessLevel: extra?.accessLevel ?? null };
    }
  }

  /** Ids of the rows removed (including rows added earlier in this transaction). */
  removedIds(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.removedRows.length; i += 4) out.push(this.removedRows[i]!);
    return out;
  }

  /** Every removed row: [src, dst, kind] (for the derivation's change sets). */
  *removedEdges(): IterableIterator<{ src: number; dst: number; kind: number }> {
    for (let i = 0; i < this.removedRows.length; i += 4) yield { src: this.removedRows[i + 1]!, dst: this.removedRows[i + 2]!, kind: this.removedRows[i + 3]! };
  }

  private noteKind(kind: string, scope: string): void {
    const set = this.nodeKinds.get(kind);
    if (set) set.add(scope);
    else this.nodeKinds.set(kind, new Set([scope]));
  }

  private overflowEdges(): void {
    this.edgesOverflow = true;
    this.added = 0;
    this.addedExtra.clear();
    this.removedRows = [];
    this.removedAfter.clear();
  }

  private grow(): void {
    const size = this.addedIds.length * 2;
    const grow = <T extends Uint32Array | Int32Array | Uint16Array | Uint8Array>(a: T, make: (k: number) => T): T => {
      const next = make(size);
      next.set(a);
      return next;
    };
    this.addedIds = grow(this.addedIds, (k) => new Uint32Array(k));
    this.addedSrc = grow(this.addedSrc, (k) => new Int32Array(k));
    this.addedDst = grow(this.addedDst, (k) => new Int32Array(k));
    this.addedKind = grow(this.addedKind, (k) => new Uint16Array(k));
    this.addedFlags = grow(this.addedFlags, (k) => new Uint8Array(k));
  }
}
