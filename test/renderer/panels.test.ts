import { describe, expect, it } from 'vitest';
import type { Finding } from '../../renderer/contract';
import { focusable, queryFindings } from '../../renderer/panels/findings-table';
import { shortcutFor, SHORTCUTS } from '../../renderer/shortcuts';
import { bytesToBase64 } from '../../renderer/store/import-files';
import { node } from './fixtures';

function finding(id: string, severity: Finding['severity'], title: string, nodeName: string, rule = 'rule-a'): Finding {
  return { id, rule, severity, title, nodeId: nodeName, node: node(nodeName), summary: `${title} on ${nodeName}`, evidence: [], remediation: '' };
}

describe('findings table', () => {
  const all = [
    finding('1', 'low', 'Unused role', 'old-role'),
    finding('2', 'critical', 'Leaked access key', 'ci-deploy', 'leaked-credential'),
    finding('3', 'high', 'Access key older than 90 days', 'ci-deploy'),
    finding('4', 'critical', 'Admin reachable from a leak', 'build-runner'),
  ];
  it('sorts by severity first (critical first), ties by title, and reverses on request', () => {
    expect(queryFindings(all, { text: '', severity: 'all', sort: 'severity', descending: false }).map((f) => f.id)).toEqual(['4', '2', '3', '1']);
    expect(queryFindings(all, { text: '', severity: 'all', sort: 'severity', descending: true }).map((f) => f.id)).toEqual(['1', '3', '4', '2']);
    expect(queryFindings(all, { text: '', severity: 'all', sort: 'node', descending: false }).map((f) => f.id)).toEqual(['4', '3', '2', '1']);
  });
  it('filters by severity and by every word over title, node and rule', () => {
    expect(queryFindings(all, { text: 'ci-deploy key', severity: 'all', sort: 'severity', descending: false }).map((f) => f.id)).toEqual(['2', '3']);
    expect(queryFindings(all, { text: 'leaked-credential', severity: 'critical', sort: 'title', descending: false }).map((f) => f.id)).toEqual(['2']);
    expect(queryFindings(all, { text: '', severity: 'medium', sort: 'title', descending: false })).toEqual([]);
  });
  it('lists a scanner\'s results with the rest, by scanner, and does not focus one whose resource is not in the case', () => {
    const scanned: Finding = { ...finding('5', 'critical', 'Ensure MFA is enabled for the root account', 'x', 'prowler:iam_root_mfa_enabled'), nodeId: 'arn:aws:iam::111122223333:root', origin: { scanner: 'prowler', checkId: 'iam_root_mfa_enabled', status: 'FAIL', resource: 'arn:aws:iam::111122223333:root', matched: false } };
    delete scanned.node;
    const withScan = [...all, scanned];
    expect(queryFindings(withScan, { text: 'prowler', severity: 'all', sort: 'severity', descending: false }).map((f) => f.id)).toEqual(['5']);
    expect(queryFindings(withScan, { text: '', severity: 'critical', sort: 'node', descending: false }).map((f) => f.id)).toEqual(['5', '4', '2']);
    expect(focusable(scanned)).toBe(false);
    expect(focusable({ ...scanned, origin: { ...scanned.origin!, matched: true } })).toBe(true);
    expect(focusable(all[0]!)).toBe(true);
  });
});

describe('keyboard shortcuts', () => {
  const key = (k: string, target: unknown = { tagName: 'BODY' }, mods = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, target: target as EventTarget, ...mods });
  it('each key means one thing', () => {
    const keys = SHORTCUTS.flatMap((s) => s.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });
  it('ignores keys typed into fields (except Escape) and with modifiers', () => {
    expect(shortcutFor(key('f'))?.label).toMatch(/Fit/);
    expect(shortcutFor(key('f', { tagName: 'INPUT' }))).toBeUndefined();
    expect(shortcutFor(key('Escape', { tagName: 'INPUT' }))?.keys).toContain('Escape');
    expect(shortcutFor(key('p', { tagName: 'BODY' }, { ctrlKey: true }))).toBeUndefined();
  });
});

describe('browser-mode upload encoding', () => {
  it('base64-encodes across chunk boundaries', () => {
    // 27 bytes encode to 36 characters with no padding, so 3,000 copies (81,000 bytes, past one 32 KiB chunk)
    // encode to 3,000 copies of the same 36 characters.
    const text = 'Many hands make light work.';
    const bytes = new TextEncoder().encode(text.repeat(3000));
    expect(bytesToBase64(bytes)).toBe('TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsu'.repeat(3000));
    expect(bytesToBase64(new Uint8Array([0xff, 0x00]))).toBe('/wA=');
  });
});
