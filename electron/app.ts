// The Electron main process: one window on one case at a time, the engine in this process, the renderer sandboxed
// behind the preload. main.ts only calls startApp(); everything here takes its paths and argv as options so the
// tests can run it against a mocked electron.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, type IpcMainInvokeEvent } from 'electron';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseInfo, ImportFile, ShellCommand } from '../src/api/contract.js';
import { openEngine, type Engine } from '../src/api/engine.js';
import { ApiError } from '../src/api/errors.js';
import { buildDemoCase } from '../src/demo.js';
import { isEncryptedFile, openEncryptedCopy } from '../src/pack/pack.js';
import { APP_SCHEME, APP_URL, SHELL_CHANNELS } from './channels.js';
import { isTrustedSender, registerApiHandlers, registerShellHandlers, type SenderEvent } from './ipc.js';
import { buildMenuTemplate } from './menu.js';
import { APP_SCHEME_PRIVILEGES, appProtocolResponse } from './protocol.js';
import { addRecent, loadRecent, writeAtomic } from './recent.js';
import { hardenSession, hardenWebContents } from './security.js';
import { loadWindowState, saveWindowState } from './window-state.js';

export interface AppPaths {
  rendererDir: string;
  preload: string;
  /** better-sqlite3 built for Electron's ABI (npm run rebuild:electron-sqlite; packaged as an extra resource). */
  nativeBinding: string;
  /** The built import worker (dist/electron/import-worker.js); without it imports run on the main thread. */
  importWorker?: string;
  demoAssets: string;
  userData: string;
}

export interface StartOptions {
  argv?: string[];
  paths?: Partial<AppPaths>;
}

export const REBUILD_HINT =
  'Blastmap needs better-sqlite3 built for Electron. Run `npm run rebuild:electron-sqlite` once with network access (it downloads Electron headers), then start again.';

export function defaultPaths(): AppPaths {
  const root = app.getAppPath();
  const mainDir = dirname(fileURLToPath(import.meta.url));
  return {
    rendererDir: join(root, 'dist', 'renderer'),
    preload: join(mainDir, 'preload.cjs'),
    // Imports run in a worker thread, so the window stays responsive while a large estate is derived.
    importWorker: join(mainDir, 'import-worker.js'),
    nativeBinding: app.isPackaged ? join(process.resourcesPath, 'native', 'better_sqlite3.node') : join(root, 'build', 'electron-sqlite', 'better_sqlite3.node'),
    demoAssets: app.isPackaged ? join(process.resourcesPath, 'demo') : join(root, 'assets', 'demo'),
    userData: app.getPath('userData'),
  };
}

/**
 * The case named on the command line: `--case <file>`, `--case=<file>`, or a `.blastmap` path on its own (how the
 * OS passes a double-clicked case file to the app).
 */
export function caseFromArgv(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--case' && argv[i + 1]) return resolve(argv[i + 1]!);
    if (a.startsWith('--case=')) return resolve(a.slice('--case='.length));
  }
  const file = argv.slice(1).find((a) => !a.startsWith('-') && (a.endsWith('.blastmap') || a.endsWith('.blastmap.enc')));
  return file ? resolve(file) : undefined;
}

const CASE_FILTERS = [{ name: 'Blastmap case', extensions: ['blastmap'] }];
const OPEN_FILTERS = [{ name: 'Blastmap case (plain or encrypted)', extensions: ['blastmap', 'enc'] }];
const EXPORT_FILTERS = [
  { name: 'Inventory exports', extensions: ['json', 'jsonl', 'ndjson', 'csv', 'yaml', 'yml', 'hcl', 'txt', 'gz'] },
  { name: 'All files', extensions: ['*'] },
];

