// What the legend says, as data: one list read by the legend over the canvas and by the exports, so both tell the
// truth about the same styles. A symbol is a node shape or a line, drawn as SVG (export) or as a small inline SVG.
import type { Core } from 'cytoscape';
import { NODE_CATEGORIES } from '../contract';
import type { Theme } from '../store/ui-slice';
import { ADMIN_COLOR, CATEGORY_SHAPES, COMPROMISED_COLOR, CONDITIONAL_COLOR, CUT_COLOR, HIGH_VALUE_COLOR, OBSERVED_COLOR, PATH_COLOR, PROVIDER_COLORS, THEME_COLORS } from './palette';

export type Symbol =
  | { type: 'node'; shape: string; fill: string; border?: { color: string; width: number; double?: boolean } }
  | { type: 'line'; color: string; width: number; dash?: string; tee?: boolean };

export interface LegendEntry {
  id: string;
  label: string;
  group: 'shape' | 'provider' | 'edge' | 'mark';
  sym: Symbol;
  /** The symbol as SVG, centred on (x, y), about 16 × 12. */
  symbol(x: number, y: number): string;
}

export const CATEGORY_TITLES: Record<string, string> = {
  identity: 'Identity',
  credential: 'Credential',
  resource: 'Resource',
  group: 'Group',
  boundary: 'Boundary (the box)',
  admin: 'Admin of a boundary',
  evidence: 'Leak / evidence',
};

/** Unit polygons (x, y in −1…1) of the node shapes Cytoscape draws. */
export const POLY: Record<string, number[]> = {
  diamond: [0, -1, 1, 0, 0, 1, -1, 0],
  hexagon: [-1, 0, -0.5, -0.85, 0.5, -0.85, 1, 0, 0.5, 0.85, -0.5, 0.85],
  octagon: [-0.41, -1, 0.41, -1, 1, -0.41, 1, 0.41, 0.41, 1, -0.41, 1, -1, 0.41, -1, -0.41],
  triangle: [0, -1, 1, 1, -1, 1],
  star: Array.from({ length: 20 }, (_, k) => {
    const i = Math.floor(k / 2);
    const r = i % 2 === 0 ? 1 : 0.4;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    return k % 2 === 0 ? r * Math.cos(a) : r * Math.sin(a);
  }),
};

/** One shape as SVG markup of our own constants (never case text). */
export function symbolSvg(sym: Symbol, x: number, y: number): string {
  if (sym.type === 'line') {
    const dash = sym.dash ? ` stroke-dasharray="${sym.dash}"` : '';
    const tee = sym.tee ? `<line x1="${x}" y1="${y - 5}" x2="${x}" y2="${y + 5}" stroke="${sym.color}" stroke-width="2.5"/>` : '';
    return `<line x1="${x - 10}" y1="${y}" x2="${x + 10}" y2="${y}" stroke="${sym.color}" stroke-width="${sym.width}"${dash} stroke-linecap="round"/>${tee}`;
  }
  const r = 6;
  const stroke = sym.border ? ` stroke="${sym.border.color}" stroke-width="${sym.border.double ? 1.2 : sym.border.width}"` : '';
  let shape: string;
  if (sym.shape === 'ellipse') shape = `<circle cx="${x}" cy="${y}" r="${r}" fill="${sym.fill}"${stroke}/>`;
  else if (sym.shape === 'round-rectangle') shape = `<rect x="${x - r}" y="${y - r}" width="${2 * r}" height="${2 * r}" rx="3" fill="${sym.fill}"${stroke}/>`;
  else {
    const p = POLY[sym.shape] ?? POLY['octagon']!;
    const pts: string[] = [];
    for (let i = 0; i < p.length; i += 2) pts.push(`${(x + p[i]! * r).toFixed(1)},${(y + p[i + 1]! * r).toFixed(1)}`);
    shape = `<polygon points="${pts.join(' ')}" fill="${sym.fill}"${stroke}/>`;
  }
  const outer = sym.border?.double ? `<circle cx="${x}" cy="${y}" r="${r + 2.6}" fill="none" stroke="${sym.border.color}" stroke-width="1.2"/>` : '';
  return shape + outer;
}

