// The canvas surviving a reload (store/session.ts): kept per case, so a case never opens on another case's canvas —
// not even one with the same file name (browser mode shows the file name as the case's path).
import { describe, expect, it } from 'vitest';
import type { BlastmapApi, CaseInfo, RendererBridge } from '../../renderer/contract';
import { browserShell } from '../../renderer/bridge/http';
import { createAppStore } from '../../renderer/store';
import { startSession } from '../../renderer/store/session';
import { node } from './fixtures';

const EMPTY_ESTATE = { boundaries: [], outside: { nodes: 0, identities: 0, credentials: 0, resources: 0, groups: 0, admins: 0, findings: {} }, trust: [], marked: [], topFindings: [], elapsedMs: 0 };

function open(info: CaseInfo, nodeId: string) {
  const api = {
    caseInfo: async () => info,
    savedViews: async () => [],
    estate: async () => EMPTY_ESTATE,
    overview: async () => ({ nodes: [node(nodeId)], edges: [], truncated: false }),
    neighbors: async () => ({ nodes: [node(nodeId)], edges: [], truncated: false }),
    triage: async () => ({ rows: [], elapsedMs: 0 }),
  } as unknown as BlastmapApi;
  const bridge: RendererBridge = { api, shell: browserShell };
  return createAppStore(bridge);
}

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> & { keys(): string[] } {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), keys: () => [...m.keys()] };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await settle(10);
  expect(cond()).toBe(true);
}

const info = (id: string): CaseInfo => ({ path: 'case.blastmap', id, schemaVersion: 1, sources: [], counts: { nodes: 1, edges: 0, derivedEdges: 0, findings: 0, marks: 0 } });

describe('the canvas kept across reloads', () => {
  it('comes back for the same case, and not for another case of the same file name', async () => {
    const storage = memoryStorage();
    // Case A is opened and its canvas changed (the mode), then written down.
    const a = open(info('aaaa'), 'node-of-a');
    const stopA = startSession(a, storage);
    await until(() => Object.keys(a.getState().nodes).includes('node-of-a'));
    a.getState().setMode('inventory');
    await until(() => storage.keys().length > 0);
    stopA();

    // The same case reloaded: its canvas and mode come back.
    const again = open(info('aaaa'), 'node-of-a');
    const stopAgain = startSession(again, storage);
    await until(() => again.getState().mode === 'inventory' && Object.keys(again.getState().nodes).includes('node-of-a'));
    stopAgain();

    // Another case with the same file name opens on its own overview.
    const b = open(info('bbbb'), 'node-of-b');
    const stopB = startSession(b, storage);
    await until(() => Object.keys(b.getState().nodes).includes('node-of-b'));
    expect(b.getState().mode).toBe('explore');
    expect(Object.keys(b.getState().nodes)).not.toContain('node-of-a');
    stopB();
  });

  it('a change made just before the page goes away is written down then, not lost with the quiet spell', async () => {
    const storage = memoryStorage();
    const page = new EventTarget();
    const a = open(info('cccc'), 'node-of-c');
    const stop = startSession(a, storage, page);
    await until(() => Object.keys(a.getState().nodes).includes('node-of-c'));
    a.getState().setMode('inventory');
    page.dispatchEvent(new Event('pagehide'));
    // Read at once: the delayed write has not had its 400 ms.
    const saved = JSON.parse(storage.getItem(storage.keys()[0]!) ?? 'null') as { mode?: string } | null;
    expect(saved?.mode).toBe('inventory');
    stop();
  });
});
