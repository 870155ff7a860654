import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import dagre from 'cytoscape-dagre';
import fcose from 'cytoscape-fcose';
import svg from 'cytoscape-svg';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { plural } from '../format';
import { useApp, useAppStore } from '../store';
import { visibleGraph, type VisEdge, type VisNode } from './aggregate';
import { useCompareClasses } from './compare-classes';
import { exportPng, exportSvg } from './export';
import type { LayoutName } from '../store/ui-slice';
import { fitClearOf, flowConstraints, flowDirection, flowShape, FORCE_LAYOUT_LIMIT, layoutOptions, READABLE_ZOOM, ringPositions, type FlowPlan } from './layouts';
import { THEME_COLORS } from './palette';
import { stylesheet } from './stylesheet';

cytoscape.use(fcose);
cytoscape.use(dagre);
cytoscape.use(svg);

const MAX_FIT_ZOOM = 1.4;

/** Scratch key: the last dagre layout ran top-down, so edges keep their labels level (class flow-tb). */
const FLOW_TB = 'blastmap.flowTb';

function runLayout(cy: Core, name: LayoutName): void {
  const count = cy.elements().length;
  const nodes = cy.nodes().not('.group').map((n) => n.id());
  const edges = cy.edges().map((e) => ({ source: e.data('source') as string, target: e.data('target') as string }));
  const positions = count > FORCE_LAYOUT_LIMIT ? ringPositions(nodes, edges) : undefined;
  const flow = name === 'dagre' ? pathFlow(cy, count, nodes, edges) : { direction: 'LR' as const };
  cy.scratch(FLOW_TB, flow.direction === 'TB');
  cy.edges().toggleClass('flow-tb', flow.direction === 'TB');
  cy.layout(layoutOptions(name, count, true, positions, flow)).run();
}

/** How a path view flows (see FlowPlan). */
function pathFlow(cy: Core, count: number, nodes: string[], edges: { source: string; target: string }[]): FlowPlan {
  if (cy.nodes('.group').length <= 1) return { direction: flowDirection(flowShape(nodes, edges), cy.width(), cy.height()) };
  // dagre places nodes without regard to their boxes, which then overlap: across several boundaries fcose lays the
  // path out, held left to right — up to the size where force layouts hold the UI thread too long.
  if (count > FORCE_LAYOUT_LIMIT) return { direction: 'LR' };
  return { direction: 'LR', constraints: flowConstraints(nodes, edges) };
}

/** The viewport showing the whole graph where the legend (floating over the stage's bottom-left) does not cover it. */
function graphFit(cy: Core, canvas: HTMLElement | null): { zoom: number; pan: { x: number; y: number } } {
  const legend = canvas?.closest('.stage')?.querySelector<HTMLElement>('[data-testid="legend"]');
  const overlay = legend ? { width: legend.offsetWidth + 20, height: legend.offsetHeight + 20 } : { width: 0, height: 0 };
  const { zoom, pan } = fitClearOf(cy.elements().boundingBox(), cy.width(), cy.height(), overlay, 30, MAX_FIT_ZOOM);
  return { zoom: Math.max(cy.minZoom(), zoom), pan };
}

function fitGraph(cy: Core, canvas: HTMLElement | null): void {
  if (cy.elements().nonempty()) cy.viewport(graphFit(cy, canvas));
}

function nodeClasses(n: VisNode): string[] {
  const out: string[] = [];
  if (n.isGroup) out.push('group');
  if (n.count !== undefined) out.push('aggregate');
  if (n.stub) out.push('stub');
  for (const m of n.marks) out.push(m);
  return out;
}

function edgeClasses(e: VisEdge, flowTb: boolean): string[] {
  const out: string[] = flowTb ? ['flow-tb'] : [];
  if (!e.traversable) out.push('not-traversable');
  if (e.conditional) out.push('conditional');
  if (e.observed) out.push('observed');
  if (e.kind === 'REACHES') out.push('reach');
  if (e.count > 1) out.push('aggregate');
  return out;
}

/**
 * The Cytoscape canvas. `cy` lives in a ref; every store change is patched into it in one cy.batch (no rebuilds),
 * and user gestures go back to the store as ids.
 */
