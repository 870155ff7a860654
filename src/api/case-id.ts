// A case's id: what tells one case from another where its file name does not (the renderer keeps each case's canvas
// across reloads under it). Derived from where the case file is — two cases with the same name in different folders
// differ — and hashed, so browser mode, which shows the page file names only, does not learn the folder.
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';

export function caseId(path: string): string {
  let where = resolve(path);
  try {
    where = realpathSync(where);
  } catch {
    // Not on disk (yet): the resolved path stands for it.
  }
  return createHash('sha256').update(where, 'utf8').digest('hex').slice(0, 16);
}
