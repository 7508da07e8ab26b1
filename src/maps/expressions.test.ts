import { describe, expect, it } from 'vitest';
import { checkExpression, evaluate, evaluateTraced, referencesOf, render, type Hole } from './expressions.ts';

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

  it('renders a text that starts and ends with {{ }} as a text, not as one expression', async () => {
    expect(await render('{{ fields.order_id }} and {{ ticket.id }}', ctx)).toBe('104233 and t1');
    expect(await render('  {{ fields.amount }} ', ctx)).toBe(45.5);
  });

  it('lists the step outputs and fields a value needed and did not get, not those it only tested', async () => {
    const run = { fields: { order_id: '1', note: null }, steps: { find: { status: 'shipped', carrier: null } } };
    expect((await evaluateTraced('steps.find.carrier', run)).missing).toEqual([['steps', 'find', 'carrier']]);
    // JSONata writes a null into a text as "null", and what is absent as nothing: both are gaps.
    expect(await evaluateTraced("'Order ' & fields.order_id & ' is with ' & steps.find.carrier", run)).toEqual({ value: 'Order 1 is with null', missing: [['steps', 'find', 'carrier']] });
    expect(await evaluateTraced("'Order is with ' & steps.skipped.carrier", run)).toEqual({ value: 'Order is with ', missing: [['steps', 'skipped', 'carrier']] });
    expect((await evaluateTraced('$formatNumber(steps.skipped.cents / 100, "#0.00")', run)).missing).toEqual([['steps', 'skipped', 'cents']]);
    // Tested, not used: an alternative, an existence test, a comparison, a filter.
    for (const expr of ["steps.find.carrier ?: 'the carrier'", "$exists(steps.skipped) ? 'a' : 'b'", "steps.skipped.status = 'x' ? 'a' : 'b'", 'steps.find[carrier = null].status', "fields.note ? fields.note : 'none'"]) {
      expect((await evaluateTraced(expr, run)).missing, expr).toEqual([]);
    }
    // Only the branch that was taken counts.
    expect((await evaluateTraced("steps.find.status = 'shipped' ? 'on its way' : 'with ' & steps.find.carrier", run)).missing).toEqual([]);
    expect((await evaluateTraced("steps.find.status = 'processing' ? 'not yet' : 'with ' & steps.find.carrier", run)).missing).toEqual([['steps', 'find', 'carrier']]);
    // $exists(null) is true: a null that passes it is still missing where it is used.
    expect((await evaluateTraced("$exists(steps.find.carrier) ? 'with ' & steps.find.carrier : 'not shipped'", run)).missing).toEqual([['steps', 'find', 'carrier']]);
  });

  it('shows each gap of a template to onHole, which may refuse it or fill it; an empty text given on purpose is shown too', async () => {
    const run = { fields: { order_id: '1' }, steps: { find: { carrier: null } } };
    const holes: Hole[] = [];
    const text = await render("Order {{ fields.order_id }} is with {{ steps.find.carrier }}{{ fields.x ? '!' : '' }}.", run, 'Reply', (h) => (holes.push(h), h.value === '' ? undefined : '‹carrier›'));
    expect(text).toBe('Order 1 is with ‹carrier›.');
    expect(holes).toEqual([
      { expression: 'steps.find.carrier', where: 'Reply', value: null, missing: [['steps', 'find', 'carrier']] },
      { expression: "fields.x ? '!' : ''", where: 'Reply', value: '', missing: [] },
    ]);
    await expect(render({ body: ['{{ steps.find.carrier }}'] }, run, 'Reply', (h) => { throw new Error(`gap at ${h.where}`); })).rejects.toThrow('gap at Reply.body[0]');
    expect(await render('{{ steps.find.carrier }}', run, 'Reply', () => '‹carrier›')).toBe('‹carrier›'); // a whole {{ }} too
    expect(await render('{{ steps.find.carrier }}', run)).toBeNull(); // without onHole, as before
    // A missing value that makes the expression fail (null / 100) is that gap; any other failure is the failure.
    const price = { steps: { find: { cents: null } } };
    expect(await render('{{ steps.find.cents / 100 }} USD', price, 'Reply', (h) => `‹${h.missing.join()}›`)).toBe('‹steps,find,cents› USD');
    await expect(render('{{ $number("x") }}', price, 'Reply', () => 'never')).rejects.toThrow(/^Reply failed: /);
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
