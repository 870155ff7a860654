import type { Importer } from './types.js';
import { eksPodIdentity } from './eks-pod-identity.js';
import { kubernetes } from './kubernetes.js';
import { opengraph } from './opengraph.js';
import { sharphound } from './sharphound.js';
import { vaultPolicy } from './vault-policy.js';

/** Every importer, in one list. Detection asks each; adding a format means adding it here. */
export const IMPORTERS: readonly Importer[] = [opengraph, sharphound, vaultPolicy, kubernetes, eksPodIdentity];
