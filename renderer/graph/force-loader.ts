// The force layout (cytoscape-fcose with layout-base and cose-base, an eighth of the app's code) is not needed by the
// first screen (the estate map is a grid): it is a chunk of its own, fetched once the canvas has drawn its first
// elements, and awaited by a drawing that needs it before then (canvas-engine.ts defers that sync).
import cytoscape from 'cytoscape';

let state: 'idle' | 'loading' | 'ready' | 'failed' = 'idle';
let loading: Promise<void> | null = null;

/** fcose is registered with Cytoscape (or could not be loaded: callers then lay out with the grid). */
export function forceLayoutSettled(): boolean {
  return state === 'ready' || state === 'failed';
}

export function forceLayoutReady(): boolean {
  return state === 'ready';
}

/** Loads and registers fcose once; resolves when it is usable or has failed (never rejects). */
export function loadForceLayout(): Promise<void> {
  loading ??= (state = 'loading', import('cytoscape-fcose'))
    .then((m) => {
      cytoscape.use(m.default);
      state = 'ready';
    })
    .catch((err: unknown) => {
      console.error('The force layout could not be loaded; drawings are laid out as grids.', err);
      state = 'failed';
    });
  return loading;
}
