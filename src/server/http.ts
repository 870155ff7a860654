// Browser mode: the renderer and the engine API over HTTP, for this machine's user only.
// Defences, in the order a request meets them: the socket listens on 127.0.0.1 alone; the Host header must name
// that socket (a DNS-rebinding page reaches us under its own host name); an Origin header, when sent, must be ours
// (another site's page may send requests it cannot read); every API call carries the per-launch token, which only
// the URL printed on our stdout holds. Static files carry no case data and need no token.
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ApiErrorShape, ApiMethod, BlastmapApi, CaseInfo, ImportResult, SourceInfo } from '../api/contract.js';
import { ApiError, isApiErrorShape } from '../api/errors.js';
import { isApiMethod, validateArg } from '../api/validate.js';
import type { EngineImportRequest } from '../api/import.js';
import { consume, receiveUpload, sweepStaleUploads, UploadError } from './upload.js';

export const TOKEN_HEADER = 'x-blastmap-token';
/** Uploads arrive base64-encoded inside JSON; 512 MiB is far beyond any export a browser should send. */
export const DEFAULT_MAX_BODY_BYTES = 512 * 1024 * 1024;
/** A client that sends nothing for this long while its request body is still coming is cut off (slow-body attacks). */
export const DEFAULT_BODY_IDLE_MS = 30_000;


export const CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const COMMON_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // The token travels in the URL fragment, which is never sent as a referrer, but nothing else should leak either.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

const STATUS_OF: Record<ApiErrorShape['code'], number> = {
  'bad-input': 400,
  'not-found': 404,
  ambiguous: 409,
  case: 409,
  cancelled: 409,
  internal: 500,
};

export interface ServerOptions {
  api: BlastmapApi;
  /** Directory of the built renderer (dist/renderer). */
  rendererDir: string;
  /** 0 (default): any free port. */
  port?: number;
  /** Tests only; a launch makes its own. */
  token?: string;
  maxBodyBytes?: number;
  /** Node's own limits stay: a request's headers within 60 s, the whole request within 5 minutes. */
  bodyIdleTimeoutMs?: number;
  /**
   * Imports uploads the server has streamed to temporary files (the engine's importWithHooks). Without it, an
   * importFiles body is read into memory and handed to api.importFiles.
   */
  uploads?: (request: EngineImportRequest) => Promise<ImportResult>;
}

