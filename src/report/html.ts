// A tiny HTML builder whose interpolations are escaped unless they are already Html: a case string can only ever
// become text in the report, never markup, whatever it holds.

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

/** Escapes text for element content and quoted attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function render(p: Part): string {
  if (p === null || p === undefined || p === false) return '';
  if (p instanceof Html) return p.value;
  if (Array.isArray(p)) return p.map(render).join('');
  return esc(String(p));
}

/** html`<p>${text}</p>`: every value is escaped unless it is Html (nested templates, raw()). */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup the report itself wrote (CSS, fixed SVG). Never for case text. */
export function raw(markup: string): Html {
  return new Html(markup);
}

export function join(parts: readonly Part[], sep: Part = ''): Html {
  return new Html(parts.map(render).join(render(sep)));
}
