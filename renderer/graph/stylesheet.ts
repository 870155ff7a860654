import type { SingularElementArgument, StylesheetJson } from 'cytoscape';
import type { Theme } from '../store/ui-slice';
import { compareStyles } from './compare-style';
import { ROUTE_WEIGHTS } from './edge-routes';
import { boxTitleSize, EDGE_FONT, labelState, MIN_ZOOMED_FONT, NODE_FONT, SIDE_LABEL_MAX, textWidth } from './labels';
import { ADMIN_COLOR, CATEGORY_SHAPES, COMPROMISED_COLOR, CONDITIONAL_COLOR, CUT_COLOR, HIGH_VALUE_COLOR, OBSERVED_COLOR, PATH_COLOR, PROVIDER_COLORS, THEME_COLORS } from './palette';

// Label sizes follow the zoom while labels are managed (labels.ts): these read the canvas's label state.
const nodeFont = (ele: SingularElementArgument) => NODE_FONT * labelState(ele.cy()).scale;
const groupFont = (ele: SingularElementArgument) => (NODE_FONT + 1) * labelState(ele.cy()).scale;
const edgeFont = (ele: SingularElementArgument) => EDGE_FONT * labelState(ele.cy()).scale;
// Count nodes and empty boxes are sized to their text, measured here (Cytoscape's width: label is deprecated and
// its cached visibility goes stale when labels resize).
// Their bodies keep the size the layout planned (layoutScale), so zooming never makes them run into their neighbours.
const aggregateWidth = (ele: SingularElementArgument) => textWidth(String(ele.data('label') ?? ''), NODE_FONT, true) * labelState(ele.cy()).layoutScale + 24;
const aggregateHeight = (ele: SingularElementArgument) => Math.max(26, NODE_FONT * labelState(ele.cy()).layoutScale + 14);
const cardWidth = (ele: SingularElementArgument) => boxTitleSize(String(ele.data('label') ?? ''), labelState(ele.cy()).layoutScale).w;
const cardHeight = (ele: SingularElementArgument) => boxTitleSize(String(ele.data('label') ?? ''), labelState(ele.cy()).layoutScale).h;
// Wrapping widths grow with the label size, so a label wraps the same way at every zoom.
const maxWidth = (px: number) => ((ele: SingularElementArgument) => `${Math.round(px * labelState(ele.cy()).scale)}px`) as unknown as string;
const minFont = (ele: SingularElementArgument) => (labelState(ele.cy()).managed ? 0 : MIN_ZOOMED_FONT);
// A box holds its members' labels; when they grow a lot to stay readable far zoomed out, the box stops growing with
// them (it would run into its neighbours).
const boxLabels = (ele: SingularElementArgument) => {
  const st = labelState(ele.cy());
  return st.scale > st.layoutScale * 1.2 ? 'exclude' : 'include';
};

