import { describe, expect, it } from 'vitest';
import { triageScore, type ScoreInput } from '../../src/analysis/triage-score.js';

const base: ScoreInput = { adminBoundaries: 0, highValue: 0, byAccessLevel: {}, unstatedAccess: 0, identities: 0, credentials: 0, status: 'active', usedAfterExposure: false };

describe('triage score', () => {
  it('adds up its explained parts', () => {
    const r = triageScore({ ...base, adminBoundaries: 2, highValue: 1, byAccessLevel: { Write: 3, Read: 2 }, identities: 4, credentials: 1, usedAfterExposure: true });
    expect(r.parts.map((p) => p.points)).toEqual([2000, 300, 40, 8, 3, 1500]);
    expect(r.score).toBe(3851);
    expect(r.parts[2]!.label).toBe('resources: 3 Write × 10 + 2 Read × 5');
  });

  it('one admin boundary outranks any number of resources and identities', () => {
    const admin = triageScore({ ...base, adminBoundaries: 1 }).score;
    const wide = triageScore({ ...base, byAccessLevel: { 'Permissions management': 10_000, Write: 50_000 }, identities: 100_000, credentials: 100_000 });
    expect(wide.score).toBeLessThan(admin + 1000);
    expect(triageScore({ ...base, byAccessLevel: { Write: 10_000 } }).score).toBeLessThan(admin);
    expect(wide.parts.some((p) => p.label.includes('capped'))).toBe(true);
  });

  it('an inactive credential keeps a tenth of its reach; use after the exposure adds on top', () => {
    const active = triageScore({ ...base, adminBoundaries: 1 });
    const inactive = triageScore({ ...base, adminBoundaries: 1, status: 'inactive' });
    expect(inactive.score).toBe(100);
    expect(inactive.parts.at(-1)!.points).toBe(-900);
    expect(triageScore({ ...base, adminBoundaries: 1, status: 'inactive', usedAfterExposure: true }).score).toBe(1600);
    expect(active.score).toBe(1000);
  });

  it('nothing reached scores nothing', () => {
    expect(triageScore(base)).toEqual({ score: 0, parts: [] });
  });
});
