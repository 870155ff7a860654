import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arnAccount } from '../../src/model/ids.js';

describe('arnAccount', () => {
  it('reads the twelve-digit account of an ARN, and nothing else', () => {
    expect(arnAccount('arn:aws:iam::123456789012:role/app')).toBe('123456789012');
    expect(arnAccount('arn:aws:lambda:eu-west-1:123456789012:function:f')).toBe('123456789012');
    expect(arnAccount('arn:aws:sts::123456789012:assumed-role/a/b')).toBe('123456789012');
    expect(arnAccount('arn:aws:iam::aws:policy/AdministratorAccess')).toBeUndefined();
    expect(arnAccount('arn:aws:s3:::bucket/key')).toBeUndefined();
    expect(arnAccount('arn:aws:iam::12345678901:user/short')).toBeUndefined();
    expect(arnAccount('arn:aws:iam::1234567890123:user/long')).toBeUndefined();
    expect(arnAccount('arn:aws:iam::12345678901a:user/letter')).toBeUndefined();
    // The account field needs a field after it.
    expect(arnAccount('arn:aws:iam::123456789012')).toBeUndefined();
    expect(arnAccount('arn:aws:iam::123456789012:')).toBe('123456789012');
    expect(arnAccount('')).toBeUndefined();
  });

  it('answers as splitting on colons and matching /^\\d{12}$/ on the fifth field would', () => {
    const reference = (arn: string) => {
      const parts = arn.split(':');
      return parts.length >= 6 && /^\d{12}$/.test(parts[4]!) ? parts[4] : undefined;
    };
    const field = fc.oneof(fc.stringMatching(/^\d{10,14}$/), fc.constantFrom('', 'aws', 'iam', 'x1', '*'), fc.string({ maxLength: 4 }));
    fc.assert(fc.property(fc.array(field, { maxLength: 8 }), (fields) => {
      const arn = fields.join(':');
      expect(arnAccount(arn)).toBe(reference(arn));
    }), { numRuns: 2000 });
  });
});
