// The built-in demo case: a fictional company's exports (assets/demo, real formats) imported into a new case.
// It is built from the export files rather than shipped as a case file so the story always matches the
// importers and rules of this version.
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportRequest } from './api/contract.js';
import { openEngine } from './api/engine.js';
import { ApiError } from './api/errors.js';

/** Which files need which import options: the options of one import apply to all its files. */
const DEMO_IMPORTS: { files: RegExp; options: NonNullable<ImportRequest['options']> }[] = [
  // list-access-keys output names users but not their account.
  { files: /^aws-dev-access-keys-.*\.json$/, options: { account: '111111111111' } },
  { files: /^kubectl-prod-eks\.json$/, options: { cluster: 'prod-eks' } },
  // get-bucket-policy output does not name the bucket's account: the customer data lives in production.
  { files: /^s3-bucket-policy-nw-prod-.*\.json$/, options: { account: '222222222222' } },
  { files: /\.(json|csv)$/, options: {} },
];

export function defaultDemoAssetsDir(): string {
  return fileURLToPath(new URL('../assets/demo/', import.meta.url));
}

/**
 * Builds the demo case at `casePath` (which must not exist). All or nothing: it is built under a temporary
 * name and renamed into place only when every import succeeded.
 */
export async function buildDemoCase(casePath: string, assetsDir = defaultDemoAssetsDir(), options: { nativeBinding?: string } = {}): Promise<void> {
  if (existsSync(casePath)) throw new ApiError({ code: 'bad-input', message: `${casePath} already exists; the demo case is only built into a new file` });
  const files = readdirSync(assetsDir).filter((f) => /\.(json|csv)$/.test(f)).sort();
  const building = `${casePath}.building-${process.pid}`;
  const cleanup = () => ['', '-wal', '-shm'].forEach((suffix) => rmSync(building + suffix, { force: true }));
  cleanup();
  try {
    const engine = openEngine(building, { create: true, ...options });
    try {
      const taken = new Set<string>();
      for (const group of DEMO_IMPORTS) {
        const mine = files.filter((f) => group.files.test(f) && !taken.has(f));
        mine.forEach((f) => taken.add(f));
        if (mine.length > 0) await engine.importFiles({ files: mine.map((f) => ({ path: join(assetsDir, f) })), options: group.options });
      }
    } finally {
      engine.close();
    }
    renameSync(building, casePath);
  } finally {
    cleanup();
  }
}
