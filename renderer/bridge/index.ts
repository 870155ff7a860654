import type { RendererBridge } from '../contract';
import { createHttpBridge, takeToken } from './http';

declare global {
  interface Window {
    blastmap?: RendererBridge;
  }
}

/** The Electron preload's bridge when present, else the browser-mode HTTP bridge. */
export function getBridge(): RendererBridge {
  if (window.blastmap) return window.blastmap;
  const token = takeToken({ location: window.location, history: window.history, storage: sessionStorageOrNull() });
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
