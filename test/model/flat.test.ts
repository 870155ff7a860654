import { describe, expect, it } from 'vitest';
import { flat } from '../../src/model/flat.js';

describe('flat', () => {
  it('gives the text the template literal gives', () => {
    const ns = 'team-7';
    const name = 'app-0-7d9f8b6c5-x2k4p';
    expect(flat`k8s:${'prod'}/${ns}/pod/${name}`).toBe(`k8s:${'prod'}/${ns}/pod/${name}`);
    expect(flat`$.items[${12}].subjects[${0}]`).toBe('$.items[12].subjects[0]');
    expect(flat`${''}`).toBe('');
    expect(flat`no values`).toBe('no values');
    expect(flat`${'a'}${'b'}${3.5}`).toBe('ab3.5');
    expect(flat`é ${'ü'} ${'日本'} ${-0} ${NaN}`).toBe(`é ${'ü'} ${'日本'} ${-0} ${NaN}`);
  });
});
