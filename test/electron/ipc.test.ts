import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { BlastmapApi } from '../../src/api/contract.js';
import { API_METHODS } from '../../src/api/contract.js';
import { ApiError } from '../../src/api/errors.js';
import { SHELL_CHANNELS } from '../../electron/channels.js';
import { isTrustedSender, registerApiHandlers, registerShellHandlers, type IpcReply, type SenderEvent } from '../../electron/ipc.js';

type Handler = (event: IpcMainInvokeEvent, arg: unknown) => Promise<IpcReply<unknown>>;

function fakeIpc() {
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, (event: IpcMainEvent, arg: unknown) => void>();
  const ipc = {
    handle: (channel: string, fn: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, fn);
    },
    on: (channel: string, fn: (event: IpcMainEvent, arg: unknown) => void) => {
      listeners.set(channel, fn);
      return ipc;
    },
  };
  return { ipc: ipc as unknown as Pick<IpcMain, 'handle' | 'on'>, handlers, listeners };
}

const OURS = 7;
function event(opts: { url?: string; iframe?: boolean; contentsId?: number; noFrame?: boolean } = {}): IpcMainInvokeEvent {
  const top = { url: 'app://blastmap/index.html', parent: null };
  const frame = opts.noFrame ? null : { url: opts.url ?? 'app://blastmap/index.html', parent: opts.iframe ? top : null };
  return { senderFrame: frame, sender: { id: opts.contentsId ?? OURS } } as unknown as IpcMainInvokeEvent;
}

const trusted = (e: SenderEvent) => isTrustedSender(e, (id) => id === OURS);

function fakeApi() {
  const calls: { method: string; arg: unknown }[] = [];
  const api = Object.fromEntries(
    API_METHODS.map((m) => [
      m,
      async (arg: unknown) => {
        calls.push({ method: m, arg });
        if (m === 'node') throw new ApiError({ code: 'not-found', message: 'no node with id "x"' });
        if (m === 'resolve') throw new Error('disk on fire');
        return { answeredBy: m };
      },
    ]),
  ) as unknown as BlastmapApi;
  return { api, calls };
}

function setup(granted: string[] = []) {
  const { ipc, handlers } = fakeIpc();
  const { api, calls } = fakeApi();
  const channels = registerApiHandlers(ipc, { api: () => api, trusted, pathAllowed: (_e, p) => granted.includes(p) });
  const call = (method: string, arg: unknown, e = event()) => handlers.get(`blastmap:${method}`)!(e, arg);
  return { channels, handlers, calls, call };
}

describe('IPC handlers', () => {
  it('registers exactly one handler per API method, in one loop', () => {
    const { channels, handlers } = setup();
    expect(channels).toEqual(API_METHODS.map((m) => `blastmap:${m}`));
    expect([...handlers.keys()].sort()).toEqual(API_METHODS.map((m) => `blastmap:${m}`).sort());
  });

  it('answers a trusted call with the engine result', async () => {
    const { call, calls } = setup();
    expect(await call('search', { text: 'ci-bot', limit: 5 })).toEqual({ ok: true, value: { answeredBy: 'search' } });
    expect(calls).toEqual([{ method: 'search', arg: { text: 'ci-bot', limit: 5 } }]);
  });

  it('refuses a foreign frame, an iframe, a destroyed frame and a webContents that is not ours', async () => {
    const { call, calls } = setup();
    for (const e of [event({ url: 'https://evil.example/' }), event({ url: 'file:///etc/passwd' }), event({ url: 'app://other/index.html' }), event({ iframe: true }), event({ noFrame: true }), event({ contentsId: 99 })]) {
      const reply = await call('caseInfo', {}, e);
      expect(reply.ok).toBe(false);
      expect(reply.ok ? undefined : reply.error.message).toMatch(/refused/);
    }
    expect(calls).toEqual([]);
  });

  it('rejects invalid arguments before the engine sees them', async () => {
    const { call, calls } = setup();
    for (const [method, arg] of [
      ['search', { text: 42 }],
      ['caseInfo', { extra: true }],
      ['mark', { ids: [], mark: 'compromised' }],
      ['mark', { ids: ['a'], mark: 'pwned' }],
      ['paths', { from: 'a' }],
      ['search', 'text'],
      ['importFiles', { files: [{ path: '/x', contentBase64: 'AA==' }] }],
    ] as const) {
      const reply = await call(method, arg);
      expect(reply, `${method} ${JSON.stringify(arg)}`).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining(`invalid argument to ${method}`) } });
    }
    expect(calls).toEqual([]);
  });

  it('imports by path only files the user picked or dropped', async () => {
    const { call, calls } = setup(['/home/u/exports/gaad.json']);
    const refused = await call('importFiles', { files: [{ path: '/home/u/exports/gaad.json' }, { path: '/home/u/.ssh/id_ed25519' }] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('/home/u/.ssh/id_ed25519') } });
    expect(calls).toEqual([]);
    expect(await call('importFiles', { files: [{ path: '/home/u/exports/gaad.json' }] })).toMatchObject({ ok: true });
    // Contents need no grant: they are what the user handed over.
    expect(await call('importFiles', { files: [{ name: 'x.json', contentBase64: 'e30=' }] })).toMatchObject({ ok: true });
  });

  it('compares with, and tests the impact of, only files the user picked', async () => {
    const { call, calls } = setup(['/home/u/old.blastmap', '/home/u/plan.json']);
    expect(await call('compareCase', { other: { path: '/home/u/other-client.blastmap' } })).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('/home/u/other-client.blastmap') } });
    expect(await call('planImpact', { files: [{ path: '/etc/shadow' }] })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(calls).toEqual([]);
    expect(await call('compareCase', { other: { path: '/home/u/old.blastmap' }, otherIs: 'before' })).toMatchObject({ ok: true });
    expect(await call('planImpact', { files: [{ path: '/home/u/plan.json' }] })).toMatchObject({ ok: true });
  });

  it('sends engine errors as their ApiErrorShape and unknown errors as internal', async () => {
    const { call } = setup();
    expect(await call('node', { id: 'x' })).toEqual({ ok: false, error: { code: 'not-found', message: 'no node with id "x"' } });
    expect(await call('resolve', { ref: 'x' })).toEqual({ ok: false, error: { code: 'internal', message: 'disk on fire' } });
  });
});

