import type { LayoutOptions } from 'cytoscape';
import type { LayoutName } from '../store/ui-slice';

export interface Position {
  x: number;
  y: number;
}

/**
 * Rings around the node with most edges: ring d holds the nodes d steps away (undirected), spread evenly;
 * nodes in no ring (other components) go on an outer ring. Linear in nodes + edges.
 */
export function ringPositions(nodeIds: string[], edges: { source: string; target: string }[], spacing = 34): Map<string, Position> {
  const adj = new Map<string, string[]>();
  for (const id of nodeIds) adj.set(id, []);
  for (const e of edges) {
    adj.get(e.source)?.push(e.target);
    adj.get(e.target)?.push(e.source);
  }
  const out = new Map<string, Position>();
  if (nodeIds.length === 0) return out;
  let root = nodeIds[0]!;
  for (const [id, list] of adj) if (list.length > adj.get(root)!.length) root = id;
  const depth = new Map<string, number>([[root, 0]]);
  const rings: string[][] = [[root]];
  for (let d = 0; rings[d]?.length; d++) {
    const next: string[] = [];
    for (const id of rings[d]!) {
      for (const m of adj.get(id) ?? []) {
        if (depth.has(m)) continue;
        depth.set(m, d + 1);
        next.push(m);
      }
    }
    if (next.length) rings.push(next);
  }
  const rest = nodeIds.filter((id) => !depth.has(id));
  if (rest.length) rings.push(rest);
  let radius = 0;
  rings.forEach((ring, d) => {
    if (d === 0 && ring.length === 1) {
      out.set(ring[0]!, { x: 0, y: 0 });
      return;
    }
    radius = Math.max(radius + spacing * 4, (ring.length * spacing) / (2 * Math.PI));
    ring.forEach((id, i) => {
      const a = (2 * Math.PI * i) / ring.length;
      out.set(id, { x: radius * Math.cos(a), y: radius * Math.sin(a) });
    });
  });
  return out;
}

export const FORCE_LAYOUT_LIMIT = 1500;

export interface FlowShape {
  /** Nodes on the longest chain: dagre's rank count. */
  ranks: number;
  /** Most nodes sharing one rank. */
  breadth: number;
}

/**
 * Each node's rank under longest-path layering, as dagre ranks: cycles are first broken by dropping the edges a
 * depth-first walk from the sources (then from anything left) finds going back up its own stack, so every kept
 * edge points to a higher rank.
 */
export function flowRanks(nodeIds: string[], edges: { source: string; target: string }[]): Map<string, number> {
  const out = new Map<string, string[]>();
  const indegree = new Map<string, number>(nodeIds.map((id) => [id, 0]));
  for (const e of edges) {
    if (!indegree.has(e.source) || !indegree.has(e.target) || e.source === e.target) continue;
    const list = out.get(e.source);
    if (list) list.push(e.target);
    else out.set(e.source, [e.target]);
    indegree.set(e.target, indegree.get(e.target)! + 1);
  }
  // Depth-first, iteratively: state 1 = on the stack, 2 = done. An edge to a node on the stack closes a cycle.
  const state = new Map<string, 1 | 2>();
  const kept = new Map<string, string[]>();
  const roots = [...nodeIds.filter((id) => indegree.get(id) === 0), ...nodeIds];
  for (const root of roots) {
    if (state.has(root)) continue;
    const stack: [string, number][] = [[root, 0]];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const next = out.get(top[0])?.[top[1]++];
      if (next === undefined) {
        state.set(top[0], 2);
        stack.pop();
        continue;
      }
      if (state.get(next) === 1) continue;
      const list = kept.get(top[0]);
      if (list) list.push(next);
      else kept.set(top[0], [next]);
      if (!state.has(next)) {
        state.set(next, 1);
        stack.push([next, 0]);
      }
    }
  }
  // Longest path over the acyclic rest (Kahn's order).
  const remaining = new Map<string, number>(nodeIds.map((id) => [id, 0]));
  for (const targets of kept.values()) for (const v of targets) remaining.set(v, remaining.get(v)! + 1);
  const rank = new Map<string, number>(nodeIds.map((id) => [id, 0]));
  const queue = nodeIds.filter((id) => remaining.get(id) === 0);
  for (let i = 0; i < queue.length; i++) {
    const u = queue[i]!;
    for (const v of kept.get(u) ?? []) {
      rank.set(v, Math.max(rank.get(v)!, rank.get(u)! + 1));
      const left = remaining.get(v)! - 1;
      remaining.set(v, left);
      if (left === 0) queue.push(v);
    }
  }
  return rank;
}

/** The rank count and breadth dagre's layering gives a directed graph. */
export function flowShape(nodeIds: string[], edges: { source: string; target: string }[]): FlowShape {
  const perRank = new Map<number, number>();
  for (const r of flowRanks(nodeIds, edges).values()) perRank.set(r, (perRank.get(r) ?? 0) + 1);
  return { ranks: Math.max(0, ...perRank.keys()) + 1, breadth: Math.max(1, ...perRank.values()) };
}

/**
 * "u left of v" for every edge from one rank to the next: fcose keeps boundary boxes apart (dagre does not) and,
 * held by these, still lets a multi-boundary path read left to right. Consistent by construction (ranks only grow).
 */
