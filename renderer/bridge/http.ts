// Browser mode: the engine API over HTTP (docs: http-contract in ARCHITECTURE.md). The token arrives once in the
// URL fragment; it is removed from the address bar and kept in memory (and sessionStorage, so a reload works).
import { API_METHODS, type ApiErrorShape, type BlastmapApi, type RendererBridge, type ShellServices } from '../contract';

const TOKEN_KEY = 'blastmap.token';

/** An engine error as the API reported it; `shape` carries the code, file, location and candidates. */
export class ApiCallError extends Error {
  constructor(readonly shape: ApiErrorShape, readonly status: number) {
    super(shape.message);
    this.name = 'ApiCallError';
  }
}

export interface TokenSources {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  /** Asked for only when needed: the page's first look at sessionStorage costs a round trip to the browser. */
  storage: () => Pick<Storage, 'getItem' | 'setItem'> | null;
}

/**
 * Reads the token from `#token=…` or from sessionStorage after a reload. The fragment is cleared and the token kept
 * for a reload through `later` (at once by default): the page's entry asks for the first screen's data before it
 * spends tens of milliseconds on the history and storage calls of a fresh page.
 */
export function takeToken(src: TokenSources, later: (keep: () => void) => void = (keep) => keep()): string | null {
  const params = new URLSearchParams(src.location.hash.replace(/^#/, ''));
  const fromHash = params.get('token');
  if (fromHash) {
    later(() => {
      src.history.replaceState(src.history.state, '', src.location.pathname + src.location.search);
      try {
        src.storage()?.setItem(TOKEN_KEY, fromHash);
      } catch {
        // Storage can be disabled; the token then lives for this page only.
      }
    });
    return fromHash;
  }
  try {
    return src.storage()?.getItem(TOKEN_KEY) ?? null;
  } catch {
    return null;
  }
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export function createHttpApi(token: string, fetchImpl: Fetch, base = ''): BlastmapApi {
  const call = async (method: string, arg: unknown): Promise<unknown> => {
    let res: Response;
    try {
      res = await fetchImpl(`${base}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Blastmap-Token': token },
        body: JSON.stringify(arg ?? {}),
      });
    } catch (err) {
      throw new ApiCallError({ code: 'internal', message: `Blastmap server unreachable (${err instanceof Error ? err.message : String(err)}). Is \`blastmap serve\` still running?` }, 0);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = undefined;
    }
    if (!res.ok) {
      const shape = isErrorBody(body) ? body.error : { code: 'internal' as const, message: `HTTP ${res.status} from the Blastmap server${text ? `: ${text.slice(0, 200)}` : ''}` };
      if (res.status === 401 || res.status === 403) shape.message = `${shape.message} (the page's access token is missing or stale: open the URL that \`blastmap serve\` printed)`;
      throw new ApiCallError(shape, res.status);
    }
    return body;
  };
  const api: Record<string, (arg: unknown) => Promise<unknown>> = {};
  for (const m of API_METHODS) api[m] = (arg: unknown) => call(m, arg);
  return api as unknown as BlastmapApi;
}

function isErrorBody(v: unknown): v is { error: ApiErrorShape } {
  if (typeof v !== 'object' || v === null) return false;
  const e = (v as { error?: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string';
}

export const browserShell: ShellServices = {
  mode: 'browser',
  pickImportFiles: async () => [],
  pathOfDroppedFile: () => null,
  openCase: async () => null,
  recentCases: async () => [],
  onCommand: () => () => undefined,
  unlockCase: async () => null,
};

export function createHttpBridge(token: string, fetchImpl: Fetch = (i, init) => fetch(i, init)): RendererBridge {
  return { api: createHttpApi(token, fetchImpl), shell: browserShell };
}
