// Inventory and triage lists (filter, sort, group), and the deliver slice against a fake engine: exports become
// downloads, failures notices; the unlock dialog of an encrypted case.
import { describe, expect, it, vi } from 'vitest';
import type { BlastmapApi, InventoryRow, RendererBridge, ShellCommand, TriageRow } from '../../renderer/contract';
import { browserShell } from '../../renderer/bridge/http';
import { queryInventory, queryTriage } from '../../renderer/panels/deliver-tables';
import { shortcutFor } from '../../renderer/shortcuts';
import { createAppStore } from '../../renderer/store';
import { node } from './fixtures';

function inv(id: string, over: Partial<InventoryRow> = {}): InventoryRow {
  return { node: node(id), kindLabel: 'IAM role', credentials: { total: 0, active: 0, compromised: 0, neverUsed: 0, rotationOverdue: 0 }, tier: 'none', tierReason: '', findings: {}, marks: [], ...over };
}

function tri(id: string, rank: number, over: Partial<TriageRow> = {}): TriageRow {
  return { rank, node: node(id, { kind: 'aws_access_key', category: 'credential' }), holders: [], reasons: [], status: 'active', reach: { adminOf: [], highValue: [], byAccessLevel: {}, unstatedAccess: 0, identities: 0, credentials: 0, resources: 0 }, score: 100 - rank, scoreParts: [], ...over };
}

describe('inventory list', () => {
  const acctA = node('acct-a', { kind: 'aws_account', category: 'boundary', name: 'A account' });
  const acctB = node('acct-b', { kind: 'aws_account', category: 'boundary', name: 'B account' });
  const rows = [
    inv('zeta', { boundary: acctB, tier: 'read', owner: 'team-x' }),
    inv('alpha', { boundary: acctB, tier: 'admin' }),
    inv('mid', { boundary: acctA, tier: 'write', owner: 'team-x', credentials: { total: 3, active: 3, compromised: 1, neverUsed: 0, rotationOverdue: 2 } }),
    inv('loose', { tier: 'none' }),
  ];
  it('groups by boundary (named groups first, "no boundary" last), highest tier first within each', () => {
    const items = queryInventory(rows, { text: '', tier: 'all', group: 'boundary', sort: 'tier', descending: false });
    expect(items.map((i) => (i.type === 'group' ? `[${i.label} ${i.count}]` : i.row.node.id))).toEqual(['[A account 1]', 'mid', '[B account 2]', 'alpha', 'zeta', '[(no boundary) 1]', 'loose']);
  });
  it('groups by owner, sorts on any column both ways, and filters by words and tier', () => {
    const byOwner = queryInventory(rows, { text: '', tier: 'all', group: 'owner', sort: 'name', descending: false });
    expect(byOwner.filter((i) => i.type === 'group').map((i) => i.type === 'group' && i.label)).toEqual(['team-x', '(no owner)']);
    const flat = queryInventory(rows, { text: '', tier: 'all', group: 'none', sort: 'credentials', descending: true });
    expect(flat.map((i) => i.type === 'row' && i.row.node.id)[0]).toBe('mid');
    expect(queryInventory(rows, { text: 'team-x', tier: 'all', group: 'none', sort: 'name', descending: false }).map((i) => i.type === 'row' && i.row.node.id)).toEqual(['mid', 'zeta']);
    expect(queryInventory(rows, { text: '', tier: 'admin', group: 'none', sort: 'name', descending: false }).map((i) => i.type === 'row' && i.row.node.id)).toEqual(['alpha']);
  });
});

