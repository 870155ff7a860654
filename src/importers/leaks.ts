// Shared by the secret-scanner importers (gitleaks, trufflehog): turns one finding into a leak node, the
// credential it exposes (an AWS key, a GCP service-account key, or a secret known only from the leak) and a
// compromised mark. The secret's value never leaves this module: only its SHA-256 and last 4 characters do.
import { createHash } from 'node:crypto';
import type { EdgeFact, Evidence, GraphFragment, JsonObject, MarkRequest, NodeFact } from '../model/fragment.js';
import { arnAccount, ids } from '../model/ids.js';
import type { LeakProps } from '../model/props.js';

/** One secret-scanner finding, as the importers read it. Secret values are only in `secrets`. */
export interface Finding extends Pick<LeakProps, 'verified' | 'repository' | 'file' | 'line' | 'commit' | 'author' | 'email' | 'date' | 'link'> {
  scanner: 'gitleaks' | 'trufflehog';
  /** The scanner's rule or detector name (aws-access-token, AWS, PrivateKey…). */
  rule: string;
  description?: string;
  /** Secret material: the secret itself, the matched text, decoded raw values. Hashed, searched, never stored. */
  secrets: string[];
  /** Text that is not secret but may name the credential (trufflehog's Redacted). */
  hints: string[];
  /** A scanner-given AWS account / ARN of the key's owner (trufflehog ExtraData). */
  awsAccount?: string;
  awsArn?: string;
  /** Where the finding is in the report: JSON path, line or CSV row. */
  at: string;
  fileName: string;
}

