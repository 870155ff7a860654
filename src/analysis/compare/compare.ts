// The comparison engine: two graph states (A before, B after) matched by canonical id. Everything here works on
// node and edge indexes; src/api/compare/ turns the result into the API's shapes.
//
// Cost, at a million edges: aligning the two indexes and the edge diff are linear (typed arrays, one sort per node);
// paths that appeared or disappeared cost 4 backward walks per admin or high-value target, whatever the number of
// credentials; blast-radius deltas cost two walks per credential, so they are computed only for the credentials
// that reach something that changed, compromised and exposed ones first, up to `maxOrigins` (100 by default: two walks
// each, about 25 ms at a million edges).
import type { NodeCategory } from '../../model/kinds.js';
import { CATEGORY_LIST } from '../index/graph-index.js';
import { align, described, idOf, present, type Alignment } from './align.js';
import { affectedCredentials, diffBlast, type BlastDiffResult } from './blast-diff.js';
import { diffEdges, type EdgeChanges } from './edge-diff.js';
import { diffFindings, type FindingsDiff } from './findings-diff.js';
import { diffReach, reachableFrom, type ReachChanges } from './reach-diff.js';
import { keyRotations, type Rotation } from './rotation.js';
import type { GraphState } from './state.js';
import { diffStatements, type StatementsDiff } from './statements-diff.js';

export interface CompareOptions {
  /** Credentials whose blast radius is walked on both sides, at most (default 100). */
  maxOrigins?: number;
  /** Admin and high-value nodes whose reach is compared, at most (default 1000; admin nodes first). */
  maxTargets?: number;
}

export const DEFAULT_MAX_ORIGINS = 100;
export const DEFAULT_MAX_TARGETS = 1000;

/** Why an origin is listed where it is: 3 compromised or exposed, 2 credential, 1 identity, 0 not an origin. */
export const ORIGIN_COMPROMISED = 3;
export const ORIGIN_CREDENTIAL = 2;
export const ORIGIN_IDENTITY = 1;

export interface NodeChangeRaw {
  g: number;
  renamedFrom?: string;
  /** Global ids of the boundary before and after (-1 none), when it moved. */
  movedFrom?: number;
  movedTo?: number;
  /** Credentials whose status changed. */
  active?: { before: boolean; after: boolean };
}

export interface RawDiff {
  al: Alignment;
  a: GraphState;
  b: GraphState;
  nodes: { added: number[]; removed: number[]; changed: NodeChangeRaw[] };
  edges: EdgeChanges;
  statements: StatementsDiff;
  reach: ReachChanges;
  /** Targets compared (global ids), and how many a change reaches (the others cannot have changed). */
  targets: { compared: number[]; total: number; admin: Set<number> };
  originClass: Uint8Array;
  blast: BlastDiffResult;
  findings: FindingsDiff;
  rotations: Rotation[];
}

const CATEGORY_CODE = Object.fromEntries(CATEGORY_LIST.map((c, i) => [c, i])) as Record<NodeCategory, number>;

