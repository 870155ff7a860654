// Blast-radius change per credential. A credential's reach can only differ when it reaches, on either side, a node
// whose out-edges changed or which itself changed (appeared, vanished, moved boundary): one backward walk from
// those nodes per side finds every credential that may be affected. Only those are walked, both sides, in priority
// order and up to a budget; the rest are counted, not walked (the caller reports the bound).
import { blastRadius, REACHED_ACCESS_LEVELS, summarize, type BlastSummary } from '../blast-radius.js';
import type { Alignment } from './align.js';
import { reachersOf } from './reach-diff.js';

export interface BoundaryTallyG {
  /** Global id of the boundary node. */
  boundary: number;
  identities: number;
  resources: number;
  credentials: number;
  admin: boolean;
}

export interface BlastSide {
  identities: number;
  credentials: number;
  resources: number;
  /** Global ids of the admin nodes reached. */
  admins: number[];
  byBoundary: Map<number, BoundaryTallyG>;
  byAccessLevel: BlastSummary['byAccessLevel'];
}

export interface BlastDeltaRaw {
  origin: number;
  before: BlastSide | null;
  after: BlastSide | null;
}

export interface BlastDiffResult {
  deltas: BlastDeltaRaw[];
  /** Credentials whose reach may have changed. */
  affected: number;
  /** Of those, how many were walked on both sides. */
  compared: number;
}

function side(summary: BlastSummary, gOf: (v: number) => number): BlastSide {
  const byBoundary = new Map<number, BoundaryTallyG>();
  for (const b of summary.byBoundary) byBoundary.set(gOf(b.boundary), { boundary: gOf(b.boundary), identities: b.identities, resources: b.resources, credentials: b.credentials, admin: b.admin });
  const c = summary.byCategory;
  return {
    identities: (c.identity ?? 0) + (c.group ?? 0),
    credentials: c.credential ?? 0,
    resources: c.resource ?? 0,
    admins: summary.admins.map(gOf).sort((x, y) => x - y),
    byBoundary,
    byAccessLevel: summary.byAccessLevel,
  };
}

export function sameBlast(x: BlastSide | null, y: BlastSide | null): boolean {
  if (!x || !y) return x === y;
  if (x.identities !== y.identities || x.credentials !== y.credentials || x.resources !== y.resources) return false;
  if (x.admins.length !== y.admins.length || x.admins.some((g, i) => y.admins[i] !== g)) return false;
  for (const level of REACHED_ACCESS_LEVELS) if ((x.byAccessLevel[level] ?? 0) !== (y.byAccessLevel[level] ?? 0)) return false;
  if (x.byBoundary.size !== y.byBoundary.size) return false;
  for (const [g, t] of x.byBoundary) {
    const u = y.byBoundary.get(g);
    if (!u || u.identities !== t.identities || u.resources !== t.resources || u.credentials !== t.credentials || u.admin !== t.admin) return false;
  }
  return true;
}

/**
 * Global ids of the credentials that may be affected by the changes, given the changed nodes (`seeds`, global ids).
 * `isCredential` says which global ids are credentials on either side.
 */
export function affectedCredentials(al: Alignment, seeds: Iterable<number>, isCredential: (g: number) => boolean): number[] {
  const list = [...seeds];
  const onA = reachersOf(
    al.a,
    list.filter((g) => g < al.a.n),
  );
  const onB = reachersOf(
    al.b,
    list.map((g) => al.bOfG[g]!).filter((v) => v >= 0),
  );
  const out: number[] = [];
  for (let g = 0; g < al.n; g++) {
    if (!isCredential(g)) continue;
    const vb = al.bOfG[g]!;
    if ((g < al.a.n && onA[g]) || (vb >= 0 && onB[vb])) out.push(g);
  }
  return out;
}

/** Walks each origin (global ids, in the order given) on both sides, up to `budget` origins; keeps those that changed. */
export function diffBlast(al: Alignment, origins: readonly number[], budget: number): BlastDiffResult {
  const deltas: BlastDeltaRaw[] = [];
  const chosen = origins.slice(0, budget);
  const gOfA = (v: number) => v;
  const gOfB = (v: number) => al.gOfB[v]!;
  for (const g of chosen) {
    const va = g < al.a.n ? g : -1;
    const vb = al.bOfG[g]!;
    const before = va >= 0 ? side(summarize(al.a, blastRadius(al.a, va)), gOfA) : null;
    const after = vb >= 0 ? side(summarize(al.b, blastRadius(al.b, vb)), gOfB) : null;
    if (!sameBlast(before, after)) deltas.push({ origin: g, before, after });
  }
  return { deltas, affected: origins.length, compared: chosen.length };
}
