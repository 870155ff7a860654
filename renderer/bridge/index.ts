import type { RendererBridge } from '../contract';
import { createHttpBridge, takeToken } from './http';

declare global {
  interface Window {
    blastmap?: RendererBridge;
  }
}

/**
 * The Electron preload's bridge when present, else the browser-mode HTTP bridge. `later` runs what can wait until
 * the first requests are sent (clearing the token from the address bar, keeping it for a reload).
 */
export function getBridge(later?: (keep: () => void) => void): RendererBridge {
  if (window.blastmap) return window.blastmap;
  const token = takeToken({ location: window.location, history: window.history, storage: sessionStorageOrNull }, later);
  return createHttpBridge(token ?? '');
}

export { ApiCallError } from './http';

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
