// The compare view's Cytoscape classes: added green, removed red (dashed, as what is no longer there), changed amber;
// the entry picked in the side list stands out and the rest dims. Kept apart from the main stylesheet, which appends
// these last so they win over provider colours and marks. Label sizes stay the main stylesheet's (readable at every
// zoom, hidden below the minimum).
import type { StylesheetJson } from 'cytoscape';
import type { Theme } from '../store/ui-slice';

export const DIFF_COLORS = { added: '#16a34a', removed: '#dc2626', changed: '#d97706' } as const;

export function compareStyles(theme: Theme): StylesheetJson {
  const halo = theme === 'dark' ? 0.35 : 0.22;
  return [
    { selector: 'node.diff-added', style: { 'border-width': 4, 'border-color': DIFF_COLORS.added, 'border-style': 'solid', 'underlay-color': DIFF_COLORS.added, 'underlay-opacity': halo, 'underlay-padding': 5 } },
    { selector: 'node.diff-removed', style: { 'border-width': 4, 'border-color': DIFF_COLORS.removed, 'border-style': 'dashed', 'background-opacity': 0.55, 'underlay-color': DIFF_COLORS.removed, 'underlay-opacity': halo, 'underlay-padding': 5 } },
    { selector: 'node.diff-changed', style: { 'border-width': 4, 'border-color': DIFF_COLORS.changed, 'border-style': 'solid' } },
    { selector: 'edge.diff-added', style: { width: 3, 'line-color': DIFF_COLORS.added, 'target-arrow-color': DIFF_COLORS.added, 'line-style': 'solid', label: 'data(label)', 'z-index': 5 } },
    { selector: 'edge.diff-removed', style: { width: 3, 'line-color': DIFF_COLORS.removed, 'target-arrow-color': DIFF_COLORS.removed, 'line-style': 'dashed', 'line-dash-pattern': [8, 4], label: 'data(label)', 'z-index': 5 } },
    { selector: 'edge.diff-changed', style: { width: 3, 'line-color': DIFF_COLORS.changed, 'target-arrow-color': DIFF_COLORS.changed, label: 'data(label)', 'z-index': 5 } },
    { selector: 'edge.diff-added, edge.diff-removed, edge.diff-changed', style: { 'font-weight': 'bold' } },
    { selector: '.diff-dim', style: { opacity: 0.15 } },
    { selector: 'node.group.diff-dim', style: { opacity: 0.35 } },
    { selector: 'node.diff-focus', style: { opacity: 1, 'font-weight': 'bold' } },
    { selector: 'edge.diff-focus', style: { opacity: 1, width: 4, label: 'data(label)', 'z-index': 10 } },
  ];
}
