// IPC channel names, shared by the preload and the main process.
import type { ApiMethod } from '../src/api/contract.js';

export const API_CHANNEL_PREFIX = 'blastmap:';
export const apiChannel = (method: ApiMethod): string => `${API_CHANNEL_PREFIX}${method}`;

export const SHELL_CHANNELS = {
  pickImportFiles: 'blastmap-shell:pickImportFiles',
  openCase: 'blastmap-shell:openCase',
  recentCases: 'blastmap-shell:recentCases',
  /** A case file to compare with (the compare view); the path is granted to compareCase. */
  pickCaseFile: 'blastmap-shell:pickCaseFile',
  unlockCase: 'blastmap-shell:unlockCase',
  /** preload → main, one way: a path the user dropped (only a real dropped File yields one). */
  grantDroppedPath: 'blastmap-shell:grantDroppedPath',
  /** main → renderer: a menu command. */
  command: 'blastmap-shell:command',
} as const;

/** The app's own origin: the renderer is served from app://blastmap/ (see protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'blastmap';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}
