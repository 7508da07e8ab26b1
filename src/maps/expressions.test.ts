import { describe, expect, it } from 'vitest';
import { checkExpression, evaluate, referencesOf, render } from './expressions.ts';

const ctx = { ticket: { id: 't1', requester: { email: 'a@b.org' } }, fields: { order_id: '104233', amount: 45.5 }, steps: { find_order: { total_cents: 25000, items: [{ sku: 'A' }, { sku: 'B' }] } } };

describe('expressions', () => {
  it('evaluates JSONata against the run context', async () => {
    expect(await evaluate('steps.find_order.total_cents > 20000', ctx)).toBe(true);
    expect(await evaluate('$count(steps.find_order.items)', ctx)).toBe(2);
    expect(await evaluate('steps.find_order.items.sku', ctx)).toEqual(['A', 'B']);
    expect(await evaluate('fields.nope', ctx)).toBeUndefined();
  });

  it('renders templates, keeping the type of a whole-string expression', async () => {
    expect(await render('Refund for order {{ fields.order_id }} ({{ fields.amount }} USD)', ctx)).toBe('Refund for order 104233 (45.5 USD)');
    expect(await render('{{ fields.amount * 100 }}', ctx)).toBe(4550);
    expect(await render({ charge: '{{ fields.order_id }}', n: 3, list: ['{{ ticket.id }}'] }, ctx)).toEqual({ charge: '104233', n: 3, list: ['t1'] });
    expect(await render('no braces here', ctx)).toBe('no braces here');
  });

  it('never runs JavaScript', async () => {
    expect(await evaluate('process.env', {})).toBeUndefined();
    expect(await evaluate('$eval("1+1")', {})).toBe(2); // JSONata's own $eval evaluates JSONata, not JavaScript
    expect(await render('{{ "constructor" }}', {})).toBe('constructor');
  });

  it('reports syntax errors with a position', () => {
    expect(checkExpression('fields.amount >')).toMatchObject({ position: expect.any(Number) as number });
    expect(checkExpression('fields.amount > 1')).toBeNull();
  });

  it('lists the paths an expression reads', () => {
    expect(referencesOf('steps.find_order.total_cents > 200 and $exists(fields.amount)')).toEqual([
      ['steps', 'find_order', 'total_cents'],
      ['fields', 'amount'],
    ]);
  });
});
