import type { Sql } from './sql.js';

/**
 * The case's aliases (two ids for one thing), cached per connection and dropped whenever a write may change them.
 *
 * alias id → canonical id, as in effect: chains are followed (a key slot → its user-and-creation-time
 * rendezvous id → the AKIA id, each link stated by a different source), and an alias takes effect only when
 * the id it ends at is stated by some source. Two sources can then meet at a rendezvous id without either
 * knowing the other's id, and an id stays itself while nothing it aliases to is known.
 */
export class AliasIndex {
  private effective: Map<string, string> | undefined;
  private declared: Map<string, string> | undefined;
  /** canonical id → the alias ids that resolve to it, built from (and valid for) one effective map. */
  private reverse: { from: Map<string, string>; names: Map<string, string[]> } | undefined;

  constructor(private readonly sql: Sql) {}

  /** Forgets the cached maps (aliases or the facts they depend on changed). */
  invalidate(): void {
    this.effective = undefined;
    this.declared = undefined;
  }

  /** Forgets everything, including the reverse map (another connection wrote the case). */
  reset(): void {
    this.invalidate();
    this.reverse = undefined;
  }

  /** Only the effective map (a newly stated alias target can bring aliases into effect). */
  invalidateEffective(): void {
    this.effective = undefined;
  }

  /**
   * `stated`, when the caller knows which ids some source states (a write transaction's mirror of its facts), answers
   * that instead of a query over the chains' ends. Only used when the map is built.
   */
  map(stated?: (id: string) => boolean): Map<string, string> {
    if (!this.effective) {
      const raw = this.raw();
      const ends = new Map<string, string>();
      // The ids walked from one alias, in one array reused for all (chains are a link or two; a set per alias
      // of tens of thousands was a large share of an import's materialisation). A long chain falls back to a set.
      const path: string[] = [];
      for (const alias of raw.keys()) {
        let end = alias;
        path.length = 0;
        path.push(alias);
        let seen: Set<string> | undefined;
        for (let next = raw.get(end); next !== undefined; next = raw.get(end)) {
          if (seen ? seen.has(next) : path.includes(next)) break;
          end = next;
          if (seen) seen.add(end);
          else if (path.push(end) > 16) seen = new Set(path);
        }
        if (end !== alias) ends.set(alias, end);
      }
      let isStated = stated;
      if (!isStated) {
        // Which chain ends some source states, asked once for them all (an import can declare tens of thousands).
        const known = new Set(this.sql.stmt('SELECT DISTINCT node_id FROM node_facts WHERE node_id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify([...new Set(ends.values())])) as string[]);
        isStated = (id) => known.has(id);
      }
      const map = new Map<string, string>();
      for (const [alias, end] of ends) if (isStated(end)) map.set(alias, end);
      this.effective = map;
    }
    return this.effective;
  }

  /** alias id → canonical id, as declared by sources (one link each). */
  raw(): Map<string, string> {
    if (!this.declared) {
      // Rows as arrays, straight into the map (tens of thousands after a credential report and its keys).
      const declared = new Map<string, string>();
      for (const [alias, canonical] of this.sql.stmt('SELECT alias, canonical FROM node_aliases').raw(true).iterate() as Iterable<[string, string]>) declared.set(alias, canonical);
      this.declared = declared;
    }
    return this.declared;
  }

  canonical(id: string): string {
    return this.map().get(id) ?? id;
  }

  /** Every id a declared alias names (either end), built once per declared map. */
  named(): ReadonlySet<string> {
    const raw = this.raw();
    if (this.linked?.from === raw) return this.linked.named;
    // Without the links (a set is all a fragment's write asks for; materialize builds the links it walks).
    if (this.namedOnly?.from !== raw) {
      const named = new Set<string>();
      for (const [a, b] of raw) named.add(a).add(b);
      this.namedOnly = { from: raw, named };
    }
    return this.namedOnly.named;
  }
  private namedOnly: { from: Map<string, string>; named: Set<string> } | undefined;

  /** Both directions of every declared link, built once per declared map (an import asks several times). */
  private linksOf(): { from: Map<string, string>; links: Map<string, string[]>; named: Set<string> } {
    const raw = this.raw();
    if (this.linked?.from === raw) return this.linked;
    const links = new Map<string, string[]>();
    const link = (a: string, b: string) => {
      const list = links.get(a);
      if (list) list.push(b);
      else links.set(a, [b]);
    };
    for (const [a, b] of raw) {
      link(a, b);
      link(b, a);
    }
    this.linked = { from: raw, links, named: new Set(links.keys()) };
    return this.linked;
  }
  private linked: { from: Map<string, string>; links: Map<string, string[]>; named: Set<string> } | undefined;

  /**
   * Adds to `ids` every id linked to one of them by declared aliases (components, in place). An import's touched ids
   * usually hold both ends of every link already (it wrote them all): one look at each link tells, without building
   * the links both ways and walking them.
   */
  close(ids: Set<string>): void {
    if (this.linked?.from !== this.raw()) {
      let open = false;
      for (const [a, b] of this.raw()) {
        if (ids.has(a) !== ids.has(b)) {
          open = true;
          break;
        }
      }
      if (!open) return;
    }
    for (const id of this.components(ids)) ids.add(id);
  }

  /** Every id linked by declared aliases to one of `ids`, whether or not the link is in effect now. */
  components(ids: Iterable<string>): Set<string> {
    const { links } = this.linksOf();
    const out = new Set<string>();
    const queue = [...ids].filter((id) => links.has(id));
    while (queue.length) {
      const id = queue.pop()!;
      if (out.has(id)) continue;
      out.add(id);
      for (const next of links.get(id) ?? []) if (!out.has(next)) queue.push(next);
    }
    return out;
  }

  /** The alias ids in effect for a canonical id. */
  aliasesOf(canonical: string): string[] {
    const map = this.map();
    if (this.reverse?.from !== map) {
      const names = new Map<string, string[]>();
      for (const [alias, c] of map) {
        const list = names.get(c);
        if (list) list.push(alias);
        else names.set(c, [alias]);
      }
      this.reverse = { from: map, names };
    }
    return this.reverse.names.get(canonical) ?? [];
  }
}
