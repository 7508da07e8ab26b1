// How a lookup's outputs read in the Customer panel: words, not field names, and money as money.

/** "total_cents" → "total", "refunded_at" → "refunded at". */
export function factLabel(key: string): string {
  return key.replace(/_cents$/, '').replace(/_/g, ' ');
}

/** Whole cents as an amount ("26800" → "268.00 USD" with the lookup's currency); anything else as text or JSON. */
export function factValue(key: string, value: unknown, outputs: Record<string, unknown>): string {
  if (key.endsWith('_cents') && Number.isInteger(value)) {
    const currency = typeof outputs.currency === 'string' && /^[a-z]{3}$/i.test(outputs.currency) ? ` ${outputs.currency.toUpperCase()}` : '';
    return `${((value as number) / 100).toFixed(2)}${currency}`;
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