const AWS_KEY_ID = /(?<![A-Z0-9])((?:AKIA|ASIA)[A-Z0-9]{16})(?![A-Z0-9])/;
// Key files are also found embedded in a string, their quotes escaped (\"private_key_id\": \"…\").
const GCP_KEY_ID = /\\?"private_key_id\\?"\s*:\s*\\?"([0-9a-f]{40})\\?"/;
const GCP_CLIENT_EMAIL = /\\?"client_email\\?"\s*:\s*\\?"([^"@\s\\]+@[^"\s\\]+\.iam\.gserviceaccount\.com)\\?"/;
const REDACTED = /^(REDACTED|\*+)$/;
const AWS_SECRET_HINT = /aws.?secret|secret.?access.?key/i;

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The last 4 characters, kept only when the secret is long enough that they say nothing about the rest. */
export function last4(secret: string): string | undefined {
  const s = secret.trim();
  return s.length >= 16 && !/-----/.test(s.slice(-8)) ? s.slice(-4) : undefined;
}

export type Exposed = { kind: 'aws'; keyId: string } | { kind: 'gcp'; keyId: string; email?: string } | { kind: 'secret' };

/** What a finding exposes: an AWS access key id or a GCP key id found in its text, else a secret of its own. */
export function identify(f: Finding): Exposed {
  for (const text of [...f.secrets, ...f.hints]) {
    const aws = AWS_KEY_ID.exec(text);
    if (aws) return { kind: 'aws', keyId: aws[1]! };
  }
  for (const text of f.secrets) {
    const gcp = GCP_KEY_ID.exec(text);
    if (gcp) {
      const email = GCP_CLIENT_EMAIL.exec(text)?.[1];
      return { kind: 'gcp', keyId: gcp[1]!, ...(email ? { email } : {}) };
    }
  }
  return { kind: 'secret' };
}

/** The value a finding is fingerprinted by: the first non-empty secret. */
function primarySecret(f: Finding): string {
  return f.secrets.find((s) => s.trim() !== '') ?? '';
}

/**
 * Builds the facts of a set of findings from one report. Findings of an AWS secret access key are linked to the
 * access key id leaked beside them (same file and commit, within 5 lines): the two halves of one credential.
 */
export function leakFacts(findings: Finding[]): GraphFragment {
  const fragment: GraphFragment = { nodes: [], edges: [], warnings: [], marks: [] };
  const nodes = new Map<string, NodeFact>();
  const marks = new Map<string, MarkRequest>();
  const exposedBy = findings.map(identify);
  let redactedCount = 0;
  for (const [i, f] of findings.entries()) {
    const secret = primarySecret(f);
    let exposed = exposedBy[i]!;
    // A report made with --redact keeps no secret: the leak is recorded, its credential is unknown
    // unless the text around it still names a key id.
    const redacted = REDACTED.test(secret);
    if (!secret || (redacted && exposed.kind === 'secret')) {
      redactedCount++;
      const leakId = ids.leak(f.scanner, sha256([f.repository ?? '', f.commit ?? '', f.file ?? '', f.line ?? '', f.rule, f.at].join('\n')));
      nodes.set(leakId, { id: leakId, kind: 'leak', name: `${f.rule} in ${place(f)}`, handles: [leakId], props: { ...leakData(f), redacted: true, at: f.at } });
      continue;
    }
    const secretFp = sha256(secret);
    const leakId = ids.leak(f.scanner, sha256([f.repository ?? '', f.commit ?? '', f.file ?? '', f.line ?? '', f.rule, secretFp].join('\n')));
    const props: LeakProps & JsonObject = {
      scanner: f.scanner,
      rule: f.rule,
      fingerprint: secretFp,
      ...(last4(secret) ? { last4: last4(secret)! } : {}),
      ...(f.description ? { description: f.description } : {}),
      ...(f.verified !== undefined ? { verified: f.verified } : {}),
      ...(f.repository ? { repository: f.repository } : {}),
      ...(f.file ? { file: f.file } : {}),
      ...(f.line !== undefined ? { line: f.line } : {}),
      ...(f.commit ? { commit: f.commit } : {}),
      ...(f.author ? { author: f.author } : {}),
      ...(f.email ? { email: f.email } : {}),
      ...(f.date ? { date: f.date } : {}),
      ...(f.link ? { link: f.link } : {}),
      at: f.at,
    };
    const where = place(f);
    // trufflehog repeats a finding when the same secret matches twice on a line: one leak.
    if (nodes.has(leakId)) continue;
    nodes.set(leakId, { id: leakId, kind: 'leak', name: `${f.rule} in ${where}`, handles: [leakId, secretFp], props });

    let part: string | undefined;
    if (exposed.kind === 'secret' && AWS_SECRET_HINT.test(`${f.rule} ${f.description ?? ''} ${f.secrets.slice(1).join(' ')}`)) {
      const partner = findings.findIndex((g, j) => exposedBy[j]!.kind === 'aws' && g.file === f.file && g.commit === f.commit && Math.abs((g.line ?? -99) - (f.line ?? 99)) <= 5);
      if (partner !== -1) {
        exposed = exposedBy[partner]!;
        part = 'secret access key';
      }
    }
    const credentialId = credentialFacts(f, exposed, secret, secretFp, nodes, fragment.edges);
    const evidence: Evidence = {
      type: 'leak',
      summary: `${f.scanner} rule ${f.rule} found it in ${where}${f.verified ? ' (verified live by the scanner)' : ''}`,
      location: `${f.fileName} ${f.at}`,
      data: leakData(f),
    };
    fragment.edges.push({
      from: leakId,
      to: credentialId,
      kind: 'EXPOSES',
      // The secret half of a key leaked beside its id: said, so a finding cites the id's leak first.
      props: { reason: part ? `exposes its ${part} in ${where}` : `exposes it in ${where}`, technique: `leaked ${f.rule}`, evidence: [evidence], at: f.at, ...(part ? { part } : {}) },
    });
    if (!marks.has(credentialId)) {
      marks.set(credentialId, { nodeId: credentialId, mark: 'compromised', note: `exposed in ${where} (${f.scanner} ${f.rule}${f.verified ? ', verified' : ''})` });
    }
  }
  if (redactedCount) {
    fragment.warnings.push({ message: `${redactedCount} finding(s) carry no secret (redacted report): recorded as leaks, the credentials they expose cannot be identified` });
  }
  fragment.nodes.push(...nodes.values());
  fragment.marks!.push(...marks.values());
  return fragment;
}

function credentialFacts(f: Finding, exposed: Exposed, secret: string, secretFp: string, nodes: Map<string, NodeFact>, edges: EdgeFact[]): string {
  if (exposed.kind === 'aws') {
    const id = ids.awsAccessKey(exposed.keyId);
    const account = f.awsAccount ?? (f.awsArn ? arnAccount(f.awsArn) : undefined);
    if (!nodes.has(id)) {
      nodes.set(id, {
        id,
        kind: 'aws_access_key',
        name: exposed.keyId,
        handles: [exposed.keyId],
        stub: true,
        ...(account ? { boundary: ids.awsAccount(account) } : {}),
        props: { managedBy: 'user', ...(f.awsArn ? { ownerId: f.awsArn } : {}) },
      });
    }
    // trufflehog verifies a key by calling sts:GetCallerIdentity: the ARN it reports is who the key signs in as.
    if (f.awsArn && /^arn:aws[a-z-]*:iam::\d{12}:(user|root)/.test(f.awsArn)) {
      const isRoot = f.awsArn.endsWith(':root');
      if (!nodes.has(f.awsArn)) {
        nodes.set(f.awsArn, { id: f.awsArn, kind: isRoot ? 'aws_root' : 'aws_user', name: isRoot ? `root of ${account}` : f.awsArn.split('/').pop()!, handles: [f.awsArn], stub: true, ...(account ? { boundary: ids.awsAccount(account) } : {}) });
      }
      if (!edges.some((e) => e.kind === 'AUTHENTICATES_AS' && e.from === id)) {
        edges.push({
          from: id,
          to: f.awsArn,
          kind: 'AUTHENTICATES_AS',
          props: {
            reason: `${f.scanner} verified the key: sts:GetCallerIdentity answered ${f.awsArn}`,
            evidence: [{ type: 'report-row', summary: `${f.scanner} verification of ${exposed.keyId} names ${f.awsArn}`, location: `${f.fileName} ${f.at}`, data: { account: account ?? null, arn: f.awsArn } }],
            at: f.at,
          },
        });
      }
    }
    return id;
  }
  if (exposed.kind === 'gcp') {
    const id = ids.gcpKey(exposed.keyId);
    if (!nodes.has(id)) nodes.set(id, { id, kind: 'gcp_sa_key', name: exposed.keyId, handles: [exposed.keyId], stub: true, props: { managedBy: 'user', ...(exposed.email ? { ownerId: ids.gcpServiceAccount(exposed.email) } : {}) } });
    if (exposed.email) {
      const sa = ids.gcpServiceAccount(exposed.email);
      const project = /@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(exposed.email)?.[1];
      if (!nodes.has(sa)) nodes.set(sa, { id: sa, kind: 'gcp_service_account', name: exposed.email, handles: [exposed.email], stub: true, ...(project ? { boundary: ids.gcpProject(project) } : {}) });
      if (!edges.some((e) => e.kind === 'AUTHENTICATES_AS' && e.from === id)) {
        edges.push({ from: id, to: sa, kind: 'AUTHENTICATES_AS', props: { reason: `the leaked key file names ${exposed.email} as its client_email`, at: f.at } });
      }
    }
    return id;
  }
  const id = ids.secret(secretFp);
  if (!nodes.has(id)) {
    const tail = last4(secret);
    nodes.set(id, {
      id,
      kind: 'secret_credential',
      name: `${secretLabel(f)}${tail ? ` …${tail}` : ` ${secretFp.slice(0, 8)}`}`,
      handles: [secretFp],
      props: { fingerprint: secretFp, ...(tail ? { last4: tail } : {}), secretType: secretLabel(f), ...uriFacts(secret), detectedBy: f.scanner },
    });
  }
  return id;
}

/** For a URI with a password: the scheme, user and host (not secret) so a responder knows what to rotate. */
function uriFacts(secret: string): JsonObject {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^:@/\s]*):[^@/\s]+@([^/\s?#]+)/i.exec(secret.trim());
  return m ? { uriScheme: m[1]!, uriUser: m[2]!, uriHost: m[3]! } : {};
}

function secretLabel(f: Finding): string {
  const r = `${f.rule} ${f.description ?? ''}`.toLowerCase();
  if (/private.?key|rsa|openssh|pgp|-pk\b/.test(r)) return 'Private key';
  if (/github|gh[pousr]_/.test(r)) return 'GitHub token';
  if (/gitlab/.test(r)) return 'GitLab token';
  if (/slack/.test(r)) return 'Slack token';
  if (/\buri\b|url|basic.?auth|password|postgres|mysql|mongodb|redis|jdbc|ftp/.test(r)) return 'URI password';
  if (/jwt/.test(r)) return 'JWT';
  return f.rule;
}

function place(f: Finding): string {
  const repo = f.repository ? `${f.repository.replace(/^https?:\/\/(www\.)?github\.com\//, '').replace(/\.git$/, '')} ` : '';
  const file = f.file ?? 'an unnamed file';
  return `${repo}${file}${f.line !== undefined ? `:${f.line}` : ''}${f.commit ? ` @${f.commit.slice(0, 12)}` : ''}`;
}

function leakData(f: Finding): JsonObject {
  const out: JsonObject = { scanner: f.scanner, rule: f.rule };
  for (const k of ['repository', 'file', 'line', 'commit', 'author', 'email', 'date', 'link', 'verified'] as const) {
    const v = f[k];
    if (v !== undefined && v !== '') out[k] = v;
  }
  return out;
}

/** Go's zero time (0001-01-01 00:00:00 in any layout): the scanner had no date, not year 1. */
export function isZeroDate(d: string): boolean {
  return /^0001-01-01[T ]00:00:00/.test(d.trim());
}

/** Strings of an object, for the importers' field readers. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}
