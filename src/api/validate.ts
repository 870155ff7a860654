// Argument schemas for every engine API method. The Electron IPC handlers and the browser-mode HTTP server
// run each call through validateArg before it reaches the engine: both face input the engine did not produce.
import { z } from 'zod';
import type { ApiArg, ApiMethod } from './contract.js';
import { API_METHODS } from './contract.js';
import { ApiError } from './errors.js';

const empty = z.object({}).strict();
const nodeId = z.string().min(1).max(4096);
const ids = z.array(nodeId).min(1).max(100_000);
const isoTime = z.string().max(64).refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO date');
const markKind = z.enum(['compromised', 'high-value']);
const viewName = z.string().trim().min(1).max(200);
const severity = z.enum(['critical', 'high', 'medium', 'low', 'info']);

const traversal = {
  maxDepth: z.number().int().min(1).max(1000).optional(),
  includeConditional: z.boolean().optional(),
  observedOnly: z.boolean().optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
};

const windowInOrder = (a: { since?: string | undefined; until?: string | undefined }) => !a.since || !a.until || Date.parse(a.since) <= Date.parse(a.until);
const windowMessage = { message: 'since must not be after until', path: ['since'] };

const importFile = z.union([
  z.object({ path: z.string().min(1).max(4096) }).strict(),
  // Base64 of the file's bytes; 2 GiB of base64 is beyond anything a browser upload should send.
  z.object({ name: z.string().min(1).max(1024), contentBase64: z.string().max(2 ** 31) }).strict(),
]);

const limits = z
  .object({
    maxOrigins: z.number().int().min(0).max(1_000_000).optional(),
    maxTargets: z.number().int().min(0).max(1_000_000).optional(),
    maxListed: z.number().int().min(0).max(1_000_000).optional(),
    maxPaths: z.number().int().min(0).max(10_000).optional(),
  })
  .strict()
  .optional();
const importOptions = z
  .object({ format: z.string().max(100).optional(), cluster: z.string().max(253).optional(), account: z.string().regex(/^\d{12}$/).optional(), project: z.string().regex(/^[a-z0-9][a-z0-9.:-]{0,99}$/).optional(), organization: z.string().regex(/^(organizations\/)?\d{1,30}$/).optional(), folder: z.string().regex(/^(folders\/)?\d{1,30}$/).optional() })
  .strict()
  .optional();
const snapshotRef = z.string().min(1).max(4096);

const SCHEMAS = {
  caseInfo: empty,
  formats: empty,
  importFiles: z
    .object({
      files: z.array(importFile).min(1).max(10_000),
      options: z
        .object({ format: z.string().max(100).optional(), cluster: z.string().max(253).optional(), account: z.string().regex(/^\d{12}$/).optional(), project: z.string().regex(/^[a-z0-9][a-z0-9.:-]{0,99}$/).optional(), organization: z.string().regex(/^(organizations\/)?\d{1,30}$/).optional(), folder: z.string().regex(/^(folders\/)?\d{1,30}$/).optional(), asOf: z.union([z.literal('now'), isoTime]).optional(), supersede: z.boolean().optional() })
        .strict()
        .optional(),
    })
    .strict(),
  importProgress: empty,
  cancelImport: empty,
  search: z.object({ text: z.string().max(4096), limit: z.number().int().min(1).max(1000).optional() }).strict(),
  resolve: z.object({ ref: z.string().min(1).max(4096) }).strict(),
  node: z.object({ id: nodeId, edgeLimit: z.number().int().min(1).max(100_000).optional(), since: isoTime.optional(), until: isoTime.optional() }).strict(),
  neighbors: z.object({ ids, limit: z.number().int().min(1).max(100_000).optional() }).strict(),
  overview: z.object({ limit: z.number().int().min(1).max(100_000).optional() }).strict(),
  mark: z.object({ ids, mark: markKind, note: z.string().max(10_000).optional(), by: z.string().max(200).optional() }).strict(),
  unmark: z.object({ ids, mark: markKind }).strict(),
  blastRadius: z.object({ from: nodeId, ...traversal }).strict().refine(windowInOrder, windowMessage),
  paths: z.object({ from: nodeId, to: nodeId, k: z.number().int().min(1).max(100).optional(), ...traversal }).strict().refine(windowInOrder, windowMessage),
  findings: z.object({ severity: severity.optional(), rule: z.string().max(200).optional() }).strict(),
  containment: z.object({ from: nodeId, targets: z.array(nodeId).max(10_000).optional(), ...traversal }).strict().refine(windowInOrder, windowMessage),
  estate: z.object({ markedLimit: z.number().int().min(0).max(100_000).optional(), findingLimit: z.number().int().min(0).max(10_000).optional() }).strict(),
  savedViews: empty,
  // A view's state is the renderer's JSON (ids, filters, positions); a megabyte-sized cap keeps a case sane.
  saveView: z.object({ name: viewName, state: z.record(z.string(), z.json()).refine((v) => JSON.stringify(v).length <= 8_000_000, 'a saved view holds at most 8 MB') }).strict(),
  deleteView: z.object({ name: viewName }).strict(),
  containmentChecks: z.object({ origin: nodeId }).strict(),
  setContainmentCheck: z.object({ origin: nodeId, cut: z.string().min(1).max(10_000), checked: z.boolean(), by: z.string().max(200).optional() }).strict(),
  compareCase: z.object({ other: importFile, otherIs: z.enum(['before', 'after']).optional(), limits }).strict(),
  snapshots: empty,
  takeSnapshot: z.object({ label: z.string().max(1000).optional() }).strict(),
  compareSnapshots: z.object({ before: snapshotRef, after: snapshotRef.optional(), limits }).strict(),
  planImpact: z
    .object({ files: z.array(importFile).min(1).max(10_000), options: importOptions, replace: z.enum(['scope', 'same-file']).optional(), replaces: z.array(z.string().min(1).max(4096)).max(1000).optional(), limits })
    .strict(),
  reachers: z.object({ id: nodeId, limit: z.number().int().min(1).max(100_000).optional(), ...traversal }).strict().refine(windowInOrder, windowMessage),
  inventory: empty,
  triage: z.object({ includeConditional: z.boolean().optional() }).strict(),
  exportTable: z
    .object({
      table: z.enum(['findings', 'nodes', 'edges', 'inventory', 'triage', 'blast-radius', 'paths', 'containment']),
      format: z.enum(['csv', 'json', 'markdown']),
      from: nodeId.optional(),
      to: nodeId.optional(),
      k: z.number().int().min(1).max(100).optional(),
      targets: z.array(nodeId).max(10_000).optional(),
      list: z.enum(['all', 'admins', 'identities', 'credentials', 'resources', 'boundaries']).optional(),
      done: z.array(z.number().int().min(0).max(100_000)).max(100_000).optional(),
      ...traversal,
    })
    .strict()
    .refine(windowInOrder, windowMessage),
  report: z.object({ only: z.enum(['compromised']).optional(), redactIds: z.boolean().optional() }).strict(),
} satisfies Record<ApiMethod, z.ZodType>;

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && (API_METHODS as readonly string[]).includes(name);
}

/** The argument, checked against the method's schema; anything else is a 'bad-input' ApiError naming the field. */
export function validateArg<M extends ApiMethod>(method: M, arg: unknown): ApiArg<M> {
  const result = SCHEMAS[method].safeParse(arg ?? {});
  if (result.success) return result.data as ApiArg<M>;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new ApiError({ code: 'bad-input', message: `invalid argument to ${method}${where}: ${issue?.message ?? 'rejected'}` });
}