export async function startApp(options: StartOptions = {}): Promise<void> {
  // Both must happen before the app is ready.
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

  let engine: Engine | undefined;
  let win: BrowserWindow | undefined;
  const ours = new Set<number>();
  // Paths the user picked or dropped, per window: the only paths importFiles may read.
  const grants = new Map<number, Set<string>>();

  // One instance: a second launch focuses the open window instead of opening the same case twice.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Cases opened from the OS (double-click, "Open with") before the app is ready wait here.
  let pendingOpen: string | undefined;
  let openFromOs: (path: string) => void = (path) => (pendingOpen = path);
  app.on('second-instance', (_event, argv) => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
    const path = caseFromArgv(argv);
    if (path) openFromOs(path);
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openFromOs(resolve(path));
  });

  // An encrypted case (.blastmap.enc) waits here for its passphrase, which the window asks for ('unlock-case'); once
  // unlocked it is worked on from a decrypted copy in a private temporary directory, wiped when another case is
  // opened or the app quits.
  let locked: string | undefined;
  let wipeCopy: (() => void) | undefined;
  const wipe = () => {
    const w = wipeCopy;
    wipeCopy = undefined;
    w?.();
  };

  app.on('window-all-closed', () => {
    engine?.close();
    engine = undefined;
    wipe();
    app.quit();
  });
  app.on('will-quit', () => wipe());

  await app.whenReady();
  const paths: AppPaths = { ...defaultPaths(), ...options.paths };
  mkdirSync(paths.userData, { recursive: true });
  const recentFile = join(paths.userData, 'recent.json');
  const stateFile = join(paths.userData, 'window-state.json');

  if (!existsSync(paths.nativeBinding)) {
    dialog.showErrorBox('Blastmap cannot open cases', REBUILD_HINT);
    app.exit(1);
    return;
  }

  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(paths.rendererDir, request.url, request.method));

  const trusted = (event: SenderEvent) => isTrustedSender(event, (id) => ours.has(id));
  const grant = (id: number, path: string) => {
    const set = grants.get(id) ?? new Set<string>();
    set.add(resolve(path));
    grants.set(id, set);
  };

  const switchCase = (path: string, create: boolean, shownAs?: string): CaseInfo['path'] => {
    // The new case opens before the old one closes: a file that is not a case leaves the current one in place.
    const next = openEngine(path, { create, nativeBinding: paths.nativeBinding, ...(paths.importWorker ? { importWorker: paths.importWorker } : {}), ...(shownAs ? { displayPath: shownAs } : {}) });
    engine?.close();
    engine = next;
    // The decrypted copy of an encrypted case that was open goes with it.
    wipe();
    addRecent(recentFile, shownAs ?? path);
    // The OS's own recent list (Dock / jump list); Linux desktops have none Electron can fill.
    if (process.platform !== 'linux') app.addRecentDocument(shownAs ?? path);
    rebuildMenu();
    return path;
  };

  /** An encrypted case cannot open without its passphrase: the window is asked for it. */
  const askToUnlock = (path: string) => {
    locked = path;
    send('unlock-case');
  };

  const currentEngine = (): Engine => {
    if (!engine) throw new ApiError({ code: 'case', message: 'no case is open' });
    return engine;
  };

  const send = (command: ShellCommand) => win?.webContents.send(SHELL_CHANNELS.command, command);

  const openRecent = async (path: string) => {
    try {
      if (engine && (await engine.importProgress({}))) throw new ApiError({ code: 'bad-input', message: 'an import is running; cancel it or wait before opening another case' });
      if (isEncryptedFile(path)) return askToUnlock(path);
      switchCase(path, false);
      win?.webContents.reload();
    } catch (err) {
      dialog.showErrorBox('Blastmap', (err as Error).message);
    }
  };

  const rebuildMenu = () => {
    const template = buildMenuTemplate({
      isMac: process.platform === 'darwin',
      recent: loadRecent(recentFile),
      devTools: !app.isPackaged,
      send,
      openRecent: (p) => void openRecent(p),
      clearRecent: () => {
        writeAtomic(recentFile, '[]');
        rebuildMenu();
      },
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };

  registerApiHandlers(ipcMain, {
    api: currentEngine,
    trusted,
    pathAllowed: (event, path) => grants.get(event.sender.id)?.has(resolve(path)) ?? false,
  });

  const windowOf = (event: SenderEvent) => BrowserWindow.fromWebContents(event.sender as IpcMainInvokeEvent['sender']) ?? undefined;
  registerShellHandlers(ipcMain, trusted, {
    pickImportFiles: async (event): Promise<ImportFile[]> => {
      const parent = windowOf(event);
      const options = { title: 'Import exports', properties: ['openFile', 'multiSelections'] as ('openFile' | 'multiSelections')[], filters: EXPORT_FILTERS };
      const picked = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      if (picked.canceled) return [];
      for (const p of picked.filePaths) grant(event.sender.id, p);
      return picked.filePaths.map((path) => ({ path }));
    },
    openCase: async (event, { create }) => {
      if (engine && (await engine.importProgress({}))) throw new ApiError({ code: 'bad-input', message: 'an import is running; cancel it or wait before opening another case' });
      const parent = windowOf(event);
      let path: string | undefined;
      if (create) {
        const options = { title: 'New case', defaultPath: join(app.getPath('documents'), 'case.blastmap'), filters: CASE_FILTERS };
        const r = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
        path = r.canceled ? undefined : r.filePath;
        if (path && !path.endsWith('.blastmap')) path += '.blastmap';
        if (path && existsSync(path)) throw new ApiError({ code: 'bad-input', message: `${path} already exists; open it instead` });
      } else {
        const options = { title: 'Open case', properties: ['openFile'] as 'openFile'[], filters: OPEN_FILTERS };
        const r = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
        path = r.canceled ? undefined : r.filePaths[0];
      }
      if (!path) return null;
      if (!create && isEncryptedFile(path)) {
        askToUnlock(path);
        return null;
      }
      switchCase(path, create);
      return currentEngine().caseInfo({});
    },
    recentCases: async () => loadRecent(recentFile),
    pickCaseFile: async (event): Promise<ImportFile | null> => {
      const parent = windowOf(event);
      const options = { title: 'Compare with a case', properties: ['openFile'] as 'openFile'[], filters: CASE_FILTERS };
      const picked = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      const path = picked.canceled ? undefined : picked.filePaths[0];
      if (!path) return null;
      grant(event.sender.id, path);
      return { path };
    },
    grantDroppedPath: (event, path) => grant(event.sender.id, path),
    unlockCase: async (_event, { passphrase }) => {
      const path = locked;
      if (!path) throw new ApiError({ code: 'bad-input', message: 'no encrypted case is waiting to be opened' });
      if (engine && (await engine.importProgress({}))) throw new ApiError({ code: 'bad-input', message: 'an import is running; cancel it or wait before opening another case' });
      // A wrong passphrase leaves everything as it was (and the case still waiting): the window may ask again.
      const copy = await openEncryptedCopy(path, passphrase, { nativeBinding: paths.nativeBinding, parent: app.getPath('temp') });
      try {
        switchCase(copy.path, false, path);
      } catch (err) {
        copy.wipe();
        throw err;
      }
      wipeCopy = copy.wipe;
      locked = undefined;
      return currentEngine().caseInfo({});
    },
  });

  // First run (or every recent case gone): the demo case, built from assets/demo into userData.
  openFromOs = (path) => void openRecent(path);
  let initial = pendingOpen ?? caseFromArgv(options.argv ?? process.argv) ?? loadRecent(recentFile)[0];
  // An encrypted case opens once the window has asked for its passphrase; the demo case shows meanwhile.
  if (initial && isEncryptedFile(initial)) {
    locked = initial;
    initial = undefined;
  }
  try {
    if (initial) switchCase(initial, false);
  } catch (err) {
    dialog.showErrorBox('Blastmap', `${(err as Error).message}\nOpening the demo case instead.`);
  }
  if (!engine) {
    const demo = join(paths.userData, 'demo.blastmap');
    if (!existsSync(demo)) await buildDemoCase(demo, paths.demoAssets, { nativeBinding: paths.nativeBinding });
    switchCase(demo, false);
  }

  const state = loadWindowState(
    stateFile,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  win = new BrowserWindow({
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'Blastmap',
    backgroundColor: '#14171c',
    webPreferences: {
      // Reviewed for electronegativity's PRELOAD_JS_CHECK: the preload exposes only window.blastmap (see preload.ts).
      preload: paths.preload, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // A file dropped outside the drop zone must not replace the app with the file.
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click would otherwise open links in a new window, around the window.open handler.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const id = win.webContents.id;
  ours.add(id);
  if (state.maximized) win.maximize();
  const shown = win;
  shown.once('ready-to-show', () => shown.show());
  let timer: NodeJS.Timeout | undefined;
  const save = () => saveWindowState(stateFile, shown.getNormalBounds(), shown.isMaximized());
  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  shown.on('resize', saveSoon);
  shown.on('move', saveSoon);
  shown.on('close', () => {
    clearTimeout(timer);
    save();
  });
  shown.on('closed', () => {
    ours.delete(id);
    grants.delete(id);
    win = undefined;
  });
  await shown.loadURL(APP_URL);
  if (locked) send('unlock-case');
}
