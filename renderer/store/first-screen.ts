// What the first screen (the estate overview) asks the engine for: main.tsx asks for it before the app loads.
import type { PrimedCall } from '../bridge/prime';

/** How many nodes the overview asks for. */
export const OVERVIEW_LIMIT = 500;

export const FIRST_SCREEN_CALLS: PrimedCall[] = [
  { method: 'caseInfo', arg: {} },
  { method: 'estate', arg: {} },
  { method: 'overview', arg: { limit: OVERVIEW_LIMIT } },
];