describe('triage list', () => {
  it('keeps the engine ranking and only hides rows', () => {
    const rows = [tri('k1', 1, { reach: { adminOf: [node('acct')], highValue: [], byAccessLevel: {}, unstatedAccess: 0, identities: 1, credentials: 0, resources: 0 } }), tri('k2', 2, { status: 'inactive' }), tri('k3', 3, { holders: [node('ci-bot')] })];
    expect(queryTriage(rows, { text: '', onlyActive: false, onlyAdmin: false }).map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(queryTriage(rows, { text: '', onlyActive: true, onlyAdmin: false }).map((r) => r.rank)).toEqual([1, 3]);
    expect(queryTriage(rows, { text: '', onlyActive: false, onlyAdmin: true }).map((r) => r.rank)).toEqual([1]);
    expect(queryTriage(rows, { text: 'ci-bot', onlyActive: false, onlyAdmin: false }).map((r) => r.rank)).toEqual([3]);
  });
});

function fakeApi(over: Partial<BlastmapApi>): BlastmapApi {
  const missing = (name: string) => () => Promise.reject(new Error(`unexpected call ${name}`));
  return new Proxy(over as BlastmapApi, { get: (t, k: string) => (k in t ? t[k as keyof BlastmapApi] : missing(k)) });
}

describe('deliver slice', () => {
  it('saves an exported table as a download named by the engine', async () => {
    const clicks: { name: string; href: string }[] = [];
    vi.stubGlobal('document', { createElement: () => ({ click() { clicks.push({ name: this.download, href: this.href }); }, remove() {}, download: '', href: '', rel: '' }), body: { appendChild: () => undefined } });
    vi.stubGlobal('URL', { createObjectURL: () => 'blob:app://blastmap/1', revokeObjectURL: () => undefined });
    try {
      const exportTable = vi.fn(async () => ({ fileName: 'blastmap-triage-x.csv', mediaType: 'text/csv', text: 'rank\r\n', rows: 0 }));
      const store = createAppStore({ api: fakeApi({ exportTable }), shell: browserShell } as RendererBridge);
      await store.getState().exportTable({ table: 'triage', format: 'csv' });
      expect(exportTable).toHaveBeenCalledWith({ table: 'triage', format: 'csv' });
      expect(clicks).toEqual([{ name: 'blastmap-triage-x.csv', href: 'blob:app://blastmap/1' }]);
      expect(store.getState().exporting).toBeNull();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('a failed export is a notice, not a crash', async () => {
    const store = createAppStore({ api: fakeApi({ report: async () => Promise.reject({ code: 'bad-input', message: 'too large' }) }), shell: browserShell });
    await store.getState().exportReport();
    expect(store.getState().notice).toEqual({ kind: 'error', text: 'Export failed: too large' });
    expect(store.getState().exporting).toBeNull();
  });

  it('the shell asks for a passphrase with unlock-case; a wrong one keeps the dialog open with the engine’s words', async () => {
    let listener: ((c: ShellCommand) => void) | undefined;
    const unlockCase = vi.fn(async () => Promise.reject({ code: 'bad-input', message: 'x.enc: wrong passphrase (or the file\'s header was altered); nothing was written' }));
    const store = createAppStore({ api: fakeApi({}), shell: { ...browserShell, mode: 'electron', onCommand: (l) => ((listener = l), () => undefined), unlockCase } });
    listener?.('unlock-case');
    expect(store.getState().unlockOpen).toBe(true);
    await store.getState().unlock('guess');
    expect(unlockCase).toHaveBeenCalledWith({ passphrase: 'guess' });
    expect(store.getState().unlockOpen).toBe(true);
    expect(store.getState().unlockError).toContain('wrong passphrase');
    listener?.('export-report');
    expect(store.getState().exporting).toBe('report');
  });

  it('5 and 6 open triage and inventory', () => {
    const loadTriage = vi.fn(async () => [] as TriageRow[]);
    const store = createAppStore({ api: fakeApi({ triage: loadTriage, inventory: async () => [] }), shell: browserShell });
    shortcutFor({ key: '5', ctrlKey: false, metaKey: false, altKey: false, target: null })!.run(store);
    expect(store.getState().mode).toBe('triage');
    expect(loadTriage).toHaveBeenCalled();
    shortcutFor({ key: '6', ctrlKey: false, metaKey: false, altKey: false, target: null })!.run(store);
    expect(store.getState().mode).toBe('inventory');
  });
});
