// app://blastmap/ serves the built renderer (dist/renderer) and nothing else.
// Why a custom protocol rather than file://: a file:// page shares its origin rules with every local file, so
// 'self' in a CSP, fetch() and navigation would reach the whole disk; app://blastmap/ is one origin whose every
// response comes from this handler, which refuses path traversal and symlinks out of the renderer directory.
import { loadStatic, CSP } from '../src/server/http.js';
import { APP_HOST, APP_SCHEME } from './channels.js';

/** Must be registered before the app is ready: a standard, secure scheme gets a real origin for CSP and storage. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

export async function appProtocolResponse(rendererDir: string, requestUrl: string, method = 'GET'): Promise<Response> {
  const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' };
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return new Response('bad request\n', { status: 400, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  if (url.host !== APP_HOST || (method !== 'GET' && method !== 'HEAD')) {
    return new Response('refused\n', { status: 403, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const file = await loadStatic(rendererDir, url.pathname);
  return new Response(method === 'HEAD' ? null : new Uint8Array(file.body), { status: file.status, headers: { ...headers, 'Content-Type': file.contentType } });
}
