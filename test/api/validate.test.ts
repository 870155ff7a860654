import { describe, expect, it } from 'vitest';
import { API_METHODS } from '../../src/api/contract.js';
import { isApiMethod, validateArg } from '../../src/api/validate.js';

describe('API argument validation', () => {
  it('accepts well-formed arguments and fills nothing in', () => {
    expect(validateArg('paths', { from: 'a', to: 'admin', k: 3 })).toEqual({ from: 'a', to: 'admin', k: 3 });
    expect(validateArg('caseInfo', undefined)).toEqual({});
  });

  it('refuses unknown fields, wrong types and out-of-range values, naming the field', () => {
    expect(() => validateArg('search', { text: 'x', extra: 1 })).toThrow(/invalid argument to search/);
    expect(() => validateArg('node', { id: 42 })).toThrow(/at id/);
    expect(() => validateArg('paths', { from: 'a', to: 'b', k: 1000 })).toThrow(/at k/);
    expect(() => validateArg('blastRadius', { from: 'a', since: 'yesterday' })).toThrow(/at since/);
    expect(() => validateArg('mark', { ids: ['a'], mark: 'owned' })).toThrow(/at mark/);
    expect(() => validateArg('paths', { from: 'a', to: 'admin', observedOnly: true, since: '2026-05-01', until: '2026-04-01' })).toThrow(/at since: since must not be after until/);
    expect(validateArg('containment', { from: 'a', targets: ['b'], includeConditional: false })).toEqual({ from: 'a', targets: ['b'], includeConditional: false });
    expect(() => validateArg('importFiles', { files: [{ path: '/x', contentBase64: '' }] })).toThrow(/importFiles/);
  });

  it('accepts a GCP project id option and refuses one IAM could not name', () => {
    expect(validateArg('importFiles', { files: [{ path: '/x' }], options: { project: 'payments-prod' } })).toEqual({ files: [{ path: '/x' }], options: { project: 'payments-prod' } });
    expect(() => validateArg('importFiles', { files: [{ path: '/x' }], options: { project: 'Prod Project!' } })).toThrow(/project/);
  });

  it('accepts a GCP organization or folder id (with or without its prefix) and refuses a name', () => {
    for (const options of [{ organization: '482901337265' }, { organization: 'organizations/482901337265' }, { folder: '730215946184' }, { folder: 'folders/730215946184' }]) {
      expect(validateArg('importFiles', { files: [{ path: '/x' }], options })).toEqual({ files: [{ path: '/x' }], options });
      expect(validateArg('planImpact', { files: [{ path: '/x' }], options })).toMatchObject({ options });
    }
    expect(() => validateArg('importFiles', { files: [{ path: '/x' }], options: { organization: 'northwind.example' } })).toThrow(/organization/);
    expect(() => validateArg('importFiles', { files: [{ path: '/x' }], options: { folder: 'folders/prod' } })).toThrow(/folder/);
  });

  it('knows exactly the contract methods', () => {
    for (const m of API_METHODS) expect(isApiMethod(m)).toBe(true);
    expect(isApiMethod('constructor')).toBe(false);
    expect(isApiMethod('__proto__')).toBe(false);
  });
});
