import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { RendererBridge } from '../../src/api/contract.js';
import { API_METHODS } from '../../src/api/contract.js';

const electron = vi.hoisted(() => {
  const exposed: Record<string, unknown> = {};
  const listeners = new Map<string, (...a: unknown[]) => void>();
  return {
    exposed,
    listeners,
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
    ipcRenderer: {
      invoke: vi.fn(async (channel: string, arg: unknown): Promise<unknown> => {
        if (channel === 'blastmap:node') return { ok: false, error: { code: 'not-found', message: 'no node', candidates: [] } };
        return { ok: true, value: { channel, arg } };
      }),
      send: vi.fn(),
      on: (channel: string, fn: (...a: unknown[]) => void) => listeners.set(channel, fn),
      removeListener: (channel: string) => listeners.delete(channel),
    },
    webUtils: { getPathForFile: (file: { path?: string }) => file.path ?? '' },
  };
});

vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer, webUtils: electron.webUtils }));

let bridge: RendererBridge;
beforeAll(async () => {
  await import('../../electron/preload.js');
  bridge = electron.exposed['blastmap'] as RendererBridge;
});

describe('preload', () => {
  it('exposes window.blastmap with one function per API method and nothing of ipcRenderer', () => {
    expect(Object.keys(electron.exposed)).toEqual(['blastmap']);
    expect(Object.keys(bridge.api).sort()).toEqual([...API_METHODS].sort());
    expect(Object.keys(bridge).sort()).toEqual(['api', 'shell']);
    expect(JSON.stringify(Object.keys(bridge.shell))).not.toMatch(/ipc|invoke|send/i);
    expect(bridge.shell.mode).toBe('electron');
  });

  it('invokes blastmap:<method> with the argument and unwraps the reply', async () => {
    expect(await bridge.api.search({ text: 'ci' })).toEqual({ channel: 'blastmap:search', arg: { text: 'ci' } });
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith('blastmap:search', { text: 'ci' });
  });

  it('rejects with the plain ApiErrorShape (the context bridge would strip an Error)', async () => {
    await expect(bridge.api.node({ id: 'x' })).rejects.toEqual({ code: 'not-found', message: 'no node', candidates: [] });
  });

  it('gives the path of a dropped file and grants it to the main process; none for a made-up File', () => {
    expect(bridge.shell.pathOfDroppedFile({ path: '/home/u/gaad.json' } as unknown as File)).toBe('/home/u/gaad.json');
    expect(electron.ipcRenderer.send).toHaveBeenCalledWith('blastmap-shell:grantDroppedPath', '/home/u/gaad.json');
    electron.ipcRenderer.send.mockClear();
    expect(bridge.shell.pathOfDroppedFile({} as unknown as File)).toBeNull();
    expect(electron.ipcRenderer.send).not.toHaveBeenCalled();
  });

  it('delivers menu commands until unsubscribed', () => {
    const got: string[] = [];
    const off = bridge.shell.onCommand((c) => got.push(c));
    electron.listeners.get('blastmap-shell:command')!({}, 'fit');
    expect(got).toEqual(['fit']);
    off();
    expect(electron.listeners.has('blastmap-shell:command')).toBe(false);
  });
});
