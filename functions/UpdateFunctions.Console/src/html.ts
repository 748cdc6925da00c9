// Everything rendered from data goes through `html`: interpolated values are escaped unless they are Html made by
// `html` itself, so an app named <img src=x onerror=alert(1)> shows as text.

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]);
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  return escape(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

export function mount(target: Element, content: Html): void {
  target.innerHTML = content.value;
}

/** A path segment of a hash route, encoded so that any name survives the round trip. */
export function seg(text: string): string {
  return encodeURIComponent(text);
}
