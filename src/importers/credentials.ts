import type { JsonObject } from '../model/fragment.js';

// Credential validity shared by the cloud importers (GCP keys, Entra secrets and certificates).

/** Why a credential cannot sign in as of `now` (disabled, expired, not yet valid), or undefined if it can. */
export function inactiveBecause(props: JsonObject, now: Date): string | undefined {
  if (props['disabled'] === true) return 'the credential or its identity is disabled';
  const expiresAt = props['expiresAt'];
  if (typeof expiresAt === 'string' && Date.parse(expiresAt) <= now.getTime()) return `the credential expired on ${expiresAt}`;
  const createdAt = props['createdAt'];
  if (typeof createdAt === 'string' && Date.parse(createdAt) > now.getTime()) return `the credential is valid only from ${createdAt}`;
  return undefined;
}
