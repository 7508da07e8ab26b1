// Money where people decide: a payment request's amounts travel in cents (23000), and a person reads them as $230.00.
// Detection is deliberately narrow: a key that says cents, or an amount in a request to a payments system; an order
// id, a count or a quantity is never money, and nothing here changes what is sent.

/** Where the value sits: the system and the address the step calls, and the sibling values (a `currency`). */
export interface MoneyContext {
  connector?: unknown;
  path?: unknown;
}

// A system that moves money, by the connector's id or the address called (the demo's `payments`, `/v1/refunds`).
const PAYMENT_SYSTEM = /pay|stripe|billing|charge|refund|invoice/i;
// An amount by name: `amount`, `amount_refunded`, `refund_amount`; not `amount_count` or `order_amount_id`.
const AMOUNT_KEY = /^(?:[a-z]+_)?amount(?:_(?:refunded|captured|paid|due|total|requested))?$/i;

/** Does this request or lookup talk to a system that moves money? */
export function paymentContext(ctx: MoneyContext | null | undefined): boolean {
  if (!ctx) return false;
  return (typeof ctx.connector === 'string' && PAYMENT_SYSTEM.test(ctx.connector)) || (typeof ctx.path === 'string' && PAYMENT_SYSTEM.test(ctx.path));
}

/** Is the value under `key` a whole number of cents? `*_cents` anywhere; `amount`-like keys only in a payment context. */
export function isCents(key: string | number, value: unknown, payment: boolean): boolean {
  if (typeof key !== 'number' && typeof value === 'number' && Number.isInteger(value)) {
    if (/(?:^|_)cents$/i.test(key)) return true;
    return payment && AMOUNT_KEY.test(key);
  }
  return false;
}

/** 23000 → "$230.00"; with another currency 23000 "eur" → "230.00 EUR"; thousands grouped (123456 → "$1,234.56"). */
export function centsText(cents: number, currency?: unknown): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  const amount = `${whole}.${String(abs % 100).padStart(2, '0')}`;
  const code = typeof currency === 'string' && /^[a-z]{3}$/i.test(currency) ? currency.toUpperCase() : 'USD';
  return code === 'USD' ? `${sign}$${amount}` : `${sign}${amount} ${code}`;
}

/** What a person typed into a cents box, as money: "26900" → "= $269.00"; null when it is not a whole number. */
export function typedCents(raw: string, currency?: unknown): string | null {
  const text = raw.trim().replace(/,/g, '');
  if (!/^-?\d+$/.test(text)) return null;
  return `= ${centsText(Number(text), currency)}`;
}

/**
 * A value as indented JSON (as JSON.stringify(value, null, 2) writes it), with "= $230.00" after each amount in cents.
 * `payment` says whether the value belongs to a request to, or an answer from, a payments system.
 */
export function jsonWithMoney(value: unknown, payment: boolean, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v, i) => `${inner}${jsonWithMoney(v, payment, inner)}${i < value.length - 1 ? ',' : ''}`).join('\n')}\n${indent}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
    if (entries.length === 0) return '{}';
    const currency = (value as { currency?: unknown }).currency;
    const lines = entries.map(([k, v], i) => {
      const comma = i < entries.length - 1 ? ',' : '';
      const note = isCents(k, v, payment) ? `  = ${centsText(v as number, currency)}` : '';
      return `${inner}${JSON.stringify(k)}: ${jsonWithMoney(v, payment, inner)}${comma}${note}`;
    });
    return `{\n${lines.join('\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The `currency` beside a value in the inputs (e.g. body.currency next to body.amount), if the request names one. */
export function currencyOf(inputs: Record<string, unknown>, path: readonly (string | number)[]): unknown {
  let at: unknown = inputs;
  for (const part of path.slice(0, -1)) at = at && typeof at === 'object' ? (at as Record<string | number, unknown>)[part] : undefined;
  return at && typeof at === 'object' ? (at as { currency?: unknown }).currency : undefined;
}
