import type { EdgeRule } from './types.js';
import { awsRootAdmin } from './aws-root-admin.js';

/** Every derived-edge rule, run in this order after each import. Later rules see earlier rules' edges. */
export const EDGE_RULES: readonly EdgeRule[] = [awsRootAdmin];
