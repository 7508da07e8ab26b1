import { describe, expect, it } from 'vitest';
import { changedSince, factLabel, factValue } from './facts.ts';

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
    expect(factValue('note', null, {})).toBe('—');
    expect(factValue('note', undefined, {})).toBe('—');
    expect(factValue('count', 0, {})).toBe('0');
  });

  it('reads a payments lookup’s amounts as money, and an amount elsewhere as given', () => {
    expect(factValue('amount', 23000, {}, true)).toBe('230.00');
    expect(factValue('amount_refunded', 0, { currency: 'usd' }, true)).toBe('0.00 USD');
    expect(factValue('amount', 3, {}, false)).toBe('3');
    expect(factValue('order_id', 102969, {}, true)).toBe('102969');
  });

  it('says when a change came after the facts were looked up', () => {
    const lookup = { finishedAt: 1_000 };
    const steps = [
      { title: 'Look up the charge', sideEffect: false, state: 'done' as const, finishedAt: 1_000 },
      { title: 'Note it in the CRM', sideEffect: true, state: 'done' as const, finishedAt: 3_000 },
      { title: 'Refund the charge', sideEffect: true, state: 'done' as const, finishedAt: 2_000 },
      { title: 'Reply', sideEffect: true, state: 'awaiting_verdict' as const, finishedAt: null },
    ];
    expect(changedSince(lookup, steps)).toEqual({ title: 'Refund the charge' });
    expect(changedSince(lookup, steps.filter((s) => !s.title.startsWith('Refund') && !s.title.startsWith('Note')))).toBeNull();
    expect(changedSince({ finishedAt: 5_000 }, steps)).toBeNull(); // looked up again after the refund
    expect(changedSince({ finishedAt: null }, steps)).toBeNull();
  });
});
