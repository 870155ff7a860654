import { describe, expect, it, vi } from 'vitest';
import { ApiCallError, createHttpApi, takeToken, type TokenSources } from '../../renderer/bridge/http';

function sources(hash: string, stored: string | null = null) {
  const storage = new Map<string, string>(stored ? [['blastmap.token', stored]] : []);
  const replaceState = vi.fn();
  const src: TokenSources = {
    location: { hash, pathname: '/', search: '' },
    history: { replaceState, state: null },
    storage: () => ({ getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) }),
  };
  return { src, storage, replaceState };
}

describe('browser-mode token', () => {
  it('takes the token from the fragment, clears it from the address bar and keeps it for a reload', () => {
    const { src, storage, replaceState } = sources('#token=abc123');
    expect(takeToken(src)).toBe('abc123');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/');
    expect(storage.get('blastmap.token')).toBe('abc123');
  });

  it('after a reload (no fragment) uses the kept token; with neither there is none', () => {
    expect(takeToken(sources('', 'kept').src)).toBe('kept');
    expect(takeToken(sources('').src)).toBeNull();
    expect(takeToken({ ...sources('').src, storage: () => null })).toBeNull();
  });

  it('clears the fragment and keeps the token only when told to, after the first requests', () => {
    const { src, storage, replaceState } = sources('#token=abc123');
    const later: (() => void)[] = [];
    expect(takeToken(src, (keep) => later.push(keep))).toBe('abc123');
    expect(replaceState).not.toHaveBeenCalled();
    expect(storage.has('blastmap.token')).toBe(false);
    for (const keep of later) keep();
    expect(replaceState).toHaveBeenCalledWith(null, '', '/');
    expect(storage.get('blastmap.token')).toBe('abc123');
  });
});

describe('HTTP API', () => {
  it('posts each method to /api/<method> with the token and the JSON argument', async () => {
    const fetchImpl = vi.fn(async () => new Response(JSON.stringify([{ node: { id: 'x' }, matched: 'x' }]), { status: 200 }));
    const api = createHttpApi('tok', fetchImpl);
    await expect(api.search({ text: 'AKIA', limit: 5 })).resolves.toEqual([{ node: { id: 'x' }, matched: 'x' }]);
    expect(fetchImpl).toHaveBeenCalledWith('/api/search', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Blastmap-Token': 'tok' },
      body: JSON.stringify({ text: 'AKIA', limit: 5 }),
    });
  });

  it('turns an error body into an ApiCallError carrying the engine error (file, location)', async () => {
    const body = { error: { code: 'bad-input', message: 'a node needs "kinds"', file: 'x.json', location: '$.graph.nodes[0].kinds' } };
    const api = createHttpApi('tok', async () => new Response(JSON.stringify(body), { status: 400 }));
    const err = await api.importFiles({ files: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect((err as ApiCallError).status).toBe(400);
    expect((err as ApiCallError).shape).toEqual(body.error);
  });

  it('explains a refused token, a non-JSON failure and an unreachable server', async () => {
    const refused = await createHttpApi('old', async () => new Response(JSON.stringify({ error: { code: 'bad-input', message: 'bad token' } }), { status: 401 }))
      .caseInfo({})
      .catch((e: ApiCallError) => e.shape.message);
    expect(refused).toMatch(/bad token.*open the URL that `blastmap serve` printed/);
    const html = await createHttpApi('t', async () => new Response('<h1>oops</h1>', { status: 502 }))
      .caseInfo({})
      .catch((e: ApiCallError) => e.shape);
    expect(html).toEqual({ code: 'internal', message: 'HTTP 502 from the Blastmap server: <h1>oops</h1>' });
    const down = await createHttpApi('t', async () => {
      throw new TypeError('Failed to fetch');
    })
      .caseInfo({})
      .catch((e: ApiCallError) => e.shape.message);
    expect(down).toMatch(/unreachable \(Failed to fetch\)/);
  });
});
