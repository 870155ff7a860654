// Wildcard patterns (`*` any run of characters, `?` any one) as IAM, ARM and trust policies write them. Not a RegExp:
// `^a.*a.*a.*…b$` backtracks exponentially, and a policy in an export (hostile or just odd) could hang an import in
// its derivation for minutes; this matcher is O(pattern × text) at worst.

export class Glob {
  private readonly pattern: string;

  constructor(
    pattern: string,
    private readonly options: { caseInsensitive?: boolean; questionMark?: boolean } = {},
  ) {
    this.pattern = options.caseInsensitive ? pattern.toLowerCase() : pattern;
  }

  test(text: string): boolean {
    return globMatch(this.pattern, this.options.caseInsensitive ? text.toLowerCase() : text, this.options.questionMark ?? true);
  }
}

/**
 * Whether `text` matches `pattern`: greedy, and on a mismatch it backtracks only to the last `*` (which may then take
 * one more character), so no pattern can make it exponential.
 */
export function globMatch(pattern: string, text: string, questionMark = true): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (c !== undefined && c !== '*' && (c === text[t] || (questionMark && c === '?'))) {
      p++;
      t++;
    } else if (c === '*') {
      star = p++;
      resume = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