export interface RunningServer {
  readonly port: number;
  readonly token: string;
  /** The URL to open: the token rides in the fragment, which browsers never send to a server. */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * Whether a sent X-Blastmap-Token is the launch's token, in constant time: both sides are hashed to 32 bytes first, so
 * timingSafeEqual compares equal lengths and the time taken says nothing about how much of the token was right (nor
 * its length).
 */
export function tokenMatcher(token: string): (sent: string | string[] | undefined) => boolean {
  const expected = createHash('sha256').update(token).digest();
  return (sent) => typeof sent === 'string' && sent.length > 0 && timingSafeEqual(createHash('sha256').update(sent).digest(), expected);
}

/** A fresh token: 32 random bytes, hex. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const rendererDir = resolve(options.rendererDir);
  const idleMs = options.bodyIdleTimeoutMs ?? DEFAULT_BODY_IDLE_MS;
  let port = 0;
  // Upload files of a server that was killed would otherwise stay in the temporary directory.
  if (options.uploads) sweepStaleUploads();

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, { code: 'internal', message: (err as Error)?.message ?? String(err) });
      else res.destroy();
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      return sendError(res, 403, { code: 'bad-input', message: 'refused: the Host header does not name this server' });
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
      return sendError(res, 403, { code: 'bad-input', message: 'refused: requests from another origin are not allowed' });
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${host}`);
    } catch {
      req.resume();
      return sendError(res, 400, { code: 'bad-input', message: 'malformed request URL' });
    }
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return handleApi(req, res, url.pathname.slice('/api/'.length));
    return handleStatic(req, res, url.pathname);
  };

  const tokenMatches = tokenMatcher(token);

  const handleApi = async (req: IncomingMessage, res: ServerResponse, name: string): Promise<void> => {
    // A page of another site cannot set this header without a CORS preflight, which we never grant.
    if (!tokenMatches(req.headers[TOKEN_HEADER])) {
      req.resume();
      return sendError(res, 401, { code: 'bad-input', message: 'refused: missing or wrong X-Blastmap-Token' });
    }
    if (req.method !== 'POST') {
      req.resume();
      res.setHeader('Allow', 'POST');
      return sendError(res, 405, { code: 'bad-input', message: 'API calls are POST requests' });
    }
    if (!isApiMethod(name)) {
      req.resume();
      return sendError(res, 404, { code: 'not-found', message: `no API method ${JSON.stringify(name)}` });
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      return sendError(res, 415, { code: 'bad-input', message: 'API calls send Content-Type: application/json' });
    }
    if (name === 'importFiles' && options.uploads) return handleUpload(req, res, options.uploads);
    let body: Buffer | 'too-large';
    try {
      body = await readBody(req, maxBody, idleMs);
    } catch (err) {
      if (err instanceof UploadError) return refuseBody(res, err);
      throw err;
    }
    if (body === 'too-large') {
      res.setHeader('Connection', 'close');
      return sendError(res, 413, { code: 'bad-input', message: `request body larger than ${maxBody} bytes` });
    }
    let arg: unknown;
    try {
      arg = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch (err) {
      return sendError(res, 400, { code: 'bad-input', message: `the request body is not JSON: ${(err as Error).message}` });
    }
    try {
      const method: ApiMethod = name;
      const checked = validateArg(method, arg);
      refusePaths(method, checked);
      const result = await (options.api[method] as (a: unknown) => Promise<unknown>)(checked);
      sendJson(res, 200, withoutPaths(method, result) ?? null);
    } catch (err) {
      sendApiError(res, err);
    }
  };

  /** importFiles with the body streamed: each file's base64 decoded into a temporary file as it arrives. */
  const handleUpload = async (req: IncomingMessage, res: ServerResponse, uploads: NonNullable<ServerOptions['uploads']>): Promise<void> => {
    let upload: Awaited<ReturnType<typeof receiveUpload>>;
    try {
      upload = await receiveUpload(req, maxBody, idleMs);
    } catch (err) {
      if (err instanceof UploadError) return refuseBody(res, err);
      throw err;
    }
    try {
      const checked = validateArg('importFiles', upload.arg);
      refusePaths('importFiles', checked);
      const files = (checked.files as { name: string }[]).map((f, i) => ({ name: f.name, uploadedTo: upload.paths[i]! }));
      const result = await uploads({ files, ...(checked.options ? { options: checked.options } : {}) });
      sendJson(res, 200, withoutPaths('importFiles', result));
    } catch (err) {
      sendApiError(res, err);
    } finally {
      upload.dispose();
    }
  };