export function flowConstraints(nodeIds: string[], edges: { source: string; target: string }[], gap = 70): { left: string; right: string; gap: number }[] {
  const rank = flowRanks(nodeIds, edges);
  const seen = new Set<string>();
  const out: { left: string; right: string; gap: number }[] = [];
  for (const e of edges) {
    if (rank.get(e.target) !== (rank.get(e.source) ?? -2) + 1) continue;
    const key = `${e.source}\n${e.target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ left: e.source, right: e.target, gap });
  }
  return out;
}

/** Below this zoom node labels are too small to read (the stylesheet hides them a little further down). */
export const READABLE_ZOOM = 0.75;

// Room one node takes with its label beneath, and the gaps dagre is given (model units).
const NODE_W = 120;
const NODE_H = 45;
const LR = { nodeSep: 28, rankSep: 90 };
const TB = { nodeSep: 28, rankSep: 45 };

/**
 * Left to right reads as text, so paths go that way — unless that would shrink labels below readable and
 * top-down shows the graph clearly larger (a 12-step path across a narrow stage).
 */
export function flowDirection(shape: FlowShape, width: number, height: number): 'LR' | 'TB' {
  const lr = Math.min(width / (shape.ranks * (NODE_W + LR.rankSep)), height / (shape.breadth * (NODE_H + LR.nodeSep)));
  const tb = Math.min(width / (shape.breadth * (NODE_W + TB.nodeSep)), height / (shape.ranks * (NODE_H + TB.rankSep)));
  return lr < READABLE_ZOOM && tb > lr * 1.2 ? 'TB' : 'LR';
}

/** How a path view flows: dagre's direction, or fcose held left to right when several boundaries are drawn. */
export interface FlowPlan {
  direction: 'LR' | 'TB';
  /** Left-of constraints (flowConstraints): set when the graph spans several boundary boxes. */
  constraints?: { left: string; right: string; gap: number }[];
}

/** fcose for wandering (compound-aware force layout), dagre for paths (see flowDirection and FlowPlan). */
export function layoutOptions(name: LayoutName, elementCount: number, animate: boolean, positions?: Map<string, Position>, flow: FlowPlan = { direction: 'LR' }): LayoutOptions {
  if (name === 'dagre' && flow.constraints) {
    return { ...forceOptions(elementCount, false), relativePlacementConstraint: flow.constraints } as unknown as LayoutOptions;
  }
  if (name === 'dagre') {
    return { name: 'dagre', rankDir: flow.direction, ...(flow.direction === 'LR' ? LR : TB), edgeSep: 12, fit: true, padding: 40, animate: false } as unknown as LayoutOptions;
  }
  // Force layouts (and even concentric, which measures every label) take seconds on the UI thread past this
  // size; rings by distance from the best-connected node are computed in linear time instead.
  if (elementCount > FORCE_LAYOUT_LIMIT && positions) {
    return { name: 'preset', positions: (n: { id(): string }) => positions.get(n.id()) ?? { x: 0, y: 0 }, fit: true, padding: 30, animate: false } as unknown as LayoutOptions;
  }
  return forceOptions(elementCount, animate) as unknown as LayoutOptions;
}

function forceOptions(elementCount: number, animate: boolean): Record<string, unknown> {
  const big = elementCount > 600;
  return {
    name: 'fcose',
    quality: big ? 'draft' : 'default',
    randomize: true,
    animate: animate && !big,
    animationDuration: 350,
    fit: true,
    padding: 40,
    nodeDimensionsIncludeLabels: true,
    idealEdgeLength: 90,
    nodeRepulsion: 6500,
    nestingFactor: 0.6,
    gravity: 0.3,
    packComponents: true,
    tile: true,
    numIter: big ? 1200 : 2500,
  };
}

export interface Box {
  x1: number;
  y1: number;
  w: number;
  h: number;
}

/**
 * The viewport that shows `bb` (model coordinates) as large as it fits in a `width`×`height` canvas while keeping
 * clear of an overlay (the legend) of `overlay` size in its bottom-left corner: the drawing goes above the overlay
 * or to its right, whichever shows it larger. Zoom is capped at `maxZoom` (no poster-sized handful of nodes).
 */
export function fitClearOf(bb: Box, width: number, height: number, overlay: { width: number; height: number }, padding: number, maxZoom: number): { zoom: number; pan: Position } {
  const areas = [
    { x: 0, y: 0, w: width, h: height - overlay.height },
    { x: overlay.width, y: 0, w: width - overlay.width, h: height },
  ].filter((a) => a.w > 2 * padding && a.h > 2 * padding);
  if (!areas.length) areas.push({ x: 0, y: 0, w: width, h: height });
  const zoomIn = (a: { w: number; h: number }) => Math.min(maxZoom, Math.max(1, a.w - 2 * padding) / Math.max(bb.w, 1), Math.max(1, a.h - 2 * padding) / Math.max(bb.h, 1));
  const best = areas.reduce((a, b) => (zoomIn(b) > zoomIn(a) ? b : a));
  const zoom = zoomIn(best);
  return { zoom, pan: { x: best.x + best.w / 2 - zoom * (bb.x1 + bb.w / 2), y: best.y + best.h / 2 - zoom * (bb.y1 + bb.h / 2) } };
}
