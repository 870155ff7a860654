// `blastmap serve`: one case, one server, one token, until the process is told to stop.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { importWorkerBeside, openEngine } from '../api/engine.js';
import { startServer } from './http.js';

export interface ServeOptions {
  casePath: string;
  port?: number;
  open: boolean;
  rendererDir?: string;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Resolves when the server should stop (default: SIGINT or SIGTERM). */
  stopped?: Promise<void>;
  /** Opens a file:// URL in the browser (default: open / xdg-open / start). */
  launch?: (target: string) => void;
  /** The case serve was asked for, when casePath is a decrypted copy of it (shown instead of the copy's path). */
  displayPath?: string;
}

/** dist/renderer of this installation, from the bundled CLI (dist/blastmap.js) or from the sources. */
export function defaultRendererDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (basename(dir) === 'dist') return join(dir, 'renderer');
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'renderer');
    dir = dirname(dir);
  }
  return join(process.cwd(), 'dist', 'renderer');
}

export async function serveCase(options: ServeOptions): Promise<void> {
  const created = !existsSync(options.casePath);
  // Imports run in a worker thread when the built worker is there (dist/), so the server answers meanwhile.
  const importWorker = importWorkerBeside(import.meta.url);
  const engine = openEngine(options.casePath, { create: true, ...(importWorker ? { importWorker } : {}), ...(options.displayPath ? { displayPath: options.displayPath } : {}) });
  let running: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    running = await startServer({
      api: engine,
      rendererDir: options.rendererDir ?? defaultRendererDir(),
      // Uploads are streamed to temporary files and imported from there, as the CLI imports a file.
      uploads: (request) => engine.importWithHooks(request, {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
    });
    if (created) options.err(`blastmap: ${options.casePath} did not exist; serving a new, empty case\n`);
    options.out(`Blastmap is serving ${options.displayPath ?? options.casePath} at ${running.url}\n`);
    const cleanupOpen = options.open ? openBrowser(running.url, options.launch ?? ((target) => launchBrowser(target, options.err))) : () => undefined;
    try {
      await (options.stopped ?? untilSignal());
    } finally {
      cleanupOpen();
    }
  } finally {
    await running?.close();
    engine.close();
  }
}

function untilSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * Opens the default browser through a private redirect page rather than the URL itself, so the token does not
 * appear in the browser's command line, which other users of the machine can read (ps).
 */
function openBrowser(url: string, launch: (target: string) => void): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-open-'));
  const page = join(dir, 'open.html');
  const escaped = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  writeFileSync(page, `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${escaped}"><title>Blastmap</title><a href="${escaped}">Open Blastmap</a>\n`, { mode: 0o600 });
  launch(pathToFileURL(page).href);
  return () => rmSync(dir, { recursive: true, force: true });
}

function launchBrowser(target: string, err: (text: string) => void): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [target]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', target]] : ['xdg-open', [target]];
  const failed = () => err('blastmap: could not open a browser; open the URL above yourself\n');
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', failed);
    child.unref();
  } catch {
    failed();
  }
}
