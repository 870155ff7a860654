import type { MarkKind, NodeDetails, ResolveResult, SearchHit } from '../contract';
import { describeError, toErrorShape } from './errors';
import type { SliceCreator } from './types';

export interface SelectionSlice {
  selectedId: string | null;
  /** Canvas key of the selected edge (see graph-slice edgeKey). */
  selectedEdge: string | null;
  details: NodeDetails | null;
  detailsLoading: boolean;
  detailsError: string | null;
  select(id: string | null): Promise<void>;
  selectEdge(key: string | null): void;
  /** Put a node on the canvas with its neighbours, select it and fit the view to it and its neighbours. */
  focus(id: string): Promise<void>;
  /** Marks or unmarks the selected node, or `id` when given (the right-click menu). */
  setMark(mark: MarkKind, on: boolean, note?: string, id?: string): Promise<void>;
  /** Details of another node (credential rows of an identity), without selecting it. */
  fetchDetails(id: string, edgeLimit?: number): Promise<NodeDetails>;
  /** Suggestions for the search box. */
  searchNodes(text: string): Promise<SearchHit[]>;
  /** Exactly one node for a pasted handle, or candidates. */
  resolveRef(ref: string): Promise<ResolveResult>;
}

export const createSelectionSlice: SliceCreator<SelectionSlice> = ({ set, get, api }) => ({
  selectedId: null,
  selectedEdge: null,
  details: null,
  detailsLoading: false,
  detailsError: null,

  select: async (id) => {
    set({ selectedId: id, selectedEdge: null, detailsError: null, ...(id ? { detailsLoading: true } : { details: null, detailsLoading: false }) });
    if (!id) return;
    try {
      const details = await api.node({ id, edgeLimit: 200 });
      // A later selection wins over a slow answer to an earlier one.
      if (get().selectedId === id) set({ details, detailsLoading: false });
    } catch (err) {
      if (get().selectedId === id) set({ details: null, detailsLoading: false, detailsError: describeError(toErrorShape(err)) });
    }
  },

  fetchDetails: (id, edgeLimit = 20) => api.node({ id, edgeLimit }),
  searchNodes: (text) => api.search({ text, limit: 12 }),
  resolveRef: (ref) => api.resolve({ ref }),

  selectEdge: (key) => set({ selectedEdge: key, ...(key ? { selectedId: null, details: null } : {}) }),

  focus: async (id) => {
    if (get().mode === 'findings') get().setMode('explore');
    await get().expand(id);
    await get().select(id);
    get().sendCommand('center-selection');
  },

  setMark: async (mark, on, note, target) => {
    const id = target ?? get().selectedId;
    if (!id) return;
    try {
      if (on) await api.mark({ ids: [id], mark, ...(note ? { note } : {}), by: 'user' });
      else await api.unmark({ ids: [id], mark });
      const node = get().nodes[id];
      if (node) {
        const marks = on ? [...new Set([...node.marks, mark])] : node.marks.filter((m) => m !== mark);
        set({ nodes: { ...get().nodes, [id]: { ...node, marks } } });
      }
      if (get().selectedId === id) await get().select(id);
    } catch (err) {
      get().notify({ kind: 'error', text: describeError(toErrorShape(err)) });
    }
  },
});
