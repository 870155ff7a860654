// The full layouts' positions, computed from what the canvas draws: lanes for a path, bands by hops for a blast
// radius (reach-layers.ts), fcose for a small drawing, and a grid of boxes for the rest (layouts.ts). Each returns
// positions for the engine to set (canvas-engine.ts fullLayout runs them, in rounds at growing label sizes).
import type { Core, NodeSingular } from 'cytoscape';
import type cytoscape from 'cytoscape';
import { applyShifts, bodySize, drawnNodes, footprintOf, titleSize } from './canvas-geometry';
import { boxedGrid, forceOptions, laneLayout, withSeed, type BoxedNode, type LaneNode, type Position } from './layouts';
import { separate, type Unit } from './placement';
import { layeredLayout, reachTree, type LayerNode } from './reach-layers';

const CATEGORY_ORDER = ['admin', 'identity', 'group', 'credential', 'resource', 'evidence', 'boundary'];

/** A path view: one lane per box, steps in rows (layouts.ts laneLayout). */
export function lanePositions(cy: Core, scale: number): Map<string, Position> {
  const nodes: LaneNode[] = drawnNodes(cy)
    .map((n) => ({ ...footprintOf(n), lane: (n.parent().first().id() as string | undefined) ?? '' }));
  const edges = cy.edges().map((e) => ({ source: e.source().id(), target: e.target().id() }));
  // Room between rows for a step's label, and between lanes for the boxes' padding.
  const out = laneLayout(nodes, edges, { rowGap: 50 + 36 * scale, colGap: 30 * scale, laneGap: 60 + 30 * scale });
  // Boxes without members on a path view (a boundary node the path names) go to the right of the lanes.
  let x = Math.max(0, ...[...out.values()].map((p) => p.x)) + 300;
  cy.nodes('.group.empty-box').forEach((g) => {
    out.set(g.id(), { x, y: 0 });
    x += titleSize(String(g.data('label')), scale).w + 60;
  });
  return out;
}


/** Each drawn node's band and the node it is reached from. */
export interface Reach {
  band: Map<string, number>;
  parent: Map<string, string>;
}

/**
 * Each node's band (hops from the origin; nodes no drawn edge reaches from it in a band after the last) and the one
 * edge it is reached by, drawn plainly (reach-via); every other edge is drawn faint, without its label, still there
 * to pick and listed in the details.
 */
export function markReach(cy: Core, origin: string): Reach {
  const order = byKind(drawnNodes(cy), true).map((n) => n.id());
  const edges = cy.edges().map((e) => ({ id: e.id(), source: e.source().id(), target: e.target().id(), traversable: !e.hasClass('not-traversable') }));
  const tree = reachTree(origin, order, edges);
  const via = new Set(tree.via.values());
  const last = Math.max(0, ...tree.hop.values()) + 1;
  // The origin is drawn larger (its highlight, set after the layout): laid out at that size.
  cy.getElementById(origin).addClass('origin');
  cy.batch(() => {
    cy.edges().forEach((e) => {
      const plain = via.has(e.id());
      if (e.hasClass('reach-via') !== plain) e.toggleClass('reach-via', plain);
      if (e.hasClass('faint') === plain) e.toggleClass('faint', !plain);
    });
  });
  const parent = new Map<string, string>();
  for (const [id, edge] of tree.via) parent.set(id, cy.getElementById(edge).source().id());
  return { band: new Map(order.map((id) => [id, tree.hop.get(id) ?? last])), parent };
}

/** A drawing that is not in bands: no edge faint. */
export function clearReach(cy: Core): void {
  const marked = cy.edges('.faint, .reach-via');
  if (marked.nonempty()) cy.batch(() => marked.removeClass('faint reach-via'));
}

/** The blast radius in bands by hops from its origin, one column of bands per boundary (reach-layers.ts). */
export function bandPositions(cy: Core, reach: Reach, aspect: number, scale: number, maxWidth?: number): Map<string, Position> {
  const nodes: LayerNode[] = byKind(drawnNodes(cy), true).map((n) => {
    const parent = reach.parent.get(n.id());
    return { ...footprintOf(n), lane: (n.parent().first().id() as string | undefined) ?? '', band: reach.band.get(n.id()) ?? 0, ...(parent !== undefined ? { parent } : {}) };
  });
  // Room between bands for the reach edges to fan out and a box's title; between columns for the boxes' padding.
  const out = layeredLayout(nodes, aspect, { colGap: 24 * scale, rowGap: 8 * scale, laneGap: 60 + 30 * scale, bandGap: 70 + 40 * scale, ...(maxWidth !== undefined ? { maxWidth } : {}) });
  let x = Math.max(0, ...[...out.values()].map((p) => p.x)) + 300;
  cy.nodes('.group.empty-box').forEach((g) => {
    out.set(g.id(), { x, y: 0 });
    x += titleSize(String(g.data('label')), scale).w + 60;
  });
  return out;
}

