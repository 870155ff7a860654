// The security settings of every webContents and of the session (the window's webPreferences are written out in
// app.ts, where electronegativity can see them). The renderer shows case data that came from untrusted exports; if
// a bug ever let markup from an export run, these settings keep it from the disk, the network and other windows.
import type { Session, WebContents } from 'electron';
import { isAppUrl } from './channels.js';

/** Schemes a page of ours may load: its own files, what it made itself (exports), and the devtools. */
const ALLOWED_SCHEMES = new Set(['app:', 'blob:', 'data:', 'devtools:']);

export function isAllowedRequest(url: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol === 'app:') return isAppUrl(url);
    if (u.protocol === 'blob:') return isAppUrl(url.slice('blob:'.length));
    return ALLOWED_SCHEMES.has(u.protocol);
  } catch {
    return false;
  }
}

/** Navigation, new windows and webviews: our pages stay on app://blastmap/, and nothing opens anything else. */
export function hardenWebContents(contents: WebContents): void {
  const stayHome = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => stayHome(event, event.url));
  contents.on('will-frame-navigate', (event) => stayHome(event, event.url));
  contents.on('will-redirect', (event) => stayHome(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** No permission is ever granted (camera, notifications, …), no remote request leaves, downloads are exports only. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  // Also set by the app:// handler; repeated here so no response of the session goes without it.
  // (Must equal CSP in src/server/http.ts — a test checks.)
  session.webRequest.onHeadersReceived((details, callback) => {
    // The developer tools (unpackaged runs only) bring their own policy.
    if (details.url.startsWith('devtools:')) return callback({ responseHeaders: details.responseHeaders });
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': ["default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"],
      },
    });
  });
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
  session.on('will-download', (_event, item) => {
    // The renderer saves its exports (PNG/SVG of the view, tables, the report) as blob: or data: downloads; nothing
    // else may be downloaded.
    if (!isAllowedRequest(item.getURL()) || item.getURL().startsWith('app:')) {
      item.cancel();
      return;
    }
    item.setSaveDialogOptions({ title: 'Export', defaultPath: item.getFilename(), buttonLabel: 'Save' });
  });
}
