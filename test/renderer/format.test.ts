import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { age, boundaryLabel, compactCount, groupDigits, edgeSentence, kindLabel, lastUsed, plural, relativeTime, truncate } from '../../renderer/format';

const NOW = new Date('2026-11-23T10:00:00Z');

describe('renderer formatters', () => {
  it('says how long ago, in the largest whole unit', () => {
    expect(relativeTime('2026-11-20T10:00:00Z', NOW)).toBe('3 days ago');
    expect(relativeTime('2024-11-01T00:00:00Z', NOW)).toBe('2 years ago');
    expect(relativeTime('2026-11-23T09:59:30Z', NOW)).toBe('just now');
    expect(relativeTime('2026-11-23T11:00:00Z', NOW)).toBe('in 1 hour');
    expect(relativeTime('not a date', NOW)).toBe('not a date');
  });

  it('tells "never used" (null) from "unknown" (absent)', () => {
    expect(lastUsed(null, NOW)).toBe('never used');
    expect(lastUsed(undefined, NOW)).toBe('last use unknown');
    expect(lastUsed('2026-11-16T10:00:00Z', NOW)).toBe('last used 1 week ago');
  });

  it('gives a credential age with its date', () => {
    expect(age('2023-02-01T09:00:00Z', NOW)).toBe('created 3 years ago (2023-02-01)');
    expect(age(undefined, NOW)).toBe('age unknown');
  });

  it('reads an edge as a sentence, with the OpenGraph kind when the edge is generic', () => {
    expect(edgeSentence({ kind: 'MEMBER_OF' }, { name: 'ci-deploy' }, { name: 'ci-bots' })).toBe('ci-deploy is a member of ci-bots');
    expect(edgeSentence({ kind: 'OPENGRAPH_EDGE', technique: 'AdminOf' }, { name: 'a' }, { name: 'b' })).toBe('a has an AdminOf edge to b');
    expect(edgeSentence({ kind: 'OPENGRAPH_EDGE', technique: 'CanRead' }, { name: 'a' }, { name: 'b' })).toBe('a has a CanRead edge to b');
  });

  it('labels kinds from the model and keeps unknown kinds as they are', () => {
    expect(kindLabel('aws_access_key')).toBe('Access key');
    expect(kindLabel('something_new')).toBe('something_new');
  });

  it('pluralises and truncates', () => {
    expect(plural(1, 'node')).toBe('1 node');
    expect(plural(1200, 'node')).toBe('1,200 nodes');
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });

  it('writes counts compactly for narrow cells from 10,000 up', () => {
    expect(compactCount(999)).toBe('999');
    expect(compactCount(9_999)).toBe('9,999');
    expect(compactCount(20_399)).toBe('20.4K');
    expect(compactCount(1_250_000)).toBe('1.3M');
  });

  // The formatters avoid Intl (its first use costs the first screen tens of milliseconds): Intl is the reference.
  it('writes counts as toLocaleString and Intl compact notation do', () => {
    const intlCompact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
    const reference = (n: number) => (n < 10_000 ? n.toLocaleString('en-US') : intlCompact.format(n));
    const edges = [0, 7, 999, 1_000, 9_999, 10_000, 10_049, 10_050, 99_949, 99_950, 99_999, 100_000, 999_949, 999_950, 999_999, 1_049_999, 1_050_000, 999_949_999, 999_950_000, 999_949_999_999, 999_950_000_000, 1e12, 2 ** 53 - 1, 2 ** 53, 1e21, -5, -0, 1.5, 12_345.678, Number.NaN, Number.POSITIVE_INFINITY];
    for (const n of edges) {
      expect(groupDigits(n), String(n)).toBe(n.toLocaleString('en-US'));
      expect(compactCount(n), String(n)).toBe(reference(n));
    }
    // Every size from units to trillions, and the halves where rounding turns (…50, …950).
    const count = fc.oneof(
      fc.integer({ min: 0, max: 12 }).chain((e) => fc.integer({ min: 0, max: 10 ** e })),
      fc.tuple(fc.integer({ min: 2, max: 11 }), fc.integer({ min: 1, max: 9_999 }), fc.integer({ min: -2, max: 2 })).map(([e, m, d]) => Math.max(0, m * 10 ** e + 5 * 10 ** (e - 1) + d)),
    );
    fc.assert(
      fc.property(count, (n) => {
        expect(groupDigits(n)).toBe(n.toLocaleString('en-US'));
        expect(compactCount(n)).toBe(reference(n));
      }),
      { numRuns: 20_000 },
    );
  });

  it('names a boundary without its id scheme when its node is not loaded', () => {
    expect(boundaryLabel('k8s:prod-eks')).toBe('prod-eks');
    expect(boundaryLabel('aws:account:111111111111')).toBe('111111111111');
    expect(boundaryLabel('gcp:project:acme-prod')).toBe('acme-prod');
    expect(boundaryLabel('azure:subscription:0000-1111')).toBe('0000-1111');
    // Anything else is shown as it is (OpenGraph boundaries are free-form).
    expect(boundaryLabel('og:tenant-1')).toBe('og:tenant-1');
  });

  it('says a step into an admin node without repeating "admin of" (admin nodes are named "<role> of <boundary>")', () => {
    expect(edgeSentence({ kind: 'ADMIN_OF' }, { name: 'ops-automation' }, { name: 'Admin of AWS account 222222222222' })).toBe('ops-automation is Admin of AWS account 222222222222');
    expect(edgeSentence({ kind: 'ADMIN_OF' }, { name: 'kube-system/legacy-admin' }, { name: 'cluster-admin of prod-eks' })).toBe('kube-system/legacy-admin is cluster-admin of prod-eks');
  });
});