/** The Cytoscape stylesheet: shape by category, colour by provider, marks as rings, paths in one accent. */
export function stylesheet(theme: Theme): StylesheetJson {
  const c = THEME_COLORS[theme];
  const sheet: StylesheetJson = [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'font-size': nodeFont as unknown as number,
        'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
        color: c.text,
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': 4,
        'text-wrap': 'ellipsis',
        'text-max-width': '180px',
        'text-outline-color': c.textOutline,
        'text-outline-width': 2,
        'min-zoomed-font-size': minFont as unknown as number,
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
    { selector: 'node[category = "admin"]', style: { 'background-color': ADMIN_COLOR, width: 34, height: 34, 'font-weight': 'bold', 'text-wrap': 'wrap', 'text-max-width': maxWidth(170) } },
    { selector: 'node.stub', style: { 'background-opacity': 0.45, 'border-style': 'dashed', 'border-color': c.edge, 'border-width': 1.5 } },
    // Grids and lanes put the label beside the node, where rows have room for it.
    { selector: 'node.side-label', style: { 'text-valign': 'center', 'text-halign': 'right', 'text-margin-x': 8, 'text-margin-y': 0, 'text-max-width': maxWidth(SIDE_LABEL_MAX) } },
    {
      selector: 'node.aggregate',
      style: { shape: 'round-rectangle' as 'roundrectangle', width: aggregateWidth as unknown as number, height: aggregateHeight as unknown as number, 'text-max-width': maxWidth(400), 'text-wrap': 'none', 'text-valign': 'center', 'text-halign': 'center', 'text-margin-x': 0, 'text-margin-y': 0, color: '#ffffff', 'text-outline-width': 0, 'font-weight': 'bold', 'border-width': 3, 'border-style': 'double', 'border-color': c.text },
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
        'font-size': groupFont as unknown as number,
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-x': 0,
        'text-margin-y': 0,
        'text-wrap': 'wrap',
        'text-max-width': maxWidth(420),
        'line-height': 1.3,
        color: c.groupText,
        'font-weight': 'bold',
        'text-outline-width': 0,
        'text-background-color': c.background,
        'text-background-opacity': 0.85,
        'text-background-padding': '3px',
        'text-background-shape': 'roundrectangle',
        padding: '24px',
        'compound-sizing-wrt-labels': boxLabels as unknown as 'include',
        'min-width': '140px',
        'min-height': '40px',
      },
    },
    // A title slid sideways to stay whole on the stage (labels.ts titleSlide).
    { selector: 'node.group[labelShiftX]', style: { 'text-margin-x': 'data(labelShiftX)' as unknown as number } },
    // A box with nothing drawn inside (the estate map): a card with its title in it.
    { selector: 'node.group.empty-box', style: { width: cardWidth as unknown as number, height: cardHeight as unknown as number, padding: '0px', 'text-valign': 'center', 'text-margin-x': 0, 'text-margin-y': 0, 'text-background-opacity': 0 } },
    { selector: 'node.group.compromised', style: { 'border-width': 4, 'border-color': COMPROMISED_COLOR, 'border-style': 'double' } },
    { selector: 'node.high-value', style: { 'border-width': 4, 'border-color': HIGH_VALUE_COLOR, 'border-style': 'solid' } },
    { selector: 'node.compromised', style: { 'border-width': 5, 'border-color': COMPROMISED_COLOR, 'border-style': 'double' } },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        'line-color': c.edge,
        'target-arrow-color': c.edge,
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.9,
        // Parallel edges between two nodes fan out, each its own curve to point at.
        'curve-style': 'bezier',
        'control-point-step-size': 36,
        'font-size': edgeFont as unknown as number,
        color: c.text,
        'text-rotation': 'none',
        'text-background-color': c.background,
        'text-background-opacity': 0.9,
        'text-background-padding': '2px',
        'text-background-shape': 'roundrectangle',
        'min-zoomed-font-size': minFont as unknown as number,
      },
    },
    { selector: 'edge.not-traversable', style: { 'line-style': 'dashed', 'line-dash-pattern': [6, 4], opacity: 0.7 } },
    { selector: 'edge.conditional', style: { 'line-style': 'dotted', 'line-dash-pattern': [2, 4], 'line-color': CONDITIONAL_COLOR, 'target-arrow-color': CONDITIONAL_COLOR } },
    { selector: 'edge.observed', style: { width: 2.5, 'line-color': OBSERVED_COLOR, 'target-arrow-color': OBSERVED_COLOR } },
    { selector: 'edge.reach', style: { 'line-color': c.edgeMuted, 'target-arrow-color': c.edgeMuted, width: 1 } },
    { selector: 'edge.aggregate', style: { width: 'mapData(count, 1, 100, 2, 8)' as unknown as number, label: 'data(label)' } },
    // Trust arrows end where they meet a box or its title (drawn above the box), so no arrow runs through a title.
    { selector: 'edge.trust', style: { width: 'mapData(count, 1, 50, 2.5, 8)' as unknown as number, label: 'data(label)', 'line-color': c.groupText, 'target-arrow-color': c.groupText, 'arrow-scale': 1.2, 'font-weight': 'bold', 'z-compound-depth': 'top', 'source-endpoint': 'outside-to-node-or-label', 'target-endpoint': 'outside-to-node-or-label', 'text-margin-x': 'data(labelShiftX)' as unknown as number, 'text-margin-y': 'data(labelShiftY)' as unknown as number } },
    // A box whose title is hidden (zoomed out, the title grown past its card): its arrows end at the box (labels.ts).
    { selector: 'edge.trust.from-body', style: { 'source-endpoint': 'outside-to-node' } },
    { selector: 'edge.trust.to-body', style: { 'target-endpoint': 'outside-to-node' } },
    { selector: 'edge.show-label, edge:selected, edge.zoom-label', style: { label: 'data(label)' } },
    // A blast radius in bands (reach-layers.ts): the edge each node is reached by drawn plainly, above the others,
    // which are faint and unlabelled until pointed at or picked.
    { selector: 'edge.reach-via', style: { 'z-index': 2 } },
    { selector: 'edge.faint', style: { opacity: 0.16, width: 1, label: '', 'arrow-scale': 0.6 } },
    { selector: 'edge.faint.show-label, edge.faint:selected', style: { opacity: 1, label: 'data(label)' } },
    { selector: 'node:selected', style: { 'overlay-color': c.selection, 'overlay-opacity': 0.18, 'overlay-padding': 6, 'border-color': c.selection, 'border-width': 3 } },
    { selector: 'edge:selected', style: { 'line-color': c.selection, 'target-arrow-color': c.selection, width: 3.5, 'z-index': 20 } },
    { selector: '.faded', style: { opacity: 0.18 } },
    { selector: 'node.group.faded', style: { opacity: 0.4 } },
    { selector: 'node.on-path', style: { 'border-color': PATH_COLOR, 'border-width': 4, opacity: 1 } },
    { selector: 'edge.on-path', style: { 'line-color': PATH_COLOR, 'target-arrow-color': PATH_COLOR, width: 4, label: 'data(label)', opacity: 1, 'z-index': 10 } },
    // The other edges a highlighted step could take: on the path, thinner.
    { selector: 'edge.on-path-alt', style: { 'line-color': PATH_COLOR, 'target-arrow-color': PATH_COLOR, width: 2, opacity: 0.75, 'z-index': 9 } },
    { selector: 'edge.on-path:selected', style: { 'line-color': c.selection, 'target-arrow-color': c.selection } },
    // A containment cut the responder has done: struck through.
    { selector: 'edge.cut-done', style: { 'line-color': CUT_COLOR, 'target-arrow-color': CUT_COLOR, 'line-style': 'dashed', 'line-dash-pattern': [3, 3], 'mid-target-arrow-shape': 'tee', 'mid-target-arrow-color': CUT_COLOR, 'arrow-scale': 1.4 } },
    { selector: 'node.origin', style: { width: 40, height: 40, 'border-color': COMPROMISED_COLOR, 'border-width': 5, 'font-weight': 'bold' } },
    { selector: '.label-hidden', style: { 'text-opacity': 0 } },
    // Thousands of edges: straight, arrowless lines (Cytoscape's fastest), the path still drawn on top.
    // An edge bent aside off the nodes between its ends (edge-routes.ts): its control points from the nodes' centres.
    { selector: 'edge.routed', style: { 'curve-style': 'unbundled-bezier', 'edge-distances': 'node-position', 'control-point-distances': ((e: SingularElementArgument) => `${Number(e.data('bend')) || 0} ${Number(e.data('bend')) || 0}`) as unknown as number[], 'control-point-weights': ROUTE_WEIGHTS.join(' ') as unknown as number[] } },
    { selector: 'edge.big', style: { 'curve-style': 'haystack', 'haystack-radius': 0, 'target-arrow-shape': 'none', width: 1 } },
    { selector: 'edge.big.on-path, edge.big:selected', style: { 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', width: 3 } },
  );
  sheet.push(...compareStyles(theme));
  return sheet;
}
