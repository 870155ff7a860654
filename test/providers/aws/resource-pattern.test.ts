import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatch } from '../../../src/model/glob.js';
import { resourcePatternMatches } from '../../../src/providers/aws/policy.js';

// Reference: the six ARN segments (the sixth keeps its colons) matched one by one as globs, the whole as one glob
// when either side is no ARN.
function reference(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const split = (s: string) => {
    const parts = s.split(':');
    return parts.length < 6 || parts[0] !== 'arn' ? undefined : [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const ps = split(pattern);
  const as = split(arn);
  if (!ps || !as) return globMatch(pattern, arn);
  return ps.every((seg, i) => globMatch(seg, as[i]!));
}

describe('resource patterns', () => {
  it('match segment by segment, literal segments only themselves', () => {
    expect(resourcePatternMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/key')).toBe(true);
    expect(resourcePatternMatches('arn:aws:s3:::bucket', 'arn:aws:s3:::Bucket')).toBe(false);
    expect(resourcePatternMatches('arn:aws:lambda:*:123456789012:function:*', 'arn:aws:lambda:eu-west-1:123456789012:function:f')).toBe(true);
    expect(resourcePatternMatches('arn:aws:lambda:*:123456789012:function:*', 'arn:aws:lambda:eu-west-1:210987654321:function:f')).toBe(false);
    expect(resourcePatternMatches('arn:aws:iam::123456789012:role/a?c', 'arn:aws:iam::123456789012:role/abc')).toBe(true);
    // Asked again (answers are remembered per pattern and ARN): the same.
    expect(resourcePatternMatches('arn:aws:s3:::bucket', 'arn:aws:s3:::Bucket')).toBe(false);
    expect(resourcePatternMatches('arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/key')).toBe(true);
  });

  it('answer as matching every segment as a glob would', () => {
    const seg = fc.oneof(fc.constantFrom('', '*', '?', 'arn', 'aws', 's3', 'iam', 'a*', '*b', 'a?c', 'abc', '123456789012', 'role/x', 'role/*', 'x:y'), fc.string({ maxLength: 3 }));
    const arnish = fc.array(seg, { minLength: 1, maxLength: 8 }).map((xs) => xs.join(':'));
    fc.assert(fc.property(arnish, arnish, fc.boolean(), (pattern, arn, asArn) => {
      const p = asArn && !pattern.startsWith('arn:') ? `arn:${pattern}` : pattern;
      const a = asArn && !arn.startsWith('arn:') ? `arn:${arn}` : arn;
      if (p.includes('${')) return;
      expect(resourcePatternMatches(p, a)).toBe(reference(p, a));
    }), { numRuns: 3000 });
  });
});