export function GraphCanvas() {
  const store = useAppStore();
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const lastSeq = useRef(-1);
  const lastLayout = useRef<LayoutName | null>(null);
  const lastCommand = useRef(0);
  const layoutsRunning = useRef(0);
  const [stats, setStats] = useState({ nodes: 0, edges: 0, highlighted: 0 });

  const { nodes, edges, filters, openGroups, renderAll, graphSeq, theme, layout, selectedId, selectedEdge, mode, blast, highlightedPath, paths, command } = useApp(
    useShallow((s) => ({
      nodes: s.nodes,
      edges: s.edges,
      filters: s.filters,
      openGroups: s.openGroups,
      renderAll: s.renderAll,
      graphSeq: s.graphSeq,
      theme: s.theme,
      layout: s.layout,
      selectedId: s.selectedId,
      selectedEdge: s.selectedEdge,
      mode: s.mode,
      blast: s.blast,
      highlightedPath: s.highlightedPath,
      paths: s.paths,
      command: s.command,
    })),
  );

  const highlighted = useMemo(() => store.getState().highlightedElements(), [store, mode, paths, highlightedPath]);
  const pinned = useMemo(() => {
    const p = new Set(store.getState().pinnedIds());
    if (selectedId) p.add(selectedId);
    return p;
  }, [store, mode, blast, highlighted, selectedId]);
  const visible = useMemo(() => visibleGraph({ nodes, edges, filters, pinned, openGroups, renderAll }), [nodes, edges, filters, pinned, openGroups, renderAll]);

  // Create once.
  useEffect(() => {
    const cy = cytoscape({
      container: container.current,
      style: stylesheet(store.getState().theme),
      minZoom: 0.01,
      maxZoom: 4,
      wheelSensitivity: 0.3,
      boxSelectionEnabled: false,
      textureOnViewport: false,
      hideEdgesOnViewport: false,
    });
    cyRef.current = cy;
    cy.on('tap', 'node', (ev) => {
      const n = ev.target;
      const s = store.getState();
      if (n.hasClass('group')) return;
      if (n.hasClass('aggregate')) {
        s.openGroup(String(n.data('group')));
        return;
      }
      void s.select(n.id());
    });
    cy.on('dbltap', 'node', (ev) => {
      const n = ev.target;
      if (n.hasClass('group') || n.hasClass('aggregate')) return;
      void store.getState().expand(n.id());
    });
    cy.on('tap', 'edge', (ev) => store.getState().selectEdge(ev.target.id()));
    cy.on('tap', (ev) => {
      if (ev.target === cy) void store.getState().select(null);
    });
    cy.on('layoutstart', () => {
      layoutsRunning.current++;
    });
    // Layouts fit the whole canvas; refit clear of the legend (and never to poster size).
    cy.on('layoutstop', () => {
      layoutsRunning.current = Math.max(0, layoutsRunning.current - 1);
      fitGraph(cy, container.current);
    });
    // The stage changes size with the mode (the findings table is wider); Cytoscape must be told.
    const resize = new ResizeObserver(() => cy.resize());
    if (container.current) resize.observe(container.current);
    cy.on('mouseover', 'edge', (ev) => ev.target.addClass('show-label'));
    cy.on('mouseout', 'edge', (ev) => ev.target.removeClass('show-label'));
    return () => {
      resize.disconnect();
      cy.destroy();
      cyRef.current = null;
    };
  }, [store]);

  useEffect(() => {
    cyRef.current?.style(stylesheet(theme));
  }, [theme]);

  // Patch elements.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const wantNodes = new Map(visible.nodes.map((n) => [n.id, n]));
    const wantEdges = new Map(visible.edges.map((e) => [e.id, e]));
    let added = 0;
    cy.batch(() => {
      cy.edges().forEach((e) => {
        if (!wantEdges.has(e.id())) e.remove();
      });
      cy.nodes().forEach((n) => {
        if (!wantNodes.has(n.id())) n.remove();
      });
      const toAdd: ElementDefinition[] = [];
      // Groups first: a child needs its parent to exist.
      const ordered = [...visible.nodes].sort((a, b) => Number(Boolean(b.isGroup)) - Number(Boolean(a.isGroup)));
      for (const n of ordered) {
        const existing = cy.getElementById(n.id);
        const data = { id: n.id, label: n.label, kind: n.kind, category: n.category, provider: n.provider, group: n.group ?? null, count: n.count ?? null, parent: n.parent ?? null };
        if (existing.nonempty()) {
          existing.data({ label: n.label, count: data.count });
          existing.classes(nodeClasses(n));
          if ((existing.data('parent') ?? null) !== data.parent && (!data.parent || cy.getElementById(data.parent).nonempty())) existing.move({ parent: data.parent });
        } else {
          const { parent, ...rest } = data;
          toAdd.push({ group: 'nodes', data: parent ? { ...rest, parent } : rest, classes: nodeClasses(n) });
        }
      }
      const flowTb = cy.scratch(FLOW_TB) === true;
      for (const e of visible.edges) {
        const existing = cy.getElementById(e.id);
        if (existing.nonempty()) {
          existing.data({ label: e.label, count: e.count });
          existing.classes(edgeClasses(e, flowTb));
        } else toAdd.push({ group: 'edges', data: { id: e.id, source: e.source, target: e.target, label: e.label, kind: e.kind, count: e.count }, classes: edgeClasses(e, flowTb) });
      }
      // Nodes before edges, groups before children.
      for (const def of toAdd) {
        if (def.group === 'nodes' && def.data.parent && cy.getElementById(def.data.parent).empty()) delete def.data.parent;
        cy.add(def);
      }
      added = toAdd.length;
    });
    // New elements, or a switch of layout (paths mode asks for a flow layout of what is already drawn).
    const layoutChanged = lastLayout.current !== layout;
    lastLayout.current = layout;
    if (added > 0 || lastSeq.current !== graphSeq || layoutChanged) {
      lastSeq.current = graphSeq;
      if (added > 0 || (layoutChanged && cy.nodes().nonempty())) runLayout(cy, layout);
    }
    setStats((s) => ({ ...s, nodes: cy.nodes().not('.group').length, edges: cy.edges().length }));
  }, [visible, graphSeq, layout]);

  // Selection, path highlight and blast origin as classes.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.batch(() => {
      cy.elements().removeClass('on-path faded origin');
      cy.$(':selected').unselect();
      if (selectedId) cy.getElementById(selectedId).select();
      if (selectedEdge) cy.getElementById(selectedEdge).select();
      if (mode === 'blast' && blast) cy.getElementById(blast.origin.id).addClass('origin');
      if (highlighted.nodes.size) {
        cy.elements().not('.group').addClass('faded');
        for (const id of highlighted.nodes) cy.getElementById(id).removeClass('faded').addClass('on-path');
        for (const id of highlighted.edges) cy.getElementById(id).removeClass('faded').addClass('on-path');
      }
    });
    setStats((s) => ({ ...s, highlighted: cy.edges('.on-path').length }));
  }, [visible, selectedId, selectedEdge, mode, blast, highlighted]);

  useCompareClasses(cyRef, visible);

  // Commands from the toolbar, menus and shortcuts.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !command || command.seq === lastCommand.current) return;
    lastCommand.current = command.seq;
    const bg = THEME_COLORS[store.getState().theme].background;
    switch (command.type) {
      case 'fit':
        fitGraph(cy, container.current);
        break;
      case 'zoom-in':
      case 'zoom-out': {
        const factor = command.type === 'zoom-in' ? 1.25 : 0.8;
        cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
        break;
      }
      case 'relayout':
        runLayout(cy, store.getState().layout);
        break;
      case 'center-selection': {
        const mode = store.getState().mode;
        // A focus usually adds neighbours, and their layout (and a stage resized by the mode change) would move
        // the node after an immediate centring: centre once no layout runs. A mode change since drops it (the new
        // view fits itself).
        const center = () => {
          const st = store.getState();
          if (st.mode !== mode) return;
          if (layoutsRunning.current > 0) {
            cy.one('layoutstop', () => requestAnimationFrame(center));
            return;
          }
          const n = st.selectedId ? cy.getElementById(st.selectedId) : cy.collection();
          if (n.empty()) return;
          // A graph that fits readably is shown whole (the node's neighbours included); a big one is centred on it.
          const whole = graphFit(cy, container.current);
          if (whole.zoom >= READABLE_ZOOM) cy.animate(whole, { duration: 250 });
          else cy.animate({ center: { eles: n }, zoom: Math.max(cy.zoom(), 1) }, { duration: 250 });
        };
        requestAnimationFrame(center);
        break;
      }
      case 'export-png':
        exportPng(cy, bg);
        break;
      case 'export-svg':
        exportSvg(cy, bg);
        break;
    }
  }, [command, store]);

  return (
    <div className="canvas-wrap">
      <div
        ref={container}
        className="canvas"
        data-testid="graph-canvas"
        data-rendered-nodes={stats.nodes}
        data-rendered-edges={stats.edges}
        data-highlighted-edges={stats.highlighted}
        aria-label="Graph"
      />
      {visible.aggregated && (
        <div className="canvas-banner" data-testid="aggregate-banner" role="status">
          {plural(visible.total, 'element')} is above the drawing budget, so nodes are grouped per boundary and kind. Click a group to open it.
          <button type="button" onClick={() => store.getState().setRenderAll(true)} data-testid="render-all">
            Draw all {visible.total.toLocaleString('en-US')} anyway
          </button>
        </div>
      )}
      {visible.nodes.length === 0 && (
        <div className="canvas-empty" data-testid="canvas-empty">
          Nothing on the canvas yet. Search for a key, an ARN, an email or a name (press <kbd>/</kbd>), or import exports.
        </div>
      )}
    </div>
  );
}
