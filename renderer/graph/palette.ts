// Colours and shapes shared by the canvas stylesheet and the legend, so the legend always tells the truth.
import type { Theme } from '../store/ui-slice';

/** Fill per provider: recognisable brand-like hues, separated enough for colour-blind readers with the shapes. */
export const PROVIDER_COLORS: Record<string, string> = {
  aws: '#f29100',
  k8s: '#326ce5',
  gcp: '#1e8e3e',
  azure: '#0ea5b7',
  vault: '#b8860b',
  github: '#7c3aed',
  generic: '#64748b',
  opengraph: '#0f766e',
};

/** Shape per category: what a node is can be told apart without colour. */
export const CATEGORY_SHAPES: Record<string, string> = {
  identity: 'ellipse',
  credential: 'diamond',
  resource: 'round-rectangle',
  group: 'hexagon',
  boundary: 'octagon',
  admin: 'star',
  evidence: 'triangle',
};

export const ADMIN_COLOR = '#dc2626';
export const COMPROMISED_COLOR = '#dc2626';
export const HIGH_VALUE_COLOR = '#eab308';
export const PATH_COLOR = '#db2777';
export const CONDITIONAL_COLOR = '#d97706';
/** Activity-log (CloudTrail) edges: what was seen happening. */
export const OBSERVED_COLOR = '#0891b2';
/** A containment cut marked done. */
export const CUT_COLOR = '#64748b';

export interface ThemeColors {
  background: string;
  text: string;
  textOutline: string;
  edge: string;
  edgeMuted: string;
  groupFill: string;
  groupBorder: string;
  groupText: string;
  selection: string;
}

export const THEME_COLORS: Record<Theme, ThemeColors> = {
  light: { background: '#f8fafc', text: '#0f172a', textOutline: '#f8fafc', edge: '#94a3b8', edgeMuted: '#cbd5e1', groupFill: '#e2e8f0', groupBorder: '#94a3b8', groupText: '#334155', selection: '#2563eb' },
  dark: { background: '#0b1220', text: '#e2e8f0', textOutline: '#0b1220', edge: '#64748b', edgeMuted: '#334155', groupFill: '#111c2e', groupBorder: '#475569', groupText: '#cbd5e1', selection: '#60a5fa' },
};

export function providerColor(provider: string): string {
  return PROVIDER_COLORS[provider] ?? PROVIDER_COLORS['generic']!;
}