describe('shell IPC handlers', () => {
  function shellSetup() {
    const { ipc, handlers, listeners } = fakeIpc();
    const granted: string[] = [];
    const opened: boolean[] = [];
    const unlocked: string[] = [];
    registerShellHandlers(ipc, trusted, {
      pickImportFiles: async () => [{ path: '/picked.json' }],
      openCase: async (_e, { create }) => {
        opened.push(create);
        return null;
      },
      recentCases: async () => ['/a.blastmap'],
      pickCaseFile: async () => ({ path: '/picked.blastmap' }),
      grantDroppedPath: (_e, p) => granted.push(p),
      unlockCase: async (_e, { passphrase }) => {
        unlocked.push(passphrase);
        return null;
      },
    });
    return { handlers, listeners, granted, opened, unlocked };
  }

  it('validates arguments and checks the sender like the API', async () => {
    const { handlers, opened } = shellSetup();
    const open = handlers.get(SHELL_CHANNELS.openCase)!;
    expect(await open(event(), { create: 'yes' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await open(event({ url: 'https://evil.example/' }), { create: true })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/refused/) } });
    expect(await open(event(), { create: true })).toEqual({ ok: true, value: null });
    expect(opened).toEqual([true]);
    expect(await handlers.get(SHELL_CHANNELS.recentCases)!(event(), {})).toEqual({ ok: true, value: ['/a.blastmap'] });
    expect(await handlers.get(SHELL_CHANNELS.pickImportFiles)!(event(), { path: '/etc' })).toMatchObject({ ok: false });
  });

  it('takes a passphrase to unlock an encrypted case only as a bounded string from our page', async () => {
    const { handlers, unlocked } = shellSetup();
    const unlock = handlers.get(SHELL_CHANNELS.unlockCase)!;
    expect(await unlock(event(), { passphrase: '' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await unlock(event(), { passphrase: 'x'.repeat(2000) })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await unlock(event(), { passphrase: 'pw', path: '/etc/shadow' })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await unlock(event({ url: 'https://evil.example/' }), { passphrase: 'pw' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/refused/) } });
    expect(await unlock(event(), { passphrase: 'a long passphrase' })).toEqual({ ok: true, value: null });
    expect(unlocked).toEqual(['a long passphrase']);
  });

  it('accepts dropped paths only as absolute paths from our page', () => {
    const { listeners, granted } = shellSetup();
    const grant = listeners.get(SHELL_CHANNELS.grantDroppedPath)!;
    const e = (opts: Parameters<typeof event>[0] = {}) => event(opts) as unknown as IpcMainEvent;
    grant(e(), '/home/u/exports/kubectl.json');
    grant(e(), 'relative/path.json');
    grant(e(), 42);
    grant(e({ url: 'https://evil.example/' }), '/etc/shadow');
    expect(granted).toEqual(['/home/u/exports/kubectl.json']);
  });
});

describe('isTrustedSender', () => {
  it('trusts only the top frame of our own page', () => {
    const ours = (id: number) => id === OURS;
    expect(isTrustedSender(event(), ours)).toBe(true);
    expect(isTrustedSender(event({ url: 'app://blastmap/index.html#token=x' }), ours)).toBe(true);
    expect(isTrustedSender(event({ url: 'app://blastmap.evil/index.html' }), ours)).toBe(false);
    expect(isTrustedSender(event({ url: 'app://user:pw@blastmap/' }), ours)).toBe(false);
    expect(isTrustedSender(event({ url: 'http://127.0.0.1:8080/' }), ours)).toBe(false);
    const spy = vi.fn(() => false);
    expect(isTrustedSender(event(), spy)).toBe(false);
    expect(spy).toHaveBeenCalledWith(OURS);
  });
});