/** Nodes by category, kind, then label (grids keep kinds together, in a stable order); numbers in names by value. */
export function byKind(nodes: cytoscape.NodeCollection, numeric = false): NodeSingular[] {
  const rank = (n: NodeSingular) => {
    const c = CATEGORY_ORDER.indexOf(String(n.data('category')));
    return c < 0 ? CATEGORY_ORDER.length : c;
  };
  return nodes
    .toArray()
    .map((n) => n as NodeSingular)
    .sort((a, b) => rank(a) - rank(b) || String(a.data('kind')).localeCompare(String(b.data('kind'))) || String(a.data('label')).localeCompare(String(b.data('label')), 'en', { numeric }) || a.id().localeCompare(b.id()));
}

/** fcose, seeded by what is drawn, then the shapes it left on one another pulled apart. */
export function forcePositions(cy: Core): Map<string, Position> {
  const key = cy
    .nodes()
    .map((n) => n.id())
    .sort()
    .join('\n');
  // fcose draws random numbers: seeded by what is drawn, the same graph gives the same picture.
  withSeed(key, () => cy.layout(forceOptions(cy.elements().length) as unknown as cytoscape.LayoutOptions).run());
  separateBodies(cy);
  const out = new Map<string, Position>();
  drawnNodes(cy).forEach((n) => {
      out.set(n.id(), { ...n.position() });
    });
  cy.nodes('.group.empty-box').forEach((g) => {
    out.set(g.id(), { ...g.position() });
  });
  return out;
}

/**
 * Pulls apart the node shapes a force layout left on top of one another, box by box: nodes alike in their edges (a
 * cluster's controllers, each bound to the same roles) are pushed equally and end up close, even stacked.
 */
function separateBodies(cy: Core): void {
  const byBox = new Map<string, Unit[]>();
  const members = new Map<string, cytoscape.NodeCollection>();
  drawnNodes(cy).forEach((n) => {
    const box = (n.parent().first().id() as string | undefined) ?? '';
    const size = bodySize(n);
    const p = n.position();
    const units = byBox.get(box) ?? [];
    units.push({ id: n.id(), rect: { x1: p.x - size / 2, y1: p.y - size / 2, x2: p.x + size / 2, y2: p.y + size / 2 } });
    byBox.set(box, units);
    members.set(n.id(), n.union(n));
  });
  for (const units of byBox.values()) if (units.length > 1) applyShifts(cy, separate(units, 12), members);
}

/** Each box's members in a grid by kind, boxes packed in rows; empty boxes as cards (the estate map). */
export function gridPositions(cy: Core, aspect: number, scale: number): { positions: Map<string, Position>; hub: string | null } {
  const sorted = byKind(drawnNodes(cy));
  const nodes: BoxedNode[] = sorted.map((n) => ({ ...footprintOf(n), box: (n.parent().first().id() as string | undefined) ?? null }));
  const titles = new Map<string, { w: number; h: number }>();
  const boxes: string[] = [];
  cy.nodes('.group').forEach((g) => {
    boxes.push(g.id());
    titles.set(g.id(), titleSize(String(g.data('label')), scale));
  });
  // Boxes an edge joins (a box itself, or the box of a member; '' for nodes outside any): packed so that the line
  // between them does not run over a third box.
  const boxOf = (n: NodeSingular) => (n.hasClass('group') ? n.id() : ((n.parent().first().id() as string | undefined) ?? ''));
  const links: [string, string][] = [];
  cy.edges().forEach((e) => {
    if (e.style('display') === 'none') return;
    const a = boxOf(e.source());
    const b = boxOf(e.target());
    if (a !== b) links.push([a, b]);
  });
  // Gaps between boxes hold the labels of the edges between them.
  const layout = boxedGrid(nodes, aspect, { title: titles, boxes, gap: 70 * scale, links });
  const out = new Map(layout.positions);
  for (const [id, p] of layout.emptyBoxes) if (id) out.set(id, p);
  // ('' is the block of nodes outside any box: no element to start from.)
  return { positions: out, hub: layout.hub || null };
}
