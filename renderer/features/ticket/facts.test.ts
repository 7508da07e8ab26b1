import { describe, expect, it } from 'vitest';
import { factLabel, factValue } from './facts.ts';

describe('the Customer panel facts', () => {
  it('reads field names as words and drops the cents suffix', () => {
    expect(factLabel('total_cents')).toBe('total');
    expect(factLabel('amount_refunded')).toBe('amount refunded');
  });
  it('shows whole cents as money, with the currency the lookup returned', () => {
    expect(factValue('total_cents', 26800, { currency: 'usd' })).toBe('268.00 USD');
    expect(factValue('total_cents', -450, {})).toBe('-4.50');
    expect(factValue('total_cents', 12.5, {})).toBe('12.5'); // not whole cents: shown as given
    expect(factValue('status', 'shipped', {})).toBe('shipped');
    expect(factValue('items', [{ sku: 'A' }], {})).toBe('[{"sku":"A"}]');
    expect(factValue('note', null, {})).toBe('null');
  });
});