export function compareStates(a: GraphState, b: GraphState, opts: CompareOptions = {}): RawDiff {
  const al = align(a.index, b.index);
  const A = al.a;
  const B = al.b;
  const va = (g: number) => (g < A.n ? g : -1);
  const vb = (g: number) => al.bOfG[g]!;
  // The category of a node: as described after, else before.
  const category = new Uint8Array(al.n).fill(255);
  for (let g = 0; g < al.n; g++) {
    const x = vb(g);
    const y = va(g);
    category[g] = present(B, x) ? B.categoryCode[B.d.nodeKind[x]!]! : present(A, y) ? A.categoryCode[A.d.nodeKind[y]!]! : 255;
  }

  // Nodes.
  const activeA = a.credentialActive();
  const activeB = b.credentialActive();
  const nodes: RawDiff['nodes'] = { added: [], removed: [], changed: [] };
  const seeds = new Set<number>();
  const boundaryG = (ix: typeof A, v: number, side: 'a' | 'b') => {
    const bnd = ix.d.boundary[v]!;
    return bnd < 0 ? -1 : side === 'a' ? bnd : al.gOfB[bnd]!;
  };
  for (let g = 0; g < al.n; g++) {
    const x = va(g);
    const y = vb(g);
    const inA = described(A, x);
    const inB = described(B, y);
    if (inA !== inB) {
      (inB ? nodes.added : nodes.removed).push(g);
      seeds.add(g);
      continue;
    }
    if (!inA) continue;
    const change: NodeChangeRaw = { g };
    if (A.d.names[x] !== B.d.names[y]) change.renamedFrom = A.d.names[x]!;
    const ba = boundaryG(A, x, 'a');
    const bb = boundaryG(B, y, 'b');
    if (ba !== bb) {
      change.movedFrom = ba;
      change.movedTo = bb;
      seeds.add(g);
    }
    if (A.categoryCode[A.d.nodeKind[x]!] !== B.categoryCode[B.d.nodeKind[y]!]) seeds.add(g);
    if (category[g] === CATEGORY_CODE.credential) {
      const id = B.id(y);
      const before = activeA.get(id) ?? true;
      const after = activeB.get(id) ?? true;
      if (before !== after) change.active = { before, after };
    }
    if (change.renamedFrom !== undefined || change.movedFrom !== undefined || change.active) nodes.changed.push(change);
  }

  // Edges.
  const edges = diffEdges(al);
  for (const g of edges.changedSources) seeds.add(g);
  const statements = diffStatements(a.statements(), b.statements());

  // Origins: credentials and identities; compromised or exposed ones first.
  const marksA = a.marks();
  const marksB = b.marks();
  const originClass = new Uint8Array(al.n);
  for (let g = 0; g < al.n; g++) {
    if (category[g] === CATEGORY_CODE.credential) originClass[g] = ORIGIN_CREDENTIAL;
    else if (category[g] === CATEGORY_CODE.identity) originClass[g] = ORIGIN_IDENTITY;
  }
  const markCompromised = (marks: Map<string, string[]>, ix: typeof A, gOf: (v: number) => number) => {
    for (const [id, list] of marks) {
      if (!list.includes('compromised')) continue;
      const v = ix.indexOf(id);
      if (v >= 0 && originClass[gOf(v)]) originClass[gOf(v)] = ORIGIN_COMPROMISED;
    }
  };
  markCompromised(marksA, A, (v) => v);
  markCompromised(marksB, B, (v) => al.gOfB[v]!);
  for (const [ix, gOf] of [
    [A, (v: number) => v],
    [B, (v: number) => al.gOfB[v]!],
  ] as const) {
    if (ix.exposesKind < 0) continue;
    const { targets, edgeKind } = ix.d;
    for (let e = 0; e < ix.m; e++) {
      if (edgeKind[e] !== ix.exposesKind) continue;
      const g = gOf(targets[e]!);
      if (originClass[g] === ORIGIN_CREDENTIAL) originClass[g] = ORIGIN_COMPROMISED;
    }
  }

  // Targets: every admin node, then every node marked high value (on either side).
  const admin = new Set<number>();
  for (const v of A.adminNodes()) admin.add(v);
  for (const v of B.adminNodes()) admin.add(al.gOfB[v]!);
  const highValue = new Set<number>();
  for (const [marks, ix, gOf] of [
    [marksA, A, (v: number) => v],
    [marksB, B, (v: number) => al.gOfB[v]!],
  ] as const) {
    for (const [id, list] of marks) {
      if (!list.includes('high-value')) continue;
      const v = ix.indexOf(id);
      if (v >= 0 && !admin.has(gOf(v))) highValue.add(gOf(v));
    }
  }
  const byId = (x: number, y: number) => (idOf(al, x) < idOf(al, y) ? -1 : 1);
  const allTargets = [...[...admin].sort(byId), ...[...highValue].sort(byId)];
  // A target's reachers can only change if something that changed leads to it, on one side or the other.
  const fromA = reachableFrom(A, [...seeds].filter((g) => g < A.n));
  const fromB = reachableFrom(B, [...seeds].map((g) => al.bOfG[g]!).filter((v) => v >= 0));
  const touched = allTargets.filter((t) => (t < A.n && fromA[t]) || (al.bOfG[t]! >= 0 && fromB[al.bOfG[t]!]));
  const maxTargets = opts.maxTargets ?? DEFAULT_MAX_TARGETS;
  const compared = touched.slice(0, maxTargets);
  // A new credential's holders (after): a new key of an identity that already had a path inherits it.
  const holdersOf = (g: number): number[] => {
    const v = al.bOfG[g]!;
    const out: number[] = [];
    if (v < 0 || category[g] !== CATEGORY_CODE.credential) return out;
    for (let e = B.d.offsets[v]!; e < B.d.offsets[v + 1]!; e++) if (B.d.edgeKind[e] === B.authKind) out.push(al.gOfB[B.d.targets[e]!]!);
    return out;
  };
  const reach = diffReach(al, compared, (g) => originClass[g]! > 0, holdersOf);

  // Blast radius: the credentials that reach a change, compromised ones first, then those whose admin reach changed.
  const adminChanged = new Set<number>();
  for (let i = 0; i < reach.length; i++) if (admin.has(reach.target[i]!)) adminChanged.add(reach.origin[i]!);
  const candidates = affectedCredentials(al, seeds, (g) => category[g] === CATEGORY_CODE.credential);
  const rank = (g: number) => (originClass[g] === ORIGIN_COMPROMISED ? 0 : adminChanged.has(g) ? 1 : 2);
  candidates.sort((x, y) => rank(x) - rank(y) || x - y);
  const blast = diffBlast(al, candidates, opts.maxOrigins ?? DEFAULT_MAX_ORIGINS);

  return {
    al,
    a,
    b,
    nodes,
    edges,
    statements,
    reach,
    targets: { compared, total: touched.length, admin },
    originClass,
    blast,
    findings: diffFindings(a.findings(), b.findings()),
    rotations: keyRotations(al, activeA, activeB, (g) => category[g] === CATEGORY_CODE.credential),
  };
}
