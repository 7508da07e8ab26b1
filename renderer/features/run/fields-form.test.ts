import { describe, expect, it } from 'vitest';
import { fieldsFromForm, fieldsToOffer } from './fields-form.ts';

const defs = [
  { name: 'amount', type: 'money', required: false, description: 'The amount asked for' },
  { name: 'order_id', type: 'string', required: true, description: 'The six-digit order number.' },
];

describe('the run’s fields as a form', () => {
  it('offers the map’s fields, required first, or what the run holds when the map’s are unknown', () => {
    expect(fieldsToOffer({ fields: {}, mapFields: defs }).map((d) => d.name)).toEqual(['order_id', 'amount']);
    expect(fieldsToOffer({ fields: { order_id: '1' } }).map((d) => d.name)).toEqual(['order_id']);
  });

  it('sends only what the person changed, typed as the map declares it', () => {
    expect(fieldsFromForm(defs, { order_id: null }, { order_id: ' 104775 ', amount: '$1,080.50' })).toEqual({ fields: { order_id: '104775', amount: 1080.5 } });
    expect(fieldsFromForm(defs, { order_id: '104775', amount: 12 }, {})).toEqual({ fields: {} });
    expect(fieldsFromForm(defs, { order_id: '104775', amount: 12 }, { amount: '' })).toEqual({ fields: { amount: null } });
  });

  it('names a required field left empty, or a number that is not one', () => {
    expect(fieldsFromForm(defs, {}, {})).toEqual({ problem: 'order id is needed for this map (The six-digit order number.).' });
    expect(fieldsFromForm(defs, { order_id: '1' }, { amount: 'lots' })).toEqual({ problem: 'amount must be a number; you typed “lots”.' });
  });
});
