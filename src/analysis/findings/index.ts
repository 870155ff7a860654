import type { FindingRule } from './types.js';

/** Every posture rule, run after derivation on whatever providers are in the case. */
export const FINDING_RULES: readonly FindingRule[] = [];
