import { describe, expect, it } from 'vitest';
import { applyEdits, changedFields, editableFields, firstContentField } from './edit-form.ts';

const refund = { connector: 'payments', method: 'POST', path: '/v1/refunds', body: { charge: 'ch_1', amount: 30300, reason: 'requested_by_customer', metadata: { ticket: 'helpdesk:1196' } } };

describe('editing a step as a form', () => {
  it('offers every value of a request but the system and the verb, typed and labelled in words', () => {
    const fields = editableFields('http', refund);
    expect(fields.map((f) => [f.label, f.kind, f.value])).toEqual([
      ['path', 'text', '/v1/refunds'],
      ['body › charge', 'text', 'ch_1'],
      ['body › amount (cents)', 'number', '30300'],
      ['body › reason', 'text', 'requested_by_customer'],
      ['body › metadata › ticket', 'text', 'helpdesk:1196'],
    ]);
  });

  it('puts the values back typed as suggested, and leaves the rest untouched', () => {
    const fields = editableFields('http', refund);
    const out = applyEdits(refund, fields, { 'body.amount': ' 25,000 ', 'body.reason': 'duplicate' });
    expect(out).toEqual({ inputs: { ...refund, body: { ...refund.body, amount: 25000, reason: 'duplicate' } } });
    expect(refund.body.amount).toBe(30300); // the suggestion itself is not changed
    expect(changedFields(fields, { 'body.amount': '25000', 'body.charge': 'ch_1' })).toEqual(['body › amount (cents): 30300 → 25000']);
  });

  it('names the value that is not a number instead of sending it', () => {
    const fields = editableFields('http', refund);
    expect(applyEdits(refund, fields, { 'body.amount': '250 dollars' })).toEqual({ problem: '“body › amount (cents)” must be a number (it was 30300); you typed “250 dollars”.' });
    expect(applyEdits(refund, fields, { 'body.amount': '' })).toMatchObject({ problem: expect.stringMatching(/^“body › amount \(cents\)” must be a number/) });
  });

  it('in a browser step offers only what is typed, chosen or opened, never a locator or a secret', () => {
    const crm = {
      connector: 'crm',
      actions: [
        { goto: '/customers?q=a%40b.c' },
        { click: { role: 'link', name: 'a@b.c' } },
        { fill: { target: { label: 'Note' }, value: 'Refunded 42.00 USD' } },
        { fill: { target: { label: 'Password' }, value: 'crm.password', secret: true } },
      ],
    };
    expect(editableFields('browser', crm).map((f) => [f.label, f.kind])).toEqual([
      ['actions › 1 › goto', 'text'],
      ['actions › 3 › fill › value', 'text'],
    ]);
  });

  it('gives a reply a long box for its text and a switch for public or internal', () => {
    const reply = { body: 'Hi Lisa,\n\nWe have refunded 303.00 USD.', public: true, status: 'solved' };
    expect(editableFields('reply', reply).map((f) => [f.key, f.kind])).toEqual([
      ['body', 'long'],
      ['public', 'boolean'],
      ['status', 'text'],
    ]);
    const fields = editableFields('reply', reply);
    expect(applyEdits(reply, fields, { public: 'false' })).toEqual({ inputs: { ...reply, public: false } });
  });

  it('marks an amount in cents only in a request to a payments system', () => {
    expect(editableFields('http', refund).filter((f) => f.cents).map((f) => f.key)).toEqual(['body.amount']);
    const orders = { connector: 'orders', method: 'PATCH', path: '/api/orders/102969', body: { amount: 3, order_id: 102969 } };
    expect(editableFields('http', orders).filter((f) => f.cents)).toEqual([]);
    const shop = { connector: 'shop', path: '/api/credit', body: { credit_cents: 500, order_id: 102969 } };
    expect(editableFields('http', shop).filter((f) => f.cents).map((f) => f.label)).toEqual(['body › credit cents (cents)']);
  });

  it('focuses the box a person came to change: the amount, the reply text, never a yes/no switch first', () => {
    expect(firstContentField(editableFields('http', refund))).toBe(2);
    expect(firstContentField(editableFields('reply', { public: true, body: 'Hi Lisa,\n\nWe have refunded it.', status: 'solved' }))).toBe(1);
    expect(firstContentField(editableFields('reply', { public: true, body: 'Hi', status: 'solved' }))).toBe(1);
    expect(firstContentField(editableFields('http', { connector: 'x', method: 'GET' }))).toBe(-1);
  });
});
