import type { StylesheetJson } from 'cytoscape';
import type { Theme } from '../store/ui-slice';
import { compareStyles } from './compare-style';
import { ADMIN_COLOR, CATEGORY_SHAPES, COMPROMISED_COLOR, CONDITIONAL_COLOR, HIGH_VALUE_COLOR, PATH_COLOR, PROVIDER_COLORS, THEME_COLORS } from './palette';

/** The Cytoscape stylesheet: shape by category, colour by provider, marks as rings, paths in one accent. */
export function stylesheet(theme: Theme): StylesheetJson {
  const c = THEME_COLORS[theme];
  const sheet: StylesheetJson = [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'font-size': 11,
        'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
        color: c.text,
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': 4,
        'text-wrap': 'ellipsis',
        'text-max-width': '180px',
        'text-outline-color': c.textOutline,
        'text-outline-width': 2,
        'min-zoomed-font-size': 7,
        width: 26,
        height: 26,
        'background-color': PROVIDER_COLORS['generic']!,
        'border-width': 1.5,
        'border-color': c.background,
      },
    },
  ];
  for (const [provider, color] of Object.entries(PROVIDER_COLORS)) sheet.push({ selector: `node[provider = "${provider}"]`, style: { 'background-color': color } });
  for (const [category, shape] of Object.entries(CATEGORY_SHAPES)) sheet.push({ selector: `node[category = "${category}"]`, style: { shape: shape as 'ellipse' } });
  sheet.push(
    { selector: 'node[category = "credential"]', style: { width: 22, height: 22 } },
    // Admin names differ only at the end ("Admin of AWS account 1111…" / "…2222"): wrap them rather than cut them.
    { selector: 'node[category = "admin"]', style: { 'background-color': ADMIN_COLOR, width: 36, height: 36, 'font-weight': 'bold', 'text-wrap': 'wrap', 'text-max-width': '150px' } },
    { selector: 'node[category = "boundary"]', style: { width: 30, height: 30 } },
    { selector: 'node.stub', style: { 'background-opacity': 0.45, 'border-style': 'dashed', 'border-color': c.edge, 'border-width': 1.5 } },
    {
      selector: 'node.aggregate',
      style: { shape: 'round-rectangle', width: 'label', height: 24, padding: '8px', 'text-valign': 'center', 'text-margin-y': 0, color: '#ffffff', 'text-outline-width': 0, 'font-weight': 'bold', 'border-width': 2, 'border-style': 'double', 'border-color': c.text },
    },
    {
      selector: 'node.group',
      style: {
        shape: 'round-rectangle',
        'background-color': c.groupFill,
        'background-opacity': 0.6,
        'border-color': c.groupBorder,
        'border-width': 1,
        'border-style': 'solid',
        label: 'data(label)',
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': -4,
        color: c.groupText,
        'font-size': 12,
        'font-weight': 'bold',
        'text-outline-width': 0,
        padding: '18px',
      },
    },
    { selector: 'node.high-value', style: { 'border-width': 4, 'border-color': HIGH_VALUE_COLOR, 'border-style': 'solid' } },
    { selector: 'node.compromised', style: { 'border-width': 4, 'border-color': COMPROMISED_COLOR, 'border-style': 'double' } },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        'line-color': c.edge,
        'target-arrow-color': c.edge,
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.9,
        'curve-style': 'bezier',
        'font-size': 9,
        color: c.text,
        'text-outline-color': c.textOutline,
        'text-outline-width': 2,
        'text-rotation': 'autorotate',
        'min-zoomed-font-size': 8,
      },
    },
    { selector: 'edge.not-traversable', style: { 'line-style': 'dashed', 'line-dash-pattern': [6, 4], opacity: 0.7 } },
    { selector: 'edge.conditional', style: { 'line-style': 'dotted', 'line-color': CONDITIONAL_COLOR, 'target-arrow-color': CONDITIONAL_COLOR } },
    { selector: 'edge.observed', style: { width: 2.5, 'line-color': '#0891b2', 'target-arrow-color': '#0891b2' } },
    { selector: 'edge.reach', style: { 'line-color': c.edgeMuted, 'target-arrow-color': c.edgeMuted, width: 1 } },
    { selector: 'edge.aggregate', style: { width: 'mapData(count, 1, 100, 2, 8)' as unknown as number, label: 'data(label)' } },
    { selector: 'edge.show-label, edge:selected', style: { label: 'data(label)' } },
    { selector: 'node:selected', style: { 'overlay-color': c.selection, 'overlay-opacity': 0.18, 'overlay-padding': 6, 'border-color': c.selection, 'border-width': 3 } },
    { selector: 'edge:selected', style: { 'line-color': c.selection, 'target-arrow-color': c.selection, width: 3 } },
    { selector: '.faded', style: { opacity: 0.18 } },
    { selector: 'node.group.faded', style: { opacity: 0.35 } },
    { selector: 'node.on-path', style: { 'border-color': PATH_COLOR, 'border-width': 4, opacity: 1 } },
    { selector: 'edge.on-path', style: { 'line-color': PATH_COLOR, 'target-arrow-color': PATH_COLOR, width: 4, label: 'data(label)', opacity: 1, 'z-index': 10 } },
    // A top-down path has short vertical edges: a label turned along one would run into the nodes; keep it level.
    { selector: 'edge.flow-tb', style: { 'text-rotation': 'none' } },
    { selector: 'node.origin', style: { width: 40, height: 40, 'border-color': COMPROMISED_COLOR, 'border-width': 5, 'font-weight': 'bold' } },
  );
  sheet.push(...compareStyles(theme));
  return sheet;
}
