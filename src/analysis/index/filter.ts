import type { GraphIndex } from './graph-index.js';

export interface TraversalFilter {
  /** Follow edges whose condition cannot be decided offline (default true). */
  includeConditional?: boolean;
  /**
   * Follow only what activity logs show happened: OBSERVED_USE edges whose [firstSeen, lastSeen] overlaps
   * [since, until]. Holding a credential is being its identity, so AUTHENTICATES_AS and EXPOSES (leak →
   * credential) are still followed: they are not permissions that may go unused.
   */
  observedOnly?: boolean;
  since?: string;
  until?: string;
}

/** 1 for each edge the filter lets a traversal follow; null when it follows every edge (the fast path). */
export function edgeMask(index: GraphIndex, filter: TraversalFilter): Uint8Array | null {
  const excludeConditional = filter.includeConditional === false;
  if (!excludeConditional && !filter.observedOnly) return null;
  const { edgeFlags, edgeKind } = index.d;
  const { first: firstSeen, last: lastSeen } = filter.observedOnly ? index.observedTimes() : { first: new Uint32Array(0), last: new Uint32Array(0) };
  const since = filter.since ? Date.parse(filter.since) : -Infinity;
  const until = filter.until ? Date.parse(filter.until) : Infinity;
  const windowed = Boolean(filter.since || filter.until);
  const mask = new Uint8Array(index.m);
  for (let e = 0; e < index.m; e++) {
    if (excludeConditional && (edgeFlags[e]! & 1) !== 0) continue;
    if (filter.observedOnly) {
      const k = edgeKind[e];
      if (k === index.observedKind) {
        const f = firstSeen[e]!;
        const l = lastSeen[e]!;
        // An observation with no stated times cannot be placed in a window.
        if (windowed && (f === 0 || l === 0 || l * 1000 < since || f * 1000 > until)) continue;
      } else if (k !== index.authKind && k !== index.exposesKind) continue;
    }
    mask[e] = 1;
  }
  return mask;
}
