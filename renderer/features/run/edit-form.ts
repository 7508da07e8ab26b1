// Editing a step's inputs as a form: one labelled box per value an associate may change (an amount, a reply's text, a
// value typed into a page), typed as the suggestion was, instead of a JSON document to keep valid by hand.
import { isCents, paymentContext } from './money.ts';

export type EditKind = 'number' | 'boolean' | 'text' | 'long';

export interface EditField {
  /** Where the value sits in the inputs, e.g. ['body', 'amount'] or ['actions', 2, 'fill', 'value']. */
  path: (string | number)[];
  key: string;
  label: string;
  kind: EditKind;
  /** The suggested value as the box shows it. */
  value: string;
  /** A whole number of cents in a payment request: the box says so and shows the money as the person types. */
  cents?: boolean;
}

// What identifies the call rather than its content: which system, which verb. Changing them is not an edit of the
// request but another request; the JSON editor still allows it for the rare case.
const FIXED_TOP = new Set(['connector', 'method']);

const words = (part: string | number) => (typeof part === 'number' ? String(part + 1) : part.replace(/_/g, ' '));

export function editableFields(block: string, inputs: Record<string, unknown>): EditField[] {
  const out: EditField[] = [];
  const payment = block === 'http' && paymentContext(inputs);
  const visit = (value: unknown, path: (string | number)[]) => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, [...path, i]));
      return;
    }
    if (value && typeof value === 'object') {
      // A value typed from the keychain is a secret's name, not content: it is never offered.
      if (block === 'browser' && (value as { secret?: unknown }).secret === true) return;
      for (const [k, v] of Object.entries(value)) {
        if (path.length === 0 && FIXED_TOP.has(k)) continue;
        visit(v, [...path, k]);
      }
      return;
    }
    const last = path[path.length - 1];
    // In a browser step only what is typed, chosen or opened is content; the locators are how to find the page's parts.
    if (block === 'browser' && last !== 'value' && last !== 'goto') return;
    const kind: EditKind = typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : typeof value === 'string' && (value.length > 80 || value.includes('\n')) ? 'long' : 'text';
    const label = path.map(words).join(' › ');
    const field: EditField = { path, key: path.join('.'), label, kind, value: value === null || value === undefined ? '' : String(value) };
    if (last !== undefined && isCents(last, value, payment)) Object.assign(field, { label: `${label} (cents)`, cents: true });
    out.push(field);
  };
  visit(inputs, []);
  return out;
}

/**
 * The box a person most likely came to change, to focus when the form opens: an amount, else the longest text (a
 * reply's body), else the first that is not a yes/no switch (a reply's "public"); -1 when there is none.
 */
export function firstContentField(fields: readonly EditField[]): number {
  const money = fields.findIndex((f) => f.cents);
  if (money >= 0) return money;
  const long = fields.findIndex((f) => f.kind === 'long');
  if (long >= 0) return long;
  return fields.findIndex((f) => f.kind !== 'boolean');
}

/** The inputs with the boxes' values put back in place, typed as suggested; or the first value that does not fit. */
export function applyEdits(inputs: Record<string, unknown>, fields: readonly EditField[], values: Readonly<Record<string, string>>): { inputs: Record<string, unknown> } | { problem: string } {
  const copy = structuredClone(inputs);
  for (const f of fields) {
    const raw = values[f.key] ?? f.value;
    let value: unknown;
    if (f.kind === 'number') {
      const n = Number(raw.trim().replace(/,/g, ''));
      if (raw.trim() === '' || !Number.isFinite(n)) return { problem: `“${f.label}” must be a number (it was ${f.value}); you typed “${raw}”.` };
      value = n;
    } else if (f.kind === 'boolean') value = raw === 'true';
    else value = raw;
    let at: unknown = copy;
    for (const part of f.path.slice(0, -1)) at = (at as Record<string | number, unknown>)[part];
    (at as Record<string | number, unknown>)[f.path[f.path.length - 1]!] = value;
  }
  return { inputs: copy };
}

/** The boxes the associate changed, for the confirmation line ("body › amount: 30300 → 25000"). */
export function changedFields(fields: readonly EditField[], values: Readonly<Record<string, string>>): string[] {
  return fields.filter((f) => values[f.key] !== undefined && values[f.key] !== f.value).map((f) => `${f.label}: ${f.value || '(empty)'} → ${values[f.key] || '(empty)'}`);
}