  const handleStatic = async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    req.resume();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'method not allowed\n');
    }
    const file = await loadStatic(rendererDir, pathname);
    res.writeHead(file.status, {
      ...COMMON_HEADERS,
      'Content-Type': file.contentType,
      'Content-Length': file.body.length,
      // Vite names assets by content hash; index.html and errors must always be fetched again.
      'Cache-Control': file.status === 200 && !file.isIndex ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    // 127.0.0.1 only: never 0.0.0.0, never ::.
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    server,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

export interface StaticFile {
  status: 200 | 403 | 404;
  contentType: string;
  body: Buffer;
  isIndex: boolean;
}

const text = (status: StaticFile['status'], body: string): StaticFile => ({ status, contentType: 'text/plain; charset=utf-8', body: Buffer.from(body, 'utf8'), isIndex: false });

/** The renderer file a URL path names (browser mode and Electron's app:// protocol both serve through this). */
export async function loadStatic(rendererDir: string, pathname: string): Promise<StaticFile> {
  const root = resolve(rendererDir);
  const isIndex = pathname === '/' || pathname === '/index.html';
  const file = staticFile(root, isIndex ? '/index.html' : pathname);
  if (file === 'refused') return text(403, 'refused\n');
  if (isIndex && (!file || !existsSync(file))) return text(200, 'Blastmap: the renderer is not built.\nRun `npm run build:renderer`, then reload this page.\n');
  if (!file) return text(404, 'not found\n');
  // Source maps describe our sources, which the page does not need: never served.
  if (/\.map$/i.test(file)) return text(404, 'not found\n');
  let real: string;
  try {
    real = realpathSync(file);
    // A symlink inside the renderer directory must not lead out of it.
    if (!isInside(realpathSync(root), real)) return text(403, 'refused\n');
    if (!(await stat(real)).isFile()) return text(404, 'not found\n');
    return { status: 200, contentType: CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream', body: await readFile(real), isIndex };
  } catch {
    return text(404, 'not found\n');
  }
}

/** Browser mode imports uploaded contents only: a page must not make the server read files by path. */
function refusePaths(method: ApiMethod, arg: unknown): void {
  if (method !== 'importFiles' && method !== 'planImpact' && method !== 'compareCase') return;
  const files = method === 'compareCase' ? [(arg as { other: object }).other] : (arg as { files: object[] }).files;
  if (files.some((f) => 'path' in f)) {
    throw new ApiError({ code: 'bad-input', message: 'browser mode imports file contents ({ name, contentBase64 }), not paths' });
  }
}

/** The file a URL path names inside `root`, null when it names nothing servable, 'refused' for traversal. */
export function staticFile(root: string, pathname: string): string | null | 'refused' {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return 'refused';
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return 'refused';
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s === '.')) return 'refused';
  // Dot files (.env, .git) are never part of a build.
  if (segments.some((s) => s.startsWith('.'))) return null;
  const full = join(root, ...segments);
  if (!isInside(root, full)) return 'refused';
  return full;
}

function isInside(root: string, full: string): boolean {
  const rel = relative(root, full);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

async function readBody(req: IncomingMessage, limit: number, idleMs: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return 'too-large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  await consume(req, idleMs, (chunk) => {
    if (over) return;
    size += chunk.length;
    if (size > limit) {
      over = true;
      chunks.length = 0;
      return;
    }
    chunks.push(chunk);
  });
  return over ? 'too-large' : Buffer.concat(chunks);
}

/** A body that could not be read (too large, too slow, not JSON): answered, and the connection closed. */
function refuseBody(res: ServerResponse, err: UploadError): void {
  res.setHeader('Connection', 'close');
  sendError(res, err.status, { code: 'bad-input', message: err.message });
}

function sendApiError(res: ServerResponse, err: unknown): void {
  const shape: ApiErrorShape =
    err instanceof ApiError ? err.toJSON() : isApiErrorShape(err) ? { code: err.code, message: err.message } : { code: 'internal', message: (err as Error)?.message ?? String(err) };
  sendError(res, STATUS_OF[shape.code] ?? 500, shape);
}

/**
 * The page learns file names, never where files are on this machine: the case's path and the sources' labels (the
 * absolute path of each file imported from the command line) become their file names.
 */
function withoutPaths(method: ApiMethod, result: unknown): unknown {
  const source = (s: SourceInfo): SourceInfo => ({ ...s, label: s.label.startsWith('upload:') ? s.label : basename(s.label) });
  if (method === 'caseInfo') {
    const info = result as CaseInfo;
    return { ...info, path: basename(info.path), sources: info.sources.map(source) };
  }
  if (method === 'importFiles') {
    const r = result as ImportResult;
    return { ...r, sources: r.sources.map(source) };
  }
  return result;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, error: ApiErrorShape): void {
  sendJson(res, status, { error });
}

function sendText(res: ServerResponse, status: number, text: string): void {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(body);
}
