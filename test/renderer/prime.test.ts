import { afterEach, describe, expect, it, vi } from 'vitest';
import { primeBridge } from '../../renderer/bridge/prime';
import type { RendererBridge } from '../../renderer/contract';
import { browserShell } from '../../renderer/bridge/http';

/** A bridge whose every call is counted and answered with its method name and a call number. */
function countingBridge(fail: string[] = []) {
  const calls: string[] = [];
  const api = new Proxy(
    {},
    {
      get: (_t, method: string) => (arg: unknown) => {
        calls.push(`${method} ${JSON.stringify(arg)}`);
        return fail.includes(method) ? Promise.reject(new Error(`${method} failed`)) : Promise.resolve({ method, n: calls.length });
      },
    },
  );
  return { bridge: { api, shell: browserShell } as unknown as RendererBridge, calls };
}

afterEach(() => vi.useRealTimers());

describe('primed first-screen calls', () => {
  it('asks at once, and the first call with the same arguments takes that answer instead of asking again', async () => {
    const { bridge, calls } = countingBridge();
    const primed = primeBridge(bridge, [
      { method: 'caseInfo', arg: {} },
      { method: 'overview', arg: { limit: 500 } },
    ]);
    expect(calls).toEqual(['caseInfo {}', 'overview {"limit":500}']);
    expect(await primed.api.overview({ limit: 500 })).toEqual({ method: 'overview', n: 2 });
    expect(await primed.api.caseInfo({})).toEqual({ method: 'caseInfo', n: 1 });
    expect(calls).toHaveLength(2);
    // Taken once: a later call asks the engine again (fresh data).
    expect(await primed.api.caseInfo({})).toEqual({ method: 'caseInfo', n: 3 });
    // Other arguments are another question.
    await primed.api.overview({ limit: 10 });
    expect(calls.slice(3)).toEqual(['overview {"limit":10}']);
  });

  it('a primed failure reaches its taker; untaken answers are dropped after a while', async () => {
    vi.useFakeTimers();
    const { bridge, calls } = countingBridge(['estate']);
    const primed = primeBridge(bridge, [{ method: 'estate', arg: {} }, { method: 'caseInfo', arg: {} }], 1000);
    await expect(primed.api.estate({})).rejects.toThrow('estate failed');
    vi.advanceTimersByTime(1001);
    await primed.api.caseInfo({});
    expect(calls).toEqual(['estate {}', 'caseInfo {}', 'caseInfo {}']);
  });
});
