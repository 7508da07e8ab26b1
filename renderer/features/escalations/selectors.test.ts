import { describe, expect, it } from 'vitest';
import { facts, waited } from './selectors.ts';

describe('escalation card selectors', () => {
  it('says how long a run has waited, in the largest sensible units', () => {
    const t = 1_000_000_000;
    expect(waited(t, t + 30_000)).toBe('just now');
    expect(waited(t, t + 4 * 60_000 + 59_000)).toBe('4 min');
    expect(waited(t, t + 125 * 60_000)).toBe('2 h 5 min');
    expect(waited(t, t + 3 * 3_600_000)).toBe('3 h');
    expect(waited(t, t + 26 * 3_600_000)).toBe('1 day');
    expect(waited(t, t + 72 * 3_600_000)).toBe('3 days');
    expect(waited(t + 5_000, t)).toBe('just now'); // a clock a little behind never shows a negative wait
  });

  it('lists the fields the lead decides about, in words, leaving out empty ones', () => {
    expect(facts({ fields: { order_id: '102499', amount: 450, reason: '', fee: 12.5, missing: null, items: ['a'] } })).toEqual([
      { label: 'order id', value: '102499' },
      { label: 'amount', value: '450' },
      { label: 'fee', value: '12.50' },
      { label: 'items', value: '["a"]' },
    ]);
  });
});
