import type { JsonObject } from '../model/fragment.js';
import type { FactRowRaw } from './rows.js';

/**
 * A fact as written, with the props object its text was made of when JSON gives it back exactly (see jsonExact):
 * materialize merges from it instead of parsing the text again. Solo rows keep their text only (ARCHITECTURE.md).
 */
export interface MirroredFact extends FactRowRaw {
  readonly object?: JsonObject | undefined;
}

/** What materialize needs to know of an id's row in `nodes`. */
export interface RowState {
  solo_source: number | null;
  kind: string;
  boundary: string | null;
}

/**
 * The facts and rows a write transaction into a case with no nodes and no facts writes, kept in memory until its
 * first materialisation, which then merges them without reading them back (a 20,000-user credential report with
 * its keys: ~100,000 facts). Every write of node_facts and nodes goes through FactWriter and is mirrored here;
 * deletes made elsewhere (a source dropped) are caught by `holds`, which compares the counts: the mirror only
 * ever holds a superset of the tables, so equal counts mean equal contents.
 */
export class FactMirror {
  private readonly facts = new Map<string, MirroredFact[]>();
  private readonly rows = new Map<string, RowState & { solo: MirroredFact }>();
  private factCount = 0;

  /** A solo row written (the fact of its one source). */
  solo(fact: MirroredFact): void {
    this.rows.set(fact.node_id, { solo_source: fact.source_id, kind: fact.kind, boundary: fact.boundary, solo: fact });
  }

  hasRow(id: string): boolean {
    return this.rows.has(id);
  }

  isSolo(id: string): boolean {
    return (this.rows.get(id)?.solo_source ?? null) !== null;
  }

  /** Whether some source states the id (has a fact of it). */
  hasFacts(id: string): boolean {
    return this.facts.has(id);
  }

  /** A source's fact written over any earlier one of the same source (the upsert). */
  upsert(fact: MirroredFact): void {
    const list = this.facts.get(fact.node_id);
    if (!list) {
      this.facts.set(fact.node_id, [fact]);
      this.factCount++;
      return;
    }
    const i = list.findIndex((f) => f.source_id === fact.source_id);
    if (i >= 0) list[i] = fact;
    else {
      list.push(fact);
      this.factCount++;
    }
  }

  /**
   * A solo row becoming its source's fact (kept out when that source already has a fact of the id): the fact to
   * write, if any.
   */
  move(id: string): MirroredFact | undefined {
    const row = this.rows.get(id);
    if (!row || row.solo_source === null) return undefined;
    const list = this.facts.get(id);
    let moved: MirroredFact | undefined;
    if (!list) {
      this.facts.set(id, [row.solo]);
      this.factCount++;
      moved = row.solo;
    } else if (!list.some((f) => f.source_id === row.solo_source)) {
      list.push(row.solo);
      this.factCount++;
      moved = row.solo;
    }
    row.solo_source = null;
    return moved;
  }

  /**
   * An id's facts in the order materialize reads them: stubs first, then by source. The mirror's own list, sorted in
   * place (materialisation is the mirror's last use: no copy for each of tens of thousands of ids).
   */
  factsOf(id: string): MirroredFact[] | undefined {
    const list = this.facts.get(id);
    return list && sortFacts(list);
  }

  /** The row's state as the mirror holds it (read only). */
  row(id: string): RowState | undefined {
    return this.rows.get(id);
  }

  /** Whether the tables still hold exactly what was mirrored (nothing was deleted behind it). */
  holds(counts: { facts: number; nodes: number }): boolean {
    return counts.facts === this.factCount && counts.nodes === this.rows.size;
  }
}

/**
 * Stubs first, then by source; stable (facts that tie keep their order). An insertion sort in place: a node has a few
 * facts, and Array#sort allocated scratch space on each of the tens of thousands of calls of a large import.
 */
export function sortFacts(facts: FactRowRaw[]): FactRowRaw[] {
  // A node many sources state (an account every file names) is sorted the usual way.
  if (facts.length > 16) return facts.sort((a, b) => b.stub - a.stub || a.source_id - b.source_id);
  for (let i = 1; i < facts.length; i++) {
    const f = facts[i]!;
    let j = i - 1;
    while (j >= 0 && (facts[j]!.stub - f.stub || f.source_id - facts[j]!.source_id) < 0) {
      facts[j + 1] = facts[j]!;
      j--;
    }
    facts[j + 1] = f;
  }
  return facts;
}
