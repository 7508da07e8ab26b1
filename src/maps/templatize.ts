// Turns the literal values of a recorded browser block into {{ }} references where they are the ticket's or an earlier
// step's values, so a block recorded on one ticket works for every ticket.

export interface Candidate {
  /** The reference, e.g. fields.new_email */
  expr: string;
  value: unknown;
}

type Action = Record<string, unknown>;

/** The longest candidate first: "jane@example.org" must win over "jane". Values under 3 characters never match. */
/** References whose values are common words: they become a reference only when they are the whole value. */
const WORDS = new Set(['ticket.channel', 'ticket.source']);

/** `inside`: may a value found inside a longer text become a reference too (typed text yes, an element's name no). */
export function templateString(text: string, candidates: readonly Candidate[], inside = true): string {
  const usable = candidates
    .map((c) => ({ expr: c.expr, value: typeof c.value === 'number' ? String(c.value) : c.value }))
    .filter((c): c is { expr: string; value: string } => typeof c.value === 'string' && c.value.trim().length >= 3)
    // Fields come before ticket values of the same text: a field says what the value means for this map.
    .sort((a, b) => b.value.length - a.value.length || rank(a.expr) - rank(b.expr));
  if (usable.length === 0 || text.includes('{{')) return text;
  const whole = usable.find((c) => c.value === text);
  if (whole) return `{{ ${whole.expr} }}`;
  if (!inside) return text;
  let out = text;
  const placeholders: string[] = [];
  // Inside a longer text only values long enough to be someone's (an email, a name), never a word like "email".
  for (const c of usable.filter((x) => x.value.length >= 6 && !WORDS.has(x.expr))) {
    if (!out.includes(c.value)) continue;
    out = out.split(c.value).join(`\u0000${placeholders.length}\u0000`);
    placeholders.push(`{{ ${c.expr} }}`);
  }
  return out.replace(/\u0000(\d+)\u0000/g, (_, i: string) => placeholders[Number(i)]!);
}

function rank(expr: string): number {
  return expr.startsWith('fields.') ? 0 : expr.startsWith('steps.') ? 1 : 2;
}

function targetWith(t: unknown, candidates: readonly Candidate[]): unknown {
  if (!t || typeof t !== 'object') return t;
  const out: Record<string, unknown> = { ...(t as Record<string, unknown>) };
  // Labels and placeholders are the page's own words; a link's or a text's name can be the customer's (their email).
  for (const key of ['name', 'text']) if (typeof out[key] === 'string') out[key] = templateString(out[key] as string, candidates, false);
  return out;
}

export function templatize(actions: readonly Action[], candidates: readonly Candidate[]): Action[] {
  return actions.map((a) => {
    if ('goto' in a) return { goto: templateUrl(String(a.goto), candidates) };
    if ('fill' in a) {
      const f = a.fill as { target: unknown; value: string; secret?: boolean };
      return { fill: { ...f, target: targetWith(f.target, candidates), value: f.secret ? f.value : templateString(f.value, candidates) } };
    }
    if ('select' in a) {
      const s = a.select as { target: unknown; value: string };
      return { select: { target: targetWith(s.target, candidates), value: templateString(s.value, candidates) } };
    }
    for (const key of ['click', 'check', 'wait_for']) if (key in a) return { [key]: targetWith(a[key], candidates) };
    return a;
  });
}

/** In a URL a value appears encoded: it becomes $encodeUrlComponent(<ref>). */
function templateUrl(url: string, candidates: readonly Candidate[]): string {
  const encoded = candidates
    .filter((c) => typeof c.value === 'string' && c.value.length >= 6 && !WORDS.has(c.expr))
    .map((c) => ({ expr: c.expr, value: encodeURIComponent(c.value as string), plain: c.value as string }))
    .sort((a, b) => b.value.length - a.value.length || rank(a.expr) - rank(b.expr));
  let out = url;
  for (const c of encoded) {
    if (out.includes(c.value)) out = out.split(c.value).join(`{{ $encodeUrlComponent(${c.expr}) }}`);
    else if (c.plain !== c.value && out.includes(c.plain)) out = out.split(c.plain).join(`{{ $encodeUrlComponent(${c.expr}) }}`);
  }
  return out;
}
