import type { Reachers } from '../contract';
import { describeError, toErrorShape } from './errors';
import type { SliceCreator } from './types';

/** "Who can reach this?": the reachers of one node, asked from its details. */
export interface ReachersSlice {
  reachersOf: { id: string; loading: boolean; result: Reachers | null; error: string | null } | null;
  runReachers(id: string): Promise<void>;
  clearReachers(): void;
}

export const createReachersSlice: SliceCreator<ReachersSlice> = ({ set, get, api }) => ({
  reachersOf: null,
  runReachers: async (id) => {
    set({ reachersOf: { id, loading: true, result: null, error: null } });
    try {
      const result = await api.reachers({ id, limit: 200, includeConditional: !get().filters.hideConditional });
      // A later question wins over a slow answer to an earlier one.
      if (get().reachersOf?.id === id) set({ reachersOf: { id, loading: false, result, error: null } });
    } catch (err) {
      if (get().reachersOf?.id === id) set({ reachersOf: { id, loading: false, result: null, error: describeError(toErrorShape(err)) } });
    }
  },
  clearReachers: () => set({ reachersOf: null }),
});
