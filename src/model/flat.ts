/**
 * A template literal's text built as one flat string. `${a}/${b}` makes a string of pieces (a rope) that keeps every
 * piece and is copied whole again the first time it is hashed, bound into SQLite or stringified; an id, name or
 * reason kept for every object of a large import costs about twice its text that way, all of it surviving into the
 * old generation. Array.prototype.join writes the text once. Values are converted as a template literal does.
 */
export function flat(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  const parts = new Array<string>(strings.length + values.length);
  parts[0] = strings[0]!;
  for (let i = 0; i < values.length; i++) {
    parts[2 * i + 1] = String(values[i]);
    parts[2 * i + 2] = strings[i + 1]!;
  }
  return parts.join('');
}
