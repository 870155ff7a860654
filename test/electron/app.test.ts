import type { IpcMainInvokeEvent } from 'electron';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { API_METHODS } from '../../src/api/contract.js';
import { FIXTURES, ROOT, cli, tempDir } from '../helpers.js';

// The Node build of better-sqlite3 stands in for the Electron one: the tests run under Node.
const NODE_BINDING = join(dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

const fake = vi.hoisted(() => {
  type Fn = (...args: unknown[]) => unknown;
  const state = {
    appListeners: new Map<string, Fn>(),
    handlers: new Map<string, Fn>(),
    ipcListeners: new Map<string, Fn>(),
    windows: [] as { options: Record<string, unknown>; url?: string; webContents: { id: number; send: Fn; reload: Fn }; listeners: Map<string, Fn> }[],
    schemes: [] as unknown[],
    protocolHandlers: new Map<string, Fn>(),
    errors: [] as [string, string][],
    exitCode: undefined as number | undefined,
    sandboxed: false,
    menus: [] as unknown[],
    openDialog: undefined as undefined | { canceled: boolean; filePaths: string[] },
    sessionCalls: [] as string[],
    lock: true,
    quit: false,
  };
  let nextId = 1;
  class BrowserWindow {
    webContents: { id: number; send: Fn; reload: Fn };
    listeners = new Map<string, Fn>();
    options: Record<string, unknown>;
    url?: string;
    constructor(options: Record<string, unknown>) {
      this.options = options;
      this.webContents = { id: nextId++, send: () => undefined, reload: () => undefined };
      state.windows.push(this);
    }
    static fromWebContents(): BrowserWindow | null {
      return null;
    }
    on(name: string, fn: Fn) {
      this.listeners.set(name, fn);
      return this;
    }
    once(name: string, fn: Fn) {
      return this.on(name, fn);
    }
    maximize() {}
    show() {}
    isMaximized() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {}
    getNormalBounds() {
      return { x: 10, y: 20, width: 1000, height: 700 };
    }
    async loadURL(url: string) {
      this.url = url;
    }
  }
  const session = {
    setPermissionRequestHandler: () => state.sessionCalls.push('permissionRequest'),
    setPermissionCheckHandler: () => state.sessionCalls.push('permissionCheck'),
    webRequest: { onBeforeRequest: () => state.sessionCalls.push('beforeRequest'), onHeadersReceived: () => state.sessionCalls.push('headers') },
    on: (name: string) => state.sessionCalls.push(name),
  };
  const electron = {
    app: {
      enableSandbox: () => (state.sandboxed = true),
      on: (name: string, fn: Fn) => state.appListeners.set(name, fn),
      whenReady: async () => undefined,
      getAppPath: () => '/nonexistent-app',
      getPath: (name: string) => `/nonexistent-${name}`,
      isPackaged: false,
      exit: (code: number) => (state.exitCode = code),
      quit: () => (state.quit = true),
      requestSingleInstanceLock: () => state.lock,
    },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => state.schemes.push(...s),
      handle: (scheme: string, fn: Fn) => state.protocolHandlers.set(scheme, fn),
    },
    ipcMain: {
      handle: (channel: string, fn: Fn) => state.handlers.set(channel, fn),
      on: (channel: string, fn: Fn) => state.ipcListeners.set(channel, fn),
    },
    BrowserWindow,
    dialog: {
      showErrorBox: (title: string, text: string) => state.errors.push([title, text]),
      showOpenDialog: async () => state.openDialog ?? { canceled: true, filePaths: [] },
      showSaveDialog: async () => ({ canceled: true }),
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => state.menus.push(m) },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: { defaultSession: session },
  };
  return { state, electron };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

const { startApp, caseFromArgv, REBUILD_HINT } = await import('../../electron/app.js');

beforeEach(() => {
  const s = fake.state;
  s.appListeners.clear();
  s.handlers.clear();
  s.ipcListeners.clear();
  s.windows.length = 0;
  s.schemes.length = 0;
  s.protocolHandlers.clear();
  s.errors.length = 0;
  s.exitCode = undefined;
  s.sandboxed = false;
  s.menus.length = 0;
  s.openDialog = undefined;
  s.sessionCalls.length = 0;
  s.lock = true;
  s.quit = false;
});

async function seededCase(): Promise<string> {
  const path = join(tempDir(), 'case.blastmap');
  expect((await cli('import', join(FIXTURES, 'bloodhound/opengraph-ui-test-payload.json'), '--case', path)).code).toBe(0);
  return path;
}

function paths(extra: Record<string, string> = {}) {
  return { rendererDir: tempDir(), preload: '/app/dist/electron/preload.cjs', nativeBinding: NODE_BINDING, demoAssets: join(ROOT, 'assets', 'demo'), userData: tempDir(), ...extra };
}

const PASS = 'a passphrase for the client case';
function passphraseFile(): string {
  const file = join(tempDir(), 'pass.txt');
  writeFileSync(file, `${PASS}\n`);
  return file;
}

const trustedEvent = (id: number) => ({ senderFrame: { url: 'app://blastmap/index.html', parent: null }, sender: { id } }) as unknown as IpcMainInvokeEvent;

describe('Electron main process (electron mocked)', () => {
  it('starts sandboxed with a privileged app:// scheme and a window whose webPreferences are locked down', async () => {
    const casePath = await seededCase();
    await startApp({ argv: ['--case', casePath], paths: paths() });
    const s = fake.state;
    expect(s.sandboxed).toBe(true);
    expect(s.schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(s.protocolHandlers.has('app')).toBe(true);
    expect(s.appListeners.has('web-contents-created')).toBe(true);
    expect(s.sessionCalls).toEqual(expect.arrayContaining(['permissionRequest', 'permissionCheck', 'beforeRequest', 'headers', 'will-download']));
    expect(s.windows).toHaveLength(1);
    const prefs = s.windows[0]!.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
    expect(prefs['enableBlinkFeatures']).toBeUndefined();
    expect(s.windows[0]!.url).toBe('app://blastmap/index.html');
    expect(s.menus).toHaveLength(1);
  });

  it('registers every API method and answers from the open case through the IPC handler', async () => {
    const casePath = await seededCase();
    await startApp({ argv: [`--case=${casePath}`], paths: paths() });
    const s = fake.state;
    for (const m of API_METHODS) expect(s.handlers.has(`blastmap:${m}`), m).toBe(true);
    const id = s.windows[0]!.webContents.id;
    const info = (await s.handlers.get('blastmap:caseInfo')!(trustedEvent(id), {})) as { ok: boolean; value: { path: string; sources: unknown[] } };
    expect(info.ok).toBe(true);
    expect(info.value.path).toBe(casePath);
    expect(info.value.sources).toHaveLength(1);
    // The same call from a webContents the app did not create is refused.
    const foreign = (await s.handlers.get('blastmap:caseInfo')!(trustedEvent(id + 100), {})) as { ok: boolean };
    expect(foreign.ok).toBe(false);
    // Importing a path needs the user's pick first.
    const exportFile = join(FIXTURES, 'bloodhound/opengraph-minimal.json');
    const before = (await s.handlers.get('blastmap:importFiles')!(trustedEvent(id), { files: [{ path: exportFile }] })) as { ok: boolean };
    expect(before.ok).toBe(false);
    s.openDialog = { canceled: false, filePaths: [exportFile] };
    const picked = (await s.handlers.get('blastmap-shell:pickImportFiles')!(trustedEvent(id), {})) as { value: unknown };
    expect(picked.value).toEqual([{ path: exportFile }]);
    const after = (await s.handlers.get('blastmap:importFiles')!(trustedEvent(id), { files: [{ path: exportFile }] })) as { ok: boolean };
    expect(after.ok).toBe(true);
  });

  it('compares with a case file only once the user picked it in the dialog', async () => {
    const casePath = await seededCase();
    const other = await seededCase();
    await startApp({ argv: ['--case', casePath], paths: paths() });
    const s = fake.state;
    const id = s.windows[0]!.webContents.id;
    const compare = () => s.handlers.get('blastmap:compareCase')!(trustedEvent(id), { other: { path: other } }) as Promise<{ ok: boolean; value?: { summary: unknown } }>;
    expect((await compare()).ok).toBe(false);
    s.openDialog = { canceled: false, filePaths: [other] };
    const picked = (await s.handlers.get('blastmap-shell:pickCaseFile')!(trustedEvent(id), {})) as { value: unknown };
    expect(picked.value).toEqual({ path: other });
    const diff = await compare();
    expect(diff.ok).toBe(true);
    expect(diff.value?.summary).toMatchObject({ keysRotated: 0 });
  });

  it('remembers opened cases in recent.json and reopens the latest', async () => {
    const casePath = await seededCase();
    const p = paths();
    await startApp({ argv: ['--case', casePath], paths: p });
    expect(JSON.parse(readFileSync(join(p.userData, 'recent.json'), 'utf8'))).toEqual([casePath]);
    const recent = (await fake.state.handlers.get('blastmap-shell:recentCases')!(trustedEvent(fake.state.windows[0]!.webContents.id), {})) as { value: string[] };
    expect(recent.value).toEqual([casePath]);
  });

  it('keeps the window state and ignores a saved position that is off every display', async () => {
    const casePath = await seededCase();
    const p = paths();
    writeFileSync(join(p.userData, 'window-state.json'), JSON.stringify({ width: 1200, height: 800, x: 5000, y: 5000, maximized: false }));
    await startApp({ argv: ['--case', casePath], paths: p });
    const win = fake.state.windows[0]!;
    expect(win.options).toMatchObject({ width: 1200, height: 800 });
    expect(win.options['x']).toBeUndefined();
    win.listeners.get('close')!();
    expect(JSON.parse(readFileSync(join(p.userData, 'window-state.json'), 'utf8'))).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
  });

  it('builds the demo case in userData at first run', async () => {
    // A one-file stand-in for assets/demo, whose formats need importers from other parts of the project.
    const assets = tempDir();
    writeFileSync(join(assets, 'graph.json'), readFileSync(join(FIXTURES, 'bloodhound/opengraph-ui-test-payload.json')));
    const p = paths({ demoAssets: assets });
    await startApp({ argv: [], paths: p });
    const demo = join(p.userData, 'demo.blastmap');
    expect(existsSync(demo)).toBe(true);
    const info = (await fake.state.handlers.get('blastmap:caseInfo')!(trustedEvent(fake.state.windows[0]!.webContents.id), {})) as { value: { path: string; counts: { nodes: number } } };
    expect(info.value.path).toBe(demo);
    expect(info.value.counts.nodes).toBeGreaterThan(2);
    // Second run: the demo case is reused, not rebuilt.
    await startApp({ argv: [], paths: p });
    expect(fake.state.errors).toEqual([]);
  });

  it('says plainly how to build the Electron sqlite binding when it is missing, and exits 1', async () => {
    const p = paths({ nativeBinding: join(tempDir(), 'missing', 'better_sqlite3.node') });
    mkdirSync(p.userData, { recursive: true });
    await startApp({ argv: [], paths: p });
    expect(fake.state.errors).toEqual([['Blastmap cannot open cases', REBUILD_HINT]]);
    expect(REBUILD_HINT).toContain('npm run rebuild:electron-sqlite');
    expect(fake.state.exitCode).toBe(1);
    expect(fake.state.windows).toHaveLength(0);
  });

  it('quits at once when another instance holds the lock', async () => {
    fake.state.lock = false;
    await startApp({ argv: [], paths: paths() });
    expect(fake.state.quit).toBe(true);
    expect(fake.state.windows).toHaveLength(0);
    expect(fake.state.handlers.size).toBe(0);
  });

  it('reads the case from the command line: --case, or a .blastmap path the OS passes', () => {
    expect(caseFromArgv(['electron', '.', '--case', '/x/a.blastmap'])).toBe('/x/a.blastmap');
    expect(caseFromArgv(['electron', '--case=/x/b.blastmap'])).toBe('/x/b.blastmap');
    expect(caseFromArgv(['/opt/Blastmap/blastmap', '/home/u/incident.blastmap'])).toBe('/home/u/incident.blastmap');
    expect(caseFromArgv(['/opt/Blastmap/blastmap', '--flag', '.'])).toBeUndefined();
    expect(caseFromArgv(['electron', '.'])).toBeUndefined();
    expect(caseFromArgv(['/opt/Blastmap/blastmap', '/home/u/client.blastmap.enc'])).toBe('/home/u/client.blastmap.enc');
  });

  it('opens an encrypted case after the window gives its passphrase, from a private copy wiped on the next case', async () => {
    const plain = await seededCase();
    const enc = join(tempDir(), 'client.blastmap.enc');
    expect((await cli('pack', '--case', plain, '--out', enc, '--passphrase-file', passphraseFile())).code).toBe(0);
    const temp = tempDir();
    const original = fake.electron.app.getPath;
    fake.electron.app.getPath = (name: string) => (name === 'temp' ? temp : original(name));
    try {
      const assets = tempDir();
      writeFileSync(join(assets, 'graph.json'), readFileSync(join(FIXTURES, 'bloodhound/opengraph-minimal.json')));
      await startApp({ argv: ['/opt/Blastmap/blastmap', enc], paths: paths({ demoAssets: assets }) });
      const s = fake.state;
      const win = s.windows[0]!;
      const sent: unknown[] = [];
      win.webContents.send = (_channel: unknown, command: unknown) => sent.push(command);
      const id = win.webContents.id;
      const caseInfo = async () => ((await s.handlers.get('blastmap:caseInfo')!(trustedEvent(id), {})) as { value: { path: string; counts: { nodes: number } } }).value;
      // Until unlocked, the demo case is open and the encrypted one waits.
      expect((await caseInfo()).path).not.toBe(enc);
      const unlock = s.handlers.get('blastmap-shell:unlockCase')!;
      const wrong = (await unlock(trustedEvent(id), { passphrase: 'not the passphrase' })) as { ok: boolean; error: { message: string } };
      expect(wrong.ok).toBe(false);
      expect(wrong.error.message).toContain('wrong passphrase');
      expect(readdirSync(temp)).toEqual([]);
      const ok = (await unlock(trustedEvent(id), { passphrase: PASS })) as { ok: boolean; value: { path: string } };
      expect(ok.ok).toBe(true);
      expect(ok.value.path).toBe(enc);
      expect((await caseInfo()).path).toBe(enc);
      expect(readdirSync(temp)).toHaveLength(1);
      // Opening another case wipes the decrypted copy.
      s.appListeners.get('second-instance')!({}, ['/opt/Blastmap/blastmap', plain]);
      await vi.waitFor(async () => expect((await caseInfo()).path).toBe(plain));
      expect(readdirSync(temp)).toEqual([]);
      // An encrypted case opened while running asks the window for its passphrase.
      s.appListeners.get('second-instance')!({}, ['/opt/Blastmap/blastmap', enc]);
      await vi.waitFor(() => expect(sent).toContain('unlock-case'));
    } finally {
      fake.electron.app.getPath = original;
    }
  });

  it('opens a case double-clicked while the app runs, in the same window', async () => {
    const first = await seededCase();
    const second = await seededCase();
    await startApp({ argv: ['--case', first], paths: paths() });
    const s = fake.state;
    const win = s.windows[0]!;
    let reloaded = 0;
    win.webContents.reload = () => (reloaded += 1);
    s.appListeners.get('second-instance')!({}, ['/opt/Blastmap/blastmap', second]);
    await vi.waitFor(() => expect(reloaded).toBe(1));
    const info = (await s.handlers.get('blastmap:caseInfo')!(trustedEvent(win.webContents.id), {})) as { value: { path: string } };
    expect(info.value.path).toBe(second);
    expect(s.windows).toHaveLength(1);
  });
});
