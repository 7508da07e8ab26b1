import { describe, expect, it } from 'vitest';
import { differences, differenceText, facts, waited } from './selectors.ts';

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

  it('finds what the associate changed in Tandem’s suggestion, and nothing when they sent it as suggested', () => {
    const suggested = { connector: 'payments', method: 'POST', body: { charge: 'ch_1', amount: 30300, metadata: { ticket: 't1' } } };
    // The same values in another key order, as a JSON round trip may give them back: no edit.
    const same = { method: 'POST', body: { metadata: { ticket: 't1' }, amount: 30300, charge: 'ch_1' }, connector: 'payments' };
    expect(differences(suggested, same)).toEqual([]);
    const edited = { ...suggested, body: { ...suggested.body, amount: 25000, note: 'keeps the stand' } };
    expect(differences(suggested, edited)).toEqual([
      { path: ['body', 'amount'], suggested: 30300, sent: 25000 },
      { path: ['body', 'note'], suggested: undefined, sent: 'keeps the stand' },
    ]);
    expect(differences({ a: [1, 2] }, { a: [1] })).toEqual([{ path: ['a', 1], suggested: 2, sent: undefined }]);
    expect(differences(null, { a: 1 })).toEqual([{ path: [], suggested: null, sent: { a: 1 } }]);
  });

  it('words a difference for the lead, money as money only in a payment request', () => {
    expect(differenceText({ path: ['body', 'amount'], suggested: 30300, sent: 25000 }, true)).toBe('body › amount: 30300 (= $303.00) → 25000 (= $250.00)');
    expect(differenceText({ path: ['body', 'amount'], suggested: 3, sent: 2 }, false)).toBe('body › amount: 3 → 2');
    expect(differenceText({ path: ['body', 'order_id'], suggested: 102969, sent: 102970 }, true)).toBe('body › order id: 102969 → 102970');
    expect(differenceText({ path: ['body', 'note'], suggested: undefined, sent: 'x' }, true)).toBe('body › note: (none) → "x"');
  });
});
