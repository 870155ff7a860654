import type { Session, WebContents } from 'electron';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { appProtocolResponse } from '../../electron/protocol.js';
import { hardenSession, hardenWebContents, isAllowedRequest } from '../../electron/security.js';
import { CSP } from '../../src/server/http.js';
import { tempDir } from '../helpers.js';

type Listener = (...args: unknown[]) => unknown;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (name: string, fn: Listener) => {
      listeners.set(name, fn);
      return contents;
    },
    setWindowOpenHandler: (fn: typeof openHandler) => {
      openHandler = fn;
    },
  };
  hardenWebContents(contents as unknown as WebContents);
  const fire = (name: string, url: string) => {
    const event = { url, preventDefault: vi.fn() };
    listeners.get(name)!(event, url);
    return event.preventDefault.mock.calls.length > 0;
  };
  return { listeners, fire, open: (url: string) => openHandler!({ url }) };
}

describe('webContents hardening', () => {
  it('blocks navigation and redirects away from app://blastmap/', () => {
    const { fire } = fakeContents();
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(fire(name, 'https://evil.example/'), name).toBe(true);
      expect(fire(name, 'file:///etc/passwd'), name).toBe(true);
      expect(fire(name, 'http://127.0.0.1:1234/'), name).toBe(true);
      expect(fire(name, 'app://blastmap.evil/'), name).toBe(true);
      expect(fire(name, 'app://blastmap/index.html'), name).toBe(false);
    }
  });

  it('denies window.open and webviews', () => {
    const { open, fire } = fakeContents();
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(open('app://blastmap/index.html')).toEqual({ action: 'deny' });
    expect(fire('will-attach-webview', 'app://blastmap/index.html')).toBe(true);
  });
});

describe('session hardening', () => {
  function fakeSession() {
    const s = {
      permission: undefined as undefined | ((c: unknown, p: string, cb: (ok: boolean) => void) => void),
      check: undefined as undefined | (() => boolean),
      before: undefined as undefined | ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
      headers: undefined as undefined | ((d: { url: string; responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void),
      download: undefined as undefined | ((e: unknown, item: unknown) => void),
    };
    const session = {
      setPermissionRequestHandler: (fn: typeof s.permission) => (s.permission = fn),
      setPermissionCheckHandler: (fn: typeof s.check) => (s.check = fn),
      webRequest: {
        onBeforeRequest: (fn: typeof s.before) => (s.before = fn),
        onHeadersReceived: (fn: typeof s.headers) => (s.headers = fn),
      },
      on: (name: string, fn: typeof s.download) => {
        if (name === 'will-download') s.download = fn;
      },
    };
    hardenSession(session as unknown as Session);
    return s;
  }

  it('denies every permission request and check', () => {
    const s = fakeSession();
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const cb = vi.fn();
      s.permission!({}, p, cb);
      expect(cb).toHaveBeenCalledWith(false);
    }
    expect(s.check!()).toBe(false);
  });

  it('cancels every request to remote content or the disk', () => {
    const s = fakeSession();
    const cancelled = (url: string) => {
      let r: { cancel: boolean } | undefined;
      s.before!({ url }, (x) => (r = x));
      return r!.cancel;
    };
    expect(cancelled('https://fonts.example/x.woff2')).toBe(true);
    expect(cancelled('http://127.0.0.1:8080/api/caseInfo')).toBe(true);
    expect(cancelled('wss://evil.example/')).toBe(true);
    expect(cancelled('file:///etc/passwd')).toBe(true);
    expect(cancelled('app://elsewhere/x.js')).toBe(true);
    expect(cancelled('blob:https://evil.example/1')).toBe(true);
    expect(cancelled('app://blastmap/assets/index.js')).toBe(false);
    expect(cancelled('blob:app://blastmap/6f1c')).toBe(false);
    expect(cancelled('data:image/png;base64,AAAA')).toBe(false);
    expect(isAllowedRequest('not a url')).toBe(false);
  });

  it('adds the same CSP as browser mode to every response', () => {
    const s = fakeSession();
    let headers: Record<string, string[]> = {};
    s.headers!({ url: 'app://blastmap/index.html', responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']).toEqual([CSP]);
    expect(headers['Content-Type']).toEqual(['text/html']);
    // Even a response that brings a weaker policy of its own gets ours.
    s.headers!({ url: 'app://blastmap/assets/x.js', responseHeaders: { 'Content-Security-Policy': ['default-src *'] } }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']).toEqual([CSP]);
  });

  it('lets the page save its own exports and nothing else', () => {
    const s = fakeSession();
    const item = (url: string) => ({ getURL: () => url, getFilename: () => 'graph.png', cancel: vi.fn(), setSaveDialogOptions: vi.fn() });
    const remote = item('https://evil.example/payload.exe');
    s.download!({}, remote);
    expect(remote.cancel).toHaveBeenCalled();
    const own = item('app://blastmap/index.html');
    s.download!({}, own);
    expect(own.cancel).toHaveBeenCalled();
    const png = item('blob:app://blastmap/5d3e');
    s.download!({}, png);
    expect(png.cancel).not.toHaveBeenCalled();
    expect(png.setSaveDialogOptions).toHaveBeenCalledWith(expect.objectContaining({ defaultPath: 'graph.png' }));
  });
});

describe('app:// protocol', () => {
  function renderer(): string {
    const dir = tempDir();
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Blastmap</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'export {}');
    symlinkSync('/etc', join(dir, 'assets', 'etc'));
    return dir;
  }

  it('serves the renderer with the CSP, and refuses other hosts and traversal', async () => {
    const dir = renderer();
    const index = await appProtocolResponse(dir, 'app://blastmap/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(CSP);
    expect(await index.text()).toContain('<title>Blastmap</title>');
    const js = await appProtocolResponse(dir, 'app://blastmap/assets/app.js');
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await appProtocolResponse(dir, 'app://other/index.html')).status).toBe(403);
    expect((await appProtocolResponse(dir, 'app://blastmap/index.html', 'POST')).status).toBe(403);
    for (const path of ['/assets/etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2fetc/passwd']) {
      const r = await appProtocolResponse(dir, `app://blastmap${path}`);
      expect([403, 404], path).toContain(r.status);
      expect(await r.text()).not.toContain('root:');
    }
  });
});
