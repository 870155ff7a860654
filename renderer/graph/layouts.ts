import type { LayoutOptions } from 'cytoscape';
import type { LayoutName } from '../store/ui-slice';

export const FORCE_LAYOUT_LIMIT = 1500;

/** fcose for wandering (compound-aware force layout), dagre left-to-right for paths (attacker flow reads as text). */
export function layoutOptions(name: LayoutName, elementCount: number, animate: boolean): LayoutOptions {
  if (name === 'dagre') {
    return { name: 'dagre', rankDir: 'LR', nodeSep: 28, rankSep: 90, edgeSep: 12, fit: true, padding: 40, animate: false } as unknown as LayoutOptions;
  }
  // Force layouts are quadratic-ish and run on the UI thread: past this size a concentric layout by degree
  // (n log n) keeps the window responsive; the user asked for everything, so everything is shown.
  if (elementCount > FORCE_LAYOUT_LIMIT) {
    return { name: 'concentric', fit: true, padding: 30, animate: false, minNodeSpacing: 6, avoidOverlap: false, concentric: (n: { degree(b: boolean): number }) => n.degree(false), levelWidth: () => 1 } as unknown as LayoutOptions;
  }
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
  } as unknown as LayoutOptions;
}
