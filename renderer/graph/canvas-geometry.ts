// The geometry of what the canvas draws, read from Cytoscape: a node's room with its label (footprint), a drawn
// shape's size, a box's extent, and the passes that pull overlapping shapes or boxes apart (placement.ts's separate,
// applied to the drawing). Shared by the full layouts (canvas-layouts.ts) and the placement of new nodes.
import type { Core, NodeSingular } from 'cytoscape';
import type cytoscape from 'cytoscape';
import { boxTitleSize, labelState, NODE_FONT, sideFootprint, textWidth } from './labels';
import type { Footprint, Position } from './layouts';
import { separate, type Rect, type Unit } from './placement';

/** A node's room with its label beside it, at the label size the layout plans for (labels.ts layoutScale). */
export function footprintOf(n: NodeSingular): Footprint {
  const s = labelState(n.cy()).layoutScale;
  if (n.hasClass('group')) {
    const t = titleSize(String(n.data('label') ?? ''), s);
    return { id: n.id(), w: t.w, h: t.h, ax: t.w / 2 };
  }
  if (n.hasClass('aggregate')) {
    const w = textWidth(String(n.data('label') ?? ''), NODE_FONT, true) * s + 24;
    return { id: n.id(), w, h: Math.max(26, NODE_FONT * s + 14), ax: w / 2 };
  }
  return sideFootprint(n.id(), String(n.data('label') ?? ''), bodySize(n), n.data('category') === 'admin', s);
}

/** The drawn shape's side (stylesheet sizes): the origin of an analysis is drawn largest. */
export function bodySize(n: NodeSingular): number {
  return n.hasClass('origin') ? 40 : n.data('category') === 'admin' ? 34 : n.data('category') === 'credential' ? 22 : 26;
}

export function rectOf(f: Footprint, at: Position): Rect {
  return { x1: at.x - f.ax, y1: at.y - f.h / 2, x2: at.x - f.ax + f.w, y2: at.y + f.h / 2 };
}

/** A box's title lines measured at `scale` times the base font (drawn above the box, or inside an empty one). */
export function titleSize(label: string, scale = 1): { w: number; h: number } {
  return boxTitleSize(label, scale);
}

/** Every node but the boundary boxes. */
export function drawnNodes(cy: Core): cytoscape.NodeCollection {
  return cy.nodes().filter((n) => !n.hasClass('group')) as unknown as cytoscape.NodeCollection;
}

/**
 * A box's extent from its members' footprints, its padding and its title above — computed here rather than read
 * from Cytoscape, whose compound bounds lag behind positions set in the same batch.
 */
export function boxRect(g: NodeSingular): Rect;
export function boxRect(g: NodeSingular, skip: ReadonlySet<string>): Rect | null;
export function boxRect(g: NodeSingular, skip?: ReadonlySet<string>): Rect | null {
  const pad = 24;
  let r: Rect | null = null;
  g.descendants().forEach((m) => {
    if (m.isParent() || skip?.has(m.id())) return;
    const f = rectOfNode(m as NodeSingular);
    r = r ? { x1: Math.min(r.x1, f.x1), y1: Math.min(r.y1, f.y1), x2: Math.max(r.x2, f.x2), y2: Math.max(r.y2, f.y2) } : f;
  });
  if (!r && skip) return null;
  const inner: Rect = r ?? rectOfNode(g);
  const title = titleSize(String(g.data('label') ?? ''), labelState(g.cy()).layoutScale);
  const cx = (inner.x1 + inner.x2) / 2;
  return { x1: Math.min(inner.x1 - pad, cx - title.w / 2), y1: inner.y1 - pad - title.h, x2: Math.max(inner.x2 + pad, cx + title.w / 2), y2: inner.y2 + pad };
}

export function rectOfNode(n: NodeSingular): Rect {
  const f = footprintOf(n);
  return rectOf(f, n.position());
}

/** Pulls apart what overlaps at the top level: boxes (with their members) and nodes outside any box. */
export function separateTopLevel(cy: Core, fixed: Set<string>, scale = labelState(cy).layoutScale): void {
  const units: Unit[] = [];
  const members = new Map<string, cytoscape.NodeCollection>();
  cy.nodes()
    .orphans()
    .forEach((n) => {
      const inner = n.isParent() ? (n.descendants().filter((m) => !m.hasClass('group')) as unknown as cytoscape.NodeCollection) : n.union(n);
      const bb = n.isParent() ? boxRect(n) : rectOfNode(n);
      members.set(n.id(), inner);
      units.push({ id: n.id(), rect: { x1: bb.x1, y1: bb.y1, x2: bb.x2, y2: bb.y2 }, fixed: inner.toArray().some((m) => fixed.has(m.id())) });
    });
  applyShifts(cy, separate(units, 30 * scale), members);
}

/** Pulls apart the members of one box (or the top level) that a grid of `fixed` nodes now covers. */
export function separateWithin(cy: Core, parent: string | undefined, fixed: Set<string>): void {
  const siblings = parent ? cy.getElementById(parent).children() : cy.nodes().orphans();
  const units: Unit[] = [];
  const members = new Map<string, cytoscape.NodeCollection>();
  let grid: Rect | null = null;
  siblings.forEach((n) => {
    if (fixed.has(n.id())) {
      const r = rectOfNode(n);
      grid = grid ? { x1: Math.min(grid.x1, r.x1), y1: Math.min(grid.y1, r.y1), x2: Math.max(grid.x2, r.x2), y2: Math.max(grid.y2, r.y2) } : r;
      return;
    }
    const bb = n.isParent() ? boxRect(n) : rectOfNode(n);
    members.set(n.id(), n.isParent() ? (n.descendants().filter((m) => !m.hasClass('group')) as unknown as cytoscape.NodeCollection) : n.union(n));
    units.push({ id: n.id(), rect: { x1: bb.x1, y1: bb.y1, x2: bb.x2, y2: bb.y2 } });
  });
  if (!grid) return;
  units.push({ id: '\u0000grid', rect: grid, fixed: true });
  applyShifts(cy, separate(units, 24), members);
}

/** Moves each unit's members by its shift. */
export function applyShifts(cy: Core, shifts: Map<string, Position>, members: Map<string, cytoscape.NodeCollection>): void {
  if (!shifts.size) return;
  cy.batch(() => {
    for (const [id, d] of shifts) {
      members.get(id)?.forEach((m) => {
        const p = m.position();
        m.position({ x: p.x + d.x, y: p.y + d.y });
      });
    }
  });
}
