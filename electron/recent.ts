// Recent cases: userData/recent.json, newest first. The file is ours but is read back defensively (hand edits,
// a crash mid-write): anything that is not a list of absolute paths is ignored.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

export const MAX_RECENT = 10;
const schema = z.array(z.string().min(1).max(4096)).max(100);

export function loadRecent(file: string): string[] {
  try {
    const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) return [];
    return [...new Set(parsed.data.filter((p) => isAbsolute(p) && existsSync(p)))].slice(0, MAX_RECENT);
  } catch {
    return [];
  }
}

/** Puts `casePath` first and writes the list back (atomically); returns the new list. */
export function addRecent(file: string, casePath: string): string[] {
  const full = resolve(casePath);
  const list = [full, ...loadRecent(file).filter((p) => p !== full)].slice(0, MAX_RECENT);
  writeAtomic(file, JSON.stringify(list, null, 2));
  return list;
}

export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}
