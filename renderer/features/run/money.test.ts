import { describe, expect, it } from 'vitest';
import { centsText, isCents, jsonWithMoney, paymentContext, typedCents } from './money.ts';

describe('money in cents where people decide', () => {
  it('reads cents as dollars, another currency by its code', () => {
    expect(centsText(23000)).toBe('$230.00');
    expect(centsText(5)).toBe('$0.05');
    expect(centsText(123456, 'usd')).toBe('$1,234.56');
    expect(centsText(-450)).toBe('-$4.50');
    expect(centsText(23000, 'eur')).toBe('230.00 EUR');
  });

  it('calls a value money only when its key says cents, or it is an amount sent to or read from a payments system', () => {
    const payments = paymentContext({ connector: 'payments', path: '/v1/refunds' });
    expect(payments).toBe(true);
    expect(paymentContext({ connector: 'orders', path: '/api/orders/102969' })).toBe(false);
    expect(paymentContext({ connector: 'crm', path: '/v1/charges/ch_1' })).toBe(true);
    expect(isCents('amount', 23000, payments)).toBe(true);
    expect(isCents('amount_refunded', 0, payments)).toBe(true);
    expect(isCents('amount', 23000, false)).toBe(false); // an amount elsewhere may be a quantity
    expect(isCents('total_cents', 23000, false)).toBe(true);
    expect(isCents('order_id', 102969, payments)).toBe(false);
    expect(isCents('amount', '23000', payments)).toBe(false);
    expect(isCents('amount', 230.5, payments)).toBe(false);
    expect(isCents(0, 23000, payments)).toBe(false);
  });

  it('shows what the associate types into a cents box as money, or nothing when it is not whole cents', () => {
    expect(typedCents('26900')).toBe('= $269.00');
    expect(typedCents(' 26,900 ')).toBe('= $269.00');
    expect(typedCents('269.5')).toBeNull();
    expect(typedCents('')).toBeNull();
  });

  it('writes JSON as JSON.stringify does, with the dollars beside each amount in cents', () => {
    const body = { charge: 'ch_1', amount: 23000, metadata: { ticket: 'helpdesk:1196', order_id: 102969 }, tags: [], list: [1, { x_cents: 5 }], none: null };
    const plain = jsonWithMoney(body, false);
    expect(plain.replace(/ {2}= \$0\.05/, '')).toBe(JSON.stringify(body, null, 2));
    const annotated = jsonWithMoney({ connector: 'payments', body }, true);
    expect(annotated).toContain('"amount": 23000,  = $230.00');
    expect(annotated).toContain('"x_cents": 5  = $0.05');
    expect(annotated).not.toMatch(/102969.*=/);
    expect(jsonWithMoney({ amount: 100, currency: 'eur' }, true)).toContain('"amount": 100,  = 1.00 EUR');
  });
});
