import { describe, expect, it } from 'vitest';
import { EDGE_RULES } from '../../src/analysis/edges/index.js';
import { FINDING_RULES } from '../../src/analysis/findings/index.js';
import { IMPORTERS } from '../../src/importers/index.js';
import { EDGE_KINDS, NODE_CATEGORIES, NODE_KINDS } from '../../src/model/kinds.js';

describe('schema drift', () => {
  it('every edge kind is emitted by an importer or a derivation rule', () => {
    const emitted = new Set([...IMPORTERS.flatMap((i) => i.emits), ...EDGE_RULES.flatMap((r) => r.emits)]);
    const orphans = Object.keys(EDGE_KINDS).filter((k) => !emitted.has(k as keyof typeof EDGE_KINDS));
    expect(orphans).toEqual([]);
  });

  it('every declared emission names a known edge kind', () => {
    for (const kind of [...IMPORTERS.flatMap((i) => i.emits), ...EDGE_RULES.flatMap((r) => r.emits)]) {
      expect(Object.keys(EDGE_KINDS)).toContain(kind);
    }
  });

  it('every rule declares what it reads, so an import re-runs only the rules whose inputs changed', () => {
    const undeclared = [...EDGE_RULES, ...FINDING_RULES].filter((r) => !r.reads).map((r) => r.id);
    expect(undeclared).toEqual([]);
  });

  it('node kinds have a known category and a description', () => {
    for (const [kind, spec] of Object.entries(NODE_KINDS)) {
      expect(Object.keys(NODE_CATEGORIES), kind).toContain(spec.category);
      expect(spec.description.length, kind).toBeGreaterThan(10);
    }
  });

  it('importer format ids are unique and rule ids are unique', () => {
    const formats = IMPORTERS.map((i) => i.format);
    expect(new Set(formats).size).toBe(formats.length);
    const rules = EDGE_RULES.map((r) => r.id);
    expect(new Set(rules).size).toBe(rules.length);
  });
});