function entry(id: string, label: string, group: LegendEntry['group'], sym: Symbol): LegendEntry {
  return { id, label, group, sym, symbol: (x, y) => symbolSvg(sym, x, y) };
}

/** What is drawn: categories, providers, edge styles and marks present (everything when `cy` is not given). */
export interface Presence {
  categories?: Set<string>;
  providers?: Set<string>;
  classes?: Set<string>;
}

export function presenceOf(cy: Core): Presence {
  const categories = new Set<string>();
  const providers = new Set<string>();
  const classes = new Set<string>();
  cy.nodes()
    .not('.group')
    .forEach((n) => {
      categories.add(String(n.data('category')));
      providers.add(String(n.data('provider')));
      for (const c of n.classes()) classes.add(`node.${c}`);
    });
  if (cy.nodes('.group').nonempty()) categories.add('boundary');
  cy.edges().forEach((e) => {
    classes.add('edge');
    for (const c of e.classes()) classes.add(`edge.${c}`);
  });
  return { categories, providers, classes };
}

export function legendEntries(cy: Core | undefined, theme: Theme, only?: Presence): LegendEntry[] {
  const c = THEME_COLORS[theme];
  const p = only ?? (cy ? presenceOf(cy) : {});
  const has = (set: Set<string> | undefined, v: string) => !set || set.has(v);
  const out: LegendEntry[] = [];
  for (const cat of Object.keys(NODE_CATEGORIES)) {
    if (!has(p.categories, cat)) continue;
    out.push(entry(`cat-${cat}`, CATEGORY_TITLES[cat] ?? cat, 'shape', { type: 'node', shape: CATEGORY_SHAPES[cat] ?? 'ellipse', fill: cat === 'admin' ? ADMIN_COLOR : cat === 'boundary' ? c.groupFill : c.edge, ...(cat === 'boundary' ? { border: { color: c.groupBorder, width: 1 } } : {}) }));
  }
  for (const [provider, color] of Object.entries(PROVIDER_COLORS)) if (p.providers ? p.providers.has(provider) : provider !== 'generic') out.push(entry(`prov-${provider}`, provider, 'provider', { type: 'node', shape: 'round-rectangle', fill: color }));
  const edgeRows: [string, string, Symbol][] = [
    ['edge', 'grants access', { type: 'line', color: c.edge, width: 2 }],
    ['edge.not-traversable', 'statement only', { type: 'line', color: c.edge, width: 2, dash: '6 4' }],
    ['edge.conditional', 'conditional (not decidable offline)', { type: 'line', color: CONDITIONAL_COLOR, width: 2.5, dash: '1 4' }],
    ['edge.observed', 'observed in activity logs', { type: 'line', color: OBSERVED_COLOR, width: 3 }],
    ['edge.on-path', 'on the path', { type: 'line', color: PATH_COLOR, width: 3.5 }],
    ['edge.trust', 'trust between boundaries', { type: 'line', color: c.groupText, width: 3 }],
    ['edge.cut-done', 'containment cut done', { type: 'line', color: CUT_COLOR, width: 2, dash: '3 3', tee: true }],
  ];
  for (const [cls, label, sym] of edgeRows) if (has(p.classes, cls)) out.push(entry(cls, label, 'edge', sym));
  const markRows: [string, string, Symbol][] = [
    ['node.compromised', 'compromised', { type: 'node', shape: 'ellipse', fill: 'none', border: { color: COMPROMISED_COLOR, width: 2, double: true } }],
    ['node.high-value', 'high value', { type: 'node', shape: 'ellipse', fill: 'none', border: { color: HIGH_VALUE_COLOR, width: 2.5 } }],
    ['node.origin', 'origin of the analysis', { type: 'node', shape: 'ellipse', fill: c.edge, border: { color: COMPROMISED_COLOR, width: 3 } }],
    ['node.stub', 'referenced only (no source describes it)', { type: 'node', shape: 'ellipse', fill: c.edgeMuted, border: { color: c.edge, width: 1.5 } }],
  ];
  for (const [cls, label, sym] of markRows) if (has(p.classes, cls)) out.push(entry(cls, label, 'mark', sym));
  return out;
}
