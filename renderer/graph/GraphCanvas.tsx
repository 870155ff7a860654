import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ContextMenu } from '../components/ContextMenu';
import { groupDigits, plural } from '../format';
import type { MenuTarget } from '../menu/actions';
import { useApp, useAppStore } from '../store';
import type { Core } from 'cytoscape';
import { cutKey } from '../store/analysis-slice';
import { edgeKey } from '../store/graph-slice';
import { visibleGraph } from './aggregate';
import { CanvasEngine, type MenuRequest } from './canvas-engine';
import { useCompareClasses } from './compare-classes';
import { exportView } from './export';
import { EmptyCase } from './EmptyCase';

/**
 * The Cytoscape canvas. The engine (canvas-engine.ts) owns `cy`; this component feeds it the store's graph, the
 * highlight and the commands, and draws what floats over the canvas (banners, the right-click menu).
 */
export function GraphCanvas() {
  const store = useAppStore();
  const container = useRef<HTMLDivElement>(null);
  const engine = useRef<CanvasEngine | null>(null);
  // The compare view's classes (compare-classes.ts) are put on the engine's cy.
  const cyRef = useRef<Core | null>(null);
  const lastCommand = useRef(0);
  const [menu, setMenu] = useState<MenuRequest | null>(null);
  // Bumped when a sync that waited for the force layout's code lands: the compare classes are put on again.
  const [lateSyncs, setLateSyncs] = useState(0);

  const { nodes, edges, filters, openGroups, renderAll, graphSeq, layoutIntent, theme, layout, selectedId, selectedEdge, mode, blast, highlightedPath, paths, command, estate, estateShown, containment, checks, caseInfo, drawn } = useApp(
    useShallow((s) => ({
      nodes: s.nodes,
      edges: s.edges,
      filters: s.filters,
      openGroups: s.openGroups,
      renderAll: s.renderAll,
      graphSeq: s.graphSeq,
      layoutIntent: s.layoutIntent,
      theme: s.theme,
      layout: s.layout,
      selectedId: s.selectedId,
      selectedEdge: s.selectedEdge,
      mode: s.mode,
      blast: s.blast,
      highlightedPath: s.highlightedPath,
      paths: s.paths,
      command: s.command,
      estate: s.estate,
      estateShown: s.estateShown,
      containment: s.containment,
      checks: s.containmentChecks,
      caseInfo: s.caseInfo,
      drawn: s.drawn,
    })),
  );

  const highlighted = useMemo(() => store.getState().highlightedElements(), [store, mode, paths, highlightedPath]);
  const pinned = useMemo(() => {
    const p = new Set(store.getState().pinnedIds());
    if (selectedId) p.add(selectedId);
    return p;
  }, [store, mode, blast, highlighted, selectedId]);
  const visible = useMemo(
    () => visibleGraph({ nodes, edges, filters, pinned, openGroups, renderAll, estate: estateShown ? estate : null }),
    [nodes, edges, filters, pinned, openGroups, renderAll, estate, estateShown],
  );
  const cutsDone = useMemo(() => new Set(containment?.cuts.filter((c) => checks[cutKey(c)]).flatMap((c) => [c.edge, ...(c.alsoRemoves ?? [])].map((e) => edgeKey(e.id))) ?? []), [containment, checks]);

  // Create once.
  useEffect(() => {
    if (!container.current) return;
    engine.current = new CanvasEngine(container.current, store, setMenu, () => setLateSyncs((n) => n + 1));
    cyRef.current = engine.current.cy;
    return () => {
      engine.current?.destroy();
      engine.current = null;
      cyRef.current = null;
    };
  }, [store]);

  useEffect(() => {
    engine.current?.setTheme(theme);
  }, [theme]);

  // Patch elements and place what changed.
  useEffect(() => {
    engine.current?.sync({ visible, graphSeq, intent: layoutIntent, layout, openGroups, estateShown });
  }, [visible, graphSeq, layoutIntent, layout, openGroups, estateShown]);

  // Selection, path highlight, blast origin and containment cuts as classes.
  useEffect(() => {
    engine.current?.highlight({ selectedId, selectedEdge, originId: mode === 'blast' && blast ? blast.origin.id : null, path: highlighted, cutsDone });
  }, [visible, selectedId, selectedEdge, mode, blast, highlighted, cutsDone]);

  const drawnKey = useMemo(() => ({ visible, lateSyncs }), [visible, lateSyncs]);
  useCompareClasses(cyRef, drawnKey);

  // Commands from the toolbar, menus and shortcuts.
  useEffect(() => {
    const e = engine.current;
    if (!e || !command || command.seq === lastCommand.current) return;
    lastCommand.current = command.seq;
    const cy = e.cy;
    switch (command.type) {
      case 'fit':
        e.view.fit();
        break;
      case 'fit-readable':
        e.view.wholeReadable();
        break;
      case 'zoom-in':
      case 'zoom-out': {
        const factor = command.type === 'zoom-in' ? 1.25 : 0.8;
        cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
        break;
      }
      case 'relayout':
        e.fullLayout({ layout: store.getState().layout, estateShown: store.getState().estateShown });
        e.remember();
        e.view.updateLabels();
        break;
      case 'center-selection':
        // After a pick the node's neighbours arrive and are placed first: fit once they are drawn.
        requestAnimationFrame(() => e.view.focusSelection());
        break;
      case 'export-png':
      case 'export-svg':
        void exportView(cy, command.type === 'export-png' ? 'png' : 'svg', store.getState());
        break;
    }
  }, [command, store]);

  const menuTarget: MenuTarget | null = menu ? { type: menu.type, id: menu.id, ...(menu.type === 'node' && nodes[menu.id] ? { node: nodes[menu.id] } : {}), ...(menu.type === 'edge' && edges[menu.id] ? { edge: edges[menu.id] } : {}) } : null;
  const empty = caseInfo !== null && caseInfo.counts.nodes === 0;
  return (
    <div className="canvas-wrap" onContextMenu={(e) => e.preventDefault()}>
      <div
        ref={container}
        className="canvas"
        data-testid="graph-canvas"
        data-rendered-nodes={drawn.nodes}
        data-rendered-edges={drawn.edges}
        data-rendered-boxes={drawn.boxes}
        data-highlighted-edges={highlighted.edges.size && mode === 'paths' ? [...highlighted.edges].filter((k) => visible.edges.some((e) => e.id === k)).length : 0}
        data-graph-seq={graphSeq}
        aria-label="Graph"
      />
      {visible.aggregated && (
        <div className="canvas-banner" data-testid="aggregate-banner" role="status">
          {plural(visible.total, 'element')} is above the drawing budget, so nodes are grouped per boundary and kind. Click a group to open it.
          <button type="button" onClick={() => store.getState().setRenderAll(true)} data-testid="render-all">
            Draw all {groupDigits(visible.total)} anyway
          </button>
        </div>
      )}
      {empty && <EmptyCase />}
      {!empty && visible.nodes.length === 0 && (
        <div className="canvas-empty" data-testid="canvas-empty">
          Nothing on the canvas yet. Search for a key, an ARN, an email or a name (press <kbd>/</kbd>), open the overview, or import exports.
        </div>
      )}
      {menu && menuTarget && <ContextMenu target={menuTarget} x={menu.x} y={menu.y} onClose={() => setMenu(null)} />}
    </div>
  );
}
