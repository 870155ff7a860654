import type { Importer } from './types.js';
import { cloudtrail } from './cloudtrail.js';
import { gcpAuditLog } from './gcp-audit-log.js';
import { gitleaks } from './gitleaks.js';
import { opengraph } from './opengraph.js';
import { sharphound } from './sharphound.js';
import { trufflehog } from './trufflehog.js';
import { vaultPolicy } from './vault-policy.js';

/** Every importer, in one list. Detection asks each; adding a format means adding it here. */
export const IMPORTERS: readonly Importer[] = [opengraph, sharphound, vaultPolicy, gitleaks, trufflehog, cloudtrail, gcpAuditLog];
