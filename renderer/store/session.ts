// The canvas survives a reload: this browser keeps the view of each case (what is drawn, where, the mode and the
// analysis) and brings it back when the page opens the same case again; a case seen for the first time opens on
// its estate overview.
import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from './types';
import { isViewState, sessionKey } from './workspace-slice';

/** How long the canvas must be still before it is written down. */
const SAVE_DELAY_MS = 400;

/**
 * Keeps the view of the opened case in `storage`. `page` is what says the page is going away (a reload, a closed
 * window): a change still waiting for its quiet spell is written down then, not lost.
 */
export function startSession(
  store: StoreApi<AppState>,
  storage: Pick<Storage, 'getItem' | 'setItem'> | null,
  page: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null = typeof window === 'undefined' ? null : window,
): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribe: (() => void) | undefined;
  let save: (() => void) | undefined;
  const saveNow = (): void => {
    if (timer === undefined) return;
    clearTimeout(timer);
    timer = undefined;
    save?.();
  };
  page?.addEventListener('pagehide', saveNow);
  void (async () => {
    const s = store.getState();
    // The first screen's data is asked for at once, beside the case's (the engine answers them in turn).
    s.prefetchOverview();
    await s.loadCase();
    if (stopped) return;
    void s.loadSavedViews();
    const info = store.getState().caseInfo;
    // Keyed by the case's id: two cases of the same file name do not share a canvas.
    const key = info?.path ? sessionKey(info) : null;
    let restored = false;
    const raw = key ? read(storage, key) : null;
    if (raw) {
      try {
        const state: unknown = JSON.parse(raw);
        if (isViewState(state) && state.nodes.length) {
          await store.getState().applyViewState(state);
          restored = true;
        }
      } catch {
        // A view this version cannot read: start from the overview.
      }
    }
    if (stopped) return;
    if (!restored) {
      // A case with compromised or exposed credentials opens on their ranking, unless the user already moved on (a
      // mode picked or a node selected while the ranking was computed).
      let moved = false;
      const watch = store.subscribe((now, before) => {
        if (now.mode !== before.mode || now.selectedId !== before.selectedId) moved = true;
      });
      const triage = store
        .getState()
        .loadTriage()
        .then((rows) => {
          if (!stopped && !moved && rows.length > 0 && store.getState().mode === 'explore') store.getState().setMode('triage');
        })
        .catch(() => undefined)
        .finally(watch);
      await Promise.all([store.getState().loadOverview(), triage]);
    }
    if (stopped || !key || !storage) return;
    save = () => {
      try {
        storage.setItem(key, JSON.stringify(store.getState().viewState()));
      } catch {
        // Storage full or refused: the canvas then lasts for this page only.
      }
    };
    unsubscribe = store.subscribe((now, before) => {
      const changed =
        now.graphSeq !== before.graphSeq ||
        now.mode !== before.mode ||
        now.filters !== before.filters ||
        now.selectedId !== before.selectedId ||
        now.selectedEdge !== before.selectedEdge ||
        now.highlightedPath !== before.highlightedPath ||
        now.viewport !== before.viewport ||
        now.blast !== before.blast ||
        now.paths !== before.paths;
      if (!changed) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        save?.();
      }, SAVE_DELAY_MS);
    });
  })();
  return () => {
    stopped = true;
    clearTimeout(timer);
    page?.removeEventListener('pagehide', saveNow);
    unsubscribe?.();
  };
}

function read(storage: Pick<Storage, 'getItem'> | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}
