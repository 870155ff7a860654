// Property names with one meaning across providers. Importers write them, finding rules and the UI read
// them, so a "key unused for 90 days" rule works on AWS, GCP and Azure credentials alike.
// Dates are ISO-8601 strings in UTC. `null` means "known not to exist" (never used, never expires);
// an absent property means "unknown".

/** On credential nodes (category 'credential'). */
export interface CredentialProps {
  /** Whether the credential can be used now (AWS key Active, GCP key not disabled/expired, secret within validity). */
  active?: boolean;
  createdAt?: string;
  /** null = never used. */
  lastUsedAt?: string | null;
  lastRotatedAt?: string | null;
  /** null = never expires. */
  expiresAt?: string | null;
  /** 'user' for keys people create and must rotate, 'system' for provider-managed ones. */
  managedBy?: 'user' | 'system';
  lastUsedRegion?: string;
  lastUsedService?: string;
  /** The identity the credential belongs to (also an AUTHENTICATES_AS edge). */
  ownerId?: string;
  /** Never the secret itself: at most its last 4 characters and a SHA-256 fingerprint. */
  last4?: string;
  fingerprint?: string;
}

/** On identity nodes (category 'identity'). */
export interface IdentityProps {
  /** Who answers for it: an owner tag, annotation or field, as found. Absent = no owner recorded. */
  owner?: string;
  tags?: Record<string, string>;
  createdAt?: string;
  /** null = never used. */
  lastUsedAt?: string | null;
  /** The account / cluster / project id the identity lives in (its boundary node is `boundary`). */
  accountId?: string;
}

/** On leak nodes (kind 'leak'). */
export interface LeakProps {
  scanner: 'gitleaks' | 'trufflehog' | string;
  rule: string;
  verified?: boolean;
  repository?: string;
  file?: string;
  line?: number;
  commit?: string;
  author?: string;
  email?: string;
  date?: string;
  link?: string;
  fingerprint: string;
  last4?: string;
}
